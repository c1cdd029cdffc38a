//! `s6-svstat [-uwNrpest | -o fields] [-n] servicedir`: print a service's
//! status as s6 2.11 does, in words or as the chosen fields.

use std::io::Write;
use std::path::Path;
use std::time::SystemTime;

use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};
use crate::s6::status::Status;
use crate::s6::supervise_dir::is_supervised;

pub const USAGE: &str = "s6-svstat [ -uwNrpest | -o up,wantedup,normallyup,ready,paused,pid,exitcode,signal,signum,updownsince,readysince,updownfor,readyfor ] [ -n ] servicedir";

const FIELDS: &[&str] = &[
    "up",
    "wantedup",
    "normallyup",
    "ready",
    "paused",
    "pid",
    "exitcode",
    "signal",
    "signum",
    "updownsince",
    "readysince",
    "updownfor",
    "readyfor",
];

fn seconds_since(now: SystemTime, t: SystemTime) -> u64 {
    now.duration_since(t).map_or(0, |d| d.as_secs())
}

fn signal_name(sig: i32) -> String {
    crate::sig::name(sig)
}

fn field(name: &str, s: &Status, normally_up: bool, now: SystemTime) -> String {
    let up = s.pid != 0 && !s.finishing;
    let tf = |b: bool| if b { "true" } else { "false" }.to_owned();
    let dead_signal = if up { None } else { s.signal() };
    match name {
        "up" => tf(up),
        "wantedup" => tf(s.want_up),
        "normallyup" => tf(normally_up),
        "ready" => tf(s.pid != 0 && s.ready),
        "paused" => tf(s.paused),
        "pid" => {
            if up {
                s.pid.to_string()
            } else {
                "-1".into()
            }
        }
        "exitcode" => match (up, s.exit_code()) {
            (false, Some(c)) => c.to_string(),
            _ => "-1".into(),
        },
        "signal" => dead_signal.map_or("NA".into(), signal_name),
        "signum" => dead_signal.map_or("-1".into(), |n| n.to_string()),
        "updownsince" => crate::s6::tai64n::label(s.stamp),
        "readysince" => crate::s6::tai64n::label(s.readystamp),
        "updownfor" => seconds_since(now, s.stamp).to_string(),
        _ => seconds_since(now, s.readystamp).to_string(),
    }
}

fn words(s: &Status, normally_up: bool, numeric: bool, now: SystemTime) -> String {
    let up = s.pid != 0 && !s.finishing;
    let mut out = if up {
        format!("up (pid {}) ", s.pid)
    } else if let Some(sig) = s.signal() {
        let sig = if numeric {
            sig.to_string()
        } else {
            signal_name(sig)
        };
        format!("down (signal {sig}) ")
    } else {
        format!("down (exitcode {}) ", s.exit_code().unwrap_or(0))
    };
    out.push_str(&format!("{} seconds", seconds_since(now, s.stamp)));
    for (cond, text) in [
        (up && !normally_up, ", normally down"),
        (!up && normally_up, ", normally up"),
        (up && s.paused, ", paused"),
        (!up && s.want_up, ", want up"),
        (up && !s.want_up, ", want down"),
    ] {
        if cond {
            out.push_str(text);
        }
    }
    if s.ready {
        out.push_str(&format!(
            ", ready {} seconds",
            seconds_since(now, s.readystamp)
        ));
    }
    out
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "no:uwNrpest")?;
    let mut numeric = false;
    let mut fields: Vec<&str> = Vec::new();
    for (c, arg) in opts {
        let short = match c {
            b'n' => {
                numeric = true;
                continue;
            }
            b'o' => {
                for f in String::from_utf8_lossy(arg.unwrap_or_default()).split(',') {
                    let known = FIELDS.iter().find(|k| **k == f);
                    fields.push(known.ok_or_else(|| {
                        Error::Refused(100, format!("invalid option field: {f}"))
                    })?);
                }
                continue;
            }
            b'u' => "up",
            b'w' => "wantedup",
            b'N' => "normallyup",
            b'r' => "ready",
            b'p' => "pid",
            b'e' => "exitcode",
            b's' => "signal",
            _ => "updownfor",
        };
        fields.push(short);
    }
    let Some(dir) = argv.get(first + 1) else {
        return Err(crate::builtins::usage());
    };
    let dir = std::path::PathBuf::from(show(dir));
    if !is_supervised(&dir) {
        return Err(Error::Refused(
            1,
            format!(
                "unable to read status for {}: s6-supervise not running",
                dir.display()
            ),
        ));
    }
    let mut st = Status::read(&dir).map_err(|e| {
        Error::Failed(format!(
            "unable to read status for {}: {}",
            dir.display(),
            describe(&e)
        ))
    })?;
    let now = SystemTime::now();
    st.stamp = st.stamp.min(now);
    let normally_up = !Path::new(&dir).join("down").exists();
    let line = if fields.is_empty() {
        words(&st, normally_up, numeric, now)
    } else {
        let all: Vec<String> = fields
            .iter()
            .map(|f| field(f, &st, normally_up, now))
            .collect();
        all.join(" ")
    };
    writeln!(std::io::stdout(), "{line}")
        .map_err(|e| Error::Failed(format!("unable to write to stdout: {e}")))?;
    Ok(Step::Exit(0))
}
