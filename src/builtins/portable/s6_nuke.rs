//! `s6-nuke [-h] [-t] [-k]`: signal every process it may (kill -1): HUP
//! with `-h`, TERM then CONT with `-t`, KILL with `-k`. It ignores HUP and
//! TERM itself first, so that it survives its own blast.

use nix::sys::signal::{SigHandler, Signal, kill, signal};
use nix::unistd::Pid;

use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub const USAGE: &str = "s6-nuke [ -h | -t | -k ]";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, _) = options(&argv[1..], "htk")?;
    let has = |c: u8| opts.iter().any(|(o, _)| *o == c);
    let mut sends = Vec::new();
    if has(b'h') {
        sends.push(Signal::SIGHUP);
    }
    if has(b't') {
        sends.extend([Signal::SIGTERM, Signal::SIGCONT]);
    }
    if has(b'k') {
        sends.push(Signal::SIGKILL);
    }
    let mut failed = None;
    for sig in sends {
        if matches!(sig, Signal::SIGHUP | Signal::SIGTERM) {
            // SAFETY: SIG_IGN installs no handler code.
            let _ = unsafe { signal(sig, SigHandler::SigIgn) };
        }
        // Like the original, one failure (say, nobody left to signal) is
        // reported once every signal was sent.
        if let Err(e) = kill(Pid::from_raw(-1), sig) {
            failed = Some(e);
        }
    }
    match failed {
        Some(e) => Err(Error::sys("kill", e)),
        None => Ok(Step::Exit(0)),
    }
}
