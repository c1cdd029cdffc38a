//! `chainit install DIR`: one symlink per command name, pointing at this binary.
//! `chainit install --s6-overlay ROOT`: the same under `ROOT/command`, plus
//! the other paths s6-overlay images name in shebangs and entry points.

use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// Directory to create the links in (created if missing); with
    /// --s6-overlay, the root of the image.
    dir: PathBuf,
    /// Lay out s6-overlay's paths under DIR: DIR/command/<every command>,
    /// DIR/usr/bin/{with-contenv,execlineb} and DIR/init.
    #[arg(long = "s6-overlay")]
    s6_overlay: bool,
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
    let mut links: Vec<PathBuf> = Vec::new();
    let commands = if args.s6_overlay {
        args.dir.join("command")
    } else {
        args.dir.clone()
    };
    links.extend(
        crate::chain::registry::all()
            .into_iter()
            .map(|b| commands.join(b.name)),
    );
    if args.s6_overlay {
        links.push(args.dir.join("usr/bin/with-contenv"));
        links.push(args.dir.join("usr/bin/execlineb"));
        links.push(args.dir.join("init"));
    }
    let mut code = 0;
    for at in links {
        if let Err(msg) = make_parent(&at).and_then(|()| link(&me, &at, args.force)) {
            eprintln!("chainit: fatal: {msg}");
            code = crate::exit::SYSTEM;
        }
    }
    code
}

fn make_parent(at: &Path) -> Result<(), String> {
    let dir = at.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| format!("unable to create {}: {e}", dir.display()))
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
