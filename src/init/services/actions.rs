//! Carrying out what a service's supervisor table answers: spawns,
//! signals, the status and death-tally files, events, the `down` file.

use std::time::{Instant, SystemTime};

use super::Services;
use crate::chain::Env;
use crate::init::supervisor::Action;

impl Services {
    pub(super) fn carry_out(
        &mut self,
        i: usize,
        actions: Vec<Action>,
        env: &Env,
        mask: &libc::sigset_t,
    ) {
        let mut queue: std::collections::VecDeque<Action> = actions.into();
        while let Some(action) = queue.pop_front() {
            let now = Instant::now();
            let wall = SystemTime::now();
            match action {
                Action::SpawnRun => match self.spawn_run(i, env, mask) {
                    Ok(pid) => {
                        queue.extend(self.list[i].lr.started(pid, now, wall));
                        self.health_started(i, now);
                        self.notify_started(i, now);
                    }
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
                        s.short_name(),
                    ];
                    let more = if s.dir.join("finish").exists() {
                        // A finish that cannot exec dies with 127, as under s6.
                        match self.spawn_in(i, argv, None, None, None, env, mask) {
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
                        let _ = crate::init::signals::send(pid, sig);
                        // sd_notify's MAINPID: the daemon the run script forked.
                        if let Some(main) = self.main_pid(i).filter(|&m| m != pid) {
                            let _ = crate::init::signals::send(main, sig);
                        }
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
                Action::Announce(events) => {
                    if self.record_events {
                        self.announce_events(i, events);
                    }
                    // The supervisor is gone before anyone hears it is.
                    if events.ends_with(b"x") {
                        self.list[i].ctl.release();
                    }
                    self.list[i].ctl.notify(events)
                }
                Action::WriteDetails => {
                    let s = &self.list[i];
                    if let Err(e) = s.lr.details.write(&s.dir) {
                        let msg = format!(
                            "service {}: unable to write {}: {}",
                            s.name,
                            crate::init::details::FILE,
                            crate::error::describe(&e)
                        );
                        self.note(1, msg);
                    }
                }
                Action::Halt(code) => {
                    if self.halt.is_none() {
                        self.halt = Some((self.list[i].name.clone(), code));
                    }
                }
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
        if self.record_events && self.list[i].lr.def.policy.any() {
            self.policy_events(i);
        }
    }

    /// `{"time":…,"event":KIND,"service":NAME` and `more`, as one line.
    fn event(&mut self, i: usize, kind: &str, more: String) {
        if !self.record_events {
            return;
        }
        let name = crate::control::json_string(&self.list[i].name);
        let line = format!(
            "{},\"service\":{name}{more}}}",
            crate::init::events::begin(kind)
        );
        self.events.push(line);
    }

    /// The s6 events as JSON lines: up (with the pid), ready, down (with the
    /// code of the death, 128+n for signal n).
    fn announce_events(&mut self, i: usize, bytes: &[u8]) {
        for &b in bytes {
            let s = &self.list[i];
            match b {
                b'u' => {
                    let pid = s.lr.status.pid;
                    self.event(i, "up", format!(",\"pid\":{pid}"));
                }
                b'U' => self.event(i, "ready", String::new()),
                b'd' => {
                    let w = s.lr.status.wstat;
                    let code = match i32::from(w & 0x7f) {
                        0 => i32::from(w >> 8),
                        sig => 128 + sig,
                    };
                    self.event(i, "down", format!(",\"exit\":{code}"));
                }
                _ => {}
            }
        }
    }

    /// What changed in the policy record since the last event: a restart
    /// scheduled, a give-up, a health verdict.
    fn policy_events(&mut self, i: usize) {
        let now = self.list[i].lr.details.clone();
        let was = std::mem::replace(&mut self.list[i].reported, now.clone());
        if let Some(t) = now.next_start
            && was.next_start != now.next_start
        {
            let ms = t
                .duration_since(SystemTime::now())
                .map_or(0, |d| d.as_millis());
            self.event(i, "restart", format!(",\"in_ms\":{ms}"));
        }
        if let Some(g) = &now.gave_up
            && was.gave_up.is_none()
        {
            let why = crate::control::json_string(g);
            self.event(i, "gave_up", format!(",\"reason\":{why}"));
        }
        if now.health != was.health
            && let Some(h) = now
                .health
                .filter(|h| *h != crate::init::details::Health::Starting)
        {
            let out = crate::control::json_string(now.health_output.as_deref().unwrap_or(""));
            self.event(i, h.as_str(), format!(",\"output\":{out}"));
        }
    }
}
