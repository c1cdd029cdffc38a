//! `s6-softlimit [-a -c -d -f -l -m -o -p -r -s -t value] prog...`: lower (or
//! raise up to the hard limit) soft resource limits, then prog.

use nix::sys::resource::{Resource, getrlimit, setrlimit};

use crate::builtins::split_at;
use crate::chain::getopt::{getopt_skipping, number};
use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub const USAGE: &str = "s6-softlimit [ -a allbytes ] [ -c corebytes ] [ -d databytes ] [ -f filebytes ] [ -l lockbytes ] [ -m membytes ] [ -o openfiles ] [ -p processes ] [ -r residentbytes ] [ -s stackbytes ] [ -t cpusecs ] prog...";

/// The limits one option sets, with the names messages use.
fn limits(option: u8) -> &'static [(Resource, &'static str)] {
    match option {
        b'a' => &[(Resource::RLIMIT_AS, "RLIMIT_AS")],
        b'c' => &[(Resource::RLIMIT_CORE, "RLIMIT_CORE")],
        b'd' => &[(Resource::RLIMIT_DATA, "RLIMIT_DATA")],
        b'f' => &[(Resource::RLIMIT_FSIZE, "RLIMIT_FSIZE")],
        b'l' => &[(Resource::RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK")],
        // "All memory": s6 sets these four, in this order.
        b'm' => &[
            (Resource::RLIMIT_DATA, "RLIMIT_DATA"),
            (Resource::RLIMIT_STACK, "RLIMIT_STACK"),
            (Resource::RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK"),
            (Resource::RLIMIT_AS, "RLIMIT_AS"),
        ],
        b'o' => &[(Resource::RLIMIT_NOFILE, "RLIMIT_NOFILE")],
        b'p' => &[(Resource::RLIMIT_NPROC, "RLIMIT_NPROC")],
        b'r' => &[(Resource::RLIMIT_RSS, "RLIMIT_RSS")],
        b's' => &[(Resource::RLIMIT_STACK, "RLIMIT_STACK")],
        _ => &[(Resource::RLIMIT_CPU, "RLIMIT_CPU")],
    }
}

/// Sets one soft limit: `=` means the hard limit, a number above the hard
/// limit is capped to it.
fn set_soft(resource: Resource, name: &str, value: &[u8]) -> Result<()> {
    let (_, hard) = getrlimit(resource).map_err(|e| Error::sys(format!("get {name}"), e))?;
    let soft = if value == b"=" {
        hard
    } else {
        number(value).ok_or_else(crate::builtins::usage)?.min(hard)
    };
    setrlimit(resource, soft, hard).map_err(|e| Error::sys(format!("set {name} to {soft}"), e))
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    // s6 passes over option letters it does not know.
    let (opts, i) = getopt_skipping(&argv[1..], "a:c:d:f:l:m:o:p:r:s:t:")
        .map_err(|_| crate::builtins::usage())?;
    for (o, value) in opts {
        for &(resource, name) in limits(o) {
            set_soft(resource, name, value.unwrap_or_default())?;
        }
    }
    crate::builtins::next(split_at(argv, i + 1))
}
