//! `wait [-I|-i] [-a|-o] [-r|-t ms] { pids... } prog...`: reap the listed
//! children (all of them when the list is empty), then go on.

use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::signal::{SigSet, Signal};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;

use crate::builtins::{options, split_at};
use crate::chain::getopt::number;
use crate::chain::{Env, Step, block::take_block};
use crate::error::{Error, Result};
use crate::exit;

pub const USAGE: &str = "wait [ -I | -i ] [ -a | -o ] [ -r | -t timeout ] { pids... } [ prog... ]";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "IiaorT:t:")?;
    let (mut strict, mut one, mut timeout) = (false, false, None);
    for (o, arg) in opts {
        match o {
            b'I' => strict = false,
            b'i' => strict = true,
            b'a' => one = false,
            b'o' => one = true,
            b'r' => timeout = Some(0),
            _ => timeout = Some(arg.and_then(number).ok_or_else(crate::builtins::usage)?),
        }
    }
    let mut rest = split_at(argv, i + 1);
    let deadline = timeout.map(|ms| Instant::now() + Duration::from_millis(ms));
    if !rest.iter().any(Vec::is_empty) {
        // No block: the POSIX form. The words are the pids, and wait exits.
        return posix(&pids(&rest)?, one, strict, deadline);
    }
    let listed = pids(&take_block("wait", &mut rest, env.strict())?)?;
    let outcome = reap(listed, one, deadline, &mut Vec::new())?;
    if one {
        env.unset(b"!");
        env.unset(b"?");
    }
    match outcome {
        Reaped::TimedOut if strict => {
            eprintln!("wait: fatal: unable to wait: Connection timed out");
            return Err(Error::Quiet(99));
        }
        Reaped::One(pid, status) if one => {
            env.set(b"!".to_vec(), pid.as_raw().to_string());
            env.set(b"?".to_vec(), exit::approximate(status).to_string());
        }
        _ => {}
    }
    Ok(Step::Next(rest))
}

fn pids(words: &[Vec<u8>]) -> Result<Vec<Pid>> {
    words
        .iter()
        .map(|p| {
            number(p)
                .and_then(|n| i32::try_from(n).ok())
                .map(Pid::from_raw)
        })
        .collect::<Option<Vec<Pid>>>()
        .ok_or_else(crate::builtins::usage)
}

/// `wait [options] [pids...]` without a block, as the shell's: with no pid,
/// every child is reaped and the code is 0; otherwise the code is that of
/// the last pid listed (with `-o`, of the first to die), approximated as
/// execline does, and 127 when it was not reaped (not a child, or still
/// alive when the time was up).
fn posix(listed: &[Pid], one: bool, strict: bool, deadline: Option<Instant>) -> Result<Step> {
    let mut dead = Vec::new();
    let outcome = reap(listed.to_vec(), one, deadline, &mut dead)?;
    if strict && matches!(outcome, Reaped::TimedOut) {
        eprintln!("wait: fatal: unable to wait: Connection timed out");
        return Err(Error::Quiet(99));
    }
    let status = match (one, listed.last()) {
        (true, _) => dead.first().map(|d| d.1),
        (false, None) => return Ok(Step::Exit(0)),
        (false, Some(last)) => dead.iter().find(|d| d.0 == *last).map(|d| d.1),
    };
    Ok(Step::Exit(
        status.map_or(exit::NOT_FOUND, exit::approximate),
    ))
}

enum Reaped {
    All,
    One(Pid, WaitStatus),
    TimedOut,
}

/// Reaps until the wanted children are gone (or one of them, with `one`).
/// SIGCHLD is blocked meanwhile so that waiting for it cannot miss a death.
/// Every death reaped is added to `dead`.
fn reap(
    mut pids: Vec<Pid>,
    one: bool,
    deadline: Option<Instant>,
    dead: &mut Vec<(Pid, WaitStatus)>,
) -> Result<Reaped> {
    let any = pids.is_empty();
    let mut chld = SigSet::empty();
    chld.add(Signal::SIGCHLD);
    let old = chld
        .thread_swap_mask(nix::sys::signal::SigmaskHow::SIG_BLOCK)
        .map_err(|e| Error::sys("block SIGCHLD", e))?;
    let result = loop {
        let done = poll(&mut pids, any)?;
        if let Some(d) = done {
            dead.push(d);
        }
        match done {
            Some(done) if one => break Reaped::One(done.0, done.1),
            _ if !any && pids.is_empty() => break Reaped::All,
            Some(_) => continue,
            None if any && !has_children() => break Reaped::All,
            None => {}
        }
        let left = match deadline {
            None => None,
            Some(d) => match d.checked_duration_since(Instant::now()) {
                Some(left) if !left.is_zero() => Some(left),
                _ => break Reaped::TimedOut,
            },
        };
        wait_for_sigchld(&chld, left);
    };
    let _ = old.thread_set_mask();
    Ok(result)
}

/// Reaps one dead child among the wanted ones, without blocking.
fn poll(pids: &mut Vec<Pid>, any: bool) -> Result<Option<(Pid, WaitStatus)>> {
    if any {
        return match waitpid(None, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::StillAlive) | Err(Errno::ECHILD) => Ok(None),
            Ok(s) => Ok(s.pid().map(|p| (p, s))),
            Err(Errno::EINTR) => Ok(None),
            Err(e) => Err(Error::sys("wait", e)),
        };
    }
    let mut k = 0;
    while k < pids.len() {
        match waitpid(pids[k], Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::StillAlive) | Err(Errno::EINTR) => k += 1,
            Err(Errno::ECHILD) => {
                pids.remove(k);
            }
            Ok(s @ (WaitStatus::Exited(..) | WaitStatus::Signaled(..))) => {
                let p = pids.remove(k);
                return Ok(Some((p, s)));
            }
            Ok(_) => k += 1,
            Err(e) => return Err(Error::sys("wait", e)),
        }
    }
    Ok(None)
}

/// True while this process still has a child to wait for.
fn has_children() -> bool {
    !matches!(
        nix::sys::wait::waitid(
            nix::sys::wait::Id::All,
            WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT
        ),
        Err(Errno::ECHILD)
    )
}

/// Sleeps until a SIGCHLD is pending (it stays blocked) or `left` passes.
fn wait_for_sigchld(set: &SigSet, left: Option<Duration>) {
    let ts = left.map(|d| libc::timespec {
        tv_sec: d.as_secs() as _,
        tv_nsec: d.subsec_nanos() as libc::c_long,
    });
    let tsp = ts
        .as_ref()
        .map_or(std::ptr::null(), |t| t as *const libc::timespec);
    // SAFETY: `set` is a valid sigset; info may be null; tsp is null or points to a live timespec.
    unsafe { libc::sigtimedwait(set.as_ref(), std::ptr::null_mut(), tsp) };
}
