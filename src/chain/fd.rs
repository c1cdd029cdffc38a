//! File-descriptor moves that the fd builtins share. Raw fds on purpose:
//! these commands work on numbers the user names, not on fds we own.

use std::os::fd::RawFd;

use nix::errno::Errno;

use crate::error::{Error, Result};

fn check(rc: libc::c_int, action: impl FnOnce() -> String) -> Result<libc::c_int> {
    if rc < 0 {
        Err(Error::sys(action(), Errno::last()))
    } else {
        Ok(rc)
    }
}

/// dup2 that retries on EINTR.
pub fn copy(to: RawFd, from: RawFd) -> Result<()> {
    loop {
        // SAFETY: dup2 only touches the fd table; both numbers come from the user.
        let rc = unsafe { libc::dup2(from, to) };
        if rc < 0 && Errno::last() == Errno::EINTR {
            continue;
        }
        check(rc, || format!("copy fd {from} to fd {to}"))?;
        return Ok(());
    }
}

/// Closes `fd`; closing an fd that is not open is not an error.
pub fn close(fd: RawFd) {
    // SAFETY: closing a user-named fd; we hold no Rust owner for it.
    unsafe { libc::close(fd) };
}

/// Moves `from` onto `to` (`to` ends up a copy and `from` is closed, unless they are the same).
pub fn move_fd(to: RawFd, from: RawFd) -> Result<()> {
    if to == from {
        return Ok(());
    }
    copy(to, from)?;
    close(from);
    Ok(())
}

/// Makes `fd` blocking or non-blocking.
pub fn set_blocking(fd: RawFd, blocking: bool) -> Result<()> {
    // SAFETY: fcntl on a user-named fd; no memory is involved.
    let flags = check(unsafe { libc::fcntl(fd, libc::F_GETFL) }, || {
        format!("get flags of fd {fd}")
    })?;
    let new = if blocking {
        flags & !libc::O_NONBLOCK
    } else {
        flags | libc::O_NONBLOCK
    };
    // SAFETY: as above.
    check(unsafe { libc::fcntl(fd, libc::F_SETFL, new) }, || {
        format!("set flags of fd {fd}")
    })?;
    Ok(())
}

/// Parses a file descriptor number.
pub fn parse(arg: &[u8]) -> Option<RawFd> {
    crate::chain::getopt::number(arg).and_then(|n| RawFd::try_from(n).ok())
}
