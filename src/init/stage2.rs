//! Stage 2: the hook, cont-init.d in order, the services of
//! `etc/services.d`, then the CMD; a failure is
//! handled per `S6_BEHAVIOUR_IF_STAGE2_FAILS`.

use std::time::{Duration, Instant};

use super::{Reason, Stop, Task, tree};

impl super::Init {
    pub(super) fn plan_stage2(&mut self, tree: &tree::Tree) {
        if let Some(hook) = self.cfg.stage2_hook.clone() {
            self.stage2.push_back(Task::Hook(hook));
        }
        for script in tree::scripts(&tree.cont_init) {
            self.stage2.push_back(Task::Script(script));
        }
        if tree.services_dir().is_dir() {
            self.stage2.push_back(Task::Services);
            if self.cfg.cmd_wait_for_services {
                self.stage2.push_back(Task::WaitServices);
            }
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
                if self.current.is_some() || self.cmd.is_some() || self.still_waiting() {
                    return;
                }
                match self.stage2.pop_front() {
                    Some(task) => self.start(task),
                    None => return,
                }
                continue;
            }
            if let Some(queue) = self.services_stopped() {
                self.stop = Some(Stop::Finish {
                    queue,
                    running: None,
                });
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
                    self.log(1, "warning", format_args!("cannot run {what}: {why}"));
                    self.stage2_failed(&what, 126);
                    return;
                }
                self.log(2, "info", format_args!("stage 2: running {what}"));
                (
                    vec![path.as_os_str().as_encoded_bytes().to_vec()],
                    what,
                    false,
                )
            }
            Task::Services => return self.start_services(),
            Task::WaitServices => {
                let ms = self.cfg.cmd_wait_for_services_maxtime_ms;
                self.waiting = Some((ms > 0).then(|| Instant::now() + Duration::from_millis(ms)));
                return;
            }
            Task::Cmd(argv) => {
                let what = crate::error::show(&argv[0]);
                self.log(2, "info", format_args!("stage 2: starting the CMD: {what}"));
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
        self.log(2, "info", format_args!("the CMD exited with code {code}"));
        if self.reason.is_none() {
            if !self.tini {
                self.write_exitcode(code);
            }
            self.shutdown(Reason::CmdExited(code));
        }
    }

    pub(super) fn stage2_failed(&mut self, what: &str, code: i32) {
        match self.cfg.stage2_fails {
            0 => self.log(3, "info", format_args!("{what} exited {code}; continuing")),
            1 => self.log(
                1,
                "warning",
                format_args!("{what} exited {code}; continuing"),
            ),
            _ => {
                self.log(0, "fatal", format_args!("{what} exited {code}; stopping the container (S6_BEHAVIOUR_IF_STAGE2_FAILS=2)"));
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
                format_args!(
                    "unable to write {}: {}",
                    self.run.exitcode().display(),
                    crate::error::describe(&e)
                ),
            );
        }
    }

    /// Copies `etc/services.d/*` to `RUN/s6/legacy-services/`, links each
    /// into `RUN/service/` (the scan directory s6 tools are pointed at), and
    /// supervises it.
    fn start_services(&mut self) {
        let tree = tree::Tree::at(&self.opts.root);
        let legacy = self.run.root.join("s6/legacy-services");
        let scandir = self.run.root.join("service");
        let _ = std::fs::create_dir_all(&scandir);
        for (name, src) in super::service::list(tree.services_dir()) {
            let live = legacy.join(&name);
            let link = scandir.join(&name);
            let _ = std::fs::remove_dir_all(&live);
            let _ = std::fs::remove_file(&link);
            let copied = tree::copy_tree(&src, &live)
                .and_then(|()| std::os::unix::fs::symlink(&live, &link));
            if let Err(e) = copied {
                let why = crate::error::describe(&e);
                self.log(
                    0,
                    "error",
                    format_args!("service {name}: unable to set up {}: {why}", live.display()),
                );
                continue;
            }
            self.log(2, "info", format_args!("stage 2: starting service {name}"));
            let mask = self.signals.original;
            self.services.add(&name, &link, &self.env, &mask);
        }
    }

    /// True while `S6_CMD_WAIT_FOR_SERVICES` holds the CMD back.
    fn still_waiting(&mut self) -> bool {
        let Some(deadline) = self.waiting else {
            return false;
        };
        if self.services.all_up() {
            self.waiting = None;
            return false;
        }
        if deadline.is_some_and(|d| d <= Instant::now()) {
            self.waiting = None;
            let late: Vec<String> = self.services.not_up().collect();
            let what = format!(
                "services not up after S6_CMD_WAIT_FOR_SERVICES_MAXTIME ({})",
                late.join(", ")
            );
            self.stage2_failed(&what, 1);
            return false;
        }
        true
    }
}
