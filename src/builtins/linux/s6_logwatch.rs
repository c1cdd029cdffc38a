//! `s6-logwatch [logdir]`: print an s6-log directory's `current` and follow
//! it, across rotations, until killed: when s6-log moves `current` away and
//! starts a new one, the rest of the old file is printed, then the new one
//! from its start. Linux only (inotify).

use std::io::Read;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use crate::builtins::execline::dollarat::write_all;
use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};

pub const USAGE: &str = "s6-logwatch [ logdir ]";

fn open_current() -> std::io::Result<Option<std::fs::File>> {
    match std::fs::File::open("current") {
        Ok(f) => Ok(Some(f)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Copies what `file` has past its offset to stdout.
fn drain(file: &mut std::fs::File, buf: &mut [u8]) -> Result<()> {
    loop {
        let n = file
            .read(buf)
            .map_err(|e| Error::Failed(format!("unable to read from current: {}", describe(&e))))?;
        if n == 0 {
            return Ok(());
        }
        write_all(1, &buf[..n]).map_err(|e| Error::sys("write to stdout", e))?;
    }
}

/// The names of the inotify events read now that concern `current`, with
/// their masks.
fn events(inotify: &OwnedFd) -> Vec<u32> {
    let mut buf = [0u8; 4096];
    let mut masks = Vec::new();
    // SAFETY: reads into our own buffer.
    let n = unsafe { libc::read(inotify.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
    let mut at = 0usize;
    let head = std::mem::size_of::<libc::inotify_event>();
    while n > 0 && at + head <= n as usize {
        // SAFETY: the kernel wrote whole records; read_unaligned copes with alignment.
        let ev: libc::inotify_event =
            unsafe { std::ptr::read_unaligned(buf[at..].as_ptr().cast()) };
        let name = &buf[at + head..at + head + ev.len as usize];
        let name = &name[..name.iter().position(|&b| b == 0).unwrap_or(name.len())];
        if name == b"current" {
            masks.push(ev.mask);
        }
        at += head + ev.len as usize;
    }
    masks
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "m:")?;
    if !opts.is_empty() {
        eprintln!("s6-logwatch: warning: the -m option is deprecated");
    }
    let dir = argv
        .get(first + 1)
        .map_or_else(|| ".".to_string(), |d| show(d));
    std::env::set_current_dir(&dir)
        .map_err(|e| Error::Failed(format!("unable to chdir to {dir}: {}", describe(&e))))?;
    // SAFETY: plain inotify calls; the fd is owned right away.
    let inotify = unsafe { libc::inotify_init1(libc::IN_NONBLOCK | libc::IN_CLOEXEC) };
    if inotify < 0 {
        return Err(Error::sys("inotify_init", nix::errno::Errno::last()));
    }
    // SAFETY: a fresh fd that nothing else owns.
    let inotify = unsafe { OwnedFd::from_raw_fd(inotify) };
    let mask = libc::IN_CREATE | libc::IN_MOVED_FROM | libc::IN_MODIFY;
    // SAFETY: a valid NUL-terminated path.
    if unsafe { libc::inotify_add_watch(inotify.as_raw_fd(), c".".as_ptr(), mask) } < 0 {
        return Err(Error::sys("inotify_add_watch", nix::errno::Errno::last()));
    }
    // SAFETY: SIG_IGN installs no handler code: a closed stdout is a write error.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
    let mut file = open_current()
        .map_err(|e| Error::Failed(format!("unable to open {dir}/current: {}", describe(&e))))?;
    let mut buf = vec![0u8; 8192];
    // A new `current` appeared while the old one may still have data.
    let mut replaced = false;
    loop {
        if let Some(f) = file.as_mut() {
            drain(f, &mut buf)?;
        }
        if replaced {
            replaced = false;
            file = open_current()
                .map_err(|e| Error::Failed(format!("unable to open current: {}", describe(&e))))?;
            continue;
        }
        crate::poll::readable(&[inotify.as_raw_fd()], None);
        for m in events(&inotify) {
            if m & libc::IN_CREATE != 0 {
                replaced = true;
            }
        }
        if file.is_none() && replaced {
            replaced = false;
            file = open_current()
                .map_err(|e| Error::Failed(format!("unable to open current: {}", describe(&e))))?;
        }
    }
}
