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
            self.forward(cmd, sig);
            let stop = [libc::SIGTERM, libc::SIGINT, libc::SIGQUIT, libc::SIGHUP];
            if self.tini
                && stop.contains(&sig)
                && self.cmd_kill_at.is_none()
                && let Some(ms) = self.grace_ms()
            {
                self.cmd_kill_at =
                    Some(std::time::Instant::now() + std::time::Duration::from_millis(ms));
            }
            return;
        }
        match sig {
            libc::SIGTERM | libc::SIGUSR2 => self.shutdown(Reason::Halt),
            libc::SIGINT => self.shutdown(Reason::Reboot),
            libc::SIGUSR1 | libc::SIGPWR => self.shutdown(Reason::Poweroff),
            _ => self.log(3, "info", format_args!("ignoring {}", signals::Name(sig))),
        }
    }

    /// Tini mode's grace: `--grace`, else `S6_KILL_GRACETIME` if it was
    /// given; none means tini's way, waiting for the CMD however long.
    fn grace_ms(&self) -> Option<u64> {
        self.opts.grace_ms.or(self
            .cfg
            .kill_gracetime_given
            .then_some(self.cfg.kill_gracetime_ms))
    }

    /// The grace after a forwarded stop signal ran out: KILL to the CMD's
    /// process group (it has its own), so it ends with 128+9.
    pub(super) fn kill_cmd_now(&mut self) {
        self.cmd_kill_at = None;
        if let Some(cmd) = self.cmd {
            self.log(
                1,
                "warning",
                format_args!("the CMD outlived its grace time after a stop signal; sending KILL to its process group"),
            );
            let _ = signals::send(-cmd.as_raw(), libc::SIGKILL);
            let _ = signals::send(cmd.as_raw(), libc::SIGKILL);
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
