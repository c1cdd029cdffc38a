//! `fdmove [-c] to from prog...`: move (or with -c copy) fd `from` onto fd `to`.

use crate::builtins::{options, split_at, usage};
use crate::chain::{Env, Step, fd};
use crate::error::Result;

pub const USAGE: &str = "fdmove [ -c ] to from prog...";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "c")?;
    let ops = &argv[i + 1..];
    let (Some(to), Some(from)) = (
        ops.first().and_then(|a| fd::parse(a)),
        ops.get(1).and_then(|a| fd::parse(a)),
    ) else {
        return Err(usage());
    };
    if opts.is_empty() {
        fd::move_fd(to, from)?
    } else {
        fd::copy(to, from)?
    }
    crate::builtins::next(split_at(argv, i + 3))
}
