//! Fork a child that keeps interpreting the chain in-process, and wait for it.

use nix::errno::Errno;
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork};

use super::state::Env;
use crate::error::{Error, Result};

/// Starts `argv` as a child chain; the child never returns here.
pub fn spawn(argv: Vec<Vec<u8>>, env: &Env) -> Result<Pid> {
    // SAFETY: chainit is single-threaded, so the child may run any code.
    match unsafe { fork() } {
        Ok(ForkResult::Child) => super::run(argv, env.clone()),
        Ok(ForkResult::Parent { child }) => Ok(child),
        Err(e) => Err(Error::sys("fork", e)),
    }
}

/// Waits for one child to terminate.
pub fn wait_for(pid: Pid) -> Result<WaitStatus> {
    loop {
        match waitpid(pid, None) {
            Ok(s @ (WaitStatus::Exited(..) | WaitStatus::Signaled(..))) => return Ok(s),
            Ok(_) | Err(Errno::EINTR) => {}
            Err(e) => return Err(Error::sys("wait for child", e)),
        }
    }
}

/// Runs `argv` as a child chain and returns how it ended.
pub fn run_and_wait(argv: Vec<Vec<u8>>, env: &Env) -> Result<WaitStatus> {
    let pid = spawn(argv, env)?;
    wait_for(pid)
}

/// Forks twice so the work runs in a grandchild that this process never has
/// to reap; returns the grandchild's pid. `work` runs in the grandchild.
pub fn double_fork(work: impl FnOnce()) -> Result<Pid> {
    let (r, w) = nix::unistd::pipe().map_err(|e| Error::sys("create pipe", e))?;
    // SAFETY: single-threaded; see `spawn`.
    match unsafe { fork() } {
        Err(e) => Err(Error::sys("fork", e)),
        Ok(ForkResult::Child) => {
            drop(r);
            // SAFETY: as above.
            match unsafe { fork() } {
                Ok(ForkResult::Child) => {
                    drop(w);
                    work();
                    std::process::exit(0)
                }
                Ok(ForkResult::Parent { child }) => {
                    let _ = nix::unistd::write(&w, &child.as_raw().to_ne_bytes());
                    std::process::exit(0)
                }
                Err(_) => std::process::exit(crate::exit::SYSTEM),
            }
        }
        Ok(ForkResult::Parent { child }) => {
            drop(w);
            let mut buf = [0u8; 4];
            let n = nix::unistd::read(&r, &mut buf).map_err(|e| Error::sys("read pipe", e))?;
            wait_for(child)?;
            if n != 4 {
                return Err(Error::sys("fork", Errno::EAGAIN));
            }
            Ok(Pid::from_raw(i32::from_ne_bytes(buf)))
        }
    }
}
