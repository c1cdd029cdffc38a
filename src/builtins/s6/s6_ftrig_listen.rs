//! `s6-ftrig-listen [-a|-o] [-t timeout] { fifodir1 regexp1 ... } prog...`:
//! subscribe to every fifodir, spawn prog, and wait until the events on
//! each (`-a`, the default) or on one (`-o`) match its regexp. Exit 1 on
//! timeout.

use super::s6_ftrig_listen1::timed_out;
use super::s6_ftrig_wait::{deadline, subscribe};
use crate::builtins::{gnu_options, options, split_at};
use crate::chain::block::take_block;
use crate::chain::{Env, Step};
use crate::error::Result;
use crate::s6::ftrig;

pub const USAGE: &str =
    "s6-ftrig-listen [ -a | -o ] [ -t timeout ] fifodir1 regexp1 ... \"\" prog...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let argv = gnu_options(
        &argv,
        "aot:",
        &[("and", b'a'), ("or", b'o'), ("timeout", b't')],
    )?;
    let (opts, first) = options(&argv[1..], "aot:")?;
    let (mut any, mut limit) = (false, None);
    for (c, arg) in opts {
        match c {
            b'a' => any = false,
            b'o' => any = true,
            _ => limit = deadline(arg)?,
        }
    }
    let mut rest = split_at(argv, first + 1);
    if rest.len() < 4 {
        return Err(crate::builtins::usage());
    }
    let pairs = take_block("s6-ftrig-listen", &mut rest, env.strict())
        .map_err(|_| crate::builtins::usage())?;
    if pairs.is_empty() || pairs.len() % 2 == 1 || rest.is_empty() {
        return Err(crate::builtins::usage());
    }
    let mut triggers = subscribe(&pairs)?;
    let _child = crate::chain::spawn::spawn(rest, env)?;
    if !ftrig::wait(&mut triggers, any, limit) {
        return Err(timed_out());
    }
    Ok(Step::Exit(0))
}
