//! `fdreserve n prog...`: name n fds that are free right now in `FD0`…`FDn-1`.

use crate::chain::{Env, Step, fd};
use crate::error::Result;

pub const USAGE: &str = "fdreserve n prog...";

pub fn run(env: &mut Env, mut argv: Vec<Vec<u8>>) -> Result<Step> {
    let n = argv
        .get(1)
        .and_then(|a| fd::parse(a))
        .ok_or_else(crate::builtins::usage)?;
    let mut found = 0;
    let mut candidate = 0;
    while found < n {
        if !fd::is_open(candidate) {
            env.set(format!("FD{found}"), candidate.to_string());
            found += 1;
        }
        candidate += 1;
    }
    argv.drain(..2);
    crate::builtins::next(argv)
}
