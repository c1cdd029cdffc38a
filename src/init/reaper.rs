//! Collects every child that has ended, without blocking. SIGCHLD coalesces,
//! so one wake-up may stand for many deaths: reap until nothing is left.

use nix::errno::Errno;
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;

/// What one pass found: the dead children, and whether none is left at all.
pub struct Reaped {
    pub dead: Vec<(Pid, WaitStatus)>,
    pub none_left: bool,
}

pub fn reap_all() -> Reaped {
    let mut dead = Vec::new();
    loop {
        match waitpid(Pid::from_raw(-1), Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::StillAlive) => {
                return Reaped {
                    dead,
                    none_left: false,
                };
            }
            Ok(status) => {
                if let Some(pid) = status.pid() {
                    dead.push((pid, status));
                }
            }
            Err(Errno::EINTR) => {}
            Err(Errno::ECHILD) => {
                return Reaped {
                    dead,
                    none_left: true,
                };
            }
            Err(_) => {
                return Reaped {
                    dead,
                    none_left: false,
                };
            }
        }
    }
}

/// A child's status as a container exit code: its code, or 128+n for signal n.
pub fn exit_code(status: WaitStatus) -> i32 {
    match status {
        WaitStatus::Exited(_, code) => code,
        WaitStatus::Signaled(_, sig, _) => 128 + sig as i32,
        _ => 128,
    }
}
