//! `s6-rmrf file...`: remove each file or directory tree (a link itself,
//! never what it points to); one that does not exist is no error.

use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};

pub const USAGE: &str = "s6-rmrf file ...";

/// Removes `path` and everything under it.
pub fn remove_tree(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
    }
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    if argv.len() < 2 {
        return Err(crate::builtins::usage());
    }
    for file in &argv[1..] {
        remove_tree(Path::new(std::ffi::OsStr::from_bytes(file))).map_err(|e| {
            Error::Failed(format!("unable to remove {}: {}", show(file), describe(&e)))
        })?;
    }
    Ok(Step::Exit(0))
}
