//! Decimal numbers as skarnet's programs read them: digits only, no sign,
//! no spaces.

/// Parses a non-negative decimal number.
pub fn number(s: &[u8]) -> Option<u64> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}
