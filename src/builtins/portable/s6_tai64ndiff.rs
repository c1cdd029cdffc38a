//! `s6-tai64ndiff`: each line of stdin, as it arrives, with its leading
//! TAI64N label replaced by the time since the previous line's, as
//! `[ seconds.nanoseconds ]` (blank where there is no previous one).

use std::time::SystemTime;

use super::super::s6::s6_tai64n::filter_lines;
use super::s6_clock::parse_label;
use crate::chain::{Env, Step};
use crate::error::Result;

pub const USAGE: &str = "s6-tai64ndiff";

pub fn run(_env: &mut Env, _argv: Vec<Vec<u8>>) -> Result<Step> {
    let mut previous: Option<SystemTime> = None;
    filter_lines(|line, _| {
        let Some(t) = line.get(..25).and_then(parse_label) else {
            previous = None;
            return line.to_vec();
        };
        let prefix = match previous.and_then(|p| t.duration_since(p).ok()) {
            Some(d) => format!("[{:>10}.{:09} ]", d.as_secs(), d.subsec_nanos()),
            None => format!("[{:>10}.{:>9} ]", "", ""),
        };
        previous = Some(t);
        let mut out = prefix.into_bytes();
        out.extend_from_slice(&line[25..]);
        out
    })?;
    Ok(Step::Exit(0))
}
