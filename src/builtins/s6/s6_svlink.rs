//! `s6-svlink [-d|-D] [-f] [-P] [-t timeout] scandir servicedir [name]`:
//! register a service with a running scanner: link it into scandir, tell
//! the scanner to rescan, and wait until its supervisor (and its logger's)
//! has started.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};
use crate::s6::ftrig::{self, Trigger};
use crate::s6::supervise_dir::{control_scanner, is_supervised};

pub const USAGE: &str =
    "s6-svlink [ -d | -D ] [ -f ] [ -P ] [ -t timeout ] scandir servicedir [ name ]";

fn unable(what: String, e: &std::io::Error) -> Error {
    Error::Failed(format!("unable to {what}: {}", describe(e)))
}

/// `dir/run` must be there and executable; a supervised dir gets a warning.
fn check_service(dir: &Path) -> Result<()> {
    let run = dir.join("run");
    let meta =
        std::fs::metadata(&run).map_err(|e| unable(format!("stat {}", run.display()), &e))?;
    if meta.permissions().mode() & 0o100 == 0 {
        return Err(Error::Invalid(format!(
            "{} is not executable",
            run.display()
        )));
    }
    if is_supervised(dir) {
        eprintln!(
            "s6-svlink: warning: supervisor already running on {}",
            dir.display()
        );
    }
    Ok(())
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "dDfPt:")?;
    let (mut stay_down, mut remove_down, mut force, mut public) = (false, false, false, false);
    let mut timeout = None;
    for (c, arg) in opts {
        match c {
            b'd' => (stay_down, remove_down) = (true, true),
            b'D' => (stay_down, remove_down) = (true, false),
            b'f' => force = true,
            b'P' => public = true,
            _ => timeout = super::s6_svwait::timeout_option(arg)?,
        }
    }
    let args = &argv[first + 1..];
    if args.len() < 2 {
        return Err(crate::builtins::usage());
    }
    let (scan, service) = (&args[0], &args[1]);
    let name: Vec<u8> = match args.get(2) {
        Some(n) => n.clone(),
        None => Path::new(OsStr::from_bytes(service))
            .file_name()
            .map(|n| n.as_bytes().to_vec())
            .unwrap_or_default(),
    };
    if scan.is_empty() {
        return Err(Error::Invalid("invalid scandir".into()));
    }
    if service.is_empty() {
        return Err(Error::Invalid("invalid servicedir".into()));
    }
    if matches!(name.first(), None | Some(b'.' | b'/')) {
        return Err(Error::Invalid("invalid name".into()));
    }
    let scan = PathBuf::from(OsStr::from_bytes(scan));
    let service = PathBuf::from(OsStr::from_bytes(service));
    let lock = scan.join(".s6-svscan/lock");
    match crate::s6::files::is_locked(&lock) {
        Err(e) => return Err(unable(format!("open {}", lock.display()), &e)),
        Ok(false) => {
            let what = format!("s6-svscan not running on {}", scan.display());
            return Err(Error::Refused(1, what));
        }
        Ok(true) => {}
    }
    check_service(&service)?;
    let log = service.join("log");
    let logged = match std::fs::metadata(&log) {
        Ok(m) if m.is_dir() => {
            check_service(&log)?;
            true
        }
        Ok(_) => {
            return Err(Error::Invalid(format!(
                "{} is not a directory",
                log.display()
            )));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(unable(format!("stat {}", log.display()), &e)),
    };
    let link = scan.join(OsStr::from_bytes(&name));
    let failed = |e: std::io::Error| {
        let code = if e.kind() == std::io::ErrorKind::TimedOut {
            99
        } else {
            111
        };
        Error::Refused(
            code,
            format!(
                "unable to link servicedir {} into scandir {} with name {}: {}",
                service.display(),
                scan.display(),
                show(&name),
                describe(&e)
            ),
        )
    };
    let deadline = timeout.map(|t| Instant::now() + t);
    let linked = link_and_wait(
        &service, logged, &link, &scan, stay_down, force, public, deadline,
    );
    if let Err(e) = linked {
        let _ = std::fs::remove_file(&link);
        return Err(failed(e));
    }
    if remove_down {
        let _ = std::fs::remove_file(link.join("down"));
    }
    Ok(Step::Exit(0))
}

/// Subscribes to the `s` (supervisor started) event of the service and its
/// logger, links the service in, asks for a rescan and waits.
#[allow(clippy::too_many_arguments)]
fn link_and_wait(
    service: &Path,
    logged: bool,
    link: &Path,
    scan: &Path,
    stay_down: bool,
    force: bool,
    public: bool,
    deadline: Option<Instant>,
) -> std::io::Result<()> {
    let gid = (!public).then(|| nix::unistd::getegid().as_raw());
    let supervised = is_supervised(service);
    let mut triggers = Vec::new();
    let dirs = if logged {
        vec![service.to_path_buf(), service.join("log")]
    } else {
        vec![service.to_path_buf()]
    };
    if !supervised {
        for dir in &dirs {
            if stay_down {
                std::fs::File::create(dir.join("down"))?;
            }
            let event = dir.join("event");
            crate::s6::fifodir::make_for(&event, gid, force)?;
            triggers.push(Trigger::subscribe(&event, b"s")?);
        }
    }
    let target = if service.is_absolute() {
        service.to_path_buf()
    } else {
        std::fs::canonicalize(service)?
    };
    match std::os::unix::fs::symlink(&target, link) {
        Err(e) if !(supervised && e.kind() == std::io::ErrorKind::AlreadyExists) => return Err(e),
        _ => {}
    }
    control_scanner(scan, b"a")?;
    if !ftrig::wait(&mut triggers, false, deadline) {
        return Err(std::io::Error::from_raw_os_error(libc::ETIMEDOUT));
    }
    Ok(())
}
