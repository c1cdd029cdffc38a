//! `s6-pivotchroot newroot putold prog...`: make newroot the root
//! filesystem (pivot_root(2)), the old one mounted at putold (relative to
//! newroot), then run prog from the new root.

use crate::error::ErrnoText;
use std::os::unix::ffi::OsStrExt;

use crate::chain::{Env, Step};
use crate::error::{Error, Result, show};

pub const USAGE: &str = "s6-pivotchroot old-place-for-new-root new-place-for-old-root prog...";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    if argv.len() < 4 {
        return Err(crate::builtins::usage());
    }
    let (new_root, put_old) = (&argv[1], &argv[2]);
    nix::unistd::chdir(std::ffi::OsStr::from_bytes(new_root)).map_err(|e| {
        Error::Failed(format!(
            "unable to chdir to {}: {}",
            show(new_root),
            e.text()
        ))
    })?;
    nix::unistd::pivot_root(".", std::ffi::OsStr::from_bytes(put_old))
        .map_err(|e| Error::Failed(format!("unable to pivot_root: {}", e.text())))?;
    nix::unistd::chroot(".")
        .map_err(|e| Error::Failed(format!("unable to chroot: {}", e.text())))?;
    Ok(Step::Next(argv[3..].to_vec()))
}
