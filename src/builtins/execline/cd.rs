//! `cd dir prog...` (also `execline-cd`): change directory.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use crate::builtins::{split_at, usage};
use crate::chain::{Env, Step};
use crate::error::{Error, Result, show};

pub const USAGE: &str = "cd path prog...";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let dir = argv.get(1).ok_or_else(usage)?;
    nix::unistd::chdir(OsStr::from_bytes(dir))
        .map_err(|e| Error::sys(format!("chdir to {}", show(dir)), e))?;
    crate::builtins::next(split_at(argv, 2))
}
