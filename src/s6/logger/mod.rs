//! chainit's s6-log: reads lines from stdin and carries out a compiled
//! logging script on each (selection, timestamps, prefix, then stdout,
//! alerts, status files and rotating logdirs). Stops at EOF, on SIGHUP, or
//! on SIGTERM (unless protected) once the line being read is complete;
//! SIGALRM rotates every logdir.

pub mod logdir;
pub mod script;

use std::io::Write;
use std::time::SystemTime;

use logdir::Logdir;
use script::{Script, Selection, Target};

pub struct Options {
    pub notify: Option<i32>,
    pub verbosity: u8,
    /// `-p`: SIGTERM does not stop the logger.
    pub protect: bool,
    /// `-l`: split lines longer than this (0: never).
    pub line_limit: usize,
}

struct Logger {
    script: Script,
    dirs: Vec<Logdir>,
    stdout_ok: bool,
    verbosity: u8,
}

fn iso8601(t: SystemTime) -> String {
    let d = t.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    super::tai64n::calendar(d.as_secs(), d.subsec_nanos(), false).unwrap_or_default()
}

impl Logger {
    fn warn(&self, msg: &str) {
        if self.verbosity >= 1 {
            let _ = std::io::stderr().write_all(format!("s6-log: warning: {msg}\n").as_bytes());
        }
    }

    fn handle(&mut self, line: &[u8]) {
        let now = SystemTime::now();
        // Every line starts selected; each group's directives change that
        // state from where the previous group left it.
        let mut acted = false;
        let mut selected = true;
        for e in 0..self.script.elements.len() {
            let el = &self.script.elements[e];
            for sel in &el.selections {
                match sel {
                    Selection::Plus(re) if !selected && re.is_match(line) => selected = true,
                    Selection::Minus(re) if selected && re.is_match(line) => selected = false,
                    Selection::Fresh => selected = !acted,
                    _ => {}
                }
            }
            if !selected {
                continue;
            }
            acted = true;
            for a in 0..self.script.elements[e].actions.len() {
                self.act(e, a, line, now);
            }
        }
    }

    fn act(&mut self, e: usize, a: usize, line: &[u8], now: SystemTime) {
        let action = &self.script.elements[e].actions[a];
        let mut head = Vec::new();
        if action.tai64n {
            head.extend_from_slice(crate::s6::tai64n::label(now).as_bytes());
            head.push(b' ');
        }
        if action.iso8601 {
            head.extend_from_slice(iso8601(now).as_bytes());
            head.extend_from_slice(b"  ");
        }
        if let Some(p) = &action.prefix {
            head.extend_from_slice(p);
            head.push(b' ');
        }
        // Cut to n bytes, marked "...", only when that saves anything.
        let cut = |n: usize| -> (&[u8], bool) {
            if n == 0 || line.len() <= n + 3 {
                (line, false)
            } else {
                (&line[..n], true)
            }
        };
        match &action.target {
            Target::Stdout => {
                if self.stdout_ok {
                    let mut out = head;
                    out.extend_from_slice(line);
                    out.push(b'\n');
                    self.stdout_ok = std::io::stdout().write_all(&out).is_ok();
                }
            }
            Target::Alert => {
                let mut out = b"s6-log: alert: ".to_vec();
                out.extend_from_slice(&head);
                let (text, cut_short) = cut(action.alert_size);
                out.extend_from_slice(text);
                if cut_short {
                    out.extend_from_slice(b"...");
                }
                out.push(b'\n');
                let _ = std::io::stderr().write_all(&out);
            }
            Target::Status(path) => {
                let mut out = head;
                out.extend_from_slice(line);
                // Exactly n bytes, cut or padded with newlines; 0: the line as is.
                match action.status_size {
                    0 => out.push(b'\n'),
                    n => out.resize(n, b'\n'),
                }
                let tmp = path.with_extension("new");
                let r = std::fs::write(&tmp, &out).and_then(|()| std::fs::rename(&tmp, path));
                if let Err(e) = r {
                    let msg = format!(
                        "unable to write status file {}: {}",
                        path.display(),
                        crate::error::describe(&e)
                    );
                    self.warn(&msg);
                }
            }
            Target::Dir(i) => {
                let mut out = head;
                out.extend_from_slice(line);
                out.push(b'\n');
                let i = *i;
                if let Err(e) = self.dirs[i].append(&out) {
                    let msg = format!(
                        "unable to write to {}: {}; trying again every second",
                        self.dirs[i].settings.path.display(),
                        crate::error::describe(&e)
                    );
                    self.warn(&msg);
                    // As s6-log: wait for the disk rather than drop the
                    // line; the service blocks on the full pipe meanwhile.
                    while self.dirs[i].retry().is_err() {
                        std::thread::sleep(std::time::Duration::from_secs(1));
                    }
                }
            }
        }
    }

