//! `emptyenv [-p | -c | -o | -P] prog...`: clear, clean or pop the environment.

use crate::builtins::{options, split_at};
use crate::chain::{Env, Step};
use crate::error::Result;
use crate::subst::positional;

pub const USAGE: &str = "emptyenv [ -p | -c | -o | -P ] prog...";

/// Variables the execline commands use among themselves (removed by `-c`).
fn internal(name: &[u8]) -> bool {
    matches!(name.first(), Some(b'#' | b'!' | b'?' | b'0'..=b'9'))
        || name.starts_with(b"FD")
        || name.starts_with(b"ELGETOPT_")
        || name.starts_with(b"EXECLINE_")
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "pcoP")?;
    let has = |c: u8| opts.iter().any(|o| o.0 == c);
    if has(b'c') {
        // execline drops `!` and `?` first, then the rest in order; the
        // order shows in the environment a program sees.
        env.unset(b"!");
        env.unset(b"?");
        env.unset_where(internal);
    } else if has(b'o') || has(b'P') {
        if has(b'o') {
            positional::pop_where(env, |n| n.starts_with(b"ELGETOPT_"));
        }
        if has(b'P') {
            positional::pop(env);
        }
    } else {
        let path = if has(b'p') {
            env.get(b"PATH").map(<[u8]>::to_vec)
        } else {
            None
        };
        env.clear();
        if let Some(p) = path {
            env.set(b"PATH".to_vec(), p);
        }
    }
    crate::builtins::next(split_at(argv, i + 1))
}
