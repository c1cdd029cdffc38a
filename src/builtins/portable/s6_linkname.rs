//! `s6-linkname [-n] [-f] link`: what a symbolic link points to; with `-f`,
//! the path fully resolved (it need not be a link).

use std::os::unix::ffi::OsStrExt;

use crate::builtins::execline::dollarat::write_all;
use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};

pub const USAGE: &str = "s6-linkname [ -n ] [ -f ] link";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "nf")?;
    let (mut newline, mut resolve) = (true, false);
    for (c, _) in opts {
        match c {
            b'n' => newline = false,
            _ => resolve = true,
        }
    }
    let Some(link) = argv.get(first + 1) else {
        return Err(crate::builtins::usage());
    };
    let path = std::ffi::OsStr::from_bytes(link);
    let target = if resolve {
        std::fs::canonicalize(path)
    } else {
        std::fs::read_link(path)
    }
    .map_err(|e| {
        Error::Failed(format!(
            "unable to resolve {}: {}",
            show(link),
            describe(&e)
        ))
    })?;
    let mut out = target.as_os_str().as_bytes().to_vec();
    if newline {
        out.push(b'\n');
    }
    write_all(1, &out).map_err(|e| Error::sys("write to stdout", e))?;
    Ok(Step::Exit(0))
}
