//! `define [-N|-n] [-s] [-C|-c] [-d delim] key value prog...`: substitute a literal value.

use crate::builtins::{options, split_at, usage};
use crate::chain::{Env, Step};
use crate::error::{Error, Result};
use crate::subst::{Binding, substitute, transform::Transform};

pub const USAGE: &str = "define [ -N | -n ] [ -s ] [ -C | -c ] [ -d delim ] key value prog...";

/// Parses one `define` directive at the front of `args`; returns its binding
/// and how many words it used.
pub fn directive(args: &[Vec<u8>]) -> Result<(Binding, usize)> {
    let (opts, i) = options(args, "NnsCcd:")?;
    let mut t = Transform::default();
    for (o, arg) in opts {
        t.apply_option(o, arg);
    }
    let (Some(key), Some(value)) = (args.get(i), args.get(i + 1)) else {
        return Err(usage());
    };
    Ok((Binding::new(valid_key(key)?, t.apply(value)?), i + 2))
}

/// Substitution keys cannot be empty.
pub fn valid_key(key: &[u8]) -> Result<Vec<u8>> {
    if key.is_empty() {
        return Err(Error::Failed("bad substitution key".into()));
    }
    Ok(key.to_vec())
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (binding, used) = directive(&argv[1..])?;
    Ok(Step::Next(substitute(split_at(argv, used + 1), &[binding])))
}
