//! Starting a child of the init: its own process group (and the terminal)
//! for the CMD, the signal mask given back, 126/127 when it cannot be run.

use nix::unistd::Pid;

use super::signals::Signals;

impl super::Init {
    /// Forks and runs `argv`; `Err(126 or 127)` when it could not be run.
    pub(super) fn spawn(&self, argv: Vec<Vec<u8>>, foreground: bool) -> Result<Pid, i32> {
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
}
