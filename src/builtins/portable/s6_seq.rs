//! `s6-seq [-w] [-s sep] [first [increment]] last`: the numbers from first
//! (default 1) to last by increment (default 1), each followed by sep
//! (default a newline; NUL when empty); `-w` pads them to one width.

use crate::builtins::execline::dollarat::write_all;
use crate::builtins::options;
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub const USAGE: &str = "s6-seq [ -w ] [ -s separator ] limits";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "ws:")?;
    let (mut wide, mut sep) = (false, b"\n".to_vec());
    for (c, arg) in opts {
        match c {
            b'w' => wide = true,
            _ => sep = arg.map_or_else(Vec::new, <[u8]>::to_vec),
        }
    }
    if sep.is_empty() {
        sep.push(0);
    }
    let limits: Option<Vec<u64>> = argv[first + 1..].iter().map(|a| number(a)).collect();
    let (start, step, last) = match limits.as_deref() {
        Some(&[last]) => (1, 1, last),
        Some(&[start, last]) => (start, 1, last),
        Some(&[start, step, last]) => (start, step, last),
        _ => return Err(crate::builtins::usage()),
    };
    let width = if wide { last.to_string().len() } else { 0 };
    let mut out = Vec::new();
    let mut n = start;
    while n <= last {
        out.extend_from_slice(format!("{n:0width$}").as_bytes());
        out.extend_from_slice(&sep);
        match n.checked_add(step.max(1)) {
            Some(next) => n = next,
            None => break,
        }
    }
    write_all(1, &out).map_err(|e| Error::sys("write to stdout", e))?;
    Ok(Step::Exit(0))
}
