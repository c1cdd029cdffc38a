//! The script level: separators, comments, tokens, and `{` `}` nesting.

use nom::{
    Parser,
    branch::alt,
    bytes::complete::{tag, take_till, take_while1},
    combinator::{eof, value},
    multi::many0_count,
};

use super::ast::{Span, Token, TokenKind};
use super::error::Problem;
use super::word::{Input, LexError, Res, is_whitespace, word};

/// Accepts a `\` followed by a newline or the end of input, between words.
pub fn line_skip(i: Input) -> Res<()> {
    value((), (tag(&b"\\"[..]), alt((tag(&b"\n"[..]), eof)))).parse(i)
}

/// Accepts `#` to the end of the line (the newline stays).
pub fn comment(i: Input) -> Res<()> {
    value((), (tag(&b"#"[..]), take_till(|b| b == b'\n'))).parse(i)
}

/// Accepts any run of whitespace, line skips and comments.
pub fn separators(i: Input) -> Res<()> {
    value(
        (),
        many0_count(alt((
            value((), take_while1(is_whitespace)),
            line_skip,
            comment,
        ))),
    )
    .parse(i)
}

/// Accepts one word and classifies the bare braces.
pub fn token(i: Input) -> Res<(TokenKind, usize)> {
    let (rest, bytes) = word(i)?;
    let len = i.len() - rest.len();
    let kind = match &i[..len] {
        b"{" => TokenKind::Open,
        b"}" => TokenKind::Close,
        _ => TokenKind::Word(bytes),
    };
    Ok((rest, (kind, len)))
}

/// Turns the whole input into tokens; fails on the first lexical error.
pub fn tokens(text: Input) -> Result<Vec<Token>, LexError> {
    let mut out = Vec::new();
    let mut i = text;
    loop {
        i = match separators(i) {
            Ok((rest, ())) => rest,
            Err(nom::Err::Error(e) | nom::Err::Failure(e)) => return Err(e),
            Err(nom::Err::Incomplete(_)) => return Err(incomplete(i)),
        };
        match i.first() {
            None => return Ok(out),
            Some(0) => {
                return Err(LexError {
                    at: i,
                    len: 1,
                    problem: Some(Problem::NulByte),
                });
            }
            Some(_) => {}
        }
        match token(i) {
            Ok((rest, (kind, len))) => {
                out.push(Token {
                    kind,
                    span: Span::new(text.len() - i.len(), len),
                });
                i = rest;
            }
            Err(nom::Err::Error(e) | nom::Err::Failure(e)) => return Err(e),
            Err(nom::Err::Incomplete(_)) => return Err(incomplete(i)),
        }
    }
}

/// Complete parsers never ask for more input; treat it as an error anyway.
fn incomplete(i: Input) -> LexError {
    LexError {
        at: i,
        len: 1,
        problem: None,
    }
}

/// Checks that braces balance, without recursion (nesting depth is unbounded).
/// Returns the span and kind of the first mismatch.
pub fn check_nesting(tokens: &[Token]) -> Result<(), (Span, Problem)> {
    let mut open: Vec<Span> = Vec::new();
    for t in tokens {
        match t.kind {
            TokenKind::Open => open.push(t.span),
            TokenKind::Close => {
                if open.pop().is_none() {
                    return Err((t.span, Problem::UnmatchedClose));
                }
            }
            TokenKind::Word(_) => {}
        }
    }
    match open.pop() {
        Some(span) => Err((span, Problem::UnmatchedOpen)),
        None => Ok(()),
    }
}
