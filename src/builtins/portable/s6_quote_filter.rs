//! `s6-quote-filter [-u] [-d delim]`: each line of stdin quoted as
//! s6-quote quotes its argument.

use super::super::s6::s6_tai64n::filter_lines;
use super::s6_quote::{escape, quoting};
use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::Result;

pub const USAGE: &str = "s6-quote-filter [ -u ] [ -d delim ]";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, _) = options(&argv[1..], "ud:")?;
    let (surround, q) = quoting(&opts)?;
    filter_lines(|line, complete| {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        let mut out = Vec::new();
        if surround {
            out.push(q);
        }
        escape(&mut out, body, q);
        if surround {
            out.push(q);
        }
        if complete {
            out.push(b'\n');
        }
        out
    })?;
    Ok(Step::Exit(0))
}
