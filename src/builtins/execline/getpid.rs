//! `getpid [-E|-e] [-P|-p] var prog...`: put this (or the parent) pid in a variable.

use crate::builtins::{options, set_and_go_on, split_at, usage};
use crate::chain::{Env, Step};
use crate::error::Result;

pub const USAGE: &str = "getpid [ -E | -e ] [ -P | -p ] variable prog...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "EePp")?;
    let (mut import, mut parent) = (false, false);
    for (o, _) in opts {
        match o {
            b'E' => import = true,
            b'e' => import = false,
            b'P' => parent = true,
            _ => parent = false,
        }
    }
    let var = argv.get(i + 1).cloned().ok_or_else(usage)?;
    let pid = if parent {
        nix::unistd::getppid()
    } else {
        nix::unistd::getpid()
    };
    let rest = split_at(argv, i + 2);
    set_and_go_on(
        env,
        var,
        pid.as_raw().to_string().into_bytes(),
        import,
        rest,
    )
}
