//! `elgetopt [-D default] optstring prog...`: parse the options of the
//! current positional frame into `ELGETOPT_x` variables and leave the other
//! arguments as the new `$1`…`$#`.

use crate::builtins::{options, split_at};
use crate::chain::{Env, Step, getopt::getopt};
use crate::error::{Error, Result, show};
use crate::subst::positional;

pub const USAGE: &str = "elgetopt [ -D default ] optstring prog...";

const PREFIX: &[u8] = b"ELGETOPT_";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "D:")?;
    let default = opts.last().and_then(|(_, a)| *a).unwrap_or(b"1").to_vec();
    let mut rest = split_at(argv, i + 1);
    if rest.len() < 2 {
        return Err(crate::builtins::usage());
    }
    let spec = String::from_utf8_lossy(&rest.remove(0)).into_owned();
    if env.get(b"#").is_none() {
        return Err(Error::Invalid("# not set".into()));
    }
    let (zero, args) = positional::read_frame(env)?;
    let Ok((found, used)) = getopt(&args, spec.trim_start_matches(':')) else {
        eprintln!("{}: illegal option or missing argument", show(&zero));
        return Err(Error::Quiet(1));
    };
    let found: Vec<(u8, Vec<u8>)> = found
        .into_iter()
        .map(|(o, a)| (o, a.map_or_else(|| default.clone(), <[u8]>::to_vec)))
        .collect();
    let left = args[used..].to_vec();
    positional::push_where(env, |name| name.starts_with(PREFIX));
    for (o, value) in found {
        let mut name = PREFIX.to_vec();
        name.push(o);
        env.set(name, value);
    }
    for (k, a) in left.iter().enumerate() {
        env.set((k + 1).to_string(), a.clone());
    }
    for k in left.len() + 1..=args.len() {
        env.unset(k.to_string().as_bytes());
    }
    env.set(b"#".to_vec(), left.len().to_string());
    Ok(Step::Next(rest))
}
