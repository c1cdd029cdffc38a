//! `s6-hiercopy src dst`: copy a tree — files with their modes, links as
//! links, directories made as needed (an existing dst is copied into); the
//! owners too when run as root.

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};

pub const USAGE: &str = "s6-hiercopy src dst";

fn copy(from: &Path, to: &Path, root: bool) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(from)?;
    if meta.file_type().is_symlink() {
        let _ = std::fs::remove_file(to);
        std::os::unix::fs::symlink(std::fs::read_link(from)?, to)?;
    } else if meta.is_dir() {
        match std::fs::create_dir(to) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return Err(e),
            _ => {}
        }
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            copy(&entry.path(), &to.join(entry.file_name()), root)?;
        }
        std::fs::set_permissions(to, std::fs::Permissions::from_mode(meta.mode() & 0o7777))?;
    } else {
        std::fs::copy(from, to)?;
        std::fs::set_permissions(to, std::fs::Permissions::from_mode(meta.mode() & 0o7777))?;
    }
    if root {
        std::os::unix::fs::lchown(to, Some(meta.uid()), Some(meta.gid()))?;
    }
    Ok(())
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (Some(src), Some(dst)) = (argv.get(1), argv.get(2)) else {
        return Err(crate::builtins::usage());
    };
    let root = nix::unistd::geteuid().is_root();
    copy(
        Path::new(std::ffi::OsStr::from_bytes(src)),
        Path::new(std::ffi::OsStr::from_bytes(dst)),
        root,
    )
    .map_err(|e| {
        Error::Failed(format!(
            "unable to copy hierarchy from {} to {}: {}",
            show(src),
            show(dst),
            describe(&e)
        ))
    })?;
    Ok(Step::Exit(0))
}
