//! Deadlines of the graph: `timeout-up`/`timeout-down`, the cont-finish.d
//! limit, the services.d grace time, `S6_CMD_WAIT_FOR_SERVICES_MAXTIME`;
//! and what a late service still waits for, in words.

use std::time::Instant;

use crate::init::graph::Kind;
use crate::init::graph::Overlay;
use crate::init::rc::State;
use crate::init::signals;

impl crate::init::Init {
    pub(in crate::init) fn graph_deadline(&self) -> Option<Instant> {
        let g = self.graph.as_ref()?;
        let each = g
            .run
            .iter()
            .flat_map(|r| [r.deadline, r.script_deadline])
            .flatten();
        each.chain(g.booting.then_some(g.boot_deadline).flatten())
            .min()
    }

    /// Timeouts: `timeout-up`/`timeout-down`, the cont-finish.d limit, the
    /// services.d grace time, `S6_CMD_WAIT_FOR_SERVICES_MAXTIME`.
    pub(in crate::init) fn graph_on_time(&mut self, now: Instant) {
        let Some(g) = &mut self.graph else { return };
        if g.booting && g.boot_deadline.is_some_and(|d| d <= now) {
            g.booting = false;
            let pending: Vec<usize> = g.engine.pending().collect();
            let late: Vec<String> = pending.into_iter().map(|i| self.waiting_for(i)).collect();
            let what = format!(
                "not up after S6_CMD_WAIT_FOR_SERVICES_MAXTIME ({} ms): {}",
                self.cfg.cmd_wait_for_services_maxtime_ms,
                late.join("; ")
            );
            self.stage2_failure(&what, 1);
        }
        loop {
            let Some(g) = &self.graph else { return };
            let due = |d: &Option<Instant>| d.is_some_and(|d| d <= now);
            if let Some(i) = g.run.iter().position(|r| due(&r.script_deadline)) {
                let r = &mut self.graph_mut().run[i];
                r.script_deadline = None;
                if let Some((pid, what)) = r.pid.clone() {
                    let _ = signals::send(pid.as_raw(), libc::SIGKILL);
                    self.log(
                        1,
                        "warning",
                        format_args!("{what} ran past S6_KILL_FINISH_MAXTIME; killing it"),
                    );
                }
                continue;
            }
            match g.run.iter().position(|r| due(&r.deadline)) {
                Some(i) => self.node_overdue(i),
                None => return,
            }
        }
    }

    /// Service `i` did not come up, or go down, in its time.
    pub(in crate::init) fn node_overdue(&mut self, i: usize) {
        let g = self.graph_mut();
        g.run[i].deadline = None;
        let node = g.engine.graph.nodes[i].clone();
        let state = g.engine.state[i];
        let oneshot = matches!(node.kind, Kind::Oneshot { .. });
        // A oneshot's command, or the cont-init.d script still running.
        let stuck = (oneshot || state == State::Starting)
            .then(|| g.run[i].pid.take())
            .flatten();
        if let Some((pid, _)) = stuck {
            let _ = signals::send(pid.as_raw(), libc::SIGKILL);
        }
        let wanted = self.graph_mut().engine.want_up[i];
        match state {
            // Cancelled (a halt during the boot, or `svc -d`): its up
            // ignored TERM and was killed; no timeout is involved.
            State::Starting if !wanted => {
                self.log(
                    1,
                    "warning",
                    format_args!("service {}: cancelled; what was still starting ignored TERM and was killed", node.name),
                );
                let g = self.graph_mut();
                g.run[i].why = Some("cancelled while starting".to_owned());
                g.engine.started(i, false, !oneshot);
            }
            State::Starting => {
                let why = if oneshot {
                    "its up command was still running; killed".to_owned()
                } else {
                    self.waiting_for(i)
                };
                let why = format!(
                    "not up within timeout-up ({} ms): {why}",
                    node.timeout_up_ms
                );
                self.node_failed(i, &why, !oneshot);
            }
            State::Stopping => {
                match &node.kind {
                    Kind::Oneshot { .. } => self.log(1, "warning", format_args!("service {}: its down command did not finish within timeout-down ({} ms); killed", node.name, node.timeout_down_ms)),
                    Kind::Longrun { .. } => {
                        if let Some(k) = self.graph_mut().run[i].supervised {
                            self.services.abandon_at(k);
                        }
                        self.log(1, "warning", format_args!("service {} is still up after its time to stop; left to the final TERM", node.name));
                    }
                    _ => {
                        let legacy = self.graph_mut().legacy.clone();
                        let left: Vec<&String> = legacy.iter().filter(|n| !self.services.named_gone(n)).collect();
                        self.log(1, "warning", format_args!("services still up after S6_SERVICES_GRACETIME: {}", left.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")));
                        for n in left {
                            self.services.abandon_named(n);
                        }
                    }
                }
                self.graph_mut().engine.stopped(i);
            }
            _ => {}
        }
    }

    /// What service `i` is still waiting for, in words.
    pub(in crate::init) fn waiting_for(&self, i: usize) -> String {
        let Some(g) = &self.graph else {
            return String::new();
        };
        let node = &g.engine.graph.nodes[i];
        let what = match (g.engine.state[i], &node.kind) {
            (State::Down, _) => {
                let deps: Vec<&str> = node
                    .deps
                    .iter()
                    .filter(|&&d| g.engine.state[d] != State::Up)
                    .map(|&d| g.name(d))
                    .collect();
                format!("waiting for {}", deps.join(", "))
            }
            (_, Kind::Oneshot { .. }) => "its up command is still running".to_owned(),
            (_, Kind::Overlay(Overlay::ContInit)) => "cont-init.d is still running".to_owned(),
            (_, Kind::Overlay(Overlay::Services)) => {
                let late: Vec<String> = g
                    .legacy
                    .iter()
                    .filter(|n| !self.services.named_up(n))
                    .cloned()
                    .collect();
                format!("services.d services not up: {}", late.join(", "))
            }
            (_, Kind::Longrun { .. }) => {
                let def = crate::init::service::ServiceDef::read_source(&node.dir).ok();
                match def
                    .as_ref()
                    .map(|d| (d.notification_fd, d.policy.notify_socket))
                {
                    Some((Some(fd), _)) => {
                        format!("no readiness notification yet on fd {fd} (notification-fd)")
                    }
                    Some((None, true)) => "no READY=1 yet on its notify socket".to_owned(),
                    _ => "./run has not started".to_owned(),
                }
            }
            (_, Kind::Overlay(Overlay::FixAttrs)) => {
                "fix-attrs.d is still being applied".to_owned()
            }
        };
        format!("{} {what}", node.name)
    }
}
