//! `elgetpositionals [-P n] prog...`: substitute `$#`, `$0`…, `$@` from the frame.

use crate::builtins::{options, split_at};
use crate::chain::{Env, Step, getopt::number};
use crate::error::{Error, Result};
use crate::subst::{Binding, positional, substitute};

pub const USAGE: &str = "elgetpositionals [ -P num ] prog...";

/// Parses one directive at the front of `args`.
pub fn directive(env: &Env, args: &[Vec<u8>]) -> Result<(Vec<Binding>, usize)> {
    let (opts, i) = options(args, "P:")?;
    let mut at_least = 0;
    for (_, arg) in opts {
        at_least = arg.and_then(number).ok_or_else(crate::builtins::usage)? as usize;
    }
    // execline 2.9.3 reports a missing frame with 111, not the documented 100.
    let (zero, args) = positional::read_frame(env).map_err(|e| Error::Failed(e.to_string()))?;
    Ok((positional::bindings(&zero, &args, at_least, 0), i))
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (bindings, used) = directive(env, &argv[1..])?;
    Ok(Step::Next(substitute(split_at(argv, used + 1), &bindings)))
}
