//! The longruns the init supervises: each service dir with its
//! `supervise/` control side, its `Longrun` table, its readiness pipe, and
//! the `log/` pipe the init holds between a service and its logger (so no
//! line is lost when either restarts). Carries out the supervisor's actions.

mod actions;
mod health;
mod launch;
mod notify;
mod stop;

use crate::error::ErrnoText;
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

/// Why a service could not be supervised, for `chainit status`.
pub const PROBLEM: &str = "supervise/problem";

use nix::unistd::Pid;

use super::service::ServiceDef;
use super::supervisor::{Event, Longrun, State};
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
    health: health::Checker,
    /// `notify-socket`: the sd_notify socket the service talks to.
    notify_socket: Option<notify::Notify>,
    /// `CHAINIT_LOG_PREFIX`: its console streams (stdout unless it has a
    /// log pipe, and stderr) in `Services::relay`.
    console: (Option<usize>, Option<usize>),
    /// The policy record as last reported in an event.
    reported: crate::init::details::Details,
}

impl Supervised {
    /// The name `run`, `finish` and `health-check` get as an argument: the
    /// directory's own (`web` for `web/log` too, as s6 does).
    fn short_name(&self) -> Vec<u8> {
        self.name
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .as_bytes()
            .to_vec()
    }
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
    /// An essential service stopped for good: its name and exit code,
    /// taken by `take_halt`.
    halt: Option<(String, i32)>,
    /// `CHAINIT_LOG_PREFIX`: the prefixed console streams.
    pub relay: Option<crate::init::console::Relay>,
    /// State changes as JSON lines, taken by `drain_events` (only when
    /// `record_events`: the init has an event log, s6-svscan none).
    events: Vec<String>,
    pub record_events: bool,
}

impl Services {
    /// Starts supervising the service dir `dir` under `name` (and its
    /// `log/`, if it has one). Problems are logged; nothing else stops.
    pub fn add(
        &mut self,
        name: &str,
        dir: &Path,
        env: &Env,
        mask: &libc::sigset_t,
    ) -> Option<usize> {
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
        self.supervise(name.to_owned(), dir, pipe, None, env, mask)
    }

    /// A pipe the init holds between producers and a consumer (s6-rc
    /// pipelines); the index is what `supervise` takes.
    pub fn new_pipe(&mut self) -> crate::error::Result<usize> {
        let (read, write) = crate::chain::fd::pipe()?;
        self.pipes.push(LogPipe {
            read,
            write: Some(write),
        });
        Ok(self.pipes.len() - 1)
    }

