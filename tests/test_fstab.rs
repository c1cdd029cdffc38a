//! fstab2s6rc's definitions, booted: the mounts happen in the order the
//! tree asks, as PID 1 of a PID and mount namespace. Also where chainit
//! reads an fstab as fstab(5) says rather than as the musl of the reference
//! build (1.2.3) does: the last two fields may be left out, and `\040`
//! stands for a space. (Everything else is compared with the original in
//! tests/golden/s6-linux-utils.golden.)

use std::process::Command;

use crate::support::chainit_bin;
use crate::test_graph::{Graph, RC};
use crate::test_init::{boot, sh};

fn fstab2s6rc(args: &[&str], fstab: &str, out: &std::path::Path) -> std::process::Output {
    let file = out.with_extension("fstab");
    std::fs::write(&file, fstab).unwrap();
    Command::new(chainit_bin().join("fstab2s6rc"))
        .args(args)
        .arg("-F")
        .arg(&file)
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn the_definitions_mount_the_tree_in_order_when_booted() {
    let b = boot();
    let mnt = b.root.join("mnt");
    std::fs::create_dir_all(mnt.join("a")).unwrap();
    std::fs::create_dir_all(mnt.join("with space")).unwrap();
    let m = mnt.display();
    // Three fields would not do; four are enough. /a/b is made on /a once
    // /a is mounted, so it must wait for it.
    let fstab = format!(
        "# test\ntmpfs {m}/a tmpfs size=1m,mode=0750\ntmpfs {m}/a/b tmpfs size=1m,x-note=1 0 0\ntmpfs {m}/with\\040space tmpfs ro,nofail 0 0\n"
    );
    let defs = b.root.join(RC);
    std::fs::create_dir_all(defs.parent().unwrap()).unwrap();
    let made = fstab2s6rc(&["-B", "mounts"], &fstab, &defs);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    // The oneshots name /command/…; this host has chainit's commands elsewhere.
    let bin = format!("{}/", chainit_bin().display());
    for entry in std::fs::read_dir(&defs).unwrap() {
        let up = entry.unwrap().path().join("up");
        if let Ok(text) = std::fs::read_to_string(&up) {
            std::fs::write(&up, text.replace("/command/", &bin)).unwrap();
        }
    }
    // mount-…:a:b would fail without its mount point, made once /a is up.
    let up_b = defs.join(format!(
        "mount-{}:a:b/up",
        mnt.display().to_string()[1..].replace('/', ":")
    ));
    let text = std::fs::read_to_string(&up_b).unwrap();
    std::fs::write(&up_b, format!("foreground {{ mkdir {m}/a/b }} {text}")).unwrap();
    let b = b.enable("mounts");
    let r = b.run(&sh(&format!(
        "grep ' {m}' /proc/self/mounts | cut -d' ' -f2-4; stat -c %a {m}/a"
    )));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    let out = r.stdout();
    let mut lines: Vec<&str> = out.lines().collect();
    // The mount table lists mounts in the order they were made.
    let at = |l: &str| lines.iter().position(|x| *x == l);
    let a = format!("{m}/a tmpfs rw,relatime,size=1024k,mode=750");
    let ab = format!("{m}/a/b tmpfs rw,relatime,size=1024k");
    assert!(at(&a) < at(&ab), "{out}\n{}", r.stderr());
    lines.sort();
    let spaced = format!("{m}/with\\040space tmpfs ro,relatime");
    assert_eq!(lines, [&a, &ab, &spaced, "750"], "{}", r.stderr());
}

#[test]
fn relative_and_duplicate_mount_points_are_refused_and_leave_nothing() {
    let dir = crate::support::scratch_dir("fstab");
    let out = dir.join("out");
    let r = fstab2s6rc(&[], "a /m ext4 defaults\nb /m ext4 defaults\n", &out);
    assert_eq!(r.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&r.stderr),
        "fstab2s6rc: fatal: duplicate mount point: m\n"
    );
    let r = fstab2s6rc(&[], "a m ext4 defaults\n", &out);
    assert_eq!(r.status.code(), Some(1));
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["out.fstab"]);
}
