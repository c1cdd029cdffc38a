//! `chainit install DIR`: one symlink per command name, pointing at this binary.

use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// Directory to create the links in (created if missing).
    dir: PathBuf,
    /// Replace files that are not already our symlinks.
    #[arg(long)]
    force: bool,
}

pub fn run(args: &Args) -> i32 {
    let me = match std::env::current_exe().and_then(std::fs::canonicalize) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("chainit: fatal: unable to find this binary: {e}");
            return crate::exit::SYSTEM;
        }
    };
    if let Err(e) = std::fs::create_dir_all(&args.dir) {
        eprintln!(
            "chainit: fatal: unable to create {}: {e}",
            args.dir.display()
        );
        return crate::exit::SYSTEM;
    }
    let mut code = 0;
    for b in crate::builtins::BUILTINS {
        if let Err(msg) = link(&me, &args.dir.join(b.name), args.force) {
            eprintln!("chainit: fatal: {msg}");
            code = crate::exit::SYSTEM;
        }
    }
    code
}

/// Makes `at` a symlink to `target`; an existing link to `target` is kept as is.
fn link(target: &Path, at: &Path, force: bool) -> Result<(), String> {
    match std::fs::symlink_metadata(at) {
        Ok(_) if std::fs::read_link(at).is_ok_and(|t| t == target) => return Ok(()),
        Ok(_) if !force => {
            return Err(format!(
                "{} exists and is not a link to chainit (use --force)",
                at.display()
            ));
        }
        Ok(_) => std::fs::remove_file(at)
            .map_err(|e| format!("unable to remove {}: {e}", at.display()))?,
        Err(_) => {}
    }
    std::os::unix::fs::symlink(target, at)
        .map_err(|e| format!("unable to link {}: {e}", at.display()))
}
