//! Fork a child that keeps interpreting the chain in-process, and wait for it.
//!
//! Like posix_spawn (which execline uses), a child whose very first program is
//! external reports a failed exec back to the parent through a close-on-exec
//! pipe, so the parent can tell "could not start" from "ran and failed".

use std::os::fd::{AsFd, OwnedFd};

use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork};

use super::Step;
use crate::env::Env;
use crate::error::{Error, Result, show};

/// Starts `argv` as a child chain. `Err(Error::Spawn)` when its first
/// program could not be executed (the child is reaped here).
pub fn spawn(argv: Vec<Vec<u8>>, env: &Env) -> Result<Pid> {
    spawn_with(argv, env, || Ok(()))
}

/// Like `spawn`, with `setup` run in the child first (moving pipe ends onto
/// stdio, restoring the signal mask). A failing setup kills the child with 111.
pub fn spawn_with(
    argv: Vec<Vec<u8>>,
    env: &Env,
    setup: impl FnOnce() -> Result<()>,
) -> Result<Pid> {
    let prog = argv.first().cloned().unwrap_or_default();
    start(prog, argv, env, true, setup)
}

/// Forks a child that runs the chain `prog`/`argv`. With `first`, the child
/// is the block's first program: a failed exec is reported back as
/// `Error::Spawn`; otherwise it fails in the child like any later step.
fn start(
    prog: Vec<u8>,
    argv: Vec<Vec<u8>>,
    env: &Env,
    first: bool,
    setup: impl FnOnce() -> Result<()>,
) -> Result<Pid> {
    let (child, report) = fork_reporting(prog.clone(), argv, env, first, setup)?;
    if let Some(errno) = read_i32(&report) {
        wait_for(child)?;
        return Err(Error::Spawn {
            prog: show(&prog),
            errno: Errno::from_raw(errno),
        });
    }
    Ok(child)
}

/// Like `spawn_with`, without waiting for the exec: the returned pipe end
/// reads EOF once the child has exec'd, or the errno of a failed exec. A
/// supervisor starting many services lets them all exec at once this way.
pub fn spawn_detached(
    argv: Vec<Vec<u8>>,
    env: &Env,
    setup: impl FnOnce() -> Result<()>,
) -> Result<(Pid, ExecReport)> {
    let prog = argv.first().cloned().unwrap_or_default();
    let (pid, fd) = fork_reporting(prog, argv, env, true, setup)?;
    Ok((pid, ExecReport(fd)))
}

/// The read end of a child's exec report pipe.
pub struct ExecReport(OwnedFd);

impl ExecReport {
    pub fn raw_fd(&self) -> i32 {
        use std::os::fd::AsRawFd;
        self.0.as_raw_fd()
    }

    /// Why the exec failed, or `None` once it succeeded. Blocks until one
    /// or the other: call when the fd is readable or the child is dead.
    pub fn outcome(&self) -> Option<Errno> {
        read_i32(&self.0).map(Errno::from_raw)
    }
}

fn fork_reporting(
    prog: Vec<u8>,
    argv: Vec<Vec<u8>>,
    env: &Env,
    first: bool,
    setup: impl FnOnce() -> Result<()>,
) -> Result<(Pid, OwnedFd)> {
    let (r, w) = nix::unistd::pipe2(OFlag::O_CLOEXEC).map_err(|e| Error::sys("create pipe", e))?;
    super::shebang::prepare(&argv, env);
    // SAFETY: chainit is single-threaded, so the child may run any code.
    match unsafe { fork() } {
        Ok(ForkResult::Child) => {
            drop(r);
            if let Err(e) = setup() {
                eprintln!("chainit: fatal: {e}");
                std::process::exit(crate::exit::SYSTEM);
            }
            if first && super::is_external(&argv, env) {
                if env.flag(b"CHAINIT_TRACE") {
                    super::trace::print(&argv);
                }
                // A script for this binary: run it here, as if exec'd.
                if let Some((command, script)) = super::shebang::own_interpreter(&argv, env) {
                    drop(w);
                    super::shebang::as_if_exec(&argv[0]);
                    super::run_named(command, script, env.clone());
                }
                let errno = super::exec_first(&argv, env);
                let _ = nix::unistd::write(w.as_fd(), &(errno as i32).to_ne_bytes());
                std::process::exit(crate::exit::NOT_FOUND);
            }
            drop(w);
            super::run_named(prog, argv, env.clone())
        }
        Ok(ForkResult::Parent { child }) => Ok((child, r)),
        Err(e) => Err(Error::sys("fork", e)),
    }
}

/// Runs the leading steps of a child chain that only touch its environment
/// (see `registry::is_pure`) right here, on a copy: a child would do nothing
/// else with them. Forks only if the chain goes on to anything more.
fn run_ahead(argv: Vec<Vec<u8>>, env: &Env) -> Result<WaitStatus> {
    if env.flag(b"CHAINIT_EXEC") || env.flag(b"CHAINIT_TRACE") {
        return wait_for(spawn(argv, env)?);
    }
    let done = |code: i32| Ok(WaitStatus::Exited(Pid::from_raw(0), code & 0xff));
    let mut prog = argv.first().cloned().unwrap_or_default();
    let mut argv = argv;
    // Cloned on the first step taken here.
    let mut local: Option<Env> = None;
    // The fds an in-process redirfd or fdmove changed, put back on return.
    let mut saved = super::fd::Saved::default();
    loop {
        if argv.is_empty() {
            return done(0);
        }
        let Some(b) = super::registry::lookup(&prog).filter(|_| !prog.contains(&b'/')) else {
            break;
        };
        if !super::registry::is_pure(b.name) {
            match super::registry::fd_effects(b.name, &argv) {
                Some(fds) if saved.keep(&fds) => {}
                _ => break,
            }
        }
        let e = local.get_or_insert_with(|| env.clone());
        match (b.run)(e, argv) {
            Ok(Step::Next(next)) => {
                prog = next.first().cloned().unwrap_or_default();
                argv = next;
            }
            Ok(Step::Exec { prog: p, argv: a }) => {
                prog = p;
                argv = a;
            }
            Ok(Step::Exit(code)) => return done(code),
            Err(err) => {
                super::report(b.name, b.usage, &err);
                return done(err.code());
            }
        }
    }
    let first = local.is_none();
    let pid = start(prog, argv, local.as_ref().unwrap_or(env), first, || Ok(()))?;
    wait_for(pid)
}

