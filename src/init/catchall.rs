//! `S6_LOGGING`: the catch-all logger. With 1 or 2, the init's stdout and
//! stderr — and so those of cont-init.d, the services and cont-finish.d —
//! go into a pipe read by `s6-log` writing `RUN/uncaught-logs` with the
//! directives of `S6_LOGGING_SCRIPT`. With 1 the CMD keeps the original
//! stdout and stderr; with 2 it is logged too. The logger outlives every
//! other process: it ignores TERM and ends at EOF, once the last writer is
//! gone.

use std::os::fd::{AsRawFd, OwnedFd};
use std::path::Path;
use std::time::{Duration, Instant};

use nix::unistd::Pid;

use super::signals::Signals;
use crate::chain::{Env, fd};

pub struct Catchall {
    pub pid: Option<Pid>,
    started: Instant,
    read: OwnedFd,
    /// The stdout and stderr the init was given, for the CMD (with 1) and
    /// for the init itself once the logger is gone.
    pub original: (OwnedFd, OwnedFd),
    argv: Vec<Vec<u8>>,
}

fn dup_cloexec(fd: i32) -> std::io::Result<OwnedFd> {
    use std::os::fd::FromRawFd;
    // SAFETY: F_DUPFD_CLOEXEC returns a new fd (or -1) that we then own.
    let n = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 3) };
    if n < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: `n` is a fresh fd nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(n) })
}

impl Catchall {
    /// Starts the logger and points the init's stdout and stderr at it.
    pub fn start(
        run: &Path,
        script: &[u8],
        env: &Env,
        mask: &libc::sigset_t,
    ) -> Result<Self, String> {
        let dir = run.join("uncaught-logs");
        let mut argv: Vec<Vec<u8>> = vec![b"s6-log".to_vec(), b"-bp".to_vec()];
        argv.extend(
            script
                .split(u8::is_ascii_whitespace)
                .filter(|w| !w.is_empty())
                .map(<[u8]>::to_vec),
        );
        argv.push(dir.as_os_str().as_encoded_bytes().to_vec());
        let original = (
            dup_cloexec(1).map_err(|e| format!("unable to keep stdout: {e}"))?,
            dup_cloexec(2).map_err(|e| format!("unable to keep stderr: {e}"))?,
        );
        let (read, write) =
            fd::pipe().map_err(|e| format!("unable to create the log pipe: {e}"))?;
        let mut c = Catchall {
            pid: None,
            started: Instant::now(),
            read,
            original,
            argv,
        };
        c.spawn(env, mask)?;
        fd::copy(1, write.as_raw_fd()).map_err(|e| e.to_string())?;
        fd::copy(2, write.as_raw_fd()).map_err(|e| e.to_string())?;
        Ok(c)
    }

    fn spawn(&mut self, env: &Env, mask: &libc::sigset_t) -> Result<(), String> {
        let (stdin, out) = (self.read.as_raw_fd(), self.original.1.as_raw_fd());
        let mask = *mask;
        let setup = move || {
            fd::copy(0, stdin)?;
            fd::copy(1, out)?;
            fd::copy(2, out)?;
            Signals::restore_in_child(&mask);
            Ok(())
        };
        let argv = super::spawn::really_exec(self.argv.clone());
        let pid = crate::chain::spawn::spawn_with(argv, env, setup).map_err(|e| e.to_string())?;
        self.pid = Some(pid);
        self.started = Instant::now();
        Ok(())
    }

    /// The logger died: start it again, unless it cannot even stay up for a
    /// second; then the init's output goes back where it was.
    pub fn died(&mut self, env: &Env, mask: &libc::sigset_t) -> Option<String> {
        self.pid = None;
        if self.started.elapsed() >= Duration::from_secs(1) && self.spawn(env, mask).is_ok() {
            return None;
        }
        self.release();
        Some("the catch-all logger keeps dying; logging to the original stderr".into())
    }

    /// Gives the init its own stdout and stderr back, so that the logger
    /// reads EOF once every other writer is gone.
    pub fn release(&self) {
        let _ = fd::copy(1, self.original.0.as_raw_fd());
        let _ = fd::copy(2, self.original.1.as_raw_fd());
    }
}
