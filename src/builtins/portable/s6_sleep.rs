//! `s6-sleep [-m] duration [prog...]`: wait `duration` seconds (ms with
//! `-m`), then run prog, or exit 0.

use std::time::Duration;

use crate::builtins::options;
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::Result;

pub const USAGE: &str = "s6-sleep [ -m ] duration prog...";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "m")?;
    let millis = !opts.is_empty();
    let n = argv
        .get(first + 1)
        .and_then(|d| number(d))
        .ok_or_else(crate::builtins::usage)?;
    // std's sleep goes on after a signal that does not kill the process.
    std::thread::sleep(if millis {
        Duration::from_millis(n)
    } else {
        Duration::from_secs(n)
    });
    let rest = argv[first + 2..].to_vec();
    Ok(if rest.is_empty() {
        Step::Exit(0)
    } else {
        Step::Next(rest)
    })
}
