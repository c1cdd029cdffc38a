//! `s6-ls [-0] [-a | -A] [-x exclude] dir`: the names in dir, one a line
//! (NUL-terminated with `-0`), in directory order; dotfiles only with `-a`,
//! and `.` and `..` too with `-A`.

use std::os::unix::ffi::OsStrExt;

use crate::builtins::execline::dollarat::write_all;
use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};

pub const USAGE: &str = "s6-ls [ -0 ] [ -a | -A ] [ -x exclude ] dir";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "0aAx:")?;
    let (mut end, mut dots, mut both, mut exclude) = (b'\n', false, false, None);
    for (c, arg) in opts {
        match c {
            b'0' => end = 0,
            b'a' => (dots, both) = (true, false),
            b'A' => (dots, both) = (true, true),
            _ => exclude = arg.map(<[u8]>::to_vec),
        }
    }
    let Some(dir) = argv.get(first + 1) else {
        return Err(crate::builtins::usage());
    };
    let entries = std::fs::read_dir(std::ffi::OsStr::from_bytes(dir)).map_err(|e| {
        Error::Failed(format!(
            "unable to open directory {}: {}",
            show(dir),
            describe(&e)
        ))
    })?;
    let mut names: Vec<Vec<u8>> = if both {
        vec![b".".to_vec(), b"..".to_vec()]
    } else {
        Vec::new()
    };
    for entry in entries {
        let entry = entry.map_err(|e| {
            Error::Failed(format!(
                "unable to read directory {}: {}",
                show(dir),
                describe(&e)
            ))
        })?;
        names.push(entry.file_name().as_bytes().to_vec());
    }
    let mut out = Vec::new();
    for name in names {
        if (!dots && name.starts_with(b".")) || exclude.as_deref() == Some(&name[..]) {
            continue;
        }
        out.extend_from_slice(&name);
        out.push(end);
    }
    write_all(1, &out).map_err(|e| Error::sys("write to stdout", e))?;
    Ok(Step::Exit(0))
}
