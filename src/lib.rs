//! chainit: an execline interpreter (and, later, a container init) in one binary.

pub mod alloc_cache;
pub mod builtins;
pub mod chain;
pub mod cli;
pub mod control;
pub mod decimal;
pub mod diagnostic;
pub mod env;
pub mod error;
pub mod exit;
#[doc(hidden)]
pub mod fuzzing;
pub mod init;
pub mod poll;
pub mod posix;
pub mod procfs;
pub mod s6;
pub mod script;
pub mod sig;
pub mod subst;
pub mod users;

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

/// Every command the engine runs in-process: the builtins, and the
/// supervisor programs that live with the init.
static REGISTRY: chain::registry::Registry = chain::registry::Registry {
    tables: &[
        builtins::execline::COMMANDS,
        builtins::linux::COMMANDS,
        builtins::overlay::COMMANDS,
        builtins::portable::COMMANDS,
        builtins::rc::COMMANDS,
        builtins::s6::COMMANDS,
        init::COMMANDS,
    ],
    pure: builtins::PURE,
    fd_effects: builtins::fd_effects,
};

fn basename(path: &[u8]) -> &[u8] {
    path.rsplit(|&b| b == b'/').next().unwrap_or(path)
}

/// The path the kernel executed (differs from argv[0] under `exec -a`).
fn exec_path() -> Option<Vec<u8>> {
    // SAFETY: getauxval has no preconditions; AT_EXECFN points to a NUL-terminated
    // string on the initial stack that lives as long as the process.
    let p = unsafe { libc::getauxval(libc::AT_EXECFN) } as *const libc::c_char;
    if p.is_null() {
        return None;
    }
    // SAFETY: see above.
    Some(unsafe { std::ffi::CStr::from_ptr(p) }.to_bytes().to_vec())
}

/// Whether argv[0] names s6-overlay's `/init`: `init` itself, a renamed
/// copy (`mv /init /s6-init`, as images do before putting a wrapper script
/// in its place), or, as PID 1, any name that is neither chainit's nor one
/// of its commands.
fn is_init_name(name: &[u8]) -> bool {
    name == b"init"
        || (chain::registry::lookup(name).is_none()
            && (name.ends_with(b"-init")
                || (std::process::id() == 1 && !name.starts_with(b"chainit"))))
}

/// The multicall entry: a command name in argv[0] (or in the executed path)
/// runs that command; `chainit CMD …` runs a command or a subcommand.
pub fn entry(args: Vec<OsString>) -> i32 {
    chain::registry::install(&REGISTRY);
    let mut argv: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
    let Some(first) = argv.first() else {
        return exit::USAGE;
    };
    // s6-overlay's /init takes no options: every argument is the CMD.
    if is_init_name(basename(first)) {
        let mut args = vec![OsString::from("chainit"), "init".into(), "--".into()];
        args.extend(argv.into_iter().skip(1).map(OsString::from_vec));
        return cli::main(args);
    }
    let by_argv0 = chain::registry::lookup(basename(first)).map(|b| b.name);
    let name = by_argv0.or_else(|| {
        let path = exec_path()?;
        chain::registry::lookup(basename(&path)).map(|b| b.name)
    });
    if let Some(name) = name {
        chain::run_named(name.as_bytes().to_vec(), argv, chain::Env::from_process());
    }
    // `chainit wait` is the service wait; execline's `wait` stays reachable
    // by its own name, in a chain and in scripts.
    if argv.len() > 1 && argv[1] != b"wait" && chain::registry::lookup(&argv[1]).is_some() {
        argv.remove(0);
        chain::run(argv, chain::Env::from_process());
    }
    cli::main(argv.into_iter().map(OsString::from_vec).collect())
}
