//! The table of commands that run inside the chain engine, and the few
//! argument helpers every one of them uses.

use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub use crate::chain::registry::Builtin;

/// A table entry: the command's name and the module that runs it.
macro_rules! b {
    ($name:literal, $module:ident) => {
        Builtin {
            name: $name,
            run: $module::run,
            usage: $module::USAGE,
        }
    };
}

pub mod execline;
pub mod linux;
pub mod overlay;
pub mod portable;
pub mod rc;
pub mod s6;

/// Every table of this layer, by package.
pub static TABLES: &[&[Builtin]] = &[
    execline::COMMANDS,
    linux::COMMANDS,
    overlay::COMMANDS,
    portable::COMMANDS,
    rc::COMMANDS,
    s6::COMMANDS,
];

/// The fds redirfd, fdmove, fdswap and fdclose change, from their argv
/// (None for any other command, or an argv they would refuse): the engine
/// may run them in-process and restore those fds afterwards.
pub fn fd_effects(name: &str, argv: &[Vec<u8>]) -> Option<Vec<i32>> {
    use crate::chain::fd::parse;
    let args = argv.get(1..)?;
    let (spec, count) = match name {
        "redirfd" => ("rwuaxnb", 1),
        "fdmove" => ("c", 2),
        "fdswap" => ("", 2),
        "fdclose" => ("", 1),
        _ => return None,
    };
    let (_, first) = crate::chain::getopt::getopt(args, spec).ok()?;
    let fds: Option<Vec<i32>> = args
        .get(first..first + count)?
        .iter()
        .map(|a| parse(a))
        .collect();
    fds.filter(|fds| fds.iter().all(|&fd| fd >= 0))
}

/// Builtins that leave the process as they found it: their effects are on
/// the environment, the next argv, the exit code, files, and unbuffered
/// writes to stdout and stderr — never on fds, cwd, umask, limits, ids or
/// signal dispositions, and they read no stdin. A child chain may run them
/// without forking first (cont-init scripts full of `foreground { s6-mkdir
/// … }` then fork for nothing).
pub const PURE: &[&str] = &[
    "define",
    "elgetpositionals",
    "elglob",
    "eltest",
    "emptyenv",
    "exec",
    "exit",
    "export",
    "getcwd",
    "importas",
    "multidefine",
    "multisubstitute",
    "s6-basename",
    "s6-chmod",
    "s6-chown",
    "s6-dirname",
    "s6-dumpenv",
    "s6-echo",
    "s6-envdir",
    "s6-envuidgid",
    "s6-false",
    "s6-linkname",
    "s6-ln",
    "s6-mkdir",
    "s6-mkfifo",
    "s6-printenv",
    "s6-rename",
    "s6-rmrf",
    "s6-seq",
    "s6-test",
    "s6-touch",
    "s6-true",
    "shift",
    "unexport",
    "with-contenv",
];

/// A command of this layer's tables (the engine's `registry::lookup` also
/// sees the init's own).
pub fn lookup(name: &[u8]) -> Option<&'static Builtin> {
    TABLES.iter().find_map(|t| {
        t.binary_search_by(|b| b.name.as_bytes().cmp(name))
            .ok()
            .map(|i| &t[i])
    })
}

/// A package's multicall name (`execline`, `s6-portable-utils`, …): run
/// the subcommand named first, if it is one of the package's own commands.
pub fn subcommand(package: &[Builtin], mut argv: Vec<Vec<u8>>) -> Result<Step> {
    argv.remove(0);
    let Some(sub) = argv.first() else {
        return Err(usage());
    };
    if !package.iter().any(|b| b.name.as_bytes() == &sub[..]) {
        return Err(Error::Invalid(format!(
            "unknown subcommand: {}",
            crate::error::show(sub)
        )));
    }
    Ok(Step::Next(argv))
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

/// Checks options as skalibs' GNU-style parser does, for the programs that
/// use it (s6-ftrig-*, s6-notify-*, s6-background-watch): an unknown short
/// letter or long option is a fatal error of its own, and each long option
/// in `longs` is rewritten into its short letter (`--name=value` when that
/// letter takes a value in `spec`, `--name` when it does not).
pub fn gnu_options(argv: &[Vec<u8>], spec: &str, longs: &[(&str, u8)]) -> Result<Vec<Vec<u8>>> {
    let takes_value = |c: u8| {
        spec.bytes()
            .position(|s| s == c)
            .is_some_and(|p| spec.as_bytes().get(p + 1) == Some(&b':'))
    };
    let mut out = vec![argv[0].clone()];
    let mut i = 1;
    while i < argv.len() {
        let arg = &argv[i];
        i += 1;
        if arg == b"--" || arg.len() < 2 || arg[0] != b'-' {
            out.push(arg.clone());
            break;
        }
        if let Some(long) = arg.strip_prefix(b"--") {
            let (name, value) = match long.iter().position(|&b| b == b'=') {
                Some(at) => (&long[..at], Some(&long[at + 1..])),
                None => (long, None),
            };
            let known = longs.iter().find(|(n, _)| n.as_bytes() == name);
            match (known, value) {
                (Some(&(_, c)), Some(v)) if takes_value(c) => {
                    out.extend([vec![b'-', c], v.to_vec()]);
                }
                (Some(&(_, c)), None) if !takes_value(c) => out.push(vec![b'-', c]),
                _ => {
                    let kind = if value.is_some() {
                        "option with argument"
                    } else {
                        "boolean option"
                    };
                    return Err(Error::Invalid(format!(
                        "unrecognized {kind}: {}",
                        crate::error::show(arg)
                    )));
                }
            }
            continue;
        }
        out.push(arg.clone());
        for (at, &c) in arg.iter().enumerate().skip(1) {
            if !spec.as_bytes().contains(&c) || c == b':' {
                let what = format!("unrecognized short option: {}", c as char);
                return Err(Error::Invalid(what));
            }
            if takes_value(c) {
                // The value is the rest of this word or the next word.
                if at + 1 == arg.len()
                    && let Some(value) = argv.get(i)
                {
                    out.push(value.clone());
                    i += 1;
                }
                break;
            }
        }
    }
    out.extend(argv[i..].iter().cloned());
    Ok(out)
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

/// Sets `var` to `value` and goes on with `rest` (a usage error when there
/// is none), substituting it with `-E` (`import`): getcwd, getpid.
pub fn set_and_go_on(
    env: &mut Env,
    var: Vec<u8>,
    value: Vec<u8>,
    import: bool,
    rest: Vec<Vec<u8>>,
) -> Result<Step> {
    if rest.is_empty() {
        return Err(usage());
    }
    env.set(var.clone(), value);
    Ok(if import {
        autoimport(&var, rest)
    } else {
        Step::Next(rest)
    })
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
    fn tables_are_sorted_complete_and_disjoint() {
        let mut all = Vec::new();
        for (folder, table) in [
            ("execline", execline::COMMANDS),
            ("linux", linux::COMMANDS),
            ("overlay", overlay::COMMANDS),
            ("portable", portable::COMMANDS),
            ("rc", rc::COMMANDS),
            ("s6", s6::COMMANDS),
        ] {
            assert!(table.windows(2).all(|w| w[0].name < w[1].name), "{folder}");
            all.extend(table.iter().map(|b| b.name));
            let dir = format!("{}/src/builtins/{folder}", env!("CARGO_MANIFEST_DIR"));
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
                    table.iter().any(|b| b.name == name),
                    "{folder}/{file} is not registered in its folder"
                );
            }
        }
        let count = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), count, "a name is in two tables");
    }
}
