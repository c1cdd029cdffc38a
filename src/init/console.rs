//! `CHAINIT_LOG_PREFIX`: the console lines of services without a `log/`
//! (and of the CMD, with `all`) get `NAME | ` in front, so a container's
//! log says which service printed what. Each stream is a pipe the init
//! holds (kept across restarts, so nothing is lost between instances); the
//! init reads it, and writes whole prefixed lines to its own stdout or
//! stderr. Lines (up to 4 KiB) are never cut into by another stream's; a partial line
//! waits at most `PARTIAL` before it is written with a newline.
//!
//! PID 1 must never block on its output: a stream's bytes are written only
//! when the output is writable, in pieces a pipe takes whole, and while a
//! stream has output pending the init stops reading it — the service then
//! blocks on its own writes, as it would on a full console, and loses nothing.

use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::time::{Duration, Instant};

pub const PARTIAL: Duration = Duration::from_millis(100);

/// A pipe takes a write of up to this many bytes whole when it is writable.
const PIECE: usize = 4096;

struct Stream {
    prefix: Vec<u8>,
    read: OwnedFd,
    /// The end the service's processes get as fd 1 or 2.
    write: OwnedFd,
    /// Where its lines go: 1 or 2.
    out: i32,
    /// A line not yet ended, and since when.
    line: Vec<u8>,
    since: Option<Instant>,
    /// Prefixed lines not yet written, from `done` on.
    pending: Vec<u8>,
    done: usize,
    closed: bool,
}

#[derive(Default)]
pub struct Relay {
    streams: Vec<Stream>,
    /// Outputs that are pipes or sockets: written only as far as they take
    /// without blocking; for a pipe, its size (else 0).
    gated: [bool; 2],
    pipe_size: [usize; 2],
    checked: bool,
    /// The read buffer, made at the first read.
    buf: Vec<u8>,
}

impl Relay {
    /// A new stream to output `out` (1 or 2), prefixed `NAME | `; its index.
    pub fn stream(&mut self, name: &str, out: i32) -> std::io::Result<usize> {
        if !self.checked {
            self.checked = true;
            for (slot, out) in [std::io::stdout().as_fd(), std::io::stderr().as_fd()]
                .into_iter()
                .enumerate()
            {
                self.gated[slot] = nix::sys::stat::fstat(out).is_ok_and(|st| {
                    let kind = st.st_mode & libc::S_IFMT;
                    kind == libc::S_IFIFO || kind == libc::S_IFSOCK
                });
                // A roomier output pipe too (best effort): each hop through
                // the init then moves more lines per wake-up of both sides.
                if self.gated[slot] {
                    let _ = nix::fcntl::fcntl(out, nix::fcntl::FcntlArg::F_SETPIPE_SZ(1 << 20));
                }
                // SAFETY: F_GETPIPE_SZ has an integer result; -1 when not a pipe.
                let size = unsafe { libc::fcntl(out.as_raw_fd(), libc::F_GETPIPE_SZ) };
                self.pipe_size[slot] = usize::try_from(size).unwrap_or(0);
            }
        }
        let (read, write) = crate::chain::fd::pipe().map_err(std::io::Error::other)?;
        nix::fcntl::fcntl(
            &read,
            nix::fcntl::FcntlArg::F_SETFL(nix::fcntl::OFlag::O_NONBLOCK),
        )?;
        // A roomier pipe: a chatty service wakes the init less often. Best
        // effort (the default 64 KiB still works).
        let _ = nix::fcntl::fcntl(&read, nix::fcntl::FcntlArg::F_SETPIPE_SZ(1 << 20));
        self.streams.push(Stream {
            prefix: format!("{name} | ").into_bytes(),
            read,
            write,
            out,
            line: Vec::new(),
            since: None,
            pending: Vec::new(),
            done: 0,
            closed: false,
        });
        Ok(self.streams.len() - 1)
    }

    /// The fd a child gets for stream `i`.
    pub fn child_fd(&self, i: usize) -> i32 {
        self.streams[i].write.as_raw_fd()
    }

