//! `s6-update-symlinks /dest /src...`: make /dest a tree of symbolic links
//! that merges the source trees, a later source winning over an earlier
//! one, and sharing a whole directory with one link where it can. The new
//! tree is built beside /dest and renamed over it.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use super::s6_rmrf::remove_tree;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe};

pub const USAGE: &str = "s6-update-symlinks /destdir /srcdir [ /srcdir ... ]";

/// What linking one source path into the tree did.
enum Linked {
    /// Something new was added under dst.
    Changed,
    /// dst now points to the source: what was there is fully replaced.
    Replaced,
}

enum Trouble {
    /// dst is a directory but the source is not: no merge can say which.
    Conflict(PathBuf, PathBuf),
    Io(std::io::Error),
}

impl From<std::io::Error> for Trouble {
    fn from(e: std::io::Error) -> Self {
        Trouble::Io(e)
    }
}

fn names(dir: &Path) -> std::io::Result<Vec<std::ffi::OsString>> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        all.push(entry?.file_name());
    }
    Ok(all)
}

/// Links `src` at `dst`, merging into what is already there.
fn link(dst: &Path, src: &Path) -> std::result::Result<Linked, Trouble> {
    match symlink(src, dst) {
        Ok(()) => return Ok(Linked::Changed),
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return Err(e.into()),
        Err(_) => {}
    }
    let meta = std::fs::metadata(dst)?;
    if !meta.is_dir() {
        // A link to a plain file: the later source wins.
        std::fs::remove_file(dst)?;
        symlink(src, dst)?;
        return Ok(Linked::Replaced);
    }
    // How many entries dst has that src has not (yet) replaced.
    let mut left: isize;
    match std::fs::read_link(dst) {
        Ok(shared) => {
            // A link to an earlier source's directory: expand it into a real
            // directory of links, one per entry, so the two can merge.
            let entries = names(dst)?;
            std::fs::remove_file(dst)?;
            std::fs::create_dir(dst)?;
            for name in &entries {
                symlink(shared.join(name), dst.join(name))?;
            }
            left = entries.len() as isize;
        }
        Err(e) if e.raw_os_error() == Some(libc::EINVAL) => left = names(dst)?.len() as isize,
        Err(e) => return Err(e.into()),
    }
    let entries = match names(src) {
        Ok(entries) => entries,
        Err(e) if e.raw_os_error() == Some(libc::ENOTDIR) => {
            return Err(Trouble::Conflict(dst.to_path_buf(), src.to_path_buf()));
        }
        Err(e) => return Err(e.into()),
    };
    let mut all_replaced = true;
    for name in entries {
        left -= 1;
        if let Linked::Changed = link(&dst.join(&name), &src.join(&name))? {
            all_replaced = false;
        }
    }
    if all_replaced && left == 0 {
        // Every entry now comes from src: one link to src says the same.
        remove_tree(dst)?;
        symlink(src, dst)?;
        return Ok(Linked::Replaced);
    }
    Ok(Linked::Changed)
}

/// `base` plus a suffix and random characters: a name nobody else uses.
fn beside(base: &Path, magic: &str) -> Result<PathBuf> {
    let mut prefix = base.as_os_str().as_bytes().to_vec();
    prefix.extend_from_slice(magic.as_bytes());
    let name = super::s6_uniquename::unique_name(&prefix, 8)?;
    Ok(PathBuf::from(OsStr::from_bytes(&name)))
}

fn unable(what: String, e: std::io::Error) -> Error {
    Error::Failed(format!("unable to {what}: {}", describe(&e)))
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    if argv.len() < 3 || argv[1..].iter().any(|a| a.first() != Some(&b'/')) {
        return Err(crate::builtins::usage());
    }
    let mut dest: &[u8] = &argv[1];
    while let Some(rest) = dest.strip_suffix(b"/") {
        dest = rest;
    }
    if dest.is_empty() {
        return Err(Error::Invalid("unable to replace root directory".into()));
    }
    let target = Path::new(OsStr::from_bytes(dest));
    let fresh = beside(target, ":s6-update-symlinks-new")?;
    match std::fs::remove_file(&fresh) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(unable(format!("unlink {}", fresh.display()), e));
        }
        _ => {}
    }
    for src in &argv[2..] {
        let src = Path::new(OsStr::from_bytes(src));
        if let Err(trouble) = link(&fresh, src) {
            let _ = remove_tree(&fresh);
            return Err(match trouble {
                Trouble::Conflict(d, s) => Error::Invalid(format!(
                    "destination {} conflicts with source {}",
                    d.display(),
                    s.display()
                )),
                Trouble::Io(e) => Error::Failed(format!(
                    "error processing {}: {}",
                    src.display(),
                    describe(&e)
                )),
            });
        }
    }
    if std::fs::rename(&fresh, target).is_ok() {
        return Ok(Step::Exit(0));
    }
    // A directory cannot be renamed over a full one: move the old one aside
    // first (for an instant the target does not exist), then remove it.
    let old = beside(target, ":s6-update-symlinks-old")?;
    if let Err(e) = std::fs::rename(target, &old) {
        let _ = remove_tree(&fresh);
        let what = format!("rename {} to {}", target.display(), old.display());
        return Err(unable(what, e));
    }
    if let Err(e) = std::fs::rename(&fresh, target) {
        let _ = std::fs::rename(&old, target);
        let _ = remove_tree(&fresh);
        let what = format!("rename {} to {}", fresh.display(), target.display());
        return Err(unable(what, e));
    }
    if let Err(e) = remove_tree(&old) {
        eprintln!(
            "s6-update-symlinks: warning: unable to remove old directory {}: {}",
            old.display(),
            describe(&e)
        );
    }
    Ok(Step::Exit(0))
}
