//! `logutil-newfifo [-m mode] [-o owner] fifo`: s6-overlay's deprecated
//! helper that (re)creates a FIFO for a logger: whatever is at `fifo` is
//! removed, a FIFO with `mode` (octal, default 0600) is made there and
//! given to `owner`'s uid and primary gid (default root).

use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use crate::builtins::{options, split_at};
use crate::chain::{Env, Step};
use crate::error::{Error, Result, show};

pub const USAGE: &str = "logutil-newfifo [ -m mode ] [ -o owner ] fifo";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "m:o:")?;
    let (mut mode, mut owner) = (0o600, b"root".to_vec());
    for (o, arg) in opts {
        let arg = arg.unwrap_or_default();
        match o {
            b'm' => {
                mode = crate::chain::getopt::file_mode(arg)
                    .ok_or_else(|| Error::Refused(100, format!("bad mode: {}", show(arg))))?;
            }
            _ => owner = arg.to_vec(),
        }
    }
    let rest = split_at(argv, i + 1);
    let Some(fifo) = rest.first() else {
        return Ok(Step::Exit(1));
    };
    eprintln!(
        "logutil-newfifo: warning: deprecated: make the fifo with mkfifo and give it away with chown instead"
    );
    let user = crate::users::user_by_name(&owner)
        .map_err(|e| Error::Failed(format!("unable to read the account database: {e}")))?
        .ok_or_else(|| Error::Refused(1, format!("unknown user: {}", show(&owner))))?;
    let path = Path::new(std::ffi::OsStr::from_bytes(fifo));
    let sys = |what: &str, e: std::io::Error| {
        Error::Failed(format!(
            "unable to {what} {}: {}",
            path.display(),
            crate::error::describe(&e)
        ))
    };
    crate::s6::files::remove_any(path).map_err(|e| sys("remove", e))?;
    nix::unistd::mkfifo(path, nix::sys::stat::Mode::from_bits_truncate(mode))
        .map_err(|e| sys("make a fifo at", e.into()))?;
    // mkfifo honours the umask; the mode asked for is the mode given.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| sys("chmod", e))?;
    std::os::unix::fs::chown(path, Some(user.uid), Some(user.gid)).map_err(|e| sys("chown", e))?;
    Ok(Step::Exit(0))
}
