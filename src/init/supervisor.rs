//! One longrun's supervision, as s6-supervise 2.11 does it, as a State ×
//! Event table. It owns the service's status and its one deadline and
//! answers each event with actions; `services` carries them out (spawns,
//! signals, files) and feeds back what happened.

use std::collections::VecDeque;
use std::time::{Duration, Instant, SystemTime};

use super::details::{Details, Health};
use super::service::ServiceDef;
use crate::s6::status::Status;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Down,
    Up,
    Finishing,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A byte from the control FIFO (`s6-svc`).
    Command(u8),
    /// `run` died with this raw wait status.
    RunDied(u16),
    /// `finish` died with this raw wait status.
    FinishDied(u16),
    /// A newline arrived on the notification fd.
    Ready,
    /// The deadline passed.
    Timeout,
    /// The container is stopping: down, then stop supervising (s6-supervise's SIGTERM).
    Stop,
    /// Its health check failed `health-retries` times in a row.
    Unhealthy,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Spawn `./run`; answer with `started` or `spawn_failed`.
    SpawnRun,
    /// Spawn `./finish CODE SIG`; answer with `finishing` or `finish_failed`.
    SpawnFinish {
        code: u32,
        sig: i32,
    },
    /// Send a signal to the process in `status.pid`.
    Signal(i32),
    RecordDeath,
    WriteStatus,
    /// Write these bytes to the event fifodir.
    Announce(&'static [u8]),
    /// Create (true) or remove the service's `down` file.
    DownFile(bool),
    /// Write `supervise/chainit` (services with a policy only).
    WriteDetails,
    /// An `essential` service stopped for good: halt the container with this code.
    Halt(i32),
}

pub struct Longrun {
    pub def: ServiceDef,
    pub state: State,
    pub status: Status,
    pub deadline: Option<Instant>,
    dont_respawn_before: Option<Instant>,
    /// A down-signal was sent with a `timeout-kill`: the deadline means KILL.
    dying: bool,
    /// Told to stop supervising (`x`, or the container stopping).
    pub exiting: bool,
    /// No longer supervised: down and `exiting`.
    pub gone: bool,
    /// What `supervise/chainit` says (kept for every service, written only
    /// for those with a policy).
    pub details: Details,
    /// Deaths within `restart-limit`'s window, oldest first.
    deaths: VecDeque<Instant>,
    /// Consecutive deaths, for `restart-backoff`.
    streak: u32,
    up_since: Option<Instant>,
    /// The next death was asked for (`s6-svc -r`): no policy applies.
    planned: bool,
    /// The exit code of an essential service's unplanned death, until it
    /// is known whether it stays down.
    fatal: Option<i32>,
    started_before: bool,
}

const SIGNAL_BYTES: &[(u8, i32)] = &[
    (b'a', libc::SIGALRM),
    (b'b', libc::SIGABRT),
    (b'q', libc::SIGQUIT),
    (b'h', libc::SIGHUP),
    (b'k', libc::SIGKILL),
    (b't', libc::SIGTERM),
    (b'i', libc::SIGINT),
    (b'1', libc::SIGUSR1),
    (b'2', libc::SIGUSR2),
    (b'y', libc::SIGWINCH),
];

/// The code a death reports: the exit code, or 128+n for signal n.
fn exit_code(wstat: u16) -> i32 {
    match i32::from(wstat & 0x7f) {
        0 => i32::from(wstat >> 8),
        sig => 128 + sig,
    }
}

fn millis(ms: u64) -> Option<Duration> {
    (ms > 0).then(|| Duration::from_millis(ms))
}

impl Longrun {
    /// Supervision begins: started at once unless the dir has a `down` file.
    pub fn new(def: ServiceDef, wall: SystemTime) -> (Self, Vec<Action>) {
        let mut status = Status::new(wall);
        status.want_up = !def.starts_down;
        // The first status is written with the supervise dir (see
        // `SuperviseDir::take`), before clients can see the service.
        let actions = if status.want_up {
            vec![Action::Announce(b"s"), Action::SpawnRun]
        } else {
            vec![Action::Announce(b"s")]
        };
        let details = Details {
            essential: def.policy.essential,
            ..Details::default()
        };
        let lr = Longrun {
            def,
            state: State::Down,
            status,
            deadline: None,
            dont_respawn_before: None,
            dying: false,
            exiting: false,
            gone: false,
            details,
            deaths: VecDeque::new(),
            streak: 0,
            up_since: None,
            planned: false,
            fatal: None,
            started_before: false,
        };
        (lr, actions)
    }

