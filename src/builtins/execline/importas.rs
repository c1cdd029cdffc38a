//! `importas [-S] [-i|-D def] [-u] [-N|-n] [-s] [-C|-c] [-d delim] key var
//! prog...` (`-S`, from execline 2.9.6: one name for both key and var):
//! substitute the value of an environment variable.

use crate::builtins::{options, split_at, usage};
use crate::chain::{Env, Step};
use crate::error::{Error, Result, show};
use crate::subst::{Binding, substitute, transform::Transform};

pub const USAGE: &str = "importas [ -i | -D default ] [ -u ] [ -N | -n ] [ -s ] [ -C | -c ] [ -d delim ] key var prog...";

/// Parses one `importas` directive at the front of `args` (`-u` unexports at once).
pub fn directive(env: &mut Env, args: &[Vec<u8>]) -> Result<(Binding, usize)> {
    let (opts, i) = options(args, "SiD:uNnsCcd:")?;
    let mut t = Transform::default();
    let (mut insist, mut default, mut unexport, mut same) = (false, None, false, false);
    for (o, arg) in opts {
        match o {
            // execline 2.9.6: the key is the variable's own name.
            b'S' => same = true,
            b'i' => insist = true,
            b'D' => default = arg,
            b'u' => unexport = true,
            _ => {
                t.apply_option(o, arg);
            }
        }
    }
    let next = i + usize::from(!same);
    let (Some(key), Some(var)) = (args.get(i), args.get(next)) else {
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
    Ok((Binding::new(key, values), next + 1))
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (binding, used) = directive(env, &argv[1..])?;
    Ok(Step::Next(substitute(split_at(argv, used + 1), &[binding])))
}
