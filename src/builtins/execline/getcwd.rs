//! `getcwd [-E|-e] var prog...`: put the working directory in a variable.

use std::os::unix::ffi::OsStrExt;

use crate::builtins::{options, set_and_go_on, split_at, usage};
use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub const USAGE: &str = "getcwd [ -E | -e ] variable prog...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "Ee")?;
    let import = opts.last().is_some_and(|o| o.0 == b'E');
    let var = argv.get(i + 1).cloned().ok_or_else(usage)?;
    let cwd = nix::unistd::getcwd().map_err(|e| Error::sys("getcwd", e))?;
    let rest = split_at(argv, i + 2);
    set_and_go_on(env, var, cwd.as_os_str().as_bytes().to_vec(), import, rest)
}
