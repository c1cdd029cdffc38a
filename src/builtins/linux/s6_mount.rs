//! `s6-mount [-n] [-r | -w] [-t type] [-o options] device mntpoint`, or
//! `s6-mount -a [-z fstab]`: mount a filesystem (the known options become
//! mount flags, the others go to the kernel as data), or every entry of
//! fstab (as s6-linux-utils does, `noauto` is not special: it goes to the
//! kernel like any unknown option); with no operand, print /proc/mounts.
//! Exit 1 when the kernel says busy (already mounted).

use crate::error::ErrnoText;
use std::os::unix::ffi::OsStrExt;

use nix::errno::Errno;
use nix::mount::{MsFlags, mount};

use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, show};

pub const USAGE: &str = "s6-mount [ -a ] [ -z fstab ] | s6-mount [ -n ] [ -t type ] [ -o option[,option...] ]... device mountpoint";

/// Applies one comma-separated option to the flags, or adds it to the data.
fn option(word: &[u8], flags: &mut MsFlags, data: &mut Vec<u8>) {
    let (set, clear) = match word {
        b"defaults" | b"" => (MsFlags::empty(), MsFlags::empty()),
        b"ro" => (MsFlags::MS_RDONLY, MsFlags::empty()),
        b"rw" => (MsFlags::empty(), MsFlags::MS_RDONLY),
        b"remount" => (MsFlags::MS_REMOUNT, MsFlags::empty()),
        b"sync" => (MsFlags::MS_SYNCHRONOUS, MsFlags::empty()),
        b"async" => (MsFlags::empty(), MsFlags::MS_SYNCHRONOUS),
        b"nodev" => (MsFlags::MS_NODEV, MsFlags::empty()),
        b"dev" => (MsFlags::empty(), MsFlags::MS_NODEV),
        b"noexec" => (MsFlags::MS_NOEXEC, MsFlags::empty()),
        b"exec" => (MsFlags::empty(), MsFlags::MS_NOEXEC),
        b"nosuid" => (MsFlags::MS_NOSUID, MsFlags::empty()),
        b"suid" => (MsFlags::empty(), MsFlags::MS_NOSUID),
        b"noatime" => (MsFlags::MS_NOATIME, MsFlags::empty()),
        b"atime" => (MsFlags::empty(), MsFlags::MS_NOATIME),
        b"nodiratime" => (MsFlags::MS_NODIRATIME, MsFlags::empty()),
        b"diratime" => (MsFlags::empty(), MsFlags::MS_NODIRATIME),
        b"bind" => (MsFlags::MS_BIND, MsFlags::empty()),
        b"nobind" => (MsFlags::empty(), MsFlags::MS_BIND),
        b"move" => (MsFlags::MS_MOVE, MsFlags::empty()),
        b"nomove" => (MsFlags::empty(), MsFlags::MS_MOVE),
        other => {
            if !data.is_empty() {
                data.push(b',');
            }
            data.extend_from_slice(other);
            return;
        }
    };
    flags.insert(set);
    flags.remove(clear);
}

fn mount_one(
    device: &[u8],
    point: &[u8],
    fstype: &[u8],
    flags: MsFlags,
    data: &[u8],
) -> nix::Result<()> {
    let os = |b: &[u8]| std::ffi::OsStr::from_bytes(b).to_owned();
    let fstype = (!fstype.is_empty()).then(|| os(fstype));
    let data = (!data.is_empty()).then(|| os(data));
    mount(
        Some(&*os(device)),
        &*os(point),
        fstype.as_deref(),
        flags,
        data.as_deref(),
    )
}

/// `-a`: every fstab entry not marked noauto; the count of failures.
fn mount_all(fstab: &[u8]) -> Result<i32> {
    let text = std::fs::read(std::ffi::OsStr::from_bytes(fstab)).map_err(|e| {
        Error::Failed(format!(
            "unable to open {}: {}",
            show(fstab),
            crate::error::describe(&e)
        ))
    })?;
    let mut failed = 0;
    for line in text.split(|&b| b == b'\n') {
        let fields: Vec<&[u8]> = line
            .split(|&b| b == b' ' || b == b'\t')
            .filter(|f| !f.is_empty())
            .collect();
        let [device, point, fstype, opts, ..] = fields[..] else {
            continue;
        };
        if device.starts_with(b"#") {
            continue;
        }
        let (mut flags, mut data) = (MsFlags::empty(), Vec::new());
        for o in opts.split(|&b| b == b',') {
            option(o, &mut flags, &mut data);
        }
        if let Err(e) = mount_one(device, point, fstype, flags, &data) {
            eprintln!(
                "s6-mount: warning: unable to mount {} on {}: {}",
                show(device),
                show(point),
                e.text()
            );
            failed += 1;
        }
    }
    Ok(failed)
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "nz:arwt:o:")?;
    let (mut all, mut fstab) = (false, b"/etc/fstab".to_vec());
    let (mut flags, mut data, mut fstype) = (MsFlags::empty(), Vec::new(), Vec::new());
    for (c, arg) in opts {
        let arg = arg.unwrap_or_default();
        match c {
            b'a' => all = true,
            b'z' => fstab = arg.to_vec(),
            b'r' => flags.insert(MsFlags::MS_RDONLY),
            b'w' => flags.remove(MsFlags::MS_RDONLY),
            b't' => fstype = arg.to_vec(),
            b'o' => {
                for o in arg.split(|&b| b == b',') {
                    option(o, &mut flags, &mut data);
                }
            }
            _ => {}
        }
    }
    if all {
        return Ok(Step::Exit(mount_all(&fstab)?));
    }
    let Some(device) = argv.get(first + 1) else {
        let table = std::fs::read("/proc/mounts").map_err(|e| {
            Error::Failed(format!(
                "unable to read /proc/mounts: {}",
                crate::error::describe(&e)
            ))
        })?;
        crate::builtins::execline::dollarat::write_all(1, &table)
            .map_err(|e| Error::sys("write to stdout", e))?;
        return Ok(Step::Exit(0));
    };
    let Some(point) = argv.get(first + 2) else {
        return Err(crate::builtins::usage());
    };
    match mount_one(device, point, &fstype, flags, &data) {
        Ok(()) => Ok(Step::Exit(0)),
        Err(Errno::EBUSY) => {
            eprintln!(
                "s6-mount: fatal: unable to mount {} on {}: {}",
                show(device),
                show(point),
                Errno::EBUSY.text()
            );
            Ok(Step::Exit(1))
        }
        Err(e) => Err(Error::Failed(format!(
            "unable to mount {} on {}: {}",
            show(device),
            show(point),
            e.text()
        ))),
    }
}
