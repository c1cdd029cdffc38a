//! `halt`, `poweroff`, `reboot`: ask the running `chainit init` to stop the
//! container. halt exits with the exit-code file's value; poweroff and reboot
//! report a death by SIGINT and SIGHUP, as s6-linux-init's container mode.

use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe};
use crate::{control, sig};

pub const USAGE: &str = "halt | poweroff | reboot";

/// The init's pid file: under `CHAINIT_RUN_DIR`, under the run dir this
/// command was laid out in (`RUN/s6/basedir/bin/halt`), or under /run.
fn pidfile(env: &Env, argv0: &[u8]) -> std::path::PathBuf {
    use std::os::unix::ffi::OsStrExt;
    let run: Vec<u8> = if let Some(dir) = env.get(b"CHAINIT_RUN_DIR").filter(|d| !d.is_empty()) {
        dir.to_vec()
    } else if let Some(at) = argv0.windows(16).rposition(|w| w == b"/s6/basedir/bin/") {
        argv0[..at].to_vec()
    } else {
        b"/run".to_vec()
    };
    control::RunDir {
        root: std::ffi::OsStr::from_bytes(&run).into(),
    }
    .pidfile()
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let argv0 = argv.first().cloned().unwrap_or_default();
    let name = argv0.rsplit(|&b| b == b'/').next().unwrap_or_default();
    let sig = match name {
        b"poweroff" => control::poweroff(),
        b"reboot" => control::reboot(),
        _ => control::halt(),
    };
    let file = pidfile(env, &argv0);
    let text = std::fs::read_to_string(&file).map_err(|e| {
        Error::Failed(format!(
            "unable to find the init: cannot read {}: {}",
            file.display(),
            describe(&e)
        ))
    })?;
    let pid: i32 = text
        .trim()
        .parse()
        .ok()
        .filter(|&p| p > 0)
        .ok_or_else(|| Error::Failed(format!("{} does not hold a pid", file.display())))?;
    sig::send(pid, sig).map_err(|e| Error::sys(format!("signal the init (pid {pid})"), e))?;
    Ok(Step::Exit(0))
}
