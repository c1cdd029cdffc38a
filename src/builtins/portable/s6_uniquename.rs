//! `s6-uniquename [-n randomlen] prefix`: print a name no other process
//! makes: prefix, `:` a TAI64N label of now, `:` the pid, `:` the host
//! name, and with `-n`, `:` randomlen random characters.

use std::time::SystemTime;

use crate::builtins::execline::dollarat::write_all;
use crate::builtins::options;
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub const USAGE: &str = "s6-uniquename [ -n randomlen ] prefix";

/// `n` characters from [A-Za-z0-9_-], from the kernel's random source.
fn random_text(n: usize) -> Result<Vec<u8>> {
    const SET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    let mut raw = vec![0u8; n];
    let mut got = 0;
    while got < n {
        // SAFETY: writes at most n - got bytes into our own buffer.
        let r = unsafe { libc::getrandom(raw[got..].as_mut_ptr().cast(), n - got, 0) };
        if r < 0 {
            let e = nix::errno::Errno::last();
            if e != nix::errno::Errno::EINTR {
                return Err(Error::sys("get random bytes", e));
            }
            continue;
        }
        got += r as usize;
    }
    Ok(raw.iter().map(|b| SET[usize::from(b & 63)]).collect())
}

/// `prefix:@TAI64N:pid:host`, then `:` and `random` random characters
/// when it is not 0.
pub fn unique_name(prefix: &[u8], random: usize) -> Result<Vec<u8>> {
    let host = nix::unistd::gethostname().unwrap_or_default();
    let mut out = prefix.to_vec();
    out.push(b':');
    out.extend(crate::s6::tai64n::label(SystemTime::now()).into_bytes());
    out.extend_from_slice(format!(":{}:", std::process::id()).as_bytes());
    out.extend_from_slice(host.as_encoded_bytes());
    if random > 0 {
        out.push(b':');
        out.extend(random_text(random)?);
    }
    Ok(out)
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "n:")?;
    let mut random = 0usize;
    for (_, arg) in opts {
        random = arg
            .and_then(number)
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(crate::builtins::usage)?;
    }
    let Some(prefix) = argv.get(first + 1) else {
        return Err(crate::builtins::usage());
    };
    let mut out = unique_name(prefix, random)?;
    out.push(b'\n');
    write_all(1, &out).map_err(|e| Error::sys("write to stdout", e))?;
    Ok(Step::Exit(0))
}
