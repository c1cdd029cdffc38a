//! The init's one loop: block in one place (a signalfd, the control FIFO,
//! the services' fds, the nearest deadline), then reap, dispatch each
//! event, and act on what is due. Nothing here sleeps or polls.

use std::time::Instant;

use nix::sys::wait::WaitStatus;
use nix::unistd::Pid;

use super::{Init, memory, poll, reaper, signals};

impl Init {
    pub(super) fn main_loop(&mut self) -> i32 {
        loop {
            self.advance();
            self.flush_service_log();
            if let Some(code) = self.finished() {
                return code;
            }
            let booting = self.graph.as_ref().is_some_and(|g| g.booting);
            if !self.trimmed && self.stage2.is_empty() && self.current.is_none() && !booting {
                // Everything is started: from here on the init mostly waits.
                memory::trim();
                memory::warm_wake_path();
                self.trimmed = true;
            }
            let (readable, signals) = self.wait(self.next_deadline());
            // Children are reaped when one has died (SIGCHLD), not on every wake-up.
            let child_died = signals.as_slice().contains(&libc::SIGCHLD);
            for &sig in signals.as_slice() {
                self.on_signal(sig);
            }
            for fd in readable {
                if Some(fd) == self.control_fd() {
                    self.on_control();
                    continue;
                }
                let mask = self.signals.original;
                self.services.on_readable(fd, &self.env, &mask);
            }
            if child_died {
                self.reap();
            }
            if let Some((name, code)) = self.services.take_halt() {
                self.essential_stopped(&name, code);
            }
            // The clock is read only when something waits on it.
            if let Some(due) = self.next_deadline() {
                let now = Instant::now();
                if due <= now {
                    self.on_time(now);
                }
            }
        }
    }
    /// Inlined test, so a loop round with nothing to log calls nothing.
    #[inline(always)]
    pub(super) fn flush_service_log(&mut self) {
        if self.services.has_log() {
            self.write_service_log();
        }
    }
    pub(super) fn write_service_log(&mut self) {
        let events = self.services.drain_events();
        if let Some(problem) = self.events.append(&events) {
            self.log(1, "warning", &problem);
        }
        for (level, msg) in self.services.drain_log() {
            let kind = match level {
                0 => "error",
                1 => "warning",
                _ => "info",
            };
            self.log(level, kind, &msg);
        }
    }
    /// Blocks until a signal arrives, a watched fd is readable or
    /// `deadline` passes; returns the readable service fds and the signals.
    pub(super) fn wait(&mut self, deadline: Option<Instant>) -> (Vec<i32>, signals::Taken) {
        if self.control_fd().is_none() && self.services.watches_nothing() {
            // Signals only (tini mode, the end of stage 3): any further
            // pending one is taken by the next round without blocking, and
            // nothing is allocated on the way.
            let taken = match self.signals.wait_one(deadline) {
                Some(sig) => signals::Taken::One([sig]),
                None => signals::Taken::Many(Vec::new()),
            };
            return (Vec::new(), taken);
        }
        let sigfd = self.signals.raw_fd();
        let fds: Vec<i32> = std::iter::once(sigfd)
            .chain(self.control_fd())
            .chain(self.services.fds())
            .collect();
        let out = self.services.write_fds();
        let (mut ready, writable) = poll::ready(&fds, &out, deadline);
        for fd in writable {
            self.services.on_writable(fd);
        }
        ready.retain(|&fd| fd != sigfd);
        (ready, signals::Taken::Many(self.signals.drain()))
    }
    pub(super) fn reap(&mut self) {
        let r = reaper::reap_all();
        self.none_left = r.none_left;
        for (pid, status) in r.dead {
            self.on_exit(pid, status);
        }
    }
    pub(super) fn on_exit(&mut self, pid: Pid, status: WaitStatus) {
        let mask = self.signals.original;
        if let Some(c) = &mut self.catchall
            && c.pid == Some(pid)
        {
            if self.reason.is_none()
                && let Some(problem) = c.died(&self.env, &mask)
            {
                self.log(1, "warning", &problem);
            }
            return;
        }
        if self.services.on_exit(pid, status, &self.env, &mask) {
            return;
        }
        let code = reaper::exit_code(status);
        if self.graph_on_exit(pid, code) {
            return;
        }
        if self.cmd == Some(pid) {
            self.cmd = None;
            // A failed exec ends the child with 127 and leaves the errno in
            // the report; any other end means the exec happened, and the
            // report is not even read (the fd goes with the process).
            let report = (code == crate::exit::NOT_FOUND)
                .then(|| self.cmd_exec.take())
                .flatten();
            let code = match report.and_then(|(name, r)| Some((name, r.outcome()?))) {
                Some((name, errno)) => self.exec_failed(&name, errno),
                None => code,
            };
            return self.cmd_ended(code);
        }
        if let Some((p, what)) = &self.current
            && *p == pid
        {
            let what = what.clone();
            self.current = None;
            if code != 0 && self.reason.is_none() {
                self.stage2_failed(&what, code);
            }
            return;
        }
        self.log(4, "info", format_args!("reaped {pid}"));
    }
}
