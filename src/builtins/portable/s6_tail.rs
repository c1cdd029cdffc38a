//! `s6-tail [-c chars | -n lines | -1..9] [file]`: the last lines (default
//! 10) or bytes of stdin or of file. As s6-portable-utils' does, a last line
//! without a newline does not count as a line.

use std::io::Read;
use std::os::unix::ffi::OsStrExt;

use crate::builtins::execline::dollarat::write_all;
use crate::builtins::options;
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};

pub const USAGE: &str = "s6-tail [ -c chars | -n lines | -1..9 ] [ file ]";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "123456789n:c:")?;
    let (mut lines, mut bytes) = (Some(10u64), None);
    for (c, arg) in opts {
        let n = || arg.and_then(number).ok_or_else(crate::builtins::usage);
        match c {
            b'n' => (lines, bytes) = (Some(n()?), None),
            b'c' => (lines, bytes) = (None, Some(n()?)),
            digit => (lines, bytes) = (Some(u64::from(digit - b'0')), None),
        }
    }
    let mut input = Vec::new();
    let read = match argv.get(first + 1) {
        None => std::io::stdin().lock().read_to_end(&mut input),
        Some(file) => std::fs::File::open(std::ffi::OsStr::from_bytes(file))
            .map_err(|e| {
                Error::Failed(format!(
                    "unable to open {} for reading: {}",
                    show(file),
                    describe(&e)
                ))
            })?
            .read_to_end(&mut input),
    };
    read.map_err(|e| Error::Failed(format!("unable to read: {}", describe(&e))))?;
    let out: &[u8] = match (lines, bytes) {
        (_, Some(n)) => &input[input.len().saturating_sub(n as usize)..],
        (Some(n), None) => {
            // Complete lines only: an unterminated tail is left out.
            let end = input.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let complete = &input[..end];
            let mut start = end;
            let mut seen = 0;
            while start > 0 && seen < n {
                start = complete[..start - 1]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
                seen += 1;
            }
            &complete[start..]
        }
        (None, None) => &[],
    };
    write_all(1, out).map_err(|e| Error::sys("write to stdout", e))?;
    Ok(Step::Exit(0))
}
