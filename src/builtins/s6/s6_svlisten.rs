//! `s6-svlisten [-U|-u|-D|-d|-r|-R] [-a|-o] [-t ms] { servicedir... } prog...`:
//! s6-svlisten1 for several services: listen to all of them, spawn prog,
//! then wait until all (or, with `-o`, one) reach the state. An empty block
//! just execs prog.

use std::path::PathBuf;

use super::s6_svlisten1::{finish, listen};
use crate::builtins::{options, split_at};
use crate::chain::block::take_block;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, show};
use crate::s6::listen::Goal;

pub const USAGE: &str = "s6-svlisten [ -U | -u | -d | -D | -r | -R ] [ -a | -o ] [ -t timeout ] servicedir... \"\" prog...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "UuDdrRaot:")?;
    let (goal, mut any, timeout) = super::s6_svwait::wanted(opts)?;
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
    let code = listen(&dirs, goal, any, timeout, rest, env)?;
    let failed = "some services reported permanent failure or their supervisor died";
    finish(code, code, failed.into())
}
