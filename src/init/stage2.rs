//! Stage 2: the hook, cont-init.d in order, then the CMD; a failure is
//! handled per `S6_BEHAVIOUR_IF_STAGE2_FAILS`.

use super::{Reason, Stop, Task, tree};

impl super::Init {
    pub(super) fn plan_stage2(&mut self, tree: &tree::Tree) {
        if let Some(hook) = self.cfg.stage2_hook.clone() {
            self.stage2.push_back(Task::Hook(hook));
        }
        for script in tree::scripts(&tree.cont_init) {
            self.stage2.push_back(Task::Script(script));
        }
        let mut cmd: Vec<Vec<u8>> = match &self.cfg.cmd_arg0 {
            Some(a) if !self.opts.cmd.is_empty() => a
                .split(|b| b.is_ascii_whitespace())
                .filter(|w| !w.is_empty())
                .map(<[u8]>::to_vec)
                .collect(),
            _ => Vec::new(),
        };
        cmd.extend(self.opts.cmd.iter().cloned());
        if !cmd.is_empty() {
            self.stage2.push_back(Task::Cmd(cmd));
        }
    }

    /// Starts whatever comes next, until something is running or waited for.
    pub(super) fn advance(&mut self) {
        loop {
            if self.reason.is_none() {
                if self.current.is_some() || self.cmd.is_some() {
                    return;
                }
                match self.stage2.pop_front() {
                    Some(task) => self.start(task),
                    None => return,
                }
                continue;
            }
            let next = match &mut self.stop {
                Some(Stop::Finish {
                    queue,
                    running: None,
                }) => Some(queue.pop_front()),
                _ => None,
            };
            match next {
                Some(Some(script)) => self.start_finish(script),
                Some(None) => return self.terminate_all(),
                None => return,
            }
        }
    }

    pub(super) fn start(&mut self, task: Task) {
        let (argv, what, is_cmd) = match task {
            Task::Hook(text) => (
                vec![b"sh".to_vec(), b"-c".to_vec(), text],
                "S6_STAGE2_HOOK".to_owned(),
                false,
            ),
            Task::Script(path) => {
                let what = path.display().to_string();
                if let Some(why) = tree::not_runnable(&path) {
                    self.log(1, "warning", &format!("cannot run {what}: {why}"));
                    self.stage2_failed(&what, 126);
                    return;
                }
                self.log(2, "info", &format!("stage 2: running {what}"));
                (
                    vec![path.as_os_str().as_encoded_bytes().to_vec()],
                    what,
                    false,
                )
            }
            Task::Cmd(argv) => {
                let what = crate::error::show(&argv[0]);
                self.log(2, "info", &format!("stage 2: starting the CMD: {what}"));
                (argv, what, true)
            }
        };
        match self.spawn(argv, is_cmd) {
            Ok(pid) if is_cmd => self.cmd = Some(pid),
            Ok(pid) => self.current = Some((pid, what)),
            Err(code) if is_cmd => self.cmd_ended(code),
            Err(code) => self.stage2_failed(&what, code),
        }
    }

    pub(super) fn cmd_ended(&mut self, code: i32) {
        self.cmd_code = Some(code);
        self.log(2, "info", &format!("the CMD exited with code {code}"));
        if self.reason.is_none() {
            if !self.tini {
                self.write_exitcode(code);
            }
            self.shutdown(Reason::CmdExited(code));
        }
    }

    pub(super) fn stage2_failed(&mut self, what: &str, code: i32) {
        match self.cfg.stage2_fails {
            0 => self.log(3, "info", &format!("{what} exited {code}; continuing")),
            1 => self.log(1, "warning", &format!("{what} exited {code}; continuing")),
            _ => {
                self.log(0, "fatal", &format!("{what} exited {code}; stopping the container (S6_BEHAVIOUR_IF_STAGE2_FAILS=2)"));
                self.write_exitcode(code);
                self.shutdown(Reason::Stage2Failed(code));
            }
        }
    }

    pub(super) fn write_exitcode(&self, code: i32) {
        if let Err(e) = std::fs::write(self.run.exitcode(), format!("{code}\n")) {
            self.log(
                1,
                "warning",
                &format!(
                    "unable to write {}: {}",
                    self.run.exitcode().display(),
                    crate::error::describe(&e)
                ),
            );
        }
    }
}