    fn rotate_all(&mut self) {
        for i in 0..self.dirs.len() {
            if let Err(e) = self.dirs[i].rotate() {
                let msg = format!(
                    "unable to rotate {}: {}",
                    self.dirs[i].settings.path.display(),
                    crate::error::describe(&e)
                );
                self.warn(&msg);
            }
        }
    }
}

/// Runs the logger until stdin ends or a signal stops it; the exit code.
pub fn run(opts: &Options, directives: &[Vec<u8>]) -> i32 {
    let script = match script::compile(directives) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("s6-log: fatal: {e}");
            return 100;
        }
    };
    let mut dirs = Vec::new();
    for d in &script.dirs {
        match Logdir::open(d.clone()) {
            Ok(l) => dirs.push(l),
            Err(e) => {
                eprintln!(
                    "s6-log: fatal: unable to open logdir {}: {}",
                    d.path.display(),
                    crate::error::describe(&e)
                );
                return 111;
            }
        }
    }
    let caught = match crate::sig::Caught::new(&[libc::SIGTERM, libc::SIGHUP, libc::SIGALRM]) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("s6-log: fatal: unable to block signals: {e}");
            return 111;
        }
    };
    let mut logger = Logger {
        script,
        dirs,
        stdout_ok: true,
        verbosity: opts.verbosity,
    };
    if let Some(fd) = opts.notify {
        // SAFETY: writes one byte to, then closes, the fd the caller gave us.
        unsafe {
            libc::write(fd, b"\n".as_ptr().cast(), 1);
            libc::close(fd);
        }
    }
    let mut buf: Vec<u8> = Vec::new();
    let mut stopping = false;
    let mut chunk = vec![0u8; 65536];
    loop {
        // Every complete line (or a piece at the length limit) is handled.
        loop {
            let nl = buf.iter().position(|&b| b == b'\n');
            let end = match (nl, opts.line_limit) {
                (Some(i), l) if l == 0 || i <= l => Some((i, i + 1)),
                (_, l) if l > 0 && buf.len() > l => Some((l, l)),
                _ => None,
            };
            let Some((cut, next)) = end else { break };
            let line: Vec<u8> = buf[..cut].to_vec();
            buf.drain(..next);
            logger.handle(&line);
        }
        if stopping && buf.is_empty() {
            break;
        }
        let mut fds = [
            libc::pollfd {
                fd: 0,
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: caught.raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        // SAFETY: two valid pollfds for the duration of the call.
        if unsafe { libc::poll(fds.as_mut_ptr(), 2, -1) } < 0 {
            continue;
        }
        if fds[1].revents != 0 {
            for sig in caught.take() {
                match sig {
                    libc::SIGALRM => logger.rotate_all(),
                    libc::SIGHUP => stopping = true,
                    libc::SIGTERM if !opts.protect => stopping = true,
                    _ => {}
                }
            }
            if stopping && buf.is_empty() {
                break;
            }
        }
        if fds[0].revents != 0 {
            // Once told to stop, finish the line being read a byte at a
            // time: what follows it stays in the pipe for the next logger.
            let want = if stopping { 1 } else { chunk.len() };
            // SAFETY: reads into our own buffer, at most its size.
            let n = unsafe { libc::read(0, chunk.as_mut_ptr().cast(), want) };
            if n > 0 {
                buf.extend_from_slice(&chunk[..n as usize]);
            } else if n == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR)
            {
                // End of input: as s6-log 2.11, an unterminated last line is dropped.
                break;
            }
        }
    }
    for d in &mut logger.dirs {
        if let Err(e) = d.finish() {
            eprintln!(
                "s6-log: warning: unable to finish {}: {}",
                d.settings.path.display(),
                crate::error::describe(&e)
            );
        }
    }
    0
}
