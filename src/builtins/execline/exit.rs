//! `exit [n]`: stop the chain with code n (default 0).

use crate::chain::{Env, Step};
use crate::error::{Error, Result, show};

pub const USAGE: &str = "exit [ exitcode ]";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let Some(arg) = argv.get(1) else {
        return Ok(Step::Exit(0));
    };
    let n = crate::chain::getopt::number(arg)
        .ok_or_else(|| Error::Invalid(format!("invalid exit code: {}", show(arg))))?;
    Ok(Step::Exit((n & 0xff) as i32))
}
