//! The logger's spool, so a logger killed at any moment loses no line and
//! writes none twice. Input is moved from the pipe into `spool` in the
//! first logdir with splice(2), which takes from the pipe exactly what
//! lands in the file: a byte is in one or the other, never neither. Lines
//! are then written from the spool to the logdirs as a batch: the header
//! first records where the batch starts and how big each `current` was,
//! and once it is written, where the next batch starts. A new logger
//! finding a batch open cuts each `current` back to its recorded size and
//! writes the batch again, so its lines end up in the logdirs once.
//!
//! `spool` is a 512-byte header (one pwrite within a page, so a KILL
//! leaves the old one or the new one) followed by the input not yet
//! logged. It is taken a few KiB at a time and emptied after each batch:
//! on a full disk, the room it holds is room `current` cannot have.

use std::fs::{File, OpenOptions};
use std::io::{Error, ErrorKind, Result};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

const HEAD: u64 = 512;
const MAGIC: &[u8; 16] = b"chainit-spool 1\n";
/// Each `current` of an open batch: device, inode, size.
const ENTRY: usize = 24;
/// Entries after the magic, `done` and `end` (8 bytes each) and a count.
pub const MAX_ENTRIES: usize = (HEAD as usize - 16 - 8 - 8 - 4) / ENTRY;
/// Bytes moved from the pipe at a time, at most: what a spool holds during
/// a batch is room a full disk cannot give `current`.
const FILL: usize = 16384;
/// A spool holding only an unfinished line is rewritten once it is this
/// far along, so it never grows without bound.
const COMPACT_AT: u64 = 1 << 20;

/// `current` of one logdir, as it was when a batch began.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    pub dev: u64,
    pub ino: u64,
    pub size: u64,
}

pub struct Spool {
    path: PathBuf,
    file: File,
    /// Offset in the data (after the header) of the first byte not logged.
    done: u64,
    /// Length of the data.
    len: u64,
    /// splice(2) failed (stdin is no pipe): plain reads from now on.
    no_splice: bool,
    /// The data from `done` on, as it is in the file.
    cache: Vec<u8>,
    /// Where `tee` copies the input to be looked at.
    scratch: Option<(OwnedFd, OwnedFd)>,
}

/// What a new logger must undo: every `current` of the batch a killed
/// logger left open goes back to this size.
pub type Undo = Vec<Mark>;

fn header(done: u64, end: u64, marks: &[Mark]) -> Vec<u8> {
    let mut h = Vec::with_capacity(HEAD as usize);
    h.extend_from_slice(MAGIC);
    h.extend_from_slice(&done.to_le_bytes());
    h.extend_from_slice(&end.to_le_bytes());
    h.extend_from_slice(&(marks.len() as u32).to_le_bytes());
    for m in marks {
        h.extend_from_slice(&m.dev.to_le_bytes());
        h.extend_from_slice(&m.ino.to_le_bytes());
        h.extend_from_slice(&m.size.to_le_bytes());
    }
    h.resize(HEAD as usize, 0);
    h
}

fn u64_at(h: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&h[at..at + 8]);
    u64::from_le_bytes(b)
}

/// `done`, `end` and the open batch's marks, from a header; None if it
/// is not one.
pub(crate) fn parse(h: &[u8]) -> Option<(u64, u64, Vec<Mark>)> {
    if h.len() < HEAD as usize || &h[..16] != MAGIC {
        return None;
    }
    let (done, end) = (u64_at(h, 16), u64_at(h, 24));
    let mut count = [0u8; 4];
    count.copy_from_slice(&h[32..36]);
    let count = (u32::from_le_bytes(count) as usize).min(MAX_ENTRIES);
    let marks = (0..count)
        .map(|i| {
            let at = 36 + i * ENTRY;
            Mark {
                dev: u64_at(h, at),
                ino: u64_at(h, at + 8),
                size: u64_at(h, at + 16),
            }
        })
        .collect();
    Some((done, end, marks))
}

