//! `s6-printenv [-n] [-0 | -d delim]`: the environment as `name=value`
//! records, each ended by a newline (NUL with `-0`, the first character of
//! delim with `-d`); `-n` leaves the last one unended.

use crate::builtins::execline::dollarat::write_all;
use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub const USAGE: &str = "s6-printenv [ -n ] [ -0 | -d delim ]";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, _) = options(&argv[1..], "n0d:")?;
    let (mut chomp, mut end) = (false, b'\n');
    for (c, arg) in opts {
        match c {
            b'n' => chomp = true,
            b'0' => end = 0,
            _ => end = arg.and_then(|d| d.first().copied()).unwrap_or(0),
        }
    }
    let mut out = Vec::new();
    for (name, value) in env.iter() {
        out.extend_from_slice(name);
        out.push(b'=');
        out.extend_from_slice(value);
        out.push(end);
    }
    if chomp {
        out.pop();
    }
    write_all(1, &out).map_err(|e| Error::sys("write to stdout", e))?;
    Ok(Step::Exit(0))
}
