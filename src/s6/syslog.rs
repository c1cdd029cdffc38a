//! Syslog's `<N>` prefix read as facility and priority names, as s6-socklog
//! and ucspilogd print them: `<13>hi` becomes `user.notice: hi`. The names
//! are those of the C library s6-overlay's binaries are built with (musl),
//! where the first name listed for a value wins (`warn`, not `warning`).

const FACILITIES: [&str; 25] = [
    "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv",
    "ftp", "", "", "", "", "local0", "local1", "local2", "local3", "local4", "local5", "local6",
    "local7", "mark",
];

const PRIORITIES: [&str; 8] = [
    "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
];

/// `facility.priority: ` for a line that starts with `<N>`, and how many
/// bytes that prefix takes; None when the line does not start so.
pub fn names(line: &[u8]) -> Option<(String, usize)> {
    let rest = line.strip_prefix(b"<")?;
    let mut code: u32 = 0;
    let mut digits = 0;
    for &c in rest {
        if !c.is_ascii_digit() {
            break;
        }
        // The number stops where it would overflow, as skalibs reads it.
        match code
            .checked_mul(10)
            .and_then(|n| n.checked_add(u32::from(c - b'0')))
        {
            Some(n) => code = n,
            None => break,
        }
        digits += 1;
    }
    if digits == 0 || rest.get(digits) != Some(&b'>') {
        return None;
    }
    let facility = ((code & 0x3f8) >> 3) as usize;
    let facility = match FACILITIES.get(facility) {
        Some(name) if !name.is_empty() => name,
        _ => "unknown",
    };
    let priority = PRIORITIES[(code & 7) as usize];
    Some((format!("{facility}.{priority}: "), digits + 2))
}

#[cfg(test)]
mod tests {
    use super::names;

    #[test]
    fn codes() {
        assert_eq!(names(b"<13>hi"), Some(("user.notice: ".into(), 4)));
        assert_eq!(names(b"<0>x"), Some(("kern.emerg: ".into(), 3)));
        assert_eq!(names(b"<192>x"), Some(("mark.emerg: ".into(), 5)));
        assert_eq!(names(b"<1234>x"), Some(("unknown.crit: ".into(), 6)));
        assert_eq!(names(b"<013>x"), Some(("user.notice: ".into(), 5)));
        assert_eq!(names(b"<13"), None);
        assert_eq!(names(b"<>x"), None);
        assert_eq!(names(b"<99999999999>x"), None);
    }
}
