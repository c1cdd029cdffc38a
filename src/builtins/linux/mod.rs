//! Commands of s6-linux-utils 2.6.4.1 (as s6-overlay 3.2.3.2 ships it).

pub(crate) mod fstab2s6rc;
pub(crate) mod rngseed;
pub(crate) mod s6_chroot;
pub(crate) mod s6_freeramdisk;
pub(crate) mod s6_hostname;
pub(crate) mod s6_linux_utils;
pub(crate) mod s6_logwatch;
pub(crate) mod s6_mount;
pub(crate) mod s6_pivotchroot;
pub(crate) mod s6_ps;
pub(crate) mod s6_swapoff;
pub(crate) mod s6_swapon;
pub(crate) mod s6_umount;

use super::Builtin;

/// Sorted by name (a test checks it) for binary search.
pub static COMMANDS: &[Builtin] = &[
    b!("fstab2s6rc", fstab2s6rc),
    b!("rngseed", rngseed),
    b!("s6-chroot", s6_chroot),
    b!("s6-freeramdisk", s6_freeramdisk),
    b!("s6-hostname", s6_hostname),
    b!("s6-linux-utils", s6_linux_utils),
    b!("s6-logwatch", s6_logwatch),
    b!("s6-mount", s6_mount),
    b!("s6-pivotchroot", s6_pivotchroot),
    b!("s6-ps", s6_ps),
    b!("s6-swapoff", s6_swapoff),
    b!("s6-swapon", s6_swapon),
    b!("s6-umount", s6_umount),
];
