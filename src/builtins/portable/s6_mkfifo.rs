//! `s6-mkfifo [-m mode] fifo...`: make each named pipe with exactly `mode`
//! (default 0666; the umask does not apply, as with s6-portable-utils').

use crate::error::ErrnoText;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;

use nix::sys::stat::Mode;

use crate::builtins::options;
use crate::chain::getopt::file_mode;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};

pub const USAGE: &str = "s6-mkfifo [ -m mode ] fifo...";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "m:")?;
    let mut mode = 0o666;
    for (_, arg) in opts {
        mode = arg.and_then(file_mode).ok_or_else(crate::builtins::usage)?;
    }
    let fifos = &argv[first + 1..];
    if fifos.is_empty() {
        return Err(crate::builtins::usage());
    }
    for fifo in fifos {
        let path = std::ffi::OsStr::from_bytes(fifo);
        nix::unistd::mkfifo(path, Mode::from_bits_truncate(mode))
            .map_err(|e| Error::Failed(format!("unable to mkfifo {}: {}", show(fifo), e.text())))?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(|e| {
            Error::Failed(format!(
                "unable to change mode of {}: {}",
                show(fifo),
                describe(&e)
            ))
        })?;
    }
    Ok(Step::Exit(0))
}
