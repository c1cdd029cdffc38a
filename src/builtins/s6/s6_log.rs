//! `s6-log [-d notif] [-q|-v] [-b] [-p] [-l linelimit] [--] script...`:
//! the logger, with s6-log 2.11's directives (see `s6::logger`).

use crate::builtins::options;
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::Result;
use crate::s6::logger::{self, Options};

pub const USAGE: &str =
    "s6-log [ -d notif ] [ -q | -v ] [ -b ] [ -p ] [ -l linelimit ] [ -- ] logging_script";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "d:qvbpl:")?;
    let mut o = Options {
        notify: None,
        verbosity: 1,
        protect: false,
        line_limit: 8192,
    };
    for (c, arg) in opts {
        match c {
            b'd' => {
                o.notify = Some(
                    arg.and_then(crate::chain::fd::parse)
                        .ok_or_else(crate::builtins::usage)?,
                )
            }
            b'q' => o.verbosity = o.verbosity.saturating_sub(1),
            b'v' => o.verbosity += 1,
            b'p' => o.protect = true,
            b'l' => {
                let n = arg.and_then(number).ok_or_else(crate::builtins::usage)? as usize;
                o.line_limit = if n == 0 { 0 } else { n.max(48) };
            }
            _ => {} // -b: every line is written before the next is read anyway
        }
    }
    let script = &argv[first + 1..];
    if script.is_empty() {
        return Err(crate::builtins::usage());
    }
    Ok(Step::Exit(logger::run(&o, script)))
}
