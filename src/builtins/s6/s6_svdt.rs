//! `s6-svdt [-S|-s] [-n maxlines] servicedir` prints a service's death
//! tally, one death a line; `s6-svdt-clear servicedir` empties it.

use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};
use crate::s6::death_tally;

pub const USAGE: &str = "s6-svdt [ -S | -s ] [ -n maxlines ] servicedir";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let clear = argv[0].ends_with(b"-clear");
    let (opts, first) = options(&argv[1..], if clear { "" } else { "Ssn:" })?;
    let Some(dir) = argv.get(first + 1) else {
        return Err(crate::builtins::usage());
    };
    let dir = std::path::PathBuf::from(show(dir));
    let fail = |what: &str, e: std::io::Error| {
        Error::Failed(format!(
            "unable to {what} for {}: {}",
            dir.display(),
            describe(&e)
        ))
    };
    if clear {
        std::fs::write(dir.join("supervise/death_tally"), b"")
            .map_err(|e| fail("clear death tally", e))?;
        return Ok(Step::Exit(0));
    }
    let mut names = true;
    let mut max = usize::MAX;
    for (c, arg) in opts {
        match c {
            b's' => names = false,
            b'S' => names = true,
            _ => {
                max = arg
                    .and_then(crate::chain::getopt::number)
                    .ok_or_else(crate::builtins::usage)? as usize
            }
        }
    }
    let deaths = death_tally::read(&dir).map_err(|e| fail("read death tally", e))?;
    let mut out = String::new();
    for d in &deaths[deaths.len().saturating_sub(max)..] {
        let what = match (d.signal, names) {
            (0, _) => format!("exitcode {}", d.code),
            (s, true) => format!("signal {}", crate::sig::name(i32::from(s))),
            (s, false) => format!("signal {s}"),
        };
        out.push_str(&format!("{} {what}\n", crate::s6::tai64n::label(d.when)));
    }
    use std::io::Write;
    std::io::stdout()
        .write_all(out.as_bytes())
        .map_err(|e| fail("write", e))?;
    Ok(Step::Exit(0))
}
