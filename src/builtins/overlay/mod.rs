//! Commands of s6-overlay's own helpers: with-contenv, printcontenv,
//! logutil-*, with-retries, and halt/poweroff/reboot.

pub(crate) mod halt;
pub(crate) mod logutil_newfifo;
pub(crate) mod logutil_service;
pub(crate) mod printcontenv;
pub(crate) mod with_contenv;
pub(crate) mod with_retries;

use super::Builtin;

/// Sorted by name (a test checks it) for binary search.
pub static COMMANDS: &[Builtin] = &[
    b!("halt", halt),
    b!("logutil-newfifo", logutil_newfifo),
    b!("logutil-service", logutil_service),
    b!("poweroff", halt),
    b!("printcontenv", printcontenv),
    b!("reboot", halt),
    b!("with-contenv", with_contenv),
    b!("with-retries", with_retries),
];
