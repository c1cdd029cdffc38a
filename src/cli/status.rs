//! `chainit status`: every service of the init behind a run dir — the
//! supervised ones from the scan directory, the rest of the service graph
//! as the init answers for it — as a table or JSON, and an exit code that
//! is a readiness probe: 0 only when an init runs and every service wanted
//! up is up (and ready, if it notifies), none gave up and none is
//! unhealthy. `--live` is the liveness probe: the init runs and no
//! essential service has given up.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::control::rc::Record;
use crate::init::details::{Details, Health};
use crate::s6::status::Status;
use crate::s6::supervise_dir::is_supervised;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Readiness probe (the default): exit 0 only when every service wanted
    /// up is up, ready where it can say so, not unhealthy and not given up.
    #[arg(long, conflicts_with = "live")]
    ready: bool,
    /// Liveness probe: exit 0 while the init runs and no essential service
    /// has given up.
    #[arg(long)]
    live: bool,
    /// Follow the init's state changes: one JSON line each (a service up,
    /// ready, down with its code, a restart scheduled, a give-up, a health
    /// verdict, the halt and what asked for it), until the init exits.
    #[arg(long, conflicts_with_all = ["json", "ready", "live"])]
    watch: bool,
    /// The init's run dir (default: CHAINIT_RUN_DIR, else /run).
    #[arg(long, value_name = "DIR")]
    run_dir: Option<PathBuf>,
    /// A scan directory to show instead of the init's (RUN/service), e.g.
    /// one run by `s6-svscan`; no init is asked then.
    scandir: Option<PathBuf>,
}

/// One service's line.
struct Row {
    name: String,
    kind: &'static str,
    state: String,
    pid: u64,
    secs: Option<u64>,
    ready: bool,
    notifies: bool,
    wanted_up: bool,
    deaths: Option<usize>,
    /// The last exit code (128+n for a death by signal n).
    code: Option<i32>,
    why: String,
    /// chainit's own record, for services with a policy file.
    details: Option<Details>,
}

impl Row {
    fn healthy(&self) -> bool {
        let d = self.details.as_ref();
        let gave_up = d.is_some_and(|d| d.gave_up.is_some());
        // Not checked yet counts as not ready, as Docker's "starting".
        let unhealthy = d.is_some_and(|d| {
            self.state == "up" && matches!(d.health, Some(Health::Unhealthy | Health::Starting))
        });
        !gave_up
            && !unhealthy
            && (!self.wanted_up || (self.state == "up" && (self.ready || !self.notifies)))
    }

    /// An essential service that gave up: the container is going down.
    fn dead_for_good(&self) -> bool {
        self.details
            .as_ref()
            .is_some_and(|d| d.essential && d.gave_up.is_some())
    }

    /// The health column: none, starting, healthy or unhealthy.
    fn health(&self) -> &'static str {
        self.details
            .as_ref()
            .and_then(|d| d.health)
            .map_or("none", Health::as_str)
    }
}

/// A supervised (or merely linked) service directory.
fn supervised_row(name: String, dir: &Path, now: SystemTime) -> Row {
    let mut row = Row {
        name,
        kind: "longrun",
        state: "unsupervised".to_owned(),
        pid: 0,
        secs: None,
        ready: false,
        notifies: dir.join("notification-fd").exists() || dir.join("notify-socket").exists(),
        // s6-svscan would supervise it, and it starts unless marked down.
        wanted_up: !dir.join("down").exists(),
        deaths: None,
        code: None,
        why: "nothing supervises it".to_owned(),
        details: None,
    };
    if !is_supervised(dir) {
        // A problem written after the last status (or with none) is current.
        let written = |f: &str| {
            std::fs::metadata(dir.join(f))
                .and_then(|m| m.modified())
                .ok()
        };
        let current = match (
            written(crate::init::SERVICE_PROBLEM),
            written("supervise/status"),
        ) {
            (Some(p), Some(s)) => p >= s,
            (p, _) => p.is_some(),
        };
        if let Some(problem) = current
            .then(|| std::fs::read_to_string(dir.join(crate::init::SERVICE_PROBLEM)).ok())
            .flatten()
        {
            row.state = "down".to_owned();
            row.why = format!("not started: {}", problem.trim_end());
        }
        return row;
    }
    let Ok(s) = Status::read(dir) else {
        row.why = "its supervise/status cannot be read".to_owned();
        return row;
    };
    let up = s.pid != 0 && !s.finishing;
    row.state = if up {
        "up"
    } else if s.finishing {
        "finishing"
    } else {
        "down"
    }
    .to_owned();
    row.pid = if up { s.pid } else { 0 };
    row.secs = Some(now.duration_since(s.stamp).map_or(0, |d| d.as_secs()));
    row.ready = up && s.ready;
    row.wanted_up = s.want_up;
    row.deaths = Some(crate::s6::death_tally::read(dir).map_or(0, |d| d.len()));
    let died = s.signal().map(|n| 128 + n).or(s.exit_code());
    row.code = died.filter(|_| !up && row.deaths != Some(0));
    let details = Details::read(dir);
    let unhealthy = details
        .as_ref()
        .filter(|d| up && d.health == Some(Health::Unhealthy));
    row.why = match (up, s.want_up, row.code) {
        (true, _, _) if unhealthy.is_some() => {
            let d = unhealthy.map(|d| d.health_output.clone().unwrap_or_default());
            format!("unhealthy: {}", d.unwrap_or_default())
                .trim_end()
                .to_owned()
        }
        (true, _, _) if row.notifies && !s.ready => {
            match details.as_ref().and_then(|d| d.notify_status.as_deref()) {
                Some(st) => format!("not ready yet: {st}"),
                None => "not ready yet".to_owned(),
            }
        }
        (true, _, _) => String::new(),
        (false, true, Some(c)) => {
            let when = details.as_ref().and_then(|d| d.next_start).map(|t| {
                let ms = t.duration_since(now).map_or(0, |d| d.as_millis());
                format!(" in {ms} ms")
            });
            format!(
                "it died (exit {c}); it is restarted{}",
                when.unwrap_or_default()
            )
        }
        (false, true, None) => "starting".to_owned(),
        (false, false, _) => match details.as_ref().and_then(|d| d.gave_up.clone()) {
            Some(g) => g,
            None => "stopped: not wanted up".to_owned(),
        },
    };
    if let Some(st) = details.as_ref().and_then(|d| d.notify_status.as_deref())
        && up
        && row.why.is_empty()
    {
        row.why = st.to_owned();
    }
    row.details = details;
    row
}

