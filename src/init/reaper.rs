//! Collects every child that has ended, without blocking. SIGCHLD coalesces,
//! so one wake-up may stand for many deaths: reap until nothing is left.

use nix::sys::wait::WaitStatus;
use nix::unistd::Pid;

/// What one pass found: the dead children, and whether none is left at all.
pub struct Reaped {
    pub dead: Vec<(Pid, WaitStatus)>,
    pub none_left: bool,
}

pub fn reap_all() -> Reaped {
    // Room for the usual single death without growing on the shutdown path.
    let mut dead = Vec::with_capacity(4);
    loop {
        let mut status = 0;
        // SAFETY: waitpid writes only the status int owned here.
        let pid = unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) };
        if pid == 0 {
            return Reaped {
                dead,
                none_left: false,
            };
        }
        if pid < 0 {
            // With WNOHANG it never blocks, so never EINTR, and the options
            // are valid: the one error left is ECHILD, no child at all. Not
            // reading errno keeps its code off the shutdown path.
            return Reaped {
                dead,
                none_left: true,
            };
        }
        let pid = Pid::from_raw(pid);
        if let Ok(status) = WaitStatus::from_raw(pid, status) {
            dead.push((pid, status));
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
