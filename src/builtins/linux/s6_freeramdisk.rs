//! `s6-freeramdisk device`: free the memory of a ramdisk (BLKFLSBUF);
//! anything else fails with the system's error.

use crate::error::ErrnoText;
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;

use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};

pub const USAGE: &str = "s6-freeramdisk ramdisk_device";

/// BLKFLSBUF, _IO(0x12, 97).
const BLKFLSBUF: libc::c_ulong = (0x12 << 8) | 97;

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let Some(device) = argv.get(1) else {
        return Err(crate::builtins::usage());
    };
    let f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(std::ffi::OsStr::from_bytes(device))
        .map_err(|e| {
            Error::Failed(format!(
                "unable to open {} in read-write mode: {}",
                show(device),
                describe(&e)
            ))
        })?;
    // SAFETY: BLKFLSBUF takes no argument; the fd is open for the call.
    if unsafe { libc::ioctl(f.as_raw_fd(), BLKFLSBUF as _, 0) } < 0 {
        let e = nix::errno::Errno::last();
        // In the words of the musl-built original.
        let why = if e == nix::errno::Errno::ENOTTY {
            "Not a tty"
        } else {
            e.text()
        };
        return Err(Error::Failed(format!(
            "unable to ioctl {}: {why}",
            show(device)
        )));
    }
    Ok(Step::Exit(0))
}
