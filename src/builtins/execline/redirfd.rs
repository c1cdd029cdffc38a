//! `redirfd -r|-w|-u|-a|-x [-n] [-b] fd file prog...`: open a file onto an fd.

use std::ffi::CString;

use crate::builtins::{options, split_at, usage};
use crate::chain::{Env, Step, fd};
use crate::error::{Error, Result, show};

pub const USAGE: &str = "redirfd -[ r | w | u | a | x ] [ -n ] [ -b ] fd file prog...";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "rwuaxnb")?;
    let (mut mode, mut nonblock, mut flip) = (None, false, false);
    for (o, _) in opts {
        match o {
            b'r' => mode = Some(libc::O_RDONLY),
            b'w' => mode = Some(libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC),
            b'u' => mode = Some(libc::O_RDWR),
            b'a' => mode = Some(libc::O_WRONLY | libc::O_CREAT | libc::O_APPEND),
            b'x' => mode = Some(libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL),
            b'n' => nonblock = true,
            _ => flip = true,
        }
    }
    let mode = mode.ok_or_else(usage)?;
    let ops = &argv[i + 1..];
    let target = ops.first().and_then(|a| fd::parse(a)).ok_or_else(usage)?;
    let file = ops.get(1).ok_or_else(usage)?;
    let path = CString::new(file.as_slice()).map_err(|_| usage())?;
    let flags = mode | if nonblock { libc::O_NONBLOCK } else { 0 };
    // SAFETY: path is a valid C string; the new fd is handed to the user's fd number below.
    let opened = unsafe { libc::open(path.as_ptr(), flags, 0o666) };
    if opened < 0 {
        return Err(Error::sys(
            format!("open {}", show(file)),
            nix::errno::Errno::last(),
        ));
    }
    fd::move_fd(target, opened)?;
    if flip {
        fd::set_blocking(target, nonblock)?;
    }
    crate::builtins::next(split_at(argv, i + 3))
}
