//! `ucspilogd [-D undef] [var...]`: a syslog stream on stdin (lines ending
//! in newlines or NULs) to log lines on stdout: each line gets the values of
//! the named variables (`undef` for an unset one), each followed by `: `,
//! and its `<N>` prefix as `facility.priority: `. A TAI64N label at the
//! start stays first.

use super::s6_tai64n::filter_records;
use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::Result;
use crate::s6::syslog;

pub const USAGE: &str = "ucspilogd [ -D default ] [ var... ]";

/// `@` + 24 hex digits + space: the label s6-log or s6-tai64n put there.
const LABEL: usize = 26;

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "D:")?;
    let mut undef: &[u8] = b"<undefined>";
    for (_, arg) in &opts {
        undef = arg.unwrap_or_default();
    }
    let mut fields = Vec::new();
    for var in &argv[first + 1..] {
        fields.extend_from_slice(env.get(var).unwrap_or(undef));
        fields.extend_from_slice(b": ");
    }
    filter_records(b"\n\0", |record, _| {
        let line = match record.last() {
            Some(b'\n' | b'\0') => &record[..record.len() - 1],
            _ => record,
        };
        let mut out = Vec::with_capacity(line.len() + fields.len() + 24);
        let mut rest = line;
        let labelled = record.len() > LABEL
            && record[0] == b'@'
            && record[..LABEL].iter().position(|&b| b == b' ') == Some(LABEL - 1);
        if labelled {
            out.extend_from_slice(&line[..LABEL]);
            rest = &line[LABEL..];
        }
        out.extend_from_slice(&fields);
        if let Some((names, skip)) = syslog::names(rest) {
            out.extend_from_slice(names.as_bytes());
            rest = &rest[skip..];
        }
        out.extend_from_slice(rest);
        out.push(b'\n');
        Ok(out)
    })?;
    Ok(Step::Exit(0))
}
