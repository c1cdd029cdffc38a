//! Words: unquoted runs, backslash escapes, quoted strings and their escapes.
//! One function per rule of `grammar/execline.ebnf`.

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, take_while_m_n, take_while1},
    combinator::{cut, map, value},
    multi::fold_many1,
    sequence::preceded,
};

use super::error::Problem;

pub type Input<'a> = &'a [u8];

/// A lexer failure: what, and the input remaining where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError<'a> {
    pub at: Input<'a>,
    pub len: usize,
    pub problem: Option<Problem>,
}

impl<'a> nom::error::ParseError<Input<'a>> for LexError<'a> {
    fn from_error_kind(at: Input<'a>, _kind: nom::error::ErrorKind) -> Self {
        Self {
            at,
            len: 1,
            problem: None,
        }
    }
    fn append(_: Input<'a>, _: nom::error::ErrorKind, other: Self) -> Self {
        other
    }
}

pub type Res<'a, T> = IResult<Input<'a>, T, LexError<'a>>;

fn fail<'a, T>(at: Input<'a>, len: usize, problem: Problem) -> Res<'a, T> {
    Err(nom::Err::Failure(LexError {
        at,
        len,
        problem: Some(problem),
    }))
}

pub fn is_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Accepts one or more bytes that need no quoting.
pub fn plain<'a>(i: Input<'a>) -> Res<'a, &'a [u8]> {
    take_while1(|b| !is_whitespace(b) && b != b'"' && b != b'\\' && b != 0)(i)
}

/// Accepts `\` and the byte after it, which stands for itself.
pub fn escaped(i: Input) -> Res<u8> {
    let (rest, _) = tag(&b"\\"[..])(i)?;
    match rest.first() {
        None => fail(i, 1, Problem::TrailingBackslash),
        Some(0) => fail(rest, 1, Problem::NulByte),
        Some(&b) => Ok((&rest[1..], b)),
    }
}

fn digits(radix: u32, min: usize, max: usize) -> impl Fn(Input) -> Res<u32> {
    move |i| {
        map(
            take_while_m_n(min, max, move |b: u8| (b as char).is_digit(radix)),
            |d: &[u8]| {
                d.iter().fold(0, |acc, &b| {
                    acc * radix + (b as char).to_digit(radix).unwrap_or(0)
                })
            },
        )
        .parse(i)
    }
}

/// Accepts a numeric escape body: `0x` hex, `0` octal, or decimal.
fn numeric_escape(i: Input) -> Res<u32> {
    alt((
        preceded(tag(&b"0x"[..]), digits(16, 1, 2)),
        preceded(tag(&b"0"[..]), digits(8, 1, 3)),
        preceded(
            nom::combinator::peek(take_while_m_n(1, 1, |b: u8| (b'1'..=b'9').contains(&b))),
            digits(10, 1, 3),
        ),
    ))
    .parse(i)
}

fn is_numeric_escape(body: &[u8]) -> bool {
    body.first().is_some_and(u8::is_ascii_digit)
}

/// Accepts a one-letter C escape body; `None` for a newline, which vanishes.
fn letter_escape(i: Input) -> Res<Option<u8>> {
    alt((
        value(None, tag(&b"\n"[..])),
        value(Some(7), tag(&b"a"[..])),
        value(Some(8), tag(&b"b"[..])),
        value(Some(9), tag(&b"t"[..])),
        value(Some(10), tag(&b"n"[..])),
        value(Some(11), tag(&b"v"[..])),
        value(Some(12), tag(&b"f"[..])),
        value(Some(13), tag(&b"r"[..])),
    ))
    .parse(i)
}

/// Accepts what follows `\` inside quotes; `None` when it vanishes (backslash-newline).
pub fn quoted_escape(i: Input) -> Res<Option<u8>> {
    let start = i;
    let (rest, _) = tag(&b"\\"[..])(i)?;
    if let Ok((after, n)) = numeric_escape(rest) {
        let len = start.len() - after.len();
        if n == 0 || n > 255 {
            return fail(start, len, Problem::BadEscape);
        }
        return Ok((after, Some(n as u8)));
    }
    if let Ok((after, b)) = letter_escape(rest) {
        return Ok((after, b));
    }
    match rest.first() {
        None => fail(start, 1, Problem::BadEscape),
        Some(0) => fail(rest, 1, Problem::NulByte),
        // `\0` not followed by `x` or an octal digit is an error.
        Some(b'0') => fail(start, 2, Problem::BadEscape),
        Some(&b) => Ok((&rest[1..], Some(b))),
    }
}