    /// Streams to read (those with nothing pending) and outputs to wait on.
    pub fn fds(&self) -> (Vec<i32>, Vec<i32>) {
        let mut read = Vec::new();
        let mut write = Vec::new();
        for s in &self.streams {
            if s.done < s.pending.len() {
                if !write.contains(&s.out) {
                    write.push(s.out);
                }
            } else if !s.closed {
                read.push(s.read.as_raw_fd());
            }
        }
        (read, write)
    }

    /// When a partial line is due.
    pub fn deadline(&self) -> Option<Instant> {
        self.streams
            .iter()
            .filter_map(|s| s.since)
            .min()
            .map(|t| t + PARTIAL)
    }

    /// `fd` is readable; true if it is one of the streams.
    pub fn on_readable(&mut self, fd: i32) -> bool {
        let Some(i) = self.streams.iter().position(|s| s.read.as_raw_fd() == fd) else {
            return false;
        };
        if self.buf.is_empty() {
            self.buf = vec![0; 1 << 18];
        }
        // A busy stream is read a few times per wake-up, while the output
        // keeps up: fewer trips through the event loop.
        for _ in 0..8 {
            let s = &mut self.streams[i];
            match nix::unistd::read(&s.read, &mut self.buf) {
                // Every writer gone (the init holds one, so only at the end).
                Ok(0) => s.closed = true,
                Ok(n) => {
                    s.take(&self.buf[..n], Instant::now());
                    self.flush(i);
                    let s = &self.streams[i];
                    if n == self.buf.len() && s.done >= s.pending.len() {
                        continue;
                    }
                }
                Err(_) => {}
            }
            break;
        }
        true
    }

    /// Output `fd` is writable again.
    pub fn on_writable(&mut self, fd: i32) {
        for i in 0..self.streams.len() {
            if self.streams[i].out == fd {
                self.flush(i);
            }
        }
    }

    /// Partial lines that waited long enough are written.
    pub fn on_time(&mut self, now: Instant) {
        for i in 0..self.streams.len() {
            let s = &mut self.streams[i];
            if s.since.is_some_and(|t| t + PARTIAL <= now) && s.done >= s.pending.len() {
                let line = std::mem::take(&mut s.line);
                s.push_line(&line);
                s.since = None;
                self.flush(i);
            }
        }
    }

    /// At the very end: what is still in the pipes, partial lines included,
    /// is written, waiting at most a second for a slow output.
    pub fn drain_all(&mut self) {
        let until = Instant::now() + Duration::from_secs(1);
        for i in 0..self.streams.len() {
            let s = &mut self.streams[i];
            let mut buf = [0u8; 65536];
            while let Ok(n) = nix::unistd::read(&s.read, &mut buf) {
                if n == 0 {
                    break;
                }
                s.take(&buf[..n], Instant::now());
            }
            if !s.line.is_empty() {
                let line = std::mem::take(&mut s.line);
                s.push_line(&line);
                s.since = None;
            }
            loop {
                self.flush(i);
                let s = &self.streams[i];
                let left = until.saturating_duration_since(Instant::now());
                if s.done >= s.pending.len() || left.is_zero() {
                    break;
                }
                crate::poll::ready(&[], &[s.out], Some(Instant::now() + left));
            }
        }
    }

    /// Writes what stream `i` has pending, as far as the output takes it
    /// without blocking.
    fn flush(&mut self, i: usize) {
        let slot = (self.streams[i].out as usize).saturating_sub(1).min(1);
        let (gated, pipe_size) = (self.gated[slot], self.pipe_size[slot]);
        let s = &mut self.streams[i];
        while s.done < s.pending.len() {
            let room = if gated {
                room(s.out, pipe_size)
            } else {
                usize::MAX
            };
            if room == 0 {
                return;
            }
            let end = piece_end(&s.pending, s.done, room);
            if end == s.done {
                // The next line does not fit yet: wait until it does.
                return;
            }
            // SAFETY: writing bytes we own to fd 1 or 2.
            let n =
                unsafe { libc::write(s.out, s.pending[s.done..end].as_ptr().cast(), end - s.done) };
            if n < 0 {
                match nix::errno::Errno::last() {
                    nix::errno::Errno::EINTR => continue,
                    nix::errno::Errno::EAGAIN => return,
                    // The output is gone: drop what it cannot take.
                    _ => {
                        s.done = s.pending.len();
                        break;
                    }
                }
            }
            s.done += n as usize;
        }
        s.pending.clear();
        s.done = 0;
    }
}

