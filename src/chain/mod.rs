//! The chain engine: run builtins in this process, `execve` everything else.
//!
//! A real exec would close close-on-exec fds and reset caught signals. Builtins
//! keep that true by construction: every fd they open for themselves is owned
//! and closed before they return, and none of them installs a signal handler
//! that outlives it. So the next step sees what an exec would have left.

pub mod block;
pub mod codes;
pub mod fd;
pub mod getopt;
pub mod registry;
pub mod shebang;
pub mod spawn;
pub mod trace;

use std::ffi::CString;

use nix::errno::Errno;

pub use crate::env::Env;
use crate::error::{Error, show};

/// What a builtin asks the engine to do next.
pub enum Step {
    /// Continue with this argv (its first word names the next program).
    Next(Vec<Vec<u8>>),
    /// Continue with `prog`, passing it `argv` (whose first word may differ, as with `exec -a`).
    Exec { prog: Vec<u8>, argv: Vec<Vec<u8>> },
    /// Stop with this exit code.
    Exit(i32),
}

/// Runs a chain to its end; never returns.
pub fn run(argv: Vec<Vec<u8>>, env: Env) -> ! {
    let prog = argv.first().cloned().unwrap_or_default();
    run_named(prog, argv, env)
}

/// Runs a chain whose first program is `prog` (argv[0] may say otherwise).
pub fn run_named(mut prog: Vec<u8>, mut argv: Vec<Vec<u8>>, mut env: Env) -> ! {
    let mut caller: &str = "execlineb";
    // A program looks up the next one in its own PATH, before its own
    // changes: `export PATH /x prog` still finds prog in the old PATH.
    let mut search = search_path(&env).to_vec();
    // Under CHAINIT_EXEC=1 every step after the first is a real execve of
    // this binary, whose first step then runs here.
    let mut first = true;
    loop {
        if argv.is_empty() {
            std::process::exit(0);
        }
        if env.flag(b"CHAINIT_TRACE") {
            trace::print(&argv);
        }
        let builtin = if prog.contains(&b'/') {
            None
        } else {
            registry::lookup(&prog)
        };
        let step = match builtin {
            Some(b) if first || !env.flag(b"CHAINIT_EXEC") => {
                first = false;
                caller = b.name;
                search = search_path(&env).to_vec();
                (b.run)(&mut env, argv).unwrap_or_else(|e| {
                    report(b.name, b.usage, &e);
                    Step::Exit(e.code())
                })
            }
            _ => {
                let errno = exec(&prog, &argv, &env, &search, builtin.is_some());
                let e = Error::Exec {
                    prog: show(&prog),
                    errno,
                };
                report(caller, "", &e);
                Step::Exit(e.code())
            }
        };
        match step {
            Step::Next(next) => {
                prog = next.first().cloned().unwrap_or_default();
                argv = next;
            }
            Step::Exec { prog: p, argv: a } => {
                prog = p;
                argv = a;
            }
            Step::Exit(code) => std::process::exit(code),
        }
    }
}

/// The PATH a program searches: the environment's, or a default when unset or empty.
pub(crate) fn search_path(env: &Env) -> &[u8] {
    match env.get(b"PATH") {
        Some(p) if !p.is_empty() => p,
        _ => b"/usr/bin:/bin",
    }
}

/// True when the first program of `argv` would be exec'd rather than run in-process.
pub fn is_external(argv: &[Vec<u8>], env: &Env) -> bool {
    match argv.first() {
        None => false,
        Some(p) => p.contains(&b'/') || registry::lookup(p).is_none() || env.flag(b"CHAINIT_EXEC"),
    }
}

/// Execs the first program of `argv` (an external one); returns why it failed.
pub fn exec_first(argv: &[Vec<u8>], env: &Env) -> Errno {
    let prog = &argv[0];
    let builtin = !prog.contains(&b'/') && registry::lookup(prog).is_some();
    exec(prog, argv, env, search_path(env), builtin)
}

/// Execs `prog` with `argv` (argv[0] may differ) and `env`, looking it up in
/// the PATH of `caller`; returns why it failed.
pub fn exec_as(prog: &[u8], argv: &[Vec<u8>], env: &Env, caller: &Env) -> Errno {
    let builtin = !prog.contains(&b'/') && registry::lookup(prog).is_some();
    exec(prog, argv, env, search_path(caller), builtin)
}

/// Prints an error the way execline does: `prog: fatal: …` or `prog: usage: …`.
pub fn report(prog: &str, usage: &str, e: &Error) {
    match e {
        Error::Quiet(_) => {}
        Error::Usage => eprintln!("{prog}: usage: {usage}"),
        Error::Parse(p) => crate::diagnostic::render_syntax_error(p.as_ref()),
        other => eprintln!("{prog}: fatal: {other}"),
    }
}

fn cstring(bytes: &[u8]) -> CString {
    // Words come from argv or the parser, which never yield NUL; keep the prefix if one slipped in.
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    CString::new(&bytes[..end]).unwrap_or_default()
}

/// Replaces the process with `prog`, searched in `search` when it has no
/// `/`. A builtin under `CHAINIT_EXEC=1` is exec'd as this binary. Returns
/// why every attempt failed.
fn exec(prog: &[u8], argv: &[Vec<u8>], env: &Env, search: &[u8], builtin: bool) -> Errno {
    let args: Vec<CString> = argv.iter().map(|a| cstring(a)).collect();
    let envp = env.envp();
    if builtin {
        let mut args = args;
        args[0] = cstring(prog);
        let Err(errno) = nix::unistd::execve(&cstring(b"/proc/self/exe"), &args, &envp);
        return errno;
    }
    if prog.contains(&b'/') {
        let Err(errno) = nix::unistd::execve(&cstring(prog), &args, &envp);
        return errno;
    }
    if prog.is_empty() {
        return Errno::ENOENT;
    }
    let mut seen = Errno::ENOENT;
    for dir in search.split(|&b| b == b':') {
        let mut file = if dir.is_empty() {
            b".".to_vec()
        } else {
            dir.to_vec()
        };
        file.push(b'/');
        file.extend_from_slice(prog);
        let Err(errno) = nix::unistd::execve(&cstring(&file), &args, &envp);
        match errno {
            Errno::ENOENT | Errno::ENOTDIR => {}
            Errno::EACCES | Errno::EPERM | Errno::ELOOP | Errno::ENAMETOOLONG => seen = errno,
            other => return other,
        }
    }
    seen
}
