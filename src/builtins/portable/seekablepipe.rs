//! `writer | seekablepipe tmpfile prog...`: save all of stdin in tmpfile
//! (unlinked at once), then run prog reading it from the start, so prog
//! may seek in its input.

use std::io::{Read, Seek, Write};
use std::os::fd::IntoRawFd;
use std::os::unix::ffi::OsStrExt;

use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};

pub const USAGE: &str = "seekablepipe tempfile prog...";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    if argv.len() < 3 {
        return Err(crate::builtins::usage());
    }
    let path = std::ffi::OsStr::from_bytes(&argv[1]);
    let fail = |what: &str, e: std::io::Error| {
        Error::Failed(format!(
            "unable to {what} {}: {}",
            show(&argv[1]),
            describe(&e)
        ))
    };
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| fail("create", e))?;
    std::fs::remove_file(path).map_err(|e| fail("unlink", e))?;
    let mut buf = vec![0u8; 65536];
    let mut stdin = std::io::stdin().lock();
    loop {
        let n = stdin.read(&mut buf).map_err(|e| fail("fill", e))?;
        if n == 0 {
            break;
        }
        f.write_all(&buf[..n]).map_err(|e| fail("write", e))?;
    }
    f.rewind().map_err(|e| fail("rewind", e))?;
    crate::chain::fd::move_fd(0, f.into_raw_fd())?;
    Ok(Step::Next(argv[2..].to_vec()))
}
