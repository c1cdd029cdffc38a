//! Script text → argv. `parse` is the one entry point.

pub mod ast;
pub mod block;
pub mod encode;
pub mod error;
pub mod word;

pub use ast::Script;
pub use error::ParseError;

use ast::Span;
use error::Problem;

/// Parses a whole script; `name` labels diagnostics.
pub fn parse(name: &str, text: &[u8]) -> Result<Script, ParseError> {
    let tokens = block::tokens(text).map_err(|e| {
        let offset = text.len() - e.at.len();
        let problem = e.problem.unwrap_or(Problem::BadEscape);
        ParseError::new(name, text, problem, offset, e.len)
    })?;
    block::check_nesting(&tokens).map_err(|(Span { offset, len }, problem)| {
        ParseError::new(name, text, problem, offset, len)
    })?;
    Ok(Script { tokens })
}

/// Parses and encodes in one step.
pub fn parse_argv(name: &str, text: &[u8]) -> Result<Vec<Vec<u8>>, ParseError> {
    parse(name, text).map(|s| encode::encode(&s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        parse_argv("t", s.as_bytes())
            .unwrap()
            .into_iter()
            .map(|w| String::from_utf8(w).unwrap())
            .collect()
    }

    #[test]
    fn block_encoding_matches_execline() {
        assert_eq!(
            argv(r#"foreground { echo a { b "" } "}" } echo b"#),
            [
                "foreground",
                " echo",
                " a",
                "  b",
                "  ",
                " ",
                " }",
                "",
                "echo",
                "b"
            ]
        );
    }

    #[test]
    fn lexical_rules() {
        let cases: &[(&str, &[&str])] = &[
            ("echo a#b #c\necho x", &["echo", "a#b", "echo", "x"]),
            ("echo {a a} \"{\" \"}\"", &["echo", "{a", "a}", "{", "}"]),
            ("echo foo \\\nbar", &["echo", "foo", "bar"]),
            ("echo foo\\\nbar", &["echo", "foo\nbar"]),
            ("\\\n\\\nb", &["b"]),
            ("a \\", &["a"]),
            ("\\{ \\}", &["{", "}"]),
            ("#!/bin/x -P\nfoo", &["foo"]),
            ("a\rb", &["a", "b"]),
            ("\"\"x", &["x"]),
            ("", &[]),
            ("  # only a comment", &[]),
        ];
        for (src, want) in cases {
            assert_eq!(argv(src), *want, "{src:?}");
        }
    }

    #[test]
    fn errors() {
        let cases: &[(&str, &str)] = &[
            ("echo {", "chainit::parse::unmatched_open"),
            ("echo }", "chainit::parse::unmatched_close"),
            ("{ { }", "chainit::parse::unmatched_open"),
            ("echo \"abc", "chainit::parse::unterminated_quote"),
            ("echo \"\\0\"", "chainit::parse::bad_escape"),
            ("echo foo\\", "chainit::parse::trailing_backslash"),
            ("echo a\0b", "chainit::parse::nul_byte"),
        ];
        for (src, code) in cases {
            let e = parse("t", src.as_bytes()).unwrap_err();
            let got = miette::Diagnostic::code(&e).unwrap().to_string();
            assert_eq!(got, *code, "{src:?}");
        }
    }

    #[test]
    fn deep_nesting_does_not_recurse() {
        let s = "{ ".repeat(5_000) + &"} ".repeat(5_000);
        assert_eq!(parse_argv("t", s.as_bytes()).unwrap().len(), 5_000);
    }
}
