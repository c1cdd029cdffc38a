//! `s6-ps [-H] [-w spacing] [-W wchanfile] [-l | -o field,…]`: the
//! processes in `/proc`, one a line under a header, in pid order or (`-H`)
//! as a tree; fields and their formats as s6-linux-utils 2.6.4.1 prints
//! them.

use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;

use crate::builtins::execline::dollarat::write_all;
use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::{Error, Result};
use crate::procfs::Stat;

pub const USAGE: &str = "s6-ps [ -H ] [ -w spacing ] [ -W wchanfile ] [ -l | -o field,field... ]";

/// Every field: its name for `-o`, its header, and whether it is aligned
/// to the right (numbers) or the left.
const FIELDS: [(&str, &str, bool); 37] = [
    ("pid", "PID", true),
    ("comm", "COMM", false),
    ("s", "STAT", false),
    ("ppid", "PPID", true),
    ("pgrp", "PGRP", true),
    ("sess", "SESSION", true),
    ("tty", "TTY", false),
    ("tpgid", "TPGID", true),
    ("minflt", "MINFLT", true),
    ("cminflt", "CMINFLT", true),
    ("majflt", "MAJFLT", true),
    ("cmajflt", "CMAJFLT", true),
    ("utime", "UTIME", false),
    ("stime", "STIME", false),
    ("cutime", "CUTIME", false),
    ("cstime", "CSTIME", false),
    ("prio", "PRIO", true),
    ("nice", "NICE", true),
    ("thcount", "THREADS", true),
    ("start", "START", false),
    ("vsize", "VSZ", true),
    ("rss", "RSS", true),
    ("rsslimit", "RSSLIM", true),
    ("psr", "CPU", true),
    ("rtprio", "RTPRIO", true),
    ("policy", "RTPOLICY", false),
    ("user", "USER", false),
    ("group", "GROUP", false),
    ("pmem", "%MEM", true),
    ("wchan", "WCHAN", false),
    ("args", "COMMAND", false),
    ("env", "ENVIRONMENT", false),
    ("pcpu", "%CPU", true),
    ("ttime", "TTIME", false),
    ("cttime", "CTTIME", false),
    ("tstart", "TSTART", false),
    ("cpcpu", "C%CPU", true),
];

const DEFAULT: &[&str] = &["user", "pid", "tty", "s", "start", "args"];
const LONG: &[&str] = &[
    "user", "pid", "cpcpu", "pmem", "vsize", "rss", "tty", "s", "start", "cttime", "args",
];

fn field(name: &str) -> usize {
    FIELDS.iter().position(|f| f.0 == name).unwrap_or(0)
}

/// `-o a,b,c`: each a known field, none twice.
fn field_list(arg: &[u8]) -> Result<Vec<usize>> {
    let mut out: Vec<usize> = Vec::new();
    for name in arg.split(|&c| c == b',') {
        if name.is_empty() {
            return Err(Error::Invalid("invalid (empty) field for -o option".into()));
        }
        let text = String::from_utf8_lossy(name);
        let Some(k) = FIELDS.iter().position(|f| f.0.as_bytes() == name) else {
            return Err(Error::Invalid(format!(
                "invalid field for -o option: {text}"
            )));
        };
        if out.contains(&k) {
            return Err(Error::Invalid(format!(
                "duplicate field for -o option: {text}"
            )));
        }
        out.push(k);
    }
    Ok(out)
}

/// One process as read from `/proc/<pid>`.
struct Proc {
    stat: Stat,
    /// Owner of `/proc/<pid>`: the process's effective ids.
    uid: u32,
    gid: u32,
    cmdline: Vec<u8>,
    environ: Vec<u8>,
    /// Depth in the `-H` tree.
    height: usize,
}

/// Reads one process; `None` if it went away meanwhile.
fn read_proc(pid: u32, env: bool) -> Option<Proc> {
    let dir = format!("/proc/{pid}");
    let meta = std::fs::metadata(&dir).ok()?;
    let stat = Stat::parse(&std::fs::read(format!("{dir}/stat")).ok()?)?;
    let mut cmdline = std::fs::read(format!("{dir}/cmdline")).ok()?;
    while cmdline.last() == Some(&0) {
        cmdline.pop();
    }
    let environ = if env {
        std::fs::read(format!("{dir}/environ")).unwrap_or_default()
    } else {
        Vec::new()
    };
    Some(Proc {
        stat,
        uid: meta.uid(),
        gid: meta.gid(),
        cmdline,
        environ,
        height: 0,
    })
}

