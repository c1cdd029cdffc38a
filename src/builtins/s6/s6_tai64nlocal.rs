//! `s6-tai64nlocal [-g]`: each line of stdin, as it arrives, with a leading
//! TAI64N label (as s6-log and s6-tai64n write them) turned into a
//! readable local time (UTC with `-g`): `YYYY-MM-DD HH:MM:SS.nnnnnnnnn`.

use super::s6_tai64n::filter_lines;
use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::Result;

pub const USAGE: &str = "s6-tai64nlocal [ -g ]";

/// The 12 bytes of a `@` + 24 hex digits label at the start of `line`.
fn label(line: &[u8]) -> Option<[u8; 12]> {
    let hex = line.strip_prefix(b"@")?.get(..24)?;
    let mut out = [0u8; 12];
    for (k, pair) in hex.chunks(2).enumerate() {
        let s = std::str::from_utf8(pair).ok()?;
        out[k] = u8::from_str_radix(s, 16).ok()?;
    }
    Some(out)
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, _) = options(&argv[1..], "g")?;
    let utc = !opts.is_empty();
    filter_lines(|line, _| {
        let Some(packed) = label(line) else {
            return line.to_vec();
        };
        let mut field = [0u8; 8];
        field.copy_from_slice(&packed[..8]);
        let nanos = u32::from_be_bytes([packed[8], packed[9], packed[10], packed[11]]);
        let Some(secs) = crate::s6::tai64n::unix_seconds(u64::from_be_bytes(field)) else {
            return line.to_vec();
        };
        let Some(when) = crate::s6::tai64n::calendar(secs, nanos, utc) else {
            return line.to_vec();
        };
        let mut out = when.into_bytes();
        out.extend_from_slice(&line[25..]);
        out
    })?;
    Ok(Step::Exit(0))
}
