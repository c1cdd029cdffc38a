//! `if [-X] [-n] [-t | -x code] { prog1... } prog2...`: go on only if prog1 succeeds.

use crate::builtins::{options, split_at};
use crate::chain::{Env, Step, block::take_block, spawn};
use crate::error::{Error, Result};
use crate::exit;

pub const USAGE: &str = "if [ -n ] [ -X ] [ -t | -x exitcode ] { command... }";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "nXtx:")?;
    let (mut negate, mut crash_is_false, mut code) = (false, false, None);
    for (o, arg) in opts {
        match o {
            b'n' => negate = true,
            b'X' => crash_is_false = true,
            b't' => code = Some(0),
            _ => code = Some(number(arg)?),
        }
    }
    let mut rest = split_at(argv, i + 1);
    let block = take_block("if", &mut rest, env.strict())?;
    let status = spawn::run_and_wait(block, env)?;
    if exit::crashed(status) && !crash_is_false {
        return Err(crashed(status));
    }
    if exit::succeeded(status) != negate {
        return Ok(Step::Next(rest));
    }
    let natural = if negate { 1 } else { exit::approximate(status) };
    Ok(Step::Exit(code.unwrap_or(natural)))
}

fn number(arg: Option<&[u8]>) -> Result<i32> {
    arg.and_then(crate::chain::getopt::number)
        .and_then(|n| i32::try_from(n).ok())
        .ok_or_else(crate::builtins::usage)
}

/// The error every `if`-family command raises when its test was killed
/// (128+n: `-x` does not apply to a crash).
pub fn crashed(status: nix::sys::wait::WaitStatus) -> Error {
    let sig = exit::approximate(status) - 128;
    eprintln!("if: fatal: child crashed with signal {sig}");
    Error::Quiet(128 + sig)
}
