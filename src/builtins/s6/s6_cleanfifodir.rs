//! `s6-cleanfifodir fifodir`: remove the FIFOs of listeners that are gone.

use std::os::unix::ffi::OsStrExt;

use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};

pub const USAGE: &str = "s6-cleanfifodir fifodir";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let Some(dir) = argv.get(1) else {
        return Err(crate::builtins::usage());
    };
    let path = std::path::Path::new(std::ffi::OsStr::from_bytes(dir));
    std::fs::read_dir(path).map_err(|e| {
        Error::Failed(format!(
            "unable to clean up fifodir at {}: {}",
            show(dir),
            describe(&e)
        ))
    })?;
    crate::s6::fifodir::clean(path);
    Ok(Step::Exit(0))
}
