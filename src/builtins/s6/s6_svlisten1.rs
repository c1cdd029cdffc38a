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
    let fail = |what: &str, e: std::io::Error| {
        Error::Failed(format!("unable to {what}: {}", describe(&e)))
    };
    let wait = Wait::subscribe(std::slice::from_ref(&dir), goal)
        .map_err(|e| Error::Failed(e.to_string()))?;
    // prog is not waited for: it may well outlive the wait.
    let _child = crate::chain::spawn::spawn(rest[1..].to_vec(), env)?;
    let check_now = !matches!(goal, Goal::Restarted | Goal::RestartedReady);
    let code = wait
        .wait(false, check_now, timeout)
        .map_err(|e| fail("read service status", e))?;
    match code {
        0 => Ok(Step::Exit(0)),
        crate::s6::listen::TIMED_OUT => Err(Error::Refused(code, "timed out".into())),
        _ => Err(Error::Refused(
            1,
            format!(
                "{} failed permanently or its supervisor died",
                dir.display()
            ),
        )),
    }
}
