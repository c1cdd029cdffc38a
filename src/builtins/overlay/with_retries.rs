//! `with-retries [-n tries] [-t ms] prog...`: s6-overlay's retry helper.
//! Runs prog as a child up to `tries` times (default 3), each run allowed
//! `ms` milliseconds (default 500; killed past that), and stops at the first
//! that exits 0. Exits 0 then, 1 when every try failed.

use std::time::Duration;

use crate::builtins::{options, split_at};
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::Result;

pub const USAGE: &str = "with-retries [ -n numretries ] [ -t millisecs ] prog...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "n:t:")?;
    let (mut tries, mut ms) = (3, 500);
    for (o, arg) in opts {
        let n = number(arg.unwrap_or_default()).ok_or_else(crate::builtins::usage)?;
        match o {
            b'n' => tries = n,
            _ => ms = n,
        }
    }
    let prog = split_at(argv, i + 1);
    if prog.is_empty() {
        return Err(crate::builtins::usage());
    }
    // As with skarnet's timeouts, 0 means no limit.
    let limit = (ms > 0).then(|| Duration::from_millis(ms));
    for _ in 0..tries {
        if crate::chain::spawn::succeeds_within(&prog, env, limit) {
            return Ok(Step::Exit(0));
        }
    }
    Ok(Step::Exit(1))
}
