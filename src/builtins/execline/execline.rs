//! `execline subcommand [arguments...]`: execline 2.9.9's multicall name —
//! run one of execline's own commands (only those: `execline ls` is an
//! unknown subcommand, as with the original).

use crate::chain::{Env, Step};
use crate::error::{Error, Result, show};

pub const USAGE: &str = "execline subcommand [ arguments... ]";

pub fn run(_env: &mut Env, mut argv: Vec<Vec<u8>>) -> Result<Step> {
    argv.remove(0);
    let Some(sub) = argv.first() else {
        return Err(crate::builtins::usage());
    };
    let known = super::COMMANDS
        .iter()
        .any(|b| b.name.as_bytes() == &sub[..] && b.name != "execline");
    if !known {
        return Err(Error::Invalid(format!("unknown subcommand: {}", show(sub))));
    }
    Ok(Step::Next(argv))
}
