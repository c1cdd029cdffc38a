//! `exec [-c] [-l] [-a argv0] prog...`: run prog with a chosen argv[0] or an empty env.

use super::{options, split_at};
use crate::chain::{Env, Step};
use crate::error::Result;

pub const USAGE: &str = "exec [ -c ] [ -l ] [ -a argv0 ] prog...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "cla:")?;
    let (mut clear, mut login, mut argv0) = (false, false, None);
    for (o, arg) in opts {
        match o {
            b'c' => clear = true,
            b'l' => login = true,
            _ => argv0 = arg.map(<[u8]>::to_vec),
        }
    }
    let mut rest = split_at(argv, i + 1);
    let Some(prog) = rest.first().cloned() else {
        return Err(super::usage());
    };
    if clear {
        env.clear();
    }
    let mut zero = argv0.unwrap_or_else(|| prog.clone());
    if login {
        zero.insert(0, b'-');
    }
    rest[0] = zero;
    Ok(Step::Exec { prog, argv: rest })
}
