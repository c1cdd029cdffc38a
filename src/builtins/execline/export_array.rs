//! `export-array [-d delim] var { values... } prog...` (execline 2.9.9):
//! put a list in one variable — as netstrings, or each value followed by
//! the first character of delim — for `importas -Ssd delim var` to split.

use crate::builtins::{options, split_at};
use crate::chain::{Env, Step, block::take_block};
use crate::error::{Error, Result, show};

pub const USAGE: &str = "export-array [ -d delim ] variable { value-list } prog...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "d:")?;
    let mut delim = None;
    for (_, arg) in opts {
        delim = arg.and_then(|d| d.first().copied());
    }
    let mut rest = split_at(argv, i + 1);
    if rest.len() < 2 {
        return Err(crate::builtins::usage());
    }
    let var = rest.remove(0);
    if var.contains(&b'=') {
        return Err(Error::Invalid(format!(
            "invalid variable name: {}",
            show(&var)
        )));
    }
    let values = take_block("export-array", &mut rest, env.strict())?;
    if values.is_empty() {
        return Err(Error::Invalid("empty block".into()));
    }
    let mut value = Vec::new();
    for v in &values {
        match delim {
            Some(d) => {
                value.extend_from_slice(v);
                value.push(d);
            }
            None => crate::subst::transform::encode_netstring(&mut value, v),
        }
    }
    env.set(var, value);
    crate::builtins::next(rest)
}
