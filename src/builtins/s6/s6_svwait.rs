//! `s6-svwait [-U|-u|-D|-d|-r|-R] [-a|-o] [-t ms] servicedir...`: block until
//! all (or one) of the services reach a state, through their event fifodirs.
//! Exit 0, 99 on timeout, 102 when a supervisor exits, 111 on error, else the
//! number of services that failed for good while wanted up.

use std::path::PathBuf;
use std::time::Duration;

use crate::builtins::options;
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};
use crate::s6::listen::{Goal, Wait};

pub const USAGE: &str =
    "s6-svwait [ -U | -u | -D | -d | -r | -R ] [ -a | -o ] [ -t timeout ] servicedir...";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "UuDdrRaot:")?;
    let (goal, any, timeout) = wanted(opts)?;
    let dirs: Vec<PathBuf> = argv[first + 1..]
        .iter()
        .map(|d| PathBuf::from(show(d)))
        .collect();
    if dirs.is_empty() {
        return Err(crate::builtins::usage());
    }
    let fail = |what: &str, e: std::io::Error| {
        Error::Failed(format!("unable to {what}: {}", describe(&e)))
    };
    let wait = Wait::subscribe(&dirs, goal).map_err(|e| Error::Failed(e.to_string()))?;
    let check_now = !matches!(goal, Goal::Restarted | Goal::RestartedReady);
    let code = wait
        .wait(any, check_now, timeout)
        .map_err(|e| fail("read service status", e))?;
    if code == crate::s6::listen::TIMED_OUT {
        eprintln!("s6-svwait: fatal: timed out");
    }
    Ok(Step::Exit(code))
}

/// The options s6-svwait and s6-svlisten share: the state, all (`-a`) or
/// one (`-o`), and how long.
pub(super) fn wanted(
    opts: Vec<crate::chain::getopt::Opt<'_>>,
) -> Result<(Goal, bool, Option<Duration>)> {
    let (mut goal, mut any, mut timeout) = (Goal::Up, false, None);
    for (c, arg) in opts {
        match c {
            b'a' => any = false,
            b'o' => any = true,
            c => goal_or_timeout(c, arg, &mut goal, &mut timeout)?,
        }
    }
    Ok((goal, any, timeout))
}

/// `-t ms` as s6's clients read it: a duration, none for 0.
pub(super) fn timeout_option(arg: Option<&[u8]>) -> Result<Option<Duration>> {
    let ms = arg.and_then(number).ok_or_else(crate::builtins::usage)?;
    Ok((ms > 0).then(|| Duration::from_millis(ms)))
}

/// The options s6-svwait and s6-svlisten1 share: a goal letter
/// (`-u -U -d -D -r -R`) or `-t ms` (0: no limit).
pub(super) fn goal_or_timeout(
    c: u8,
    arg: Option<&[u8]>,
    goal: &mut Goal,
    timeout: &mut Option<Duration>,
) -> Result<()> {
    if c == b't' {
        *timeout = timeout_option(arg)?;
    } else {
        *goal = Goal::from_letter(c).ok_or_else(crate::builtins::usage)?;
    }
    Ok(())
}
