//! `s6-dirname [-n] path`: path without its last component (POSIX
//! dirname, as skalibs computes it).

use crate::builtins::execline::dollarat::write_all;
use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub const USAGE: &str = "s6-dirname [ -n ] file";

/// "" and a name without a slash are "."; everything before the last
/// slash of the last component otherwise, or "/" when that is only slashes
/// (`a//b//` gives `a/`, as skalibs does: one slash of the run is cut).
pub fn dirname(path: &[u8]) -> &[u8] {
    let end = path.iter().rposition(|&b| b != b'/').map_or(0, |i| i + 1);
    if end == 0 {
        return if path.is_empty() { b"." } else { b"/" };
    }
    let Some(slash) = path[..end].iter().rposition(|&b| b == b'/') else {
        return b".";
    };
    let head = &path[..slash];
    if head.iter().all(|&b| b == b'/') {
        b"/"
    } else {
        head
    }
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "n")?;
    let Some(path) = argv.get(first + 1) else {
        return Err(crate::builtins::usage());
    };
    let mut dir = dirname(path).to_vec();
    if opts.is_empty() {
        dir.push(b'\n');
    }
    write_all(1, &dir).map_err(|e| Error::sys("write to stdout", e))?;
    Ok(Step::Exit(0))
}
