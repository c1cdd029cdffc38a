//! `envfile [-i|-I] file prog...`: add the `key = value` lines of file
//! (`-` = stdin) to the environment, go on. A syntax error exits 1.

use crate::builtins::{options, split_at};
use crate::chain::{Env, Step};
use crate::error::{Error, Result, show};

pub const USAGE: &str = "envfile [ -i | -I ] file prog...";

fn blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c')
}

/// A `key = value` pair read from the file.
type Pair = (Vec<u8>, Vec<u8>);

/// Parses the whole file; `Err(line)` names the first bad line.
pub fn parse(text: &[u8]) -> std::result::Result<Vec<Pair>, usize> {
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let at = |i: usize| text.get(i).copied();
    while i < text.len() {
        // Start of a line: blanks, then a comment, an empty line or a key.
        while at(i).is_some_and(blank) {
            i += 1;
        }
        match at(i) {
            None => break,
            Some(b'\n') => {
                i += 1;
                line += 1;
                continue;
            }
            Some(b'#') => {
                while at(i).is_some_and(|b| b != b'\n') {
                    i += 1;
                }
                continue;
            }
            _ => {}
        }
        let start = i;
        while at(i).is_some_and(|b| !blank(b) && !matches!(b, b'=' | b'\n' | b'\\')) {
            i += 1;
        }
        let key = text[start..i].to_vec();
        while at(i).is_some_and(blank) {
            i += 1;
        }
        if key.is_empty() || at(i) != Some(b'=') {
            return Err(line);
        }
        i += 1;
        while at(i).is_some_and(blank) {
            i += 1;
        }
        let mut value = Vec::new();
        // Length of `value` up to its last character that is not trailing blank.
        let mut kept = 0;
        loop {
            match at(i) {
                None | Some(b'\n') => break,
                Some(b'\\') => match at(i + 1) {
                    Some(b'\n') => {
                        i += 2;
                        line += 1;
                    }
                    None => i += 1,
                    _ => return Err(line),
                },
                Some(b'"') => {
                    i += 1;
                    loop {
                        match at(i) {
                            None | Some(b'\n') => return Err(line),
                            Some(b'"') => break,
                            Some(b'\\') => {
                                let (bytes, used) = escape(&text[i + 1..]).ok_or(line)?;
                                if bytes.is_none() {
                                    line += 1;
                                }
                                value.extend(bytes);
                                i += 1 + used;
                            }
                            Some(b) => {
                                value.push(b);
                                i += 1;
                            }
                        }
                    }
                    i += 1;
                    kept = value.len();
                }
                Some(b) => {
                    value.push(b);
                    if !blank(b) {
                        kept = value.len();
                    }
                    i += 1;
                }
            }
        }
        value.truncate(kept);
        if let Some(nul) = value.iter().position(|&b| b == 0) {
            value.truncate(nul);
        }
        out.push((key, value));
    }
    Ok(out)
}

/// A C escape after a backslash inside quotes: the byte it stands for
/// (`None` for an escaped newline) and how many input bytes it used.
fn escape(s: &[u8]) -> Option<(Option<u8>, usize)> {
    let c = *s.first()?;
    let digits = |radix: u32, max: usize, from: usize| {
        let run: Vec<u8> = s[from..]
            .iter()
            .take(max)
            .take_while(|b| (**b as char).is_digit(radix))
            .copied()
            .collect();
        let v = u32::from_str_radix(std::str::from_utf8(&run).ok()?, radix).ok()?;
        Some(((v & 0xff) as u8, run.len()))
    };
    Some(match c {
        b'\n' => (None, 1),
        b'a' => (Some(7), 1),
        b'b' => (Some(8), 1),
        b't' => (Some(b'\t'), 1),
        b'n' => (Some(b'\n'), 1),
        b'v' => (Some(0x0b), 1),
        b'f' => (Some(0x0c), 1),
        b'r' => (Some(b'\r'), 1),
        b'x' => {
            let (v, n) = digits(16, 2, 1)?;
            (Some(v), 1 + n)
        }
        b'0'..=b'7' => {
            let (v, n) = digits(8, 3, 0)?;
            (Some(v), n)
        }
        other => (Some(other), 1),
    })
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "iI")?;
    let loose = opts.last().is_some_and(|(o, _)| *o == b'I');
    let mut rest = split_at(argv, i + 1);
    if rest.is_empty() {
        return Err(crate::builtins::usage());
    }
    let file = rest.remove(0);
    let read = if file == b"-" {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut v).map(|_| v)
    } else {
        use std::os::unix::ffi::OsStrExt;
        std::fs::read(std::ffi::OsStr::from_bytes(&file))
    };
    let text = match read {
        Ok(t) => t,
        Err(e) if loose && e.kind() == std::io::ErrorKind::NotFound => {
            return crate::builtins::next(rest);
        }
        Err(e) => {
            return Err(Error::Failed(format!(
                "unable to read {}: {e}",
                show(&file)
            )));
        }
    };
    let pairs = parse(&text).map_err(|line| {
        eprintln!(
            "envfile: fatal: in {}: syntax error line {line}",
            show(&file)
        );
        Error::Quiet(1)
    })?;
    for (k, v) in pairs {
        env.set(k, v);
    }
    crate::builtins::next(rest)
}

#[cfg(test)]
mod fuzz {
    /// Random bytes (biased to `=`, `#`, blanks and newlines): parsed or
    /// refused with a line number within the text, never a panic.
    #[test]
    fn never_panics() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let rounds = std::env::var("CHAINIT_FUZZ_ROUNDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(30_000u64);
        for _ in 0..rounds {
            let mut next = || {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x
            };
            let len = (next() % 50) as usize;
            let text: Vec<u8> = (0..len)
                .map(|_| match next() % 4 {
                    0 => b"= #\t\n\r\\\"'"[(next() % 9) as usize],
                    _ => (next() % 256) as u8,
                })
                .collect();
            if let Err(line) = super::parse(&text) {
                let lines = text.iter().filter(|&&b| b == b'\n').count() + 1;
                assert!(line >= 1 && line <= lines, "line {line} of {lines}");
            }
        }
    }
}
