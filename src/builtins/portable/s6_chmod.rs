//! `s6-chmod mode file`: set file's permissions to the octal mode.

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;

use crate::chain::getopt::file_mode;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};

pub const USAGE: &str = "s6-chmod mode file";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (Some(mode), Some(file)) = (argv.get(1), argv.get(2)) else {
        return Err(crate::builtins::usage());
    };
    let mode = file_mode(mode).ok_or_else(crate::builtins::usage)?;
    std::fs::set_permissions(
        std::ffi::OsStr::from_bytes(file),
        std::fs::Permissions::from_mode(mode),
    )
    .map_err(|e| {
        Error::Failed(format!(
            "unable to change mode of {}: {}",
            show(file),
            describe(&e)
        ))
    })?;
    Ok(Step::Exit(0))
}
