//! `printcontenv var`: print a variable of the container environment.

use std::io::Write;
use std::os::unix::ffi::OsStrExt;

use super::with_contenv::container_env_dir;
use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub const USAGE: &str = "printcontenv var";

/// printcontenv's test, sh's `[ "0$S6_KEEP_ENV" -ne 0 ]`: a non-number is
/// an error there, so only a whole non-zero number reads the live variable.
fn live(env: &Env) -> bool {
    let value = env.get(b"S6_KEEP_ENV").unwrap_or_default();
    value.iter().all(u8::is_ascii_digit) && value.iter().any(|&b| b != b'0')
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let Some(name) = argv.get(1) else {
        return Err(crate::builtins::usage());
    };
    let out = if live(env) {
        // The environment is the container's own: print the value and a newline.
        let mut v = env.get(name).unwrap_or_default().to_vec();
        v.push(b'\n');
        v
    } else {
        // The file as it is, like s6-overlay's `s6-cat < dir/var`; a name
        // with a `/` cannot be a variable.
        let mut path = container_env_dir(env);
        path.push(b'/');
        path.extend_from_slice(name);
        let file = (!name.contains(&b'/'))
            .then(|| std::fs::read(std::ffi::OsStr::from_bytes(&path)))
            .and_then(std::result::Result::ok);
        match file {
            Some(data) => data,
            None => return Ok(Step::Exit(1)),
        }
    };
    std::io::stdout()
        .write_all(&out)
        .map_err(|e| Error::Failed(format!("unable to write to stdout: {e}")))?;
    Ok(Step::Exit(0))
}
