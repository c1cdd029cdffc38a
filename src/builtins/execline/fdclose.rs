//! `fdclose fd prog...`: close a file descriptor.

use crate::builtins::{split_at, usage};
use crate::chain::{Env, Step, fd};
use crate::error::Result;

pub const USAGE: &str = "fdclose fd prog...";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let n = argv.get(1).and_then(|a| fd::parse(a)).ok_or_else(usage)?;
    fd::close(n);
    crate::builtins::next(split_at(argv, 2))
}
