//! `s6-unquote [-n] [-d delim] string`: the reverse of s6-quote. The string
//! must open with one of the delim characters (`"` by default; none with an
//! empty delim); escapes are undone up to the first closing delim.

use crate::builtins::execline::dollarat::write_all;
use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::ErrnoText;
use crate::error::{Error, Result};

pub const USAGE: &str = "s6-unquote [ -n ] [ -d delim ] string";

/// Why unquoting stopped, with the index (in the text after the opening
/// delim) where it did.
pub enum Stop {
    /// A malformed `\0x` escape.
    Syntax(usize),
    /// The text ended inside an escape.
    Truncated(usize),
    /// A delim character that s6-quote could not have used.
    BadDelim,
}

impl Stop {
    pub fn errno(&self) -> nix::errno::Errno {
        match self {
            Stop::Syntax(_) => nix::errno::Errno::EPROTO,
            Stop::Truncated(_) => nix::errno::Errno::EPIPE,
            Stop::BadDelim => nix::errno::Errno::EINVAL,
        }
    }

    pub fn at(&self) -> usize {
        match self {
            Stop::Syntax(i) | Stop::Truncated(i) => *i,
            Stop::BadDelim => 0,
        }
    }
}

fn hex(c: u8) -> Option<u8> {
    // Only lowercase digits: s6-quote never writes uppercase ones.
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    }
}

/// The character a one-letter escape stands for.
fn named(c: u8) -> Option<u8> {
    Some(match c {
        b'a' => 7,
        b'b' => 8,
        b't' => 9,
        b'n' => 10,
        b'v' => 11,
        b'f' => 12,
        b'r' => 13,
        b's' => b' ',
        _ => return None,
    })
}

/// Unquotes `s` (the text after the opening delim). Returns the bytes and
/// where it stopped: the index of the closing delim, or `s.len()` when there
/// was none. Escapes of unknown letters stand for the letter itself, and a
/// `\0` not followed by `x` for a NUL.
pub fn unquote(s: &[u8], delims: &[u8]) -> std::result::Result<(Vec<u8>, usize), Stop> {
    // Delims that would clash with escape syntax are refused.
    if delims
        .iter()
        .any(|&d| d == b'\\' || hex(d).is_some() || named(d).is_some() || d == b'x')
    {
        return Err(Stop::BadDelim);
    }
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if delims.contains(&c) {
            return Ok((out, i));
        }
        i += 1;
        if c != b'\\' {
            out.push(c);
            continue;
        }
        let Some(&e) = s.get(i) else {
            return Err(Stop::Truncated(i));
        };
        i += 1;
        if e != b'0' {
            out.push(named(e).unwrap_or(e));
            continue;
        }
        if s.get(i) != Some(&b'x') {
            out.push(0);
            continue;
        }
        i += 1;
        let mut byte = 0u8;
        for _ in 0..2 {
            match s.get(i) {
                None => return Err(Stop::Truncated(i)),
                Some(&d) => match hex(d) {
                    Some(v) => byte = byte << 4 | v,
                    None => return Err(Stop::Syntax(i)),
                },
            }
            i += 1;
        }
        out.push(byte);
    }
    Ok((out, s.len()))
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "nd:")?;
    let mut newline = true;
    let mut delims: &[u8] = b"\"";
    for (c, arg) in &opts {
        match (c, arg) {
            (b'n', _) => newline = false,
            (_, Some(d)) => delims = d,
            _ => {}
        }
    }
    let Some(string) = argv.get(first + 1) else {
        return Err(crate::builtins::usage());
    };
    let mut body: &[u8] = string;
    if !delims.is_empty() {
        match body.split_first() {
            None => {
                return Err(Error::Invalid(
                    "the empty string isn't a quoted string".into(),
                ));
            }
            Some((q, rest)) if delims.contains(q) => body = rest,
            Some(_) => return Err(Error::Invalid("invalid starting quote character".into())),
        }
    }
    let quoted = !delims.is_empty() as usize;
    let (mut out, end) = unquote(body, delims).map_err(|stop| {
        Error::Refused(
            100,
            format!(
                "unable to unquote at character {}: {}",
                stop.at() + quoted,
                stop.errno().text()
            ),
        )
    })?;
    if quoted == 1 {
        if end == body.len() {
            return Err(Error::Invalid("no ending quote character".into()));
        }
        if end + 1 < body.len() {
            eprintln!(
                "s6-unquote: warning: found ending quote character at position {}/{}; ignoring remainder",
                end + 1,
                body.len()
            );
        }
    }
    if newline {
        out.push(b'\n');
    }
    write_all(1, &out).map_err(|e| Error::sys("write to stdout", e))?;
    Ok(Step::Exit(0))
}
