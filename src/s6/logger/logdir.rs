//! One s6-log logdir: `lock` held while logging, lines appended to
//! `current`, rotation to `@TAI64N.s` (through a processor if one is set),
//! old archives removed beyond `n` files or `S` bytes, and `current` marked
//! user-executable when it was closed cleanly. An unclean `current` found
//! at start is archived as `@TAI64N.u`.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::script::{DirSettings, Processor};
use super::spool::Mark;
use crate::s6::tai64n;

pub struct Logdir {
    pub settings: DirSettings,
    current: File,
    size: u64,
    /// `current`'s device and inode, for the spool's marks.
    id: (u64, u64),
    _lock: OwnedFd,
    /// Lines appended and not yet written: `flush` writes them in one go
    /// (what a failed write left, on a full disk say, stays here).
    pending: Vec<u8>,
}

fn lock(path: &Path) -> std::io::Result<OwnedFd> {
    crate::s6::files::write_lock(path, 0o644)?
        .ok_or_else(|| std::io::Error::other("another s6-log holds its lock"))
}

/// Makes the logdir if it is missing and takes its lock.
pub fn create_and_lock(dir: &Path) -> std::io::Result<OwnedFd> {
    if let Err(e) = std::fs::DirBuilder::new().mode(0o700).create(dir)
        && e.kind() != std::io::ErrorKind::AlreadyExists
    {
        return Err(e);
    }
    lock(&dir.join("lock"))
}

fn open_current(dir: &Path) -> std::io::Result<(File, u64, (u64, u64))> {
    let path = dir.join("current");
    let f = OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o644)
        .open(&path)?;
    // Not executable while being written: an unclean stop is visible.
    f.set_permissions(std::fs::Permissions::from_mode(0o644))?;
    let m = f.metadata()?;
    Ok((f, m.len(), (m.dev(), m.ino())))
}

fn archive_name(dir: &Path, suffix: &str) -> PathBuf {
    dir.join(format!(
        "{}.{suffix}",
        tai64n::label(std::time::SystemTime::now())
    ))
}

impl Logdir {
    /// Opens the logdir (`lock`: its lock, if the caller took it). A
    /// `current` named in `undo` is first cut back to the size recorded
    /// there: the lines past it belong to a batch the spool still holds.
    pub fn open(
        settings: DirSettings,
        lock: Option<OwnedFd>,
        undo: &[Mark],
    ) -> std::io::Result<Self> {
        let dir = settings.path.clone();
        let lockf = match lock {
            Some(l) => l,
            None => create_and_lock(&dir)?,
        };
        if !dir.join("state").exists() {
            File::create(dir.join("state"))?;
        }
        // A logger killed while rotating: the rotation is finished first,
        // as `previous` holds older lines than `current`.
        if dir.join("previous").exists() {
            archive_previous(&settings)?;
        }
        let current = dir.join("current");
        if let Ok(m) = std::fs::metadata(&current)
            && let Some(mark) = undo
                .iter()
                .find(|k| (k.dev, k.ino) == (m.dev(), m.ino()) && k.size <= m.len())
        {
            OpenOptions::new()
                .write(true)
                .open(&current)?
                .set_len(mark.size)?;
        }
        if let Ok(m) = std::fs::metadata(&current)
            && m.permissions().mode() & 0o100 == 0
            && m.len() > 0
        {
            std::fs::rename(&current, archive_name(&dir, "u"))?;
        }
        let (current, size, id) = open_current(&dir)?;
        Ok(Logdir {
            settings,
            current,
            size,
            id,
            _lock: lockf,
            pending: Vec::new(),
        })
    }

    pub fn mark(&self) -> Mark {
        Mark {
            dev: self.id.0,
            ino: self.id.1,
            size: self.size,
        }
    }

    /// A line of `len` bytes would take `current` past the size limit:
    /// it is rotated first.
    pub fn full_before(&self, len: usize) -> bool {
        self.size > 0 && self.size + len as u64 > self.settings.max_size
    }

    /// `current` is within the tolerance of the size limit: it is rotated
    /// after the line that took it there.
    pub fn full_after(&self) -> bool {
        self.size > 0
            && self.size
                >= self
                    .settings
                    .max_size
                    .saturating_sub(self.settings.tolerance)
    }

    /// Appends one line (with its newline) to what `flush` writes; the
    /// size counts it at once. The logger rotates.
    pub fn append(&mut self, line: &[u8]) {
        self.pending.extend_from_slice(line);
        self.size += line.len() as u64;
    }

