//! s6-log against Debian's s6 2.11: selection, timestamps, prefixes,
//! alerts, status files and logdirs (timestamps masked), then rotation and
//! the logger under supervision.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::chainit_bin;

/// Masks TAI64N labels and ISO 8601 stamps, which differ between runs.
fn mask(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    let is_hex = |c: u8| c.is_ascii_hexdigit();
    let digits = |s: &[u8], pat: &str| {
        s.len() >= pat.len()
            && pat.bytes().zip(s).all(|(p, &c)| {
                if p == b'9' {
                    c.is_ascii_digit()
                } else {
                    p == c
                }
            })
    };
    while i < b.len() {
        if b[i] == b'@' && b.len() >= i + 25 && b[i + 1..i + 25].iter().all(|&c| is_hex(c)) {
            out.push_str("@TAI64N");
            i += 25;
        } else if digits(&b[i..], "9999-99-99 99:99:99.999999999") {
            out.push_str("ISO8601");
            i += 29;
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

/// Everything a run left: stdout, stderr, exit code, and each file under
/// the work dir (masked name, mode, masked content).
fn run_log(s6_log: &str, input: &str, args: &[&str]) -> String {
    use std::os::unix::fs::PermissionsExt;
    let work = crate::support::scratch_dir("log");
    let mut child = Command::new(s6_log)
        .args(args)
        .current_dir(&work)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    // A logger that refuses its script exits without reading: no EPIPE panic.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    let out = child.wait_with_output().unwrap();
    let mut report = format!(
        "code {:?}\nstdout:\n{}stderr:\n{}",
        out.status.code(),
        mask(&String::from_utf8_lossy(&out.stdout)),
        mask(&String::from_utf8_lossy(&out.stderr)).replace("s6-log: usage: s6-log", "usage")
    );
    let mut files = Vec::new();
    let mut stack = vec![work.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            let mode = e.metadata().unwrap().permissions().mode() & 0o7777;
            let rel = p.strip_prefix(&work).unwrap().display().to_string();
            let content = if p.is_file() {
                mask(&String::from_utf8_lossy(&std::fs::read(&p).unwrap()))
            } else {
                String::new()
            };
            files.push(format!("{} {:o}\n{}", mask(&rel), mode, content));
        }
    }
    files.sort();
    report.push_str(&files.join("\n"));
    let _ = std::fs::remove_dir_all(&work);
    report
}

fn same(input: &str, args: &[&str]) {
    compare(input, args, |r| r);
}

/// For refused scripts: the same exit code and files; the wording is ours.
fn same_but_message(input: &str, args: &[&str]) {
    compare(input, args, |r| {
        let (head, rest) = r.split_once("stderr:\n").unwrap_or((&r, ""));
        let files = rest.split_once('\n').map_or("", |x| x.1);
        format!("{head}{files}")
    });
}

fn compare(input: &str, args: &[&str], view: impl Fn(String) -> String) {
    let ours = view(run_log(
        chainit_bin().join("s6-log").to_str().unwrap(),
        input,
        args,
    ));
    if Path::new("/usr/bin/s6-log").exists() {
        let theirs = view(run_log("/usr/bin/s6-log", input, args));
        assert_eq!(ours, theirs, "s6-log {args:?}");
    } else {
        assert!(
            !crate::support::reference_available(),
            "s6 is not installed"
        );
    }
}

const LINES: &str = "info one\nfatal: boom\nSTAT ok\nplain\nlast without newline";

#[test]
fn stdout_and_selection() {
    same(LINES, &["1"]);
    same(LINES, &["-", "+fatal", "1"]);
    same(LINES, &["-fatal", "1", "f", "pUNSEEN", "1"]);
    same(LINES, &["-", "+^STAT", "+plain", "1", "-plain", "1"]);
    same(LINES, &["+nothing", "1"]);
    same(LINES, &["-", "+o", "-one", "1", "f", "1"]);
}

#[test]
fn timestamps_and_prefixes() {
    same(LINES, &["t", "1"]);
    same(LINES, &["T", "1"]);
    same(LINES, &["t", "T", "pwith prefix", "1", "1"]);
    same(LINES, &["T", "t", "1", "p", "1"]);
    same(LINES, &["pA", "pB", "1"]);
}

#[test]
fn alerts_and_status_files() {
    same(LINES, &["2"]);
    same(LINES, &["E4", "2", "E0", "t", "2"]);
    same(LINES, &["=status"]);
    same(LINES, &["^4", "=./status", "^0", "=status2"]);
    same(LINES, &["-", "+STAT", "^20", "=st", "f", "1"]);
}

#[test]
fn logdirs() {
    same(LINES, &["./log"]);
    same(LINES, &["t", "./log", "T", "./other", "1"]);
    same(LINES, &["n2", "s4096", "./log"]);
}

#[test]
fn bad_scripts() {
    same(LINES, &[]);
    same(LINES, &["bogus"]);
    same(LINES, &["+(", "1"]);
    same_but_message(LINES, &["t"]);
    same_but_message(LINES, &["l3000", "s4096", "./log"]);
}

/// Runs chainit's s6-log in `work` with `input` on stdin, to the end.
fn feed(work: &Path, args: &[&str], input: &str) -> std::process::ExitStatus {
    let mut c = Command::new(chainit_bin().join("s6-log"));
    c.args(args).current_dir(work);
    pipe_into(c, input.as_bytes())
}

/// Runs `cmd` with `input` on its stdin, to the end.
fn pipe_into(mut cmd: Command, input: &[u8]) -> std::process::ExitStatus {
    use std::io::Write;
    let mut child = cmd.stdin(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait().unwrap()
}

/// Rotation keeps every line exactly once, whole, and at most `n` archives.
#[test]
fn rotation_keeps_every_line() {
    let work = crate::support::scratch_dir("rot");
    let input: String = (1..=20000)
        .map(|i| format!("line {i:05} of the rotation test\n"))
        .collect();
    assert!(feed(&work, &["n1000", "s4096", "./log"], &input).success());
    let mut names: Vec<String> = std::fs::read_dir(work.join("log"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().into_string().unwrap())
        .filter(|n| n.starts_with('@'))
        .collect();
    names.sort();
    names.push("current".into());
    let mut all = String::new();
    for n in &names {
        let text = std::fs::read_to_string(work.join("log").join(n)).unwrap();
        assert!(text.len() <= 4096, "{n} has {} bytes", text.len());
        assert!(
            text.is_empty() || text.ends_with('\n'),
            "{n} ends inside a line"
        );
        all.push_str(&text);
    }
    assert_eq!(all, input);
    assert!(
        names.iter().all(|n| n == "current" || n.ends_with(".s")),
        "{names:?}"
    );
    // n2 keeps the two newest archives only.
    feed(&work, &["n2", "s4096", "./log"], &input);
    let archives = std::fs::read_dir(work.join("log"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('@'))
        .count();
    assert_eq!(archives, 2);
    let _ = std::fs::remove_dir_all(&work);
}

/// A processor (`!` through execlineb, `?` through sh) turns each rotated
/// file into the archive and keeps its state between rotations.
#[test]
fn processors_and_alarm_rotation() {
    let work = crate::support::scratch_dir("proc");
    let script = format!(
        "(printf 'hello\\nworld\\n'; sleep 2) | {log} '?tr a-z A-Z; cat <&4 >&5; echo rotated >&5' ./log & pid=$!
         sleep 0.3; kill -ALRM $pid; sleep 0.3; kill -TERM $pid; wait $pid; echo exited $?",
        log = chainit_bin().join("s6-log").display()
    );
    let out = Command::new("bash")
        .args(["-c", &script])
        .current_dir(&work)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "exited 0\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let archive = std::fs::read_dir(work.join("log"))
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().ends_with(".s"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap());
    assert_eq!(archive.as_deref(), Some("HELLO\nWORLD\n"));
    assert_eq!(
        std::fs::read_to_string(work.join("log/state")).unwrap(),
        "rotated\n"
    );
    let _ = std::fs::remove_dir_all(&work);
}

/// logutil-service: S6_LOGGING_SCRIPT's directives, as nobody, into logdir.
#[test]
fn logutil_service_runs_s6_log_as_nobody() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let work = crate::support::scratch_dir("lu");
    std::fs::set_permissions(&work, std::fs::Permissions::from_mode(0o777)).unwrap();
    let mut c = Command::new(chainit_bin().join("logutil-service"));
    c.arg(work.join("log"))
        .env("S6_LOGGING_SCRIPT", "n3 s5000 pservice:");
    assert!(pipe_into(c, b"one\ntwo\n").success());
    let current = work.join("log/current");
    assert_eq!(
        std::fs::read_to_string(&current).unwrap(),
        "service: one\nservice: two\n"
    );
    assert_eq!(std::fs::metadata(&current).unwrap().uid(), 65534);
    let _ = std::fs::remove_dir_all(&work);
}

/// stdin a regular file (no pipe to splice from): the lines are read as
/// s6-log reads them, and a clean end leaves no spool in the logdir.
#[test]
fn a_file_on_stdin_is_logged_and_no_spool_is_left() {
    let work = crate::support::scratch_dir("log-file");
    let input = work.join("input");
    std::fs::write(&input, "one\ntwo\nthree\nunfinished").unwrap();
    let st = Command::new(chainit_bin().join("s6-log"))
        .args(["n2", "./dir"])
        .current_dir(&work)
        .stdin(std::fs::File::open(&input).unwrap())
        .status()
        .unwrap();
    assert!(st.success());
    let current = std::fs::read_to_string(work.join("dir/current")).unwrap();
    assert_eq!(current, "one\ntwo\nthree\n");
    assert!(!work.join("dir/spool").exists());
    let _ = std::fs::remove_dir_all(&work);
}

/// A spool that cannot be opened (here a directory in its place) costs a
/// warning, not the logger: lines wait in memory as with s6-log.
#[test]
fn a_spool_that_cannot_be_opened_is_warned_about_and_lines_still_logged() {
    let work = crate::support::scratch_dir("log-nospool");
    std::fs::create_dir_all(work.join("dir/spool")).unwrap();
    let out = Command::new(chainit_bin().join("s6-log"))
        .args(["./dir"])
        .current_dir(&work)
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(b"a\nb\n")?;
            c.wait_with_output()
        })
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("unable to open the spool"), "{stderr}");
    let current = std::fs::read_to_string(work.join("dir/current")).unwrap();
    assert_eq!(current, "a\nb\n");
    let _ = std::fs::remove_dir_all(&work);
}
