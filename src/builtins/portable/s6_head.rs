//! `s6-head [-S] [-1..9 | -n lines | -c chars] [file...]`: the first lines
//! (default 10) or bytes of stdin or of each file, with a `==> file <==`
//! header when there are several. `-S` reads no further than it needs, so
//! the rest of stdin is left for the next program.

use std::io::Read;
use std::os::unix::ffi::OsStrExt;

use crate::builtins::execline::dollarat::write_all;
use crate::builtins::options;
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};

pub const USAGE: &str = "s6-head [ -S ] [ -1..9 | -n lines | -c chars ] [ file... ]";

/// How much to keep.
#[derive(Clone, Copy)]
enum Count {
    Lines(u64),
    Bytes(u64),
}

/// The head of `input`, read a byte at a time with `safe` (nothing past it
/// is consumed), else in blocks.
fn head(input: &mut dyn Read, count: Count, safe: bool) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    let (mut lines, mut bytes) = (0u64, 0u64);
    let done = |lines: u64, bytes: u64| match count {
        Count::Lines(n) => lines >= n,
        Count::Bytes(n) => bytes >= n,
    };
    while !done(lines, bytes) {
        let n = input.read(if safe { &mut buf[..1] } else { &mut buf })?;
        if n == 0 {
            break;
        }
        for &b in &buf[..n] {
            if done(lines, bytes) {
                break;
            }
            out.push(b);
            bytes += 1;
            if b == b'\n' {
                lines += 1;
            }
        }
    }
    Ok(out)
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "S123456789n:c:")?;
    let (mut safe, mut count) = (false, Count::Lines(10));
    for (c, arg) in opts {
        let n = || arg.and_then(number).ok_or_else(crate::builtins::usage);
        match c {
            b'S' => safe = true,
            b'n' => count = Count::Lines(n()?),
            b'c' => count = Count::Bytes(n()?),
            digit => count = Count::Lines(u64::from(digit - b'0')),
        }
    }
    let files = &argv[first + 1..];
    let mut out = Vec::new();
    if files.is_empty() {
        let mut stdin = std::io::stdin().lock();
        out = head(&mut stdin, count, safe)
            .map_err(|e| Error::Failed(format!("unable to read stdin: {}", describe(&e))))?;
    }
    for (k, file) in files.iter().enumerate() {
        let mut f = std::fs::File::open(std::ffi::OsStr::from_bytes(file)).map_err(|e| {
            Error::Failed(format!(
                "unable to open {} for reading: {}",
                show(file),
                describe(&e)
            ))
        })?;
        if files.len() > 1 {
            let sep: &[u8] = if k > 0 { b"\n" } else { b"" };
            out.extend_from_slice(sep);
            out.extend_from_slice(format!("==> {} <==\n", show(file)).as_bytes());
        }
        let part = head(&mut f, count, safe).map_err(|e| {
            Error::Failed(format!("unable to read {}: {}", show(file), describe(&e)))
        })?;
        out.extend_from_slice(&part);
    }
    write_all(1, &out).map_err(|e| Error::sys("write to stdout", e))?;
    Ok(Step::Exit(0))
}
