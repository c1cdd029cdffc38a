//! `s6-swapon device` / `s6-swapon -a`: enable swapping on a device, or on
//! every `swap` entry of /etc/fstab.

use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::ErrnoText;
use crate::error::{Error, Result, show};

pub const USAGE: &str = "s6-swapon [ -a ] [ device ]";

/// swapon(2) or swapoff(2) on `device`.
pub fn swap(device: &[u8], on: bool) -> nix::Result<()> {
    let dev = std::ffi::CString::new(device).map_err(|_| nix::errno::Errno::EINVAL)?;
    // SAFETY: a NUL-terminated path that outlives the call; flags 0.
    let r = unsafe {
        if on {
            libc::swapon(dev.as_ptr(), 0)
        } else {
            libc::swapoff(dev.as_ptr())
        }
    };
    if r < 0 {
        Err(nix::errno::Errno::last())
    } else {
        Ok(())
    }
}

/// The devices of /etc/fstab's `swap` entries.
pub fn fstab_swaps() -> Vec<Vec<u8>> {
    let text = std::fs::read("/etc/fstab").unwrap_or_default();
    text.split(|&b| b == b'\n')
        .filter_map(|l| {
            let f: Vec<&[u8]> = l
                .split(|&b| b == b' ' || b == b'\t')
                .filter(|f| !f.is_empty())
                .collect();
            (f.len() >= 3 && !f[0].starts_with(b"#") && f[2] == b"swap").then(|| f[0].to_vec())
        })
        .collect()
}

/// swapon or swapoff, on the operand or, with `-a`, on fstab's swaps.
pub fn switch(argv: &[Vec<u8>], on: bool) -> Result<Step> {
    let verb = if on { "swapon" } else { "swapoff" };
    let (opts, first) = options(&argv[1..], "a")?;
    let devices = if opts.is_empty() {
        match argv.get(first + 1) {
            Some(d) => vec![d.clone()],
            None => return Err(crate::builtins::usage()),
        }
    } else {
        fstab_swaps()
    };
    for d in devices {
        swap(&d, on)
            .map_err(|e| Error::Failed(format!("unable to {verb} {}: {}", show(&d), e.text())))?;
    }
    Ok(Step::Exit(0))
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    switch(&argv, true)
}
