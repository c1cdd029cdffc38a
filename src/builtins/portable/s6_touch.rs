//! `s6-touch file...`: open each file for appending (creating it) and close
//! it; contents and times of an existing file are left as they are.

use std::os::unix::ffi::OsStrExt;

use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};

pub const USAGE: &str = "s6-touch file ...";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    if argv.len() < 2 {
        return Err(crate::builtins::usage());
    }
    for file in &argv[1..] {
        std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(std::ffi::OsStr::from_bytes(file))
            .map_err(|e| {
                Error::Failed(format!("unable to touch {}: {}", show(file), describe(&e)))
            })?;
    }
    Ok(Step::Exit(0))
}
