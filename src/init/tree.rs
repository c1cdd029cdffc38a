//! What the image under `--root` holds: the legacy script directories and
//! whether there is any service tree at all (without one, the init acts as tini).

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Entries of `dir` in byte order (s6-overlay sorts them the same way),
/// dotfiles skipped; an absent directory has none.
pub fn scripts(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut list: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| !e.file_name().as_encoded_bytes().starts_with(b"."))
        .map(|e| e.path())
        .collect();
    list.sort_by(|a, b| {
        a.as_os_str()
            .as_encoded_bytes()
            .cmp(b.as_os_str().as_encoded_bytes())
    });
    list
}

/// Why `path` cannot be run as a script, if it cannot.
pub fn not_runnable(path: &Path) -> Option<&'static str> {
    match std::fs::metadata(path) {
        Err(_) => Some("it does not exist"),
        Ok(m) if m.is_dir() => Some("it is a directory"),
        Ok(m) if m.permissions().mode() & 0o111 == 0 => Some("it is not executable"),
        Ok(_) => None,
    }
}

pub struct Tree {
    pub cont_init: PathBuf,
    pub cont_finish: PathBuf,
    pub services: PathBuf,
    pub fix_attrs: PathBuf,
    /// The s6-rc source definitions and the user bundles.
    pub sources: super::graph::Sources,
}

impl Tree {
    /// The image under `root`; `S6_RUNTIME_PROFILE` picks
    /// `etc/cont-profile.d/NAME` in place of `etc`, and
    /// `S6_RUNTIME_BUNDLEDIR` (read inside `root`) moves the user bundles.
    pub fn at(root: &Path, profile: Option<&[u8]>, bundledir: Option<&[u8]>) -> Self {
        let etc = match profile {
            Some(p) => root
                .join("etc/cont-profile.d")
                .join(std::ffi::OsStr::from_bytes(p)),
            None => root.join("etc"),
        };
        let overlay = etc.join("s6-overlay");
        let bundles = match bundledir {
            Some(d) => root.join(std::ffi::OsStr::from_bytes(
                d.strip_prefix(b"/").unwrap_or(d),
            )),
            None => overlay.join("user-bundles.d"),
        };
        Tree {
            cont_init: etc.join("cont-init.d"),
            cont_finish: etc.join("cont-finish.d"),
            services: etc.join("services.d"),
            fix_attrs: etc.join("fix-attrs.d"),
            sources: super::graph::Sources {
                s6rc: overlay.join("s6-rc.d"),
                bundles,
                overlay: overlay_sources(root),
            },
        }
    }

    /// True when the image has none of the s6-overlay directories.
    pub fn is_empty(&self) -> bool {
        let s = &self.sources;
        ![
            &self.cont_init,
            &self.cont_finish,
            &self.services,
            &s.s6rc.join("user/contents.d"),
            &s.s6rc.join("user2/contents.d"),
            &s.bundles.join("user/contents.d"),
            &s.bundles.join("user2/contents.d"),
        ]
        .iter()
        .any(|d| d.is_dir())
            && s.overlay.iter().all(|d| super::service::list(d).is_empty())
    }
}

/// `ROOT/package/admin/s6-overlay*/etc/s6-rc/sources`, each directory once
/// (`s6-overlay` is usually a link to `s6-overlay-VERSION`), sorted.
fn overlay_sources(root: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root.join("package/admin")) else {
        return Vec::new();
    };
    let mut found: Vec<(PathBuf, PathBuf)> = entries
        .flatten()
        .filter(|e| e.file_name().as_bytes().starts_with(b"s6-overlay"))
        .map(|e| e.path().join("etc/s6-rc/sources"))
        .filter_map(|d| Some((std::fs::canonicalize(&d).ok()?, d)))
        .collect();
    found.sort();
    found.dedup_by(|a, b| a.0 == b.0);
    found.into_iter().map(|(_, d)| d).collect()
}

/// Copies a directory tree (files with their modes, links as links), as
/// s6-overlay copies `/etc/services.d` before supervising it: the image may
/// be read-only, and `supervise/` must be writable.
pub fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    copy_tree_except(from, to, &[])
}

/// `copy_tree`, leaving out the top-level entries named in `skip`.
pub fn copy_tree_except(from: &Path, to: &Path, skip: &[&str]) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if skip.iter().any(|s| entry.file_name() == *s) {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type()?;
        if kind.is_symlink() {
            let _ = std::fs::remove_file(&dst);
            std::os::unix::fs::symlink(std::fs::read_link(&src)?, &dst)?;
        } else if kind.is_dir() {
            // supervise/ and event/ are runtime state, never copied.
            if entry.file_name() != "supervise" && entry.file_name() != "event" {
                copy_tree(&src, &dst)?;
            }
        } else if kind.is_file() {
            std::fs::copy(&src, &dst)?;
        }
    }
    Ok(())
}

/// Sets the copies of `names` under `dir` (those that exist) to 0755, as
/// s6-rc-compile installs a longrun's scripts whatever the source's mode.
pub fn make_runnable(dir: &Path, names: &[&str]) -> std::io::Result<()> {
    for name in names {
        let path = dir.join(name);
        if path.is_file() {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))?;
        }
    }
    Ok(())
}
