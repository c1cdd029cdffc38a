//! Waiting for services to reach a state without polling, as s6-svwait and
//! `s6-svc -w` do: subscribe to each `event/` fifodir first, then read the
//! status (so no transition is missed), then read events until done.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::fifodir::Listener;
use super::status::Status;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Goal {
    Up,
    Ready,
    Down,
    Finished,
    Restarted,
    RestartedReady,
}

impl Goal {
    pub fn from_letter(c: u8) -> Option<Goal> {
        Some(match c {
            b'u' => Goal::Up,
            b'U' => Goal::Ready,
            b'd' => Goal::Down,
            b'D' => Goal::Finished,
            b'r' => Goal::Restarted,
            b'R' => Goal::RestartedReady,
            _ => return None,
        })
    }

    fn wants_up(self) -> bool {
        !matches!(self, Goal::Down | Goal::Finished)
    }
}

/// How a wait ended, as s6-svwait's exit code.
pub const TIMED_OUT: i32 = 99;
pub const SUPERVISOR_GONE: i32 = 102;

struct One {
    dir: PathBuf,
    listener: Listener,
    goal: Goal,
    done: bool,
    failed: bool,
}

/// Without a notification-fd a service never becomes ready: readiness
/// goals fall back to plain up, as s6 does. chainit's `notify-socket`
/// (sd_notify's READY=1) is a readiness notification too.
fn effective(goal: Goal, dir: &Path) -> Goal {
    let notifies = dir.join("notification-fd").exists() || dir.join("notify-socket").exists();
    match goal {
        Goal::Ready if !notifies => Goal::Up,
        Goal::RestartedReady if !notifies => Goal::Restarted,
        g => g,
    }
}

fn holds(goal: Goal, s: &Status) -> bool {
    let up = s.pid != 0 && !s.finishing;
    match goal {
        Goal::Up => up,
        Goal::Ready => up && s.ready,
        Goal::Down => !up,
        Goal::Finished => !up && s.ready,
        Goal::Restarted | Goal::RestartedReady => false,
    }
}

/// A service whose events could not be subscribed to.
#[derive(Debug)]
pub struct Unsubscribed {
    pub dir: PathBuf,
    pub error: std::io::Error,
}

impl std::fmt::Display for Unsubscribed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unable to subscribe to events for {}: {}",
            self.dir.display(),
            crate::error::describe(&self.error)
        )
    }
}

/// Subscriptions taken before an action (`s6-svc -w`), awaited after it.
pub struct Wait {
    all: Vec<One>,
}

impl Wait {
    pub fn subscribe(dirs: &[PathBuf], goal: Goal) -> Result<Wait, Unsubscribed> {
        let mut all = Vec::new();
        for dir in dirs {
            let listener =
                Listener::subscribe(&dir.join("event")).map_err(|error| Unsubscribed {
                    dir: dir.clone(),
                    error,
                })?;
            all.push(One {
                dir: dir.clone(),
                listener,
                goal: effective(goal, dir),
                done: false,
                failed: false,
            });
        }
        Ok(Wait { all })
    }

    /// Waits until all (or, with `any`, one) reached the goal. Returns 0, the
    /// number of services that failed for good, 99 on timeout, 102 when a
    /// supervisor went away.
    pub fn wait(
        mut self,
        any: bool,
        check_now: bool,
        timeout: Option<Duration>,
    ) -> std::io::Result<i32> {
        if check_now {
            for one in &mut self.all {
                let st = Status::read(&one.dir)?;
                one.done = holds(one.goal, &st);
            }
        }
        let deadline = timeout.map(|t| Instant::now() + t);
        loop {
            let finished = |w: &Wait| {
                let n = w.all.iter().filter(|o| o.done || o.failed).count();
                if any { n > 0 } else { n == w.all.len() }
            };
            if finished(&self) {
                return Ok(self.all.iter().filter(|o| o.failed).count() as i32);
            }
            if deadline.is_some_and(|d| d <= Instant::now()) {
                return Ok(TIMED_OUT);
            }
            let fds: Vec<i32> = self.all.iter().map(|o| o.listener.raw_fd()).collect();
            crate::poll::readable(&fds, deadline);
            for one in &mut self.all {
                for ev in one.listener.read() {
                    if ev == b'x' {
                        return Ok(SUPERVISOR_GONE);
                    }
                    if one.done {
                        continue;
                    }
                    match (one.goal, ev) {
                        (Goal::Up | Goal::Restarted, b'u') => one.done = true,
                        (Goal::Ready | Goal::RestartedReady, b'U') => one.done = true,
                        (Goal::Down, b'd') => one.done = true,
                        (Goal::Finished, b'D') => one.done = true,
                        (g, b'O') if g.wants_up() => one.failed = true,
                        _ => {}
                    }
                }
            }
        }
    }
}
