//! `chainit init`: PID 1 (or a subreaper). Stage 1 prepares the run dir,
//! stage 2 runs the hook, cont-init.d and the CMD, stage 3 runs cont-finish.d
//! and stops everything left. One loop over a signalfd with deadlines; the
//! process never panics and never exits before stage 3 is over.
#![deny(clippy::unwrap_used, clippy::expect_used)]

pub mod config;
mod memory;
mod procs;
mod reaper;
pub mod signals;
mod stage1;
mod tree;

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use nix::sys::wait::WaitStatus;
use nix::unistd::Pid;

use crate::chain::Env;
use config::Config;
use signals::Signals;
use stage1::RunDir;

/// What `chainit init` was asked to do.
#[derive(Debug, Default)]
pub struct Options {
    pub root: PathBuf,
    pub run_dir: PathBuf,
    pub subreaper: bool,
    pub group: bool,
    pub remap: Vec<i32>,
    pub parent_death: Option<i32>,
    pub rewrite: Vec<(i32, i32)>,
    pub verbose: u8,
    pub cmd: Vec<Vec<u8>>,
}

/// Why stage 3 started; it decides the exit code.
#[derive(Clone, Copy, Debug)]
enum Reason {
    Halt,
    Poweroff,
    Reboot,
    CmdExited(i32),
    Stage2Failed(i32),
}

/// One step of stage 2.
enum Task {
    Hook(Vec<u8>),
    Script(PathBuf),
    Cmd(Vec<Vec<u8>>),
}

/// Where stage 3 is.
enum Stop {
    Finish {
        queue: VecDeque<PathBuf>,
        running: Option<(Pid, Option<Instant>)>,
    },
    Term(Instant),
    Kill(Instant),
}

struct Init {
    opts: Options,
    cfg: Config,
    run: RunDir,
    signals: Signals,
    tini: bool,
    pid1: bool,
    verbosity: u8,
    env: Env,
    stage2: VecDeque<Task>,
    current: Option<(Pid, String)>,
    cmd: Option<Pid>,
    cmd_code: Option<i32>,
    reason: Option<Reason>,
    stop: Option<Stop>,
    none_left: bool,
}

/// Runs the init to the end and returns the container's exit code.
pub fn run(opts: Options) -> i32 {
    let signals = match Signals::take() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("chainit init: fatal: unable to block signals: {e}");
            return crate::exit::SYSTEM;
        }
    };
    let mut init = Init::boot(opts, signals);
    memory::trim();
    init.main_loop()
}

impl Init {
    fn boot(opts: Options, signals: Signals) -> Self {
        let original = Env::from_process();
        let (cfg, problems) = config::read(&original);
        let tree = tree::Tree::at(&opts.root);
        let tini = tree.is_empty();
        let pid1 = std::process::id() == 1;
        let verbosity = if tini { 1 } else { cfg.verbosity }.saturating_add(opts.verbose);
        let run = RunDir {
            root: opts.run_dir.clone(),
        };
        let mut init = Init {
            env: Env::default(),
            stage2: VecDeque::new(),
            current: None,
            cmd: None,
            cmd_code: None,
            reason: None,
            stop: None,
            none_left: false,
            tini,
            pid1,
            verbosity,
            run,
            signals,
            cfg,
            opts,
        };
        for p in problems {
            init.log(1, "warning", &p);
        }
        init.set_process_flags();
        init.log(2, "info", "stage 1: preparing the run dir");
        for p in stage1::prepare(&init.run, &original, !init.cfg.keep_env) {
            init.log(1, "warning", &p);
        }
        init.env = if init.tini || init.cfg.keep_env {
            original
        } else {
            stage1::reset_env(&original, &init.run)
        };
        init.plan_stage2(&tree);
        init
    }

