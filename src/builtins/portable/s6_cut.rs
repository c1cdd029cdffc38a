//! `s6-cut [-b list | -c list | -f list] [-d delim] [-n] [-s] [file...]`:
//! cut(1): the selected bytes (`-b`, `-c`: characters are bytes here) or
//! fields (`-f`, split by the first character of delim, a tab by default)
//! of each line; `-s` drops lines without a delimiter under `-f`.

use std::os::unix::ffi::OsStrExt;

use crate::builtins::execline::dollarat::write_all;
use crate::builtins::options;
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};

pub const USAGE: &str =
    "s6-cut [ -b list | -c list | -f list ] [ -d delim ] [ -n ] [ -s ] [ file... ]";

/// `1,3-5,7-` as inclusive 1-based ranges (an open end is `u64::MAX`).
fn ranges(list: &[u8]) -> Option<Vec<(u64, u64)>> {
    let mut out = Vec::new();
    for part in list.split(|&b| b == b',') {
        let (a, b) = match part.iter().position(|&c| c == b'-') {
            None => {
                let n = number(part)?;
                (n, n)
            }
            Some(at) => {
                let lo = if at == 0 { 1 } else { number(&part[..at])? };
                let hi = if at + 1 == part.len() {
                    u64::MAX
                } else {
                    number(&part[at + 1..])?
                };
                (lo, hi)
            }
        };
        if a == 0 || a > b {
            return None;
        }
        out.push((a, b));
    }
    Some(out)
}

fn wanted(ranges: &[(u64, u64)], k: u64) -> bool {
    ranges.iter().any(|&(a, b)| (a..=b).contains(&k))
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "b:c:f:d:ns")?;
    let (mut list, mut fields, mut delim, mut only) = (None, false, b'\t', false);
    for (c, arg) in opts {
        let arg = arg.unwrap_or_default();
        match c {
            b'b' | b'c' | b'f' => {
                fields = c == b'f';
                list = Some(ranges(arg).ok_or_else(|| {
                    Error::Invalid(format!("invalid list argument: {}", show(arg)))
                })?);
            }
            b'd' => delim = arg.first().copied().unwrap_or(b'\t'),
            b's' => only = true,
            _ => {}
        }
    }
    let Some(list) = list else {
        return Err(crate::builtins::usage());
    };
    let files = &argv[first + 1..];
    let mut input = if files.is_empty() {
        super::read_stdin()?
    } else {
        Vec::new()
    };
    for f in files {
        let mut data = std::fs::read(std::ffi::OsStr::from_bytes(f)).map_err(|e| {
            Error::Failed(format!(
                "unable to open {} for reading: {}",
                show(f),
                describe(&e)
            ))
        })?;
        input.append(&mut data);
    }
    let mut out = Vec::new();
    let body = input.strip_suffix(b"\n").unwrap_or(&input);
    for line in body.split(|&b| b == b'\n').filter(|_| !input.is_empty()) {
        if fields {
            if !line.contains(&delim) {
                if !only {
                    out.extend_from_slice(line);
                    out.push(b'\n');
                }
                continue;
            }
            let kept: Vec<&[u8]> = line
                .split(|&b| b == delim)
                .enumerate()
                .filter(|(k, _)| wanted(&list, *k as u64 + 1))
                .map(|(_, f)| f)
                .collect();
            out.extend(kept.join(&delim));
        } else {
            out.extend(
                line.iter()
                    .enumerate()
                    .filter(|(k, _)| wanted(&list, *k as u64 + 1))
                    .map(|(_, &b)| b),
            );
        }
        out.push(b'\n');
    }
    write_all(1, &out).map_err(|e| Error::sys("write to stdout", e))?;
    Ok(Step::Exit(0))
}
