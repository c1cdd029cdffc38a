//! `importas [-i|-D def] [-u] [-N|-n] [-s] [-C|-c] [-d delim] key var prog...`:
//! substitute the value of an environment variable.

use crate::builtins::{options, split_at, usage};
use crate::chain::{Env, Step};
use crate::error::{Error, Result, show};
use crate::subst::{Binding, substitute, transform::Transform};

pub const USAGE: &str = "importas [ -i | -D default ] [ -u ] [ -N | -n ] [ -s ] [ -C | -c ] [ -d delim ] key var prog...";

/// Parses one `importas` directive at the front of `args` (`-u` unexports at once).
pub fn directive(env: &mut Env, args: &[Vec<u8>]) -> Result<(Binding, usize)> {
    let (opts, i) = options(args, "iD:uNnsCcd:")?;
    let mut t = Transform::default();
    let (mut insist, mut default, mut unexport) = (false, None, false);
    for (o, arg) in opts {
        match o {
            b'i' => insist = true,
            b'D' => default = arg,
            b'u' => unexport = true,
            _ => {
                t.apply_option(o, arg);
            }
        }
    }
    let (Some(key), Some(var)) = (args.get(i), args.get(i + 1)) else {
        return Err(usage());
    };
    let key = super::define::valid_key(key)?;
    // As execline: -i wins over -D, whichever comes first.
    let default = default.filter(|_| !insist);
    let values = match env.get(var).or(default) {
        Some(v) => t.apply(v)?,
        None if insist => return Err(Error::Invalid(format!("{} not set", show(var)))),
        None => Vec::new(),
    };
    if unexport {
        env.unset(var);
    }
    Ok((Binding::new(key, values), i + 2))
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (binding, used) = directive(env, &argv[1..])?;
    Ok(Step::Next(substitute(split_at(argv, used + 1), &[binding])))
}
