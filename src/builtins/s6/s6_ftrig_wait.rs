//! `s6-ftrig-wait [-t timeout] fifodir regexp`: subscribe to fifodir and
//! wait until the events read there match regexp; print them. Exit 99 on
//! timeout.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::builtins::options;
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};
use crate::s6::ftrig::{self, Trigger};

pub const USAGE: &str = "s6-ftrig-wait [ -t timeout ] fifodir regexp";

/// Checks the options as skalibs' GNU-style parser does, which these
/// programs use: an unknown short letter and an unknown long option are
/// fatal errors of their own; the long forms (`--timeout=ms`, and for
/// s6-ftrig-listen `--and`, `--or`) are rewritten into the short ones.
pub(super) fn long_options(
    argv: &[Vec<u8>],
    spec: &str,
    booleans: &[(&str, u8)],
) -> Result<Vec<Vec<u8>>> {
    let mut out = vec![argv[0].clone()];
    let mut i = 1;
    while i < argv.len() {
        let arg = &argv[i];
        i += 1;
        if arg == b"--" || arg.len() < 2 || arg[0] != b'-' {
            out.push(arg.clone());
            break;
        }
        if let Some(long) = arg.strip_prefix(b"--") {
            if let Some(ms) = long.strip_prefix(b"timeout=") {
                out.extend([b"-t".to_vec(), ms.to_vec()]);
            } else if let Some((_, c)) = booleans.iter().find(|(n, _)| n.as_bytes() == long) {
                out.push(vec![b'-', *c]);
            } else {
                let what = format!("unrecognized boolean option: {}", show(arg));
                return Err(Error::Invalid(what));
            }
            continue;
        }
        out.push(arg.clone());
        for (at, &c) in arg.iter().enumerate().skip(1) {
            let Some(pos) = spec.bytes().position(|s| s == c) else {
                let what = format!("unrecognized short option: {}", c as char);
                return Err(Error::Invalid(what));
            };
            if spec.as_bytes().get(pos + 1) == Some(&b':') {
                // The value is the rest of this word or the next word.
                if at + 1 == arg.len()
                    && let Some(value) = argv.get(i)
                {
                    out.push(value.clone());
                    i += 1;
                }
                break;
            }
        }
    }
    out.extend(argv[i..].iter().cloned());
    Ok(out)
}

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
    let argv = long_options(&argv, "t:", &[])?;
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
