//! The table of commands that run inside the chain engine, and the few
//! argument helpers every one of them uses.

mod background;
mod backtick;
mod case;
mod cd;
mod define;
mod dollarat;
mod elgetopt;
mod elgetpositionals;
mod elglob;
mod eltest;
mod emptyenv;
mod envfile;
mod exec;
mod execlineb;
mod exit;
mod export;
mod fdblock;
mod fdclose;
mod fdmove;
mod fdreserve;
mod fdswap;
mod forbacktickx;
mod foreground;
mod forstdin;
mod forx;
mod getcwd;
mod getpid;
mod halt;
mod heredoc;
mod homeof;
mod if_;
mod ifelse;
mod ifte;
mod ifthenelse;
mod importas;
mod logutil_newfifo;
mod logutil_service;
mod loopwhilex;
mod multidefine;
mod multisubstitute;
mod pipeline;
mod piperw;
mod posix_cd;
mod posix_umask;
mod printcontenv;
mod redirfd;
mod runblock;
mod s6_applyuidgid;
mod s6_envdir;
pub(crate) mod s6_envuidgid;
mod s6_log;
mod s6_notifyoncheck;
mod s6_permafailon;
mod s6_rc;
mod s6_setsid;
mod s6_setuidgid;
mod s6_softlimit;
mod s6_svc;
mod s6_svdt;
mod s6_svlisten1;
mod s6_svok;
mod s6_svscanctl;
mod s6_svstat;
mod s6_svwait;
mod shift;
mod trap;
mod tryexec;
mod umask;
mod unexport;
mod wait;
mod with_contenv;
mod with_retries;
mod withstdinas;

use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub use crate::chain::registry::Builtin;

macro_rules! b {
    ($name:literal, $module:ident) => {
        Builtin {
            name: $name,
            run: $module::run,
            usage: $module::USAGE,
        }
    };
}

/// Sorted by name (a test checks it) for binary search.
pub static BUILTINS: &[Builtin] = &[
    b!("background", background),
    b!("backtick", backtick),
    b!("case", case),
    b!("cd", cd),
    b!("define", define),
    b!("dollarat", dollarat),
    b!("elgetopt", elgetopt),
    b!("elgetpositionals", elgetpositionals),
    b!("elglob", elglob),
    b!("eltest", eltest),
    b!("emptyenv", emptyenv),
    b!("envfile", envfile),
    b!("exec", exec),
    b!("execline-cd", cd),
    b!("execline-umask", umask),
    b!("execlineb", execlineb),
    b!("exit", exit),
    b!("export", export),
    b!("fdblock", fdblock),
    b!("fdclose", fdclose),
    b!("fdmove", fdmove),
    b!("fdreserve", fdreserve),
    b!("fdswap", fdswap),
    b!("forbacktickx", forbacktickx),
    b!("foreground", foreground),
    b!("forstdin", forstdin),
    b!("forx", forx),
    b!("getcwd", getcwd),
    b!("getpid", getpid),
    b!("halt", halt),
    b!("heredoc", heredoc),
    b!("homeof", homeof),
    b!("if", if_),
    b!("ifelse", ifelse),
    b!("ifte", ifte),
    b!("ifthenelse", ifthenelse),
    b!("importas", importas),
    b!("logutil-newfifo", logutil_newfifo),
    b!("logutil-service", logutil_service),
    b!("loopwhilex", loopwhilex),
    b!("multidefine", multidefine),
    b!("multisubstitute", multisubstitute),
    b!("pipeline", pipeline),
    b!("piperw", piperw),
    b!("posix-cd", posix_cd),
    b!("posix-umask", posix_umask),
    b!("poweroff", halt),
    b!("printcontenv", printcontenv),
    b!("reboot", halt),
    b!("redirfd", redirfd),
    b!("runblock", runblock),
    b!("s6-applyuidgid", s6_applyuidgid),
    b!("s6-envdir", s6_envdir),
    b!("s6-envuidgid", s6_envuidgid),
    b!("s6-log", s6_log),
    b!("s6-notifyoncheck", s6_notifyoncheck),
    b!("s6-permafailon", s6_permafailon),
    b!("s6-rc", s6_rc),
    b!("s6-setsid", s6_setsid),
    b!("s6-setuidgid", s6_setuidgid),
    b!("s6-softlimit", s6_softlimit),
    b!("s6-svc", s6_svc),
    b!("s6-svdt", s6_svdt),
    b!("s6-svdt-clear", s6_svdt),
    b!("s6-svlisten1", s6_svlisten1),
    b!("s6-svok", s6_svok),
    b!("s6-svscanctl", s6_svscanctl),
    b!("s6-svstat", s6_svstat),
    b!("s6-svwait", s6_svwait),
    b!("shift", shift),
    b!("trap", trap),
    b!("tryexec", tryexec),
    b!("umask", umask),
    b!("unexport", unexport),
    b!("wait", wait),
    b!("with-contenv", with_contenv),
    b!("with-retries", with_retries),
    b!("withstdinas", withstdinas),
];

