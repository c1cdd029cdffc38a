//! Waiting for a pattern of events on fifodirs, as s6-ftrig-wait and
//! s6-ftrig-listen do: every event byte read on a subscription is added to
//! what it read before, and the subscription fires once that whole series
//! matches its extended regular expression.

use std::path::Path;
use std::time::Instant;

use super::fifodir::Listener;
use crate::posix::{Regex, RegexFlags};

pub struct Trigger {
    listener: Listener,
    pattern: Regex,
    seen: Vec<u8>,
    /// The series that matched, once it did.
    pub fired: Option<Vec<u8>>,
}

impl Trigger {
    /// Subscribes to `dir`; a pattern that does not compile is EINVAL, as
    /// the original reports it.
    pub fn subscribe(dir: &Path, pattern: &[u8]) -> std::io::Result<Trigger> {
        let flags = RegexFlags::default();
        let pattern = Regex::compile(pattern, flags)
            .map_err(|_| std::io::Error::from_raw_os_error(libc::EINVAL))?;
        Ok(Trigger {
            listener: Listener::subscribe(dir)?,
            pattern,
            seen: Vec::new(),
            fired: None,
        })
    }

    /// Reads the events that arrived and checks the series.
    fn update(&mut self) {
        if self.fired.is_some() {
            return;
        }
        let events = self.listener.read();
        if events.is_empty() {
            return;
        }
        self.seen.extend_from_slice(&events);
        if self.pattern.is_match(&self.seen) {
            self.fired = Some(std::mem::take(&mut self.seen));
        }
    }
}

/// Waits until every trigger (or, with `any`, one) fired; false when the
/// deadline passed first.
pub fn wait(triggers: &mut [Trigger], any: bool, deadline: Option<Instant>) -> bool {
    loop {
        for t in triggers.iter_mut() {
            t.update();
        }
        let fired = triggers.iter().filter(|t| t.fired.is_some()).count();
        if fired == triggers.len() || (any && fired > 0) {
            return true;
        }
        if deadline.is_some_and(|d| d <= Instant::now()) {
            return false;
        }
        let fds: Vec<i32> = triggers.iter().map(|t| t.listener.raw_fd()).collect();
        crate::poll::readable(&fds, deadline);
    }
}
