//! `ifelse [-X] [-n] { test } { then... } else...`: run test, go on with then or else.

use crate::builtins::{options, split_at};
use crate::chain::{Env, Step, block::take_block, spawn};
use crate::error::Result;
use crate::exit;

pub const USAGE: &str = "ifelse [ -n ] [ -X ] { command-if } { command-then... } command-else...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "nX")?;
    let negate = opts.iter().any(|o| o.0 == b'n');
    let crash_is_false = opts.iter().any(|o| o.0 == b'X');
    let mut rest = split_at(argv, i + 1);
    let test = take_block("ifelse", &mut rest, env.strict())?;
    let then = take_block("ifelse", &mut rest, env.strict())?;
    let status = spawn::run_and_wait(test, env)?;
    if exit::crashed(status) && !crash_is_false {
        return Err(super::if_::crashed(status));
    }
    Ok(Step::Next(if exit::succeeded(status) != negate {
        then
    } else {
        rest
    }))
}