    /// Subreaper when not PID 1, and the parent-death signal if asked.
    fn set_process_flags(&mut self) {
        if !self.pid1 || self.opts.subreaper {
            // SAFETY: prctl with integer arguments only.
            if unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) } < 0 {
                let e = nix::errno::Errno::last();
                self.log(1, "warning", &format!("unable to become a subreaper: {e}"));
            }
        }
        if let Some(sig) = self.opts.parent_death {
            // SAFETY: prctl with integer arguments only.
            if unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, sig, 0, 0, 0) } < 0 {
                let e = nix::errno::Errno::last();
                self.log(
                    1,
                    "warning",
                    &format!("unable to set the parent-death signal: {e}"),
                );
            }
        }
    }

    fn plan_stage2(&mut self, tree: &tree::Tree) {
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

    fn log(&self, level: u8, kind: &str, msg: &str) {
        if level <= self.verbosity {
            eprintln!("chainit init: {kind}: {msg}");
        }
    }

    fn main_loop(&mut self) -> i32 {
        loop {
            self.advance();
            if let Some(code) = self.finished() {
                return code;
            }
            self.wait(self.next_deadline());
            for sig in self.signals.drain() {
                self.on_signal(sig);
            }
            self.reap();
            self.on_time(Instant::now());
        }
    }

    /// Blocks until a signal arrives or `deadline` passes.
    fn wait(&self, deadline: Option<Instant>) {
        let timeout = deadline.map_or(-1, |d| {
            let left = d.saturating_duration_since(Instant::now());
            // Round up so a deadline is never polled for early.
            i32::try_from(left.as_millis() + 1).unwrap_or(i32::MAX)
        });
        let mut fds = [libc::pollfd {
            fd: self.signals.raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        }];
        // SAFETY: one valid pollfd, owned here for the duration of the call.
        unsafe { libc::poll(fds.as_mut_ptr(), 1, timeout) };
    }

    fn reap(&mut self) {
        let r = reaper::reap_all();
        self.none_left = r.none_left;
        for (pid, status) in r.dead {
            self.on_exit(pid, status);
        }
    }

    /// Starts whatever comes next, until something is running or waited for.
    fn advance(&mut self) {
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

    fn start(&mut self, task: Task) {
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

    /// Forks and runs `argv`; `Err(126 or 127)` when it could not be run.
    fn spawn(&self, argv: Vec<Vec<u8>>, foreground: bool) -> Result<Pid, i32> {
        let mask = self.signals.original;
        let setup = move || {
            if foreground {
                // Own group, so a group signal (-g) or the tty's ^C reaches it
                // and not the init; SIGTTOU is still blocked here, so taking
                // the terminal cannot stop us.
                let _ = nix::unistd::setpgid(Pid::from_raw(0), Pid::from_raw(0));
                let stdin = std::io::stdin();
                if nix::unistd::isatty(&stdin).unwrap_or(false) {
                    let _ = nix::unistd::tcsetpgrp(&stdin, nix::unistd::getpid());
                }
            }
            Signals::restore_in_child(&mask);
            Ok(())
        };
        let name = argv.first().cloned().unwrap_or_default();
        match crate::chain::spawn::spawn_with(argv, &self.env, setup) {
            Ok(pid) => Ok(pid),
            Err(crate::error::Error::Spawn { errno, .. }) => {
                self.log(
                    0,
                    "fatal",
                    &format!(
                        "unable to run {}: {}",
                        crate::error::show(&name),
                        errno.desc()
                    ),
                );
                Err(if errno == nix::errno::Errno::ENOENT {
                    127
                } else {
                    126
                })
            }
            Err(e) => {
                self.log(
                    0,
                    "fatal",
                    &format!("unable to run {}: {e}", crate::error::show(&name)),
                );
                Err(126)
            }
        }
    }

    fn on_signal(&mut self, sig: i32) {
        if sig == libc::SIGCHLD {
            return;
        }
        if sig == signals::halt() {
            return self.shutdown(Reason::Halt);
        }
        if sig == signals::poweroff() {
            return self.shutdown(Reason::Poweroff);
        }
        if sig == signals::reboot() {
            return self.shutdown(Reason::Reboot);
        }
        let diverted = [
            libc::SIGTERM,
            libc::SIGQUIT,
            libc::SIGINT,
            libc::SIGUSR1,
            libc::SIGUSR2,
            libc::SIGPWR,
            libc::SIGWINCH,
        ];
        if let Some(cmd) = self.cmd
            && (self.tini || (self.cfg.cmd_receive_signals && diverted.contains(&sig)))
        {
            return self.forward(cmd, sig);
        }
        match sig {
            libc::SIGTERM | libc::SIGUSR2 => self.shutdown(Reason::Halt),
            libc::SIGINT => self.shutdown(Reason::Reboot),
            libc::SIGUSR1 | libc::SIGPWR => self.shutdown(Reason::Poweroff),
            _ => self.log(3, "info", &format!("ignoring {}", signals::name(sig))),
        }
    }

    fn forward(&self, cmd: Pid, sig: i32) {
        let sig = self
            .opts
            .rewrite
            .iter()
            .find(|r| r.0 == sig)
            .map_or(sig, |r| r.1);
        if sig == 0 {
            return;
        }
        let target = if self.opts.group {
            -cmd.as_raw()
        } else {
            cmd.as_raw()
        };
        self.log(
            3,
            "info",
            &format!("forwarding {} to {target}", signals::name(sig)),
        );
        if let Err(e) = signals::send(target, sig) {
            self.log(
                3,
                "warning",
                &format!("unable to forward {}: {e}", signals::name(sig)),
            );
        }
    }

    fn on_exit(&mut self, pid: Pid, status: WaitStatus) {
        let code = reaper::exit_code(status);
        if self.cmd == Some(pid) {
            self.cmd = None;
            return self.cmd_ended(code);
        }
        if let Some((p, what)) = &self.current
            && *p == pid
        {
            let what = what.clone();
            self.current = None;
            if code != 0 && self.reason.is_none() {
                self.stage2_failed(&what, code);
            }
            return;
        }
        if let Some(Stop::Finish { running, .. }) = &mut self.stop
            && running.is_some_and(|(p, _)| p == pid)
        {
            *running = None;
            return;
        }
        self.log(4, "info", &format!("reaped {pid}"));
    }

    fn cmd_ended(&mut self, code: i32) {
        self.cmd_code = Some(code);
        self.log(2, "info", &format!("the CMD exited with code {code}"));
        if self.reason.is_none() {
            if !self.tini {
                self.write_exitcode(code);
            }
            self.shutdown(Reason::CmdExited(code));
        }
    }

    fn stage2_failed(&mut self, what: &str, code: i32) {
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

    fn write_exitcode(&self, code: i32) {
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

    /// Stage 3 begins (once): startup is cancelled, cont-finish.d runs.
    fn shutdown(&mut self, reason: Reason) {
        if self.reason.is_some() {
            return;
        }
        self.log(2, "info", &format!("stage 3: shutting down ({reason:?})"));
        self.reason = Some(reason);
        self.stage2.clear();
        let queue = if self.tini {
            VecDeque::new()
        } else {
            tree::scripts(&tree::Tree::at(&self.opts.root).cont_finish).into()
        };
        self.stop = Some(Stop::Finish {
            queue,
            running: None,
        });
    }

    fn start_finish(&mut self, script: PathBuf) {
        let what = script.display().to_string();
        if let Some(why) = tree::not_runnable(&script) {
            return self.log(1, "warning", &format!("cannot run {what}: {why}"));
        }
        self.log(2, "info", &format!("stage 3: running {what}"));
        let deadline = match self.cfg.kill_finish_maxtime_ms {
            0 => None,
            ms => Some(Instant::now() + Duration::from_millis(ms)),
        };
        let argv = vec![script.as_os_str().as_encoded_bytes().to_vec()];
        if let (Ok(pid), Some(Stop::Finish { running, .. })) =
            (self.spawn(argv, false), &mut self.stop)
        {
            *running = Some((pid, deadline));
        }
    }

    fn terminate_all(&mut self) {
        let grace = Duration::from_millis(self.cfg.kill_gracetime_ms);
        self.stop = Some(Stop::Term(Instant::now() + grace));
        // Nothing left (the usual case once the CMD is gone): no signals to send.
        self.reap();
        if self.none_left {
            return;
        }
        self.log(2, "info", "stage 3: sending TERM to every process left");
        procs::signal_all(libc::SIGTERM, self.pid1);
        procs::signal_all(libc::SIGCONT, self.pid1);
        self.reap();
    }

    fn on_time(&mut self, now: Instant) {
        let mut overdue = None;
        if let Some(Stop::Finish {
            running: Some((pid, deadline)),
            ..
        }) = &mut self.stop
            && deadline.is_some_and(|d| d <= now)
        {
            *deadline = None;
            overdue = Some(*pid);
        }
        if let Some(pid) = overdue {
            self.log(
                1,
                "warning",
                "a cont-finish.d script ran past S6_KILL_FINISH_MAXTIME; killing it",
            );
            let _ = signals::send(pid.as_raw(), libc::SIGKILL);
        }
        match &self.stop {
            Some(Stop::Term(d)) if *d <= now => {
                self.log(
                    1,
                    "warning",
                    "processes left after S6_KILL_GRACETIME; sending KILL",
                );
                procs::signal_all(libc::SIGKILL, self.pid1);
                self.stop = Some(Stop::Kill(now + Duration::from_secs(5)));
            }
            _ => {}
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        match &self.stop {
            Some(Stop::Finish {
                running: Some((_, d)),
                ..
            }) => *d,
            Some(Stop::Term(d) | Stop::Kill(d)) => Some(*d),
            _ => None,
        }
    }

    /// The exit code once stage 3 is over: no process is left, or the
    /// last-resort deadline after KILL has passed.
    fn finished(&mut self) -> Option<i32> {
        let over = match &self.stop {
            Some(Stop::Term(_)) => self.none_left,
            Some(Stop::Kill(d)) => self.none_left || *d <= Instant::now(),
            _ => false,
        };
        if !over {
            return None;
        }
        if self.cfg.sync_disks {
            // SAFETY: sync has no preconditions.
            unsafe { libc::sync() };
        }
        let code = match (self.tini, self.reason) {
            (true, _) => self.cmd_code.unwrap_or(0),
            (false, Some(Reason::Poweroff)) => 128 + libc::SIGINT,
            (false, Some(Reason::Reboot)) => 128 + libc::SIGHUP,
            (false, Some(Reason::CmdExited(c) | Reason::Stage2Failed(c))) => {
                stage1::read_exitcode(&self.run, c)
            }
            (false, _) => stage1::read_exitcode(&self.run, 0),
        };
        let code = if self.opts.remap.contains(&code) {
            0
        } else {
            code
        };
        self.log(2, "info", &format!("exiting with code {code}"));
        Some(code)
    }
}
