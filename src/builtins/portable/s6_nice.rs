//! `s6-nice [-I | -i] [-n value] prog...`: run prog with its niceness
//! raised by value (default 10). A value that cannot be set is a warning
//! (`-I`, the default) or fatal (`-i`).

use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::ErrnoText;
use crate::error::{Error, Result};

pub const USAGE: &str = "s6-nice [ -I | -i ] [ -n value ] prog...";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "Iin:")?;
    let (mut strict, mut by) = (false, 10i32);
    for (c, arg) in opts {
        match c {
            b'I' => strict = false,
            b'i' => strict = true,
            _ => {
                by = std::str::from_utf8(arg.unwrap_or_default())
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(crate::builtins::usage)?;
            }
        }
    }
    let prog = argv[first + 1..].to_vec();
    if prog.is_empty() {
        return Err(crate::builtins::usage());
    }
    // nice(2) may return -1 on success: errno tells.
    nix::errno::Errno::clear();
    // SAFETY: nice takes an int and touches only this process's niceness.
    let r = unsafe { libc::nice(by) };
    let e = nix::errno::Errno::last();
    if r == -1 && e != nix::errno::Errno::UnknownErrno {
        let msg = format!("unable to nice: {}", e.text());
        if strict {
            return Err(Error::Failed(msg));
        }
        eprintln!("s6-nice: warning: {msg}");
    }
    Ok(Step::Next(prog))
}
