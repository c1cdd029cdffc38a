//! `s6-basename [-n] path [suffix]`: the last component of path (POSIX
//! basename), without suffix when it ends so and is not all of it.

use crate::builtins::execline::dollarat::write_all;
use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub const USAGE: &str = "s6-basename [ -n ] file [ suffix ]";

/// POSIX basename: "" is ".", a path of only slashes is "/".
pub fn basename(path: &[u8]) -> &[u8] {
    if path.is_empty() {
        return b".";
    }
    let trimmed = {
        let end = path.iter().rposition(|&b| b != b'/').map_or(0, |i| i + 1);
        &path[..end]
    };
    if trimmed.is_empty() {
        return b"/";
    }
    let start = trimmed
        .iter()
        .rposition(|&b| b == b'/')
        .map_or(0, |i| i + 1);
    &trimmed[start..]
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "n")?;
    let newline = opts.is_empty();
    let Some(path) = argv.get(first + 1) else {
        return Err(crate::builtins::usage());
    };
    let mut base = basename(path).to_vec();
    if let Some(suffix) = argv.get(first + 2)
        && base.len() > suffix.len()
        && base.ends_with(suffix)
    {
        base.truncate(base.len() - suffix.len());
    }
    if newline {
        base.push(b'\n');
    }
    write_all(1, &base).map_err(|e| Error::sys("write to stdout", e))?;
    Ok(Step::Exit(0))
}
