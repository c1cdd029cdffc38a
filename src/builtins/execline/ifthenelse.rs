//! `ifthenelse [-X] [-s] { if } { then } { else } rest...`: run the test and one
//! branch as children, put the branch's status in `?`, go on with rest.
//! `-s` runs the branch in this process instead, followed by rest.

use crate::builtins::{options, split_at};
use crate::chain::{Env, Step, block::take_block, spawn};
use crate::error::Result;
use crate::exit;

pub const USAGE: &str =
    "ifthenelse [ -X ] { command-if... } { command-then... } { command-else... } [ remainder... ]";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "Xs")?;
    let crash_is_false = opts.iter().any(|o| o.0 == b'X');
    let scoped = opts.iter().any(|o| o.0 == b's');
    let mut rest = split_at(argv, i + 1);
    let test = take_block("ifthenelse", &mut rest, env.strict())?;
    let then = take_block("ifthenelse", &mut rest, env.strict())?;
    let otherwise = take_block("ifthenelse", &mut rest, env.strict())?;
    let status = spawn::run_and_wait(test, env)?;
    if exit::crashed(status) && !crash_is_false {
        return Err(super::if_::crashed(status));
    }
    let mut branch = if exit::succeeded(status) {
        then
    } else {
        otherwise
    };
    if scoped {
        branch.extend(rest);
        return Ok(Step::Next(branch));
    }
    let status = spawn::run_and_wait_lenient("ifthenelse", branch, env)?;
    env.set(b"?".to_vec(), exit::question_mark(status).to_string());
    Ok(Step::Next(rest))
}
