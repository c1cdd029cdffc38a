//! `runblock [-P] [-n argshift] [-r] n [cmd...]`: in a script called with
//! blocks as arguments, exec its n-th block (`-r`: what follows n blocks),
//! appended to cmd.

use crate::builtins::{options, split_at};
use crate::chain::getopt::number;
use crate::chain::{Env, Step, block::take_block};
use crate::error::{Error, Result};
use crate::subst::positional;

pub const USAGE: &str = "runblock [ -P ] [ -n argshift ] [ -r ] n [ cmd... ]";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "Pn:r")?;
    let (mut keep, mut shift, mut remainder) = (false, 0usize, false);
    for (o, arg) in opts {
        match o {
            b'P' => keep = true,
            b'r' => remainder = true,
            _ => {
                shift = arg
                    .and_then(number)
                    .and_then(|n| usize::try_from(n).ok())
                    .ok_or_else(crate::builtins::usage)?
            }
        }
    }
    let mut cmd = split_at(argv, i + 1);
    if cmd.is_empty() {
        return Err(crate::builtins::usage());
    }
    let n = number(&cmd.remove(0))
        .and_then(|n| usize::try_from(n).ok())
        .filter(|&n| n > 0 || remainder)
        .ok_or_else(crate::builtins::usage)?;
    let (_, args) = positional::read_frame(env)?;
    let too_few = || Error::Invalid("too few arguments".into());
    let mut args = args.get(shift..).ok_or_else(too_few)?.to_vec();
    let skip = if remainder { n } else { n - 1 };
    for _ in 0..skip {
        take_block("runblock", &mut args, env.strict()).map_err(|_| too_few())?;
    }
    let chosen = if remainder {
        args
    } else {
        take_block("runblock", &mut args, env.strict()).map_err(|_| too_few())?
    };
    if !keep {
        positional::pop(env);
    }
    // An empty remainder ends here; an empty block still runs cmd.
    if remainder && chosen.is_empty() {
        return Ok(Step::Exit(0));
    }
    cmd.extend(chosen);
    Ok(Step::Next(cmd))
}
