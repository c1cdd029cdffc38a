//! `logutil-service [-f fifo] logdir`: s6-overlay's logger for a service's
//! `log/run`. Takes the logging script from `S6_LOGGING_SCRIPT` (in the
//! environment, else the saved container environment; default
//! `n20 s1000000 T`), drops to `nobody` when run as root, clears the
//! environment and becomes `s6-log -b SCRIPT logdir` (reading from fifo
//! with `-f`).

use std::os::unix::ffi::OsStrExt;

use super::with_contenv::container_env_dir;
use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::Result;

pub const USAGE: &str = "logutil-service [ -f fifo ] logdir";

const DEFAULT_SCRIPT: &[u8] = b"n20 s1000000 T";

fn logging_script(env: &Env) -> Vec<u8> {
    if let Some(s) = env.get(b"S6_LOGGING_SCRIPT").filter(|s| !s.is_empty()) {
        return s.to_vec();
    }
    let dir = container_env_dir(env);
    let file = std::path::Path::new(std::ffi::OsStr::from_bytes(&dir)).join("S6_LOGGING_SCRIPT");
    match std::fs::read(file) {
        Ok(mut v) if !v.is_empty() => {
            while v.last().is_some_and(u8::is_ascii_whitespace) {
                v.pop();
            }
            v
        }
        _ => DEFAULT_SCRIPT.to_vec(),
    }
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "f:")?;
    let Some(logdir) = argv.get(first + 1).cloned() else {
        return Err(crate::builtins::usage());
    };
    let mut next: Vec<Vec<u8>> = Vec::new();
    if let Some((_, Some(fifo))) = opts.iter().find(|(c, _)| *c == b'f') {
        next.extend([
            b"redirfd".to_vec(),
            b"-rnb".to_vec(),
            b"0".to_vec(),
            fifo.to_vec(),
        ]);
    }
    if nix::unistd::getuid().is_root() {
        let nobody = crate::users::user_by_name(b"nobody")
            .ok()
            .flatten()
            .is_some();
        let account: &[u8] = if nobody { b"nobody" } else { b"65534:65534" };
        next.extend([b"s6-setuidgid".to_vec(), account.to_vec()]);
    }
    next.extend([b"emptyenv".to_vec(), b"s6-log".to_vec(), b"-b".to_vec()]);
    next.extend(
        logging_script(env)
            .split(u8::is_ascii_whitespace)
            .filter(|w| !w.is_empty())
            .map(<[u8]>::to_vec),
    );
    next.push(logdir);
    Ok(Step::Next(next))
}
