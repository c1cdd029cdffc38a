//! `s6-setsid [-s | -b | -f | -g] [-i | -I | -q] [-d ctty] prog...`: run prog
//! as a session leader, or as the leader of a new process group.

use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};
use nix::unistd::{Pid, getpid, setpgid, setsid, tcsetpgrp};

use crate::builtins::{options, split_at};
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub const USAGE: &str = "s6-setsid [ -s | -b | -f | -g ] [ -i | -I | -q ] [ -d ctty ] prog...";

#[derive(PartialEq, Clone, Copy)]
enum Mode {
    Session,
    Background,
    Foreground,
    Grab,
}

#[derive(PartialEq, Clone, Copy)]
enum OnFailure {
    Die,
    Warn,
    Ignore,
}

/// Applies the failure policy to one step's result.
fn check(result: nix::Result<()>, what: &str, policy: OnFailure) -> Result<()> {
    match (result, policy) {
        (Err(e), OnFailure::Die) => Err(Error::sys(what, e)),
        (Err(e), OnFailure::Warn) => {
            eprintln!("s6-setsid: warning: unable to {what}: {e}");
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Makes our process group the terminal's foreground one; with `grab`,
/// SIGTTOU is ignored meanwhile so a background caller is not stopped.
fn take_terminal(ctty: i32, grab: bool) -> nix::Result<()> {
    // SAFETY: ctty is a plain fd number; BorrowedFd only lends it for this call,
    // and tcsetpgrp fails cleanly (EBADF) if it is not open.
    let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(ctty) };
    if !grab {
        return tcsetpgrp(fd, getpid());
    }
    let ignore = SigAction::new(SigHandler::SigIgn, SaFlags::empty(), SigSet::empty());
    // SAFETY: installing SIG_IGN runs no code in signal context.
    let old = unsafe { sigaction(Signal::SIGTTOU, &ignore) }?;
    let result = tcsetpgrp(fd, getpid());
    // SAFETY: restores the disposition saved just above.
    unsafe { sigaction(Signal::SIGTTOU, &old) }?;
    result
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "sbfgiIqd:")?;
    let mut mode = Mode::Session;
    let mut policy = OnFailure::Warn;
    let mut ctty = 0;
    for (o, arg) in opts {
        match o {
            b's' => mode = Mode::Session,
            b'b' => mode = Mode::Background,
            b'f' => mode = Mode::Foreground,
            b'g' => mode = Mode::Grab,
            b'i' => policy = OnFailure::Die,
            b'I' => policy = OnFailure::Warn,
            b'q' => policy = OnFailure::Ignore,
            _ => {
                ctty = number(arg.unwrap_or_default())
                    .and_then(|n| i32::try_from(n).ok())
                    .ok_or_else(crate::builtins::usage)?;
            }
        }
    }
    let rest = split_at(argv, i + 1);
    if rest.is_empty() {
        return Err(crate::builtins::usage());
    }
    if mode == Mode::Session {
        check(setsid().map(drop), "setsid", policy)?;
    } else {
        check(
            setpgid(Pid::from_raw(0), Pid::from_raw(0)),
            "setpgid",
            policy,
        )?;
        if mode != Mode::Background {
            check(take_terminal(ctty, mode == Mode::Grab), "tcsetpgrp", policy)?;
        }
    }
    Ok(Step::Next(rest))
}
