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
    UNIX_EPOCH + Duration::new(secs, u32::from_be_bytes(nanos).min(999_999_999))
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
