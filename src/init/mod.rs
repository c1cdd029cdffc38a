//! `chainit init`: PID 1 (or a subreaper). Stage 1 prepares the run dir,
//! stage 2 runs the hook, cont-init.d and the CMD, stage 3 runs cont-finish.d
//! and stops everything left. One loop over a signalfd with deadlines; the
//! process never panics and never exits before stage 3 is over.
#![deny(clippy::unwrap_used, clippy::expect_used)]

mod catchall;
mod check;
pub mod config;
mod console;
pub mod details;
mod event_loop;
mod events;
mod fd_reserve;
pub mod fix_attrs;
#[doc(hidden)]
pub mod fuzzing;
pub mod graph;
mod graph_control;
mod memory;
pub(crate) mod policy;
pub(crate) use crate::poll;
mod procs;
mod rc;
mod reaper;
mod service;
mod services;
pub use services::PROBLEM as SERVICE_PROBLEM;
mod signal_policy;
pub mod signals;
mod spawn;
mod stage1;
mod stage2;
mod stage3;
mod supervisor;
pub mod svscan;
mod svscan_command;
mod transitions;
mod tree;

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::Instant;

use nix::unistd::Pid;

use crate::chain::Env;
use config::Config;
use signals::Signals;
use stage1::RunDir;

/// The in-process commands that live with the supervisor (`s6-svscan`),
/// for the engine's registry.
pub static COMMANDS: &[crate::chain::registry::Builtin] = &[crate::chain::registry::Builtin {
    name: "s6-svscan",
    run: svscan_command::run,
    usage: svscan_command::USAGE,
}];

/// The service directories of a scan directory, sorted (for `chainit status`).
pub fn service_dirs(scandir: &std::path::Path) -> Vec<(String, PathBuf)> {
    service::list(scandir)
}

pub use check::check;

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
    /// `--grace MS`: see `Init::grace`.
    pub grace_ms: Option<u64>,
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
    /// An `essential` service stopped for good with this code.
    Essential(i32),
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Halt => f.write_str("halt"),
            Reason::Poweroff => f.write_str("poweroff"),
            Reason::Reboot => f.write_str("reboot"),
            Reason::CmdExited(c) => write!(f, "the CMD exited {c}"),
            Reason::Stage2Failed(c) => write!(f, "stage 2 failed with {c}"),
            Reason::Essential(c) => write!(f, "an essential service stopped with {c}"),
        }
    }
}

/// One step of stage 2.
enum Task {
    Hook(Vec<u8>),
    /// The service graph comes up: cont-init.d, services.d, s6-rc.d.
    Graph,
    Cmd(Vec<Vec<u8>>),
}

/// Where stage 3 is.
enum Stop {
    /// The service graph goes down, dependents first (services, then
    /// cont-finish.d as the down of `legacy-cont-init`).
    Graph,
    /// No process was left when TERM was due: stage 3 is over.
    Empty,
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
    /// The CMD's name and exec report, read once it has died.
    cmd_exec: Option<(Vec<u8>, crate::chain::spawn::ExecReport)>,
    cmd_code: Option<i32>,
    reason: Option<Reason>,
    stop: Option<Stop>,
    none_left: bool,
    services: services::Services,
    /// The image's s6-overlay directories.
    tree: tree::Tree,
    /// The service graph (none in tini mode).
    graph: Option<transitions::ServiceGraph>,
    /// `RUN/s6-rc/control`, where `chainit svc` asks for graph changes.
    control: Option<graph_control::Control>,
    /// The boot-only code pages were dropped (see `memory`).
    trimmed: bool,
    /// `S6_LOGGING` 1 or 2: the catch-all logger.
    catchall: Option<catchall::Catchall>,
    /// Tini mode with a grace (`--grace`, or `S6_KILL_GRACETIME` given):
    /// when the CMD's process group gets KILL, after a forwarded stop signal.
    cmd_kill_at: Option<Instant>,
    /// `RUN/s6/chainit-events`.
    events: events::EventLog,
    /// The run dir can be written: services, the exit-code file and the
    /// control FIFO live there.
    run_ok: bool,
    /// Kept for starting the CMD and scripts when services took every fd.
    fd_reserve: fd_reserve::FdReserve,
}

