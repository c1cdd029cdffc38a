//! Stage 3: supervised services down (within `S6_SERVICES_GRACETIME`),
//! cont-finish.d (each bounded by `S6_KILL_FINISH_MAXTIME`), TERM to
//! whatever is left, KILL after `S6_KILL_GRACETIME`, and the exit code. It
//! ends the moment no process is left.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::{Reason, Stop, procs, signals, stage1, tree};

impl super::Init {
    /// Stage 3 begins (once): startup is cancelled, services go down, then
    /// cont-finish.d runs.
    pub(super) fn shutdown(&mut self, reason: Reason) {
        if self.reason.is_some() {
            return;
        }
        self.log(2, "info", format_args!("stage 3: shutting down: {reason}"));
        self.reason = Some(reason);
        self.stage2.clear();
        let queue = if self.tini {
            VecDeque::new()
        } else {
            tree::scripts(&tree::Tree::at(&self.opts.root).cont_finish).into()
        };
        if self.services.list.is_empty() {
            self.stop = Some(Stop::Finish {
                queue,
                running: None,
            });
            return;
        }
        self.log(2, "info", "stage 3: stopping the services");
        let mask = self.signals.original;
        self.services.stop_all(&self.env, &mask);
        let grace = Duration::from_millis(self.cfg.services_gracetime_ms);
        self.stop = Some(Stop::Services {
            until: Instant::now() + grace,
            queue,
        });
    }

    pub(super) fn start_finish(&mut self, script: PathBuf) {
        let what = script.display().to_string();
        if let Some(why) = tree::not_runnable(&script) {
            return self.log(1, "warning", format_args!("cannot run {what}: {why}"));
        }
        self.log(2, "info", format_args!("stage 3: running {what}"));
        let deadline = match self.cfg.kill_finish_maxtime_ms {
            0 => None,
            ms => Some(Instant::now() + Duration::from_millis(ms)),
        };
        let argv = vec![script.as_os_str().as_encoded_bytes().to_vec()];
        if let (Ok(pid), Some(Stop::Finish { running, .. })) =
            (self.spawn(argv, false), &mut self.stop)
        {
            *running = Some((pid, deadline));
        }
    }

    pub(super) fn terminate_all(&mut self) {
        if let Some(c) = &self.catchall {
            // The init stops writing to the logger; it ends at EOF.
            c.release();
        }
        let grace = Duration::from_millis(self.cfg.kill_gracetime_ms);
        self.stop = Some(Stop::Term(Instant::now() + grace));
        // Nothing left (the usual case once the CMD is gone): no signals to send.
        self.reap();
        if self.none_left {
            return;
        }
        self.log(2, "info", "stage 3: sending TERM to every process left");
        procs::signal_all(libc::SIGTERM, self.pid1);
        procs::signal_all(libc::SIGCONT, self.pid1);
        self.reap();
    }

    pub(super) fn on_time(&mut self, now: Instant) {
        let mask = self.signals.original;
        self.services.on_time(now, &self.env, &mask);
        let mut overdue = None;
        if let Some(Stop::Finish {
            running: Some((pid, deadline)),
            ..
        }) = &mut self.stop
            && deadline.is_some_and(|d| d <= now)
        {
            *deadline = None;
            overdue = Some(*pid);
        }
        if let Some(pid) = overdue {
            self.log(
                1,
                "warning",
                "a cont-finish.d script ran past S6_KILL_FINISH_MAXTIME; killing it",
            );
            let _ = signals::send(pid.as_raw(), libc::SIGKILL);
        }
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
            Some(Stop::Finish {
                running: Some((_, d)),
                ..
            }) => *d,
            Some(Stop::Services { until, .. }) => Some(*until),
            Some(Stop::Term(d) | Stop::Kill(d)) => Some(*d),
            None => self.waiting.flatten(),
            _ => None,
        };
        [own, self.services.next_deadline()]
            .into_iter()
            .flatten()
            .min()
    }

    /// The services phase is over when every service is down and no longer
    /// supervised, or when `S6_SERVICES_GRACETIME` has run out.
    pub(super) fn services_stopped(&mut self) -> Option<VecDeque<PathBuf>> {
        let Some(Stop::Services { until, .. }) = &self.stop else {
            return None;
        };
        if !self.services.all_gone() {
            if Instant::now() < *until {
                return None;
            }
            let left: Vec<String> = self
                .services
                .list
                .iter()
                .filter(|s| !s.lr.gone)
                .map(|s| s.name.clone())
                .collect();
            self.log(
                1,
                "warning",
                format_args!(
                    "services still up after S6_SERVICES_GRACETIME: {}",
                    left.join(", ")
                ),
            );
            self.services.abandon();
        }
        match self.stop.take() {
            Some(Stop::Services { queue, .. }) => Some(queue),
            _ => None,
        }
    }

    /// The exit code once stage 3 is over: no process is left, or the
    /// last-resort deadline after KILL has passed.
    pub(super) fn finished(&mut self) -> Option<i32> {
        let over = match &self.stop {
            Some(Stop::Term(_)) => self.none_left,
            Some(Stop::Kill(d)) => self.none_left || *d <= Instant::now(),
            _ => false,
        };
        if !over {
            return None;
        }
        if self.cfg.sync_disks {
            // SAFETY: sync has no preconditions.
            unsafe { libc::sync() };
        }
        let code = match (self.tini, self.reason) {
            (true, _) => self.cmd_code.unwrap_or(0),
            (false, Some(Reason::Poweroff)) => 128 + libc::SIGINT,
            (false, Some(Reason::Reboot)) => 128 + libc::SIGHUP,
            (false, Some(Reason::CmdExited(c) | Reason::Stage2Failed(c))) => {
                stage1::read_exitcode(&self.run, c)
            }
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
