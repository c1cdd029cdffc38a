//! `s6-portable-utils subcommand [arguments...]`: the package's multicall
//! name, for its own commands only.

use crate::chain::{Env, Step};
use crate::error::Result;

pub const USAGE: &str = "s6-portable-utils subcommand [ arguments... ]";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    crate::builtins::subcommand(super::COMMANDS, argv)
}
