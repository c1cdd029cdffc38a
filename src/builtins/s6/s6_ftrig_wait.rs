//! `s6-ftrig-wait [-t timeout] fifodir regexp`: subscribe to fifodir and
//! wait until the events read there match regexp; print them. Exit 99 on
//! timeout.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::builtins::{gnu_options, options};
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};
use crate::s6::ftrig::{self, Trigger};

pub const USAGE: &str = "s6-ftrig-wait [ -t timeout ] fifodir regexp";

/// `-t ms`: the deadline, none for 0.
pub(super) fn deadline(arg: Option<&[u8]>) -> Result<Option<Instant>> {
    let ms = arg
        .and_then(number)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| Error::Invalid("timeout must be an unsigned integer".into()))?;
    Ok((ms > 0).then(|| Instant::now() + Duration::from_millis(u64::from(ms))))
}

/// Subscribes to each (fifodir, regexp) pair.
pub(super) fn subscribe(pairs: &[Vec<u8>]) -> Result<Vec<Trigger>> {
    pairs
        .chunks(2)
        .map(|pair| {
            Trigger::subscribe(&PathBuf::from(show(&pair[0])), &pair[1]).map_err(|e| {
                Error::Failed(format!(
                    "unable to subscribe to {} with regexp {}: {}",
                    show(&pair[0]),
                    show(&pair[1]),
                    describe(&e)
                ))
            })
        })
        .collect()
}

/// The matched series and a newline on stdout.
pub(super) fn print_fired(t: &Trigger) -> Result<()> {
    let mut out = t.fired.clone().unwrap_or_default();
    out.push(b'\n');
    crate::builtins::execline::dollarat::write_all(1, &out)
        .map_err(|e| Error::sys("write to stdout", e))
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let argv = gnu_options(&argv, "t:", &[("timeout", b't')])?;
    let (opts, first) = options(&argv[1..], "t:")?;
    let rest = &argv[first + 1..];
    if rest.len() < 2 {
        return Err(crate::builtins::usage());
    }
    let mut limit = None;
    for (_, arg) in opts {
        limit = deadline(arg)?;
    }
    let mut triggers = subscribe(&rest[..2])?;
    if !ftrig::wait(&mut triggers, false, limit) {
        return Err(Error::Refused(
            99,
            format!(
                "unable to match regexp on {}: Operation timed out",
                show(&rest[1])
            ),
        ));
    }
    print_fired(&triggers[0])?;
    Ok(Step::Exit(0))
}
