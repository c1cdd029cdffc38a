//! chainit's s6-log: reads lines from stdin and carries out a compiled
//! logging script on each (selection, timestamps, prefix, then stdout,
//! alerts, status files and rotating logdirs). Stops at EOF, on SIGHUP, or
//! on SIGTERM (unless protected) once the line being read is complete;
//! SIGALRM rotates every logdir.

mod input;
pub mod logdir;
pub mod script;
pub(crate) mod spool;

use std::io::Write;
use std::time::SystemTime;

use input::Input;
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
    /// What goes to stdout, written once per batch.
    stdout: Vec<u8>,
    verbosity: u8,
    input: Input,
}

/// Where one line lies in the unlogged input: its text ends at `cut`, and
/// the next one starts at `next` (past the newline, or at the cut of a
/// line split at the length limit).
#[derive(Clone, Copy)]
struct Span {
    start: usize,
    cut: usize,
    next: usize,
}

/// The complete lines at the start of `data`, split at `limit` (0: never).
fn spans(data: &[u8], limit: usize) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    loop {
        let rest = &data[start..];
        let nl = memchr::memchr(b'\n', rest);
        let (cut, next) = match (nl, limit) {
            (Some(i), l) if l == 0 || i <= l => (i, i + 1),
            (_, l) if l > 0 && rest.len() > l => (l, l),
            _ => return out,
        };
        out.push(Span {
            start,
            cut: start + cut,
            next: start + next,
        });
        start += next;
    }
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

    /// Carries out the script on one line: stdout, alerts and status
    /// files at once; what goes to logdirs is returned, to be written
    /// once rotations due before it are done.
    fn handle(&mut self, line: &[u8]) -> Vec<(usize, Vec<u8>)> {
        let mut to_dirs = Vec::new();
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
                if let Some(out) = self.act(e, a, line, now) {
                    to_dirs.push(out);
                }
            }
        }
        to_dirs
    }

    fn act(
        &mut self,
        e: usize,
        a: usize,
        line: &[u8],
        now: SystemTime,
    ) -> Option<(usize, Vec<u8>)> {
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
                    self.stdout.extend_from_slice(&head);
                    self.stdout.extend_from_slice(line);
                    self.stdout.push(b'\n');
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
                return Some((*i, out));
            }
        }
        None
    }

    /// Writes what each logdir has been given, and stdout's share.
    fn flush(&mut self) {
        if !self.stdout.is_empty() {
            if self.stdout_ok {
                self.stdout_ok = std::io::stdout().write_all(&self.stdout).is_ok();
            }
            self.stdout.clear();
        }
        for i in 0..self.dirs.len() {
            if let Err(e) = self.dirs[i].flush() {
                self.warn_dir(i, "write to", &e, "; trying again every second");
                // As s6-log: wait for the disk rather than drop the line;
                // the service blocks on the full pipe meanwhile.
                while self.dirs[i].flush().is_err() {
                    std::thread::sleep(std::time::Duration::from_secs(1));
                }
            }
        }
    }

    fn rotate(&mut self, i: usize) {
        if let Err(e) = self.dirs[i].rotate() {
            self.warn_dir(i, "rotate", &e, "");
        }
    }

    fn warn_dir(&self, i: usize, doing: &str, e: &std::io::Error, then: &str) {
        let msg = format!(
            "unable to {doing} {}: {}{then}",
            self.dirs[i].settings.path.display(),
            crate::error::describe(e)
        );
        self.warn(&msg);
    }

    fn marks(&self) -> Vec<spool::Mark> {
        self.dirs.iter().map(Logdir::mark).collect()
    }

    /// A spool that cannot be written costs the guarantee, not the lines.
    fn journal(&self, r: std::io::Result<()>) {
        if let Err(e) = r {
            self.warn(&format!(
                "unable to write the spool: {}",
                crate::error::describe(&e)
            ));
        }
    }

    /// Logs the complete lines `spans` of `data`, the unlogged input, as
    /// one batch. A logdir is rotated only between batches, so a batch
    /// is cut where one is due: before a line that would not fit, after
    /// one that filled it.
    fn log(&mut self, data: &[u8], spans: &[Span]) {
        let Some(end) = spans.last().map(|s| s.next) else {
            return;
        };
        // `base`: where the open batch began in `data`.
        let mut base = 0;
        let marks = self.marks();
        let r = self.input.begin(end as u64, &marks);
        self.journal(r);
        for span in spans {
            let outs = self.handle(&data[span.start..span.cut]);
            let mut before: Vec<usize> = Vec::new();
            for (i, out) in &outs {
                if !before.contains(i) && self.dirs[*i].full_before(out.len()) {
                    before.push(*i);
                }
            }
            if !before.is_empty() {
                self.cut_batch(&mut base, span.start, end, &before);
            }
            for (i, out) in &outs {
                self.dirs[*i].append(out);
            }
            let after: Vec<usize> = (0..self.dirs.len())
                .filter(|&i| self.dirs[i].full_after())
                .collect();
            if !after.is_empty() {
                self.cut_batch(&mut base, span.next, end, &after);
            }
        }
        self.flush();
        if base < end {
            let r = self.input.commit((end - base) as u64);
            self.journal(r);
        }
    }

    /// Ends the open batch at `at`, rotates `dirs`, and opens the rest of
    /// the batch (up to `end`) on the new `current`s.
    fn cut_batch(&mut self, base: &mut usize, at: usize, end: usize, dirs: &[usize]) {
        self.flush();
        let r = self.input.commit((at - *base) as u64);
        self.journal(r);
        *base = at;
        for &i in dirs {
            self.rotate(i);
        }
        if at < end {
            let marks = self.marks();
            let r = self.input.begin((end - at) as u64, &marks);
            self.journal(r);
        }
    }

    fn rotate_all(&mut self) {
        for i in 0..self.dirs.len() {
            self.rotate(i);
        }
    }
}

