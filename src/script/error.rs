//! Parse errors: each a miette diagnostic with a stable code, a label and a hint.

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// What went wrong, and where; the source text is attached by `ParseError::new`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    UnmatchedOpen,
    UnmatchedClose,
    UnterminatedQuote,
    BadEscape,
    TrailingBackslash,
    NulByte,
}

#[derive(Debug, Error, Diagnostic)]
pub enum ParseError {
    #[error("unmatched {{")]
    #[diagnostic(
        code(chainit::parse::unmatched_open),
        help("every `{{` that opens a block needs a `}}` on its own as a word")
    )]
    UnmatchedOpen {
        #[source_code]
        src: NamedSource<String>,
        #[label("this block is never closed")]
        at: SourceSpan,
    },
    #[error("unmatched }}")]
    #[diagnostic(
        code(chainit::parse::unmatched_close),
        help("remove it, or quote it (\"}}\") to pass a literal brace")
    )]
    UnmatchedClose {
        #[source_code]
        src: NamedSource<String>,
        #[label("no block is open here")]
        at: SourceSpan,
    },
    #[error("unterminated quoted string")]
    #[diagnostic(
        code(chainit::parse::unterminated_quote),
        help("close the string with `\"`; write `\\\"` for a literal quote")
    )]
    UnterminatedQuote {
        #[source_code]
        src: NamedSource<String>,
        #[label("this quote is never closed")]
        at: SourceSpan,
    },
    #[error("invalid escape sequence")]
    #[diagnostic(
        code(chainit::parse::bad_escape),
        help(
            "use \\0xHH (hex), \\0ooo (octal, at most 377) or \\ddd (decimal, 1 to 255); a NUL byte cannot be written"
        )
    )]
    BadEscape {
        #[source_code]
        src: NamedSource<String>,
        #[label("not a valid escape")]
        at: SourceSpan,
    },
    #[error("backslash at end of input inside a word")]
    #[diagnostic(
        code(chainit::parse::trailing_backslash),
        help("remove the backslash, or add what it should escape")
    )]
    TrailingBackslash {
        #[source_code]
        src: NamedSource<String>,
        #[label("nothing follows this backslash")]
        at: SourceSpan,
    },
    #[error("NUL byte in script")]
    #[diagnostic(
        code(chainit::parse::nul_byte),
        help("execline scripts cannot contain NUL; write it in data files instead")
    )]
    NulByte {
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        at: SourceSpan,
    },
}

impl ParseError {
    pub fn new(name: &str, text: &[u8], problem: Problem, offset: usize, len: usize) -> Self {
        let src = NamedSource::new(name, same_length_text(text));
        let at: SourceSpan = (offset, len).into();
        match problem {
            Problem::UnmatchedOpen => Self::UnmatchedOpen { src, at },
            Problem::UnmatchedClose => Self::UnmatchedClose { src, at },
            Problem::UnterminatedQuote => Self::UnterminatedQuote { src, at },
            Problem::BadEscape => Self::BadEscape { src, at },
            Problem::TrailingBackslash => Self::TrailingBackslash { src, at },
            Problem::NulByte => Self::NulByte { src, at },
        }
    }
}

/// The script as text for display, each invalid UTF-8 byte shown as `?`
/// so that byte offsets stay valid.
fn same_length_text(text: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for chunk in text.utf8_chunks() {
        out.push_str(chunk.valid());
        out.extend(std::iter::repeat_n('?', chunk.invalid().len()));
    }
    out
}
