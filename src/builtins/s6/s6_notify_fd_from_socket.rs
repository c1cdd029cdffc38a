//! `s6-notify-fd-from-socket [-f] [-3 fd] [-t timeout] prog...`: run a
//! daemon that announces readiness the systemd way (`READY=1` on the socket
//! named by NOTIFY_SOCKET) under s6, which expects a newline on the
//! service's notification fd. A helper process (forked twice unless `-f`)
//! owns an abstract datagram socket and, on `READY=1`, writes the newline;
//! this process sets NOTIFY_SOCKET and becomes prog.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::time::{Duration, Instant};

use crate::builtins::{gnu_options, options, split_at};
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::{ErrnoText, Error, Result};

pub const USAGE: &str = "s6-notify-fd-from-socket [ -f ] [ -3 fd ] [ -t timeout ] prog...";

/// An abstract Unix datagram socket with a kernel-chosen name; the name
/// (five hex digits) as NOTIFY_SOCKET spells it: `@xxxxx`.
fn autobound_socket() -> Result<(OwnedFd, String)> {
    let fail = |what: &str| Error::sys(what.to_string(), nix::errno::Errno::last());
    // SAFETY: plain socket creation.
    let fd = unsafe {
        libc::socket(
            libc::AF_UNIX,
            libc::SOCK_DGRAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
            0,
        )
    };
    if fd < 0 {
        return Err(fail("create socket"));
    }
    // SAFETY: a fresh fd that nothing else owns.
    let sock = unsafe { OwnedFd::from_raw_fd(fd) };
    // SAFETY: sockaddr_un is plain data.
    let mut addr: libc::sockaddr_un = unsafe { std::mem::zeroed() };
    addr.sun_family = libc::AF_UNIX as libc::sa_family_t;
    let family = std::mem::size_of::<libc::sa_family_t>() as libc::socklen_t;
    // SAFETY: binding with only the family asks the kernel for an abstract name.
    if unsafe { libc::bind(fd, (&raw const addr).cast(), family) } < 0 {
        return Err(fail("bind"));
    }
    let mut len = std::mem::size_of::<libc::sockaddr_un>() as libc::socklen_t;
    // SAFETY: getsockname fills our own sockaddr_un, at most `len` bytes.
    if unsafe { libc::getsockname(fd, (&raw mut addr).cast(), &mut len) } < 0 {
        return Err(fail("getsockname"));
    }
    let name_len = (len as usize).saturating_sub(family as usize);
    if addr.sun_path[0] != 0 || name_len < 2 {
        return Err(Error::Failed(
            "unable to autobind to an abstract socket".into(),
        ));
    }
    let name: String = addr.sun_path[1..name_len]
        .iter()
        // c_char is i8 on x86_64 and u8 on aarch64: its byte either way.
        .map(|&c| char::from(c.to_ne_bytes()[0]))
        .collect();
    Ok((sock, format!("@{name}")))
}

/// Whether a notification datagram says the service is ready.
fn says_ready(msg: &[u8]) -> bool {
    msg.split(|&b| b == b'\n').any(|line| line == b"READY=1")
}

/// The helper: waits for READY=1 (or prog's death, or the timeout), then
/// writes the newline. Never returns.
fn watch(sock: &OwnedFd, notify: i32, prog: &OwnedFd, timeout: Option<Duration>) -> ! {
    let deadline = timeout.map(|t| Instant::now() + t);
    let mut buf = [0u8; 8192];
    loop {
        let ready = crate::poll::readable(&[sock.as_raw_fd(), prog.as_raw_fd()], deadline);
        if ready.is_empty() && deadline.is_some_and(|d| d <= Instant::now()) {
            std::process::exit(99);
        }
        if ready.contains(&sock.as_raw_fd()) {
            // SAFETY: reads into our own buffer.
            let n = unsafe { libc::recv(sock.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), 0) };
            if n > 0 && says_ready(&buf[..n as usize]) {
                let _ = crate::builtins::execline::dollarat::write_all(notify, b"\n");
                std::process::exit(0);
            }
        } else if ready.contains(&prog.as_raw_fd()) {
            // prog died without saying it was ready.
            std::process::exit(1);
        }
    }
}

/// A pidfd for this process: the helper's way to see prog (which this
/// process becomes) die.
fn pidfd_of_self() -> Result<OwnedFd> {
    // SAFETY: pidfd_open on our own pid; the fd is ours.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, libc::getpid(), 0) } as i32;
    if fd < 0 {
        return Err(Error::sys("open a pidfd", nix::errno::Errno::last()));
    }
    // SAFETY: a fresh fd that nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

fn read_notification_fd() -> Result<i32> {
    let text = std::fs::read("notification-fd").map_err(|e| {
        Error::Failed(format!(
            "unable to read ./notification-fd: {}",
            crate::error::describe(&e)
        ))
    })?;
    let line = text.split(|&b| b == b'\n').next().unwrap_or_default();
    number(line)
        .and_then(|n| i32::try_from(n).ok())
        .ok_or_else(|| Error::Invalid("invalid ./notification-fd".into()))
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let longs = [
        ("no-doublefork", b'f'),
        ("notification-fd", b'3'),
        ("timeout", b't'),
    ];
    let argv = gnu_options(&argv, "f3:t:", &longs)?;
    let (opts, first) = options(&argv[1..], "f3:t:")?;
    let (mut single, mut notify, mut timeout) = (false, None, None);
    for (c, arg) in opts {
        let value = arg.and_then(number).and_then(|n| u32::try_from(n).ok());
        match c {
            b'f' => single = true,
            b'3' => {
                let fd = value.ok_or_else(|| {
                    Error::Invalid("notification-fd must be an unsigned integer".into())
                })?;
                notify = Some(fd as i32);
            }
            _ => {
                let ms = value
                    .ok_or_else(|| Error::Invalid("timeout must be an unsigned integer".into()))?;
                timeout = (ms > 0).then(|| Duration::from_millis(u64::from(ms)));
            }
        }
    }
    let rest = split_at(argv, first + 1);
    if rest.is_empty() {
        return Err(crate::builtins::usage());
    }
    let notify = match notify {
        Some(fd) => fd,
        None => read_notification_fd()?,
    };
    // SAFETY: F_GETFD only reads the descriptor's flags.
    if unsafe { libc::fcntl(notify, libc::F_GETFD) } < 0 {
        let why = nix::errno::Errno::last().text();
        return Err(Error::Failed(format!(
            "notification-fd sanity check failed: {why}"
        )));
    }
    let (sock, name) = autobound_socket()?;
    let prog = pidfd_of_self()?;
    if single {
        // SAFETY: the child only polls, writes and exits.
        match unsafe { nix::unistd::fork() } {
            Err(e) => return Err(Error::sys("fork", e)),
            Ok(nix::unistd::ForkResult::Child) => watch(&sock, notify, &prog, timeout),
            Ok(nix::unistd::ForkResult::Parent { .. }) => {}
        }
    } else {
        crate::chain::spawn::double_fork(|| watch(&sock, notify, &prog, timeout))?;
    }
    drop(sock);
    drop(prog);
    // SAFETY: the notification fd is the helper's now.
    unsafe { libc::close(notify) };
    env.set(b"NOTIFY_SOCKET".to_vec(), name);
    Ok(Step::Next(rest))
}