    /// Writes the lines appended. On an error the unwritten part stays,
    /// and the logger reads nothing more until it is written, so its
    /// writers wait and no line is lost or written twice.
    pub fn flush(&mut self) -> std::io::Result<()> {
        let mut done = 0;
        let r = loop {
            if done == self.pending.len() {
                break Ok(());
            }
            match self.current.write(&self.pending[done..]) {
                Ok(0) => break Err(std::io::ErrorKind::WriteZero.into()),
                Ok(n) => done += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => break Err(e),
            }
        };
        self.pending.drain(..done);
        r
    }

    pub fn rotate(&mut self) -> std::io::Result<()> {
        if self.size == 0 {
            return Ok(());
        }
        let dir = self.settings.path.clone();
        self.current.sync_all()?;
        std::fs::rename(dir.join("current"), dir.join("previous"))?;
        archive_previous(&self.settings)?;
        self.prune()?;
        let (current, size, id) = open_current(&dir)?;
        self.current = current;
        self.size = size;
        self.id = id;
        Ok(())
    }

    /// Removes the oldest archives beyond `n` files and `S` bytes.
    fn prune(&self) -> std::io::Result<()> {
        let mut archives: Vec<(String, u64)> = std::fs::read_dir(&self.settings.path)?
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let archive =
                    name.starts_with('@') && (name.ends_with(".s") || name.ends_with(".u"));
                archive.then(|| (name, e.metadata().map_or(0, |m| m.len())))
            })
            .collect();
        archives.sort();
        let keep = self.settings.keep as usize;
        let mut total: u64 = archives.iter().map(|a| a.1).sum();
        let excess = archives.len().saturating_sub(keep);
        for (i, (name, size)) in archives.iter().enumerate() {
            let over_total = self.settings.total_size > 0 && total > self.settings.total_size;
            if i < excess || over_total {
                std::fs::remove_file(self.settings.path.join(name))?;
                total -= size;
            }
        }
        Ok(())
    }

    /// A clean stop: everything on disk, `current` marked finished (u+x).
    pub fn finish(&mut self) -> std::io::Result<()> {
        self.current.sync_all()?;
        self.current
            .set_permissions(std::fs::Permissions::from_mode(0o744))
    }
}

/// Turns `previous` into an archive, through the processor if one is set.
fn archive_previous(settings: &DirSettings) -> std::io::Result<()> {
    let dir = &settings.path;
    let previous = dir.join("previous");
    let archive = archive_name(dir, "s");
    match &settings.processor {
        None => std::fs::rename(&previous, &archive)?,
        Some(p) => {
            if let Err(e) = process(dir, p, &previous, &archive) {
                eprintln!(
                    "s6-log: warning: processor failed in {}: {e}; archiving unprocessed",
                    dir.display()
                );
                std::fs::rename(&previous, &archive)?;
            }
        }
    }
    std::fs::set_permissions(&archive, std::fs::Permissions::from_mode(0o744))
}

/// Runs the processor in the logdir: `previous` on stdin, the archive from
/// its stdout, `state` on fd 4 and the next state from fd 5.
fn process(dir: &Path, p: &Processor, previous: &Path, archive: &Path) -> std::io::Result<()> {
    let processed = dir.join("processed");
    let newstate = dir.join("newstate");
    let state = dir.join("state");
    if !state.exists() {
        File::create(&state)?;
    }
    let argv: Vec<String> = match p {
        Processor::Execline(text) => vec![
            "execlineb".into(),
            "-Pc".into(),
            String::from_utf8_lossy(text).into_owned(),
        ],
        Processor::Shell(text) => vec![
            "/bin/sh".into(),
            "-c".into(),
            String::from_utf8_lossy(text).into_owned(),
        ],
    };
    let stdin = File::open(previous)?;
    let stdout = File::create(&processed)?;
    let fd4 = File::open(&state)?;
    let fd5 = File::create(&newstate)?;
    let (r4, r5) = (fd4.as_raw_fd(), fd5.as_raw_fd());
    let mut cmd = std::process::Command::new(&argv[0]);
    cmd.args(&argv[1..])
        .current_dir(dir)
        .stdin(stdin)
        .stdout(stdout);
    // SAFETY: the closure only calls dup2, which is async-signal-safe.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut cmd, move || {
            if libc::dup2(r4, 4) < 0 || libc::dup2(r5, 5) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let status = cmd.status()?;
    drop((fd4, fd5));
    if !status.success() {
        return Err(std::io::Error::other(format!("it exited with {status}")));
    }
    std::fs::rename(&processed, archive)?;
    std::fs::rename(&newstate, &state)?;
    std::fs::remove_file(previous)
}
