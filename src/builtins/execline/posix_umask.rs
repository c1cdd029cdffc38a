//! `posix-umask [-S] [mask] [prog...]`: the POSIX `umask` utility: print the
//! mask (octal, or symbolic with -S), or set it from octal or symbolic form.

use std::io::Write;

use crate::builtins::{options, split_at};
use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub const USAGE: &str = "posix-umask [ -S ] [ mask ] [ prog... ]";

const CLASSES: [(u8, u32); 3] = [(b'u', 6), (b'g', 3), (b'o', 0)];

fn current() -> u32 {
    // SAFETY: umask cannot fail; the old value is put back at once.
    unsafe {
        let m = libc::umask(0o022);
        libc::umask(m);
        m as u32
    }
}

/// Applies a symbolic mode (`u=rwx,g-w,o=`) to the permissions `perm`
/// (the complement of the mask). `None` when malformed.
fn symbolic(mode: &[u8], mut perm: u32) -> Option<u32> {
    for clause in mode.split(|&b| b == b',') {
        let who_len = clause.iter().take_while(|b| b"ugoa".contains(b)).count();
        let mut who = 0;
        for &w in &clause[..who_len] {
            who |= match w {
                b'u' => 0o700,
                b'g' => 0o070,
                b'o' => 0o007,
                _ => 0o777,
            };
        }
        if who == 0 {
            who = 0o777;
        }
        let mut rest = &clause[who_len..];
        while let Some((&op, tail)) = rest.split_first() {
            if !b"+-=".contains(&op) {
                return None;
            }
            let n = tail.iter().take_while(|b| !b"+-=".contains(b)).count();
            let (list, next) = tail.split_at(n);
            let mut bits = 0;
            for &p in list {
                bits |= match p {
                    b'r' => 0o444,
                    b'w' => 0o222,
                    b'x' => 0o111,
                    b'X' | b's' | b't' => 0,
                    b'u' | b'g' | b'o' => {
                        let shift = CLASSES.iter().find(|(c, _)| *c == p)?.1;
                        ((perm >> shift) & 7) * 0o111
                    }
                    _ => return None,
                };
            }
            match op {
                b'+' => perm |= bits & who,
                b'-' => perm &= !(bits & who),
                // execline 2.9.3 leaves the class alone when `=` has no permissions.
                _ if list.is_empty() => {}
                _ => perm = (perm & !who) | (bits & who),
            }
            rest = next;
        }
    }
    Some(perm)
}

fn parse(mode: &[u8]) -> Option<u32> {
    if mode.first().is_some_and(u8::is_ascii_digit) {
        let s = std::str::from_utf8(mode).ok()?;
        return u32::from_str_radix(s, 8).ok().map(|m| m & 0o777);
    }
    symbolic(mode, !current() & 0o777).map(|p| !p & 0o777)
}

fn show_symbolic(mask: u32) -> String {
    let perm = !mask & 0o777;
    CLASSES
        .iter()
        .map(|(c, shift)| {
            let bits = (perm >> shift) & 7;
            let mut s = format!("{}=", *c as char);
            for (bit, ch) in [(4, 'r'), (2, 'w'), (1, 'x')] {
                if bits & bit != 0 {
                    s.push(ch);
                }
            }
            s
        })
        .collect::<Vec<_>>()
        .join(",")
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "S")?;
    let symbolic_form = !opts.is_empty();
    let mut rest = split_at(argv, i + 1);
    if rest.is_empty() {
        let mask = current();
        let text = if !symbolic_form {
            format!("{mask:04o}\n")
        } else {
            format!("{}\n", show_symbolic(mask))
        };
        let _ = std::io::stdout().write_all(text.as_bytes());
        return Ok(Step::Exit(0));
    }
    let mode = rest.remove(0);
    let Some(mask) = parse(&mode) else {
        eprintln!("posix-umask: fatal: invalid mode string");
        return Err(Error::Quiet(1));
    };
    // SAFETY: umask cannot fail and touches no memory.
    unsafe { libc::umask(mask as libc::mode_t) };
    Ok(Step::Next(rest))
}
