//! Commands of s6-portable-utils 2.3.1.2 (as s6-overlay 3.2.3.2 ships it),
//! and `s6-test`, which older scripts call and which upstream replaced by
//! `eltest`: it is that.

pub(crate) mod s6_basename;
pub(crate) mod s6_cat;
pub(crate) mod s6_chmod;
pub(crate) mod s6_chown;
pub(crate) mod s6_dirname;
pub(crate) mod s6_dumpenv;
pub(crate) mod s6_echo;
pub(crate) mod s6_false;
pub(crate) mod s6_ln;
pub(crate) mod s6_mkdir;
pub(crate) mod s6_rmrf;
pub(crate) mod s6_sleep;
pub(crate) mod s6_touch;
pub(crate) mod s6_true;

use super::Builtin;
use super::execline::eltest;

/// Sorted by name (a test checks it) for binary search.
pub static COMMANDS: &[Builtin] = &[
    b!("s6-basename", s6_basename),
    b!("s6-cat", s6_cat),
    b!("s6-chmod", s6_chmod),
    b!("s6-chown", s6_chown),
    b!("s6-dirname", s6_dirname),
    b!("s6-dumpenv", s6_dumpenv),
    b!("s6-echo", s6_echo),
    b!("s6-false", s6_false),
    b!("s6-ln", s6_ln),
    b!("s6-mkdir", s6_mkdir),
    b!("s6-rmrf", s6_rmrf),
    b!("s6-sleep", s6_sleep),
    b!("s6-test", eltest),
    b!("s6-touch", s6_touch),
    b!("s6-true", s6_true),
];
