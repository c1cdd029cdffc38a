//! `ifte [-X] [-n] { then... } { else... } test...`: run test, go on with then or else.

use crate::builtins::{options, split_at};
use crate::chain::{Env, Step, block::take_block, spawn};
use crate::error::Result;
use crate::exit;

pub const USAGE: &str = "ifte [ -X ] [ -n ] { command-then... } { command-else... } command-if...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "nX")?;
    let negate = opts.iter().any(|o| o.0 == b'n');
    let crash_is_false = opts.iter().any(|o| o.0 == b'X');
    let mut rest = split_at(argv, i + 1);
    let then = take_block("ifte", &mut rest, env.strict())?;
    let otherwise = take_block("ifte", &mut rest, env.strict())?;
    if rest.is_empty() {
        return Err(crate::error::Error::Invalid("empty command-if".into()));
    }
    let status = spawn::run_and_wait(rest, env)?;
    if exit::crashed(status) && !crash_is_false {
        return Err(super::if_::crashed(status));
    }
    Ok(Step::Next(if exit::succeeded(status) != negate {
        then
    } else {
        otherwise
    }))
}
