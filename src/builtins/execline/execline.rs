//! `execline subcommand [arguments...]`: execline 2.9.9's multicall name —
//! run one of execline's own commands (only those: `execline ls` is an
//! unknown subcommand, as with the original).

use crate::chain::{Env, Step};
use crate::error::Result;

pub const USAGE: &str = "execline subcommand [ arguments... ]";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    crate::builtins::subcommand(super::COMMANDS, argv)
}
