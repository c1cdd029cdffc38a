//! The exit-code contract shared by every command (execline's exitcodes.html).

use nix::sys::wait::WaitStatus;

/// Bad usage or a permanent error.
pub const USAGE: i32 = 100;
/// A system call failed.
pub const SYSTEM: i32 = 111;
/// The next program exists but cannot be executed.
pub const CANNOT_EXEC: i32 = 126;
/// The next program was not found.
pub const NOT_FOUND: i32 = 127;

/// What an `if`-like command reports for a child: its code, 128 if that was
/// 128 or more, 128+n if it was killed by signal n.
pub fn approximate(status: WaitStatus) -> i32 {
    match status {
        WaitStatus::Exited(_, code) if code >= 128 => 128,
        WaitStatus::Exited(_, code) => code,
        WaitStatus::Signaled(_, sig, _) => 128 + sig as i32,
        _ => 128,
    }
}

/// What `foreground` puts in `?`: the exit code, or 256+n for signal n.
pub fn question_mark(status: WaitStatus) -> i32 {
    match status {
        WaitStatus::Exited(_, code) => code,
        WaitStatus::Signaled(_, sig, _) => 256 + sig as i32,
        _ => 256,
    }
}

/// True when the child exited with code 0.
pub fn succeeded(status: WaitStatus) -> bool {
    matches!(status, WaitStatus::Exited(_, 0))
}

/// True when the child was killed by a signal (a "crash" for `if -X`).
pub fn crashed(status: WaitStatus) -> bool {
    matches!(status, WaitStatus::Signaled(..))
}

#[cfg(test)]
mod tests {
    use super::*;
    use nix::sys::signal::Signal;
    use nix::unistd::Pid;

    #[test]
    fn approximation() {
        let p = Pid::from_raw(1);
        assert_eq!(approximate(WaitStatus::Exited(p, 3)), 3);
        assert_eq!(approximate(WaitStatus::Exited(p, 200)), 128);
        assert_eq!(
            approximate(WaitStatus::Signaled(p, Signal::SIGTERM, false)),
            143
        );
        assert_eq!(
            question_mark(WaitStatus::Signaled(p, Signal::SIGKILL, false)),
            265
        );
        assert_eq!(question_mark(WaitStatus::Exited(p, 200)), 200);
    }
}