/// The init's own answer for its service graph (none without a graph).
fn graph_rows(run: &Path) -> Vec<Row> {
    let dir = run.join("s6-rc");
    if !dir.join("names").exists() {
        return Vec::new();
    }
    let Ok((0, text)) = crate::control::rc::ask(&dir, "s", Some(2000)) else {
        return Vec::new();
    };
    Record::decode(&text)
        .into_iter()
        .map(|r| Row {
            kind: if r.kind == "longrun" {
                "longrun"
            } else {
                "oneshot"
            },
            state: if r.state == "failed" {
                "down".to_owned()
            } else {
                r.state
            },
            name: r.name,
            pid: 0,
            secs: None,
            ready: false,
            notifies: false,
            wanted_up: r.wanted_up,
            deaths: None,
            code: r.code,
            why: r.why,
            details: None,
        })
        .collect()
}

/// Why there is no init to ask behind `run`, if there is none.
fn no_init(run: &Path) -> Option<String> {
    let pidfile = crate::control::RunDir {
        root: run.to_path_buf(),
    }
    .pidfile();
    let text = match std::fs::read_to_string(&pidfile) {
        Ok(t) => t,
        Err(e) => {
            return Some(format!(
                "no chainit init runs with the run dir {}: unable to read {}: {}",
                run.display(),
                pidfile.display(),
                crate::error::describe(&e)
            ));
        }
    };
    let alive = text
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|&p| p > 0)
        .is_some_and(|p| {
            // Signal 0 only checks that the process exists.
            let sent = nix::sys::signal::kill(nix::unistd::Pid::from_raw(p), None);
            matches!(sent, Ok(()) | Err(nix::errno::Errno::EPERM))
        });
    (!alive).then(|| {
        format!(
            "the init of {} is not running ({} holds {:?})",
            run.display(),
            pidfile.display(),
            text.trim()
        )
    })
}

/// The rows: supervised services first, then what only the graph knows.
fn rows(scandir: &Path, graph: Vec<Row>) -> Vec<Row> {
    let now = SystemTime::now();
    let mut rows = Vec::new();
    for (name, dir) in crate::init::service_dirs(scandir) {
        rows.push(supervised_row(name.clone(), &dir, now));
        if dir.join("log").is_dir() {
            rows.push(supervised_row(format!("{name}/log"), &dir.join("log"), now));
        }
    }
    for g in graph {
        match rows
            .iter_mut()
            .find(|r| r.name == g.name && g.kind == "longrun")
        {
            // The graph wanted it up and it did not come up: that stays
            // true until the service itself is up.
            Some(r) if g.wanted_up && g.state != "up" => {
                r.wanted_up = true;
                if r.state != "up" && !g.why.is_empty() {
                    r.why = g.why;
                }
            }
            Some(_) => {}
            None => rows.push(g),
        }
    }
    rows
}

use crate::control::json_string as js;

