//! `s6-rc [-l live] [-a] [-u|-d|-D] [-p] [-t ms] change|list|listall|diff|help
//! [names…]`: s6-rc's interface to the service graph `chainit init` runs.
//! There is no compiled database: the requests go to the init through
//! `LIVE/control` (LIVE: `-l`, else `RUN/s6-rc`), which chainit init makes.

use std::path::PathBuf;

use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, show};

pub const USAGE: &str = "s6-rc [ -l live ] [ -a ] [ -u | -d | -D ] [ -p ] [ -v verbosity ] [ -t timeout ] help|list|listall|diff|change [ servicenames... ]";

fn live_dir(given: Option<String>) -> PathBuf {
    given
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::control::run_dir().join("s6-rc"))
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "l:budDpav:n:t:")?;
    let (mut live, mut all, mut prune, mut timeout) = (None, false, false, None);
    let mut dir = 'u';
    for (c, arg) in opts {
        let arg = arg.map(show).unwrap_or_default();
        match c {
            b'l' => live = Some(arg),
            b'u' | b'd' | b'D' => dir = c as char,
            b'a' => all = true,
            b'p' => prune = true,
            b't' => timeout = Some(arg.parse::<u64>().map_err(|_| crate::builtins::usage())?),
            b'n' => {
                return Err(Error::Refused(
                    100,
                    "dry runs (-n) are not supported".into(),
                ));
            }
            _ => {}
        }
    }
    let rest: Vec<String> = argv[first + 1..].iter().map(|a| show(a)).collect();
    let Some(command) = rest.first() else {
        return Err(crate::builtins::usage());
    };
    let names = &rest[1..];
    let live = live_dir(live);
    let ask = |request: &str| -> Result<Vec<String>> {
        match crate::control::rc::ask(&live, request, timeout) {
            Ok((0, text)) => Ok(text.split_whitespace().map(str::to_owned).collect()),
            Ok((code, text)) => Err(Error::Refused(code, text)),
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                Err(Error::Refused(2, "timed out".into()))
            }
            Err(e) => Err(Error::Refused(
                4,
                format!(
                    "unable to reach the init through {}: {}",
                    live.join("control").display(),
                    crate::error::describe(&e)
                ),
            )),
        }
    };
    // The selection: the names given, plus what is up with -a.
    let mut selection: Vec<String> = names.to_vec();
    if all {
        selection.extend(ask("l")?);
    }
    let print = |list: Vec<String>| {
        let mut out = String::new();
        for n in list {
            out.push_str(&n);
            out.push('\n');
        }
        crate::builtins::execline::dollarat::write_all(1, out.as_bytes())
            .map_err(|e| Error::sys("write to stdout", e))
    };
    match command.as_str() {
        "help" => {
            print(vec![USAGE.to_owned()])?;
            Ok(Step::Exit(0))
        }
        // No compiled database: the live state never differs from it.
        "diff" => Ok(Step::Exit(0)),
        "list" | "listall" => {
            let how = if command == "listall" {
                dir.to_ascii_lowercase()
            } else {
                'x'
            };
            let mut chosen = if selection.is_empty() {
                Vec::new()
            } else {
                ask(&format!("m {how} {}", selection.join(" ")))?
            };
            if command == "list" && dir != 'u' {
                // -d: everything but the selection.
                let names = std::fs::read_to_string(live.join("names")).map_err(|e| {
                    Error::Refused(
                        4,
                        format!("unable to read {}: {e}", live.join("names").display()),
                    )
                })?;
                chosen = names
                    .lines()
                    .filter_map(|l| l.split_once(' '))
                    .filter(|(n, kind)| *kind != "bundle" && !chosen.iter().any(|c| c == n))
                    .map(|(n, _)| n.to_owned())
                    .collect();
            }
            print(chosen)?;
            Ok(Step::Exit(0))
        }
        "change" => {
            let verb = match (dir, prune) {
                ('u', true) => "p",
                ('u', false) => "u",
                ('d', _) => "d",
                _ => "D",
            };
            if selection.is_empty() && verb != "p" {
                return Ok(Step::Exit(0));
            }
            ask(&format!("{verb} {}", selection.join(" ")))?;
            Ok(Step::Exit(0))
        }
        _ => Err(crate::builtins::usage()),
    }
}
