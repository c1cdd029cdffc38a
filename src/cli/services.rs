//! `chainit svc`, `chainit status`, `chainit wait`: the s6 clients with
//! long options, names resolved under the scan directory, and a status
//! table (or JSON) whose exit code answers a readiness probe.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::s6::listen::{Goal, Wait};
use crate::s6::status::Status;
use crate::s6::supervise_dir::{is_supervised, send_commands};

/// Where services live: `RUN/service`, RUN from `CHAINIT_RUN_DIR` or /run.
fn default_scandir() -> PathBuf {
    crate::init::client_run_dir().join("service")
}

/// The services a command acts on, and where their names are looked up.
#[derive(clap::Args, Debug)]
pub struct Targets {
    /// The scan directory names are looked up in (default: RUN/service).
    #[arg(long)]
    scandir: Option<PathBuf>,
    /// Services: names in the scan directory, or paths.
    #[arg(required = true)]
    services: Vec<String>,
}

impl Targets {
    fn dirs(&self) -> Vec<PathBuf> {
        self.services
            .iter()
            .map(|s| resolve(s, &self.scandir))
            .collect()
    }
}

/// A service named by path (with a `/`) or by name in the scan directory.
fn resolve(name: &str, scandir: &Option<PathBuf>) -> PathBuf {
    if name.contains('/') {
        PathBuf::from(name)
    } else {
        scandir.clone().unwrap_or_else(default_scandir).join(name)
    }
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum State {
    Up,
    Ready,
    Down,
    Finished,
    Restarted,
}

impl State {
    fn goal(self) -> Goal {
        match self {
            State::Up => Goal::Up,
            State::Ready => Goal::Ready,
            State::Down => Goal::Down,
            State::Finished => Goal::Finished,
            State::Restarted => Goal::RestartedReady,
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct SvcArgs {
    /// Start the service and keep it up.
    #[arg(long, short = 'u')]
    up: bool,
    /// Stop it (down-signal, then SIGCONT) and keep it down.
    #[arg(long, short = 'd')]
    down: bool,
    /// Restart it (down-signal; it comes back up).
    #[arg(long, short = 'r')]
    restart: bool,
    /// Start it once: no restart when it dies.
    #[arg(long)]
    once: bool,
    /// Send this signal (name or number) to the service's process.
    #[arg(long, short = 's', value_name = "SIG")]
    signal: Option<String>,
    /// Then wait until the service reaches this state.
    #[arg(long, short = 'w', value_name = "STATE")]
    wait: Option<State>,
    /// Give up waiting after this many milliseconds.
    #[arg(long, short = 't', value_name = "MS")]
    timeout: Option<u64>,
    #[command(flatten)]
    targets: Targets,
}

/// The control bytes for a signal s6-svc has a letter for.
fn signal_byte(sig: i32) -> Option<u8> {
    Some(match sig {
        libc::SIGALRM => b'a',
        libc::SIGABRT => b'b',
        libc::SIGQUIT => b'q',
        libc::SIGHUP => b'h',
        libc::SIGKILL => b'k',
        libc::SIGTERM => b't',
        libc::SIGINT => b'i',
        libc::SIGUSR1 => b'1',
        libc::SIGUSR2 => b'2',
        libc::SIGSTOP => b'p',
        libc::SIGCONT => b'c',
        libc::SIGWINCH => b'y',
        _ => return None,
    })
}

fn fail(msg: String) -> i32 {
    eprintln!("chainit: fatal: {msg}");
    111
}

pub fn svc(a: SvcArgs) -> i32 {
    if let Some(code) = graph_change(&a) {
        return code;
    }
    let mut bytes = Vec::new();
    for (on, b) in [
        (a.up, b'u'),
        (a.down, b'd'),
        (a.restart, b'r'),
        (a.once, b'o'),
    ] {
        if on {
            bytes.push(b);
        }
    }
    if let Some(s) = &a.signal {
        match crate::init::signals::parse(s).and_then(signal_byte) {
            Some(b) => bytes.push(b),
            None => {
                eprintln!("chainit: fatal: {s}: not a signal a supervisor can send");
                return 100;
            }
        }
    }
    let dirs = a.targets.dirs();
    let wait = match a.wait {
        Some(state) => match Wait::subscribe(&dirs, state.goal()) {
            Ok(w) => Some((w, state)),
            Err(e) => return fail(format!("unable to subscribe to events: {e}")),
        },
        None => None,
    };
    for d in &dirs {
        if let Err(e) = send_commands(d, &bytes) {
            let why = if e.raw_os_error() == Some(libc::ENXIO) {
                "not supervised".to_owned()
            } else {
                e.to_string()
            };
            return fail(format!("unable to control {}: {why}", d.display()));
        }
    }
    match wait {
        Some((w, state)) => finish_wait(w, !matches!(state, State::Restarted), a.timeout),
        None => 0,
    }
}

/// `-u` or `-d` of names the init's service graph knows (oneshots,
/// bundles, s6-rc longruns): asks the init for the change, with
/// dependencies or dependents, and waits for its answer. `None` when the
/// request is not for the graph.
fn graph_change(a: &SvcArgs) -> Option<i32> {
    if a.up == a.down || a.restart || a.once || a.signal.is_some() || a.targets.scandir.is_some() {
        return None;
    }
    let dir = crate::init::client_run_dir().join("s6-rc");
    let names = std::fs::read_to_string(dir.join("names")).ok()?;
    let known: Vec<&str> = names.lines().filter_map(|l| l.split(' ').next()).collect();
    if !a
        .targets
        .services
        .iter()
        .all(|s| known.contains(&s.as_str()))
    {
        return None;
    }
    let verb = if a.up { "u" } else { "d" };
    let line = format!("{verb} {}", a.targets.services.join(" "));
    Some(match crate::init::ask_graph(&dir, &line, a.timeout) {
        Ok((0, _)) => 0,
        Ok((_, why)) => {
            eprintln!("chainit: fatal: {why}");
            1
        }
        Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
            eprintln!("chainit: timed out");
            99
        }
        Err(e) => fail(format!(
            "unable to reach the init through {}: {e}",
            dir.join("control").display()
        )),
    })
}

fn finish_wait(w: Wait, check_now: bool, timeout: Option<u64>) -> i32 {
    match w.wait(false, check_now, timeout.map(Duration::from_millis)) {
        Ok(crate::s6::listen::TIMED_OUT) => {
            eprintln!("chainit: timed out");
            99
        }
        Ok(code) => code,
        Err(e) => fail(format!("unable to read the status: {e}")),
    }
}

#[derive(clap::Args, Debug)]
pub struct WaitArgs {
    /// The state to wait for.
    #[arg(long, short = 'f', value_name = "STATE", default_value = "up")]
    r#for: State,
    /// Give up after this many milliseconds (exit 99).
    #[arg(long, short = 't', value_name = "MS")]
    timeout: Option<u64>,
    #[command(flatten)]
    targets: Targets,
}

pub fn wait(a: WaitArgs) -> i32 {
    match Wait::subscribe(&a.targets.dirs(), a.r#for.goal()) {
        Ok(w) => finish_wait(w, !matches!(a.r#for, State::Restarted), a.timeout),
        Err(e) => fail(format!("unable to subscribe to events: {e}")),
    }
}

#[derive(clap::Args, Debug)]
pub struct StatusArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// The scan directory (default: RUN/service).
    scandir: Option<PathBuf>,
}

/// One service's line in the table.
struct Row {
    name: String,
    state: &'static str,
    pid: u64,
    secs: u64,
    ready: bool,
    notifies: bool,
    wanted_up: bool,
    restarts: usize,
    /// An s6-rc oneshot: up or down, nothing supervised.
    oneshot: bool,
}

impl Row {
    /// A line with a state and nothing supervised behind it.
    fn bare(name: String, state: &'static str, oneshot: bool) -> Self {
        Row {
            name,
            state,
            pid: 0,
            secs: 0,
            ready: false,
            notifies: false,
            wanted_up: false,
            restarts: 0,
            oneshot,
        }
    }
}

fn row(name: String, dir: &Path, now: SystemTime) -> Option<Row> {
    if !is_supervised(dir) {
        return Some(Row::bare(name, "unsupervised", false));
    }
    let s = Status::read(dir).ok()?;
    let up = s.pid != 0 && !s.finishing;
    Some(Row {
        name,
        state: if up {
            "up"
        } else if s.finishing {
            "finishing"
        } else {
            "down"
        },
        pid: if up { s.pid } else { 0 },
        secs: now.duration_since(s.stamp).map_or(0, |d| d.as_secs()),
        ready: up && s.ready,
        notifies: dir.join("notification-fd").exists(),
        wanted_up: s.want_up,
        restarts: crate::s6::death_tally::read(dir).map_or(0, |d| d.len()),
        oneshot: false,
    })
}

/// The s6-rc oneshots of the init behind the run dir, up or down, as it
/// answers for them (none when there is no graph or no init to ask).
fn oneshot_rows() -> Vec<Row> {
    let dir = crate::init::client_run_dir().join("s6-rc");
    let Ok(names) = std::fs::read_to_string(dir.join("names")) else {
        return Vec::new();
    };
    let oneshots: Vec<&str> = names
        .lines()
        .filter_map(|l| l.strip_suffix(" oneshot"))
        .collect();
    if oneshots.is_empty() {
        return Vec::new();
    }
    let Ok((0, up)) = crate::init::ask_graph(&dir, "l", Some(2000)) else {
        return Vec::new();
    };
    let up: Vec<&str> = up.split_whitespace().collect();
    oneshots
        .into_iter()
        .map(|name| {
            let state = if up.contains(&name) { "up" } else { "down" };
            Row::bare(name.to_owned(), state, true)
        })
        .collect()
}

/// Prints every service; exits 0 when each one wanted up is up (and ready,
/// if it notifies), 1 otherwise: a readiness probe in one command.
pub fn status(a: StatusArgs) -> i32 {
    // The graph's oneshots belong to the init's own scan directory only.
    let with_oneshots = a.scandir.is_none();
    let scandir = a.scandir.unwrap_or_else(default_scandir);
    let now = SystemTime::now();
    let mut rows = Vec::new();
    for (name, dir) in crate::init::service_dirs(&scandir) {
        if let Some(r) = row(name.clone(), &dir, now) {
            rows.push(r);
        }
        if dir.join("log").is_dir()
            && let Some(r) = row(format!("{name}/log"), &dir.join("log"), now)
        {
            rows.push(r);
        }
    }
    if with_oneshots {
        rows.extend(oneshot_rows());
    }
    let healthy = rows
        .iter()
        .all(|r| !r.wanted_up || (r.state == "up" && (r.ready || !r.notifies)));
    if a.json {
        let items: Vec<String> = rows
            .iter()
            .map(|r| {
                format!(
                    "{{\"name\":{:?},\"kind\":\"{}\",\"state\":\"{}\",\"pid\":{},\"seconds\":{},\"ready\":{},\"wanted_up\":{},\"deaths\":{}}}",
                    r.name,
                    if r.oneshot { "oneshot" } else { "longrun" },
                    r.state,
                    r.pid,
                    r.secs,
                    r.ready,
                    r.wanted_up,
                    r.restarts
                )
            })
            .collect();
        println!(
            "{{\"healthy\":{healthy},\"services\":[{}]}}",
            items.join(",")
        );
    } else {
        println!(
            "{:<24} {:<12} {:>8} {:>9} {:<6} {:>6}",
            "SERVICE", "STATE", "PID", "SECONDS", "READY", "DEATHS"
        );
        for r in &rows {
            let pid = if r.pid > 0 {
                r.pid.to_string()
            } else {
                "-".into()
            };
            let ready = if !r.notifies {
                "-"
            } else if r.ready {
                "yes"
            } else {
                "no"
            };
            if r.oneshot {
                println!(
                    "{:<24} {:<12} {:>8} {:>9} {:<6} {:>6}",
                    r.name, r.state, "-", "-", "-", "-"
                );
                continue;
            }
            println!(
                "{:<24} {:<12} {:>8} {:>9} {:<6} {:>6}",
                r.name, r.state, pid, r.secs, ready, r.restarts
            );
        }
    }
    i32::from(!healthy)
}