impl Spool {
    /// Opens (or makes) `dir/spool`, in a logdir whose lock is held; the
    /// `current` sizes a killed logger's open batch asks to go back to
    /// (`settle` once they are).
    pub fn open(dir: &Path) -> Result<(Spool, Undo)> {
        let path = dir.join("spool");
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(&path)?;
        let size = file.metadata()?.len();
        let mut h = vec![0u8; HEAD as usize];
        let got = if size >= HEAD {
            file.read_exact_at(&mut h, 0).ok().and_then(|()| parse(&h))
        } else {
            None
        };
        let mut spool = Spool {
            path,
            file,
            done: 0,
            len: size.saturating_sub(HEAD),
            no_splice: false,
            cache: Vec::new(),
            scratch: crate::chain::fd::pipe().ok(),
        };
        let undo = match got {
            // A new or unreadable spool: start empty.
            None => {
                spool.len = 0;
                spool.file.set_len(HEAD)?;
                Vec::new()
            }
            // A batch was open. The data is cut only once a batch is
            // over, so data shorter than the batch's end means it was
            // finished and its lines are all written.
            Some((done, end, marks)) if !marks.is_empty() => {
                if spool.len < end {
                    spool.done = 0;
                    Vec::new()
                } else {
                    spool.done = done.min(spool.len);
                    marks
                }
            }
            Some((done, _, _)) => {
                spool.done = done.min(spool.len);
                Vec::new()
            }
        };
        let mut cache = vec![0u8; (spool.len - spool.done) as usize];
        spool.file.read_exact_at(&mut cache, HEAD + spool.done)?;
        spool.cache = cache;
        Ok((spool, undo))
    }

    /// The undo `open` asked for is done: the open batch is closed.
    pub fn settle(&self) -> Result<()> {
        self.write_header(&[])
    }

    fn write_header(&self, marks: &[Mark]) -> Result<()> {
        let marks = &marks[..marks.len().min(MAX_ENTRIES)];
        self.file
            .write_all_at(&header(self.done, self.len, marks), 0)
    }

    /// Moves what stdin has to the end of the spool; 0 at the end of
    /// input. The input is first looked at through `tee(2)` (copied to
    /// a scratch pipe, not taken), so that only complete lines are moved
    /// when there are any: the spool is then empty after each batch.
    pub fn fill(&mut self) -> Result<usize> {
        if self.no_splice {
            return self.read_in();
        }
        let Some((peek_r, peek_w)) = &self.scratch else {
            self.no_splice = true;
            return self.read_in();
        };
        // SAFETY: plain fds.
        let n = unsafe { libc::tee(0, peek_w.as_raw_fd(), FILL, libc::SPLICE_F_NONBLOCK) };
        if n < 0 {
            let e = Error::last_os_error();
            return match e.raw_os_error() {
                // Not a pipe: a file, a socket.
                Some(libc::EINVAL) => {
                    self.no_splice = true;
                    self.read_in()
                }
                Some(libc::EAGAIN) => Err(ErrorKind::Interrupted.into()),
                _ => Err(e),
            };
        }
        let n = n as usize;
        if n == 0 {
            return Ok(0);
        }
        let mut seen = vec![0u8; n];
        let mut got = 0;
        while got < n {
            // SAFETY: reads into our own buffer, within its size.
            let r =
                unsafe { libc::read(peek_r.as_raw_fd(), seen[got..].as_mut_ptr().cast(), n - got) };
            if r <= 0 {
                return Err(Error::last_os_error());
            }
            got += r as usize;
        }
        let want = seen.iter().rposition(|&b| b == b'\n').map_or(n, |i| i + 1);
        let mut moved = 0;
        while moved < want {
            let mut off: libc::loff_t = (HEAD + self.len) as i64;
            // SAFETY: plain fds and a valid offset pointer.
            let r = unsafe {
                libc::splice(
                    0,
                    std::ptr::null_mut(),
                    self.file.as_raw_fd(),
                    &mut off,
                    want - moved,
                    0,
                )
            };
            if r <= 0 {
                let e = Error::last_os_error();
                if e.kind() == ErrorKind::Interrupted {
                    continue;
                }
                if moved > 0 {
                    break;
                }
                // A filesystem that takes no splice: plain reads.
                if matches!(
                    e.raw_os_error(),
                    Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
                ) {
                    self.no_splice = true;
                    return self.read_in();
                }
                return Err(e);
            }
            let r = r as usize;
            self.cache.extend_from_slice(&seen[moved..moved + r]);
            self.len += r as u64;
            moved += r;
        }
        Ok(moved)
    }

