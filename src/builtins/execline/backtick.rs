//! `backtick [-i|-I|-x|-D def] [-N|-n] [-E|-e] var { prog1... } prog2...`:
//! run prog1, put what it printed in `var`, go on.

use std::os::fd::AsRawFd;

use crate::builtins::{options, split_at};
use crate::chain::{Env, Step, block::take_block, fd, spawn};
use crate::error::{Error, Result};
use crate::exit;

pub const USAGE: &str =
    "backtick [ -i | -I | -x | -D default ] [ -N | -n ] [ -E | -e ] var { prog1... } prog2...";

/// What to do when the output is unusable or prog1 failed.
#[derive(Clone, Copy, PartialEq)]
enum OnFailure {
    Exit,
    Partial,
    Unset,
    Default,
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "iIxD:NnEe")?;
    let (mut mode, mut default, mut chomp, mut import) = (OnFailure::Exit, Vec::new(), true, false);
    for (o, arg) in opts {
        match o {
            b'i' => mode = OnFailure::Exit,
            b'I' => mode = OnFailure::Partial,
            b'x' => mode = OnFailure::Unset,
            b'D' => {
                mode = OnFailure::Default;
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
    let block = take_block("backtick", &mut rest, env.strict())?;
    if block.is_empty() {
        return Err(Error::Invalid("empty block".into()));
    }
    let (r, w) = fd::pipe()?;
    let (rfd, wfd) = (r.as_raw_fd(), w.as_raw_fd());
    let pid = spawn::spawn_with(block, env, || fd::child_stdio(1, wfd, rfd))?;
    drop(w);
    let mut out = fd::read_all(r, "child")?;
    let status = spawn::wait_for(pid)?;
    // execline 2.9.5: when the chain can go on after prog1 fails, `?` says
    // how prog1 ended (as foreground's: the code, or 256 + the signal).
    if mode != OnFailure::Exit {
        env.set(b"?".to_vec(), exit::question_mark(status).to_string());
    }
    let nul = out.iter().position(|&b| b == 0);
    let failed = !exit::succeeded(status);
    if failed || nul.is_some() {
        match mode {
            OnFailure::Exit => {
                let (code, why) = if failed {
                    let why = if exit::crashed(status) {
                        "child process crashed"
                    } else {
                        "child process exited non-zero"
                    };
                    (exit::approximate(status), why)
                } else {
                    (124, "child process output contained a null character")
                };
                eprintln!("backtick: fatal: {why}");
                return Err(Error::Quiet(code));
            }
            OnFailure::Partial => out.truncate(nul.unwrap_or(out.len())),
            OnFailure::Unset => {
                env.unset(&var);
                return Ok(Step::Next(rest));
            }
            OnFailure::Default => {
                out = default;
                chomp = false;
            }
        }
    }
    Ok(crate::builtins::store_output(
        env, var, out, chomp, import, rest,
    ))
}
