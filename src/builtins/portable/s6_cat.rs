//! `s6-cat`: copy stdin to stdout until the end of input (arguments are
//! ignored, as by s6-portable-utils).

use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub const USAGE: &str = "s6-cat";

pub fn run(_env: &mut Env, _argv: Vec<Vec<u8>>) -> Result<Step> {
    let mut buf = vec![0u8; 65536];
    loop {
        // SAFETY: reads into our own buffer, at most its size.
        let n = unsafe { libc::read(0, buf.as_mut_ptr().cast(), buf.len()) };
        match n {
            0 => return Ok(Step::Exit(0)),
            n if n > 0 => crate::builtins::execline::dollarat::write_all(1, &buf[..n as usize])
                .map_err(|e| Error::sys("write to stdout", e))?,
            _ => {
                let e = nix::errno::Errno::last();
                if e != nix::errno::Errno::EINTR {
                    return Err(Error::sys("read from stdin", e));
                }
            }
        }
    }
}
