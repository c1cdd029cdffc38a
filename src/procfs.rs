//! A process's `/proc/<pid>/stat` line, read into named fields (proc(5)).

/// The fields of `/proc/<pid>/stat` that chainit uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stat {
    pub pid: u32,
    /// The command name, as the kernel keeps it (at most 15 bytes).
    pub comm: Vec<u8>,
    /// The one-letter state: R, S, D, Z, T, t, I…
    pub state: u8,
    pub ppid: i64,
    pub pgrp: i64,
    pub session: i64,
    /// The controlling terminal's device number, 0 for none.
    pub tty: u64,
    /// The terminal's foreground process group, -1 without a terminal.
    pub tpgid: i64,
    pub minflt: u64,
    pub cminflt: u64,
    pub majflt: u64,
    pub cmajflt: u64,
    /// Clock ticks spent in user and kernel mode, and by reaped children.
    pub utime: u64,
    pub stime: u64,
    pub cutime: u64,
    pub cstime: u64,
    pub priority: i64,
    pub nice: i64,
    pub threads: u64,
    /// Clock ticks after boot at which the process started.
    pub start: u64,
    /// Bytes.
    pub vsize: u64,
    /// Pages.
    pub rss: u64,
    /// Bytes.
    pub rsslim: u64,
    pub wchan: u64,
    pub processor: u64,
    pub rt_priority: u64,
    pub policy: u64,
}

/// A decimal field, with an optional leading minus.
fn signed(word: &[u8]) -> Option<i64> {
    match word.strip_prefix(b"-") {
        Some(digits) => crate::decimal::number(digits)
            .and_then(|n| i64::try_from(n).ok())
            .map(|n| -n),
        None => crate::decimal::number(word).and_then(|n| i64::try_from(n).ok()),
    }
}

impl Stat {
    /// Parses a stat line; `None` if it is not one. The command name may
    /// hold spaces and parentheses, so it ends at the last `)`.
    pub fn parse(line: &[u8]) -> Option<Stat> {
        let open = line.iter().position(|&b| b == b'(')?;
        let close = line.iter().rposition(|&b| b == b')')?;
        let pid = crate::decimal::number(line.get(..open)?.strip_suffix(b" ")?)?;
        let comm = line.get(open + 1..close)?.to_vec();
        let rest = line.get(close + 1..)?.strip_prefix(b" ")?;
        let mut words = rest
            .strip_suffix(b"\n")
            .unwrap_or(rest)
            .split(|&b| b == b' ');
        let state = *words.next()?.first()?;
        // The fields after the state, in order (index 0 is ppid).
        let fields: Vec<&[u8]> = words.collect();
        let u = |k: usize| fields.get(k).and_then(|w| crate::decimal::number(w));
        let i = |k: usize| fields.get(k).and_then(|w| signed(w));
        Some(Stat {
            pid: u32::try_from(pid).ok()?,
            comm,
            state,
            ppid: i(0)?,
            pgrp: i(1)?,
            session: i(2)?,
            tty: u(3)?,
            tpgid: i(4)?,
            minflt: u(6)?,
            cminflt: u(7)?,
            majflt: u(8)?,
            cmajflt: u(9)?,
            utime: u(10)?,
            stime: u(11)?,
            cutime: u(12)?,
            cstime: u(13)?,
            priority: i(14)?,
            nice: i(15)?,
            threads: u(16)?,
            start: u(18)?,
            vsize: u(19)?,
            rss: u(20)?,
            rsslim: u(21)?,
            wchan: u(31)?,
            processor: u(35)?,
            rt_priority: u(36)?,
            policy: u(37)?,
        })
    }

    /// Reads and parses `/proc/<pid>/stat`.
    pub fn read(pid: u32) -> Option<Stat> {
        Stat::parse(&std::fs::read(format!("/proc/{pid}/stat")).ok()?)
    }
}

/// The pids listed in `/proc`, in the order the directory gives them.
pub fn pids() -> std::io::Result<Vec<u32>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc")? {
        let name = entry?.file_name();
        if let Some(pid) =
            crate::decimal::number(name.as_encoded_bytes()).and_then(|n| u32::try_from(n).ok())
        {
            out.push(pid);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_line_whose_name_holds_spaces_and_parentheses() {
        let line = b"42 (a) b (c) S 1 42 42 34816 42 4194560 10 20 1 2 3 4 5 6 20 -5 2 0 777 8192 3 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
        let s = Stat::parse(line).unwrap();
        assert_eq!(s.pid, 42);
        assert_eq!(s.comm, b"a) b (c");
        assert_eq!(s.state, b'S');
        assert_eq!(
            (s.ppid, s.pgrp, s.session, s.tty, s.tpgid),
            (1, 42, 42, 34816, 42)
        );
        assert_eq!((s.minflt, s.cminflt, s.majflt, s.cmajflt), (10, 20, 1, 2));
        assert_eq!((s.utime, s.stime, s.cutime, s.cstime), (3, 4, 5, 6));
        assert_eq!((s.priority, s.nice, s.threads, s.start), (20, -5, 2, 777));
        assert_eq!((s.vsize, s.rss, s.rsslim), (8192, 3, u64::MAX));
        assert_eq!((s.processor, s.rt_priority, s.policy), (1, 0, 0));
    }

    #[test]
    fn refuses_what_is_not_a_stat_line() {
        assert_eq!(Stat::parse(b""), None);
        assert_eq!(Stat::parse(b"1 (x) S 0"), None);
        assert_eq!(Stat::parse(b"x (y) S 0 0 0 0 -1"), None);
    }

    #[test]
    fn reads_this_process() {
        let me = Stat::read(std::process::id()).unwrap();
        assert_eq!(me.pid, std::process::id());
        assert_eq!(me.ppid, i64::from(std::os::unix::process::parent_id()));
    }
}
