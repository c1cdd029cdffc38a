//! `s6-env [-i] [name=value...] [prog...]`: env(1): run prog with the
//! variables set (the environment emptied first with `-i`); without prog,
//! print the environment as s6-printenv does.

use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::Result;

pub const USAGE: &str = "s6-env [ -i ] [ name=value... ] prog...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "i")?;
    if !opts.is_empty() {
        *env = Env::default();
    }
    let mut rest = argv[first + 1..].iter().peekable();
    while let Some(arg) = rest.next_if(|a| a.contains(&b'=')) {
        let at = arg.iter().position(|&b| b == b'=').unwrap_or(arg.len());
        env.set(arg[..at].to_vec(), arg[at + 1..].to_vec());
    }
    let prog: Vec<Vec<u8>> = rest.cloned().collect();
    Ok(Step::Next(if prog.is_empty() {
        vec![b"s6-printenv".to_vec()]
    } else {
        prog
    }))
}
