//! Entry points for the coverage-guided fuzz targets (`fuzz/`) and their
//! regression tests: what the init reads from service directories and the
//! s6-rc source tree, and the supervision state machine that every control
//! byte drives. Each takes arbitrary bytes; none may panic or hang.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use super::graph::{Graph, Sources};
use super::policy::{Backoff, Limit, Policy};
use super::service::ServiceDef;
use super::supervisor::{Action, Event, Longrun};

/// The files of a service directory the init reads, in the order of the
/// NUL-separated pieces `service_dir` writes into them.
const SERVICE_FILES: &[&str] = &[
    "notification-fd",
    "lock-fd",
    "timeout-kill",
    "timeout-finish",
    "down-signal",
    "max-death-tally",
    "restart-backoff",
    "restart-limit",
    "health-interval",
    "health-timeout",
    "health-retries",
    "health-start-period",
    "health-action",
    "watchdog-usec",
    "essential",
    "notify-socket",
    "down",
    "finish",
    "health-check",
];

/// A scratch directory of this process, made once.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chainit-fuzz-{}-{name}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Writes the NUL-separated pieces of `data` into `names` under `dir`; the
/// names past the last piece are removed.
fn write_files(dir: &Path, names: &[&str], data: &[u8]) {
    let mut pieces = data.split(|&b| b == 0);
    for name in names {
        let path = dir.join(name);
        match pieces.next() {
            Some(piece) => {
                let _ = std::fs::write(&path, piece);
            }
            None => {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

/// Every service-directory file the init reads, with the contents given:
/// read as services.d (`run` executable) and as an s6-rc longrun source.
pub fn service_dir(data: &[u8]) {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("svc");
    let run = dir.join("run");
    if !run.exists() {
        let _ = std::fs::write(&run, "#!/bin/sh\nexec true\n");
        let _ = std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o755));
    }
    write_files(&dir, SERVICE_FILES, data);
    for def in [ServiceDef::read(&dir), ServiceDef::read_source(&dir)]
        .into_iter()
        .flatten()
    {
        for w in &def.warnings {
            assert!(w.at + w.len <= w.text.len(), "{w:?}");
        }
    }
}

/// The first `n` bytes of `rest` (fewer at its end), taken off it.
fn take<'a>(rest: &mut &'a [u8], n: usize) -> &'a [u8] {
    let (head, tail) = rest.split_at(n.min(rest.len()));
    *rest = tail;
    head
}

/// Names the generated s6-rc services get.
const RC_NAMES: &[&str] = &["a", "b", "c", "d", "e", "f"];

/// An s6-rc source tree made from `data`, read and resolved as at boot.
/// Per service, one control byte (whether it exists, and its dependencies
/// and contents as bit masks of the others), then NUL-separated pieces for
/// its `type`, `up`, `timeout-up`, `producer-for`, `consumer-for` and
/// `pipeline-name`; the user bundle's contents come last.
pub fn rc_tree(data: &[u8]) {
    let root = scratch("rc");
    let s6rc = root.join("s6-rc.d");
    let bundles = root.join("bundles");
    let _ = std::fs::remove_dir_all(&s6rc);
    let _ = std::fs::remove_dir_all(&bundles);
    let mut rest = data;
    for (i, name) in RC_NAMES.iter().enumerate() {
        let head = take(&mut rest, 3);
        let byte = |k: usize| head.get(k).copied().unwrap_or(0);
        if byte(0) & 1 == 0 {
            continue;
        }
        let dir = s6rc.join(name);
        let _ = std::fs::create_dir_all(&dir);
        for (mask, sub) in [(byte(1), "dependencies.d"), (byte(2), "contents.d")] {
            for (j, other) in RC_NAMES.iter().enumerate() {
                if mask & (1 << j) != 0 || (sub == "dependencies.d" && byte(0) & 2 != 0 && j == i) {
                    let _ = std::fs::create_dir_all(dir.join(sub));
                    let _ = std::fs::write(dir.join(sub).join(other), "");
                }
            }
        }
        let len = rest.iter().take(64).filter(|&&b| b != 0xff).count();
        let body = take(&mut rest, len);
        let _ = take(&mut rest, 1);
        let files = [
            "type",
            "up",
            "timeout-up",
            "producer-for",
            "consumer-for",
            "pipeline-name",
        ];
        write_files(&dir, &files, body);
        if byte(0) & 4 != 0 {
            let _ = std::fs::write(dir.join("run"), "#!/bin/sh\nexec true\n");
        }
    }
    let user = bundles.join("user/contents.d");
    let _ = std::fs::create_dir_all(&user);
    for name in rest.split(|&b| b == b'\n').take(8) {
        let name = String::from_utf8_lossy(name).replace('/', "_");
        if !name.is_empty() && name != "." && name != ".." {
            let _ = std::fs::write(user.join(name), "");
        }
    }
    let (_graph, _problems) = Graph::read(&Sources {
        s6rc,
        bundles,
        overlay: Vec::new(),
    });
}

