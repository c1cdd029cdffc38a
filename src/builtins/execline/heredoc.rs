//! `heredoc [-d] fd string prog...`: make `string` readable on `fd` through a
//! pipe fed by a child (a grandchild with `-d`).

use std::os::fd::{AsRawFd, IntoRawFd};

use super::dollarat::write_all;
use crate::builtins::{options, split_at, usage};
use crate::chain::{Env, Step, fd, spawn};
use crate::error::{Error, Result};

pub const USAGE: &str = "heredoc [ -d ] fd string command...";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "d")?;
    let target = argv
        .get(i + 1)
        .and_then(|a| fd::parse(a))
        .ok_or_else(usage)?;
    let text = argv.get(i + 2).cloned().ok_or_else(usage)?;
    let (r, w) = nix::unistd::pipe().map_err(|e| Error::sys("create pipe", e))?;
    let (rfd, wfd) = (r.as_raw_fd(), w.as_raw_fd());
    let writer = move || {
        fd::close(rfd);
        let code = if write_all(wfd, &text).is_ok() {
            0
        } else {
            crate::exit::SYSTEM
        };
        std::process::exit(code);
    };
    if opts.is_empty() {
        // SAFETY: single-threaded; the child only writes and exits.
        match unsafe { nix::unistd::fork() } {
            Ok(nix::unistd::ForkResult::Child) => writer(),
            Ok(nix::unistd::ForkResult::Parent { .. }) => {}
            Err(e) => return Err(Error::sys("fork", e)),
        }
    } else {
        spawn::double_fork(writer)?;
    }
    drop(w);
    fd::move_fd(target, r.into_raw_fd())?;
    crate::builtins::next(split_at(argv, i + 3))
}