/// Waits for one child to terminate.
pub fn wait_for(pid: Pid) -> Result<WaitStatus> {
    loop {
        match waitpid(pid, None) {
            Ok(s @ (WaitStatus::Exited(..) | WaitStatus::Signaled(..))) => return Ok(s),
            Ok(_) | Err(Errno::EINTR) => {}
            Err(e) => return Err(Error::sys("wait for child", e)),
        }
    }
}

/// Runs `argv` as a child; true when it exited 0 within `limit` (none: no
/// limit). A child still running at the limit is killed and counts as a
/// failure. For checks and retries (s6-notifyoncheck, with-retries).
pub fn succeeds_within(argv: &[Vec<u8>], env: &Env, limit: Option<std::time::Duration>) -> bool {
    let Ok(pid) = spawn(argv.to_vec(), env) else {
        return false;
    };
    if let Some(limit) = limit
        && !ends_within(pid, limit)
    {
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL);
    }
    matches!(wait_for(pid), Ok(WaitStatus::Exited(_, 0)))
}

/// Whether child `pid` ends within `limit` (it is not reaped here). Waits
/// on a pidfd, never a polling loop; without pidfds, it says yes at once.
pub fn ends_within(pid: Pid, limit: std::time::Duration) -> bool {
    // SAFETY: pidfd_open takes a pid and flags, and returns a new fd or -1.
    let pidfd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid.as_raw(), 0) } as i32;
    if pidfd < 0 {
        return true;
    }
    let mut p = libc::pollfd {
        fd: pidfd,
        events: libc::POLLIN,
        revents: 0,
    };
    let deadline = std::time::Instant::now() + limit;
    let ended = loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let t = i32::try_from(left.as_millis()).unwrap_or(i32::MAX);
        // SAFETY: one valid pollfd for the duration of the call.
        let n = unsafe { libc::poll(&mut p, 1, t) };
        if n >= 0 || nix::errno::Errno::last() != nix::errno::Errno::EINTR {
            break n > 0;
        }
    };
    // SAFETY: closes the fd we opened, once.
    unsafe { libc::close(pidfd) };
    ended
}

/// Runs `argv` as a child chain and returns how it ended.
pub fn run_and_wait(argv: Vec<Vec<u8>>, env: &Env) -> Result<WaitStatus> {
    run_ahead(argv, env)
}

/// Like `run_and_wait`, but a program that cannot start only warns and
/// counts as exit code 127 (what `foreground` does).
pub fn run_and_wait_lenient(prog: &str, argv: Vec<Vec<u8>>, env: &Env) -> Result<WaitStatus> {
    match run_and_wait(argv, env) {
        Err(e @ Error::Spawn { .. }) => {
            eprintln!("{prog}: warning: {e}");
            Ok(WaitStatus::Exited(Pid::from_raw(0), crate::exit::NOT_FOUND))
        }
        other => other,
    }
}

/// Forks twice so the work runs in a grandchild that this process never has
/// to reap; returns the grandchild's pid. `work` runs in the grandchild.
pub fn double_fork(work: impl FnOnce()) -> Result<Pid> {
    let (r, w) = nix::unistd::pipe().map_err(|e| Error::sys("create pipe", e))?;
    // SAFETY: single-threaded; see `spawn`.
    match unsafe { fork() } {
        Err(e) => Err(Error::sys("fork", e)),
        Ok(ForkResult::Child) => {
            drop(r);
            // SAFETY: as above.
            match unsafe { fork() } {
                Ok(ForkResult::Child) => {
                    drop(w);
                    work();
                    std::process::exit(0)
                }
                Ok(ForkResult::Parent { child }) => {
                    let _ = nix::unistd::write(&w, &child.as_raw().to_ne_bytes());
                    std::process::exit(0)
                }
                Err(_) => std::process::exit(crate::exit::SYSTEM),
            }
        }
        Ok(ForkResult::Parent { child }) => {
            drop(w);
            let pid = read_i32(&r);
            wait_for(child)?;
            pid.map(Pid::from_raw)
                .ok_or_else(|| Error::sys("fork", Errno::EAGAIN))
        }
    }
}

/// Reads the one `i32` a child sends through a pipe; `None` at EOF (the
/// child exec'd or died without sending).
fn read_i32(r: &impl AsFd) -> Option<i32> {
    let mut buf = [0u8; 4];
    loop {
        match nix::unistd::read(r, &mut buf) {
            Err(Errno::EINTR) => {}
            Ok(4) => return Some(i32::from_ne_bytes(buf)),
            _ => return None,
        }
    }
}
