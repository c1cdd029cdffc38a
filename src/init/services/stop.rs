//! Stopping supervised services: the whole tree at the end, services.d by
//! name, one by index; a pipeline's consumer left to read its pipe to the
//! end (and given its down-signal once it is empty); services abandoned to
//! the final TERM when their time is up.

use std::os::fd::AsRawFd;

use super::Services;
use crate::chain::Env;
use crate::init::supervisor::Event;

impl Services {
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
    /// Drops the init's write end of every log pipe whose producers are all
    /// no longer supervised, so its logger reads EOF — also when none was
    /// ever supervised and its logger is being stopped, so that a consumer
    /// whose producer never started does not wait out its time to stop.
    pub(super) fn close_finished_producers(&mut self) {
        for (p, pipe) in self.pipes.iter_mut().enumerate() {
            let mut producers = self.list.iter().filter(|s| s.stdout_pipe == Some(p));
            let mut any = false;
            let all_gone = producers.all(|s| {
                any = true;
                s.lr.gone
            });
            let reader_stopping = || {
                self.list
                    .iter()
                    .any(|s| s.stdin_pipe == Some(p) && s.lr.exiting)
            };
            if all_gone && (any || reader_stopping()) {
                pipe.write = None;
            }
        }
    }
    /// Stops service `i`; a logger (`drain`) is left to read its pipe to EOF.
    pub fn stop_at(&mut self, i: usize, drain: bool, env: &Env, mask: &libc::sigset_t) {
        if drain {
            self.feed(i, Event::Command(b'O'), env, mask);
            self.feed(i, Event::Command(b'x'), env, mask);
        } else {
            self.feed(i, Event::Stop, env, mask);
        }
        self.close_finished_producers();
        // As s6-rc, a consumer whose producers are all down gets its
        // down-signal — once nothing is left in its pipe, so no line is lost
        // (with lines left, it reads them and the end of input).
        if drain
            && let Some(p) = self.list[i].stdin_pipe
            && self.pipes[p].write.is_none()
            && crate::chain::fd::unread(self.pipes[p].read.as_raw_fd()) == Some(0)
        {
            self.feed(i, Event::Stop, env, mask);
        }
    }
    /// Gives up on `name` and its logger.
    pub fn abandon_named(&mut self, name: &str) {
        let logger = format!("{name}/log");
        for s in &mut self.list {
            if s.name == name || s.name == logger {
                s.lr.gone = true;
            }
        }
        self.close_finished_producers();
    }
    /// Gives up on service `i` (its time to stop is over).
    pub fn abandon_at(&mut self, i: usize) {
        self.list[i].lr.gone = true;
        self.close_finished_producers();
    }
}
