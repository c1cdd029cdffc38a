//! `umask mask prog...` (also `execline-umask`): set the file-creation mask.

use crate::builtins::{split_at, usage};
use crate::chain::{Env, Step};
use crate::error::{Error, Result, show};

pub const USAGE: &str = "umask value prog...";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let arg = argv.get(1).ok_or_else(usage)?;
    let mask = std::str::from_utf8(arg)
        .ok()
        .filter(|s| !s.is_empty())
        .and_then(|s| u32::from_str_radix(s, 8).ok())
        .ok_or_else(|| Error::Invalid(format!("invalid mask: {}", show(arg))))?;
    // SAFETY: umask cannot fail and touches no memory.
    unsafe { libc::umask((mask & 0o777) as libc::mode_t) };
    crate::builtins::next(split_at(argv, 2))
}
