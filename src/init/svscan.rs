//! `s6-svscan [SCANDIR]`: supervise every service dir of a scan directory,
//! as PID 1 or not, in this one process (no s6-supervise per service). Same
//! control FIFO (`.s6-svscan/control`, for s6-svscanctl), signals and
//! `.s6-svscan/` hooks as s6-svscan 2.11; `finish` is exec'd at the end.
#![deny(clippy::unwrap_used, clippy::expect_used)]

use crate::error::ErrnoText;
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::{Path, PathBuf};

use super::services::Services;
use super::signals::{self, Signals};
use crate::chain::Env;
use crate::s6::files::{control_fifo, write_lock};

/// How the scan ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Teardown {
    /// Services down, loggers left to drain (TERM, INT, `-t`, `-i`).
    Clean,
    /// Loggers killed too (QUIT, `-q`).
    All,
    /// Exec finish at once, leaving everything running (ABRT, `-b`).
    Abort,
}

/// s6-svscan's options.
pub struct Options {
    /// `-d`: the fd to write a newline to once commands are accepted (-1: none).
    pub notify: i32,
    /// `-t`: scan again every so many ms (0: only when told to).
    pub rescan_ms: u64,
    /// `-c`: supervise at most this many service directories.
    pub max: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            notify: -1,
            rescan_ms: 0,
            max: 500,
        }
    }
}

struct Scan {
    dir: PathBuf,
    /// `-t`: when to scan next.
    rescan: Option<(std::time::Duration, std::time::Instant)>,
    max: usize,
    services: Services,
    env: Env,
    signals: Signals,
    control: OwnedFd,
    _control_writer: OwnedFd,
    _lock: OwnedFd,
    ending: Option<Teardown>,
}

fn err(what: &str, e: impl std::fmt::Display) -> String {
    format!("unable to {what}: {e}")
}

/// `.s6-svscan/`: a lock no other scanner may hold, and the control FIFO.
fn take_control(dir: &Path) -> Result<(OwnedFd, OwnedFd, OwnedFd), (i32, String)> {
    let ctl = dir.join(".s6-svscan");
    if let Err(e) = std::fs::create_dir(&ctl)
        && e.kind() != std::io::ErrorKind::AlreadyExists
    {
        return Err((111, err("mkdir .s6-svscan", e)));
    }
    let lock = write_lock(&ctl.join("lock"), 0o600)
        .map_err(|e| (111, err("lock .s6-svscan/lock", e)))?
        .ok_or_else(|| {
            let msg = format!(
                "another instance of s6-svscan is already running on {}",
                dir.display()
            );
            (100, msg)
        })?;
    let (r, w) = control_fifo(&ctl.join("control"), 0o600)
        .map_err(|e| (111, err("open .s6-svscan/control", e)))?;
    Ok((r, w, lock))
}

/// Runs the scanner to its end; returns the exit code (after `finish`
/// could not be exec'd, or without one).
pub fn run(dir: PathBuf) -> i32 {
    run_with(dir, Options::default())
}

/// s6-svscan gives up on a broken system by exec'ing `.s6-svscan/crash`;
/// only if that fails does it exit 111.
fn crash(msg: &str) -> i32 {
    eprintln!("s6-svscan: fatal: {msg}");
    let argv = vec![b"./.s6-svscan/crash".to_vec()];
    if super::service::executable(Path::new(".s6-svscan/crash")).is_ok() {
        let errno = crate::chain::exec_first(&argv, &Env::from_process());
        eprintln!(
            "s6-svscan: fatal: unable to exec .s6-svscan/crash: {}",
            errno.text()
        );
    }
    111
}

/// `run` with s6-svscan's options.
pub fn run_with(dir: PathBuf, opts: Options) -> i32 {
    let notify = opts.notify;
    let fatal = |code: i32, msg: String| {
        eprintln!("s6-svscan: fatal: {msg}");
        code
    };
    if let Err(e) = std::env::set_current_dir(&dir) {
        return fatal(111, err(&format!("chdir to {}", dir.display()), e));
    }
    let (control, writer, lock) = match take_control(Path::new(".")) {
        Ok(fds) => fds,
        Err((code, msg)) => return fatal(code, msg),
    };
    let signals = match Signals::take() {
        Ok(s) => s,
        Err(e) => return crash(&err("block signals", e)),
    };
    let rescan = (opts.rescan_ms > 0).then(|| {
        let every = std::time::Duration::from_millis(opts.rescan_ms);
        (every, std::time::Instant::now() + every)
    });
    let mut scan = Scan {
        dir: PathBuf::from("."),
        rescan,
        max: opts.max.clamp(2, 90000),
        services: Services::default(),
        env: Env::from_process(),
        signals,
        control,
        _control_writer: writer,
        _lock: lock,
        ending: None,
    };
    if std::process::id() != 1 {
        // Not PID 1: collect our services' orphans all the same.
        // SAFETY: prctl with integer arguments only.
        unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    }
    if notify >= 0 {
        // SAFETY: writes one byte from a static buffer to a caller-given fd.
        unsafe {
            libc::write(notify, b"\n".as_ptr().cast(), 1);
            libc::close(notify);
        }
    }
    scan.scan();
    // Everything is started: keep only the code pages the loop uses.
    super::memory::trim();
    scan.main_loop();
    scan.finish()
}