    pub fn on(&mut self, ev: Event, now: Instant, wall: SystemTime) -> Vec<Action> {
        // D, U and Q also make the choice the default: `d`/`u`/`O` plus the `down` file.
        let (file, ev) = match ev {
            Event::Command(b'D') => (Some(true), Event::Command(b'd')),
            Event::Command(b'U') => (Some(false), Event::Command(b'u')),
            Event::Command(b'Q') => (Some(true), Event::Command(b'O')),
            ev => (None, ev),
        };
        let mut actions = self.step(ev, now, wall);
        if let Some(make) = file {
            actions.insert(0, Action::DownFile(make));
        }
        actions
    }

    fn step(&mut self, ev: Event, now: Instant, wall: SystemTime) -> Vec<Action> {
        use Action::{Signal, WriteStatus};
        use Event::{Command, FinishDied, Ready, RunDied, Stop, Timeout, Unhealthy};
        use State::{Down, Finishing, Up};
        match (self.state, ev) {
            (Down, Timeout) => {
                self.deadline = None;
                if self.status.want_up && !self.exiting {
                    vec![Action::SpawnRun]
                } else {
                    vec![]
                }
            }
            (Down, Command(b'u')) => {
                self.forgive();
                self.want(true, vec![Action::SpawnRun])
            }
            (Down, Command(b'o')) => self.want(false, vec![Action::SpawnRun]),
            (Down, Command(b'd' | b'O')) => self.want(false, vec![]),
            (Down, Command(b'x') | Stop) => self.leave(),
            (Down, Command(_) | RunDied(_) | FinishDied(_) | Ready | Unhealthy) => vec![],

            (Up, RunDied(wstat)) => self.run_died(wstat, now, wall),
            (Up, Timeout) => {
                if self.dying {
                    self.deadline = Some(now + Duration::from_secs(5));
                    vec![Signal(libc::SIGKILL)]
                } else {
                    self.deadline = None;
                    vec![]
                }
            }
            (Up, Command(b'p')) => {
                self.status.paused = true;
                vec![Signal(libc::SIGSTOP), WriteStatus]
            }
            (Up, Command(b'c')) => {
                self.status.paused = false;
                vec![Signal(libc::SIGCONT), WriteStatus]
            }
            (Up, Command(b'r')) => {
                self.planned = true;
                vec![Signal(self.def.down_signal)]
            }
            // Restarted as by `-r`, with the kill timeout of a `-d`; the
            // death counts for the restart policy.
            (Up, Unhealthy) => {
                self.dying = self.def.timeout_kill_ms > 0;
                self.deadline = millis(self.def.timeout_kill_ms).map(|d| now + d);
                vec![Signal(self.def.down_signal), Signal(libc::SIGCONT)]
            }
            (Up, Command(b'o' | b'O')) => self.want(false, vec![]),
            (Up, Command(b'd')) => self.down(now),
            (Up, Command(b'u')) => {
                self.forgive();
                self.want(true, vec![])
            }
            (Up, Command(b'x')) => {
                self.exiting = true;
                vec![]
            }
            (Up, Stop) => {
                self.exiting = true;
                // The container is stopping: the status is written once the
                // service is down, not also now (one file fewer per service).
                let mut actions = self.down(now);
                actions.retain(|a| *a != WriteStatus);
                actions
            }
            (Up, Command(byte)) => SIGNAL_BYTES
                .iter()
                .find(|(b, _)| *b == byte)
                .map(|&(_, sig)| vec![Signal(sig)])
                .unwrap_or_default(),
            (Up, Ready) => {
                self.status.ready = true;
                self.status.readystamp = wall;
                vec![WriteStatus, Action::Announce(b"U")]
            }
            (Up, FinishDied(_)) => vec![],

            (Finishing, FinishDied(wstat)) => {
                if wstat == 125 << 8 {
                    // Down for good: for an essential service, the end.
                    if self.status.want_up && !self.exiting && self.def.policy.essential {
                        self.fatal = self.fatal.or(Some(exit_code(self.status.wstat)));
                    }
                    self.status.want_up = false;
                    self.down_and_ready(now, wall, b"OD")
                } else {
                    self.down_and_ready(now, wall, b"D")
                }
            }
            (Finishing, Timeout) => {
                self.deadline = Some(now + Duration::from_secs(5));
                vec![Signal(libc::SIGCONT), Signal(libc::SIGKILL)]
            }
            (Finishing, Command(b'o' | b'O' | b'd')) => self.want(false, vec![]),
            (Finishing, Command(b'u')) => {
                self.forgive();
                self.want(true, vec![])
            }
            (Finishing, Command(b'x') | Stop) => {
                self.exiting = true;
                vec![]
            }
            (Finishing, Command(_) | RunDied(_) | Ready | Unhealthy) => vec![],
        }
    }

