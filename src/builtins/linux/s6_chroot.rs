//! `s6-chroot newroot prog...`: make newroot the root directory (and the
//! working directory), then run prog, looked up under it.

use crate::error::ErrnoText;
use std::os::unix::ffi::OsStrExt;

use crate::chain::{Env, Step};
use crate::error::{Error, Result, show};

pub const USAGE: &str = "s6-chroot dir prog...";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    if argv.len() < 3 {
        return Err(crate::builtins::usage());
    }
    let root = std::ffi::OsStr::from_bytes(&argv[1]);
    nix::unistd::chdir(root).map_err(|e| {
        Error::Failed(format!(
            "unable to chdir to {}: {}",
            show(&argv[1]),
            e.text()
        ))
    })?;
    nix::unistd::chroot(".")
        .map_err(|e| Error::Failed(format!("unable to chroot: {}", e.text())))?;
    Ok(Step::Next(argv[2..].to_vec()))
}
