//! `s6-ftrig-listen1 [-t timeout] fifodir regexp prog...`: subscribe to
//! fifodir, spawn prog (which may now trigger the events without a race),
//! and wait until the events match regexp; print them. Exit 1 on timeout.

use super::s6_ftrig_wait::{deadline, print_fired, subscribe};
use crate::builtins::{gnu_options, options};
use crate::chain::{Env, Step};
use crate::error::{Error, Result};
use crate::s6::ftrig;

pub const USAGE: &str = "s6-ftrig-listen1 [ -t timeout ] fifodir regexp prog...";

/// The timeout message of both listeners.
pub(super) fn timed_out() -> Error {
    Error::Refused(
        1,
        "unable to get expected event: Operation timed out".into(),
    )
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let argv = gnu_options(&argv, "t:", &[("timeout", b't')])?;
    let (opts, first) = options(&argv[1..], "t:")?;
    let rest = &argv[first + 1..];
    if rest.len() < 3 {
        return Err(crate::builtins::usage());
    }
    let mut limit = None;
    for (_, arg) in opts {
        limit = deadline(arg)?;
    }
    let mut triggers = subscribe(&rest[..2])?;
    let _child = crate::chain::spawn::spawn(rest[2..].to_vec(), env)?;
    if !ftrig::wait(&mut triggers, false, limit) {
        return Err(timed_out());
    }
    print_fired(&triggers[0])?;
    Ok(Step::Exit(0))
}