/// The `-H` order: from each root, a process then its children by pid.
/// Roots are the processes whose parent is not listed (pid 1 last of
/// them); pid 1's children are not indented, as in the original.
fn tree_order(procs: &mut [Proc]) -> Vec<usize> {
    let by_pid: HashMap<i64, usize> = procs
        .iter()
        .enumerate()
        .map(|(k, p)| (i64::from(p.stat.pid), k))
        .collect();
    let mut children: HashMap<Option<usize>, Vec<usize>> = HashMap::new();
    // procs is in pid order, so every child list is too.
    for (k, p) in procs.iter().enumerate() {
        let parent = by_pid.get(&p.stat.ppid).copied().filter(|&q| q != k);
        children.entry(parent).or_default().push(k);
    }
    let mut roots = children.remove(&None).unwrap_or_default();
    if roots.first().is_some_and(|&k| procs[k].stat.pid == 1) {
        let init = roots.remove(0);
        roots.push(init);
    }
    let mut order = Vec::with_capacity(procs.len());
    // (process, its depth counted from -1), walked depth first.
    let mut stack: Vec<(usize, i64)> = roots.into_iter().rev().map(|k| (k, 0)).collect();
    while let Some((k, mut h)) = stack.pop() {
        if procs[k].stat.pid == 1 {
            h = -1;
        }
        procs[k].height = usize::try_from(h).unwrap_or(0);
        order.push(k);
        if let Some(kids) = children.get(&Some(k)) {
            stack.extend(kids.iter().rev().map(|&c| (c, h + 1)));
        }
    }
    order
}

/// Kernel symbols for WCHAN: `ADDR TYPE NAME` lines, sorted by address.
struct SymbolMap {
    text: Vec<u8>,
    /// Where each line starts (and one past the last newline).
    lines: Vec<usize>,
}

impl SymbolMap {
    fn load(file: Option<&[u8]>) -> std::io::Result<SymbolMap> {
        let text = match file {
            Some(f) => {
                std::fs::read(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(f))?
            }
            None => {
                let release = nix::sys::utsname::uname()?
                    .release()
                    .to_string_lossy()
                    .into_owned();
                let candidates = [
                    "/proc/kallsyms".to_string(),
                    format!("/boot/System.map-{release}"),
                    "/boot/System.map".to_string(),
                ];
                let mut last = std::io::Error::from_raw_os_error(libc::ENOENT);
                let mut found = None;
                for c in candidates {
                    match std::fs::read(c) {
                        Ok(t) => {
                            found = Some(t);
                            break;
                        }
                        Err(e) => last = e,
                    }
                }
                found.ok_or(last)?
            }
        };
        Ok(SymbolMap::from_text(text))
    }

    fn from_text(text: Vec<u8>) -> SymbolMap {
        let mut lines = vec![0];
        lines.extend(
            text.iter()
                .enumerate()
                .filter(|&(_, &c)| c == b'\n')
                .map(|(k, _)| k + 1),
        );
        SymbolMap { text, lines }
    }

    /// The leading hex number of line `k` and its length.
    fn address(&self, k: usize) -> Option<(u64, usize)> {
        let s = &self.text[self.lines[k]..];
        let len = s
            .iter()
            .take(16)
            .take_while(|c| c.is_ascii_hexdigit())
            .count();
        let hex = std::str::from_utf8(&s[..len]).ok()?;
        Some((u64::from_str_radix(hex, 16).ok()?, len))
    }

    /// The symbol at `addr`, by the same bisection as the original.
    fn name(&self, addr: u64) -> Option<&[u8]> {
        let (mut low, mut high) = (0, self.lines.len());
        let (k, len) = loop {
            let mid = (low + high) / 2;
            let (at, len) = self.address(mid)?;
            if at == addr {
                break (mid, len);
            }
            if mid == low {
                return None;
            }
            if addr < at {
                high = mid;
            } else {
                low = mid;
            }
        };
        let end = self
            .lines
            .get(k + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let from = (self.lines[k] + len + 3).min(end);
        Some(&self.text[from..end])
    }
}

/// A TAI time in nanoseconds (TAI = the Unix clock + 37 s nowadays, as
/// skalibs keeps it).
type Tai = i128;
const NANO: i128 = 1_000_000_000;

/// What every line's fields are computed against.
struct Context {
    hz: u64,
    page: u64,
    total_mem: u64,
    now: Tai,
    boot: Tai,
    today: libc::tm,
    users: HashMap<u32, Vec<u8>>,
    groups: HashMap<u32, Vec<u8>>,
    ttys: HashMap<u64, Vec<u8>>,
    symbols: Option<SymbolMap>,
}

fn sysconf(name: libc::c_int, fallback: u64, what: &str) -> u64 {
    // SAFETY: sysconf only reads its argument.
    let v = unsafe { libc::sysconf(name) };
    if v < 1 {
        eprintln!("s6-ps: warning: invalid {what} value ({v}), using {fallback}");
        return fallback;
    }
    v as u64
}

impl Context {
    /// Clock ticks as a duration, as skalibs builds it from ticks and hz.
    fn ticks(&self, t: u64) -> Tai {
        let hz = self.hz.max(1);
        i128::from(t / hz) * NANO + i128::from((t % hz) * (1_000_000_000 / hz))
    }

