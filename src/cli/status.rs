//! `chainit status`: every service of the init behind a run dir — the
//! supervised ones from the scan directory, the rest of the service graph
//! as the init answers for it — as a table or JSON, and an exit code that
//! is a readiness probe: 0 only when an init runs and every service wanted
//! up is up (and ready, if it notifies).

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::control::rc::Record;
use crate::s6::status::Status;
use crate::s6::supervise_dir::is_supervised;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
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
}

impl Row {
    fn healthy(&self) -> bool {
        !self.wanted_up || (self.state == "up" && (self.ready || !self.notifies))
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
        notifies: dir.join("notification-fd").exists(),
        // s6-svscan would supervise it, and it starts unless marked down.
        wanted_up: !dir.join("down").exists(),
        deaths: None,
        code: None,
        why: "nothing supervises it".to_owned(),
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
    row.why = match (up, s.want_up, row.code) {
        (true, _, _) if row.notifies && !s.ready => "not ready yet".to_owned(),
        (true, _, _) => String::new(),
        (false, true, Some(c)) => format!("it died (exit {c}); it is restarted"),
        (false, true, None) => "starting".to_owned(),
        (false, false, _) => "stopped: not wanted up".to_owned(),
    };
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

fn json(rows: &[Row], healthy: bool, error: Option<&str>) -> String {
    let opt = |v: Option<String>| v.unwrap_or_else(|| "null".to_owned());
    let items: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{{\"name\":{:?},\"kind\":\"{}\",\"state\":{:?},\"pid\":{},\"seconds\":{},\"ready\":{},\"wanted_up\":{},\"deaths\":{},\"exit\":{},\"why\":{:?}}}",
                r.name,
                r.kind,
                r.state,
                r.pid,
                opt(r.secs.map(|s| s.to_string())),
                r.ready,
                r.wanted_up,
                opt(r.deaths.map(|d| d.to_string())),
                opt(r.code.map(|c| c.to_string())),
                r.why
            )
        })
        .collect();
    let error = error
        .map(|e| format!(",\"error\":{e:?}"))
        .unwrap_or_default();
    format!(
        "{{\"healthy\":{healthy}{error},\"services\":[{}]}}",
        items.join(",")
    )
}

fn table(rows: &[Row]) {
    let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(0).max(24);
    println!(
        "{:<width$} {:<12} {:>8} {:>9} {:<6} {:>6} {:>4}  WHY",
        "SERVICE", "STATE", "PID", "SECONDS", "READY", "DEATHS", "EXIT"
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
            "{:<width$} {:<12} {:>8} {:>9} {:<6} {:>6} {:>4}  {}",
            r.name,
            r.state,
            dash(pid),
            dash(r.secs.map(|s| s.to_string())),
            ready,
            dash(r.deaths.map(|d| d.to_string())),
            dash(r.code.map(|c| c.to_string())),
            r.why
        );
    }
}

pub fn run(a: Args) -> i32 {
    let run = a.run_dir.unwrap_or_else(crate::control::run_dir);
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
    let healthy = rows.iter().all(Row::healthy);
    if a.json {
        println!("{}", json(&rows, healthy, None));
    } else {
        table(&rows);
    }
    i32::from(!healthy)
}
