//! `fdblock [-n] fd prog...`: make fd blocking (`-n`: non-blocking).

use crate::builtins::{options, split_at};
use crate::chain::{Env, Step, fd};
use crate::error::Result;

pub const USAGE: &str = "fdblock [ -n ] fd prog...";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "n")?;
    let nonblocking = !opts.is_empty();
    let mut rest = split_at(argv, i + 1);
    let Some(n) = rest.first().and_then(|a| fd::parse(a)) else {
        return Err(crate::builtins::usage());
    };
    fd::set_blocking(n, !nonblocking)?;
    rest.remove(0);
    crate::builtins::next(rest)
}
