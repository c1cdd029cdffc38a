//! `background [-d] { prog1... } prog2...`: start prog1, put its pid in `!`, go on.

use crate::builtins::{options, split_at};
use crate::chain::{self, Env, Step, block::take_block, spawn};
use crate::error::Result;

pub const USAGE: &str = "background [ -d ] { command... } command...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "d")?;
    let double = !opts.is_empty();
    let mut rest = split_at(argv, i + 1);
    let block = take_block("background", &mut rest, env.strict())?;
    if block.is_empty() {
        return Err(crate::error::Error::Invalid("empty block".into()));
    }
    let pid = if double {
        let child_env = env.clone();
        spawn::double_fork(move || chain::run(block, child_env))?
    } else {
        spawn::spawn(block, env)?
    };
    env.set(b"!".to_vec(), pid.as_raw().to_string());
    Ok(Step::Next(rest))
}
