//! `s6-pause [-t] [-h] [-a] [-q] [-b] [-i] [-p signals]`: wait forever,
//! ignoring the signals named (TERM, HUP, ALRM, QUIT, ABRT, INT, or the
//! numbers listed with `-p`); the others keep their default effect.

use crate::builtins::options;
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::Result;

pub const USAGE: &str =
    "s6-pause [ -t ] [ -h ] [ -a ] [ -q ] [ -b ] [ -i ] [ -p signal,signal... ]";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, _) = options(&argv[1..], "thaqbip:")?;
    let mut ignored = Vec::new();
    for (c, arg) in opts {
        match c {
            b't' => ignored.push(libc::SIGTERM),
            b'h' => ignored.push(libc::SIGHUP),
            b'a' => ignored.push(libc::SIGALRM),
            b'q' => ignored.push(libc::SIGQUIT),
            b'b' => ignored.push(libc::SIGABRT),
            b'i' => ignored.push(libc::SIGINT),
            _ => {
                for n in arg.unwrap_or_default().split(|&b| b == b',') {
                    let sig = number(n)
                        .and_then(|n| i32::try_from(n).ok())
                        .ok_or_else(crate::builtins::usage)?;
                    ignored.push(sig);
                }
            }
        }
    }
    for sig in ignored {
        // SAFETY: SIG_IGN installs no handler; a bad number only fails.
        unsafe { libc::signal(sig, libc::SIG_IGN) };
    }
    loop {
        // SAFETY: pause has no preconditions; it returns after a caught signal.
        unsafe { libc::pause() };
    }
}
