//! Commands of the s6-rc package: the `s6-rc` client of the init's
//! service graph.

pub(crate) mod s6_rc;

use super::Builtin;

/// Sorted by name (a test checks it) for binary search.
pub static COMMANDS: &[Builtin] = &[b!("s6-rc", s6_rc)];
