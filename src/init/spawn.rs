//! Starting a child of the init: its own process group (and the terminal)
//! for the CMD, the signal mask given back, 126/127 when it cannot be run.

use crate::error::ErrnoText;
use nix::unistd::Pid;

use super::signals::Signals;
use crate::chain::spawn::ExecReport;

impl super::Init {
    /// Forks and runs `argv`; `Err(126 or 127)` when it could not be run.
    pub(super) fn spawn(&self, argv: Vec<Vec<u8>>, foreground: bool) -> Result<Pid, i32> {
        self.spawn_with_env(argv, foreground, &self.env)
    }

    /// `spawn` with the environment `env` instead of the init's.
    pub(super) fn spawn_with_env(
        &self,
        argv: Vec<Vec<u8>>,
        foreground: bool,
        env: &crate::chain::Env,
    ) -> Result<Pid, i32> {
        let name = argv.first().cloned().unwrap_or_default();
        let argv = really_exec(argv);
        self.fd_reserve
            .retry(|| {
                let setup = self.child_setup(foreground, None);
                crate::chain::spawn::spawn_with(argv.clone(), env, setup)
            })
            .map_err(|e| self.could_not_run(&name, &e))
    }

    /// Starts the CMD without waiting for its exec, as tini does: the init
    /// is not woken (and so not moved next to it) when the exec happens.
    /// Whether it failed is read from the report once the CMD has died.
    pub(super) fn spawn_cmd(&mut self, argv: Vec<Vec<u8>>) -> Result<(Pid, ExecReport), i32> {
        let name = argv.first().cloned().unwrap_or_default();
        // CHAINIT_LOG_PREFIX=all: prefixed too, unless it has a terminal
        // (a shell or an editor needs the real one).
        let on_tty = nix::unistd::isatty(std::io::stdout()).unwrap_or(false);
        let console = if self.cfg.log_prefix == 2 && !on_tty {
            self.services.cmd_console()
        } else {
            None
        };
        let argv = really_exec(argv);
        let (pid, report) = self
            .fd_reserve
            .retry(|| {
                let setup = self.child_setup(true, console);
                crate::chain::spawn::spawn_detached(argv.clone(), &self.env, setup)
            })
            .map_err(|e| self.could_not_run(&name, &e))?;
        // The child makes its own group too; doing it here as well means the
        // group exists before a signal for it (-g) can be sent, whichever runs
        // first. After the child's exec this fails, which is fine.
        let _ = nix::unistd::setpgid(pid, pid);
        Ok((pid, report))
    }

    /// What a child does before its exec: its stdio under `S6_LOGGING=1`,
    /// its own process group and the terminal for the CMD, the signal mask.
    fn child_setup(
        &self,
        foreground: bool,
        console: Option<(i32, i32)>,
    ) -> impl FnOnce() -> crate::error::Result<()> + use<> {
        let mask = self.signals.original;
        // S6_LOGGING=1: the CMD writes where the init was told to, not to
        // the logger; so it does under 2 with S6_CMD_USE_TERMINAL=1 when
        // that is a terminal.
        let own_stdio = match &self.catchall {
            Some(c) if foreground => {
                use std::os::fd::{AsFd, AsRawFd};
                let tty = self.cfg.cmd_use_terminal
                    && nix::unistd::isatty(c.original.0.as_fd()).unwrap_or(false);
                (self.cfg.logging == 1 || tty)
                    .then(|| (c.original.0.as_raw_fd(), c.original.1.as_raw_fd()))
            }
            _ => None,
        };
        let own_stdio = console.or(own_stdio);
        move || {
            if let Some((out, err)) = own_stdio {
                crate::chain::fd::copy(1, out)?;
                crate::chain::fd::copy(2, err)?;
            }
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
        }
    }

    /// Logs why `name` could not be run; 127 when it was not found, else 126.
    pub(super) fn could_not_run(&self, name: &[u8], e: &crate::error::Error) -> i32 {
        if let crate::error::Error::Spawn { errno, .. } = e {
            return self.exec_failed(name, *errno);
        }
        self.log(
            0,
            "error",
            format_args!("unable to run {}: {e}", crate::error::show(name)),
        );
        126
    }

    /// `name`'s exec failed with `errno`: logged, and its exit code.
    pub(super) fn exec_failed(&self, name: &[u8], errno: nix::errno::Errno) -> i32 {
        self.log(
            0,
            "error",
            format_args!(
                "unable to run {}: {}",
                crate::error::show(name),
                errno.text()
            ),
        );
        if errno == nix::errno::Errno::ENOENT {
            127
        } else {
            126
        }
    }
}

/// A command of this binary named as the CMD or a logger would run
/// in the forked child, keeping every fd the init holds open there (close-
/// on-exec only acts on an exec). Exec'ing this binary afresh closes them.
pub(super) fn really_exec(mut argv: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let builtin = argv
        .first()
        .is_some_and(|a| !a.contains(&b'/') && crate::chain::registry::lookup(a).is_some());
    if builtin {
        argv.insert(0, b"/proc/self/exe".to_vec());
    }
    argv
}
