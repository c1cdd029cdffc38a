//! `s6-tai64n`: each line of stdin, as it arrives, after a TAI64N label of
//! the moment and a space; an unfinished last line gets a newline.

use std::time::SystemTime;

use crate::builtins::execline::dollarat::write_all;
use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub const USAGE: &str = "s6-tai64n";

/// Reads stdin and writes `edit(line, complete)` for every line as soon as
/// it is whole (a filter in a logging pipeline must not hold lines back);
/// the unfinished end of the input last, with `complete` false.
pub fn filter_lines(mut edit: impl FnMut(&[u8], bool) -> Vec<u8>) -> Result<()> {
    try_filter_lines(|line, complete| Ok(edit(line, complete)))
}

/// `filter_lines` for an edit that can end the filter: the lines edited
/// before the failing one are written, then the error is returned.
pub fn try_filter_lines(edit: impl FnMut(&[u8], bool) -> Result<Vec<u8>>) -> Result<()> {
    filter_records(b"\n", edit)
}

/// `try_filter_lines` for records that end at any byte of `ends` (ucspilogd
/// takes both newlines and NULs).
pub fn filter_records(
    ends: &[u8],
    mut edit: impl FnMut(&[u8], bool) -> Result<Vec<u8>>,
) -> Result<()> {
    let mut buf = vec![0u8; 8192];
    let mut pending: Vec<u8> = Vec::new();
    loop {
        // SAFETY: reads into our own buffer, at most its size.
        let n = unsafe { libc::read(0, buf.as_mut_ptr().cast(), buf.len()) };
        if n < 0 {
            let e = nix::errno::Errno::last();
            if e == nix::errno::Errno::EINTR {
                continue;
            }
            return Err(Error::sys("read from stdin", e));
        }
        if n == 0 {
            if !pending.is_empty() {
                write_all(1, &edit(&pending, false)?)
                    .map_err(|e| Error::sys("write to stdout", e))?;
            }
            return Ok(());
        }
        pending.extend_from_slice(&buf[..n as usize]);
        let mut out = Vec::new();
        let mut failed = None;
        while let Some(end) = pending.iter().position(|b| ends.contains(b)) {
            let line: Vec<u8> = pending.drain(..=end).collect();
            match edit(&line, true) {
                Ok(done) => out.extend(done),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        write_all(1, &out).map_err(|e| Error::sys("write to stdout", e))?;
        if let Some(e) = failed {
            return Err(e);
        }
    }
}

pub fn run(_env: &mut Env, _argv: Vec<Vec<u8>>) -> Result<Step> {
    filter_lines(|line, complete| {
        let mut out = crate::s6::tai64n::label(SystemTime::now()).into_bytes();
        out.push(b' ');
        out.extend_from_slice(line);
        if !complete {
            out.push(b'\n');
        }
        out
    })?;
    Ok(Step::Exit(0))
}
