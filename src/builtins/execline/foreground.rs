//! `foreground { prog1... } prog2...`: run prog1, wait, put its status in `?`, go on.

use crate::builtins::split_at;
use crate::chain::{Env, Step, block::take_block, spawn};
use crate::error::Result;
use crate::exit;

pub const USAGE: &str = "foreground { command... } command...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let mut rest = split_at(argv, 1);
    let block = take_block("foreground", &mut rest, env.strict())?;
    let status = spawn::run_and_wait_lenient("foreground", block, env)?;
    env.set(b"?".to_vec(), exit::question_mark(status).to_string());
    Ok(Step::Next(rest))
}
