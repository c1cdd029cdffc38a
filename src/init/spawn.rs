//! Starting a child of the init: its own process group (and the terminal)
//! for the CMD, the signal mask given back, 126/127 when it cannot be run.

use nix::unistd::Pid;

use super::signals::Signals;

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
        let mask = self.signals.original;
        // S6_LOGGING=1: the CMD writes where the init was told to, not to the logger.
        let own_stdio = match &self.catchall {
            Some(c) if foreground && self.cfg.logging == 1 => {
                use std::os::fd::AsRawFd;
                Some((c.original.0.as_raw_fd(), c.original.1.as_raw_fd()))
            }
            _ => None,
        };
        let setup = move || {
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
        };
        let name = argv.first().cloned().unwrap_or_default();
        match crate::chain::spawn::spawn_with(really_exec(argv), env, setup) {
            Ok(pid) => Ok(pid),
            Err(crate::error::Error::Spawn { errno, .. }) => {
                self.log(
                    0,
                    "fatal",
                    format_args!(
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
                    format_args!("unable to run {}: {e}", crate::error::show(&name)),
                );
                Err(126)
            }
        }
    }
}

/// A command of this binary named as the CMD or a logger would run
/// in the forked child, keeping every fd the init holds open there (close-
/// on-exec only acts on an exec). Exec'ing this binary afresh closes them.
pub(super) fn really_exec(mut argv: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let builtin = argv
        .first()
        .is_some_and(|a| !a.contains(&b'/') && crate::builtins::lookup(a).is_some());
    if builtin {
        argv.insert(0, b"/proc/self/exe".to_vec());
    }
    argv
}
