//! `homeof user`: print the user's home directory.

use std::io::Write;

use crate::chain::{Env, Step};
use crate::error::{Error, Result, show};
use crate::users;

pub const USAGE: &str = "homeof user";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let Some(name) = argv.get(1) else {
        return Err(crate::builtins::usage());
    };
    let user = users::user_by_name(name)
        .map_err(|e| Error::Failed(format!("unable to read /etc/passwd: {e}")))?
        .ok_or_else(|| {
            Error::Failed(format!(
                "unable to get passwd entry for {}: no such user",
                show(name)
            ))
        })?;
    let mut line = user.home;
    line.push(b'\n');
    std::io::stdout()
        .write_all(&line)
        .map_err(|e| Error::Failed(format!("unable to write to stdout: {e}")))?;
    Ok(Step::Exit(0))
}