    /// `run` was spawned as `pid`.
    pub fn started(&mut self, pid: i32, now: Instant, wall: SystemTime) -> Vec<Action> {
        self.state = State::Up;
        self.status.pid = pid as u64;
        self.status.ready = false;
        self.status.stamp = wall;
        self.dont_respawn_before = Some(now + Duration::from_secs(1));
        self.deadline = None;
        self.up_since = Some(now);
        if self.started_before {
            self.details.restarts = self.details.restarts.saturating_add(1);
        }
        self.started_before = true;
        self.details.next_start = None;
        if self.def.policy.health.is_some() {
            self.details.health = Some(Health::Starting);
        }
        self.with_details(vec![Action::WriteStatus, Action::Announce(b"u")])
    }

    /// `WriteDetails` added for a service with a policy.
    fn with_details(&self, mut actions: Vec<Action>) -> Vec<Action> {
        if self.def.policy.any() {
            actions.push(Action::WriteDetails);
        }
        actions
    }

    /// `s6-svc -u`: a service that gave up starts over with a clean record.
    fn forgive(&mut self) {
        self.details.gave_up = None;
        self.deaths.clear();
        self.streak = 0;
    }

    /// `run` could not be spawned: try again in 10 s, as s6 2.11 does.
    pub fn spawn_failed(&mut self, now: Instant) {
        self.deadline = Some(now + Duration::from_secs(10));
    }

    /// The child spawned by `started` could not exec `./run` after all.
    pub fn exec_failed(&mut self, now: Instant) -> Vec<Action> {
        self.state = State::Down;
        self.status.pid = 0;
        self.spawn_failed(now);
        vec![Action::WriteStatus]
    }

    /// `finish` was spawned as `pid`.
    pub fn finishing(&mut self, pid: i32, now: Instant) -> Vec<Action> {
        self.status.pid = pid as u64;
        self.status.finishing = true;
        self.deadline = millis(self.def.timeout_finish_ms).map(|d| now + d);
        vec![Action::WriteStatus, Action::Announce(b"d")]
    }

    /// No `finish`, or it could not be spawned: down at once.
    pub fn finish_failed(&mut self, now: Instant, wall: SystemTime) -> Vec<Action> {
        self.down_and_ready(now, wall, b"dD")
    }

    fn want(&mut self, up: bool, mut then: Vec<Action>) -> Vec<Action> {
        self.status.want_up = up;
        then.insert(0, Action::WriteStatus);
        then
    }

    fn down(&mut self, now: Instant) -> Vec<Action> {
        self.status.want_up = false;
        self.status.paused = false;
        self.dying = self.def.timeout_kill_ms > 0;
        self.deadline = millis(self.def.timeout_kill_ms).map(|d| now + d);
        vec![
            Action::Signal(self.def.down_signal),
            Action::Signal(libc::SIGCONT),
            Action::WriteStatus,
        ]
    }

