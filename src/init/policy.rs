//! What chainit adds to a service directory beyond s6 (s6 ignores these
//! files, so a tree stays portable): `essential`, `restart-backoff`,
//! `restart-limit`, the `health-*` files and `notify-socket`. A malformed
//! file is a warning naming the file and line, and the default is used:
//! a typo in a policy must not keep a service from starting.

use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    pub min: Duration,
    pub max: Duration,
    /// Up this long, and the next death starts a new streak.
    pub reset: Duration,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub deaths: usize,
    pub window: Duration,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Health {
    pub interval: Duration,
    pub timeout: Duration,
    pub retries: u32,
    pub start_period: Duration,
    /// `health-action` is `restart` (the default) rather than `none`.
    pub restart: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    pub essential: bool,
    pub backoff: Option<Backoff>,
    pub limit: Option<Limit>,
    pub health: Option<Health>,
    pub notify_socket: bool,
    pub watchdog: Option<Duration>,
}

impl Policy {
    /// Whether anything here asks for more than s6 does (and so for the
    /// `supervise/chainit` file that `chainit status` reads).
    pub fn any(&self) -> bool {
        *self != Policy::default()
    }
}

/// A malformed policy file: where, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub file: PathBuf,
    pub text: String,
    /// The offending line: 1-based number, byte offset and length in `text`.
    pub line: usize,
    pub at: usize,
    pub len: usize,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = self.file.file_name().unwrap_or_default().to_string_lossy();
        write!(
            f,
            "{name} line {}: {}; using the default",
            self.line, self.message
        )
    }
}

/// Reads the policy files among `has` (the directory's names).
pub fn read(dir: &Path, has: &dyn Fn(&str) -> bool) -> (Policy, Vec<Warning>) {
    let mut r = Reader {
        dir,
        warnings: Vec::new(),
    };
    let mut p = Policy {
        essential: has("essential"),
        notify_socket: has("notify-socket"),
        ..Policy::default()
    };
    if has("restart-backoff") {
        p.backoff = r
            .numbers("restart-backoff", 2, 3, "MIN MAX [RESET], in ms")
            .and_then(|n| {
                let (min, max) = (n[0], n[1]);
                if min > max {
                    r.complain(
                        "restart-backoff",
                        format!("MIN ({min}) is above MAX ({max})"),
                    );
                    return None;
                }
                Some(Backoff {
                    min: ms(min),
                    max: ms(max),
                    reset: ms(n.get(2).copied().unwrap_or(10_000)),
                })
            });
    }
    if has("restart-limit") {
        p.limit = r
            .numbers("restart-limit", 2, 2, "N WINDOW: deaths, and ms")
            .and_then(|n| {
                if n[0] == 0 || n[1] == 0 {
                    r.complain("restart-limit", "N and WINDOW must be above 0".to_owned());
                    return None;
                }
                Some(Limit {
                    deaths: n[0] as usize,
                    window: ms(n[1]),
                })
            });
    }
    if has("health-check") {
        let mut one = |name: &str, default: u64, min: u64| -> u64 {
            if !has(name) {
                return default;
            }
            match r.numbers(name, 1, 1, "one whole number") {
                Some(n) if n[0] >= min => n[0],
                Some(n) => {
                    r.complain(name, format!("{} is below the least allowed, {min}", n[0]));
                    default
                }
                None => default,
            }
        };
        let interval = one("health-interval", 10_000, 1);
        let timeout = one("health-timeout", 5_000, 1);
        let retries = one("health-retries", 3, 1);
        let start_period = one("health-start-period", 0, 0);
        let restart = match has("health-action")
            .then(|| r.word("health-action"))
            .flatten()
        {
            Some(w) if w == "none" => false,
            Some(w) if w == "restart" => true,
            Some(w) => {
                r.complain(
                    "health-action",
                    format!("{w:?} is neither `restart` nor `none`"),
                );
                true
            }
            None => true,
        };
        p.health = Some(Health {
            interval: ms(interval),
            timeout: ms(timeout),
            retries: u32::try_from(retries).unwrap_or(u32::MAX),
            start_period: ms(start_period),
            restart,
        });
    }
    if has("watchdog-usec") {
        p.watchdog = r
            .numbers("watchdog-usec", 1, 1, "microseconds")
            .filter(|n| n[0] > 0)
            .map(|n| Duration::from_micros(n[0]));
    }
    (p, r.warnings)
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

struct Reader<'a> {
    dir: &'a Path,
    warnings: Vec<Warning>,
}

/// Values above this (about 31 years in ms) are taken for typos.
const HUGE: u64 = 1 << 40;

