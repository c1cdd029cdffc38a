//! `s6-svlisten [-U|-u|-D|-d|-r|-R] [-a|-o] [-t ms] { servicedir... } prog...`:
//! s6-svlisten1 for several services: listen to all of them, spawn prog,
//! then wait until all (or, with `-o`, one) reach the state. An empty block
//! just execs prog.

use std::path::PathBuf;

use crate::builtins::{options, split_at};
use crate::chain::block::take_block;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};
use crate::s6::listen::{Goal, Wait};

pub const USAGE: &str = "s6-svlisten [ -U | -u | -d | -D | -r | -R ] [ -a | -o ] [ -t timeout ] servicedir... \"\" prog...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "UuDdrRaot:")?;
    let mut goal = Goal::Up;
    let mut any = false;
    let mut timeout = None;
    for (c, arg) in opts {
        match c {
            b'a' => any = false,
            b'o' => any = true,
            c => super::s6_svwait::goal_or_timeout(c, arg, &mut goal, &mut timeout)?,
        }
    }
    let mut rest = split_at(argv, first + 1);
    if rest.len() < 3 {
        return Err(crate::builtins::usage());
    }
    let block = take_block("s6-svlisten", &mut rest, env.strict())
        .map_err(|_| Error::Invalid("unterminated servicedir block".into()))?;
    if rest.is_empty() {
        return Err(crate::builtins::usage());
    }
    if block.is_empty() {
        return Ok(Step::Next(rest));
    }
    // A restart of one of them is not something to wait for.
    if any && matches!(goal, Goal::Restarted | Goal::RestartedReady) {
        any = false;
        let letter = if goal == Goal::Restarted { 'r' } else { 'R' };
        eprintln!(
            "s6-svlisten: warning: -o is unsupported when combined with -{letter}- using -a instead"
        );
    }
    let dirs: Vec<PathBuf> = block.iter().map(|d| PathBuf::from(show(d))).collect();
    let fail = |what: &str, e: std::io::Error| {
        Error::Failed(format!("unable to {what}: {}", describe(&e)))
    };
    let wait = Wait::subscribe(&dirs, goal).map_err(|e| Error::Failed(e.to_string()))?;
    // prog is not waited for: it may well outlive the wait.
    let _child = crate::chain::spawn::spawn(rest, env)?;
    let check_now = !matches!(goal, Goal::Restarted | Goal::RestartedReady);
    let code = wait
        .wait(any, check_now, timeout)
        .map_err(|e| fail("read service status", e))?;
    match code {
        0 => Ok(Step::Exit(0)),
        crate::s6::listen::TIMED_OUT => Err(Error::Refused(code, "timed out".into())),
        _ => Err(Error::Refused(
            code,
            "some services reported permanent failure or their supervisor died".into(),
        )),
    }
}
