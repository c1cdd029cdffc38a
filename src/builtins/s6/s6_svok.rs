//! `s6-svok servicedir`: exit 0 if a supervisor is running on the service
//! (it reads the control FIFO), 1 if not.

use crate::chain::{Env, Step};
use crate::error::{Result, show};
use crate::s6::supervise_dir::is_supervised;

pub const USAGE: &str = "s6-svok servicedir";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let Some(dir) = argv.get(1) else {
        return Err(crate::builtins::usage());
    };
    let dir = std::path::PathBuf::from(show(dir));
    Ok(Step::Exit(if is_supervised(&dir) { 0 } else { 1 }))
}
