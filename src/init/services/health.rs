//! `health-check`: run in the service dir every `health-interval` ms while
//! the service is up, killed after `health-timeout` ms; `health-retries`
//! failures in a row (not counting those within `health-start-period` of
//! the start, as Docker does) make it unhealthy, and then it is restarted
//! unless `health-action` says `none`. The exit code and first line of
//! the last check go to `supervise/chainit`.

use std::os::fd::{AsRawFd, OwnedFd};
use std::time::Instant;

use super::Services;
use crate::chain::Env;
use crate::init::details::Health;
use crate::init::supervisor::Event;

/// The first line a check writes is kept up to this many bytes.
const KEEP: usize = 256;

#[derive(Default)]
pub(super) struct Checker {
    /// When the next check is due; `None` while one runs or the service is down.
    due: Option<Instant>,
    running: Option<Running>,
    started: Option<Instant>,
    pub(super) failures: u32,
}

struct Running {
    pid: i32,
    /// The read end of its stdout and stderr.
    out: Option<OwnedFd>,
    deadline: Instant,
    text: Vec<u8>,
    timed_out: bool,
}

impl Running {
    /// Reads what is there (the fd is non-blocking); false at end of input.
    fn drain(&mut self) -> bool {
        let Some(fd) = &self.out else {
            return false;
        };
        let mut buf = [0u8; 4096];
        // A few reads a wake-up: a check that never stops writing must not
        // hold the init here (the first line is all that is kept anyway).
        for _ in 0..16 {
            match nix::unistd::read(fd, &mut buf) {
                Ok(0) => {
                    self.out = None;
                    return false;
                }
                Ok(n) => {
                    let room = KEEP.saturating_sub(self.text.len());
                    self.text.extend_from_slice(&buf[..n.min(room)]);
                }
                Err(nix::errno::Errno::EINTR) => {}
                Err(_) => return true,
            }
        }
        true
    }

    fn first_line(&self) -> String {
        let line = self.text.split(|&b| b == b'\n').next().unwrap_or_default();
        String::from_utf8_lossy(line).trim().to_owned()
    }
}

impl Checker {
    pub(super) fn deadline(&self) -> Option<Instant> {
        match &self.running {
            Some(r) => Some(r.deadline),
            None => self.due,
        }
    }

    pub(super) fn fd(&self) -> Option<i32> {
        self.running
            .as_ref()
            .and_then(|r| r.out.as_ref())
            .map(AsRawFd::as_raw_fd)
    }

    pub(super) fn pid(&self) -> Option<i32> {
        self.running.as_ref().map(|r| r.pid)
    }
}

impl Services {
    /// Service `i` was started: checks begin an interval from now.
    pub(super) fn health_started(&mut self, i: usize, now: Instant) {
        let Some(h) = self.list[i].lr.def.policy.health else {
            return;
        };
        let c = &mut self.list[i].health;
        c.due = Some(now + h.interval);
        c.started = Some(now);
        c.failures = 0;
    }

    /// Service `i` is no longer up: no more checks; a running one is killed.
    pub(super) fn health_stopped(&mut self, i: usize) {
        let c = &mut self.list[i].health;
        c.due = None;
        if let Some(r) = &c.running {
            let _ = crate::init::signals::send(r.pid, libc::SIGKILL);
        }
    }

    /// Checks that are due start; checks past their timeout are killed.
    pub(super) fn health_on_time(&mut self, now: Instant, env: &Env, mask: &libc::sigset_t) {
        for i in 0..self.list.len() {
            let timeout = match &mut self.list[i].health.running {
                Some(r) if r.deadline <= now && !r.timed_out => {
                    r.timed_out = true;
                    let _ = crate::init::signals::send(r.pid, libc::SIGKILL);
                    true
                }
                _ => false,
            };
            if timeout {
                continue;
            }
            let s = &self.list[i];
            let up = s.lr.state == crate::init::supervisor::State::Up && !s.lr.exiting;
            if up && s.health.running.is_none() && s.health.due.is_some_and(|d| d <= now) {
                self.list[i].health.due = None;
                self.spawn_check(i, now, env, mask);
            }
        }
    }

