//! s6-overlay's own helpers in /command: with-retries and logutil-newfifo.
//! s6-overlay is not packaged, so these check behaviour, not a reference.

use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::scratch_dir;

fn chainit(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_chainit"))
        .args(args)
        .output()
        .unwrap()
}

/// Counts its runs in `file` and succeeds from run `from` on.
fn flaky(file: &std::path::Path, from: u32) -> String {
    format!(
        "echo run >> {0}; [ $(wc -l < {0}) -ge {from} ]",
        file.display()
    )
}

fn runs(file: &std::path::Path) -> usize {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .count()
}

#[test]
fn with_retries_stops_at_the_first_success() {
    let dir = scratch_dir("retries");
    let count = dir.join("count");
    let out = chainit(&["with-retries", "-n", "5", "sh", "-c", &flaky(&count, 3)]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(runs(&count), 3);
}

#[test]
fn with_retries_fails_after_the_last_try() {
    let dir = scratch_dir("retries");
    let count = dir.join("count");
    let out = chainit(&["with-retries", "-n", "2", "sh", "-c", &flaky(&count, 99)]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(runs(&count), 2);
    // Three tries by default; none at all with -n 0.
    let out = chainit(&["with-retries", "sh", "-c", &flaky(&count, 99)]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(runs(&count), 5);
    let out = chainit(&["with-retries", "-n", "0", "sh", "-c", &flaky(&count, 0)]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(runs(&count), 5);
}

#[test]
fn with_retries_kills_a_try_past_its_time() {
    let start = Instant::now();
    let out = chainit(&["with-retries", "-n", "2", "-t", "100", "sleep", "5"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn with_retries_misuse() {
    assert_eq!(chainit(&["with-retries"]).status.code(), Some(100));
    assert_eq!(
        chainit(&["with-retries", "-n", "x", "true"]).status.code(),
        Some(100)
    );
}

#[test]
fn logutil_newfifo_replaces_whatever_is_there() {
    let dir = scratch_dir("newfifo");
    let fifo = dir.join("fifo");
    std::fs::create_dir_all(fifo.join("inside")).unwrap();
    let at = fifo.to_str().unwrap();
    let out = chainit(&["logutil-newfifo", "-m", "0640", "-o", "nobody", at]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("deprecated"));
    let meta = std::fs::symlink_metadata(&fifo).unwrap();
    assert!(meta.file_type().is_fifo());
    assert_eq!(meta.permissions().mode() & 0o7777, 0o640);
    assert_eq!(meta.uid(), 65534);
    // Defaults: 0600, root.
    let out = chainit(&["logutil-newfifo", at]);
    assert_eq!(out.status.code(), Some(0));
    let meta = std::fs::symlink_metadata(&fifo).unwrap();
    assert_eq!((meta.permissions().mode() & 0o7777, meta.uid()), (0o600, 0));
}

#[test]
fn logutil_newfifo_bad_input() {
    let dir = scratch_dir("newfifo");
    let keep = dir.join("keep");
    std::fs::write(&keep, "data").unwrap();
    let at = keep.to_str().unwrap();
    // An unknown owner touches nothing.
    let out = chainit(&["logutil-newfifo", "-o", "no-such-user", at]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-user"));
    assert_eq!(std::fs::read_to_string(&keep).unwrap(), "data");
    assert_eq!(chainit(&["logutil-newfifo"]).status.code(), Some(1));
    assert_eq!(
        chainit(&["logutil-newfifo", "-m", "9", at]).status.code(),
        Some(100)
    );
}
