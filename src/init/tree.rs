//! What the image under `--root` holds: the legacy script directories and
//! whether there is any service tree at all (without one, the init acts as tini).

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
    services: PathBuf,
    user_contents: [PathBuf; 2],
}

impl Tree {
    pub fn at(root: &Path) -> Self {
        Tree {
            cont_init: root.join("etc/cont-init.d"),
            cont_finish: root.join("etc/cont-finish.d"),
            services: root.join("etc/services.d"),
            user_contents: [
                root.join("etc/s6-overlay/s6-rc.d/user/contents.d"),
                root.join("etc/s6-overlay/user-bundles.d/user/contents.d"),
            ],
        }
    }

    /// True when the image has none of the s6-overlay directories.
    pub fn is_empty(&self) -> bool {
        let [a, b] = &self.user_contents;
        ![&self.cont_init, &self.cont_finish, &self.services, a, b]
            .iter()
            .any(|d| d.is_dir())
    }
}

/// Copies a directory tree (files with their modes, links as links), as
/// s6-overlay copies `/etc/services.d` before supervising it: the image may
/// be read-only, and `supervise/` must be writable.
pub fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
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

impl Tree {
    pub fn services_dir(&self) -> &Path {
        &self.services
    }
}
