//! Differential tests against programs Debian does not package: each
//! `tests/golden/NAME.golden` records what the reference did for every case
//! line of `NAME.cases` (`scripts/golden.py`, run against the versions
//! s6-overlay 3.2.3.2 pins), and chainit must do the same — exit code,
//! stdout, stderr's first line and the files left behind.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::{chainit_bin, scratch_dir};

fn escape(b: &[u8]) -> String {
    b.iter()
        .map(|&c| {
            if (32..127).contains(&c) && c != b'%' {
                (c as char).to_string()
            } else {
                format!("%{c:02X}")
            }
        })
        .collect()
}

/// The files under `root` in the golden format, sorted as `os.walk` lists
/// them (each directory's entries by name, a directory before its contents).
fn tree(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    let mut subdirs = Vec::new();
    for name in names {
        let path = dir.join(&name);
        let rel = escape(
            path.strip_prefix(root)
                .unwrap()
                .as_os_str()
                .as_encoded_bytes(),
        );
        let meta = std::fs::symlink_metadata(&path).unwrap();
        let mode = meta.permissions().mode() & 0o7777;
        if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&path).unwrap();
            out.push(format!(
                "link {rel} {}",
                escape(target.as_os_str().as_encoded_bytes())
            ));
        } else if meta.is_dir() {
            out.push(format!("dir {rel} {mode:04o}"));
            subdirs.push(path);
        } else if meta.is_file() {
            let data = std::fs::read(&path).unwrap();
            let head = &data[..data.len().min(4096)];
            out.push(format!("file {rel} {mode:04o} {}", escape(head)));
        } else {
            out.push(format!("other {rel} {mode:04o}"));
        }
    }
    // os.walk lists a directory's entries, then walks into its subdirectories.
    for sub in subdirs {
        tree(root, &sub, out);
    }
}

/// Runs one case line as the golden file's recorder did, with chainit's
/// commands first in PATH.
fn observe(line: &str) -> Vec<String> {
    let scratch = scratch_dir("golden");
    let out = Command::new("sh")
        .args(["-c", &format!("umask 022; {line}")])
        .current_dir(&scratch)
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", chainit_bin().display()))
        .env("HOME", &scratch)
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = out.stderr.split(|&b| b == b'\n').next().unwrap_or_default();
    let mut seen = vec![
        format!("exit {}", out.status.code().unwrap_or(-1)),
        format!("out {}", escape(&out.stdout)),
        format!("err {}", escape(err)),
    ];
    tree(&scratch, &scratch, &mut seen);
    let _ = std::fs::remove_dir_all(&scratch);
    seen
}

/// Every case of `tests/golden/NAME.golden` (values `%XX`-escaped as
/// there); all differences reported at once.
fn check(name: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.golden"));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut cases: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        match line.strip_prefix("@ ") {
            Some(case) => cases.push((case.to_owned(), Vec::new())),
            None => cases.last_mut().unwrap().1.push(line.to_owned()),
        }
    }
    assert!(!cases.is_empty(), "{} holds no case", path.display());
    let mut wrong = Vec::new();
    for (case, expected) in &cases {
        let seen = observe(case);
        if &seen != expected {
            wrong.push(format!(
                "@ {case}\n  reference: {expected:?}\n  chainit:   {seen:?}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cases differ:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

#[test]
fn s6_portable_utils() {
    check("s6-portable-utils");
}

#[test]
fn s6_linux_utils() {
    check("s6-linux-utils");
}

#[test]
fn s6() {
    check("s6");
}

#[test]
fn execline_2_9_9() {
    check("execline-2.9.9");
}
