//! `forbacktickx [options] var { gen... } loop...`: run loop once per record
//! that gen prints. Exactly `pipeline { gen } forstdin [options] var loop...`.

use crate::builtins::{options, split_at};
use crate::chain::{
    Env, Step,
    block::{quote_block, take_block},
};
use crate::error::{Error, Result};

pub const USAGE: &str = "forbacktickx [ -E | -e ] [ -p | -o okcode,okcode,... | -x breakcode,breakcode,... ] [ -N | -n ] [ -C | -c ] [ -0 | -d delim ] var { backtickcmd... } command...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (_, i) = options(&argv[1..], "Eepo:x:NnCc0d:")?;
    let opts = argv[1..=i].to_vec();
    let mut rest = split_at(argv, i + 1);
    if rest.is_empty() {
        return Err(crate::builtins::usage());
    }
    let var = rest.remove(0);
    let gen_ = take_block("forbacktickx", &mut rest, env.strict())?;
    if gen_.is_empty() {
        return Err(Error::Invalid("empty block".into()));
    }
    let mut next = vec![b"pipeline".to_vec()];
    next.extend(quote_block(gen_));
    next.push(b"forstdin".to_vec());
    next.extend(opts);
    next.push(var);
    next.extend(rest);
    Ok(Step::Next(next))
}
