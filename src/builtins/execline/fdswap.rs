//! `fdswap fd1 fd2 prog...`: exchange two file descriptors.

use crate::builtins::{split_at, usage};
use crate::chain::{Env, Step, fd};
use crate::error::{Error, Result};

pub const USAGE: &str = "fdswap fd1 fd2 prog...";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let a = argv.get(1).and_then(|x| fd::parse(x)).ok_or_else(usage)?;
    let b = argv.get(2).and_then(|x| fd::parse(x)).ok_or_else(usage)?;
    let failed = || Error::sys("swap fds", nix::errno::Errno::last());
    // SAFETY: dup only adds an fd to the table.
    let tmp = unsafe { libc::dup(a) };
    if tmp < 0 {
        return Err(failed());
    }
    let swapped = fd::copy(a, b).and_then(|()| fd::copy(b, tmp));
    fd::close(tmp);
    swapped.map_err(|e| match e {
        Error::System { errno, .. } => Error::sys("swap fds", errno),
        other => other,
    })?;
    crate::builtins::next(split_at(argv, 3))
}
