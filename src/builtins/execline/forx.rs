//! `forx [-E|-e] [-p | -P max] [-o okcodes|-x breakcodes] var { args... } loop...`:
//! run loop once per arg with `var` set to it.

use crate::builtins::{options, split_at};
use crate::chain::codes::Continue;
use crate::chain::{Env, Step, block::take_block, spawn};
use crate::error::Result;
use crate::exit;

pub const USAGE: &str = "forx [ -E | -e ] [ -p | -P maxpar ] [ -o okcode,okcode,... | -x breakcode,breakcode,... ] var { values... } command...";

/// The loop options shared by forx and forstdin.
#[derive(Default)]
pub struct Loop {
    pub parallel: bool,
    /// `-P max` (execline 2.9.7): at most this many instances at once.
    pub max: Option<usize>,
    /// An instance waited for early (under `-P`) failed by the lists.
    early_failure: std::cell::Cell<bool>,
    pub until: Continue,
    pub import: bool,
}

impl Loop {
    /// Applies `-E -e -p -P -o -x`; false when the letter is not one of them.
    pub fn option(&mut self, o: u8, arg: Option<&[u8]>) -> Result<bool> {
        match o {
            b'E' => self.import = true,
            b'e' => self.import = false,
            b'p' => self.parallel = true,
            b'P' => {
                let n = arg
                    .and_then(crate::chain::getopt::number)
                    .ok_or_else(crate::builtins::usage)?;
                self.parallel = true;
                self.max = Some(usize::try_from(n).unwrap_or(usize::MAX).max(1));
            }
            b'o' | b'x' => {
                self.until = Continue::parse(arg.unwrap_or_default(), o == b'o')
                    .ok_or_else(crate::builtins::usage)?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The argv one instance runs: `importas -ui var var loop...` under `-E`.
    pub fn body(&self, var: &[u8], body: &[Vec<u8>]) -> Vec<Vec<u8>> {
        if self.import {
            crate::builtins::importing(var, body.to_vec())
        } else {
            body.to_vec()
        }
    }

    /// Runs one instance with `var=value`. Sequential mode returns
    /// `Some(code)` when the loop must stop and exit with it.
    pub fn instance(
        &self,
        env: &Env,
        var: &[u8],
        value: Vec<u8>,
        argv: Vec<Vec<u8>>,
        running: &mut Vec<nix::unistd::Pid>,
    ) -> Result<Option<i32>> {
        let mut child_env = env.clone();
        child_env.set(var.to_vec(), value);
        if self.parallel {
            // At the limit, the oldest instance is waited for first.
            if self.max.is_some_and(|max| running.len() >= max) {
                let code = exit::approximate(spawn::wait_for(running.remove(0))?);
                if !self.until.goes_on(code) {
                    self.early_failure.set(true);
                }
            }
            running.push(spawn::spawn(argv, &child_env)?);
            return Ok(None);
        }
        let status = spawn::run_and_wait(argv, &child_env)?;
        let code = exit::approximate(status);
        Ok((!self.until.goes_on(code)).then_some(code))
    }

    /// Waits for the parallel instances; 1 if any of them "failed" by the lists.
    pub fn finish(&self, running: Vec<nix::unistd::Pid>) -> Result<i32> {
        let mut failed = self.early_failure.get();
        for pid in running {
            let code = exit::approximate(spawn::wait_for(pid)?);
            failed |= !self.until.goes_on(code);
        }
        Ok(i32::from(failed))
    }
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "EepP:o:x:")?;
    let mut lp = Loop::default();
    for (o, arg) in opts {
        lp.option(o, arg)?;
    }
    let mut rest = split_at(argv, i + 1);
    if rest.is_empty() {
        return Err(crate::builtins::usage());
    }
    let var = rest.remove(0);
    let values = take_block("forx", &mut rest, env.strict())?;
    if rest.is_empty() {
        return Ok(Step::Exit(0));
    }
    let body = lp.body(&var, &rest);
    let mut running = Vec::new();
    for value in values {
        if let Some(code) = lp.instance(env, &var, value, body.clone(), &mut running)? {
            return Ok(Step::Exit(code));
        }
    }
    Ok(Step::Exit(lp.finish(running)?))
}
