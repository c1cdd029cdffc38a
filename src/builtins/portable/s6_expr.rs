//! `s6-expr expression...`: expr(1) over signed integers, without the `:`
//! operator: `|`, `&`, the comparisons, `+ -`, `* / %`, parentheses. The
//! result is printed; the exit code is 0 for a non-zero result, 1 for 0,
//! 2 for an invalid expression.

use crate::builtins::execline::dollarat::write_all;
use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub const USAGE: &str = "s6-expr expression...";

/// A recursive-descent reader over the words, loosest operators first.
struct Parser<'a> {
    words: &'a [Vec<u8>],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&[u8]> {
        self.words.get(self.at).map(Vec::as_slice)
    }

    /// Applies the operators of one level, left to right.
    fn level(
        &mut self,
        ops: &[&[u8]],
        next: fn(&mut Self) -> Option<i64>,
        apply: fn(&[u8], i64, i64) -> Option<i64>,
    ) -> Option<i64> {
        let mut left = next(self)?;
        while let Some(op) = self.peek().filter(|w| ops.contains(w)).map(<[u8]>::to_vec) {
            self.at += 1;
            let right = next(self)?;
            left = apply(&op, left, right)?;
        }
        Some(left)
    }

    fn or(&mut self) -> Option<i64> {
        self.level(&[b"|"], Self::and, |_, l, r| {
            Some(if l != 0 { l } else { r })
        })
    }
    fn and(&mut self) -> Option<i64> {
        self.level(&[b"&"], Self::compare, |_, l, r| {
            Some(if l != 0 && r != 0 { l } else { 0 })
        })
    }
    fn compare(&mut self) -> Option<i64> {
        self.level(
            &[b"=", b"!=", b"<", b"<=", b">", b">="],
            Self::sum,
            |op, l, r| {
                let t = match op {
                    b"=" => l == r,
                    b"!=" => l != r,
                    b"<" => l < r,
                    b"<=" => l <= r,
                    b">" => l > r,
                    _ => l >= r,
                };
                Some(i64::from(t))
            },
        )
    }
    fn sum(&mut self) -> Option<i64> {
        self.level(&[b"+", b"-"], Self::product, |op, l, r| {
            if op == b"+" {
                l.checked_add(r)
            } else {
                l.checked_sub(r)
            }
        })
    }
    fn product(&mut self) -> Option<i64> {
        self.level(&[b"*", b"/", b"%"], Self::atom, |op, l, r| match op {
            b"*" => l.checked_mul(r),
            b"/" => l.checked_div(r),
            _ => l.checked_rem(r),
        })
    }
    fn atom(&mut self) -> Option<i64> {
        let word = self.peek()?.to_vec();
        self.at += 1;
        if word == b"(" {
            let v = self.or()?;
            (self.peek() == Some(b")")).then(|| self.at += 1)?;
            return Some(v);
        }
        std::str::from_utf8(&word).ok()?.parse().ok()
    }
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let words = &argv[1..];
    if words.is_empty() {
        return Ok(Step::Exit(2));
    }
    let mut p = Parser { words, at: 0 };
    let value = p.or().filter(|_| p.at == words.len());
    let Some(value) = value else {
        return Err(Error::Refused(2, "invalid expression".into()));
    };
    write_all(1, format!("{value}\n").as_bytes()).map_err(|e| Error::sys("write to stdout", e))?;
    Ok(Step::Exit(i32::from(value == 0)))
}
