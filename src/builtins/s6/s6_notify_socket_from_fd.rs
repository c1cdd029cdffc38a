//! `s6-notify-socket-from-fd [-d fd] [-f] [-t timeout] [-k] prog...`: the
//! reverse of s6-notify-fd-from-socket, for a daemon speaking s6's readiness
//! protocol (a newline on an fd) under a manager that listens on
//! NOTIFY_SOCKET. Without NOTIFY_SOCKET it just becomes prog. Otherwise a
//! helper (forked twice unless `-f`) reads the fd's pipe and, at the first
//! newline, sends `READY=1` and `MAINPID=` to the socket.

use std::os::fd::{AsRawFd, OwnedFd};
use std::time::{Duration, Instant};

use crate::builtins::{gnu_options, options, split_at};
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub const USAGE: &str = "s6-notify-socket-from-fd [ -d fd ] [ -f ] [ -t timeout ] [ -k ] prog...";

/// Sends `READY=1` and `MAINPID=` to the manager's socket at `path`
/// (`@name`: abstract), then `BARRIER=1` with a pipe's write end, as
/// sd_notify_barrier does; true once the manager has closed that pipe (it
/// has read the messages) before the deadline.
fn notify(path: &[u8], main_pid: u32, deadline: Option<Instant>) -> std::io::Result<bool> {
    use nix::sys::socket::{
        AddressFamily, ControlMessage, MsgFlags, SockFlag, SockType, UnixAddr, sendmsg, socket,
    };
    let addr = match path.strip_prefix(b"@") {
        Some(name) => UnixAddr::new_abstract(name)?,
        None => UnixAddr::new(std::ffi::OsStr::new(&crate::error::show(path)))?,
    };
    let sock = socket(
        AddressFamily::Unix,
        SockType::Datagram,
        SockFlag::SOCK_CLOEXEC,
        None,
    )?;
    let send = |msg: &[u8], fds: &[i32]| -> std::io::Result<()> {
        let iov = [std::io::IoSlice::new(msg)];
        let cmsg = [ControlMessage::ScmRights(fds)];
        let cmsgs = if fds.is_empty() {
            &cmsg[..0]
        } else {
            &cmsg[..]
        };
        sendmsg(
            sock.as_raw_fd(),
            &iov,
            cmsgs,
            MsgFlags::MSG_NOSIGNAL,
            Some(&addr),
        )?;
        Ok(())
    };
    send(format!("READY=1\nMAINPID={main_pid}\n").as_bytes(), &[])?;
    let (barrier, handed) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)?;
    send(b"BARRIER=1\n", &[handed.as_raw_fd()])?;
    drop(handed);
    drop(sock);
    Ok(!crate::poll::readable(&[barrier.as_raw_fd()], deadline).is_empty())
}

/// The helper: waits for a newline on `read` (EOF: exit 1; timeout: 99),
/// then notifies. Never returns.
fn watch(read: &OwnedFd, socket: &[u8], main_pid: u32, timeout: Option<Duration>) -> ! {
    let deadline = timeout.map(|t| Instant::now() + t);
    let mut buf = [0u8; 4096];
    loop {
        let ready = crate::poll::readable(&[read.as_raw_fd()], deadline);
        if ready.is_empty() && deadline.is_some_and(|d| d <= Instant::now()) {
            std::process::exit(99);
        }
        match nix::unistd::read(read, &mut buf) {
            Ok(0) => std::process::exit(1),
            Ok(n) if buf[..n].contains(&b'\n') => break,
            Ok(_) | Err(nix::errno::Errno::EINTR) | Err(nix::errno::Errno::EAGAIN) => {}
            Err(_) => std::process::exit(111),
        }
    }
    match notify(socket, main_pid, deadline) {
        Ok(true) => std::process::exit(0),
        Ok(false) => std::process::exit(99),
        Err(e) => {
            eprintln!(
                "s6-notify-socket-from-fd (child): fatal: unable to send notification message to {}: {}",
                crate::error::show(socket),
                crate::error::describe(&e)
            );
            std::process::exit(111)
        }
    }
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let longs = [
        ("notification-fd", b'd'),
        ("no-doublefork", b'f'),
        ("timeout", b't'),
        ("keep-environment", b'k'),
    ];
    let argv = gnu_options(&argv, "d:ft:k", &longs)?;
    let (opts, first) = options(&argv[1..], "d:ft:k")?;
    let (mut fd, mut single, mut timeout, mut keep) = (1, false, None, false);
    for (c, arg) in opts {
        let value = arg.and_then(number).and_then(|n| u32::try_from(n).ok());
        match c {
            b'd' => {
                fd = value.ok_or_else(|| {
                    Error::Invalid("notification-fd must be an unsigned integer".into())
                })? as i32;
            }
            b't' => {
                let ms = value
                    .ok_or_else(|| Error::Invalid("timeout must be an unsigned integer".into()))?;
                timeout = (ms > 0).then(|| Duration::from_millis(u64::from(ms)));
            }
            b'f' => single = true,
            _ => keep = true,
        }
    }
    let rest = split_at(argv, first + 1);
    if rest.is_empty() {
        return Err(crate::builtins::usage());
    }
    let Some(socket) = env.get(b"NOTIFY_SOCKET").map(<[u8]>::to_vec) else {
        return Ok(Step::Next(rest));
    };
    let (read, write) = crate::chain::fd::pipe()?;
    let main_pid = std::process::id();
    if single {
        // SAFETY: the child only reads, sends and exits.
        match unsafe { nix::unistd::fork() } {
            Err(e) => return Err(Error::sys("fork", e)),
            Ok(nix::unistd::ForkResult::Child) => {
                drop(write);
                watch(&read, &socket, main_pid, timeout)
            }
            Ok(nix::unistd::ForkResult::Parent { .. }) => {}
        }
    } else {
        crate::chain::spawn::double_fork(|| {
            // SAFETY: closing this process's copy of the write end.
            unsafe { libc::close(write.as_raw_fd()) };
            watch(&read, &socket, main_pid, timeout)
        })?;
    }
    drop(read);
    // The write end becomes prog's fd, inherited across its exec.
    let raw = std::os::fd::IntoRawFd::into_raw_fd(write);
    crate::chain::fd::move_fd(fd, raw)?;
    // SAFETY: clears close-on-exec on the fd prog is to write to.
    unsafe { libc::fcntl(fd, libc::F_SETFD, 0) };
    if !keep {
        env.unset(b"NOTIFY_SOCKET");
    }
    Ok(Step::Next(rest))
}
