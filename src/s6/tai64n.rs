//! TAI64N timestamps as skalibs writes them: 8 bytes of seconds (2^62 plus
//! TAI seconds) and 4 bytes of nanoseconds, big-endian. TAI runs 37 s ahead
//! of the Unix clock since 2017; skalibs counts those leap seconds too.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

const LABEL: u64 = 1 << 62;
const TAI_MINUS_UTC: u64 = 37;

pub fn pack(t: SystemTime) -> [u8; 12] {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let mut out = [0u8; 12];
    out[..8].copy_from_slice(&(LABEL + TAI_MINUS_UTC + d.as_secs()).to_be_bytes());
    out[8..].copy_from_slice(&d.subsec_nanos().to_be_bytes());
    out
}

pub fn unpack(b: &[u8; 12]) -> SystemTime {
    let mut secs = [0u8; 8];
    secs.copy_from_slice(&b[..8]);
    let mut nanos = [0u8; 4];
    nanos.copy_from_slice(&b[8..]);
    let secs = u64::from_be_bytes(secs).saturating_sub(LABEL + TAI_MINUS_UTC);
    // A corrupt stamp can name a time SystemTime cannot hold: the epoch
    // then, rather than a panic in `chainit status` or s6-svstat.
    UNIX_EPOCH
        .checked_add(Duration::new(
            secs,
            u32::from_be_bytes(nanos).min(999_999_999),
        ))
        .unwrap_or(UNIX_EPOCH)
}

/// The Unix times (UTC) at which a leap second had just been inserted,
/// 1972 to 2017: TAI was 10 s ahead of UTC before the first, 37 s after
/// the last.
const LEAPS: [u64; 27] = [
    78796800, 94694400, 126230400, 157766400, 189302400, 220924800, 252460800, 283996800,
    315532800, 362793600, 394329600, 425865600, 489024000, 567993600, 631152000, 662688000,
    709948800, 741484800, 773020800, 820454400, 867715200, 915148800, 1136073600, 1230768000,
    1341100800, 1435708800, 1483228800,
];

/// The Unix seconds of a label's seconds field, as skalibs converts them
/// (with the leap seconds of the time); `None` before 1970 or past 2^62.
pub fn unix_seconds(field: u64) -> Option<u64> {
    let tai = field.checked_sub(LABEL)?.checked_sub(10)?;
    let leaps = LEAPS
        .iter()
        .enumerate()
        .filter(|&(k, &at)| tai > at + k as u64)
        .count() as u64;
    tai.checked_sub(leaps)
}

/// Unix seconds and nanoseconds as `YYYY-MM-DD HH:MM:SS.nnnnnnnnn`, local
/// time (UTC with `utc`), as s6-log's `T` and s6-tai64nlocal print them.
pub fn calendar(secs: u64, nanos: u32, utc: bool) -> Option<String> {
    // time_t is 64-bit on every 64-bit Linux, glibc and musl alike.
    let t = secs as i64;
    // SAFETY: tm is plain data, for which all zeroes is a valid value.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: both functions only read `t` and fill `tm`, both valid here.
    let filled = unsafe {
        if utc {
            !libc::gmtime_r(&t, &mut tm).is_null()
        } else {
            !libc::localtime_r(&t, &mut tm).is_null()
        }
    };
    filled.then(|| {
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{nanos:09}",
            tm.tm_year + 1900,
            tm.tm_mon + 1,
            tm.tm_mday,
            tm.tm_hour,
            tm.tm_min,
            tm.tm_sec
        )
    })
}

/// `@4000000069…` as s6-log names archives and prefixes lines.
pub fn label(t: SystemTime) -> String {
    let mut s = String::with_capacity(25);
    s.push('@');
    for b in pack(t) {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_label() {
        let t = UNIX_EPOCH + Duration::new(1_796_108_246, 123_456_789);
        assert_eq!(unpack(&pack(t)), t);
        // 1796108246 + 37 = 0x6b0e6ffb
        assert_eq!(label(t), "@400000006b0e6ffb075bcd15");
    }
}