    fn run_died(&mut self, wstat: u16, now: Instant, wall: SystemTime) -> Vec<Action> {
        let planned = std::mem::take(&mut self.planned) || !self.status.want_up || self.exiting;
        if !planned {
            self.apply_policy(exit_code(wstat), now);
        }
        self.status.wstat = wstat;
        self.status.paused = false;
        self.status.ready = false;
        self.status.stamp = wall;
        self.dying = false;
        self.state = State::Finishing;
        let sig = i32::from(wstat & 0x7f);
        let code = if sig != 0 { 256 } else { u32::from(wstat >> 8) };
        vec![Action::RecordDeath, Action::SpawnFinish { code, sig }]
    }

    fn down_and_ready(
        &mut self,
        now: Instant,
        wall: SystemTime,
        events: &'static [u8],
    ) -> Vec<Action> {
        self.state = State::Down;
        self.status.pid = 0;
        self.status.finishing = false;
        self.status.ready = true;
        self.status.readystamp = wall;
        self.deadline = Some(self.dont_respawn_before.map_or(now, |t| t.max(now)));
        let mut extra = Vec::new();
        if self.def.policy.any() {
            self.details.next_start = self
                .deadline
                .filter(|&d| d > now && self.status.want_up && !self.exiting)
                .map(|d| wall + (d - now));
            extra.push(Action::WriteDetails);
        }
        if let Some(code) = self.fatal.take() {
            extra.push(Action::Halt(code));
        }
        if self.exiting {
            self.leave();
            // One pass over the fifodir for both the death and the end.
            let events: &'static [u8] = match events {
                b"D" => b"Dx",
                b"OD" => b"ODx",
                _ => b"dDx",
            };
            let mut actions = vec![Action::WriteStatus, Action::Announce(events)];
            actions.extend(extra);
            return actions;
        }
        let mut actions = vec![Action::WriteStatus, Action::Announce(events)];
        actions.extend(extra);
        actions
    }

    /// An unplanned death of a service wanted up: `restart-limit`,
    /// `restart-backoff` and `essential` decide what comes next.
    fn apply_policy(&mut self, code: i32, now: Instant) {
        let p = self.def.policy;
        let mut stays_down = false;
        if let Some(l) = p.limit {
            self.deaths.push_back(now);
            while self
                .deaths
                .front()
                .is_some_and(|&t| now.duration_since(t) > l.window)
            {
                self.deaths.pop_front();
            }
            if self.deaths.len() >= l.deaths {
                self.details.gave_up = Some(format!(
                    "gave up after {} deaths in {} ms",
                    l.deaths,
                    l.window.as_millis()
                ));
                stays_down = true;
            }
        } else if p.essential {
            // Without a limit, an essential service's first death is its last.
            stays_down = true;
        }
        if stays_down {
            self.status.want_up = false;
            if p.essential {
                self.fatal = Some(code);
            }
            return;
        }
        if p.essential {
            // Known only once its finish has run (125 keeps it down).
            self.fatal = None;
        }
        if let Some(b) = p.backoff {
            let ran = self
                .up_since
                .map_or(Duration::ZERO, |t| now.duration_since(t));
            if ran >= b.reset {
                self.streak = 0;
            }
            self.streak = self.streak.saturating_add(1);
            let factor = 1u32.checked_shl(self.streak - 1).unwrap_or(u32::MAX);
            let delay = b.min.saturating_mul(factor).min(b.max);
            self.dont_respawn_before = Some(now + delay);
        }
    }

    /// The health check's verdict changed.
    pub fn health(&mut self, h: Health) -> Vec<Action> {
        if self.details.health == Some(h) {
            return vec![];
        }
        self.details.health = Some(h);
        vec![Action::WriteDetails]
    }

    fn leave(&mut self) -> Vec<Action> {
        self.exiting = true;
        self.gone = true;
        self.deadline = None;
        vec![Action::Announce(b"x")]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;
    use Event::*;

    fn def() -> ServiceDef {
        ServiceDef {
            notification_fd: None,
            lock_fd: None,
            timeout_kill_ms: 0,
            timeout_finish_ms: 5000,
            down_signal: libc::SIGTERM,
            max_death_tally: 100,
            has_finish: true,
            starts_down: false,
            policy: Default::default(),
            warnings: Vec::new(),
        }
    }

    /// A service that was started at `t0` and is up as pid 10.
    fn up(t0: Instant) -> Longrun {
        let (mut lr, actions) = Longrun::new(def(), SystemTime::now());
        assert_eq!(actions.last(), Some(&SpawnRun));
        lr.started(10, t0, SystemTime::now());
        lr
    }

    #[test]
    fn the_table() {
        let t0 = Instant::now();
        let w = SystemTime::now();
        let ms = |n| t0 + Duration::from_millis(n);
        // (setup, event, actions, state after, want_up after)
        let cases: Vec<(Longrun, Event, Vec<Action>, State, bool)> = vec![
            (
                up(t0),
                Command(b'd'),
                vec![Signal(15), Signal(18), WriteStatus],
                State::Up,
                false,
            ),
            (up(t0), Command(b'r'), vec![Signal(15)], State::Up, true),
            (up(t0), Command(b'k'), vec![Signal(9)], State::Up, true),
            (up(t0), Command(b'O'), vec![WriteStatus], State::Up, false),
            (up(t0), Command(b'?'), vec![], State::Up, true),
            (
                up(t0),
                Ready,
                vec![WriteStatus, Announce(b"U")],
                State::Up,
                true,
            ),
            (
                up(t0),
                RunDied(15),
                vec![RecordDeath, SpawnFinish { code: 256, sig: 15 }],
                State::Finishing,
                true,
            ),
            (
                up(t0),
                RunDied(3 << 8),
                vec![RecordDeath, SpawnFinish { code: 3, sig: 0 }],
                State::Finishing,
                true,
            ),
        ];
        for (i, (mut lr, ev, want, state, want_up)) in cases.into_iter().enumerate() {
            assert_eq!(lr.on(ev, ms(10), w), want, "case {i}");
            assert_eq!((lr.state, lr.status.want_up), (state, want_up), "case {i}");
        }
    }

    #[test]
    fn restarts_are_throttled_to_one_per_second() {
        let t0 = Instant::now();
        let w = SystemTime::now();
        let mut lr = up(t0);
        lr.on(RunDied(1 << 8), t0 + Duration::from_millis(100), w);
        lr.finishing(11, t0 + Duration::from_millis(100));
        let acts = lr.on(FinishDied(0), t0 + Duration::from_millis(200), w);
        assert_eq!(acts, vec![WriteStatus, Announce(b"D")]);
        assert_eq!(lr.deadline, Some(t0 + Duration::from_secs(1)));
        // A service that ran for longer restarts at once.
        let mut lr = up(t0);
        let later = t0 + Duration::from_secs(3);
        lr.on(RunDied(0), later, w);
        lr.finish_failed(later, w);
        assert_eq!(lr.deadline, Some(later));
        assert_eq!(lr.on(Timeout, later, w), vec![SpawnRun]);
    }

    #[test]
    fn finish_125_keeps_it_down() {
        let t0 = Instant::now();
        let w = SystemTime::now();
        let mut lr = up(t0);
        lr.on(RunDied(0), t0, w);
        lr.finishing(11, t0);
        assert_eq!(
            lr.on(FinishDied(125 << 8), t0, w),
            vec![WriteStatus, Announce(b"OD")]
        );
        assert!(!lr.status.want_up);
        assert_eq!(lr.on(Timeout, t0 + Duration::from_secs(2), w), vec![]);
    }

    #[test]
    fn timeout_kill_escalates() {
        let t0 = Instant::now();
        let w = SystemTime::now();
        let mut lr = up(t0);
        lr.def.timeout_kill_ms = 300;
        lr.on(Command(b'd'), t0, w);
        assert_eq!(lr.deadline, Some(t0 + Duration::from_millis(300)));
        assert_eq!(
            lr.on(Timeout, t0 + Duration::from_millis(300), w),
            vec![Signal(9)]
        );
    }

    #[test]
    fn stop_ends_supervision_once_down() {
        let t0 = Instant::now();
        let w = SystemTime::now();
        let mut lr = up(t0);
        lr.on(Stop, t0, w);
        lr.on(RunDied(15), t0, w);
        assert!(!lr.gone);
        let acts = lr.finish_failed(t0, w);
        assert_eq!(acts, vec![WriteStatus, Announce(b"dDx")]);
        assert!(lr.gone);
    }
}