fn json(rows: &[Row], healthy: bool, error: Option<&str>) -> String {
    let opt = |v: Option<String>| v.unwrap_or_else(|| "null".to_owned());
    let items: Vec<String> = rows
        .iter()
        .map(|r| {
            let d = r.details.as_ref();
            let text = |f: fn(&Details) -> Option<&String>| opt(d.and_then(f).map(|s| js(s)));
            let next = d.and_then(|d| d.next_start).map(|t| {
                let ms = t
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_millis());
                ms.to_string()
            });
            format!(
                "{{\"name\":{},\"kind\":\"{}\",\"state\":{},\"pid\":{},\"seconds\":{},\"ready\":{},\"wanted_up\":{},\"deaths\":{},\"exit\":{},\"why\":{},\"health\":\"{}\",\"health_exit\":{},\"health_output\":{},\"restarts\":{},\"next_start_ms\":{},\"gave_up\":{},\"essential\":{},\"notify_status\":{}}}",
                js(&r.name),
                r.kind,
                js(&r.state),
                r.pid,
                opt(r.secs.map(|s| s.to_string())),
                r.ready,
                r.wanted_up,
                opt(r.deaths.map(|d| d.to_string())),
                opt(r.code.map(|c| c.to_string())),
                js(&r.why),
                r.health(),
                opt(d.and_then(|d| d.health_exit).map(|c| c.to_string())),
                text(|d| d.health_output.as_ref()),
                opt(d.map(|d| d.restarts.to_string())),
                opt(next),
                text(|d| d.gave_up.as_ref()),
                d.is_some_and(|d| d.essential),
                text(|d| d.notify_status.as_ref()),
            )
        })
        .collect();
    let error = error
        .map(|e| format!(",\"error\":{}", js(e)))
        .unwrap_or_default();
    format!(
        "{{\"healthy\":{healthy}{error},\"services\":[{}]}}",
        items.join(",")
    )
}

fn table(rows: &[Row]) {
    let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(0).max(24);
    println!(
        "{:<width$} {:<12} {:>8} {:>9} {:<6} {:<9} {:>6} {:>4}  WHY",
        "SERVICE", "STATE", "PID", "SECONDS", "READY", "HEALTH", "DEATHS", "EXIT"
    );
    let dash = |v: Option<String>| v.unwrap_or_else(|| "-".to_owned());
    for r in rows {
        let pid = (r.pid > 0).then(|| r.pid.to_string());
        let ready = match (r.notifies, r.ready) {
            (false, _) => "-",
            (true, true) => "yes",
            (true, false) => "no",
        };
        println!(
            "{:<width$} {:<12} {:>8} {:>9} {:<6} {:<9} {:>6} {:>4}  {}",
            r.name,
            r.state,
            dash(pid),
            dash(r.secs.map(|s| s.to_string())),
            ready,
            r.health(),
            dash(r.deaths.map(|d| d.to_string())),
            dash(r.code.map(|c| c.to_string())),
            r.why
        );
    }
}

/// `--watch`: prints what the init appends to its event log from now on;
/// returns once the init is gone (what it wrote last included).
fn watch(run: &Path) -> i32 {
    use std::io::{Read, Seek, Write};
    if let Some(e) = no_init(run) {
        eprintln!("chainit status: fatal: {e}");
        return 1;
    }
    let path = crate::control::RunDir {
        root: run.to_path_buf(),
    }
    .events();
    let mut file: Option<(std::fs::File, u64)> = None;
    let mut partial = Vec::new();
    loop {
        let gone = no_init(run).is_some();
        // (Re)open: at the start (from its end), once it exists, and after
        // the init moved it aside (a new inode).
        let ino = std::fs::metadata(&path).ok().map(|m| {
            use std::os::unix::fs::MetadataExt;
            m.ino()
        });
        if ino.is_some() && file.as_ref().map(|f| f.1) != ino {
            let fresh = file.is_some();
            if let Ok(mut f) = std::fs::File::open(&path) {
                if !fresh {
                    let _ = f.seek(std::io::SeekFrom::End(0));
                }
                file = ino.map(|i| (f, i));
            }
        }
        if let Some((f, _)) = &mut file {
            let mut buf = Vec::new();
            let _ = f.read_to_end(&mut buf);
            partial.extend_from_slice(&buf);
            if let Some(end) = partial.iter().rposition(|&b| b == b'\n') {
                let mut out = std::io::stdout().lock();
                if out
                    .write_all(&partial[..=end])
                    .and_then(|()| out.flush())
                    .is_err()
                {
                    return 0;
                }
                partial.drain(..=end);
            }
        }
        if gone {
            return 0;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

pub fn run(a: Args) -> i32 {
    let run = a.run_dir.unwrap_or_else(crate::control::run_dir);
    if a.watch {
        return watch(&run);
    }
    let (scandir, error) = match a.scandir {
        Some(d) if d.is_dir() => (d, None),
        Some(d) => {
            let why = format!("{} is not a directory", d.display());
            (d, Some(why))
        }
        None => (run.join("service"), no_init(&run)),
    };
    if let Some(e) = &error {
        eprintln!("chainit status: fatal: {e}");
        if a.json {
            println!("{}", json(&[], false, Some(e)));
        }
        return 1;
    }
    let graph = if scandir == run.join("service") {
        graph_rows(&run)
    } else {
        Vec::new()
    };
    let rows = rows(&scandir, graph);
    let healthy = if a.live {
        !rows.iter().any(Row::dead_for_good)
    } else {
        rows.iter().all(Row::healthy)
    };
    if a.json {
        println!("{}", json(&rows, healthy, None));
    } else {
        table(&rows);
    }
    i32::from(!healthy)
}
