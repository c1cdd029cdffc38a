//! `s6-svc [-wX] [-T ms] [-abqhkti12pcyroduDUxOQ] servicedir`: send commands
//! to a service's supervisor through its control FIFO, in order; with `-wX`
//! wait (race-free) until the service reaches state X.

use std::path::PathBuf;
use std::time::Duration;

use crate::builtins::options;
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};
use crate::s6::listen::{Goal, Wait};
use crate::s6::supervise_dir::send_commands;

pub const USAGE: &str = "s6-svc [ -wu | -wU | -wd | -wD | -wr | -wR ] [ -T timeout ] [ -abqhkti12pcyroduDUxOQ ] servicedir";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "abqhkti12pcyroduDUxOQw:T:")?;
    let mut bytes = Vec::new();
    let mut goal = None;
    let mut timeout = None;
    for (c, arg) in opts {
        match (c, arg) {
            (b'w', Some(a)) => {
                goal = Some(
                    a.first()
                        .copied()
                        .and_then(Goal::from_letter)
                        .ok_or_else(crate::builtins::usage)?,
                );
            }
            (b'T', Some(a)) => {
                timeout = Some(Duration::from_millis(
                    number(a).ok_or_else(crate::builtins::usage)?,
                ))
            }
            (c, _) => bytes.push(c),
        }
    }
    let Some(dir) = argv.get(first + 1) else {
        return Err(crate::builtins::usage());
    };
    if argv.len() > first + 2 {
        eprintln!("s6-svc: warning: ignoring extra arguments");
    }
    let dir = PathBuf::from(std::ffi::OsStr::new(&show(dir)));
    let fail = |e: std::io::Error| {
        if e.raw_os_error() == Some(libc::ENXIO) {
            Error::Refused(
                100,
                format!(
                    "unable to control {}: supervisor not listening",
                    dir.display()
                ),
            )
        } else {
            Error::Failed(format!(
                "unable to control {}: {}",
                dir.display(),
                describe(&e)
            ))
        }
    };
    let wait = match goal {
        Some(g) => Some(
            Wait::subscribe(std::slice::from_ref(&dir), g)
                .map_err(|e| Error::Failed(e.to_string()))?,
        ),
        None => None,
    };
    send_commands(&dir, &bytes).map_err(fail)?;
    let Some(wait) = wait else {
        return Ok(Step::Exit(0));
    };
    let check_now = !matches!(goal, Some(Goal::Restarted | Goal::RestartedReady));
    match wait.wait(false, check_now, timeout).map_err(fail)? {
        crate::s6::listen::TIMED_OUT => Ok(Step::Exit(1)),
        code => Ok(Step::Exit(code)),
    }
}
