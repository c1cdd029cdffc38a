//! The parsed form of a script: a flat token list with byte spans.

/// A byte range in the script source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub offset: usize,
    pub len: usize,
}

impl Span {
    pub fn new(offset: usize, len: usize) -> Self {
        Self { offset, len }
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        (s.offset, s.len).into()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenKind {
    /// An ordinary word, after quotes and escapes are resolved.
    Word(Vec<u8>),
    /// A bare `{`.
    Open,
    /// A bare `}`.
    Close,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// A whole script whose braces are known to balance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    pub tokens: Vec<Token>,
}
