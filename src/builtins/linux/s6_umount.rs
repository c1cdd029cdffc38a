//! `s6-umount mntpoint` / `s6-umount -a`: unmount a filesystem, or every
//! one listed in /proc/mounts, the last mounted first.

use crate::error::ErrnoText;
use std::os::unix::ffi::OsStrExt;

use nix::mount::{MntFlags, umount2};

use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, show};

pub const USAGE: &str = "s6-umount [ -a ] [ mountpoint ]";

/// `\040`-style escapes of /proc/mounts back to bytes.
fn unoctal(field: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(field.len());
    let mut i = 0;
    while i < field.len() {
        let digits = field
            .get(i + 1..i + 4)
            .filter(|d| d.iter().all(|c| (b'0'..=b'7').contains(c)));
        match (field[i], digits) {
            (b'\\', Some(d)) => {
                out.push(d.iter().fold(0u8, |n, c| n.wrapping_mul(8) + (c - b'0')));
                i += 4;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "a")?;
    if opts.is_empty() {
        let Some(point) = argv.get(first + 1) else {
            return Err(crate::builtins::usage());
        };
        umount2(std::ffi::OsStr::from_bytes(point), MntFlags::empty()).map_err(|e| {
            Error::Failed(format!("unable to unmount {}: {}", show(point), e.text()))
        })?;
        return Ok(Step::Exit(0));
    }
    let table = std::fs::read("/proc/mounts").map_err(|e| {
        Error::Failed(format!(
            "unable to read /proc/mounts: {}",
            crate::error::describe(&e)
        ))
    })?;
    let points: Vec<Vec<u8>> = table
        .split(|&b| b == b'\n')
        .filter_map(|l| l.split(|&b| b == b' ').nth(1).map(unoctal))
        .collect();
    let mut failed = 0;
    for point in points.iter().rev() {
        if let Err(e) = umount2(std::ffi::OsStr::from_bytes(point), MntFlags::empty()) {
            eprintln!(
                "s6-umount: warning: unable to unmount {}: {}",
                show(point),
                e.text()
            );
            failed += 1;
        }
    }
    Ok(Step::Exit(failed))
}
