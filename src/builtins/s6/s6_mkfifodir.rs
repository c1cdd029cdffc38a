//! `s6-mkfifodir [-f] [-g gid] fifodir`: make a fifodir, where listeners
//! subscribe to events: sticky and open to anyone (1733), or, with `-g`,
//! setgid and open to that group only (3730). An existing directory is left
//! as it is unless `-f`.

use std::os::unix::ffi::OsStrExt;

use crate::builtins::options;
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};

pub const USAGE: &str = "s6-mkfifodir [ -f ] [ -g gid ] fifodir";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "fg:")?;
    let (mut force, mut gid) = (false, None);
    for (c, arg) in opts {
        match c {
            b'f' => force = true,
            _ => {
                let n = arg.and_then(number).and_then(|n| u32::try_from(n).ok());
                gid = Some(n.ok_or_else(crate::builtins::usage)?);
            }
        }
    }
    let Some(dir) = argv.get(first + 1) else {
        return Err(crate::builtins::usage());
    };
    let path = std::path::Path::new(std::ffi::OsStr::from_bytes(dir));
    let fail = |e: std::io::Error| {
        Error::Failed(format!(
            "unable to create fifodir at {}: {}",
            show(dir),
            describe(&e)
        ))
    };
    crate::s6::fifodir::make_for(path, gid, force).map_err(fail)?;
    Ok(Step::Exit(0))
}
