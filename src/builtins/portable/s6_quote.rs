//! `s6-quote [-n] [-u] [-d delim] string`: string between double quotes
//! (the first character of delim instead with `-d`; none with `-u`), with
//! that quote and `\` escaped, `\a \b \t \n \v \f \r` for those controls and
//! `\0xHH` for any other byte outside printable ASCII.

use crate::builtins::execline::dollarat::write_all;
use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub const USAGE: &str = "s6-quote [ -n ] [ -u ] [ -d delim ] string";

/// Appends `s` to `out`, escaped against the quote character `q`.
pub fn escape(out: &mut Vec<u8>, s: &[u8], q: u8) {
    for &c in s {
        let named = match c {
            7 => Some(b'a'),
            8 => Some(b'b'),
            9 => Some(b't'),
            10 => Some(b'n'),
            11 => Some(b'v'),
            12 => Some(b'f'),
            13 => Some(b'r'),
            _ => None,
        };
        match named {
            Some(n) => out.extend_from_slice(&[b'\\', n]),
            None if c == q || c == b'\\' => out.extend_from_slice(&[b'\\', c]),
            None if (32..127).contains(&c) => out.push(c),
            None => out.extend_from_slice(format!("\\0x{c:02x}").as_bytes()),
        }
    }
}

/// `s` between double quotes, escaped: one word as execlineb reads it back
/// (what generated scripts need for paths and names).
pub fn quoted(s: &[u8]) -> Vec<u8> {
    let mut out = vec![b'"'];
    escape(&mut out, s, b'"');
    out.push(b'"');
    out
}

/// `-u` and `-d`: whether to surround with quotes, and the quote
/// character (an empty delim leaves none, which only `-u` can do without).
pub fn quoting(opts: &[(u8, Option<&[u8]>)]) -> Result<(bool, u8)> {
    let (mut surround, mut q) = (true, Some(b'"'));
    for &(c, arg) in opts {
        match c {
            b'u' => surround = false,
            b'd' => q = arg.and_then(|d| d.first().copied()),
            _ => {}
        }
    }
    match (surround, q) {
        (_, Some(q)) => Ok((surround, q)),
        (false, None) => Ok((false, 0)),
        (true, None) => Err(Error::Invalid("no character to quote with!".into())),
    }
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "nud:")?;
    let newline = !opts.iter().any(|(c, _)| *c == b'n');
    let (surround, q) = quoting(&opts)?;
    let Some(string) = argv.get(first + 1) else {
        return Err(crate::builtins::usage());
    };
    let mut out = Vec::new();
    if surround {
        out.push(q);
    }
    escape(&mut out, string, q);
    if surround {
        out.push(q);
    }
    if newline {
        out.push(b'\n');
    }
    write_all(1, &out).map_err(|e| Error::sys("write to stdout", e))?;
    Ok(Step::Exit(0))
}
