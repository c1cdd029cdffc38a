//! `s6-grep [-E | -F] [-i] [-c] [-n] [-q] [-v] pattern`: the lines of stdin
//! that match (a BRE; an ERE with `-E`, a plain string with `-F`); exit 0
//! when any did, 1 otherwise. As s6-portable-utils 2.3.1.2 ships it, `-c`
//! prints nothing (the count it computes is never flushed): only the exit
//! code answers.

use crate::builtins::execline::dollarat::write_all;
use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::{Error, Result};
use crate::posix::{Regex, RegexFlags};

pub const USAGE: &str = "s6-grep [ -E | -F ] [ -i ] [ -c ] [ -n ] [ -q ] [ -v ] pattern";

/// What the musl-built s6-grep of s6-overlay says for regcomp's codes.
fn musl_words(code: libc::c_int) -> &'static str {
    match code {
        libc::REG_BADPAT => "Invalid regexp",
        libc::REG_ECOLLATE => "Unknown collating element",
        libc::REG_ECTYPE => "Unknown character class name",
        libc::REG_EESCAPE => "Trailing backslash",
        libc::REG_ESUBREG => "Invalid back reference",
        libc::REG_EBRACK => "Missing ']'",
        libc::REG_EPAREN => "Missing ')'",
        libc::REG_EBRACE => "Missing '}'",
        libc::REG_BADBR => "Invalid contents of {}",
        libc::REG_ERANGE => "Invalid character range",
        libc::REG_ESPACE => "Out of memory",
        libc::REG_BADRPT => "Repetition not preceded by valid expression",
        _ => "Unknown error",
    }
}

enum Matcher {
    Fixed { needle: Vec<u8>, icase: bool },
    Regex(Regex),
}

impl Matcher {
    fn matches(&self, line: &[u8]) -> bool {
        match self {
            Matcher::Fixed { needle, .. } if needle.is_empty() => true,
            Matcher::Fixed { needle, icase } => line.windows(needle.len()).any(|w| {
                if *icase {
                    w.eq_ignore_ascii_case(needle)
                } else {
                    w == &needle[..]
                }
            }),
            Matcher::Regex(re) => re.is_match(line),
        }
    }
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "EFicnqv")?;
    let (mut extended, mut fixed, mut icase) = (false, false, false);
    let (mut count, mut number, mut quiet, mut invert) = (false, false, false, false);
    for (c, _) in opts {
        match c {
            b'E' => (extended, fixed) = (true, false),
            b'F' => (extended, fixed) = (false, true),
            b'i' => icase = true,
            b'c' => count = true,
            b'n' => number = true,
            b'q' => quiet = true,
            _ => invert = true,
        }
    }
    let Some(pattern) = argv.get(first + 1) else {
        return Err(crate::builtins::usage());
    };
    let matcher = if fixed {
        Matcher::Fixed {
            needle: pattern.clone(),
            icase,
        }
    } else {
        let flags = RegexFlags {
            basic: !extended,
            icase,
            nosub: true,
        };
        Matcher::Regex(Regex::compile(pattern, flags).map_err(|(code, _)| {
            Error::Failed(format!(
                "unable to compile regular expression: {}",
                musl_words(code)
            ))
        })?)
    };
    let input = super::read_stdin()?;
    let (mut matched, mut out) = (0usize, Vec::new());
    let body = input.strip_suffix(b"\n").unwrap_or(&input);
    if !input.is_empty() {
        for (k, line) in body.split(|&b| b == b'\n').enumerate() {
            if matcher.matches(line) == invert {
                continue;
            }
            matched += 1;
            if !quiet && !count {
                if number {
                    out.extend_from_slice(format!("{}:", k + 1).as_bytes());
                }
                out.extend_from_slice(line);
                out.push(b'\n');
            }
        }
    }
    write_all(1, &out).map_err(|e| Error::sys("write to stdout", e))?;
    Ok(Step::Exit(i32::from(matched == 0)))
}