    fn local(&self, tai: Tai) -> Option<libc::tm> {
        let secs = u64::try_from(tai.div_euclid(NANO)).ok()?;
        let unix = crate::s6::tai64n::unix_seconds((1 << 62) + secs)? as i64;
        // SAFETY: tm is plain data; localtime_r only reads unix and fills tm.
        let mut tm: libc::tm = unsafe { std::mem::zeroed() };
        // SAFETY: both pointers are valid for the call.
        let ok = unsafe { !libc::localtime_r(&unix, &mut tm).is_null() };
        ok.then_some(tm)
    }

    fn user(&self, uid: u32) -> Vec<u8> {
        self.users
            .get(&uid)
            .cloned()
            .unwrap_or_else(|| format!("({uid})").into_bytes())
    }

    fn group(&self, gid: u32) -> Vec<u8> {
        self.groups
            .get(&gid)
            .cloned()
            .unwrap_or_else(|| format!("({gid})").into_bytes())
    }

    fn tty(&mut self, dev: u64) -> Vec<u8> {
        if let Some(name) = self.ttys.get(&dev) {
            return name.clone();
        }
        let name = tty_name(dev);
        self.ttys.insert(dev, name.clone());
        name
    }

    fn wchan(&self, addr: u64) -> Vec<u8> {
        if addr == u64::MAX {
            return b"*".to_vec();
        }
        if addr == 0 {
            return b"-".to_vec();
        }
        match &self.symbols {
            Some(map) if !map.text.is_empty() => {
                map.name(addr).map_or_else(|| b"?".to_vec(), <[u8]>::to_vec)
            }
            // The original prints the address in decimal after its "0x".
            _ => format!("(0x{addr})").into_bytes(),
        }
    }