    /// Supervises `dir` as `name`, stdout into pipe `stdout_pipe` and stdin
    /// from `stdin_pipe`; returns its index, or `None` (logged) if it
    /// cannot be supervised.
    pub fn supervise(
        &mut self,
        name: String,
        dir: &Path,
        stdout_pipe: Option<usize>,
        stdin_pipe: Option<usize>,
        env: &Env,
        mask: &libc::sigset_t,
    ) -> Option<usize> {
        let def = match ServiceDef::read(dir) {
            Ok(d) => d,
            Err(problems) => {
                for p in &problems {
                    self.note(
                        0,
                        format!("service {name}: {}/{p}; not started", dir.display()),
                    );
                }
                // `chainit status` shows why it is down.
                let _ = std::fs::create_dir_all(dir.join("supervise"))
                    .and_then(|()| std::fs::write(dir.join(PROBLEM), problems.join("; ") + "\n"));
                return None;
            }
        };
        for w in &def.warnings {
            self.note(1, format!("service {name}: {w}"));
        }
        let (lr, actions) = Longrun::new(def, SystemTime::now());
        let notify_socket = if lr.def.policy.notify_socket {
            match notify::Notify::open(dir) {
                Ok(n) => Some(n),
                Err(e) => {
                    self.note(
                        1,
                        format!(
                            "service {name}: unable to make its notify socket: {e}; it has none"
                        ),
                    );
                    None
                }
            }
        } else {
            None
        };
        let console = self.console_streams(&name, stdout_pipe.is_some());
        let ctl = match SuperviseDir::take(dir, &lr.status) {
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
                return None;
            }
        };
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
            health: health::Checker::default(),
            notify_socket,
            console,
            reported: Default::default(),
        });
        let i = self.list.len() - 1;
        self.carry_out(i, actions, env, mask);
        Some(i)
    }

    /// With `CHAINIT_LOG_PREFIX`, streams for `name`'s stderr and (unless
    /// it has a log pipe) stdout.
    fn console_streams(&mut self, name: &str, piped: bool) -> (Option<usize>, Option<usize>) {
        let Some(relay) = &mut self.relay else {
            return (None, None);
        };
        let out = if piped {
            None
        } else {
            relay.stream(name, 1).ok()
        };
        let err = relay.stream(name, 2).ok();
        (out, err)
    }

    /// A console stream for the CMD (`CHAINIT_LOG_PREFIX=all`): the fds
    /// it gets as stdout and stderr.
    pub fn cmd_console(&mut self) -> Option<(i32, i32)> {
        let relay = self.relay.as_mut()?;
        let out = relay.stream("cmd", 1).ok()?;
        let err = relay.stream("cmd", 2).ok()?;
        Some((relay.child_fd(out), relay.child_fd(err)))
    }

    /// Outputs the relay waits to write to.
    pub fn write_fds(&self) -> Vec<i32> {
        self.relay.as_ref().map(|r| r.fds().1).unwrap_or_default()
    }

    pub fn on_writable(&mut self, fd: i32) {
        if let Some(r) = &mut self.relay {
            r.on_writable(fd);
        }
    }

    fn note(&mut self, level: u8, msg: String) {
        self.log.push((level, msg));
    }

    /// The essential service that stopped for good, once.
    pub fn take_halt(&mut self) -> Option<(String, i32)> {
        self.halt.take()
    }

    #[inline(always)]
    pub fn has_log(&self) -> bool {
        !self.log.is_empty() || !self.events.is_empty()
    }

    pub fn drain_events(&mut self) -> Vec<String> {
        std::mem::take(&mut self.events)
    }

    pub fn drain_log(&mut self) -> Vec<(u8, String)> {
        std::mem::take(&mut self.log)
    }

    /// Drops the services whose supervision ended, closing their control
    /// FIFO and lock as an exiting s6-supervise does: s6-svok then says
    /// unsupervised, and the same directory can be supervised again.
    pub fn forget_gone(&mut self) {
        self.list.retain(|s| !s.lr.gone);
    }

    /// No live service, so no fd of theirs to watch.
    pub fn watches_nothing(&self) -> bool {
        self.relay.is_none() && self.list.iter().all(|s| s.lr.gone)
    }

    /// Every fd the event loop must watch: control FIFOs and readiness pipes.
    pub fn fds(&self) -> Vec<i32> {
        let mut fds = self.relay.as_ref().map(|r| r.fds().0).unwrap_or_default();
        for s in self.list.iter().filter(|s| !s.lr.gone) {
            fds.push(s.ctl.control_fd());
            if let Some(n) = &s.notify {
                fds.push(n.as_raw_fd());
            }
            if let Some(r) = &s.exec_report {
                fds.push(r.raw_fd());
            }
            fds.extend(s.health.fd());
            fds.extend(s.notify_socket.as_ref().map(notify::Notify::raw_fd));
        }
        fds
    }

    pub fn next_deadline(&self) -> Option<Instant> {
        let relay = self.relay.as_ref().and_then(|r| r.deadline());
        self.list
            .iter()
            .filter(|s| !s.lr.gone)
            .flat_map(|s| {
                let watchdog = s.notify_socket.as_ref().and_then(notify::Notify::deadline);
                [s.lr.deadline, s.health.deadline(), watchdog]
            })
            .flatten()
            .chain(relay)
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
                errno.text()
            ),
        );
        self.list[i].notify = None;
        let actions = self.list[i].lr.exec_failed(Instant::now());
        self.carry_out(i, actions, env, mask);
        true
    }

    /// `fd` is readable: control bytes or a readiness notification.
    pub fn on_readable(&mut self, fd: i32, env: &Env, mask: &libc::sigset_t) {
        if self.relay.as_mut().is_some_and(|r| r.on_readable(fd)) {
            return;
        }
        if let Some(i) = self
            .list
            .iter()
            .position(|s| s.exec_report.as_ref().is_some_and(|r| r.raw_fd() == fd))
        {
            self.settle_exec(i, env, mask);
            return;
        }
        if self.health_readable(fd) || self.notify_readable(fd, env, mask) {
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
            // Unknown bytes are counted and said once per read, so garbage
            // written to the FIFO cannot flood the log.
            let mut unknown = (0usize, 0u8);
            for byte in self.list[i].ctl.read_commands() {
                if !b"abqhkti12pcyroduxODUQ".contains(&byte) {
                    if unknown.0 == 0 {
                        unknown.1 = byte;
                    }
                    unknown.0 += 1;
                    continue;
                }
                self.feed(i, Event::Command(byte), env, mask);
            }
            if unknown.0 > 0 {
                let name = self.list[i].name.clone();
                let what = match unknown.0 {
                    1 => format!("control byte {:#04x}", unknown.1),
                    n => format!("{n} unknown control bytes (the first {:#04x})", unknown.1),
                };
                self.note(1, format!("service {name}: ignoring {what}"));
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
        let code = match i32::from(raw & 0x7f) {
            0 => i32::from(raw >> 8),
            sig => 128 + sig,
        };
        if self.health_exited(pid.as_raw(), code, env, mask) {
            return true;
        }
        let Some(i) = self.list.iter().position(|s| {
            !s.lr.gone && s.lr.state != State::Down && s.lr.status.pid == pid.as_raw() as u64
        }) else {
            return false;
        };
        if self.list[i].lr.state == State::Up && self.settle_exec(i, env, mask) {
            return true;
        }
        let ev = match self.list[i].lr.state {
            State::Up => {
                self.note_death(i, status);
                self.health_stopped(i);
                self.notify_stopped(i);
                Event::RunDied(raw)
            }
            _ => Event::FinishDied(raw),
        };
        self.feed(i, ev, env, mask);
        true
    }

    /// Says once per death of a service that is wanted up how it died (a
    /// crash loop is then visible in the init's own log). A death by its
    /// own down-signal, or a clean exit, is news, not a warning.
    fn note_death(&mut self, i: usize, status: nix::sys::wait::WaitStatus) {
        use nix::sys::wait::WaitStatus::{Exited, Signaled};
        let s = &self.list[i];
        if !s.lr.status.want_up || s.lr.exiting {
            return;
        }
        let (how, level) = match status {
            Exited(_, 0) => ("exited 0".to_owned(), 2),
            Exited(_, code) => (format!("exited {code}"), 1),
            Signaled(_, sig, _) => {
                let level = if sig as i32 == s.lr.def.down_signal {
                    2
                } else {
                    1
                };
                (format!("was killed by {sig} ({})", 128 + sig as i32), level)
            }
            _ => return,
        };
        let msg = format!("service {}: ./run {how}", s.name);
        self.note(level, msg);
    }

    pub fn on_time(&mut self, now: Instant, env: &Env, mask: &libc::sigset_t) {
        self.health_on_time(now, env, mask);
        self.notify_on_time(now, env, mask);
        if let Some(r) = &mut self.relay {
            r.on_time(now);
        }
        for i in 0..self.list.len() {
            let s = &self.list[i];
            if !s.lr.gone && s.lr.deadline.is_some_and(|d| d <= now) {
                self.feed(i, Event::Timeout, env, mask);
            }
        }
    }

    /// Service `i` is up, and ready if it notifies readiness.
    pub fn is_up_at(&self, i: usize) -> bool {
        Self::is_up(&self.list[i])
    }

    /// Service `i` is down (neither `run` nor `finish` running).
    pub fn is_down_at(&self, i: usize) -> bool {
        self.list[i].lr.state == State::Down
    }

    /// Sends control bytes to service `i`, as `s6-svc` would.
    pub fn command_at(&mut self, i: usize, bytes: &[u8], env: &Env, mask: &libc::sigset_t) {
        for &b in bytes {
            self.feed(i, Event::Command(b), env, mask);
        }
    }

    /// Service `i` is down and no longer supervised.
    pub fn gone_at(&self, i: usize) -> bool {
        self.list[i].lr.gone
    }

    /// `name` (and its `name/log`) supervised, and up (ready if it notifies).
    pub fn named_up(&self, name: &str) -> bool {
        self.list.iter().filter(|s| s.name == name).all(Self::is_up)
    }

    /// `name` and its logger are no longer supervised.
    pub fn named_gone(&self, name: &str) -> bool {
        let logger = format!("{name}/log");
        self.list
            .iter()
            .filter(|s| s.name == name || s.name == logger)
            .all(|s| s.lr.gone)
    }

    pub fn all_gone(&self) -> bool {
        self.list.iter().all(|s| s.lr.gone)
    }

    fn is_up(s: &Supervised) -> bool {
        let notifies = s.lr.def.notification_fd.is_some() || s.lr.def.policy.notify_socket;
        s.lr.state == State::Up && (!notifies || s.lr.status.ready)
    }
}
