//! `chainit svc`, `chainit wait`: the s6 clients with long options, names
//! resolved under the scan directory.

use std::path::PathBuf;
use std::time::Duration;

use crate::s6::listen::{Goal, Wait};
use crate::s6::supervise_dir::send_commands;

/// Where services live: `RUN/service`, RUN from `CHAINIT_RUN_DIR` or /run.
fn default_scandir() -> PathBuf {
    crate::control::run_dir().join("service")
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
    /// Restarted and then up (not necessarily ready).
    #[value(skip)]
    RestartedUp,
}

impl State {
    fn goal(self) -> Goal {
        match self {
            State::Up => Goal::Up,
            State::Ready => Goal::Ready,
            State::Down => Goal::Down,
            State::Finished => Goal::Finished,
            State::Restarted => Goal::RestartedReady,
            State::RestartedUp => Goal::Restarted,
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
        match crate::sig::parse(s).and_then(signal_byte) {
            Some(b) => bytes.push(b),
            None => {
                eprintln!("chainit: fatal: {s}: not a signal a supervisor can send");
                return 100;
            }
        }
    }
    let dirs = a.targets.dirs();
    // After a restart, "up" and "ready" mean the new instance's: the old
    // one is up and ready right now, and must not answer the wait.
    let wait_for = match (a.restart, a.wait) {
        (true, Some(State::Up)) => Some(State::RestartedUp),
        (true, Some(State::Ready)) => Some(State::Restarted),
        (_, w) => w,
    };
    let wait = match wait_for {
        Some(state) => match Wait::subscribe(&dirs, state.goal()) {
            Ok(w) => Some((w, state)),
            Err(e) => return fail(e.to_string()),
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
        Some((w, state)) => finish_wait(
            w,
            !matches!(state, State::Restarted | State::RestartedUp),
            a.timeout,
        ),
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
    let dir = crate::control::run_dir().join("s6-rc");
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
    Some(match crate::control::rc::ask(&dir, &line, a.timeout) {
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
        Err(e) => fail(e.to_string()),
    }
}
