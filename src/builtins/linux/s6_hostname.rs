//! `s6-hostname [name]`: print the host name, or set it to name.

use crate::builtins::execline::dollarat::write_all;
use crate::chain::{Env, Step};
use crate::error::ErrnoText;
use crate::error::{Error, Result, show};

pub const USAGE: &str = "s6-hostname [ hostname ]";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    if let Some(name) = argv.get(1) {
        nix::unistd::sethostname(std::ffi::OsStr::new(&show(name)))
            .map_err(|e| Error::Failed(format!("unable to set hostname: {}", e.text())))?;
        return Ok(Step::Exit(0));
    }
    let name = nix::unistd::gethostname()
        .map_err(|e| Error::Failed(format!("unable to get hostname: {}", e.text())))?;
    let mut out = name.as_encoded_bytes().to_vec();
    out.push(b'\n');
    write_all(1, &out).map_err(|e| Error::sys("write to stdout", e))?;
    Ok(Step::Exit(0))
}