/// One write, so lines of services sharing stderr never cut into it.
#[cold]
#[inline(never)]
fn write_log(kind: &str, msg: &dyn std::fmt::Display) {
    use std::io::Write;
    let line = format!("chainit init: {kind}: {msg}\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
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
    let code = init.main_loop();
    // The process ends now (the caller `_exit`s): freeing every allocation
    // first would only fault in allocator pages on the way out.
    std::mem::forget(init);
    code
}

impl Init {
    fn boot(opts: Options, signals: Signals) -> Self {
        let original = Env::from_process();
        let (cfg, problems) = config::read(&original);
        let bundledir = (cfg.runtime_bundledir != config::DEFAULT_BUNDLEDIR)
            .then_some(cfg.runtime_bundledir.as_slice());
        let tree = tree::Tree::at(&opts.root, cfg.runtime_profile.as_deref(), bundledir);
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
            cmd_exec: None,
            cmd_code: None,
            reason: None,
            stop: None,
            none_left: false,
            services: services::Services::default(),
            tree,
            graph: None,
            control: None,
            trimmed: false,
            catchall: None,
            cmd_kill_at: None,
            // Tini mode runs no services: nothing for `status --watch`.
            events: if tini {
                events::EventLog::disabled()
            } else {
                events::EventLog::new(run.events())
            },
            run_ok: true,
            fd_reserve: if tini {
                fd_reserve::FdReserve::default()
            } else {
                fd_reserve::FdReserve::new()
            },
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
        if init.cfg.log_prefix > 0 {
            init.services.relay = Some(console::Relay::default());
        }
        init.services.record_events = true;
        init.set_process_flags();
        if let Some(fd) = init.cfg.wait_for_closing_fd {
            init.log(2, "info", format_args!("waiting for fd {fd} to be closed"));
            if let Err(p) = stage1::wait_for_closing(fd) {
                init.log(1, "warning", &p);
            }
        }
        init.log(2, "info", "stage 1: preparing the run dir");
        let mut original = original;
        if !init.tini {
            stage1::add_overlay_path(&mut original);
        }
        for p in stage1::prepare(&init.run, &original, !init.cfg.keep_env) {
            if p.starts_with(stage1::UNUSABLE) {
                // Said once here; what needs the run dir is skipped quietly.
                init.run_ok = false;
                init.events = events::EventLog::disabled();
            }
            // Tini mode needs none of it (no services, no saved
            // environment): not worth a warning there.
            let level = if init.tini { 3 } else { 1 };
            init.log(level, "warning", &p);
        }
        init.env = if init.tini {
            // tini mode: the CMD gets exactly the environment it was given.
            original
        } else if init.cfg.keep_env {
            let mut env = original;
            stage1::locate_init(&mut env, &init.run);
            env
        } else {
            stage1::reset_env(&original, &init.run)
        };
        if !init.tini && init.cfg.logging > 0 {
            let mask = init.signals.original;
            match catchall::Catchall::start(
                &init.run.root,
                &init.cfg.logging_script,
                &init.env,
                &mask,
            ) {
                Ok(c) => init.catchall = Some(c),
                Err(e) => init.log(
                    1,
                    "warning",
                    format_args!("S6_LOGGING: {e}; logging to stderr"),
                ),
            }
        }
        init.plan_stage2();
        init
    }

    /// Subreaper when not PID 1, and the parent-death signal if asked.
    fn set_process_flags(&mut self) {
        if !self.pid1 || self.opts.subreaper {
            // SAFETY: prctl with integer arguments only.
            if unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) } < 0 {
                let e = nix::errno::Errno::last();
                self.log(
                    1,
                    "warning",
                    format_args!("unable to become a subreaper: {e}"),
                );
            }
        }
        if let Some(sig) = self.opts.parent_death {
            // SAFETY: prctl with integer arguments only.
            if unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, sig, 0, 0, 0) } < 0 {
                let e = nix::errno::Errno::last();
                self.log(
                    1,
                    "warning",
                    format_args!("unable to set the parent-death signal: {e}"),
                );
            }
        }
    }

    /// `msg` is formatted only when shown (pass `format_args!`). The level
    /// test is inlined at each call, so a quiet log line on the shutdown
    /// path costs a comparison, not a call into code that may be paged out.
    #[inline(always)]
    fn log(&self, level: u8, kind: &str, msg: impl std::fmt::Display) {
        if level <= self.verbosity {
            write_log(kind, &msg);
        }
    }
}
