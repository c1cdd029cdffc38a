//! `shift [-n argn] [-b blockn] prog...`: drop positional parameters (and blocks).

use crate::builtins::{options, split_at};
use crate::chain::{Env, Step, getopt::number};
use crate::error::{Error, Result};
use crate::subst::positional;

pub const USAGE: &str = "shift [ -n arg# ] [ -b block# ] prog...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "n:b:")?;
    let (mut args_n, mut blocks_n) = (if opts.is_empty() { 1 } else { 0 }, 0);
    for (o, arg) in opts {
        let n = arg.and_then(number).ok_or_else(crate::builtins::usage)? as usize;
        if o == b'n' { args_n = n } else { blocks_n = n }
    }
    let (_, args) = positional::read_frame(env)?;
    let mut m = args_n.min(args.len());
    for _ in 0..blocks_n {
        // A block passed as arguments ends with an empty word.
        let end = args[m..]
            .iter()
            .position(Vec::is_empty)
            .ok_or_else(|| Error::Invalid("too few blocks in positional parameters".into()))?;
        m += end + 1;
    }
    // Same order as execline: `#`, then the kept values, then the unsets.
    let n = args.len();
    env.set(b"#".to_vec(), (n - m).to_string());
    for (k, value) in args.into_iter().enumerate().skip(m) {
        env.set((k + 1 - m).to_string(), value);
    }
    for k in (n - m + 1)..=n {
        env.unset(k.to_string().as_bytes());
    }
    crate::builtins::next(split_at(argv, i + 1))
}