impl Scan {
    /// Supervises every service dir not supervised yet.
    fn scan(&mut self) {
        let known: Vec<String> = self.services.list.iter().map(|s| s.name.clone()).collect();
        let mut count = known.iter().filter(|n| !n.contains('/')).count();
        for (name, _) in super::service::list(&self.dir) {
            if !known.contains(&name) {
                if count >= self.max {
                    eprintln!(
                        "s6-svscan: warning: unable to start supervising {name}: too many services (-c {})",
                        self.max
                    );
                    continue;
                }
                count += 1;
                let mask = self.signals.original;
                // A linked service (s6-svlink) is supervised where the link
                // points, as s6-supervise works from inside it: removing the
                // link (s6-svunlink) must not cut its supervisor off.
                let entry = self.dir.join(&name);
                let dir = match std::fs::symlink_metadata(&entry) {
                    Ok(m) if m.file_type().is_symlink() => {
                        std::fs::canonicalize(&entry).unwrap_or(entry)
                    }
                    _ => entry,
                };
                self.services.add(&name, &dir, &self.env, &mask);
            }
        }
        self.flush_log();
    }

    /// Stops the services whose entry in the scan dir is gone.
    fn prune(&mut self) {
        let mask = self.signals.original;
        let vanished: Vec<String> = self
            .services
            .list
            .iter()
            .filter(|s| !s.lr.gone && !self.dir.join(&s.name).is_dir())
            .map(|s| s.name.clone())
            .collect();
        for name in vanished {
            self.services.stop_one(&name, &self.env, &mask);
        }
    }

    fn flush_log(&mut self) {
        use std::io::Write;
        for (level, msg) in self.services.drain_log() {
            let kind = if level == 0 { "warning" } else { "info" };
            if level <= 1 {
                let _ =
                    std::io::stderr().write_all(format!("s6-svscan: {kind}: {msg}\n").as_bytes());
            }
        }
    }

    fn main_loop(&mut self) {
        loop {
            self.flush_log();
            match self.ending {
                Some(Teardown::Abort) => return,
                Some(_) if self.services.all_gone() => return,
                _ => {}
            }
            let control = self.control.as_raw_fd();
            let fds: Vec<i32> = [self.signals.raw_fd(), control]
                .into_iter()
                .chain(self.services.fds())
                .collect();
            let next_scan = self.rescan.map(|(_, at)| at);
            let deadline = [self.services.next_deadline(), next_scan]
                .into_iter()
                .flatten()
                .min();
            let ready = super::poll::readable(&fds, deadline);
            let mask = self.signals.original;
            for &fd in &ready {
                if fd == control {
                    self.on_control();
                } else if fd != self.signals.raw_fd() {
                    self.services.on_readable(fd, &self.env, &mask);
                }
            }
            for sig in self.signals.drain() {
                self.on_signal(sig);
            }
            for (pid, status) in super::reaper::reap_all().dead {
                self.services.on_exit(pid, status, &self.env, &mask);
            }
            if self.ending.is_none() {
                self.services.forget_gone();
            }
            let now = std::time::Instant::now();
            self.services.on_time(now, &self.env, &mask);
            if let Some((every, at)) = self.rescan
                && at <= now
                && self.ending.is_none()
            {
                self.rescan = Some((every, now + every));
                self.scan();
            }
        }
    }

    fn on_control(&mut self) {
        for c in crate::s6::files::drain(&self.control) {
            match c {
                b'a' => self.scan(),
                b'h' => {
                    self.scan();
                    self.prune();
                }
                b'n' | b'N' => self.prune(),
                b'b' => self.end(Teardown::Abort),
                b'i' | b't' => self.end(Teardown::Clean),
                b'q' => self.end(Teardown::All),
                b'z' => {}
                _ => eprintln!("s6-svscan: warning: unknown control command: {c:#04x}"),
            }
        }
    }

    fn on_signal(&mut self, sig: i32) {
        if sig == libc::SIGCHLD {
            return;
        }
        if sig == libc::SIGALRM {
            return self.scan();
        }
        if sig == libc::SIGABRT {
            return self.end(Teardown::Abort);
        }
        let hook = Path::new(".s6-svscan").join(signals::name(sig));
        if super::service::executable(&hook).is_ok() {
            let mask = self.signals.original;
            let setup = move || {
                Signals::restore_in_child(&mask);
                Ok(())
            };
            let argv = vec![hook.as_os_str().as_encoded_bytes().to_vec()];
            if let Err(e) = crate::chain::spawn::spawn_with(argv, &self.env, setup) {
                eprintln!(
                    "s6-svscan: warning: unable to spawn {}: {e}",
                    hook.display()
                );
            }
            return;
        }
        match sig {
            libc::SIGHUP => {
                self.scan();
                self.prune();
            }
            libc::SIGINT | libc::SIGTERM => self.end(Teardown::Clean),
            libc::SIGQUIT => self.end(Teardown::All),
            _ => {}
        }
    }

    fn end(&mut self, how: Teardown) {
        if self.ending.is_some() && how != Teardown::Abort {
            return;
        }
        self.ending = Some(how);
        let mask = self.signals.original;
        match how {
            Teardown::Abort => {}
            Teardown::Clean => self.services.stop_all(&self.env, &mask),
            Teardown::All => self.services.stop_all_with_loggers(&self.env, &mask),
        }
    }

    /// Exec `.s6-svscan/finish` if there is one, else exit 0.
    fn finish(self) -> i32 {
        let finish = Path::new(".s6-svscan/finish");
        if super::service::executable(finish).is_err() {
            return 0;
        }
        Signals::restore_in_child(&self.signals.original);
        let argv = vec![b"./.s6-svscan/finish".to_vec()];
        let errno = crate::chain::exec_first(&argv, &self.env);
        eprintln!(
            "s6-svscan: fatal: unable to exec .s6-svscan/finish: {}",
            errno.text()
        );
        111
    }
}