impl Reader<'_> {
    /// The file's first non-empty line, with its number and offset.
    fn line(&mut self, name: &str) -> Option<(String, usize, usize, String)> {
        let file = self.dir.join(name);
        let text = match std::fs::read(&file) {
            Ok(t) => String::from_utf8_lossy(&t).into_owned(),
            Err(e) => {
                self.warnings.push(Warning {
                    file,
                    text: String::new(),
                    line: 1,
                    at: 0,
                    len: 0,
                    message: format!("unable to read it: {}", crate::error::describe(&e)),
                });
                return None;
            }
        };
        let mut at = 0;
        for (i, l) in text.split_inclusive('\n').enumerate() {
            let body = l.trim_end_matches('\n');
            if !body.trim().is_empty() {
                return Some((text.clone(), i + 1, at, body.to_owned()));
            }
            at += l.len();
        }
        self.warnings.push(Warning {
            file,
            line: 1,
            at: 0,
            len: text.len(),
            text,
            message: "it is empty".to_owned(),
        });
        None
    }

    /// From `least` to `most` whole numbers on the first line.
    fn numbers(&mut self, name: &str, least: usize, most: usize, form: &str) -> Option<Vec<u64>> {
        let (text, line, at, body) = self.line(name)?;
        let words: Vec<&str> = body.split_whitespace().collect();
        let parsed: Option<Vec<u64>> = words
            .iter()
            .map(|w| w.parse::<u64>().ok().filter(|&n| n <= HUGE))
            .collect();
        let message = match parsed {
            Some(n) if (least..=most).contains(&n.len()) => return Some(n),
            Some(_) => format!("expected {form}, found {} values", words.len()),
            None => format!("expected {form}: whole numbers from 0 to {HUGE}, found {body:?}"),
        };
        self.warn(name, (text, line, at, body), message);
        None
    }

    /// A warning pointing at the line `line` found.
    fn warn(&mut self, name: &str, line: (String, usize, usize, String), message: String) {
        let (text, line, at, body) = line;
        self.warnings.push(Warning {
            file: self.dir.join(name),
            text,
            line,
            at,
            len: body.len(),
            message,
        });
    }

    fn word(&mut self, name: &str) -> Option<String> {
        self.line(name)
            .map(|(_, _, _, body)| body.trim().to_owned())
    }

    /// A value that parsed but makes no sense: pointed at its first line.
    fn complain(&mut self, name: &str, message: String) {
        if let Some(line) = self.line(name) {
            self.warn(name, line, message);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn read_files(files: &[(&str, &str)]) -> (Policy, Vec<Warning>) {
        // One directory per call: the tests run in parallel.
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("chainit-policy-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (n, t) in files {
            std::fs::write(dir.join(n), t).unwrap();
        }
        let names: Vec<String> = files.iter().map(|(n, _)| n.to_string()).collect();
        let out = read(&dir, &|n| names.iter().any(|m| m == n));
        std::fs::remove_dir_all(&dir).unwrap();
        out
    }

    #[test]
    fn good_files() {
        let (p, w) = read_files(&[
            ("essential", ""),
            ("restart-backoff", "100 2000\n"),
            ("restart-limit", "5 60000\n"),
            ("health-check", "#!/bin/sh\n"),
            ("health-retries", "2\n"),
            ("health-action", "none\n"),
        ]);
        assert!(w.is_empty(), "{w:?}");
        assert!(p.essential);
        let b = p.backoff.unwrap();
        assert_eq!((b.min, b.max, b.reset), (ms(100), ms(2000), ms(10_000)));
        assert_eq!(p.limit.unwrap().deaths, 5);
        let h = p.health.unwrap();
        assert_eq!((h.retries, h.restart, h.interval), (2, false, ms(10_000)));
    }

    #[test]
    fn bad_values_warn_with_the_line_and_fall_back() {
        let (p, w) = read_files(&[
            ("restart-backoff", "\n-5 10\n"),
            ("restart-limit", "3\n"),
            ("health-check", ""),
            ("health-interval", "99999999999999999999\n"),
        ]);
        assert_eq!(p.backoff, None);
        assert_eq!(p.limit, None);
        assert_eq!(p.health.unwrap().interval, ms(10_000));
        let lines: Vec<String> = w.iter().map(ToString::to_string).collect();
        assert!(
            lines[0].starts_with("restart-backoff line 2: expected MIN MAX"),
            "{lines:?}"
        );
        assert!(
            lines[1].starts_with("restart-limit line 1: expected N WINDOW"),
            "{lines:?}"
        );
        assert!(lines[2].starts_with("health-interval line 1:"), "{lines:?}");
        assert_eq!(w.len(), 3);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod fuzz {
    /// Random contents in every policy file: a policy and warnings, never
    /// a panic, and every warning points inside its file.
    #[test]
    fn never_panics() {
        let dir = std::env::temp_dir().join(format!("chainit-policy-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let names = [
            "restart-backoff",
            "restart-limit",
            "health-check",
            "health-interval",
            "health-timeout",
            "health-retries",
            "health-start-period",
            "health-action",
            "watchdog-usec",
        ];
        let mut x: u64 = 0xdead_beef_1234_5678;
        let rounds = std::env::var("CHAINIT_FUZZ_ROUNDS")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
            .map_or(300, |r| r / 100);
        for _ in 0..rounds {
            let mut next = || {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x
            };
            for n in names {
                let len = (next() % 24) as usize;
                let text: Vec<u8> = (0..len)
                    .map(|_| b"0123456789 -\n\tnoerstax\xff"[(next() % 23) as usize])
                    .collect();
                std::fs::write(dir.join(n), text).unwrap();
            }
            let (_, warnings) = super::read(&dir, &|_| true);
            for w in warnings {
                assert!(w.at + w.len <= w.text.len(), "{w:?}");
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
