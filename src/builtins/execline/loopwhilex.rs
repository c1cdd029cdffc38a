//! `loopwhilex [-n] [-o okcodes|-x breakcodes] prog...`: run prog again and
//! again while it exits 0 (or with an ok code); exit with its last code.

use crate::builtins::{options, split_at};
use crate::chain::codes::Continue;
use crate::chain::{Env, Step, spawn};
use crate::error::Result;
use crate::exit;

pub const USAGE: &str =
    "loopwhilex [ -n ] [ -o okcode,okcode,... | -x exitcode,exitcode,... ] prog...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "no:x:")?;
    let (mut negate, mut until) = (false, Continue::On(vec![0]));
    for (o, arg) in opts {
        match o {
            b'n' => negate = true,
            _ => {
                until = Continue::parse(arg.unwrap_or_default(), o == b'o')
                    .ok_or_else(crate::builtins::usage)?
            }
        }
    }
    let prog = split_at(argv, i + 1);
    if prog.is_empty() {
        return Err(crate::builtins::usage());
    }
    loop {
        let code = exit::approximate(spawn::run_and_wait(prog.clone(), env)?);
        if until.goes_on(code) == negate {
            return Ok(Step::Exit(code));
        }
    }
}
