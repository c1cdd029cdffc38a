//! A service's `supervise/` directory as s6-supervise keeps it: mode 0700,
//! `lock` (a POSIX write lock held while supervised), the `control` FIFO
//! (held open for reading and writing, so writers never see ENXIO and the
//! reader never sees EOF), `status` and `death_tally`.

use std::io::Write;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use nix::fcntl::OFlag;
use nix::sys::stat::Mode;

/// The open control side of one supervised service.
pub struct SuperviseDir {
    pub service: PathBuf,
    _lock: OwnedFd,
    control: OwnedFd,
    _control_writer: OwnedFd,
    /// `death_tally`'s records (14 bytes each), truncated at start as by s6.
    tally: Vec<u8>,
}

fn open(path: &Path, flags: OFlag, mode: u32) -> std::io::Result<OwnedFd> {
    nix::fcntl::open(
        path,
        flags | OFlag::O_CLOEXEC,
        Mode::from_bits_truncate(mode),
    )
    .map_err(std::io::Error::from)
}

/// Takes a write lock on the whole of `fd` without waiting.
fn lock(fd: &OwnedFd) -> std::io::Result<()> {
    // SAFETY: flock is plain data; the zeroed value is a whole-file lock request.
    let mut fl: libc::flock = unsafe { std::mem::zeroed() };
    fl.l_type = libc::F_WRLCK as i16;
    fl.l_whence = libc::SEEK_SET as i16;
    // SAFETY: `fd` is open and `fl` a valid flock for the duration of the call.
    if unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETLK, &fl) } < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

impl SuperviseDir {
    /// Sets up `service/supervise` and `service/event`; fails if another
    /// supervisor holds the lock.
    pub fn take(service: &Path) -> std::io::Result<Self> {
        let dir = service.join("supervise");
        match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return Err(e),
            _ => {}
        }
        let lockfd = open(&dir.join("lock"), OFlag::O_WRONLY | OFlag::O_CREAT, 0o644)?;
        lock(&lockfd).map_err(|e| {
            if matches!(e.raw_os_error(), Some(libc::EAGAIN | libc::EACCES)) {
                std::io::Error::other("it is already supervised")
            } else {
                e
            }
        })?;
        let control = dir.join("control");
        match nix::unistd::mkfifo(&control, Mode::from_bits_truncate(0o600)) {
            Err(nix::errno::Errno::EEXIST) => {}
            r => r?,
        }
        let reader = open(&control, OFlag::O_RDONLY | OFlag::O_NONBLOCK, 0)?;
        let writer = open(&control, OFlag::O_WRONLY | OFlag::O_NONBLOCK, 0)?;
        std::fs::write(dir.join("death_tally"), b"")?;
        super::fifodir::make(&service.join("event"))?;
        super::fifodir::clean(&service.join("event"));
        Ok(SuperviseDir {
            service: service.to_path_buf(),
            _lock: lockfd,
            control: reader,
            _control_writer: writer,
            tally: Vec::new(),
        })
    }

    pub fn control_fd(&self) -> i32 {
        self.control.as_raw_fd()
    }

    /// The command bytes waiting in the control FIFO.
    pub fn read_commands(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut buf = [0u8; 64];
        while let Ok(n) = nix::unistd::read(&self.control, &mut buf) {
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        out
    }

    pub fn notify(&self, events: &[u8]) {
        super::fifodir::notify(&self.service.join("event"), events);
    }

    /// Appends one death (stamp, exit code or 128+n, signal) to
    /// `death_tally`, keeping the last `keep` records. The records are kept
    /// here too, so the file is only ever written, never read back.
    pub fn record_death(
        &mut self,
        when: SystemTime,
        wstat: u16,
        keep: usize,
    ) -> std::io::Result<()> {
        let path = self.service.join("supervise/death_tally");
        // s6-svdt-clear (or anyone) changed the file: start again from it.
        if std::fs::metadata(&path).map(|m| m.len()).ok() != Some(self.tally.len() as u64) {
            self.tally = std::fs::read(&path).unwrap_or_default();
            self.tally
                .truncate(self.tally.len() - self.tally.len() % 14);
        }
        let sig = (wstat & 0x7f) as u8;
        let code = if sig != 0 {
            128 + sig
        } else {
            (wstat >> 8) as u8
        };
        self.tally.extend_from_slice(&super::tai64n::pack(when));
        self.tally.extend_from_slice(&[code, sig]);
        let drop = (self.tally.len() / 14).saturating_sub(keep) * 14;
        self.tally.drain(..drop);
        let tmp = self.service.join("supervise/death_tally.new");
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o644)
            .open(&tmp)?
            .write_all(&self.tally)?;
        std::fs::rename(tmp, path)
    }
}

/// s6-svok's test: a supervisor is reading the control FIFO.
pub fn is_supervised(service: &Path) -> bool {
    open(
        &service.join("supervise/control"),
        OFlag::O_WRONLY | OFlag::O_NONBLOCK,
        0,
    )
    .is_ok()
}

/// Writes command bytes to a service's control FIFO, as s6-svc does.
pub fn send_commands(service: &Path, commands: &[u8]) -> std::io::Result<()> {
    let fd = open(
        &service.join("supervise/control"),
        OFlag::O_WRONLY | OFlag::O_NONBLOCK,
        0,
    )?;
    let mut done = 0;
    while done < commands.len() {
        done += nix::unistd::write(&fd, &commands[done..]).map_err(std::io::Error::from)?;
    }
    Ok(())
}
