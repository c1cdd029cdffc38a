//! `s6-mkdir [-p] [-v] [-m mode] dir...`: make each directory (with its
//! missing parents under `-p`, every one with `mode`). A failure is a
//! warning and the next one is tried; the exit code is then 111.

use crate::error::ErrnoText;
use std::os::unix::ffi::OsStrExt;

use nix::errno::Errno;
use nix::sys::stat::Mode;

use crate::builtins::options;
use crate::chain::getopt::file_mode;
use crate::chain::{Env, Step};
use crate::error::{Result, show};

pub const USAGE: &str = "s6-mkdir [ -p ] [ -v ] [ -m mode ] dir";

fn mkdir(path: &[u8], mode: u32) -> nix::Result<()> {
    let path = std::ffi::OsStr::from_bytes(path);
    nix::unistd::mkdir(path, Mode::from_bits_truncate(mode))
}

/// Makes `dir`, and with `parents` what is missing on the way; says what it
/// made when `verbose`.
fn make(dir: &[u8], mode: u32, parents: bool, verbose: bool) -> nix::Result<()> {
    if parents {
        for (i, _) in dir.iter().enumerate().filter(|&(i, &b)| b == b'/' && i > 0) {
            match mkdir(&dir[..i], mode) {
                Ok(()) if verbose => eprintln!("s6-mkdir: created directory {}", show(&dir[..i])),
                Ok(()) | Err(Errno::EEXIST) => {}
                Err(e) => return Err(e),
            }
        }
    }
    match mkdir(dir, mode) {
        Ok(()) => {
            if verbose {
                eprintln!("s6-mkdir: created directory {}", show(dir));
            }
            Ok(())
        }
        Err(Errno::EEXIST)
            if parents && std::path::Path::new(std::ffi::OsStr::from_bytes(dir)).is_dir() =>
        {
            Ok(())
        }
        Err(e) => Err(e),
    }
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "pvm:")?;
    let (mut parents, mut verbose, mut mode) = (false, false, 0o777);
    for (c, arg) in opts {
        match c {
            b'p' => parents = true,
            b'v' => verbose = true,
            _ => mode = arg.and_then(file_mode).ok_or_else(crate::builtins::usage)?,
        }
    }
    let mut code = 0;
    for dir in &argv[first + 1..] {
        if let Err(e) = make(dir, mode, parents, verbose) {
            eprintln!(
                "s6-mkdir: warning: unable to mkdir {}: {}",
                show(dir),
                e.text()
            );
            code = 111;
        }
    }
    Ok(Step::Exit(code))
}
