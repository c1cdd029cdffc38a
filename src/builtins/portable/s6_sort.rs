//! `s6-sort [-b] [-c] [-f] [-r] [-u] [-0]`: the lines of stdin (records
//! ended by NUL with `-0`), sorted bytewise; `-c` only says (by its exit
//! code) whether they were sorted already.

use std::cmp::Ordering;

use crate::builtins::execline::dollarat::write_all;
use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub const USAGE: &str = "s6-sort [ -b ] [ -c ] [ -f ] [ -r ] [ -u ] [ -0 ]";

struct Order {
    blanks: bool,
    icase: bool,
    reverse: bool,
}

impl Order {
    /// As s6-sort compares: leading blanks skipped with `-b`, ASCII case
    /// folded with `-f`, then the shorter first.
    fn cmp(&self, a: &[u8], b: &[u8]) -> Ordering {
        let skip = |s: &[u8]| -> usize {
            if self.blanks {
                s.iter().take_while(|&&c| c == b' ' || c == b'\t').count()
            } else {
                0
            }
        };
        let (a, b) = (&a[skip(a)..], &b[skip(b)..]);
        let mut by_bytes = a.iter().zip(b).map(|(x, y)| {
            if self.icase {
                x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase())
            } else {
                x.cmp(y)
            }
        });
        let o = by_bytes
            .find(|o| o.is_ne())
            .unwrap_or_else(|| a.len().cmp(&b.len()));
        if self.reverse { o.reverse() } else { o }
    }
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, _) = options(&argv[1..], "bcfru0")?;
    let mut order = Order {
        blanks: false,
        icase: false,
        reverse: false,
    };
    let (mut check, mut unique, mut sep) = (false, false, b'\n');
    for (c, _) in opts {
        match c {
            b'b' => order.blanks = true,
            b'c' => check = true,
            b'f' => order.icase = true,
            b'r' => order.reverse = true,
            b'u' => unique = true,
            _ => sep = 0,
        }
    }
    let input = super::read_stdin()?;
    let body = input.strip_suffix(&[sep]).unwrap_or(&input);
    let mut lines: Vec<&[u8]> = if input.is_empty() {
        Vec::new()
    } else {
        body.split(|&b| b == sep).collect()
    };
    if check {
        let sorted = lines.windows(2).all(|w| order.cmp(w[0], w[1]).is_le());
        return Ok(Step::Exit(i32::from(!sorted)));
    }
    lines.sort_by(|a, b| order.cmp(a, b));
    if unique {
        lines.dedup_by(|a, b| order.cmp(a, b).is_eq());
    }
    let mut out = Vec::with_capacity(input.len() + 1);
    for line in lines {
        out.extend_from_slice(line);
        out.push(sep);
    }
    write_all(1, &out).map_err(|e| Error::sys("write to stdout", e))?;
    Ok(Step::Exit(0))
}
