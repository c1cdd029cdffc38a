//! `s6-clock [label]`: print the time now as a TAI64N label, or set the
//! system clock to the time a label gives.

use crate::error::ErrnoText;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::builtins::execline::dollarat::write_all;
use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub const USAGE: &str = "s6-clock [ tai64nlabel ]";

/// The time a `@` + 24 hex digits label stands for.
pub fn parse_label(label: &[u8]) -> Option<SystemTime> {
    let hex = label.strip_prefix(b"@").filter(|h| h.len() == 24)?;
    let mut packed = [0u8; 12];
    for (k, pair) in hex.chunks(2).enumerate() {
        packed[k] = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    let field = u64::from_be_bytes(packed[..8].try_into().ok()?);
    let nanos = u32::from_be_bytes(packed[8..].try_into().ok()?);
    let secs = crate::s6::tai64n::unix_seconds(field)?;
    Some(UNIX_EPOCH + Duration::new(secs, nanos.min(999_999_999)))
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let Some(label) = argv.get(1) else {
        let mut out = crate::s6::tai64n::label(SystemTime::now()).into_bytes();
        out.push(b'\n');
        write_all(1, &out).map_err(|e| Error::sys("write to stdout", e))?;
        return Ok(Step::Exit(0));
    };
    let t = parse_label(label).ok_or_else(crate::builtins::usage)?;
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let ts = libc::timespec {
        tv_sec: d.as_secs() as _,
        tv_nsec: libc::c_long::from(d.subsec_nanos() as i32),
    };
    // SAFETY: clock_settime reads the timespec we pass.
    if unsafe { libc::clock_settime(libc::CLOCK_REALTIME, &ts) } < 0 {
        let e = nix::errno::Errno::last();
        return Err(Error::Failed(format!("unable to set time: {}", e.text())));
    }
    Ok(Step::Exit(0))
}
