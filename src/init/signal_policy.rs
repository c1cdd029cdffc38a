//! What a signal means to the init: shutdown (halt, poweroff, reboot), a
//! forward to the CMD (tini mode, `S6_CMD_RECEIVE_SIGNALS`), or nothing.

use nix::unistd::Pid;

use super::{Reason, signals};

impl super::Init {
    pub(super) fn on_signal(&mut self, sig: i32) {
        if sig == libc::SIGCHLD {
            return;
        }
        // halt, poweroff and reboot are real-time signals; the common ones
        // (below 32) skip the libc call that finds where those begin.
        if sig >= 32 {
            if sig == signals::halt() {
                return self.shutdown(Reason::Halt);
            }
            if sig == signals::poweroff() {
                return self.shutdown(Reason::Poweroff);
            }
            if sig == signals::reboot() {
                return self.shutdown(Reason::Reboot);
            }
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
            _ => self.log(3, "info", format_args!("ignoring {}", signals::Name(sig))),
        }
    }

    pub(super) fn forward(&self, cmd: Pid, sig: i32) {
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
            format_args!("forwarding {} to {target}", signals::Name(sig)),
        );
        if let Err(e) = signals::send(target, sig) {
            self.log(
                3,
                "warning",
                format_args!("unable to forward {}: {e}", signals::Name(sig)),
            );
        }
    }
}