/// Accepts a run of bytes inside quotes that needs no interpretation.
pub fn quoted_bytes<'a>(i: Input<'a>) -> Res<'a, &'a [u8]> {
    take_while1(|b| b != b'"' && b != b'\\' && b != 0)(i)
}

/// Accepts `"…"` and returns its bytes; the opening quote commits.
pub fn quoted(i: Input) -> Res<Vec<u8>> {
    let start = i;
    let (mut rest, _) = tag(&b"\""[..])(i)?;
    let mut out = Vec::new();
    loop {
        match rest.first() {
            None => return fail(start, 1, Problem::UnterminatedQuote),
            Some(b'"') => return Ok((&rest[1..], out)),
            Some(0) => return fail(rest, 1, Problem::NulByte),
            Some(b'\\') => {
                let (r, b) = cut(quoted_escape).parse(rest)?;
                out.extend(b);
                // execline quirk: input that ends right after a numeric
                // escape closes the string instead of failing.
                if r.is_empty() && is_numeric_escape(&rest[1..]) {
                    return Ok((r, out));
                }
                rest = r;
            }
            Some(_) => {
                let (r, bytes) = quoted_bytes(rest)?;
                out.extend_from_slice(bytes);
                rest = r;
            }
        }
    }
}

/// Accepts a word: quoted, escaped and plain pieces glued together.
pub fn word(i: Input) -> Res<Vec<u8>> {
    fold_many1(
        alt((
            quoted,
            map(escaped, |b| vec![b]),
            map(plain, <[u8]>::to_vec),
        )),
        Vec::new,
        |mut acc, piece| {
            acc.extend(piece);
            acc
        },
    )
    .parse(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &[u8]) -> Vec<u8> {
        let (rest, out) = word(s).unwrap();
        assert!(rest.is_empty(), "left {rest:?}");
        out
    }

    fn bad(s: &[u8]) -> Problem {
        match word(s) {
            Err(nom::Err::Failure(e)) => e.problem.unwrap(),
            other => panic!("expected failure, got {other:?}"),
        }
    }

    #[test]
    fn escapes_in_quotes() {
        let cases: &[(&[u8], &[u8])] = &[
            (br#""\x41""#, b"x41"),
            (br#""\0x41""#, b"A"),
            (br#""\101""#, b"e"),
            (br#""\0101""#, b"A"),
            (br#""\q""#, b"q"),
            (b"\"a\\\nb\"", b"ab"),
            (br#""\\""#, b"\\"),
            (br#""\"""#, b"\""),
            (br#""\0x4g""#, b"\x04g"),
            (br#""\0x414""#, b"A4"),
            (br#""\2555""#, b"\xff5"),
            (br#""\03777""#, b"\xff7"),
            (br#""\19""#, b"\x13"),
            (br#""\a\b\v\f\r\n\t""#, b"\x07\x08\x0b\x0c\r\n\t"),
            (br#"a"b c"d"#, b"ab cd"),
            (b"foo\\\nbar", b"foo\nbar"),
            (br#"\"\\"#, b"\"\\"),
            (br#""""#, b""),
        ];
        for (src, want) in cases {
            assert_eq!(w(src), *want, "{}", String::from_utf8_lossy(src));
        }
    }

    #[test]
    fn bad_escapes() {
        for src in [
            &br#""\0""#[..],
            br#""\000""#,
            br#""\0x""#,
            br#""\0x00""#,
            br#""\256""#,
            br#""\0400""#,
            br#""\09""#,
            br#""\300""#,
        ] {
            assert_eq!(
                bad(src),
                Problem::BadEscape,
                "{}",
                String::from_utf8_lossy(src)
            );
        }
        assert_eq!(bad(b"\"abc"), Problem::UnterminatedQuote);
        assert_eq!(bad(b"foo\\"), Problem::TrailingBackslash);
        assert_eq!(bad(b"\"a\0\""), Problem::NulByte);
    }
}