    /// stdin that is no pipe: read, then kept in the spool as well as it
    /// can be (what was read is logged whatever happens to that write).
    fn read_in(&mut self) -> Result<usize> {
        let mut buf = vec![0u8; FILL];
        // SAFETY: reads into our own buffer, at most its size.
        let n = unsafe { libc::read(0, buf.as_mut_ptr().cast(), buf.len()) };
        if n < 0 {
            return Err(Error::last_os_error());
        }
        let n = n as usize;
        let _ = self.file.write_all_at(&buf[..n], HEAD + self.len);
        self.cache.extend_from_slice(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    /// The data from the first byte not logged to the end.
    pub fn unlogged(&self) -> Vec<u8> {
        self.cache.clone()
    }

    /// A batch of lines ending `end` bytes past the first unlogged one is
    /// about to be written to logdirs whose `current` are now at `marks`.
    pub fn begin(&mut self, end: u64, marks: &[Mark]) -> Result<()> {
        self.file
            .write_all_at(&header(self.done, self.done + end, marks), 0)
    }

    /// The batch is written up to `upto` bytes past the first unlogged
    /// one: the header says so, and a spool with nothing left is emptied.
    pub fn commit(&mut self, upto: u64) -> Result<()> {
        self.done += upto;
        self.cache.drain(..(upto as usize).min(self.cache.len()));
        if self.done == self.len {
            // Cut before the header is rewritten: a logger killed in
            // between finds data shorter than the open batch's end.
            self.file.set_len(HEAD)?;
            self.done = 0;
            self.len = 0;
        } else if self.done >= COMPACT_AT {
            return self.compact();
        }
        self.write_header(&[])
    }

    /// Keeps only the unlogged tail, in a new spool renamed over the old.
    fn compact(&mut self) -> Result<()> {
        let tail = self.cache.clone();
        let new = self.path.with_extension("new");
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&new)?;
        file.write_all_at(&header(0, tail.len() as u64, &[]), 0)?;
        file.write_all_at(&tail, HEAD)?;
        std::fs::rename(&new, &self.path)?;
        self.file = file;
        self.done = 0;
        self.len = tail.len() as u64;
        Ok(())
    }

    /// A logger stopping cleanly leaves no spool behind unless it holds
    /// an unfinished line for the next one, so the logdir looks as
    /// s6-log's does.
    pub fn finish(&self) -> Result<()> {
        if self.done == self.len {
            std::fs::remove_file(&self.path)?;
        }
        Ok(())
    }

    /// The end of input: an unfinished last line is dropped, as s6-log
    /// 2.11 does.
    pub fn clear(&mut self) -> Result<()> {
        self.commit(self.len - self.done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_reads_back_as_written() {
        let marks = [Mark {
            dev: 1,
            ino: 2,
            size: 3,
        }];
        let h = header(5, 9, &marks);
        assert_eq!(h.len(), HEAD as usize);
        assert_eq!(parse(&h), Some((5, 9, marks.to_vec())));
        assert_eq!(parse(&h[..100]), None);
    }

    fn spool_with(name: &str, done: u64, end: u64, marks: &[Mark], data: &[u8]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("chainit-spool-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut bytes = header(done, end, marks);
        bytes.extend_from_slice(data);
        std::fs::write(dir.join("spool"), bytes).unwrap();
        dir
    }

    const MARK: Mark = Mark {
        dev: 7,
        ino: 8,
        size: 100,
    };

    #[test]
    fn an_open_batch_still_in_the_spool_is_undone_and_logged_again() {
        let dir = spool_with("open", 4, 10, &[MARK], b"one\ntwo\nsix\n");
        let (s, undo) = Spool::open(&dir).unwrap();
        assert_eq!(undo, vec![MARK]);
        assert_eq!(s.unlogged(), b"two\nsix\n");
        s.settle().unwrap();
        let (s, undo) = Spool::open(&dir).unwrap();
        assert!(undo.is_empty(), "settled: nothing more to undo");
        assert_eq!(s.unlogged(), b"two\nsix\n");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn an_open_batch_whose_data_is_gone_was_finished() {
        // Killed between emptying the spool and rewriting its header.
        let dir = spool_with("cut", 4, 10, &[MARK], b"");
        let (s, undo) = Spool::open(&dir).unwrap();
        assert!(undo.is_empty());
        assert!(s.unlogged().is_empty());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_committed_spool_resumes_at_its_first_unlogged_byte() {
        let dir = spool_with("clean", 4, 0, &[], b"one\ntwo");
        let (mut s, undo) = Spool::open(&dir).unwrap();
        assert!(undo.is_empty());
        assert_eq!(s.unlogged(), b"two");
        // The rest of the line is logged: the spool is emptied.
        s.commit(3).unwrap();
        assert_eq!(std::fs::metadata(dir.join("spool")).unwrap().len(), HEAD);
        s.finish().unwrap();
        assert!(!dir.join("spool").exists());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
