//! `s6-fghack prog...`: keep a self-backgrounding daemon's supervisor
//! attached. prog inherits 30 copies of a pipe's write end; the pipe reads
//! EOF only once every process holding one (the daemon and its children)
//! has exited, which is when this ends, with prog's code (128+n for signal
//! n). A byte written on the pipe is a bug in prog: exit 102. Obsolescent:
//! s6-background-watch does this properly.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use nix::sys::wait::WaitStatus;

use crate::chain::{Env, Step};
use crate::error::{Error, Result, show};

pub const USAGE: &str = "s6-fghack prog...";

/// The number of inheritable copies of the write end.
const COPIES: usize = 30;

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    if argv.len() < 2 {
        return Err(crate::builtins::usage());
    }
    eprintln!(
        "s6-fghack: warning: this program is obsolescent, please use s6-background-watch instead"
    );
    let (read, write) = crate::chain::fd::pipe()
        .map_err(|_| Error::sys("create hackpipe", nix::errno::Errno::last()))?;
    let mut copies = Vec::with_capacity(COPIES);
    for _ in 0..COPIES {
        // SAFETY: dup of an fd we own; the copy (inheritable) is owned below.
        let fd = unsafe { libc::dup(write.as_raw_fd()) };
        if fd >= 0 {
            // SAFETY: a fresh fd that nothing else owns.
            copies.push(unsafe { OwnedFd::from_raw_fd(fd) });
        }
    }
    let child = crate::chain::spawn::spawn(argv[1..].to_vec(), env).map_err(|e| match e {
        Error::Spawn { prog, errno } => Error::sys(format!("spawn {prog}"), errno),
        other => other,
    })?;
    drop(write);
    drop(copies);
    let mut byte = [0u8; 1];
    let n = loop {
        match nix::unistd::read(&read, &mut byte) {
            Err(nix::errno::Errno::EINTR) => continue,
            Err(e) => return Err(Error::sys("read on hackpipe", e)),
            Ok(n) => break n,
        }
    };
    if n > 0 {
        return Err(Error::Refused(
            102,
            format!("{} wrote on hackpipe", show(&argv[1])),
        ));
    }
    let code = match crate::chain::spawn::wait_for(child)? {
        WaitStatus::Exited(_, code) => code,
        WaitStatus::Signaled(_, sig, _) => 128 + sig as i32,
        _ => 111,
    };
    Ok(Step::Exit(code))
}
