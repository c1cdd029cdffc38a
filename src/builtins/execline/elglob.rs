//! `elglob [-v] [-w] [-s] [-m] [-e] [-0] [-n] [-d delim] key pattern
//! prog...`: substitute the files matching pattern, one word each; with
//! `-d` (execline 2.9.6), as one word, each followed by the first character
//! of delim (the last one too, unless `-n`), or as netstrings when delim is
//! empty.

use crate::builtins::{options, split_at, usage};
use crate::chain::{Env, Step};
use crate::error::{Error, Result, show};
use crate::posix::{Glob, glob};
use crate::subst::{Binding, substitute};

pub const USAGE: &str =
    "elglob [ -v ] [ -w ] [ -s ] [ -m ] [ -e ] [ -0 ] [ -n ] [ -d delim ] key pattern prog...";

/// Parses one `elglob` directive at the front of `args` (also used by multisubstitute).
pub fn directive(args: &[Vec<u8>]) -> Result<(Binding, usize)> {
    let (opts, i) = options(args, "vwsme0nd:")?;
    let (mut flags, mut warn, mut null) = (libc::GLOB_NOSORT, false, false);
    let (mut chomp, mut delim): (bool, Option<Option<u8>>) = (false, None);
    for (o, arg) in opts {
        match o {
            b'n' => chomp = true,
            b'd' => delim = Some(arg.and_then(|d| d.first().copied())),
            b'v' => warn = true,
            b'w' => flags |= libc::GLOB_ERR,
            b's' => flags &= !libc::GLOB_NOSORT,
            b'm' => flags |= libc::GLOB_MARK,
            b'e' => flags |= libc::GLOB_NOESCAPE,
            _ => null = true,
        }
    }
    if !null {
        flags |= libc::GLOB_NOCHECK;
    }
    let (Some(key), Some(pattern)) = (args.get(i), args.get(i + 1)) else {
        return Err(usage());
    };
    let key = super::define::valid_key(key)?;
    let values = match glob(pattern, flags, warn) {
        Glob::Matches(m) => m,
        Glob::NoMatch => Vec::new(),
        Glob::Error => {
            return Err(Error::Failed(format!("unable to glob {}", show(pattern))));
        }
    };
    let values = match delim {
        None => values,
        Some(d) => {
            let mut word = Vec::new();
            for (k, v) in values.iter().enumerate() {
                match d {
                    None => crate::subst::transform::encode_netstring(&mut word, v),
                    Some(c) => {
                        word.extend_from_slice(v);
                        if !(chomp && k + 1 == values.len()) {
                            word.push(c);
                        }
                    }
                }
            }
            vec![word]
        }
    };
    Ok((Binding::new(key, values), i + 2))
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (binding, used) = directive(&argv[1..])?;
    Ok(Step::Next(substitute(split_at(argv, used + 1), &[binding])))
}
