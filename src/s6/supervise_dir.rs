//! A service's `supervise/` directory as s6-supervise keeps it: mode 0700,
//! `lock` (a POSIX write lock held while supervised), the `control` FIFO
//! (held open for reading and writing, so writers never see ENXIO and the
//! reader never sees EOF), `status` and `death_tally`.

use std::io::Write;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::files::{control_fifo, open, write_lock};
use nix::fcntl::OFlag;

/// The open control side of one supervised service.
pub struct SuperviseDir {
    pub service: PathBuf,
    /// The lock and both ends of the control FIFO; None once released.
    held: Option<(OwnedFd, OwnedFd, OwnedFd)>,
    /// `event/`, held open (None if it could not be: then opened each time).
    event: Option<super::fifodir::Held>,
}

impl SuperviseDir {
    /// Sets up `service/supervise` and `service/event`; fails if another
    /// supervisor holds the lock.
    /// Everything is in place — the status file holding `initial` first —
    /// before the control FIFO is opened, which is what tells clients
    /// (s6-svok) that the service is supervised.
    pub fn take(service: &Path, initial: &super::status::Status) -> std::io::Result<Self> {
        let dir = service.join("supervise");
        match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return Err(e),
            _ => {}
        }
        let lockfd = write_lock(&dir.join("lock"), 0o644)?
            .ok_or_else(|| std::io::Error::other("it is already supervised"))?;
        std::fs::write(dir.join("death_tally"), b"")?;
        // A fifodir made just now has no stale listeners to clear.
        if super::fifodir::make(&service.join("event"))? {
            super::fifodir::clean(&service.join("event"));
        }
        initial.write(service)?;
        let (reader, writer) = control_fifo(&dir.join("control"), 0o600)?;
        Ok(SuperviseDir {
            service: service.to_path_buf(),
            held: Some((lockfd, reader, writer)),
            event: super::fifodir::Held::open(&service.join("event")).ok(),
        })
    }

    pub fn control_fd(&self) -> i32 {
        self.held
            .as_ref()
            .map_or(-1, |(_, control, _)| control.as_raw_fd())
    }

    /// The command bytes waiting in the control FIFO.
    pub fn read_commands(&self) -> Vec<u8> {
        match &self.held {
            Some((_, control, _)) => super::files::drain(control),
            None => Vec::new(),
        }
    }

    /// Ends supervision as an exiting s6-supervise does: the lock and the
    /// control FIFO are closed, so s6-svok says "not supervised" and
    /// another supervisor may take the directory.
    pub fn release(&mut self) {
        self.held = None;
    }

    pub fn notify(&self, events: &[u8]) {
        match &self.event {
            Some(held) => held.notify(events),
            None => super::fifodir::notify(&self.service.join("event"), events),
        }
    }

    /// Appends one death (stamp, exit code or 128+n, signal) to
    /// `death_tally`, keeping the last `keep` records. The file is read
    /// back each time rather than mirrored here: up to 100 records for
    /// each of hundreds of services would be most of an idle init's heap,
    /// and s6-svdt-clear may empty it at any time.
    pub fn record_death(&self, when: SystemTime, wstat: u16, keep: usize) -> std::io::Result<()> {
        let path = self.service.join("supervise/death_tally");
        let mut tally = std::fs::read(&path).unwrap_or_default();
        tally.truncate(tally.len() - tally.len() % 14);
        let sig = (wstat & 0x7f) as u8;
        let code = if sig != 0 {
            128 + sig
        } else {
            (wstat >> 8) as u8
        };
        tally.extend_from_slice(&super::tai64n::pack(when));
        tally.extend_from_slice(&[code, sig]);
        let drop = (tally.len() / 14).saturating_sub(keep) * 14;
        let tmp = self.service.join("supervise/death_tally.new");
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o644)
            .open(&tmp)?
            .write_all(&tally[drop..])?;
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
    write_fifo(&service.join("supervise/control"), commands)
}

/// Writes to a control FIFO without waiting for a reader (ENXIO if none).
fn write_fifo(fifo: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let fd = open(fifo, OFlag::O_WRONLY | OFlag::O_NONBLOCK, 0)?;
    let mut done = 0;
    while done < bytes.len() {
        done += nix::unistd::write(&fd, &bytes[done..]).map_err(std::io::Error::from)?;
    }
    Ok(())
}

/// Writes command bytes to a scanner's `.s6-svscan/control`, as
/// s6-svscanctl does; ENXIO when no scanner reads it.
pub fn control_scanner(scandir: &Path, commands: &[u8]) -> std::io::Result<()> {
    write_fifo(&scandir.join(".s6-svscan/control"), commands)
}