/// The supervision state machine of one longrun, driven by `data`: the
/// first bytes choose its definition (finish script, timeouts, backoff,
/// restart limit, essential), the rest are control bytes (as written to
/// `supervise/control`), deaths, readiness, deadlines, stops and time
/// passing, with every action answered as the init would.
pub fn supervisor(data: &[u8]) {
    let mut bytes = data.iter().copied();
    let mut next = move || bytes.next();
    let cfg: Vec<u8> = (0..6).map(|_| next().unwrap_or(0)).collect();
    let ms = |b: u8| Duration::from_millis(u64::from(b) * 10);
    let def = ServiceDef {
        notification_fd: (cfg[0] & 1 != 0).then_some(3),
        lock_fd: None,
        timeout_kill_ms: u64::from(cfg[1]) * 10,
        timeout_finish_ms: u64::from(cfg[2]) * 10,
        down_signal: if cfg[0] & 2 != 0 { 1 } else { 15 },
        max_death_tally: usize::from(cfg[3] % 8),
        has_finish: cfg[0] & 4 != 0,
        starts_down: cfg[0] & 8 != 0,
        policy: Policy {
            essential: cfg[0] & 16 != 0,
            backoff: (cfg[0] & 32 != 0).then(|| Backoff {
                min: ms(cfg[4] / 2),
                max: ms(cfg[4]),
                reset: ms(cfg[5]),
            }),
            limit: (cfg[0] & 64 != 0).then(|| Limit {
                deaths: usize::from(cfg[5] % 5),
                window: ms(cfg[4]),
            }),
            ..Policy::default()
        },
        warnings: Vec::new(),
    };
    let mut now = Instant::now();
    let mut wall = SystemTime::UNIX_EPOCH + Duration::from_secs(1 << 30);
    let (mut lr, mut pending) = Longrun::new(def, wall);
    let mut pid = 100;
    let mut steps = 0;
    while let Some(op) = next() {
        steps += 1;
        if steps > 10_000 {
            break;
        }
        // Answer what the last event asked for, as `services` would.
        for action in std::mem::take(&mut pending) {
            let reply = match action {
                Action::SpawnRun => match next().unwrap_or(0) % 4 {
                    0 => {
                        lr.spawn_failed(now);
                        Vec::new()
                    }
                    1 => {
                        let mut a = lr.started(pid, now, wall);
                        a.extend(lr.exec_failed(now));
                        a
                    }
                    _ => lr.started(pid, now, wall),
                },
                Action::SpawnFinish { .. } => match next().unwrap_or(0) % 3 {
                    0 => lr.finish_failed(now, wall),
                    _ => lr.finishing(pid, now),
                },
                _ => Vec::new(),
            };
            pid += 1;
            pending.extend(reply);
        }
        let arg = next().unwrap_or(0);
        let event = match op % 10 {
            0..=2 => Event::Command(arg),
            3 => Event::RunDied(u16::from(arg) << 8 | u16::from(arg % 3)),
            4 => Event::FinishDied(u16::from(arg) << 8),
            5 => Event::Ready,
            6 => Event::Stop,
            7 => Event::Unhealthy,
            8 => Event::Timeout,
            _ => {
                let step = Duration::from_millis(u64::from(arg) * 37);
                now += step;
                wall += step;
                if lr.deadline.is_some_and(|d| d <= now) {
                    Event::Timeout
                } else {
                    continue;
                }
            }
        };
        pending.extend(lr.on(event, now, wall));
        if lr.gone {
            assert!(lr.exiting, "gone without being told to exit");
        }
    }
}
