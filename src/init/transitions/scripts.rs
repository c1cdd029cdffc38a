//! `legacy-cont-init`: cont-init.d on the way up and cont-finish.d on the
//! way down, one script at a time; every cont-init.d script runs, and the
//! first failure decides, as in s6-overlay.

use std::time::Instant;

use super::ms;
use crate::init::rc::State;
use crate::init::tree;

impl crate::init::Init {
    /// Runs the next cont-init.d (up) or cont-finish.d (down) script of
    /// `legacy-cont-init`; none left ends its transition.
    pub(in crate::init) fn next_script(&mut self, i: usize) {
        let up = self.graph_mut().engine.state[i] == State::Starting;
        loop {
            let Some(script) = self.graph_mut().run[i].scripts.pop_front() else {
                if up {
                    return self.cont_init_over(i);
                }
                self.graph_mut().engine.stopped(i);
                return;
            };
            let what = script.display().to_string();
            if let Some(why) = tree::not_runnable(&script) {
                self.log(1, "warning", format_args!("cannot run {what}: {why}"));
                if up {
                    self.script_failed(i, &what, 126);
                }
                continue;
            }
            self.log(2, "info", format_args!("{}running {what}", self.phase()));
            let argv = vec![script.as_os_str().as_encoded_bytes().to_vec()];
            match self.spawn(argv, false) {
                Ok(pid) => {
                    let limit = if up {
                        None
                    } else {
                        ms(self.cfg.kill_finish_maxtime_ms)
                    };
                    let r = &mut self.graph_mut().run[i];
                    r.pid = Some((pid, what));
                    r.script_deadline = limit.map(|d| Instant::now() + d);
                    return;
                }
                Err(code) if up => self.script_failed(i, &what, code),
                Err(_) => {}
            }
        }
    }

    /// A cont-init.d script failed: said with its code whatever the policy;
    /// the next one still runs.
    pub(in crate::init) fn script_failed(&mut self, i: usize, what: &str, code: i32) {
        self.log(1, "warning", format_args!("{what} exited {code}"));
        let r = &mut self.graph_mut().run[i];
        r.code = Some(code);
        r.first_failure
            .get_or_insert_with(|| (what.to_owned(), code));
    }

    /// Every cont-init.d script has run. As s6-overlay's: a failure is only
    /// noted under S6_BEHAVIOUR_IF_STAGE2_FAILS=0, fails `legacy-cont-init`
    /// (and so stops the container) under 2; the code is the first failure's.
    pub(in crate::init) fn cont_init_over(&mut self, i: usize) {
        let failure = self.graph_mut().run[i].first_failure.take();
        match failure {
            Some((what, code)) if self.cfg.stage2_fails >= 2 => {
                let why = format!("cont-init.d: {what} exited {code}");
                self.node_failed_with(i, &why, false, code);
            }
            Some((what, code)) => {
                if self.cfg.stage2_fails == 1 {
                    self.log(1, "warning", format_args!("cont-init.d: some scripts exited nonzero, the first {what} with {code}; continuing"));
                }
                self.graph_mut().engine.started(i, true, true);
            }
            None => self.graph_mut().engine.started(i, true, true),
        }
    }
}
