//! `pipeline [-d] [-r|-w] { prog1... } prog2...`: run prog1 as a child with a
//! pipe between it and prog2 (prog1 writes by default; `-w`: prog1 reads).
//! prog1's pid goes in `!`.

use std::os::fd::AsRawFd;

use crate::builtins::{options, split_at};
use crate::chain::{self, Env, Step, block::take_block, fd, spawn};
use crate::error::{Error, Result};

pub const USAGE: &str = "pipeline [ -d ] [ -r | -w ] { command... } command...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "drw")?;
    let (mut double, mut child_reads) = (false, false);
    for (o, _) in opts {
        match o {
            b'd' => double = true,
            b'r' => child_reads = false,
            _ => child_reads = true,
        }
    }
    let mut rest = split_at(argv, i + 1);
    let block = take_block("pipeline", &mut rest, env.strict())?;
    if rest.is_empty() {
        return Err(Error::Invalid("empty remainder".into()));
    }
    let (r, w) = fd::pipe()?;
    let (rfd, wfd) = (r.as_raw_fd(), w.as_raw_fd());
    // The child's end of the pipe and where it goes; ours likewise.
    let (child, child_to, other) = if child_reads {
        (rfd, 0, wfd)
    } else {
        (wfd, 1, rfd)
    };
    let mine_to = if child_reads { 1 } else { 0 };
    {
        // An empty block still gets a child (that exits at once), like execline.
        let pid = if double {
            let child_env = env.clone();
            spawn::double_fork(move || {
                if let Err(e) = fd::child_stdio(child_to, child, other) {
                    eprintln!("pipeline: fatal: {e}");
                    std::process::exit(crate::exit::SYSTEM);
                }
                chain::run(block, child_env)
            })?
        } else {
            spawn::spawn_with(block, env, || fd::child_stdio(child_to, child, other))?
        };
        env.set(b"!".to_vec(), pid.as_raw().to_string());
    }
    let mine = if child_reads { w } else { r };
    fd::install(mine_to, mine)?;
    Ok(Step::Next(rest))
}
