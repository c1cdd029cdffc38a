//! `s6-unquote-filter [-q|-Q|-v|-w] [-d delim]`: each line of stdin
//! unquoted as s6-unquote does; a line that does not unquote is copied as it
//! is, with a warning (`-Q`, the default), silently (`-q`), with the line
//! quoted in the warning (`-v`), or is fatal, exit 100 (`-w`).

use super::super::s6::s6_tai64n::try_filter_lines;
use super::s6_unquote::unquote;
use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::ErrnoText;
use crate::error::{Error, Result, show};

pub const USAGE: &str = "s6-unquote-filter [ -q | -Q | -v | -w ] [ -d delim ]";

/// A line without its newline, and whether it had one.
struct Line<'a>(&'a [u8], bool);

#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Strictness {
    Quiet,
    Normal,
    Verbose,
    Fatal,
}

/// The line as the verbose warnings cite it: cut after 36 bytes, or
/// whole with its newline, which the original prints too (so that what
/// follows in the message goes to the next line).
fn cited(line: &Line) -> String {
    let Line(line, complete) = *line;
    if line.len() < 39 {
        let mut whole = show(line);
        if complete {
            whole.push('\n');
        }
        whole
    } else {
        format!("{}...", show(&line[..36]))
    }
}

/// Reports a line that did not unquote; under `-w` that ends the program.
fn complain(strict: Strictness, what: &str, line: &Line, verbose_join: &str) -> Result<()> {
    match strict {
        Strictness::Quiet => {}
        Strictness::Normal => eprintln!("s6-unquote-filter: warning: {what}"),
        Strictness::Verbose => {
            eprintln!(
                "s6-unquote-filter: warning: {what}{verbose_join}{}",
                cited(line)
            )
        }
        Strictness::Fatal => return Err(Error::Invalid(what.to_string())),
    }
    Ok(())
}

/// The unquoted line, or None when it is to be copied as it is.
fn one(whole: &Line, delims: &[u8], strict: Strictness) -> Result<Option<Vec<u8>>> {
    let line = whole.0;
    let mut body = line;
    if !delims.is_empty() {
        match line.split_first() {
            None => {
                if strict == Strictness::Fatal {
                    return Err(Error::Invalid("empty line".into()));
                }
                if strict != Strictness::Quiet {
                    eprintln!("s6-unquote-filter: warning: empty line");
                }
                return Ok(Some(Vec::new()));
            }
            Some((q, rest)) if delims.contains(q) => body = rest,
            Some(_) => {
                let what = "invalid starting quote character";
                complain(strict, what, whole, " in line: ")?;
                return Ok(None);
            }
        }
    }
    let (out, end) = match unquote(body, delims) {
        Ok(done) => done,
        Err(stop) => {
            let why = stop.errno().text();
            match strict {
                Strictness::Verbose => eprintln!(
                    "s6-unquote-filter: warning: unable to unquote line: {}: {why}",
                    cited(whole)
                ),
                _ => complain(strict, &format!("unable to unquote: {why}"), whole, "")?,
            }
            return Ok(None);
        }
    };
    if !delims.is_empty() {
        if end == body.len() {
            let what = "unable to unquote: no ending quote character";
            complain(strict, what, whole, " in line: ")?;
            return Ok(None);
        }
        if end + 1 < body.len() && strict >= Strictness::Verbose {
            eprintln!(
                "s6-unquote-filter: warning: found ending quote character at position {}/{}, ignoring remainder of line: {}",
                end + 1,
                body.len(),
                cited(whole)
            );
        }
    }
    Ok(Some(out))
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, _) = options(&argv[1..], "qQvwd:")?;
    let mut strict = Strictness::Normal;
    let mut delims: Vec<u8> = b"\"".to_vec();
    for (c, arg) in opts {
        match c {
            b'q' => strict = Strictness::Quiet,
            b'Q' => strict = Strictness::Normal,
            b'v' => strict = Strictness::Verbose,
            b'w' => strict = Strictness::Fatal,
            _ => delims = arg.unwrap_or_default().to_vec(),
        }
    }
    try_filter_lines(|piece, complete| {
        let line = piece.strip_suffix(b"\n").unwrap_or(piece);
        let mut out = match one(&Line(line, complete), &delims, strict)? {
            Some(done) => done,
            None => line.to_vec(),
        };
        if complete {
            out.push(b'\n');
        }
        Ok(out)
    })?;
    Ok(Step::Exit(0))
}