impl Stream {
    fn take(&mut self, data: &[u8], now: Instant) {
        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', data) {
            self.pending.extend_from_slice(&self.prefix);
            if start == 0 && !self.line.is_empty() {
                self.pending.extend_from_slice(&self.line);
                self.line.clear();
            }
            self.pending.extend_from_slice(&data[start..=nl]);
            start = nl + 1;
        }
        let rest = &data[start..];
        self.line.extend_from_slice(rest);
        self.since = match (self.line.is_empty(), self.since) {
            (true, _) => None,
            (false, None) => Some(now),
            (false, t) => t,
        };
    }

    fn push_line(&mut self, line: &[u8]) {
        self.pending.extend_from_slice(&self.prefix);
        self.pending.extend_from_slice(line);
        self.pending.push(b'\n');
    }
}

/// Where the next piece of `pending` from `from` ends: whole lines up to
/// `room` bytes; a line longer than `PIECE` (no pipe takes it whole) in
/// pieces; `from` when the next line does not fit in `room` yet.
fn piece_end(pending: &[u8], from: usize, room: usize) -> usize {
    let limit = from.saturating_add(room).min(pending.len());
    if limit == pending.len() {
        return limit;
    }
    match memchr::memrchr(b'\n', &pending[from..limit]) {
        Some(p) => from + p + 1,
        None if room >= PIECE => limit,
        None => from,
    }
}

/// How much the pipe (of `size` bytes) or socket `fd` takes now without
/// blocking: for a pipe, its size less what is queued, less a page (a
/// partly read buffer's space is not reused); else `PIECE` if poll says it
/// is writable, or 0.
fn room(fd: i32, size: usize) -> usize {
    let mut by_count = 0;
    if size > 0 {
        let mut queued: libc::c_int = 0;
        // SAFETY: FIONREAD stores an int in `queued`.
        if unsafe { libc::ioctl(fd, libc::FIONREAD, &mut queued) } == 0 {
            by_count = size.saturating_sub(queued.max(0) as usize + PIECE);
        }
    }
    if by_count >= PIECE {
        return by_count;
    }
    // POLLOUT on a pipe means a free buffer: a page's worth.
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLOUT,
        revents: 0,
    };
    // SAFETY: one pollfd on the stack, no timeout.
    let ok = unsafe { libc::poll(&mut p, 1, 0) == 1 && p.revents & libc::POLLOUT != 0 };
    if ok { by_count.max(PIECE) } else { by_count }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_prefixed_and_partials_wait() {
        let (r, w) = crate::chain::fd::pipe().unwrap();
        let mut s = Stream {
            prefix: b"web | ".to_vec(),
            read: r,
            write: w,
            out: 1,
            line: Vec::new(),
            since: None,
            pending: Vec::new(),
            done: 0,
            closed: false,
        };
        let t = Instant::now();
        s.take(b"one\ntw", t);
        assert_eq!(s.pending, b"web | one\n");
        assert_eq!(s.since, Some(t));
        s.take(b"o\n", t);
        assert_eq!(s.pending, b"web | one\nweb | two\n");
        assert_eq!(s.since, None);
    }

    #[test]
    fn pieces_end_at_lines() {
        let mut p = vec![b'a'; 3000];
        p.push(b'\n');
        p.extend(vec![b'b'; 3000]);
        p.push(b'\n');
        assert_eq!(piece_end(&p, 0, PIECE), 3001);
        assert_eq!(piece_end(&p, 3001, PIECE), p.len());
        let long = vec![b'c'; 10000];
        assert_eq!(piece_end(&long, 0, PIECE), PIECE);
        // A line that does not fit waits, rather than being cut.
        assert_eq!(piece_end(&p, 0, 2000), 0);
    }
}
