//! `s6-background-watch [-t timeout] [-d notif] pidfile prog...`: supervise
//! a daemon that puts itself in the background. prog forks and exits 0
//! once its child (the daemon) is ready, having written that child's pid to
//! pidfile; this process, a subreaper, then adopts the daemon, passes it
//! every signal it gets, and exits with the daemon's code (128+n when
//! killed by signal n).

use std::time::{Duration, Instant};

use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;

use crate::builtins::{gnu_options, options};
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::{ErrnoText, Error, Result, show};
use crate::sig::Caught;

pub const USAGE: &str = "s6-background-watch [ -t timeout ] [ -d notif ] pidfile prog...";

/// Every signal that can be caught: all are passed on.
fn catchable() -> Vec<i32> {
    (1..=libc::SIGRTMAX())
        .filter(|&s| {
            !matches!(s, libc::SIGKILL | libc::SIGSTOP) && !(32..libc::SIGRTMIN()).contains(&s)
        })
        .collect()
}

/// The code a status stands for: the exit code, or 128+n.
fn code_of(status: WaitStatus) -> i32 {
    match status {
        WaitStatus::Exited(_, code) => code,
        WaitStatus::Signaled(_, sig, _) => 128 + sig as i32,
        _ => 111,
    }
}

/// Reaps every dead child; the status of `pid` if it was among them.
fn reap(pid: Pid) -> Option<WaitStatus> {
    let mut found = None;
    while let Ok(status) = waitpid(None, Some(WaitPidFlag::WNOHANG)) {
        match status {
            WaitStatus::StillAlive => break,
            s if s.pid() == Some(pid) => found = Some(s),
            _ => {}
        }
    }
    found
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let longs = [("timeout-ready", b't'), ("notification-fd", b'd')];
    let argv = gnu_options(&argv, "t:d:", &longs)?;
    let (opts, first) = options(&argv[1..], "t:d:")?;
    let (mut timeout, mut notif) = (None, None);
    for (c, arg) in opts {
        let n = arg
            .and_then(number)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(crate::builtins::usage)?;
        match c {
            b't' => timeout = Some(Duration::from_millis(u64::from(n))),
            _ => notif = Some(n as i32),
        }
    }
    let rest = &argv[first + 1..];
    if rest.len() < 2 {
        return Err(crate::builtins::usage());
    }
    if let Some(fd) = notif {
        if fd < 3 {
            return Err(Error::Invalid("notification-fd cannot be 0, 1 or 2".into()));
        }
        // SAFETY: F_GETFD only reads the descriptor's flags.
        if unsafe { libc::fcntl(fd, libc::F_GETFD) } < 0 {
            return Err(Error::sys(
                "check notification-fd",
                nix::errno::Errno::last(),
            ));
        }
    }
    let (pidfile, prog) = (show(&rest[0]), show(&rest[1]));
    let caught = Caught::new(&catchable())
        .map_err(|e| Error::sys("trap all signals", crate::error::errno_of(&e)))?;
    // SAFETY: prctl with integer arguments only.
    if unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) } < 0 {
        return Err(Error::sys(
            "prctl with PR_SET_CHILD_SUBREAPER",
            nix::errno::Errno::last(),
        ));
    }
    let parent = crate::chain::spawn::spawn_with(rest[1..].to_vec(), env, || {
        // prog gets the signal mask this process had.
        // SAFETY: an empty set, installed in the child only.
        unsafe {
            let mut none: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut none);
            libc::sigprocmask(libc::SIG_SETMASK, &none, std::ptr::null_mut());
        }
        Ok(())
    })
    .map_err(|e| match e {
        Error::Spawn { errno, prog } => {
            let code = if errno == nix::errno::Errno::ENOEXEC {
                126
            } else {
                127
            };
            Error::Refused(code, format!("unable to spawn {prog}: {}", errno.text()))
        }
        other => other,
    })?;
    // Until the parent exits, signals go to it.
    let deadline = timeout.map(|t| Instant::now() + t);
    let mut killed = false;
    loop {
        let ready = crate::poll::readable(&[caught.raw_fd()], deadline.filter(|_| !killed));
        if ready.is_empty() && !killed && deadline.is_some_and(|d| d <= Instant::now()) {
            eprintln!(
                "s6-background-watch: warning: {prog} (parent) did not exit before timeout-ready, killing it"
            );
            let _ = crate::sig::send(parent.as_raw(), libc::SIGKILL);
            killed = true;
        }
        let mut parent_done = None;
        for sig in caught.take() {
            if sig != libc::SIGCHLD {
                let _ = crate::sig::send(parent.as_raw(), sig);
            }
        }
        if let Some(status) = reap(parent) {
            parent_done = Some(status);
        }
        match parent_done {
            None => continue,
            Some(WaitStatus::Exited(_, 0)) => break,
            Some(status) => {
                let _ = std::fs::remove_file(&pidfile);
                let what = match status {
                    WaitStatus::Signaled(_, sig, _) => {
                        format!("{prog} (parent) crashed with signal {}", sig as i32)
                    }
                    _ => format!("{prog} (parent) exited {}", code_of(status)),
                };
                return Err(Error::Refused(code_of(status), what));
            }
        }
    }
    let text = match std::fs::read(&pidfile) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::Refused(
                104,
                format!(
                    "unable to {prog} (parent) exited but pidfile {pidfile} does not exist: No such file or directory"
                ),
            ));
        }
        Err(e) => {
            return Err(Error::Failed(format!(
                "unable to open {pidfile}: {}",
                crate::error::describe(&e)
            )));
        }
    };
    let line = text.split(|&b| b == b'\n').next().unwrap_or_default();
    let daemon = number(line)
        .and_then(|n| i32::try_from(n).ok())
        .filter(|&n| n > 0)
        .map(Pid::from_raw)
        .ok_or_else(|| {
            Error::Refused(
                104,
                format!("pidfile {pidfile} does not contain a valid pid"),
            )
        })?;
    nix::sys::signal::kill(daemon, None)
        .map_err(|e| Error::sys("check daemon with a null signal", e))?;
    if let Some(fd) = notif {
        let _ = crate::builtins::execline::dollarat::write_all(fd, b"\n");
        // SAFETY: the notification fd is used once, then closed.
        unsafe { libc::close(fd) };
    }
    // The daemon, adopted by this subreaper: its death ends the watch. Its
    // pidfd wakes us up even if it is not our child.
    // SAFETY: pidfd_open on a pid; the fd, if any, is ours.
    let pidfd = unsafe { libc::syscall(libc::SYS_pidfd_open, daemon.as_raw(), 0) } as i32;
    let mut fds = vec![caught.raw_fd()];
    if pidfd >= 0 {
        fds.push(pidfd);
    }
    loop {
        crate::poll::readable(&fds, Some(Instant::now() + Duration::from_secs(1)));
        for sig in caught.take() {
            if sig != libc::SIGCHLD {
                let _ = crate::sig::send(daemon.as_raw(), sig);
            }
        }
        if let Some(status) = reap(daemon) {
            return Ok(Step::Exit(code_of(status)));
        }
        // A daemon that is not our child (it was never orphaned to us):
        // watch it by its pid.
        if nix::sys::signal::kill(daemon, None).is_err() {
            return Ok(Step::Exit(111));
        }
    }
}
