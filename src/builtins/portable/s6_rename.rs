//! `s6-rename old new`: rename old to new, atomically (rename(2)).

use std::os::unix::ffi::OsStrExt;

use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};

pub const USAGE: &str = "s6-rename old new";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (Some(old), Some(new)) = (argv.get(1), argv.get(2)) else {
        return Err(crate::builtins::usage());
    };
    std::fs::rename(
        std::ffi::OsStr::from_bytes(old),
        std::ffi::OsStr::from_bytes(new),
    )
    .map_err(|e| {
        Error::Failed(format!(
            "unable to rename {} to {}: {}",
            show(old),
            show(new),
            describe(&e)
        ))
    })?;
    Ok(Step::Exit(0))
}
