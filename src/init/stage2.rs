//! Stage 2: the hook, then the service graph comes up (cont-init.d,
//! services.d and the s6-rc.d services, in the order s6-overlay gives
//! them), then the CMD; a failure is handled per
//! `S6_BEHAVIOUR_IF_STAGE2_FAILS`.

use super::{Reason, Stop, Task, tree};

impl super::Init {
    pub(super) fn plan_stage2(&mut self) {
        if let Some(hook) = self.cfg.stage2_hook.clone() {
            self.stage2.push_back(Task::Hook(hook));
        }
        if !self.tini {
            self.stage2.push_back(Task::Graph);
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
            self.drive_graph();
            if self.reason.is_none() {
                if self.current.is_some() || self.cmd.is_some() || self.still_booting() {
                    return;
                }
                match self.stage2.pop_front() {
                    Some(task) => self.start(task),
                    None => return,
                }
                continue;
            }
            if matches!(self.stop, Some(Stop::Graph)) && self.graph_down() {
                self.terminate_all();
            }
            return;
        }
    }

    pub(super) fn start(&mut self, task: Task) {
        let (argv, what, is_cmd) = match task {
            Task::Hook(text) => (
                vec![b"sh".to_vec(), b"-c".to_vec(), text],
                "S6_STAGE2_HOOK".to_owned(),
                false,
            ),
            Task::Graph => return self.start_graph(),
            Task::Cmd(argv) => {
                let what = crate::error::show(&argv[0]);
                self.log(2, "info", format_args!("stage 2: starting the CMD: {what}"));
                (argv, what, true)
            }
        };
        if is_cmd {
            let name = argv.first().cloned().unwrap_or_default();
            return match self.spawn_cmd(argv) {
                Ok((pid, report)) => {
                    self.cmd = Some(pid);
                    self.cmd_exec = Some((name, report));
                }
                Err(code) => self.cmd_ended(code),
            };
        }
        match self.spawn(argv, false) {
            Ok(pid) => self.current = Some((pid, what)),
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

    /// `what` (a script or command) exited `code` during startup.
    pub(super) fn stage2_failed(&mut self, what: &str, code: i32) {
        self.stage2_failure(&format!("{what} exited {code}"), code);
    }

    /// Something failed during startup (`what` says what, in full).
    pub(super) fn stage2_failure(&mut self, what: &str, code: i32) {
        match self.cfg.stage2_fails {
            // Named with its code whatever the policy, as s6-rc always warns.
            0 | 1 => self.log(1, "warning", format_args!("{what}; continuing")),
            _ => {
                self.log(
                    0,
                    "fatal",
                    format_args!("{what}; stopping the container (S6_BEHAVIOUR_IF_STAGE2_FAILS=2)"),
                );
                self.write_exitcode(code);
                self.shutdown(Reason::Stage2Failed(code));
            }
        }
    }

    /// An `essential` service died and stays down: the container stops
    /// with its code, unless the CMD or a script set one already.
    pub(super) fn essential_stopped(&mut self, name: &str, code: i32) {
        if self.reason.is_some() {
            return;
        }
        // Its death first, then what it means.
        self.flush_service_log();
        self.log(
            0,
            "error",
            format_args!("service {name} is essential and stopped for good (exit {code}); stopping the container"),
        );
        // 256 is no code a file can give: nobody has written one yet.
        if super::stage1::read_exitcode(&self.run, 256) == 256 {
            self.write_exitcode(code);
        }
        self.shutdown_by(
            Reason::Essential(code),
            &format!("service {name}, essential, stopped for good with {code}"),
        );
    }

    pub(super) fn write_exitcode(&self, code: i32) {
        if !self.run_ok {
            return;
        }
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
    /// supervises it. Returns the names supervised, and those that could
    /// not be (each logged with why).
    pub(super) fn start_services(&mut self) -> (Vec<String>, Vec<String>) {
        if !self.run_ok {
            return (Vec::new(), Vec::new());
        }
        let mut failed = Vec::new();
        let legacy = self.run.root.join("s6/legacy-services");
        let scandir = self.run.root.join("service");
        let _ = std::fs::create_dir_all(&scandir);
        let mut names = Vec::new();
        for (name, src) in super::service::list(&self.tree.services) {
            let clash = self
                .graph
                .as_ref()
                .is_some_and(|g| g.engine.graph.is_longrun(&name));
            if clash {
                // Both would be RUN/service/NAME.
                self.log(0, "error", format_args!("service {name}: defined both in {} and in s6-rc.d; the services.d one is not started", self.tree.services.display()));
                continue;
            }
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
                failed.push(name);
                continue;
            }
            self.log(2, "info", format_args!("stage 2: starting service {name}"));
            let mask = self.signals.original;
            if self.services.add(&name, &link, &self.env, &mask).is_some() {
                names.push(name);
            } else {
                failed.push(name);
            }
        }
        (names, failed)
    }
}
