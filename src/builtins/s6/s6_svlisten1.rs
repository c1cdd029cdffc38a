//! `s6-svlisten1 [-U|-u|-D|-d|-r|-R] [-t ms] servicedir prog...`: listen
//! to a service's events, spawn prog (say an s6-svc), then wait until the
//! service reaches the state: no race between acting and watching.

use std::path::PathBuf;

use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};
use crate::s6::listen::{Goal, Wait};

pub const USAGE: &str =
    "s6-svlisten1 [ -U | -u | -D | -d | -r | -R ] [ -t timeout ] servicedir prog...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "UuDdrRt:")?;
    let mut goal = Goal::Up;
    let mut timeout = None;
    for (c, arg) in opts {
        super::s6_svwait::goal_or_timeout(c, arg, &mut goal, &mut timeout)?;
    }
    let rest = &argv[first + 1..];
    if rest.len() < 2 {
        return Err(crate::builtins::usage());
    }
    let dir = PathBuf::from(show(&rest[0]));
    let code = listen(
        std::slice::from_ref(&dir),
        goal,
        false,
        timeout,
        rest[1..].to_vec(),
        env,
    )?;
    let failed = format!(
        "{} failed permanently or its supervisor died",
        dir.display()
    );
    finish(code, 1, failed)
}

/// Subscribes to the services' events, spawns prog (not waited for: it may
/// well outlive the wait), then waits; the code as s6-svwait's.
pub(super) fn listen(
    dirs: &[PathBuf],
    goal: Goal,
    any: bool,
    timeout: Option<std::time::Duration>,
    prog: Vec<Vec<u8>>,
    env: &Env,
) -> Result<i32> {
    let wait = Wait::subscribe(dirs, goal).map_err(|e| Error::Failed(e.to_string()))?;
    let _child = crate::chain::spawn::spawn(prog, env)?;
    let check_now = !matches!(goal, Goal::Restarted | Goal::RestartedReady);
    wait.wait(any, check_now, timeout)
        .map_err(|e| Error::Failed(format!("unable to read service status: {}", describe(&e))))
}

/// 0 is success, 99 "timed out", anything else `failed` with exit `code`.
pub(super) fn finish(code: i32, failed_code: i32, failed: String) -> Result<Step> {
    match code {
        0 => Ok(Step::Exit(0)),
        crate::s6::listen::TIMED_OUT => Err(Error::Refused(code, "timed out".into())),
        _ => Err(Error::Refused(failed_code, failed)),
    }
}
