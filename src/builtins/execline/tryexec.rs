//! `tryexec [-n] [-c] [-l] [-a argv0] { prog1... } prog2...`: exec prog1; if
//! that fails, go on with prog2 (`-n` swaps the roles).

use crate::builtins::{options, split_at};
use crate::chain::{self, Env, Step, block::take_block};
use crate::error::{Error, Result};

pub const USAGE: &str = "tryexec [ -n ] [ -c ] [ -l ] [ -a argv0 ] { command... } command...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "ncla:")?;
    let (mut swap, mut how) = (false, super::exec::ExecAs::default());
    for (o, arg) in opts {
        if !how.option(o, arg) {
            swap = true;
        }
    }
    let mut rest = split_at(argv, i + 1);
    let block = take_block("tryexec", &mut rest, env.strict())?;
    if block.is_empty() {
        return Err(Error::Invalid("empty block".into()));
    }
    let (mut main, fallback) = if swap { (rest, block) } else { (block, rest) };
    let Some(prog) = main.first().cloned() else {
        return Ok(Step::Next(fallback));
    };
    how.rename(&mut main);
    let main_env = if how.clear {
        Env::default()
    } else {
        env.clone()
    };
    if !chain::is_external(std::slice::from_ref(&prog), env) {
        // A builtin always "execs": it runs here.
        *env = main_env;
        return Ok(Step::Exec { prog, argv: main });
    }
    // Looked up in our PATH even when -c empties the new environment.
    let _ = chain::exec_as(&prog, &main, &main_env, env);
    Ok(Step::Next(fallback))
}
