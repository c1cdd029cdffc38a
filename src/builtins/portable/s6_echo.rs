//! `s6-echo [-n] [-s sep] args...`: the arguments on stdout, separated by
//! one character (a space, or the first of `sep`; NUL when `sep` is empty).

use crate::builtins::execline::dollarat::write_all;
use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub const USAGE: &str = "s6-echo [ -n ] [ -s sep ] args...";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "ns:")?;
    let (mut newline, mut sep) = (true, b' ');
    for (c, arg) in opts {
        match c {
            b'n' => newline = false,
            _ => sep = arg.and_then(|a| a.first().copied()).unwrap_or(0),
        }
    }
    let words = &argv[first + 1..];
    let mut out = words.join(&sep);
    if newline {
        out.push(b'\n');
    }
    write_all(1, &out).map_err(|e| Error::sys("write to stdout", e))?;
    Ok(Step::Exit(0))
}
