//! `s6-format-filter format [args...]`: for each line of stdin, format with
//! `%s` the line, `%0` the command's name, `%1`…`%9` the arguments and
//! `%%` a percent sign; any other `%` sequence makes the format invalid.

use super::super::s6::s6_tai64n::filter_lines;
use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub const USAGE: &str = "s6-format-filter format [ args... ]";

/// A format's pieces: literal bytes, or what to put in their place.
enum Piece {
    Text(Vec<u8>),
    Line,
    Arg(usize),
}

fn compile(format: &[u8]) -> Option<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut text = Vec::new();
    let mut i = 0;
    while i < format.len() {
        if format[i] != b'%' {
            text.push(format[i]);
            i += 1;
            continue;
        }
        let next = *format.get(i + 1)?;
        let piece = match next {
            b'%' => {
                text.push(b'%');
                None
            }
            b's' => Some(Piece::Line),
            b'0'..=b'9' => Some(Piece::Arg(usize::from(next - b'0'))),
            _ => return None,
        };
        if let Some(p) = piece {
            pieces.push(Piece::Text(std::mem::take(&mut text)));
            pieces.push(p);
        }
        i += 2;
    }
    pieces.push(Piece::Text(text));
    Some(pieces)
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let Some(format) = argv.get(1) else {
        return Err(crate::builtins::usage());
    };
    let pieces = compile(format)
        .ok_or_else(|| Error::Failed("unable to compile format: Invalid argument".to_owned()))?;
    // %0 is the command's name; %1..%9 the arguments after the format.
    let arg = |n: usize| -> &[u8] {
        match n {
            0 => &argv[0],
            n => argv.get(n + 1).map_or(&[][..], Vec::as_slice),
        }
    };
    filter_lines(|line, complete| {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        let mut out = Vec::new();
        for p in &pieces {
            match p {
                Piece::Text(t) => out.extend_from_slice(t),
                Piece::Line => out.extend_from_slice(body),
                Piece::Arg(n) => out.extend_from_slice(arg(*n)),
            }
        }
        if complete {
            out.push(b'\n');
        }
        out
    })?;
    Ok(Step::Exit(0))
}
