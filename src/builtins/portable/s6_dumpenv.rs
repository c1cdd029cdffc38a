//! `s6-dumpenv [-N | -n] [-m mode] dir`: write the environment as an envdir
//! (one file per variable, made with `mode` if the directory is new), the
//! value as is (`-n`, the default) or with a newline (`-N`, for
//! `s6-envdir -L`).

use crate::error::ErrnoText;
use std::os::unix::ffi::OsStrExt;

use nix::errno::Errno;
use nix::sys::stat::Mode;

use crate::builtins::options;
use crate::chain::getopt::file_mode;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};

pub const USAGE: &str = "s6-dumpenv [ -N | -n ] [ -m mode ] envdir";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "Nnm:")?;
    let (mut newline, mut mode) = (false, 0o755);
    for (c, arg) in opts {
        match c {
            b'N' => newline = true,
            b'n' => newline = false,
            _ => mode = arg.and_then(file_mode).ok_or_else(crate::builtins::usage)?,
        }
    }
    let Some(dir) = argv.get(first + 1) else {
        return Err(crate::builtins::usage());
    };
    let path = std::path::Path::new(std::ffi::OsStr::from_bytes(dir));
    match nix::unistd::mkdir(path, Mode::from_bits_truncate(mode)) {
        Ok(()) | Err(Errno::EEXIST) => {}
        Err(e) => {
            return Err(Error::Failed(format!(
                "unable to mkdir {}: {}",
                show(dir),
                e.text()
            )));
        }
    }
    for (name, value) in env.iter() {
        if name.is_empty() || name.contains(&b'/') {
            continue;
        }
        let mut data = value.to_vec();
        if newline {
            data.push(b'\n');
        }
        let file = path.join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(&file, data).map_err(|e| {
            Error::Failed(format!(
                "unable to write {}: {}",
                file.display(),
                describe(&e)
            ))
        })?;
    }
    Ok(Step::Exit(0))
}
