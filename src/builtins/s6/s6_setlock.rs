//! `s6-setlock [-r | -w] [-n | -N] [-t ms] [-d fd] file prog...`: take a
//! lock on file (created if needed; exclusive, or shared with `-r`), then
//! run prog holding it. `-n` gives up at once, `-t` after ms milliseconds
//! (exit 1 either way); `-d` puts the locked file on fd for prog.

use crate::error::ErrnoText;
use std::os::fd::{AsRawFd, IntoRawFd};
use std::os::unix::ffi::OsStrExt;
use std::time::{Duration, Instant};

use nix::errno::Errno;

use crate::builtins::options;
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};

pub const USAGE: &str =
    "s6-setlock [ -r | -w ] [ -n | -N ] [ -t timeout ] [ -d fd ] lockfile prog...";

/// One attempt at a POSIX record lock on the whole file.
fn lock(fd: i32, shared: bool, wait: bool) -> nix::Result<()> {
    let fl = libc::flock {
        l_type: (if shared { libc::F_RDLCK } else { libc::F_WRLCK }) as libc::c_short,
        l_whence: libc::SEEK_SET as libc::c_short,
        l_start: 0,
        l_len: 0,
        l_pid: 0,
    };
    loop {
        let cmd = if wait { libc::F_SETLKW } else { libc::F_SETLK };
        // SAFETY: fcntl with a lock command reads the flock we pass.
        if unsafe { libc::fcntl(fd, cmd, &fl) } != -1 {
            return Ok(());
        }
        match Errno::last() {
            Errno::EINTR => {}
            e => return Err(e),
        }
    }
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "rwnNt:d:")?;
    let (mut shared, mut wait, mut limit, mut onto) = (false, true, None, None);
    for (c, arg) in opts {
        let n = || arg.and_then(number).ok_or_else(crate::builtins::usage);
        match c {
            b'r' => shared = true,
            b'w' => shared = false,
            b'n' => wait = false,
            b'N' => wait = true,
            b't' => limit = Some(Duration::from_millis(n()?)),
            _ => onto = Some(i32::try_from(n()?).map_err(|_| crate::builtins::usage())?),
        }
    }
    let (Some(file), true) = (argv.get(first + 1), argv.len() > first + 2) else {
        return Err(crate::builtins::usage());
    };
    let f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(std::ffi::OsStr::from_bytes(file))
        .map_err(|e| {
            Error::Failed(format!(
                "unable to open {} for writing: {}",
                show(file),
                describe(&e)
            ))
        })?;
    let fd = f.as_raw_fd();
    // In the words of the musl-built original (glibc says "Device or resource busy").
    let busy = || Error::Refused(1, format!("unable to lock {}: Resource busy", show(file)));
    match (wait, limit) {
        (false, _) => lock(fd, shared, false).map_err(|e| match e {
            Errno::EAGAIN | Errno::EACCES => busy(),
            e => Error::Failed(format!("unable to lock {}: {}", show(file), e.text())),
        })?,
        (true, None) => lock(fd, shared, true)
            .map_err(|e| Error::Failed(format!("unable to lock {}: {}", show(file), e.text())))?,
        // A bounded wait: attempts 10 ms apart until the deadline.
        (true, Some(limit)) => {
            let deadline = Instant::now() + limit;
            while let Err(e) = lock(fd, shared, false) {
                if !matches!(e, Errno::EAGAIN | Errno::EACCES) {
                    return Err(Error::Failed(format!(
                        "unable to lock {}: {}",
                        show(file),
                        e.text()
                    )));
                }
                if Instant::now() >= deadline {
                    return Err(Error::Refused(1, format!("lock {}: timed out", show(file))));
                }
                std::thread::sleep(Duration::from_millis(10).min(deadline - Instant::now()));
            }
        }
    }
    // The lock lives as long as the file stays open in this process: it is
    // kept open, across prog's exec too, on fd if asked.
    let held = f.into_raw_fd();
    let at = match onto {
        Some(to) => {
            crate::chain::fd::move_fd(to, held)?;
            to
        }
        None => held,
    };
    crate::chain::fd::keep_on_exec(at)?;
    Ok(Step::Next(argv[first + 2..].to_vec()))
}
