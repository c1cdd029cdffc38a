//! `export var value prog...`: set an environment variable.

use crate::builtins::{split_at, usage};
use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub const USAGE: &str = "export variable value prog...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    if argv.len() < 4 {
        return Err(usage());
    }
    let mut rest = split_at(argv, 1);
    let value = rest.remove(1);
    let name = rest.remove(0);
    if name.contains(&b'=') {
        return Err(Error::Invalid("invalid variable name (contains =)".into()));
    }
    env.set(name, value);
    crate::builtins::next(rest)
}
