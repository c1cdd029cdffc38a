//! `multisubstitute { directive... } prog...`: several substitutions in one
//! parallel pass. Directives: define, importas, elglob, elgetpositionals, multidefine.

use crate::builtins::split_at;
use crate::chain::{Env, Step, block::take_block};
use crate::error::{Error, Result, show};
use crate::subst::substitute;

pub const USAGE: &str = "multisubstitute { [ define ... ] [ importas ... ] [ elglob ... ] [ elgetpositionals ... ] [ multidefine ... ] } command...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let mut rest = split_at(argv, 1);
    let block = take_block("multisubstitute", &mut rest, env.strict())?;
    let mut bindings = Vec::new();
    let mut at = 0;
    while at < block.len() {
        let args = &block[at + 1..];
        let used = match block[at].as_slice() {
            b"define" => super::define::directive(args).map(|(b, n)| {
                bindings.push(b);
                n
            })?,
            b"importas" => super::importas::directive(env, args).map(|(b, n)| {
                bindings.push(b);
                n
            })?,
            b"elgetpositionals" => {
                super::elgetpositionals::directive(env, args).map(|(b, n)| {
                    bindings.extend(b);
                    n
                })?
            }
            b"elglob" => super::elglob::directive(args).map(|(b, n)| {
                bindings.push(b);
                n
            })?,
            b"multidefine" => super::multidefine::directive(env, args).map(|(b, n)| {
                bindings.extend(b);
                n
            })?,
            other => {
                return Err(Error::Invalid(format!(
                    "unrecognized directive: {}",
                    show(other)
                )));
            }
        };
        at += 1 + used;
    }
    if rest.is_empty() {
        return Err(crate::builtins::usage());
    }
    Ok(Step::Next(substitute(rest, &bindings)))
}
