//! Stage 3: the service graph down in reverse order (services within
//! their time to stop, cont-finish.d each bounded by
//! `S6_KILL_FINISH_MAXTIME`), TERM to whatever is left, KILL after
//! `S6_KILL_GRACETIME`, and the exit code. It ends the moment no process
//! is left.

use std::time::{Duration, Instant};

use super::{Reason, Stop, procs, stage1};

impl super::Init {
    /// Stage 3 begins (once): startup is cancelled, services go down, then
    /// cont-finish.d runs.
    pub(super) fn shutdown(&mut self, reason: Reason) {
        self.shutdown_by(reason, &reason.to_string());
    }

    /// `shutdown`, with what asked for it said in `by` (for the event log).
    pub(super) fn shutdown_by(&mut self, reason: Reason, by: &str) {
        if self.reason.is_some() {
            return;
        }
        self.flush_service_log();
        let line = format!(
            "{},\"by\":{}}}",
            super::events::begin("halt"),
            crate::control::json_string(by)
        );
        if let Some(problem) = self.events.append(&[line]) {
            self.log(1, "warning", &problem);
        }
        self.log(2, "info", format_args!("stage 3: shutting down: {reason}"));
        self.reason = Some(reason);
        self.stage2.clear();
        self.stop_graph();
        self.stop = Some(Stop::Graph);
    }

    pub(super) fn terminate_all(&mut self) {
        if let Some(c) = &self.catchall {
            // The init stops writing to the logger; it ends at EOF.
            c.release();
        }
        // Nothing left (the usual case once the CMD is gone): no signals to
        // send and no grace time to start.
        self.reap();
        if self.none_left {
            self.stop = Some(Stop::Empty);
            return;
        }
        let grace = Duration::from_millis(self.cfg.kill_gracetime_ms);
        self.stop = Some(Stop::Term(Instant::now() + grace));
        self.log(2, "info", "stage 3: sending TERM to every process left");
        procs::signal_all(libc::SIGTERM, self.pid1);
        procs::signal_all(libc::SIGCONT, self.pid1);
        self.reap();
    }

    pub(super) fn on_time(&mut self, now: Instant) {
        if self.cmd_kill_at.is_some_and(|t| t <= now) {
            self.kill_cmd_now();
        }
        let mask = self.signals.original;
        self.services.on_time(now, &self.env, &mask);
        self.graph_on_time(now);
        match &self.stop {
            Some(Stop::Term(d)) if *d <= now => {
                self.log(
                    1,
                    "warning",
                    "processes left after S6_KILL_GRACETIME; sending KILL",
                );
                procs::signal_all(libc::SIGKILL, self.pid1);
                self.stop = Some(Stop::Kill(now + Duration::from_secs(5)));
            }
            _ => {}
        }
    }

    pub(super) fn next_deadline(&self) -> Option<Instant> {
        let own = match &self.stop {
            Some(Stop::Term(d) | Stop::Kill(d)) => Some(*d),
            _ => None,
        };
        [
            own,
            self.services.next_deadline(),
            self.graph_deadline(),
            self.cmd_kill_at,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// The exit code once stage 3 is over: no process is left, or the
    /// last-resort deadline after KILL has passed.
    pub(super) fn finished(&mut self) -> Option<i32> {
        let over = match &self.stop {
            Some(Stop::Empty) => true,
            Some(Stop::Term(_)) => self.none_left,
            Some(Stop::Kill(d)) => self.none_left || *d <= Instant::now(),
            _ => false,
        };
        if !over {
            return None;
        }
        if let Some(r) = &mut self.services.relay {
            r.drain_all();
        }
        if self.cfg.sync_disks {
            // SAFETY: sync has no preconditions.
            unsafe { libc::sync() };
        }
        let code = match (self.tini, self.reason) {
            (true, _) => self.cmd_code.unwrap_or(0),
            (false, Some(Reason::Poweroff)) => 128 + libc::SIGINT,
            (false, Some(Reason::Reboot)) => 128 + libc::SIGHUP,
            (
                false,
                Some(Reason::CmdExited(c) | Reason::Stage2Failed(c) | Reason::Essential(c)),
            ) => stage1::read_exitcode(&self.run, c),
            (false, _) => stage1::read_exitcode(&self.run, 0),
        };
        let code = if self.opts.remap.contains(&code) {
            0
        } else {
            code
        };
        self.log(2, "info", format_args!("exiting with code {code}"));
        Some(code)
    }
}
