//! One s6-log logdir: `lock` held while logging, lines appended to
//! `current`, rotation to `@TAI64N.s` (through a processor if one is set),
//! old archives removed beyond `n` files or `S` bytes, and `current` marked
//! user-executable when it was closed cleanly. An unclean `current` found
//! at start is archived as `@TAI64N.u`.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::script::{DirSettings, Processor};
use crate::s6::tai64n;

pub struct Logdir {
    pub settings: DirSettings,
    current: File,
    size: u64,
    _lock: OwnedFd,
    /// The part of a line a failed write left unwritten (disk full, say),
    /// written by `retry` before anything else.
    stuck: Vec<u8>,
}

fn lock(path: &Path) -> std::io::Result<OwnedFd> {
    crate::s6::files::write_lock(path, 0o644)?
        .ok_or_else(|| std::io::Error::other("another s6-log holds its lock"))
}

fn open_current(dir: &Path) -> std::io::Result<(File, u64)> {
    let path = dir.join("current");
    let f = OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o644)
        .open(&path)?;
    // Not executable while being written: an unclean stop is visible.
    f.set_permissions(std::fs::Permissions::from_mode(0o644))?;
    let size = f.metadata()?.len();
    Ok((f, size))
}

fn archive_name(dir: &Path, suffix: &str) -> PathBuf {
    dir.join(format!(
        "{}.{suffix}",
        tai64n::label(std::time::SystemTime::now())
    ))
}

impl Logdir {
    pub fn open(settings: DirSettings) -> std::io::Result<Self> {
        let dir = settings.path.clone();
        if let Err(e) = std::fs::DirBuilder::new().mode(0o700).create(&dir)
            && e.kind() != std::io::ErrorKind::AlreadyExists
        {
            return Err(e);
        }
        let lockf = lock(&dir.join("lock"))?;
        if !dir.join("state").exists() {
            File::create(dir.join("state"))?;
        }
        let current = dir.join("current");
        if let Ok(m) = std::fs::metadata(&current)
            && m.permissions().mode() & 0o100 == 0
            && m.len() > 0
        {
            std::fs::rename(&current, archive_name(&dir, "u"))?;
        }
        let (current, size) = open_current(&dir)?;
        Ok(Logdir {
            settings,
            current,
            size,
            _lock: lockf,
            stuck: Vec::new(),
        })
    }

    /// Appends one line (with its newline); rotates first if it would
    /// take `current` past the size limit, or after once it is within the
    /// tolerance of it.
    pub fn append(&mut self, line: &[u8]) -> std::io::Result<()> {
        let max = self.settings.max_size;
        if self.size > 0 && self.size + line.len() as u64 > max {
            // Not written yet: the whole line waits for `retry`.
            if let Err(e) = self.rotate() {
                self.stuck = line.to_vec();
                return Err(e);
            }
        }
        self.write_fully(line)?;
        if self.size >= max.saturating_sub(self.settings.tolerance) {
            self.rotate()?;
        }
        Ok(())
    }

    /// Writes the rest of a line an earlier `append` could not; until it
    /// succeeds the logger reads nothing more, so its writers wait and no
    /// line is lost or written twice.
    pub fn retry(&mut self) -> std::io::Result<()> {
        let rest = std::mem::take(&mut self.stuck);
        self.write_fully(&rest)
    }

    /// Writes `data`, counting what lands; on an error the unwritten part
    /// is kept for `retry`.
    fn write_fully(&mut self, data: &[u8]) -> std::io::Result<()> {
        let mut done = 0;
        while done < data.len() {
            match self.current.write(&data[done..]) {
                Ok(0) => {
                    self.stuck = data[done..].to_vec();
                    return Err(std::io::ErrorKind::WriteZero.into());
                }
                Ok(n) => {
                    done += n;
                    self.size += n as u64;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.stuck = data[done..].to_vec();
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    pub fn rotate(&mut self) -> std::io::Result<()> {
        if self.size == 0 {
            return Ok(());
        }
        let dir = self.settings.path.clone();
        self.current.sync_all()?;
        let previous = dir.join("previous");
        std::fs::rename(dir.join("current"), &previous)?;
        let archive = archive_name(&dir, "s");
        match &self.settings.processor {
            None => std::fs::rename(&previous, &archive)?,
            Some(p) => {
                if let Err(e) = process(&dir, p, &previous, &archive) {
                    eprintln!(
                        "s6-log: warning: processor failed in {}: {e}; archiving unprocessed",
                        dir.display()
                    );
                    std::fs::rename(&previous, &archive)?;
                }
            }
        }
        std::fs::set_permissions(&archive, std::fs::Permissions::from_mode(0o744))?;
        self.prune()?;
        let (current, size) = open_current(&dir)?;
        self.current = current;
        self.size = size;
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
