//! A service directory read into a definition: the files s6-supervise
//! consults (`run`, `finish`, `down`, `notification-fd`, `lock-fd`, `timeout-kill`,
//! `timeout-finish`, `down-signal`, `max-death-tally`) and its `log/`.
//! Unlike s6, a malformed file is an error naming the file, not a warning.
//! chainit's own policy files are read by `policy`.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceDef {
    pub notification_fd: Option<i32>,
    /// `lock-fd`: the fd on which `run` holds the service's lock.
    pub lock_fd: Option<i32>,
    pub timeout_kill_ms: u64,
    pub timeout_finish_ms: u64,
    pub down_signal: i32,
    pub max_death_tally: usize,
    pub has_finish: bool,
    pub starts_down: bool,
    /// chainit's own files (`essential`, `restart-*`, `health-*`, …).
    pub policy: super::policy::Policy,
    /// Malformed policy files: reported, and their defaults used.
    pub warnings: Vec<super::policy::Warning>,
}

/// The names in a service directory, listed once so that absent optional
/// files cost nothing (no failing open per file).
struct Listing(std::collections::HashSet<std::ffi::OsString>);

impl Listing {
    fn of(dir: &Path) -> Self {
        let names = std::fs::read_dir(dir)
            .map(|d| d.flatten().map(|e| e.file_name()).collect())
            .unwrap_or_default();
        Listing(names)
    }

    fn has(&self, name: &str) -> bool {
        self.0.contains(std::ffi::OsStr::new(name))
    }
}

/// The first line of `dir/name`, trimmed; `None` when the file is absent.
fn first_line(dir: &Path, name: &str, listed: &Listing) -> Result<Option<String>, String> {
    if !listed.has(name) {
        return Ok(None);
    }
    match std::fs::read(dir.join(name)) {
        Ok(data) => {
            let line = data.split(|&b| b == b'\n').next().unwrap_or_default();
            Ok(Some(String::from_utf8_lossy(line).trim().to_owned()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!(
            "unable to read {name}: {}",
            crate::error::describe(&e)
        )),
    }
}

fn number(dir: &Path, listed: &Listing, name: &str, default: u64, max: u64) -> Result<u64, String> {
    match first_line(dir, name, listed)? {
        None => Ok(default),
        Some(text) => text
            .parse::<u64>()
            .ok()
            .filter(|&n| n <= max)
            .ok_or_else(|| format!("{name}: {text:?} is not a whole number from 0 to {max}")),
    }
}

/// Whether `path` is an executable regular file.
pub fn executable(path: &Path) -> Result<(), &'static str> {
    match std::fs::metadata(path) {
        Err(_) => Err("is missing"),
        Ok(m) if !m.is_file() => Err("is not a regular file"),
        Ok(m) if m.permissions().mode() & 0o111 == 0 => Err("is not executable"),
        Ok(_) => Ok(()),
    }
}

/// Whether `path` is a regular file (executable or not).
fn regular_file(path: &Path) -> Result<(), &'static str> {
    match std::fs::metadata(path) {
        Err(_) => Err("is missing"),
        Ok(m) if !m.is_file() => Err("is not a regular file"),
        Ok(_) => Ok(()),
    }
}

impl ServiceDef {
    /// Reads `dir`; every problem found is reported, not just the first.
    pub fn read(dir: &Path) -> Result<Self, Vec<String>> {
        Self::read_checking(dir, executable)
    }

    /// Reads an s6-rc longrun's source directory: s6-rc-compile needs its
    /// `run` to be a regular file only, and installs the copy it runs 0755.
    pub fn read_source(dir: &Path) -> Result<Self, Vec<String>> {
        Self::read_checking(dir, regular_file)
    }

    fn read_checking(
        dir: &Path,
        runnable: fn(&Path) -> Result<(), &'static str>,
    ) -> Result<Self, Vec<String>> {
        let mut problems = Vec::new();
        let listed = Listing::of(dir);
        match runnable(&dir.join("run")) {
            Err(why) => problems.push(format!("run {why}")),
            Ok(()) => problems.extend(syntax_error(dir, "run")),
        }
        if listed.has("finish") {
            problems.extend(syntax_error(dir, "finish"));
        }
        let mut take = |r: Result<u64, String>, default: u64| {
            r.unwrap_or_else(|p| {
                problems.push(p);
                default
            })
        };
        // An fd number; absent means no readiness notification.
        let notification_fd = match take(
            number(dir, &listed, "notification-fd", u64::MAX, 1 << 20),
            u64::MAX,
        ) {
            u64::MAX => None,
            n => Some(n as i32),
        };
        let lock_fd = match take(number(dir, &listed, "lock-fd", u64::MAX, 1 << 20), u64::MAX) {
            u64::MAX => None,
            n => Some(n as i32),
        };
        let timeout_kill_ms = take(
            number(dir, &listed, "timeout-kill", 0, u64::from(u32::MAX)),
            0,
        );
        let timeout_finish_ms = take(
            number(dir, &listed, "timeout-finish", 5000, u64::from(u32::MAX)),
            5000,
        );
        let max_death_tally =
            take(number(dir, &listed, "max-death-tally", 100, 4096), 100) as usize;
        let down_signal = match first_line(dir, "down-signal", &listed) {
            Ok(None) => libc::SIGTERM,
            Ok(Some(text)) => super::signals::parse(&text).unwrap_or_else(|| {
                problems.push(format!("down-signal: {text:?} is not a signal"));
                libc::SIGTERM
            }),
            Err(p) => {
                problems.push(p);
                libc::SIGTERM
            }
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        let (policy, warnings) = super::policy::read(dir, &|n| listed.has(n));
        Ok(ServiceDef {
            policy,
            warnings,
            notification_fd,
            lock_fd,
            timeout_kill_ms,
            timeout_finish_ms,
            down_signal,
            max_death_tally,
            has_finish: listed.has("finish") && dir.join("finish").exists(),
            starts_down: listed.has("down"),
        })
    }
}

/// An execline script of ours (`#!` naming chainit's execlineb) that does
/// not parse: shown with its diagnostic now, and as a problem of the
/// service, rather than at each start.
fn syntax_error(dir: &Path, name: &str) -> Option<String> {
    let path = dir.join(name);
    // Read and parsed already, and unchanged since: nothing to do.
    if crate::chain::shebang::is_known(&path) {
        return None;
    }
    let text = std::fs::read(&path).ok()?;
    if crate::chain::shebang::own_command(&text)?.as_slice() != b"execlineb" {
        return None;
    }
    let e = match crate::script::parse_argv(&path.display().to_string(), &text) {
        Ok(words) => {
            crate::chain::shebang::remember(&path, &text, &words);
            return None;
        }
        Err(e) => e,
    };
    crate::diagnostic::render_syntax_error(&e);
    let offset = miette::Diagnostic::labels(&e)
        .and_then(|mut l| l.next())
        .map_or(0, |l| l.offset());
    let before = &text[..offset.min(text.len())];
    let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
    let column = before.len()
        - before
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |p| p + 1)
        + 1;
    Some(format!(
        "{name}: syntax error at line {line}, column {column}: {e}"
    ))
}

/// The service directories of a scan directory (or services.d): every
/// subdirectory or link to one whose name does not start with a dot, sorted.
pub fn list(scandir: &Path) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(scandir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            (!name.starts_with('.') && e.path().is_dir()).then(|| (name, e.path()))
        })
        .collect();
    out.sort();
    out
}
