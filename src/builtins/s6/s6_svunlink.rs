//! `s6-svunlink [-X] [-t timeout] scandir name`: unregister a service:
//! remove its link from scandir, tell the scanner to rescan and drop what
//! is gone, and (unless `-X`) wait until its supervisor (and its logger's)
//! has exited. Like the original it exits 0 even when the wait times out.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::time::Instant;

use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::{Error, Result};
use crate::s6::ftrig::{self, Trigger};
use crate::s6::supervise_dir::{control_scanner, is_supervised};

pub const USAGE: &str = "s6-svunlink [ -X ] [ -t timeout ] scandir servicename";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "Xt:")?;
    let (mut wait, mut timeout) = (true, None);
    for (c, arg) in opts {
        match c {
            b'X' => wait = false,
            _ => timeout = super::s6_svwait::timeout_option(arg)?,
        }
    }
    let args = &argv[first + 1..];
    if args.len() < 2 {
        return Err(crate::builtins::usage());
    }
    let name = &args[1];
    if matches!(name.first(), None | Some(b'.' | b'/')) {
        return Err(Error::Invalid("invalid service name".into()));
    }
    let scan = PathBuf::from(OsStr::from_bytes(&args[0]));
    let link = scan.join(OsStr::from_bytes(name));
    // The subscriptions go to the real directories: the link is about to go.
    let mut triggers = Vec::new();
    if wait && is_supervised(&link) {
        for dir in [link.clone(), link.join("log")] {
            if dir != link && !dir.is_dir() {
                continue;
            }
            if let Ok(event) = std::fs::canonicalize(dir.join("event"))
                && let Ok(t) = Trigger::subscribe(&event, b"x")
            {
                triggers.push(t);
            }
        }
    }
    let _ = std::fs::remove_file(&link);
    let _ = control_scanner(&scan, b"an");
    if !triggers.is_empty() {
        ftrig::wait(&mut triggers, false, timeout.map(|t| Instant::now() + t));
    }
    Ok(Step::Exit(0))
}
