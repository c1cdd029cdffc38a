//! The `event/` fifodir: a listener makes a FIFO named
//! `ftrig1:@<TAI64N>:<6 chars>` in it; the supervisor writes each event byte
//! to every such FIFO without blocking, and removes those nobody reads.

use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

use nix::fcntl::OFlag;
use nix::sys::stat::Mode;

const PREFIX: &str = "ftrig1:@";
/// `ftrig1` + `:@` + 24 hex digits + `:` + 6 characters.
const NAME_LEN: usize = 6 + 33;

/// Creates the fifodir as s6 does: setgid and sticky, writable by the group
/// (so listeners of that group can subscribe) and by nobody else.
/// Returns whether it was already there (and may hold stale FIFOs).
pub fn make(dir: &Path) -> std::io::Result<bool> {
    let existed = match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => false,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => true,
        Err(e) => return Err(e),
    };
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o3730))?;
    Ok(existed)
}

/// Creates a fifodir as s6-mkfifodir does: open to anyone (sticky, 1733),
/// or setgid and open to group `gid` only (3730). An existing directory is
/// left as it is unless `force`.
pub fn make_for(dir: &Path, gid: Option<u32>, force: bool) -> std::io::Result<()> {
    match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && !force => return Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    let mode = match gid {
        Some(g) => {
            nix::unistd::chown(dir, None, Some(nix::unistd::Gid::from_raw(g)))?;
            0o3730
        }
        None => 0o1733,
    };
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode))
}

fn listeners(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| {
            let n = e.file_name();
            let n = n.as_encoded_bytes();
            n.len() == NAME_LEN && n.starts_with(PREFIX.as_bytes())
        })
        .map(|e| e.path())
        .collect()
}

/// Writes `events` to every listener; a FIFO with no reader is stale.
pub fn notify(dir: &Path, events: &[u8]) {
    for fifo in listeners(dir) {
        deliver(&fifo, events);
    }
}

fn deliver(fifo: &Path, events: &[u8]) {
    match super::files::open_fifo_writer(fifo) {
        Ok(fd) => {
            if let Err(e) = nix::unistd::write(&fd, events)
                && e == nix::errno::Errno::EPIPE
            {
                let _ = std::fs::remove_file(fifo);
            }
        }
        Err(e) if e.raw_os_error() == Some(libc::ENXIO) => {
            let _ = std::fs::remove_file(fifo);
        }
        // A link or a file planted under a listener's name (ELOOP, EINVAL)
        // is left alone, and nothing is written through it.
        Err(_) => {}
    }
}

/// A fifodir held open by its supervisor: each notification reads it again
/// from the start instead of opening it anew.
pub struct Held {
    dir: PathBuf,
    fd: OwnedFd,
}

impl Held {
    pub fn open(dir: &Path) -> std::io::Result<Self> {
        let fd = nix::fcntl::open(
            dir,
            OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
            Mode::empty(),
        )?;
        Ok(Held {
            dir: dir.to_path_buf(),
            fd,
        })
    }

    /// The listeners' FIFOs now in the directory.
    fn listeners(&self) -> Vec<PathBuf> {
        let fd = self.fd.as_raw_fd();
        // SAFETY: lseek on a directory fd we own rewinds its listing.
        if unsafe { libc::lseek(fd, 0, libc::SEEK_SET) } < 0 {
            return listeners(&self.dir);
        }
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            // SAFETY: getdents64 fills at most buf.len() bytes of buf.
            let n = unsafe { libc::syscall(libc::SYS_getdents64, fd, buf.as_mut_ptr(), buf.len()) };
            if n <= 0 {
                break;
            }
            let mut at = 0usize;
            while at + 19 <= n as usize {
                // struct linux_dirent64: ino u64, off i64, reclen u16, type u8, name…
                let reclen = u16::from_ne_bytes([buf[at + 16], buf[at + 17]]) as usize;
                if reclen == 0 {
                    break;
                }
                let name = &buf[at + 19..(at + reclen).min(n as usize)];
                let name = &name[..name.iter().position(|&c| c == 0).unwrap_or(name.len())];
                if name.len() == NAME_LEN && name.starts_with(PREFIX.as_bytes()) {
                    use std::os::unix::ffi::OsStrExt;
                    out.push(self.dir.join(std::ffi::OsStr::from_bytes(name)));
                }
                at += reclen;
            }
        }
        out
    }

    pub fn notify(&self, events: &[u8]) {
        for fifo in self.listeners() {
            deliver(&fifo, events);
        }
    }
}

/// Removes FIFOs left by listeners that are gone (at supervision start).
pub fn clean(dir: &Path) {
    notify(dir, b"");
}

/// A subscription: our FIFO in the fifodir, open for reading (and writing,
/// so that it never reads EOF). Removed when dropped.
pub struct Listener {
    path: PathBuf,
    read: OwnedFd,
    _write: OwnedFd,
}

impl Listener {
    pub fn subscribe(dir: &Path) -> std::io::Result<Self> {
        let stamp = super::tai64n::label(std::time::SystemTime::now());
        let tail = format!("{:06x}", std::process::id() & 0xff_ffff);
        let name = format!("ftrig1:{stamp}:{tail}");
        let hidden = dir.join(format!(".{name}"));
        let path = dir.join(name);
        nix::unistd::mkfifo(&hidden, Mode::from_bits_truncate(0o622))?;
        let open = |flags| {
            nix::fcntl::open(&hidden, flags | OFlag::O_CLOEXEC, Mode::empty())
                .map_err(std::io::Error::from)
        };
        let opened = open(OFlag::O_RDONLY | OFlag::O_NONBLOCK)
            .and_then(|r| Ok((r, open(OFlag::O_WRONLY)?)))
            .and_then(|fds| std::fs::rename(&hidden, &path).map(|()| fds));
        match opened {
            Ok((read, write)) => Ok(Listener {
                path,
                read,
                _write: write,
            }),
            Err(e) => {
                let _ = std::fs::remove_file(&hidden);
                Err(e)
            }
        }
    }

    pub fn raw_fd(&self) -> i32 {
        self.read.as_raw_fd()
    }

    /// Both fds of the subscription, for a process that hands it to a child
    /// and must close its own copies without unsubscribing.
    pub fn raw_fds(&self) -> [i32; 2] {
        [self.read.as_raw_fd(), self._write.as_raw_fd()]
    }

    /// The event bytes that arrived so far.
    pub fn read(&self) -> Vec<u8> {
        super::files::drain(&self.read)
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
