//! `s6-ln [-n] [-s] [-f] [-L] [-P] src... dest`: make links, as ln(1).
//! With several sources, or one and a `dest` that is a directory (a link to
//! one counts, unless `-n`), each link goes in `dest` under its source's
//! base name. `-f` replaces an existing name atomically. Each failure is a
//! warning; the exit code is how many failed.

use crate::error::ErrnoText;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use nix::errno::Errno;

use super::s6_basename::basename;
use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::{Result, show};

pub const USAGE: &str = "s6-ln [ -n ] [ -s ] [ -f ] [ -L ] [ -P ] src... dest";

#[derive(Clone, Copy)]
enum How {
    Symbolic,
    /// A hard link; `follow`: to what a symlink source points to.
    Hard {
        follow: bool,
    },
}

fn link(how: How, src: &[u8], dst: &Path) -> nix::Result<()> {
    let src = std::ffi::CString::new(src).map_err(|_| Errno::EINVAL)?;
    let dst = std::ffi::CString::new(dst.as_os_str().as_bytes()).map_err(|_| Errno::EINVAL)?;
    let r = match how {
        // SAFETY: both paths are NUL-terminated strings that outlive the call.
        How::Symbolic => unsafe { libc::symlink(src.as_ptr(), dst.as_ptr()) },
        How::Hard { follow } => {
            let flags = if follow { libc::AT_SYMLINK_FOLLOW } else { 0 };
            // SAFETY: as above; AT_FDCWD resolves both against the cwd.
            unsafe {
                libc::linkat(
                    libc::AT_FDCWD,
                    src.as_ptr(),
                    libc::AT_FDCWD,
                    dst.as_ptr(),
                    flags,
                )
            }
        }
    };
    if r < 0 { Err(Errno::last()) } else { Ok(()) }
}

/// One link; a warning and 1 when it could not be made.
fn make(how: How, src: &[u8], dst: &Path, force: bool) -> i32 {
    match link(how, src, dst) {
        Ok(()) => return 0,
        Err(Errno::EEXIST) if force => {}
        Err(e) => {
            eprintln!(
                "s6-ln: warning: unable to make a link from {} to {}: {}",
                dst.display(),
                show(src),
                e.text()
            );
            return 1;
        }
    }
    // Made aside, then renamed over the old name: never a moment without it.
    let mut aside = dst.as_os_str().to_owned();
    aside.push(":s6-ln.new");
    let _ = std::fs::remove_file(&aside);
    if let Err(e) = link(how, src, Path::new(&aside)) {
        eprintln!(
            "s6-ln: warning: unable to make a link to {}: {}",
            show(src),
            e.text()
        );
        return 1;
    }
    if let Err(e) = std::fs::rename(&aside, dst) {
        let _ = std::fs::remove_file(&aside);
        eprintln!(
            "s6-ln: warning: unable to atomically replace {}: {}",
            dst.display(),
            crate::error::describe(&e)
        );
        return 1;
    }
    0
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "nsfLP")?;
    let (mut no_deref, mut force, mut how) = (false, false, How::Hard { follow: false });
    for (c, _) in opts {
        match c {
            b'n' => no_deref = true,
            b'f' => force = true,
            b's' => how = How::Symbolic,
            b'L' if !matches!(how, How::Symbolic) => how = How::Hard { follow: true },
            b'P' if !matches!(how, How::Symbolic) => how = How::Hard { follow: false },
            _ => {}
        }
    }
    let operands = &argv[first + 1..];
    let [sources @ .., dest] = operands else {
        return Err(crate::builtins::usage());
    };
    if sources.is_empty() {
        return Err(crate::builtins::usage());
    }
    let dest = Path::new(OsStr::from_bytes(dest));
    let into_dir = sources.len() > 1
        || if no_deref {
            std::fs::symlink_metadata(dest).is_ok_and(|m| m.is_dir())
        } else {
            dest.is_dir()
        };
    let failed: i32 = sources
        .iter()
        .map(|src| {
            if into_dir {
                make(
                    how,
                    src,
                    &dest.join(OsStr::from_bytes(basename(src))),
                    force,
                )
            } else {
                make(how, src, dest, force)
            }
        })
        .sum();
    Ok(Step::Exit(failed))
}
