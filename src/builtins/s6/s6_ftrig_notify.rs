//! `s6-ftrig-notify fifodir message`: send each byte of message to every
//! listener subscribed in fifodir (as s6-supervise announces `u`, `d`, …).

use std::os::unix::ffi::OsStrExt;

use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};

pub const USAGE: &str = "s6-ftrig-notify fifodir message";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (Some(dir), Some(message)) = (argv.get(1), argv.get(2)) else {
        return Err(crate::builtins::usage());
    };
    let path = std::path::Path::new(std::ffi::OsStr::from_bytes(dir));
    std::fs::read_dir(path)
        .map_err(|e| Error::Failed(format!("unable to notify {}: {}", show(dir), describe(&e))))?;
    crate::s6::fifodir::notify(path, message);
    Ok(Step::Exit(0))
}