    /// Ticks the process has existed for (at least 1).
    fn lifetime(&self, start: u64) -> u64 {
        let up = self.now - self.boot;
        let hz = self.hz.max(1);
        let ticks = (up.div_euclid(NANO) as u64)
            .wrapping_mul(hz)
            .wrapping_add((up.rem_euclid(NANO) as u64) / (1_000_000_000 / hz));
        match ticks.wrapping_sub(start) {
            0 => 1,
            n => n,
        }
    }
}

/// The terminal's name under /dev, found without scanning /dev.
fn tty_name(dev: u64) -> Vec<u8> {
    let (major, minor) = (libc::major(dev), libc::minor(dev));
    let is_it = |path: &str| {
        std::fs::metadata(path).is_ok_and(|m| {
            use std::os::unix::fs::FileTypeExt;
            m.file_type().is_char_device() && m.rdev() == dev
        })
    };
    let guess = if major == 4 && minor < 64 {
        Some(format!("/dev/tty{minor}"))
    } else if (136..144).contains(&major) {
        Some(format!("/dev/pts/{}", ((major - 136) << 20) | minor))
    } else {
        None
    };
    if let Some(path) = guess.filter(|p| is_it(p)) {
        return path.as_bytes()[5..].to_vec();
    }
    let uevent = format!("/sys/dev/char/{major}:{minor}/uevent");
    if let Ok(text) = std::fs::read(uevent) {
        let name = text
            .split(|&c| c == b'\n')
            .find_map(|l| l.strip_prefix(b"DEVNAME=").filter(|n| !n.is_empty()));
        if let Some(name) = name {
            let path = format!("/dev/{}", String::from_utf8_lossy(name));
            if is_it(&path) {
                return name.to_vec();
            }
        }
    }
    format!("({major}:{minor})").into_bytes()
}

/// Clock ticks as `[Nd][HHh][MMm]SS[.hh]s`.
fn duration(ticks: u64, hz: u64) -> Vec<u8> {
    let hz = hz.max(1);
    let hundredths = (ticks % hz) * 100 / hz;
    let mut t = ticks / hz;
    let secs = t % 60;
    t /= 60;
    let mins = t % 60;
    t /= 60;
    let hours = t % 24;
    let days = t / 24;
    let mut out = String::new();
    if days > 0 {
        out.push_str(&format!("{days}d"));
    }
    if days > 0 || hours > 0 {
        out.push_str(&format!("{hours:02}h"));
    }
    if days > 0 || hours > 0 || mins > 0 {
        out.push_str(&format!("{mins:02}m"));
    }
    out.push_str(&format!("{secs:02}"));
    if days == 0 && hours == 0 && mins == 0 {
        out.push_str(&format!(".{hundredths:02}"));
    }
    out.push('s');
    out.into_bytes()
}

/// Hundredths of a percent as `P.hh` (the original keeps 32 bits of it).
fn percent(n: u64) -> Vec<u8> {
    let n = n as u32;
    format!("{}.{:02}", n / 100, n % 100).into_bytes()
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A start time: the time today, month, day and minute within the last
/// nine months or so, the date before that.
fn when(tm: &libc::tm, today: &libc::tm) -> Vec<u8> {
    let same_year = tm.tm_year == today.tm_year;
    let text = if same_year && tm.tm_yday == today.tm_yday {
        format!("{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec)
    } else if same_year
        || (tm.tm_year + 1 == today.tm_year && (today.tm_mon + 12 - tm.tm_mon) % 12 < 9)
    {
        let month = MONTHS[tm.tm_mon.clamp(0, 11) as usize];
        format!(
            "{month}{:02} {:02}:{:02}",
            tm.tm_mday, tm.tm_hour, tm.tm_min
        )
    } else {
        format!(
            "{:04}-{:02}-{:02}",
            tm.tm_year + 1900,
            tm.tm_mon + 1,
            tm.tm_mday
        )
    };
    text.into_bytes()
}

fn tai64n(tai: Tai) -> Vec<u8> {
    let secs = (1u64 << 62).wrapping_add(tai.div_euclid(NANO) as u64);
    format!("@{secs:016x}{:08x}", tai.rem_euclid(NANO) as u32).into_bytes()
}

/// Field `k` of process `p`.
fn format(k: usize, p: &Proc, cx: &mut Context) -> Result<Vec<u8>> {
    let s = &p.stat;
    let n = |v: u64| v.to_string().into_bytes();
    let signed = |v: i64| v.to_string().into_bytes();
    Ok(match FIELDS[k].0 {
        "pid" => n(u64::from(s.pid)),
        "comm" => s.comm.clone(),
        "s" => {
            let mut out = vec![s.state];
            if i64::from(s.pid) == s.session {
                out.push(b's');
            }
            if s.threads > 1 {
                out.push(b'l');
            }
            if s.tpgid > 0 && s.tpgid == s.pgrp {
                out.push(b'+');
            }
            if s.nice != 0 {
                out.push(if s.nice < 0 { b'<' } else { b'N' });
            }
            out
        }
        "ppid" => signed(s.ppid),
        "pgrp" => signed(s.pgrp),
        "sess" => signed(s.session),
        "tty" if s.tty == 0 => b"-".to_vec(),
        "tty" => cx.tty(s.tty),
        "tpgid" => signed(s.tpgid.max(-1)),
        "minflt" => n(s.minflt),
        "cminflt" => n(s.cminflt),
        "majflt" => n(s.majflt),
        "cmajflt" => n(s.cmajflt),
        "utime" => duration(s.utime, cx.hz),
        "stime" => duration(s.stime, cx.hz),
        "cutime" => duration(s.utime + s.cutime, cx.hz),
        "cstime" => duration(s.stime + s.cstime, cx.hz),
        "prio" => signed(s.priority),
        "nice" => signed(s.nice),
        "thcount" => n(s.threads),
        "start" => {
            let tm = cx
                .local(cx.boot + cx.ticks(s.start))
                .ok_or_else(|| Error::Failed("unable to format fields".into()))?;
            when(&tm, &cx.today)
        }
        "vsize" => n(s.vsize / 1024),
        "rss" => n(s.rss * (cx.page / 1024)),
        "rsslimit" => n(s.rsslim / 1024),
        "psr" => n(s.processor),
        "rtprio" => n(s.rt_priority),
        "policy" => {
            let names = ["NORMAL", "FIFO", "RR", "BATCH", "ISO", "IDLE"];
            let name = names.get((s.policy & 7) as usize).unwrap_or(&"UNKNOWN");
            name.as_bytes().to_vec()
        }
        "user" => cx.user(p.uid),
        "group" => cx.group(p.gid),
        "pmem" => {
            if cx.total_mem == 0 {
                return Err(Error::Failed("unable to format fields".into()));
            }
            percent(s.rss.wrapping_mul(cx.page).wrapping_mul(10000) / cx.total_mem)
        }
        "wchan" => cx.wchan(s.wchan),
        "args" => {
            let mut out = Vec::new();
            if p.height > 0 {
                out.resize(4 * p.height - 3, b' ');
                out.extend_from_slice(b"\\_ ");
            }
            if !p.cmdline.is_empty() {
                out.extend(p.cmdline.iter().map(|&c| if c == 0 { b' ' } else { c }));
            } else if s.state == b'Z' {
                out.extend_from_slice(&s.comm);
                out.extend_from_slice(b" <defunct>");
            } else {
                out.push(b'(');
                out.extend_from_slice(&s.comm);
                out.push(b')');
            }
            out
        }
        "env" if p.environ.is_empty() => b"*".to_vec(),
        "env" => p
            .environ
            .iter()
            .map(|&c| if c == 0 { b' ' } else { c })
            .collect(),
        "pcpu" => percent(10000u64.wrapping_mul(s.utime + s.stime) / cx.lifetime(s.start)),
        "ttime" => duration(s.utime + s.stime, cx.hz),
        "cttime" => duration(s.utime + s.stime + s.cutime + s.cstime, cx.hz),
        "tstart" => tai64n(cx.boot + cx.ticks(s.start)),
        _ => {
            let all = s.utime + s.stime + s.cutime + s.cstime;
            percent(10000u64.wrapping_mul(all) / cx.lifetime(s.start))
        }
    })
}

fn now_tai() -> Tai {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    (i128::from(d.as_secs()) + 37) * NANO + i128::from(d.subsec_nanos())
}

fn total_memory() -> u64 {
    // SAFETY: sysinfo fills the zeroed struct it is given.
    let mut si: libc::sysinfo = unsafe { std::mem::zeroed() };
    // SAFETY: si is valid for writing.
    if unsafe { libc::sysinfo(&mut si) } < 0 {
        return 0;
    }
    (si.totalram as u64).wrapping_mul(u64::from(si.mem_unit))
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, _) = options(&argv[1..], "Hlw:W:o:")?;
    let mut fields: Vec<usize> = DEFAULT.iter().map(|f| field(f)).collect();
    let (mut tree, mut spacing, mut wchan_file) = (false, 2u64, None);
    for (c, arg) in opts {
        match c {
            b'H' => tree = true,
            b'l' => fields = LONG.iter().map(|f| field(f)).collect(),
            b'w' => {
                spacing = arg
                    .and_then(crate::decimal::number)
                    .filter(|&n| n <= u64::from(u32::MAX))
                    .ok_or_else(crate::builtins::usage)?;
            }
            b'W' => wchan_file = arg,
            _ => fields = field_list(arg.unwrap_or_default())?,
        }
    }
    let spacing = spacing.clamp(1, 256) as usize;
    let wants = |name: &str| fields.contains(&field(name));

    let mut procs: Vec<Proc> = crate::procfs::pids()
        .map_err(|e| Error::sys("readdir /proc", crate::error::errno_of(&e)))?
        .into_iter()
        .filter_map(|pid| read_proc(pid, wants("env")))
        .collect();
    procs.sort_by_key(|p| p.stat.pid);
    let order = if tree {
        tree_order(&mut procs)
    } else {
        (0..procs.len()).collect()
    };

    let hz = sysconf(libc::_SC_CLK_TCK, 100, "_SC_CLK_TCK");
    let now = now_tai();
    let mut cx = Context {
        hz,
        page: 0,
        total_mem: 0,
        now,
        boot: 10 * NANO,
        today: unsafe_zeroed_tm(),
        users: HashMap::new(),
        groups: HashMap::new(),
        ttys: HashMap::new(),
        symbols: None,
    };
    if ["start", "tstart", "pcpu", "cpcpu"]
        .iter()
        .any(|f| wants(f))
    {
        let me = std::process::id();
        match procs.iter().find(|p| p.stat.pid == me) {
            Some(p) => cx.boot = now - cx.ticks(p.stat.start),
            None => eprintln!("s6-ps: warning: unable to compute boot time - using epoch"),
        }
        cx.today = cx.local(now).unwrap_or_else(unsafe_zeroed_tm);
    }
    if wants("rss") || wants("pmem") {
        cx.page = sysconf(libc::_SC_PAGESIZE, 4096, "_SC_PAGESIZE");
    }
    if wants("pmem") {
        cx.total_mem = total_memory();
    }
    if wants("user") {
        for u in crate::users::users().unwrap_or_default().into_iter().rev() {
            cx.users.insert(u.uid, u.name);
        }
    }
    if wants("group") {
        for g in crate::users::groups().unwrap_or_default().into_iter().rev() {
            cx.groups.insert(g.gid, g.name);
        }
    }
    if wants("wchan") {
        match SymbolMap::load(wchan_file) {
            Ok(map) => cx.symbols = Some(map),
            Err(e) => {
                let what = match wchan_file {
                    Some(f) => format!("init wchan file {}", String::from_utf8_lossy(f)),
                    None => "init wchan".to_string(),
                };
                eprintln!(
                    "s6-ps: warning: unable to {what}: {}",
                    crate::error::describe(&e)
                );
            }
        }
    }

    let mut cells: Vec<Vec<Vec<u8>>> = Vec::with_capacity(order.len());
    for &k in &order {
        let mut row = Vec::with_capacity(fields.len());
        for &f in &fields {
            row.push(format(f, &procs[k], &mut cx)?);
        }
        cells.push(row);
    }
    let header: Vec<Vec<u8>> = fields
        .iter()
        .map(|&f| FIELDS[f].1.as_bytes().to_vec())
        .collect();
    let widths: Vec<usize> = (0..fields.len())
        .map(|j| {
            cells
                .iter()
                .map(|row| row[j].len())
                .chain([header[j].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = Vec::new();
    for row in std::iter::once(&header).chain(cells.iter()) {
        for (j, cell) in row.iter().enumerate() {
            let pad = widths[j] - cell.len();
            let right = FIELDS[fields[j]].2;
            if right {
                out.resize(out.len() + pad, b' ');
            }
            out.extend_from_slice(cell);
            if j + 1 < row.len() {
                let gap = spacing + if right { 0 } else { pad };
                out.resize(out.len() + gap, b' ');
            }
        }
        out.push(b'\n');
    }
    write_all(1, &out).map_err(|e| Error::sys("write to stdout", e))?;
    Ok(Step::Exit(0))
}

fn unsafe_zeroed_tm() -> libc::tm {
    // SAFETY: tm is plain data, for which all zeroes is a valid value.
    unsafe { std::mem::zeroed() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_as_the_original_prints_them() {
        assert_eq!(duration(0, 100), b"00.00s");
        assert_eq!(duration(1234, 100), b"12.34s");
        assert_eq!(duration(6100, 100), b"01m01s");
        assert_eq!(duration(360_000, 100), b"01h00m00s");
        assert_eq!(duration(90_000 * 100, 100), b"1d01h00m00s");
    }

    #[test]
    fn percents_keep_two_decimals() {
        assert_eq!(percent(0), b"0.00");
        assert_eq!(percent(6685), b"66.85");
        assert_eq!(percent(5), b"0.05");
    }

    #[test]
    fn start_times_shorten_with_age() {
        let mut today = unsafe_zeroed_tm();
        (today.tm_year, today.tm_yday, today.tm_mon) = (126, 334, 11);
        let mut tm = today;
        (tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_mday) = (9, 5, 7, 1);
        assert_eq!(when(&tm, &today), b"09:05:07");
        (tm.tm_yday, tm.tm_mon) = (300, 9);
        assert_eq!(when(&tm, &today), b"Oct01 09:05");
        (tm.tm_year, tm.tm_mon) = (125, 3);
        assert_eq!(when(&tm, &today), b"Apr01 09:05");
        tm.tm_mon = 2;
        assert_eq!(when(&tm, &today), b"2025-03-01");
    }

    #[test]
    fn symbols_are_found_by_bisection() {
        let text =
            b"0000000000001000 T alpha\n0000000000002000 t beta\t[mod]\n0000000000003000 T gamma\n"
                .to_vec();
        let map = SymbolMap::from_text(text);
        assert_eq!(map.name(0x1000), Some(&b"alpha"[..]));
        assert_eq!(map.name(0x2000), Some(&b"beta\t[mod]"[..]));
        assert_eq!(map.name(0x3000), Some(&b"gamma"[..]));
        assert_eq!(map.name(0x2500), None);
    }
}
