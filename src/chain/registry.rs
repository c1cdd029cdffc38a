//! The commands the engine runs in-process. The engine does not import
//! them: the binary's entry hands it their tables once (`install`), so the
//! engine sits below every command it runs.

use std::sync::OnceLock;

use super::{Env, Step};
use crate::error::Result;

pub type Run = fn(&mut Env, Vec<Vec<u8>>) -> Result<Step>;

/// See `Registry::fd_effects`.
pub type FdEffects = fn(&str, &[Vec<u8>]) -> Option<Vec<i32>>;

/// One command: its name, its entry point and its usage line.
pub struct Builtin {
    pub name: &'static str,
    pub run: Run,
    pub usage: &'static str,
}

/// What the engine may run in-process.
pub struct Registry {
    /// Tables, each sorted by name (binary search).
    pub tables: &'static [&'static [Builtin]],
    /// Commands whose only effect is on the environment, the next argv or
    /// the exit code: a child chain may run them before it forks.
    pub pure: &'static [&'static str],
    /// For commands that are pure but for the fds they open, move or close
    /// (redirfd, fdmove…): those fds, read from their argv. The engine saves
    /// them, runs the command in-process and puts them back afterwards.
    pub fd_effects: FdEffects,
}

static REGISTRY: OnceLock<&'static Registry> = OnceLock::new();

/// Hands the engine its commands; the first call wins.
pub fn install(registry: &'static Registry) {
    let _ = REGISTRY.set(registry);
}

/// The command named `name`, if the engine runs it in-process.
pub fn lookup(name: &[u8]) -> Option<&'static Builtin> {
    REGISTRY.get()?.tables.iter().find_map(|t| {
        t.binary_search_by(|b| b.name.as_bytes().cmp(name))
            .ok()
            .map(|i| &t[i])
    })
}

/// Whether a child chain may run `name` before forking.
pub fn is_pure(name: &str) -> bool {
    REGISTRY.get().is_some_and(|r| r.pure.contains(&name))
}

/// The fds `name` would change when run with `argv`, if it changes
/// nothing else the engine cannot undo.
pub fn fd_effects(name: &str, argv: &[Vec<u8>]) -> Option<Vec<i32>> {
    REGISTRY.get().and_then(|r| (r.fd_effects)(name, argv))
}

/// Every command, sorted by name.
pub fn all() -> Vec<&'static Builtin> {
    let mut v: Vec<&'static Builtin> = REGISTRY
        .get()
        .map(|r| r.tables.iter().flat_map(|t| t.iter()).collect())
        .unwrap_or_default();
    v.sort_by_key(|b| b.name);
    v
}
