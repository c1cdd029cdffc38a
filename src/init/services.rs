//! The longruns the init supervises: each service dir with its
//! `supervise/` control side, its `Longrun` table, its readiness pipe, and
//! the `log/` pipe the init holds between a service and its logger (so no
//! line is lost when either restarts). Carries out the supervisor's actions.

use std::os::fd::{AsRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use nix::unistd::Pid;

use super::service::ServiceDef;
use super::supervisor::{Action, Event, Longrun, State};
use crate::chain::Env;
use crate::chain::spawn::ExecReport;
use crate::s6::supervise_dir::SuperviseDir;

pub struct Supervised {
    pub name: String,
    pub dir: PathBuf,
    ctl: SuperviseDir,
    pub lr: Longrun,
    notify: Option<OwnedFd>,
    /// Until `./run` has exec'd: where the child reports a failed exec.
    exec_report: Option<ExecReport>,
    started_once: bool,
    /// Index into `Services::pipes`: this service writes its stdout there…
    stdout_pipe: Option<usize>,
    /// …or, for a logger, reads its stdin from there.
    stdin_pipe: Option<usize>,
}

/// A `log/` pipe: read end for the logger, write end for the producer
/// (dropped at shutdown once the producer is gone, so the logger sees EOF).
struct LogPipe {
    read: OwnedFd,
    write: Option<OwnedFd>,
}

#[derive(Default)]
pub struct Services {
    pub list: Vec<Supervised>,
    pipes: Vec<LogPipe>,
    /// Messages for the init's log (level, text), taken by `drain_log`.
    log: Vec<(u8, String)>,
}

impl Services {
    /// Starts supervising the service dir `dir` under `name` (and its
    /// `log/`, if it has one). Problems are logged; nothing else stops.
    pub fn add(&mut self, name: &str, dir: &Path, env: &Env, mask: &libc::sigset_t) {
        let logdir = dir.join("log");
        let pipe = if logdir.is_dir() {
            match crate::chain::fd::pipe() {
                Ok((read, write)) => {
                    self.pipes.push(LogPipe {
                        read,
                        write: Some(write),
                    });
                    Some(self.pipes.len() - 1)
                }
                Err(e) => {
                    self.note(1, format!("{name}: unable to create the log pipe: {e}"));
                    None
                }
            }
        } else {
            None
        };
        if pipe.is_some() {
            self.supervise(format!("{name}/log"), &logdir, None, pipe, env, mask);
        }
        self.supervise(name.to_owned(), dir, pipe, None, env, mask);
    }

    fn supervise(
        &mut self,
        name: String,
        dir: &Path,
        stdout_pipe: Option<usize>,
        stdin_pipe: Option<usize>,
        env: &Env,
        mask: &libc::sigset_t,
    ) {
        let def = match ServiceDef::read(dir) {
            Ok(d) => d,
            Err(problems) => {
                for p in problems {
                    self.note(
                        0,
                        format!("service {name}: {}/{p}; not started", dir.display()),
                    );
                }
                return;
            }
        };
        let ctl = match SuperviseDir::take(dir) {
            Ok(c) => c,
            Err(e) => {
                let why = crate::error::describe(&e);
                self.note(
                    0,
                    format!(
                        "service {name}: unable to supervise {}: {why}",
                        dir.display()
                    ),
                );
                return;
            }
        };
        let (lr, actions) = Longrun::new(def, SystemTime::now());
        self.list.push(Supervised {
            name,
            dir: dir.to_path_buf(),
            ctl,
            lr,
            notify: None,
            exec_report: None,
            started_once: false,
            stdout_pipe,
            stdin_pipe,
        });
        let i = self.list.len() - 1;
        self.carry_out(i, actions, env, mask);
    }

    fn note(&mut self, level: u8, msg: String) {
        self.log.push((level, msg));
    }

    pub fn drain_log(&mut self) -> Vec<(u8, String)> {
        std::mem::take(&mut self.log)
    }

    /// Every fd the event loop must watch: control FIFOs and readiness pipes.
    pub fn fds(&self) -> Vec<i32> {
        let mut fds = Vec::new();
        for s in self.list.iter().filter(|s| !s.lr.gone) {
            fds.push(s.ctl.control_fd());
            if let Some(n) = &s.notify {
                fds.push(n.as_raw_fd());
            }
            if let Some(r) = &s.exec_report {
                fds.push(r.raw_fd());
            }
        }
        fds
    }

    pub fn next_deadline(&self) -> Option<Instant> {
        self.list
            .iter()
            .filter(|s| !s.lr.gone)
            .filter_map(|s| s.lr.deadline)
            .min()
    }

    /// Feeds one event to service `i` and carries out what it answers.
    fn feed(&mut self, i: usize, ev: Event, env: &Env, mask: &libc::sigset_t) {
        let actions = self.list[i].lr.on(ev, Instant::now(), SystemTime::now());
        self.carry_out(i, actions, env, mask);
    }

    /// `./run` of service `i` has exec'd, or failed to: a failure is a
    /// spawn failure (retried in 10 s), not a death.
    fn settle_exec(&mut self, i: usize, env: &Env, mask: &libc::sigset_t) -> bool {
        let Some(report) = self.list[i].exec_report.take() else {
            return false;
        };
        let Some(errno) = report.outcome() else {
            return false;
        };
        let name = self.list[i].name.clone();
        self.note(
            0,
            format!(
                "service {name}: unable to spawn ./run: {}; trying again in 10 seconds",
                errno.desc()
            ),
        );
        self.list[i].notify = None;
        let actions = self.list[i].lr.exec_failed(Instant::now());
        self.carry_out(i, actions, env, mask);
        true
    }

    /// `fd` is readable: control bytes or a readiness notification.
    pub fn on_readable(&mut self, fd: i32, env: &Env, mask: &libc::sigset_t) {
        if let Some(i) = self
            .list
            .iter()
            .position(|s| s.exec_report.as_ref().is_some_and(|r| r.raw_fd() == fd))
        {
            self.settle_exec(i, env, mask);
            return;
        }
        let Some(i) = self.list.iter().position(|s| {
            !s.lr.gone
                && (s.ctl.control_fd() == fd
                    || s.notify.as_ref().is_some_and(|n| n.as_raw_fd() == fd))
        }) else {
            return;
        };
        if self.list[i].ctl.control_fd() == fd {
            for byte in self.list[i].ctl.read_commands() {
                if !b"abqhkti12pcyroduxODUQ".contains(&byte) {
                    let name = self.list[i].name.clone();
                    self.note(
                        1,
                        format!("service {name}: ignoring control byte {byte:#04x}"),
                    );
                    continue;
                }
                self.feed(i, Event::Command(byte), env, mask);
            }
            return;
        }
        let mut buf = [0u8; 512];
        let s = &mut self.list[i];
        let got = s
            .notify
            .as_ref()
            .map(|n| nix::unistd::read(n, &mut buf).unwrap_or(0))
            .unwrap_or(0);
        if got == 0 || buf[..got].contains(&b'\n') {
            // Ready, or the daemon closed the fd without saying so.
            s.notify = None;
            if got > 0 {
                self.feed(i, Event::Ready, env, mask);
            }
        }
    }

    /// A reaped child: true if it was one of ours.
    pub fn on_exit(
        &mut self,
        pid: Pid,
        status: nix::sys::wait::WaitStatus,
        env: &Env,
        mask: &libc::sigset_t,
    ) -> bool {
        let raw = crate::s6::status::raw_wstat(status);
        let Some(i) = self.list.iter().position(|s| {
            !s.lr.gone && s.lr.state != State::Down && s.lr.status.pid == pid.as_raw() as u64
        }) else {
            return false;
        };
        if self.list[i].lr.state == State::Up && self.settle_exec(i, env, mask) {
            return true;
        }
        let ev = match self.list[i].lr.state {
            State::Up => Event::RunDied(raw),
            _ => Event::FinishDied(raw),
        };
        self.feed(i, ev, env, mask);
        true
    }

    pub fn on_time(&mut self, now: Instant, env: &Env, mask: &libc::sigset_t) {
        for i in 0..self.list.len() {
            let s = &self.list[i];
            if !s.lr.gone && s.lr.deadline.is_some_and(|d| d <= now) {
                self.feed(i, Event::Timeout, env, mask);
            }
        }
    }

    /// The container is stopping: every service goes down and its
    /// supervision ends; loggers are left to drain their pipe to EOF.
    pub fn stop_all(&mut self, env: &Env, mask: &libc::sigset_t) {
        for i in 0..self.list.len() {
            if self.list[i].stdin_pipe.is_some() {
                self.feed(i, Event::Command(b'O'), env, mask);
                self.feed(i, Event::Command(b'x'), env, mask);
            } else {
                self.feed(i, Event::Stop, env, mask);
            }
        }
        self.close_finished_producers();
    }

    /// Like `stop_all`, but loggers get their down-signal too (s6-svscan's QUIT).
    pub fn stop_all_with_loggers(&mut self, env: &Env, mask: &libc::sigset_t) {
        for i in 0..self.list.len() {
            self.feed(i, Event::Stop, env, mask);
        }
        self.close_finished_producers();
    }

    /// Stops one service (its directory is gone); its logger drains.
    pub fn stop_one(&mut self, name: &str, env: &Env, mask: &libc::sigset_t) {
        let logger = format!("{name}/log");
        for i in 0..self.list.len() {
            if self.list[i].name == name {
                self.feed(i, Event::Stop, env, mask);
            } else if self.list[i].name == logger {
                self.feed(i, Event::Command(b'O'), env, mask);
                self.feed(i, Event::Command(b'x'), env, mask);
            }
        }
        self.close_finished_producers();
    }

    /// Drops the init's write end of the log pipe of every producer that is
    /// no longer supervised, so its logger reads EOF.
    fn close_finished_producers(&mut self) {
        for s in &self.list {
            if s.lr.gone
                && let Some(p) = s.stdout_pipe
            {
                self.pipes[p].write = None;
            }
        }
    }

    pub fn all_gone(&self) -> bool {
        self.list.iter().all(|s| s.lr.gone)
    }

    /// Stops supervising at once (the grace time is over).
    pub fn abandon(&mut self) {
        for s in &mut self.list {
            s.lr.gone = true;
        }
        self.pipes.clear();
    }

    /// The names of services not yet up (or not ready, if they notify).
    pub fn not_up(&self) -> impl Iterator<Item = String> + '_ {
        self.list
            .iter()
            .filter(|s| !s.lr.gone && !Self::is_up(s))
            .map(|s| s.name.clone())
    }

    fn is_up(s: &Supervised) -> bool {
        s.lr.state == State::Up && (s.lr.def.notification_fd.is_none() || s.lr.status.ready)
    }

    /// Whether every supervised service is up, and ready if it notifies.
    pub fn all_up(&self) -> bool {
        self.not_up().next().is_none()
    }

    fn carry_out(&mut self, i: usize, actions: Vec<Action>, env: &Env, mask: &libc::sigset_t) {
        let mut queue: std::collections::VecDeque<Action> = actions.into();
        while let Some(action) = queue.pop_front() {
            let now = Instant::now();
            let wall = SystemTime::now();
            match action {
                Action::SpawnRun => match self.spawn_run(i, env, mask) {
                    Ok(pid) => queue.extend(self.list[i].lr.started(pid, now, wall)),
                    Err(why) => {
                        let name = self.list[i].name.clone();
                        self.note(0, format!("service {name}: unable to spawn ./run: {why}; trying again in 10 seconds"));
                        self.list[i].lr.spawn_failed(now);
                    }
                },
                Action::SpawnFinish { code, sig } => {
                    self.list[i].notify = None;
                    let s = &self.list[i];
                    let argv = vec![
                        b"./finish".to_vec(),
                        code.to_string().into_bytes(),
                        sig.to_string().into_bytes(),
                        s.name
                            .rsplit('/')
                            .next()
                            .unwrap_or_default()
                            .as_bytes()
                            .to_vec(),
                    ];
                    let more = if s.dir.join("finish").exists() {
                        // A finish that cannot exec dies with 127, as under s6.
                        match self.spawn_in(i, argv, None, None, env, mask) {
                            Ok((pid, _)) => self.list[i].lr.finishing(pid, now),
                            Err(why) => {
                                let name = self.list[i].name.clone();
                                self.note(
                                    1,
                                    format!("service {name}: unable to spawn ./finish: {why}"),
                                );
                                self.list[i].lr.finish_failed(now, wall)
                            }
                        }
                    } else {
                        self.list[i].lr.finish_failed(now, wall)
                    };
                    queue.extend(more);
                }
                Action::Signal(sig) => {
                    let pid = self.list[i].lr.status.pid;
                    if let Ok(pid) = i32::try_from(pid)
                        && pid > 0
                    {
                        let _ = super::signals::send(pid, sig);
                    }
                }
                Action::RecordDeath => {
                    let s = &mut self.list[i];
                    let keep = s.lr.def.max_death_tally;
                    if let Err(e) = s.ctl.record_death(wall, s.lr.status.wstat, keep) {
                        let msg = format!(
                            "service {}: unable to write death_tally: {}",
                            s.name,
                            crate::error::describe(&e)
                        );
                        self.note(1, msg);
                    }
                }
                Action::WriteStatus => {
                    let s = &self.list[i];
                    if let Err(e) = s.lr.status.write(&s.dir) {
                        let msg = format!(
                            "service {}: unable to write supervise/status: {}",
                            s.name,
                            crate::error::describe(&e)
                        );
                        self.note(1, msg);
                    }
                }
                Action::Announce(events) => self.list[i].ctl.notify(events),
                Action::DownFile(make) => {
                    let at = self.list[i].dir.join("down");
                    let done = if make {
                        std::fs::write(&at, b"")
                    } else {
                        std::fs::remove_file(&at).or_else(|e| {
                            if e.kind() == std::io::ErrorKind::NotFound {
                                Ok(())
                            } else {
                                Err(e)
                            }
                        })
                    };
                    if let Err(e) = done {
                        let msg = format!(
                            "service {}: unable to update {}: {}",
                            self.list[i].name,
                            at.display(),
                            crate::error::describe(&e)
                        );
                        self.note(1, msg);
                    }
                }
            }
        }
        self.close_finished_producers();
    }

    /// Spawns `./run NAME` with a readiness pipe if the service asks for one.
    fn spawn_run(&mut self, i: usize, env: &Env, mask: &libc::sigset_t) -> Result<i32, String> {
        let s = &self.list[i];
        // The first start uses the definition just read; restarts read the
        // directory again, to pick up edits.
        let def = if !s.started_once {
            s.lr.def.clone()
        } else {
            ServiceDef::read(&s.dir).map_err(|p| p.join("; "))?
        };
        let notify = match def.notification_fd {
            Some(fd) => Some((fd, crate::chain::fd::pipe().map_err(|e| e.to_string())?)),
            None => None,
        };
        let name = s
            .name
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .as_bytes()
            .to_vec();
        let argv = vec![b"./run".to_vec(), name];
        let (to_child, mine) = match notify {
            Some((fd, (r, w))) => (Some((fd, w)), Some(r)),
            None => (None, None),
        };
        let lock = def.lock_fd;
        self.list[i].lr.def = def;
        let (pid, report) = self.spawn_in(i, argv, to_child, lock, env, mask)?;
        self.list[i].notify = mine;
        self.list[i].exec_report = Some(report);
        self.list[i].started_once = true;
        Ok(pid)
    }

    /// Forks `argv` in the service dir, in a new session, with the log pipe
    /// on stdin or stdout and the readiness pipe's write end on its fd.
    fn spawn_in(
        &self,
        i: usize,
        argv: Vec<Vec<u8>>,
        notify: Option<(i32, OwnedFd)>,
        lock_fd: Option<i32>,
        env: &Env,
        mask: &libc::sigset_t,
    ) -> Result<(i32, ExecReport), String> {
        use crate::chain::fd;
        let s = &self.list[i];
        let dir = s.dir.clone();
        let stdin = s.stdin_pipe.map(|p| self.pipes[p].read.as_raw_fd());
        let stdout = s
            .stdout_pipe
            .and_then(|p| self.pipes[p].write.as_ref().map(AsRawFd::as_raw_fd));
        let mask = *mask;
        let setup = move || -> crate::error::Result<()> {
            nix::unistd::chdir(&dir)
                .map_err(|e| crate::error::Error::sys("chdir to the service dir", e))?;
            let _ = nix::unistd::setsid();
            match stdin {
                Some(r) => fd::copy(0, r)?,
                None => {
                    let null = nix::fcntl::open(
                        "/dev/null",
                        nix::fcntl::OFlag::O_RDONLY,
                        nix::sys::stat::Mode::empty(),
                    )
                    .map_err(|e| crate::error::Error::sys("open /dev/null", e))?;
                    fd::install(0, null)?;
                }
            }
            if let Some(w) = stdout {
                fd::copy(1, w)?;
            }
            if let Some((n, w)) = notify {
                fd::install(n, w)?;
            }
            if let Some(n) = lock_fd {
                take_service_lock(n)?;
            }
            super::signals::Signals::restore_in_child(&mask);
            Ok(())
        };
        crate::chain::spawn::spawn_detached(argv, env, setup)
            .map(|(pid, report)| (pid.as_raw(), report))
            .map_err(|e| e.to_string())
    }
}

/// In `run`'s child: lock `supervise/service.lock` on fd `n` (flock, so the
/// lock lives as long as any process of the service holds the fd). If a
/// previous instance still holds it, say so and wait for it.
fn take_service_lock(n: i32) -> crate::error::Result<()> {
    use crate::error::Error;
    let f = nix::fcntl::open(
        "supervise/service.lock",
        nix::fcntl::OFlag::O_RDWR | nix::fcntl::OFlag::O_CREAT,
        nix::sys::stat::Mode::from_bits_truncate(0o644),
    )
    .map_err(|e| Error::sys("open supervise/service.lock", e))?;
    // SAFETY: flock on an fd we own; no memory involved.
    if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } < 0 {
        eprintln!(
            "chainit: warning: a previous instance of the service still holds its lock; waiting"
        );
        // SAFETY: as above, blocking this time.
        if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) } < 0 {
            return Err(Error::sys(
                "lock supervise/service.lock",
                nix::errno::Errno::last(),
            ));
        }
    }
    crate::chain::fd::install(n, f)
}
