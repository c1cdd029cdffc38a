//! `dollarat [-n] [-0 | -d delimchar]`: print the positional parameters.

use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::{Error, Result};
use crate::subst::{positional, transform::encode_netstring};

pub const USAGE: &str = "dollarat [ -n ] [ -0 | -d delimchar ]";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, _) = options(&argv[1..], "n0d:")?;
    let (mut chomp, mut delim) = (false, Some(b'\n'));
    for (o, arg) in opts {
        match o {
            b'n' => chomp = true,
            b'0' => delim = Some(0),
            _ => match arg.unwrap_or_default() {
                [] => delim = None,
                // As execline: only the first character counts.
                [c, ..] => delim = Some(*c),
            },
        }
    }
    let (_, args) = positional::read_frame(env)?;
    let mut out = Vec::new();
    for (k, a) in args.iter().enumerate() {
        match delim {
            None => encode_netstring(&mut out, a),
            Some(d) => {
                out.extend_from_slice(a);
                if !(chomp && k + 1 == args.len()) {
                    out.push(d);
                }
            }
        }
    }
    write_all(1, &out).map_err(|e| Error::sys("write to stdout", e))?;
    Ok(Step::Exit(0))
}

/// Writes straight to an fd: nothing is buffered, so nothing is duplicated by a later fork.
pub fn write_all(fd: i32, mut buf: &[u8]) -> nix::Result<()> {
    // SAFETY: fd 1 (or the given fd) stays open for the duration of the call.
    let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
    while !buf.is_empty() {
        match nix::unistd::write(fd, buf) {
            Ok(n) => buf = &buf[n..],
            Err(nix::errno::Errno::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
