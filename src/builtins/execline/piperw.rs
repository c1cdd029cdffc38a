//! `piperw fdr fdw prog...`: open a pipe on the two named fds, go on.

use crate::chain::{Env, Step, fd};
use crate::error::{Error, Result};

pub const USAGE: &str = "piperw fdr fdw prog...";

pub fn run(_env: &mut Env, mut argv: Vec<Vec<u8>>) -> Result<Step> {
    if argv.len() < 4 {
        return Err(crate::builtins::usage());
    }
    let (Some(fdr), Some(fdw)) = (fd::parse(&argv[1]), fd::parse(&argv[2])) else {
        return Err(crate::builtins::usage());
    };
    let (r, w) = nix::unistd::pipe().map_err(|e| Error::sys("create pipe", e))?;
    // Park both ends above the targets first so neither move clobbers the other.
    let above = fdr.max(fdw) + 1;
    let park = |f: &std::os::fd::OwnedFd| {
        nix::fcntl::fcntl(f, nix::fcntl::FcntlArg::F_DUPFD(above))
            .map_err(|e| Error::sys("move pipe", e))
    };
    let (pr, pw) = (park(&r)?, park(&w)?);
    drop((r, w));
    fd::move_fd(fdr, pr)?;
    fd::move_fd(fdw, pw)?;
    argv.drain(..3);
    Ok(Step::Next(argv))
}
