//! Starting a service's `run` and `finish`: in the service directory, in
//! a new session, with the log pipe on stdin or stdout, the readiness
//! pipe and the lock on their fds, and the exec reported back later.

use std::os::fd::{AsRawFd, OwnedFd};

use super::Services;
use crate::chain::Env;
use crate::chain::spawn::ExecReport;
use crate::init::service::ServiceDef;

impl Services {
    /// Spawns `./run NAME` with a readiness pipe if the service asks for one.
    pub(super) fn spawn_run(
        &mut self,
        i: usize,
        env: &Env,
        mask: &libc::sigset_t,
    ) -> Result<i32, String> {
        let s = &self.list[i];
        // The first start uses the definition just read; restarts read the
        // directory again, to pick up edits.
        let def = if !s.started_once {
            s.lr.def.clone()
        } else {
            ServiceDef::read(&s.dir).map_err(|p| p.join("; "))?
        };
        let notify = match def.notification_fd {
            Some(fd) => Some((fd, crate::chain::fd::pipe().map_err(|e| e.to_string())?)),
            None => None,
        };
        let argv = vec![b"./run".to_vec(), s.short_name()];
        let (to_child, mine) = match notify {
            Some((fd, (r, w))) => (Some((fd, w)), Some(r)),
            None => (None, None),
        };
        let lock = def.lock_fd;
        self.list[i].lr.def = def;
        let own = self.run_env(i, env);
        let (pid, report) = self.spawn_in(
            i,
            argv,
            to_child,
            lock,
            None,
            own.as_ref().unwrap_or(env),
            mask,
        )?;
        self.list[i].notify = mine;
        self.list[i].exec_report = Some(report);
        self.list[i].started_once = true;
        Ok(pid)
    }

    /// Forks `argv` in the service dir, in a new session, with the log pipe
    /// on stdin or stdout and the readiness pipe's write end on its fd; with
    /// `capture`, stdout and stderr go there instead (a health check's).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn spawn_in(
        &self,
        i: usize,
        argv: Vec<Vec<u8>>,
        notify: Option<(i32, OwnedFd)>,
        lock_fd: Option<i32>,
        capture: Option<OwnedFd>,
        env: &Env,
        mask: &libc::sigset_t,
    ) -> Result<(i32, ExecReport), String> {
        use crate::chain::fd;
        let s = &self.list[i];
        let dir = s.dir.clone();
        // A captured child reads nothing: stdin on /dev/null.
        let stdin = s
            .stdin_pipe
            .filter(|_| capture.is_none())
            .map(|p| self.pipes[p].read.as_raw_fd());
        let relay = self.relay.as_ref();
        let console = |k: Option<usize>| k.and_then(|k| relay.map(|r| r.child_fd(k)));
        let stdout = s
            .stdout_pipe
            .and_then(|p| self.pipes[p].write.as_ref().map(AsRawFd::as_raw_fd))
            .or(console(s.console.0));
        let stderr = console(s.console.1);
        let mask = *mask;
        let setup = move || -> crate::error::Result<()> {
            nix::unistd::chdir(&dir)
                .map_err(|e| crate::error::Error::sys("chdir to the service dir", e))?;
            let _ = nix::unistd::setsid();
            match stdin {
                Some(r) => fd::copy(0, r)?,
                None => {
                    let null = nix::fcntl::open(
                        "/dev/null",
                        nix::fcntl::OFlag::O_RDONLY,
                        nix::sys::stat::Mode::empty(),
                    )
                    .map_err(|e| crate::error::Error::sys("open /dev/null", e))?;
                    fd::install(0, null)?;
                }
            }
            match capture {
                Some(c) => {
                    fd::copy(2, c.as_raw_fd())?;
                    fd::install(1, c)?;
                }
                None => {
                    if let Some(w) = stdout {
                        fd::copy(1, w)?;
                    }
                    if let Some(w) = stderr {
                        fd::copy(2, w)?;
                    }
                }
            }
            if let Some((n, w)) = notify {
                fd::install(n, w)?;
            }
            if let Some(n) = lock_fd {
                take_service_lock(n)?;
            }
            crate::init::signals::Signals::restore_in_child(&mask);
            Ok(())
        };
        crate::chain::spawn::spawn_detached(argv, env, setup)
            .map(|(pid, report)| (pid.as_raw(), report))
            .map_err(|e| e.to_string())
    }
}

/// In `run`'s child: lock `supervise/service.lock` on fd `n` (flock, so the
/// lock lives as long as any process of the service holds the fd). If a
/// previous instance still holds it, say so and wait for it.
fn take_service_lock(n: i32) -> crate::error::Result<()> {
    use crate::error::Error;
    let f = nix::fcntl::open(
        "supervise/service.lock",
        nix::fcntl::OFlag::O_RDWR | nix::fcntl::OFlag::O_CREAT,
        nix::sys::stat::Mode::from_bits_truncate(0o644),
    )
    .map_err(|e| Error::sys("open supervise/service.lock", e))?;
    // SAFETY: flock on an fd we own; no memory involved.
    if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } < 0 {
        eprintln!(
            "chainit: warning: a previous instance of the service still holds its lock; waiting"
        );
        // SAFETY: as above, blocking this time.
        if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) } < 0 {
            return Err(Error::sys(
                "lock supervise/service.lock",
                nix::errno::Errno::last(),
            ));
        }
    }
    crate::chain::fd::install(n, f)
}
