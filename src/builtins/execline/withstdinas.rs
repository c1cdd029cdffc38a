//! `withstdinas [-i|-I|-D def] [-N|-n] [-E|-e] var prog...`: read stdin to
//! its end into `var`, go on.

use crate::builtins::{options, split_at};
use crate::chain::{Env, Step, fd};
use crate::error::{Error, Result};

pub const USAGE: &str = "withstdinas [ -i | -I | -D default ] [ -N | -n ] [ -E | -e ] var prog...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "iID:NnEe")?;
    // None: truncate at a NUL; Some(b'i'): die; Some(b'I'): unset; Some(b'D'): default.
    let (mut on_nul, mut default, mut chomp, mut import) = (None, Vec::new(), true, false);
    for (o, arg) in opts {
        match o {
            b'i' | b'I' => on_nul = Some(o),
            b'D' => {
                on_nul = Some(o);
                default = arg.unwrap_or_default().to_vec();
            }
            b'N' => chomp = false,
            b'n' => chomp = true,
            b'E' => import = true,
            _ => import = false,
        }
    }
    let mut rest = split_at(argv, i + 1);
    if rest.is_empty() {
        return Err(crate::builtins::usage());
    }
    let var = rest.remove(0);
    // SAFETY: fd 0 is borrowed for the read; dup gives us our own copy to close.
    let stdin = nix::unistd::dup(unsafe { std::os::fd::BorrowedFd::borrow_raw(0) })
        .map_err(|e| Error::sys("read from stdin", e))?;
    let mut value = fd::read_all(stdin, "stdin")?;
    if let Some(nul) = value.iter().position(|&b| b == 0) {
        match on_nul {
            Some(b'i') => {
                eprintln!("withstdinas: fatal: stdin contained a null character");
                return Err(Error::Quiet(1));
            }
            Some(b'I') => {
                env.unset(&var);
                return Ok(Step::Next(rest));
            }
            Some(_) => {
                eprintln!(
                    "withstdinas: warning: stdin contained a null character - using default instead"
                );
                value = default;
                chomp = false;
            }
            None => value.truncate(nul),
        }
    }
    Ok(crate::builtins::store_output(
        env, var, value, chomp, import, rest,
    ))
}
