//! File-descriptor moves that the fd builtins share. Raw fds on purpose:
//! these commands work on numbers the user names, not on fds we own.

use std::os::fd::RawFd;

use nix::errno::Errno;

use crate::error::{Error, Result};

/// Every fd number this process (or the one it was forked from) made
/// survive an exec with `copy` or `keep_on_exec`: with those inherited at
/// start, the only ones an in-process script must keep (chain::shebang).
static KEPT: std::sync::Mutex<Vec<RawFd>> = std::sync::Mutex::new(Vec::new());

fn note_kept(fd: RawFd) {
    if let Ok(mut kept) = KEPT.lock()
        && !kept.contains(&fd)
    {
        kept.push(fd);
    }
}

/// The fd numbers `copy` and `keep_on_exec` have touched.
pub fn kept() -> Vec<RawFd> {
    KEPT.lock().map(|k| k.clone()).unwrap_or_default()
}

fn check(rc: libc::c_int, action: impl FnOnce() -> String) -> Result<libc::c_int> {
    if rc < 0 {
        Err(Error::sys(action(), Errno::last()))
    } else {
        Ok(rc)
    }
}

/// dup2 that retries on EINTR; a failure is reported as execline words it
/// for fdmove, with or without `-c`.
pub fn copy(to: RawFd, from: RawFd) -> Result<()> {
    loop {
        // SAFETY: dup2 only touches the fd table; both numbers come from the user.
        let rc = unsafe { libc::dup2(from, to) };
        if rc < 0 && Errno::last() == Errno::EINTR {
            continue;
        }
        check(rc, || format!("move fd {from} to fd {to}"))?;
        note_kept(to);
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

/// A close-on-exec pipe: (read end, write end).
pub fn pipe() -> Result<(std::os::fd::OwnedFd, std::os::fd::OwnedFd)> {
    nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(|e| Error::sys("create pipe", e))
}

/// Reads `fd` to end of file.
pub fn read_all(fd: impl Into<std::os::fd::OwnedFd>, what: &str) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    std::fs::File::from(fd.into())
        .read_to_end(&mut out)
        .map_err(|e| Error::sys(format!("read from {what}"), crate::error::errno_of(&e)))?;
    Ok(out)
}

/// In a child: puts `from` on `to` and closes both ends of the pipe it came from.
pub fn child_stdio(to: RawFd, from: RawFd, other: RawFd) -> Result<()> {
    if from == to {
        keep_on_exec(to)?;
    } else {
        copy(to, from)?;
        close(from);
    }
    if other != to {
        close(other);
    }
    Ok(())
}

/// Clears close-on-exec on `fd`.
pub fn keep_on_exec(fd: RawFd) -> Result<()> {
    // SAFETY: fcntl on a user-named fd; no memory is involved.
    check(unsafe { libc::fcntl(fd, libc::F_SETFD, 0) }, || {
        format!("clear close-on-exec on fd {fd}")
    })?;
    note_kept(fd);
    Ok(())
}

/// Puts the pipe end `owned` on fd `to`, for good (no longer close-on-exec).
pub fn install(to: RawFd, owned: std::os::fd::OwnedFd) -> Result<()> {
    use std::os::fd::{AsRawFd, IntoRawFd};
    if owned.as_raw_fd() == to {
        keep_on_exec(to)?;
        let _ = owned.into_raw_fd();
        return Ok(());
    }
    copy(to, owned.as_raw_fd())
}

/// True when `fd` is open in this process.
pub fn is_open(fd: RawFd) -> bool {
    // SAFETY: F_GETFD only queries the fd table.
    unsafe { libc::fcntl(fd, libc::F_GETFD) >= 0 }
}

/// How many bytes wait to be read on `fd` (a pipe); `None` if unknown.
pub fn unread(fd: RawFd) -> Option<usize> {
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD writes one int through the pointer we pass.
    let r = unsafe { libc::ioctl(fd, libc::FIONREAD, &mut n) };
    (r == 0).then(|| usize::try_from(n).unwrap_or(0))
}

/// Copies of fds taken before changing them in-process (None: it was
/// closed); dropping puts each back as it was.
#[derive(Default)]
pub struct Saved(Vec<(RawFd, Option<std::os::fd::OwnedFd>)>);

impl Saved {
    /// Saves each of `fds` not saved yet; false if one cannot be (no fd
    /// left for the copy), in which case the caller forks instead.
    pub fn keep(&mut self, fds: &[RawFd]) -> bool {
        use std::os::fd::FromRawFd;
        for &fd in fds {
            if self.0.iter().any(|(f, _)| *f == fd) {
                continue;
            }
            // SAFETY: F_DUPFD_CLOEXEC on any fd number; a closed one fails with EBADF.
            let copy = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 10) };
            if copy >= 0 {
                // SAFETY: a fresh fd that nothing else owns.
                let owned = unsafe { std::os::fd::OwnedFd::from_raw_fd(copy) };
                self.0.push((fd, Some(owned)));
            } else if nix::errno::Errno::last() == nix::errno::Errno::EBADF {
                self.0.push((fd, None));
            } else {
                return false;
            }
        }
        true
    }
}

impl Drop for Saved {
    fn drop(&mut self) {
        use std::os::fd::AsRawFd;
        for (fd, copy) in self.0.drain(..).rev() {
            // SAFETY: restores or closes an fd this chain changed itself.
            unsafe {
                match copy {
                    Some(c) => libc::dup2(c.as_raw_fd(), fd),
                    None => libc::close(fd),
                };
            }
        }
    }
}