    fn spawn_check(&mut self, i: usize, now: Instant, env: &Env, mask: &libc::sigset_t) {
        let Some(h) = self.list[i].lr.def.policy.health else {
            return;
        };
        let (r, w) = match crate::chain::fd::pipe() {
            Ok(p) => p,
            Err(e) => {
                let name = self.list[i].name.clone();
                self.note(
                    1,
                    format!("service {name}: unable to run ./health-check: {e}"),
                );
                self.list[i].health.due = Some(now + h.interval);
                return;
            }
        };
        let _ = nix::fcntl::fcntl(
            &r,
            nix::fcntl::FcntlArg::F_SETFL(nix::fcntl::OFlag::O_NONBLOCK),
        );
        let argv = vec![b"./health-check".to_vec(), self.list[i].short_name()];
        match self.spawn_in(i, argv, None, None, Some(w), env, mask) {
            Ok((pid, _report)) => {
                self.list[i].health.running = Some(Running {
                    pid,
                    out: Some(r),
                    deadline: now + h.timeout,
                    text: Vec::new(),
                    timed_out: false,
                });
            }
            Err(e) => {
                let name = self.list[i].name.clone();
                self.note(
                    1,
                    format!("service {name}: unable to run ./health-check: {e}"),
                );
                self.list[i].health.due = Some(now + h.interval);
            }
        }
    }

    /// `fd` is a check's output: keep its first line.
    pub(super) fn health_readable(&mut self, fd: i32) -> bool {
        for s in &mut self.list {
            if s.health.fd() == Some(fd) {
                if let Some(r) = &mut s.health.running {
                    r.drain();
                }
                return true;
            }
        }
        false
    }

    /// A check (or a watchdog period) of service `i` ended with `code` and
    /// said `line`: recorded, counted (unless within the start period, in
    /// `grace`), and after `health-retries` failures in a row (3 without a
    /// `health-check`) the service is unhealthy and, unless `health-action`
    /// says `none`, restarted.
    pub(super) fn health_verdict(
        &mut self,
        i: usize,
        code: i32,
        line: String,
        grace: bool,
        env: &Env,
        mask: &libc::sigset_t,
    ) {
        let h = self.list[i].lr.def.policy.health;
        let retries = h.map_or(3, |h| h.retries);
        let restart = h.is_none_or(|h| h.restart);
        let c = &mut self.list[i].health;
        let verdict = if code == 0 {
            c.failures = 0;
            Some(Health::Healthy)
        } else if grace {
            None
        } else {
            c.failures = c.failures.saturating_add(1);
            (c.failures >= retries).then_some(Health::Unhealthy)
        };
        let d = &mut self.list[i].lr.details;
        d.health_exit = Some(code);
        d.health_output = Some(line);
        let mut actions = vec![crate::init::supervisor::Action::WriteDetails];
        if let Some(v) = verdict {
            actions.extend(self.list[i].lr.health(v));
        }
        self.carry_out(i, actions, env, mask);
        let up = self.list[i].lr.state == crate::init::supervisor::State::Up;
        if verdict == Some(Health::Unhealthy) && up {
            self.list[i].health.failures = 0;
            let name = self.list[i].name.clone();
            if restart {
                self.note(
                    1,
                    format!(
                        "service {name}: unhealthy after {retries} failed checks; restarting it"
                    ),
                );
                self.feed(i, Event::Unhealthy, env, mask);
            } else {
                self.note(
                    1,
                    format!("service {name}: unhealthy after {retries} failed checks"),
                );
            }
        }
    }

    /// A reaped check: its verdict. True if `pid` was one.
    pub(super) fn health_exited(
        &mut self,
        pid: i32,
        code: i32,
        env: &Env,
        mask: &libc::sigset_t,
    ) -> bool {
        let Some(i) = self.list.iter().position(|s| s.health.pid() == Some(pid)) else {
            return false;
        };
        let Some(h) = self.list[i].lr.def.policy.health else {
            return true;
        };
        let now = Instant::now();
        let Some(mut run) = self.list[i].health.running.take() else {
            return true;
        };
        run.drain();
        let mut line = run.first_line();
        if run.timed_out {
            line = format!("timed out after {} ms", h.timeout.as_millis());
        } else if line.is_empty() && matches!(code, 126 | 127) {
            line = format!("./health-check could not be run (exit {code})");
        }
        let up = self.list[i].lr.state == crate::init::supervisor::State::Up;
        if up {
            self.list[i].health.due = Some(now + h.interval);
        }
        let grace = self.list[i]
            .health
            .started
            .is_some_and(|t| now.duration_since(t) < h.start_period);
        self.health_verdict(i, code, line, grace, env, mask);
        true
    }
}
