//! `s6-true`: exit 0, whatever the arguments.

use crate::chain::{Env, Step};
use crate::error::Result;

pub const USAGE: &str = "s6-true";

pub fn run(_env: &mut Env, _argv: Vec<Vec<u8>>) -> Result<Step> {
    Ok(Step::Exit(0))
}
