//! `s6-chown [-U] [-u uid] [-g gid] file`: set file's numeric owner and
//! group (either left as it is when not given); `-U` takes them from the
//! UID and GID variables, as s6-envuidgid sets them.

use crate::error::ErrnoText;
use std::os::unix::ffi::OsStrExt;

use nix::unistd::{Gid, Uid};

use crate::builtins::options;
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, show};

pub const USAGE: &str = "s6-chown [ -U ] [ -u uid ] [ -g gid ] file";

fn id(text: &[u8]) -> Result<u32> {
    number(text)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(crate::builtins::usage)
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "Uu:g:")?;
    let (mut uid, mut gid) = (None, None);
    for (c, arg) in opts {
        match c {
            b'U' => {
                uid = env.get(b"UID").map(id).transpose()?;
                gid = env.get(b"GID").map(id).transpose()?;
            }
            b'u' => uid = Some(id(arg.unwrap_or_default())?),
            _ => gid = Some(id(arg.unwrap_or_default())?),
        }
    }
    let Some(file) = argv.get(first + 1) else {
        return Err(crate::builtins::usage());
    };
    nix::unistd::chown(
        std::ffi::OsStr::from_bytes(file),
        uid.map(Uid::from_raw),
        gid.map(Gid::from_raw),
    )
    .map_err(|e| Error::Failed(format!("unable to chown {}: {}", show(file), e.text())))?;
    Ok(Step::Exit(0))
}
