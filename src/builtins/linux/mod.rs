//! Commands of s6-linux-utils 2.6.4.1 (as s6-overlay 3.2.3.2 ships it).

pub(crate) mod s6_chroot;
pub(crate) mod s6_hostname;
pub(crate) mod s6_mount;
pub(crate) mod s6_umount;

use super::Builtin;

/// Sorted by name (a test checks it) for binary search.
pub static COMMANDS: &[Builtin] = &[
    b!("s6-chroot", s6_chroot),
    b!("s6-hostname", s6_hostname),
    b!("s6-mount", s6_mount),
    b!("s6-umount", s6_umount),
];
