//! `chainit init [OPTIONS] [-- CMD…]`: the container init's command line.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::path::PathBuf;

use crate::init::{self, signals};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Where the image's etc/ is read (cont-init.d, cont-finish.d, services.d…).
    #[arg(long, default_value = "/")]
    root: PathBuf,
    /// Runtime state: s6/container_environment, the exit-code file, halt.
    #[arg(long, env = "CHAINIT_RUN_DIR", default_value = "/run")]
    run_dir: PathBuf,
    /// Register as a child subreaper (automatic when not PID 1).
    #[arg(short = 's')]
    subreaper: bool,
    /// Send forwarded signals to the CMD's whole process group.
    #[arg(short = 'g')]
    group: bool,
    /// Report this CMD exit code as 0 (repeatable).
    #[arg(short = 'e', value_name = "CODE", value_parser = clap::value_parser!(u8))]
    remap: Vec<u8>,
    /// Signal to receive when the init's parent dies.
    #[arg(short = 'p', value_name = "SIG", value_parser = parse_signal)]
    parent_death: Option<i32>,
    /// Forward signal FROM as TO (TO = 0 drops it; repeatable).
    #[arg(short = 'r', value_name = "FROM:TO", value_parser = parse_rewrite)]
    rewrite: Vec<(i32, i32)>,
    /// Tini mode: after a forwarded TERM, INT, QUIT or HUP, KILL the CMD's
    /// process group once MS have passed (as does an explicit S6_KILL_GRACETIME).
    #[arg(long, value_name = "MS")]
    grace: Option<u64>,
    /// More messages (repeatable; S6_VERBOSITY sets the base).
    #[arg(short = 'v', action = clap::ArgAction::Count)]
    verbose: u8,
    /// The CMD and its arguments.
    // After the first word of the CMD everything is the CMD's; an unknown
    // option before it is a usage error (`--` lets a CMD start with `-`).
    #[arg(trailing_var_arg = true, value_name = "CMD")]
    cmd: Vec<OsString>,
}

fn parse_signal(text: &str) -> Result<i32, String> {
    signals::parse(text).ok_or_else(|| format!("unknown signal {text:?}"))
}

fn parse_rewrite(text: &str) -> Result<(i32, i32), String> {
    let (from, to) = text.split_once(':').ok_or("expected FROM:TO")?;
    Ok((parse_signal(from)?, parse_signal(to)?))
}

pub fn run(args: Args) -> i32 {
    if !args.root.is_dir() {
        eprintln!(
            "chainit init: fatal: --root {}: not a directory",
            args.root.display()
        );
        return crate::exit::USAGE;
    }
    let code = init::run(init::Options {
        root: args.root,
        run_dir: args.run_dir,
        subreaper: args.subreaper,
        group: args.group,
        remap: args.remap.into_iter().map(i32::from).collect(),
        parent_death: args.parent_death,
        rewrite: args.rewrite,
        grace_ms: args.grace,
        verbose: args.verbose,
        cmd: args.cmd.into_iter().map(OsString::into_vec).collect(),
    });
    // Straight out: the init writes to stdout only through unbuffered
    // writes, so no atexit handler has anything to finish, and skipping them
    // keeps the last step after a `docker stop` from paging code back in.
    // SAFETY: _exit ends the process; nothing of ours is left unwritten.
    unsafe { libc::_exit(code) }
}
