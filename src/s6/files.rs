//! The file mechanics s6's on-disk protocol is made of, once: close-on-exec
//! opens, whole-file write locks, control FIFOs held open both ways,
//! draining a non-blocking fd, and clearing a path for a new file.

use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::path::Path;

use nix::fcntl::OFlag;
use nix::sys::stat::Mode;

pub fn open(path: &Path, flags: OFlag, mode: u32) -> std::io::Result<OwnedFd> {
    nix::fcntl::open(
        path,
        flags | OFlag::O_CLOEXEC,
        Mode::from_bits_truncate(mode),
    )
    .map_err(std::io::Error::from)
}

/// Creates `path` if needed and takes a POSIX write lock on it without
/// waiting; `Ok(None)` when someone else holds it.
pub fn write_lock(path: &Path, mode: u32) -> std::io::Result<Option<OwnedFd>> {
    let fd = open(path, OFlag::O_WRONLY | OFlag::O_CREAT, mode)?;
    // SAFETY: flock is plain data; zeroed is a whole-file request.
    let mut fl: libc::flock = unsafe { std::mem::zeroed() };
    fl.l_type = libc::F_WRLCK as i16;
    fl.l_whence = libc::SEEK_SET as i16;
    // SAFETY: `fd` is open and `fl` valid for the duration of the call.
    if unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETLK, &fl) } < 0 {
        let e = std::io::Error::last_os_error();
        return match e.raw_os_error() {
            Some(libc::EAGAIN | libc::EACCES) => Ok(None),
            _ => Err(e),
        };
    }
    Ok(Some(fd))
}

/// Opens the FIFO at `path` for writing without blocking, for a root
/// supervisor writing where others may create names (a fifodir's
/// listeners, a client's reply FIFO): a symlink is not followed and
/// anything but a FIFO is refused (EINVAL), so a planted link or file
/// cannot turn the write onto another file.
pub fn open_fifo_writer(path: &Path) -> std::io::Result<OwnedFd> {
    let fd = open(
        path,
        OFlag::O_WRONLY | OFlag::O_NONBLOCK | OFlag::O_NOFOLLOW,
        0,
    )?;
    let st = nix::sys::stat::fstat(&fd)?;
    if st.st_mode & libc::S_IFMT != libc::S_IFIFO {
        return Err(std::io::Error::from_raw_os_error(libc::EINVAL));
    }
    Ok(fd)
}

/// Makes the FIFO at `path` (if missing) and opens it for reading and for
/// writing, so writers never see ENXIO and the reader never sees EOF.
pub fn control_fifo(path: &Path, mode: u32) -> std::io::Result<(OwnedFd, OwnedFd)> {
    match nix::unistd::mkfifo(path, Mode::from_bits_truncate(mode)) {
        Ok(()) | Err(nix::errno::Errno::EEXIST) => {}
        Err(e) => return Err(e.into()),
    }
    let reader = open(path, OFlag::O_RDONLY | OFlag::O_NONBLOCK, 0)?;
    let writer = open(path, OFlag::O_WRONLY | OFlag::O_NONBLOCK, 0)?;
    Ok((reader, writer))
}

/// What is readable now from a non-blocking fd, up to `DRAIN_MAX` bytes.
pub fn drain(fd: impl AsFd) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    // At most this much a call: a writer that never stops must not keep
    // the reader (PID 1, say) in this loop or grow its memory; the rest is
    // read at the next wake-up.
    while out.len() < DRAIN_MAX {
        match nix::unistd::read(&fd, &mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
    out
}

/// What one `drain` reads at most.
pub const DRAIN_MAX: usize = 64 * 1024;

/// Removes whatever is at `path` (a directory with all it holds, a file, a
/// link itself, never its target); nothing there is not an error.
pub fn remove_any(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Whether some process holds a POSIX lock on `path` (a scanner on its
/// `.s6-svscan/lock`, a supervisor on `supervise/lock`).
pub fn is_locked(path: &Path) -> std::io::Result<bool> {
    use std::os::fd::AsRawFd;
    let file = std::fs::File::open(path)?;
    // SAFETY: flock is plain data; zero is a valid start.
    let mut fl: libc::flock = unsafe { std::mem::zeroed() };
    fl.l_type = libc::F_RDLCK as i16;
    fl.l_whence = libc::SEEK_SET as i16;
    // SAFETY: F_GETLK fills the flock struct we own.
    if unsafe { libc::fcntl(file.as_raw_fd(), libc::F_GETLK, &mut fl) } < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(fl.l_type != libc::F_UNLCK as i16)
}
