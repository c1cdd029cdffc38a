//! `trap [-x] { SIG { handler... } ... [default { handler... }] } prog...`:
//! run prog as a child; run a handler (as a child, never two at once for the
//! same signal) whenever a trapped signal arrives; exit with prog's code.

use std::str::FromStr;

use nix::sys::signal::{SigSet, SigmaskHow, Signal, kill};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;

use crate::builtins::{options, split_at};
use crate::chain::getopt::number;
use crate::chain::{Env, Step, block::take_block, spawn};
use crate::error::{Error, Result, show};
use crate::exit;

pub const USAGE: &str = "trap [ -x ] { signal { cmdline } ... } prog...";

/// Signals a handler can be set for (everything but KILL, STOP and CHLD).
fn catchable() -> impl Iterator<Item = Signal> {
    Signal::iterator().filter(|s| !matches!(s, Signal::SIGKILL | Signal::SIGSTOP | Signal::SIGCHLD))
}

/// `TERM`, `sigterm`, `SIGTERM` or `15`; `Ok(None)` for signal 0.
fn signal(word: &[u8]) -> Result<Option<Signal>> {
    let unknown = || Error::Invalid(format!("unrecognized directive: {}", show(word)));
    let sig = if let Some(n) = number(word) {
        if n == 0 {
            return Ok(None);
        }
        i32::try_from(n)
            .ok()
            .and_then(|n| Signal::try_from(n).ok())
            .ok_or_else(unknown)?
    } else {
        let upper = String::from_utf8_lossy(word).to_ascii_uppercase();
        let bare = upper.strip_prefix("SIG").unwrap_or(&upper);
        Signal::from_str(&format!("SIG{bare}")).map_err(|_| unknown())?
    };
    if !catchable().any(|s| s == sig) {
        return Err(Error::Invalid(format!(
            "{} ({}) cannot be trapped",
            sig.as_str(),
            sig as i32
        )));
    }
    Ok(Some(sig))
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "x")?;
    let forward = !opts.is_empty();
    let mut rest = split_at(argv, i + 1);
    let mut directives = take_block("trap", &mut rest, env.strict())?;
    if directives.is_empty() {
        return Err(Error::Invalid("empty block".into()));
    }
    let mut handlers: Vec<(Signal, Vec<Vec<u8>>)> = Vec::new();
    let mut default = None;
    while !directives.is_empty() {
        let keyword = directives.remove(0);
        let unterminated = || {
            Error::Invalid(format!(
                "unterminated internal block for directive {}",
                show(&keyword)
            ))
        };
        let is_default = keyword == b"default";
        let sig = if is_default { None } else { signal(&keyword)? };
        if directives.is_empty() {
            return Err(unterminated());
        }
        let handler =
            take_block("trap", &mut directives, env.strict()).map_err(|_| unterminated())?;
        match sig {
            _ if is_default => default = Some(handler),
            Some(s) => {
                handlers.retain(|(h, _)| *h != s);
                handlers.push((s, handler));
            }
            None => {}
        }
    }
    if rest.is_empty() {
        return Err(crate::builtins::usage());
    }
    let mut caught = SigSet::empty();
    caught.add(Signal::SIGCHLD);
    for (s, _) in &handlers {
        caught.add(*s);
    }
    if default.is_some() || forward {
        catchable().for_each(|s| caught.add(s));
    }
    let old = caught
        .thread_swap_mask(SigmaskHow::SIG_BLOCK)
        .map_err(|e| Error::sys("block signals", e))?;
    let restore = || {
        old.thread_set_mask()
            .map_err(|e| Error::sys("restore the signal mask", e))
    };
    let main = match spawn::spawn_with(rest, env, restore) {
        Ok(pid) => pid,
        Err(e) => {
            let _ = old.thread_set_mask();
            return Err(e);
        }
    };
    // The handler child running for each signal, if any.
    let mut running: Vec<(Signal, Pid)> = Vec::new();
    loop {
        let Ok(sig) = caught.wait() else { continue };
        if sig == Signal::SIGCHLD {
            while let Ok(status) = waitpid(None, Some(WaitPidFlag::WNOHANG)) {
                let Some(pid) = status.pid() else { break };
                if pid == main
                    && matches!(status, WaitStatus::Exited(..) | WaitStatus::Signaled(..))
                {
                    let _ = old.thread_set_mask();
                    return Ok(Step::Exit(exit::approximate(status)));
                }
                running.retain(|(_, p)| *p != pid);
            }
            continue;
        }
        let handler = handlers
            .iter()
            .find(|(s, _)| *s == sig)
            .map(|(_, h)| h)
            .or(default.as_ref());
        match handler {
            Some(h) if running.iter().all(|(s, _)| *s != sig) => {
                let mut henv = env.clone();
                henv.set(b"!".to_vec(), main.as_raw().to_string());
                henv.set(b"SIGNAL".to_vec(), (sig as i32).to_string());
                match spawn::spawn_with(h.clone(), &henv, restore) {
                    Ok(pid) => running.push((sig, pid)),
                    Err(e) => eprintln!("trap: warning: {e}"),
                }
            }
            Some(_) => {}
            None => {
                let _ = kill(main, sig);
            }
        }
    }
}
