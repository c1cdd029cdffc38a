//! `s6-maximumtime [-0|-a|-b|-i|-k|-q|-t|-x|-1|-2] ms prog...`: run prog as
//! a child; if it has not ended after ms milliseconds, send it a signal
//! (TERM by default; none with `-0`) and exit 99, else exit with its code.

use std::time::Duration;

use nix::sys::wait::WaitStatus;

use crate::builtins::options;
use crate::chain::getopt::number;
use crate::chain::spawn::{ends_within, spawn, wait_for};
use crate::chain::{Env, Step};
use crate::error::Result;

pub const USAGE: &str =
    "s6-maximumtime [ -0 | -a | -b | -i | -k | -q | -t | -x | -1 | -2 ] milliseconds prog...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "0abikqtx12")?;
    let mut signal = Some(libc::SIGTERM);
    for (c, _) in opts {
        signal = match c {
            b'0' => None,
            b'a' => Some(libc::SIGALRM),
            b'b' => Some(libc::SIGABRT),
            b'i' => Some(libc::SIGINT),
            b'k' => Some(libc::SIGKILL),
            b'q' => Some(libc::SIGQUIT),
            b'x' => Some(libc::SIGXCPU),
            b'1' => Some(libc::SIGUSR1),
            b'2' => Some(libc::SIGUSR2),
            _ => Some(libc::SIGTERM),
        };
    }
    let ms = argv
        .get(first + 1)
        .and_then(|m| number(m))
        .ok_or_else(crate::builtins::usage)?;
    let prog = argv[first + 2..].to_vec();
    if prog.is_empty() {
        return Err(crate::builtins::usage());
    }
    let pid = spawn(prog, env)?;
    if !ends_within(pid, Duration::from_millis(ms)) {
        if let Some(sig) = signal {
            let _ = crate::sig::send(pid.as_raw(), sig);
        }
        eprintln!("s6-maximumtime: warning: unable to wait for child process: Operation timed out");
        return Ok(Step::Exit(99));
    }
    let status = wait_for(pid)?;
    Ok(Step::Exit(match status {
        WaitStatus::Exited(_, code) => code,
        WaitStatus::Signaled(_, sig, _) => 128 + sig as i32,
        _ => 111,
    }))
}