/// Says a logdir cannot be opened; the exit code for it.
fn unable_to_open(path: &std::path::Path, e: &std::io::Error) -> i32 {
    eprintln!(
        "s6-log: fatal: unable to open logdir {}: {}",
        path.display(),
        crate::error::describe(e)
    );
    111
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
    // The first logdir holds the spool: its lock is taken first, so the
    // spool is read only by the logger that owns it, and a batch a killed
    // logger left open is undone before any `current` is archived.
    let mut first_lock = None;
    let mut input = Input::Memory(Vec::new());
    let mut undo = Vec::new();
    // Past what a spool header can record, lines are kept as s6-log
    // keeps them: in memory.
    let spooled = script.dirs.len() <= spool::MAX_ENTRIES;
    if let Some(d) = script.dirs.first().filter(|_| spooled) {
        let lock = match logdir::create_and_lock(&d.path) {
            Ok(l) => l,
            Err(e) => return unable_to_open(&d.path, &e),
        };
        first_lock = Some(lock);
        // A spool that cannot be had (another user's, say) costs the
        // guarantee, not the logger.
        match spool::Spool::open(&d.path) {
            Ok((spool, marks)) => {
                input = Input::Spool(spool);
                undo = marks;
            }
            Err(e) if opts.verbosity >= 1 => eprintln!(
                "s6-log: warning: unable to open the spool in {}: {}; lines wait in memory",
                d.path.display(),
                crate::error::describe(&e)
            ),
            Err(_) => {}
        }
    }
    let mut dirs = Vec::new();
    for d in &script.dirs {
        match Logdir::open(d.clone(), first_lock.take(), &undo) {
            Ok(l) => dirs.push(l),
            Err(e) => return unable_to_open(&d.path, &e),
        }
    }
    if let Input::Spool(s) = &input
        && let Err(e) = s.settle()
    {
        eprintln!(
            "s6-log: fatal: unable to write the spool: {}",
            crate::error::describe(&e)
        );
        return 111;
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
        stdout: Vec::new(),
        verbosity: opts.verbosity,
        input,
    };
    if let Some(fd) = opts.notify {
        // SAFETY: writes one byte to, then closes, the fd the caller gave us.
        unsafe {
            libc::write(fd, b"\n".as_ptr().cast(), 1);
            libc::close(fd);
        }
    }
    let mut stopping = false;
    loop {
        // Every complete line (or a piece at the length limit) is logged.
        let data = logger.input.unlogged();
        let spans = spans(&data, opts.line_limit);
        logger.log(&data, &spans);
        if stopping && logger.input.may_stop() {
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
            if stopping && logger.input.may_stop() {
                break;
            }
        }
        if fds[0].revents != 0 {
            match logger.input.fill(stopping) {
                Ok(0) => {
                    // End of input: as s6-log 2.11, an unterminated last line is dropped.
                    let r = logger.input.clear();
                    logger.journal(r);
                    break;
                }
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) if !matches!(e.raw_os_error(), Some(libc::ENOSPC | libc::EDQUOT)) => break,
                Err(e) => {
                    // A full disk under the spool: the service waits on
                    // the pipe until there is room again.
                    logger.warn(&format!(
                        "unable to take input: {}; trying again every second",
                        crate::error::describe(&e)
                    ));
                    std::thread::sleep(std::time::Duration::from_secs(1));
                }
            }
        }
    }
    let r = logger.input.finish();
    logger.journal(r);
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