/// Builtins whose only effect is on the environment, the next argv or the
/// exit code: a child chain may run them without forking first.
pub const PURE: &[&str] = &[
    "define",
    "elgetpositionals",
    "elglob",
    "emptyenv",
    "eltest",
    "exec",
    "exit",
    "export",
    "getcwd",
    "importas",
    "multidefine",
    "multisubstitute",
    "s6-envdir",
    "s6-envuidgid",
    "shift",
    "unexport",
    "with-contenv",
];

/// This layer's own table (the engine's `registry::lookup` sees them all).
pub fn lookup(name: &[u8]) -> Option<&'static Builtin> {
    BUILTINS
        .binary_search_by(|b| b.name.as_bytes().cmp(name))
        .ok()
        .map(|i| &BUILTINS[i])
}

/// Misuse: the engine prints the command's usage line; exit 100.
pub fn usage() -> Error {
    Error::Usage
}

/// Parses options with `spec`, mapping misuse to `usage()`.
pub fn options<'a>(
    args: &'a [Vec<u8>],
    spec: &str,
) -> Result<(Vec<crate::chain::getopt::Opt<'a>>, usize)> {
    crate::chain::getopt::getopt(args, spec).map_err(|_| usage())
}

/// Splits argv into its options part (after argv[0]) and returns the operands
/// from `first` on, owned, with the parsed options.
pub fn split_at(mut argv: Vec<Vec<u8>>, first: usize) -> Vec<Vec<u8>> {
    argv.drain(..first.min(argv.len()));
    argv
}

/// The rest of argv as the next step; most commands need one (exit 100 without).
pub fn next(rest: Vec<Vec<u8>>) -> Result<Step> {
    if rest.is_empty() {
        return Err(usage());
    }
    Ok(Step::Next(rest))
}

/// `-E`: instead of leaving `var` in the environment, substitute it and unexport it.
pub fn autoimport(var: &[u8], rest: Vec<Vec<u8>>) -> Step {
    Step::Next(importing(var, rest))
}

/// Stores a captured output in `var` (one trailing newline removed when
/// `chomp`), then goes on, substituting it with `-E` (`import`).
pub fn store_output(
    env: &mut Env,
    var: Vec<u8>,
    mut value: Vec<u8>,
    chomp: bool,
    import: bool,
    rest: Vec<Vec<u8>>,
) -> Step {
    if chomp && value.last() == Some(&b'\n') {
        value.pop();
    }
    env.set(var.clone(), value);
    if import && !rest.is_empty() {
        autoimport(&var, rest)
    } else {
        Step::Next(rest)
    }
}

/// `importas -ui var var rest...`: the argv `-E` runs.
pub fn importing(var: &[u8], rest: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let mut next = Vec::with_capacity(rest.len() + 4);
    next.push(b"importas".to_vec());
    next.push(b"-ui".to_vec());
    next.push(var.to_vec());
    next.push(var.to_vec());
    next.extend(rest);
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_complete() {
        assert!(BUILTINS.windows(2).all(|w| w[0].name < w[1].name));
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/builtins");
        for entry in std::fs::read_dir(dir).unwrap() {
            let file = entry.unwrap().file_name().into_string().unwrap();
            let Some(stem) = file.strip_suffix(".rs") else {
                continue;
            };
            if stem == "mod" {
                continue;
            }
            let name = stem.trim_end_matches('_').replace('_', "-");
            assert!(
                lookup(name.as_bytes()).is_some(),
                "{file} is not registered"
            );
        }
    }
}
