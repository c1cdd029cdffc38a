//! `unexport var prog...`: remove an environment variable.

use crate::builtins::{split_at, usage};
use crate::chain::{Env, Step};
use crate::error::Result;

pub const USAGE: &str = "unexport variable prog...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    if argv.len() < 3 {
        return Err(usage());
    }
    let mut rest = split_at(argv, 1);
    let name = rest.remove(0);
    env.unset(&name);
    crate::builtins::next(rest)
}
