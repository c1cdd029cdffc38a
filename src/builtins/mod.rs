//! The table of commands that run inside the chain engine, and the few
//! argument helpers every one of them uses.

mod background;
mod cd;
mod define;
mod dollarat;
mod elgetpositionals;
mod emptyenv;
mod exec;
mod execlineb;
mod exit;
mod export;
mod fdclose;
mod fdmove;
mod fdswap;
mod foreground;
mod getcwd;
mod getpid;
mod heredoc;
mod if_;
mod ifelse;
mod ifte;
mod ifthenelse;
mod importas;
mod multidefine;
mod multisubstitute;
mod redirfd;
mod shift;
mod umask;
mod unexport;

use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub type Run = fn(&mut Env, Vec<Vec<u8>>) -> Result<Step>;

pub struct Builtin {
    pub name: &'static str,
    pub run: Run,
    pub usage: &'static str,
}

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
    b!("cd", cd),
    b!("define", define),
    b!("dollarat", dollarat),
    b!("elgetpositionals", elgetpositionals),
    b!("emptyenv", emptyenv),
    b!("exec", exec),
    b!("execline-cd", cd),
    b!("execline-umask", umask),
    b!("execlineb", execlineb),
    b!("exit", exit),
    b!("export", export),
    b!("fdclose", fdclose),
    b!("fdmove", fdmove),
    b!("fdswap", fdswap),
    b!("foreground", foreground),
    b!("getcwd", getcwd),
    b!("getpid", getpid),
    b!("heredoc", heredoc),
    b!("if", if_),
    b!("ifelse", ifelse),
    b!("ifte", ifte),
    b!("ifthenelse", ifthenelse),
    b!("importas", importas),
    b!("multidefine", multidefine),
    b!("multisubstitute", multisubstitute),
    b!("redirfd", redirfd),
    b!("shift", shift),
    b!("umask", umask),
    b!("unexport", unexport),
];

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
    let mut next = Vec::with_capacity(rest.len() + 4);
    next.push(b"importas".to_vec());
    next.push(b"-ui".to_vec());
    next.push(var.to_vec());
    next.push(var.to_vec());
    next.extend(rest);
    Step::Next(next)
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
