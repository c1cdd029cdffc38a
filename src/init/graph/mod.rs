//! The s6-rc source format, read straight from the image (no compile
//! step): `ROOT/etc/s6-overlay/s6-rc.d/<name>/` oneshots, longruns and
//! bundles, the `user`/`user2` bundles of `user-bundles.d`, and the pieces
//! s6-overlay defines itself (`fix-attrs`, `legacy-cont-init`,
//! `legacy-services`, `base`, `top`). Bundles are expanded away: the graph
//! holds atomic services only, each with the atomic services it needs.
//! Every malformed definition becomes a `Problem`; the services it breaks
//! are marked so, and the rest of the graph stays usable.

mod checks;
mod problem;
mod read;
mod resolve;

use std::collections::HashMap;
use std::path::PathBuf;

pub use problem::Problem;

/// A piece of s6-overlay's own service database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overlay {
    /// `fix-attrs`: the deprecated `etc/fix-attrs.d`, applied by a child.
    FixAttrs,
    /// `legacy-cont-init`: `etc/cont-init.d` on the way up,
    /// `etc/cont-finish.d` on the way down.
    ContInit,
    /// `legacy-services`: `etc/services.d`, supervised.
    Services,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Oneshot {
        up: Vec<Vec<u8>>,
        down: Option<Vec<Vec<u8>>>,
    },
    Longrun {
        /// `producer-for`: this service's stdout feeds that consumer.
        producer_for: Option<usize>,
        /// Whether another longrun's stdout is this one's stdin.
        consumer: bool,
    },
    Overlay(Overlay),
}

#[derive(Clone, Debug)]
pub struct Node {
    pub name: String,
    pub kind: Kind,
    /// The definition directory (empty for s6-overlay's own pieces).
    pub dir: PathBuf,
    /// Atomic services this one needs up first.
    pub deps: Vec<usize>,
    /// Milliseconds; 0 means no limit.
    pub timeout_up_ms: u64,
    pub timeout_down_ms: u64,
    /// `flag-essential`: kept up by a runtime `chainit svc -d` of a bundle.
    pub essential: bool,
    /// Set when the definition (or one it needs) is malformed: never started.
    pub broken: bool,
}

/// Where the definitions are.
pub struct Sources {
    /// `etc/s6-overlay/s6-rc.d` (or the profile's).
    pub s6rc: PathBuf,
    /// `S6_RUNTIME_BUNDLEDIR`: holds `user/contents.d` and `user2/contents.d`.
    pub bundles: PathBuf,
    /// s6-overlay's own source directories
    /// (`package/admin/s6-overlay*/etc/s6-rc/sources`), where images add
    /// services and members of `base`.
    pub overlay: Vec<PathBuf>,
}

#[derive(Debug, Default)]
pub struct Graph {
    pub nodes: Vec<Node>,
    index: HashMap<String, usize>,
    /// Bundle name → its atomic members, expanded.
    bundles: HashMap<String, Vec<usize>>,
}

/// A definition as read, before names are resolved.
struct Raw {
    name: String,
    dir: PathBuf,
    kind: RawKind,
    deps: Vec<(String, PathBuf)>,
    timeout_up_ms: u64,
    timeout_down_ms: u64,
    essential: bool,
    broken: bool,
}

enum RawKind {
    Atomic(Kind),
    Longrun {
        producer_for: Option<(String, PathBuf)>,
        consumer_for: Vec<String>,
        pipeline: Option<String>,
    },
    Bundle(Vec<(String, PathBuf)>),
}

impl Graph {
    /// The atomic services `name` stands for: itself, or a bundle's members.
    pub fn members(&self, name: &str) -> Option<Vec<usize>> {
        if let Some(&i) = self.index.get(name) {
            return Some(vec![i]);
        }
        self.bundles.get(name).cloned()
    }

    /// Whether `name` is a longrun of the graph (which has `RUN/service/NAME`).
    pub fn is_longrun(&self, name: &str) -> bool {
        self.index
            .get(name)
            .is_some_and(|&i| matches!(self.nodes[i].kind, Kind::Longrun { .. }))
    }

    pub fn bundle_names(&self) -> impl Iterator<Item = String> + '_ {
        self.bundles
            .keys()
            .filter(|b| !self.index.contains_key(*b))
            .cloned()
    }

    pub fn is_bundle(&self, name: &str) -> bool {
        self.bundles.contains_key(name) && !self.index.contains_key(name)
    }

    /// `of` and everything it needs, transitively.
    pub fn closure(&self, of: &[usize]) -> Vec<bool> {
        let mut seen = vec![false; self.nodes.len()];
        let mut todo: Vec<usize> = of.to_vec();
        while let Some(i) = todo.pop() {
            if !std::mem::replace(&mut seen[i], true) {
                todo.extend(&self.nodes[i].deps);
            }
        }
        seen
    }

    /// `of` and everything that needs it, transitively.
    pub fn dependents_closure(&self, of: &[usize]) -> Vec<bool> {
        let mut seen = vec![false; self.nodes.len()];
        for &i in of {
            seen[i] = true;
        }
        loop {
            let mut changed = false;
            for (i, n) in self.nodes.iter().enumerate() {
                if !seen[i] && n.deps.iter().any(|&d| seen[d]) {
                    seen[i] = true;
                    changed = true;
                }
            }
            if !changed {
                return seen;
            }
        }
    }

    /// Whether the image defines any service of its own.
    pub fn has_user_services(&self) -> bool {
        self.nodes
            .iter()
            .any(|n| !matches!(n.kind, Kind::Overlay(_)))
    }
}
