//! `CHAINIT_LOG_PREFIX`: console lines of services say whose they are,
//! whole, as PID 1 in a PID namespace.

use crate::test_init::{boot, sh};

/// A run script writing `n` numbered lines of 300 bytes to stdout, then
/// one to stderr, then waiting.
fn chatty(name: &str, n: usize) -> String {
    format!(
        "#!/bin/sh\ni=0; pad=$(printf '%0300d' 0)\nwhile [ $i -lt {n} ]; do echo \"{name}-$i-$pad\"; i=$((i+1)); done\necho {name}-err >&2\nexec sleep 100\n"
    )
}

#[test]
fn lines_of_three_services_are_prefixed_and_never_mixed() {
    let b = boot()
        .script("etc/services.d/a/run", &chatty("a", 1500))
        .script("etc/services.d/b/run", &chatty("b", 1500))
        .script("etc/services.d/c/run", &chatty("c", 1500))
        .env("CHAINIT_LOG_PREFIX", "1");
    let r = b.run(&sh("sleep 1.5; echo from-the-cmd"));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    let out = r.stdout();
    let pad = "0".repeat(300);
    let mut counts = [0usize; 3];
    for line in out.lines() {
        if line == "from-the-cmd" {
            continue;
        }
        let (who, rest) = line
            .split_once(" | ")
            .unwrap_or_else(|| panic!("unprefixed: {line:.80}"));
        let k = ["a", "b", "c"]
            .iter()
            .position(|n| *n == who)
            .expect("a known service");
        let want = format!("{who}-{}-{pad}", counts[k]);
        assert_eq!(rest, want, "line {} of {who} cut or mixed", counts[k]);
        counts[k] += 1;
    }
    assert_eq!(counts, [1500, 1500, 1500]);
    let err = r.stderr();
    for n in ["a", "b", "c"] {
        assert!(err.contains(&format!("{n} | {n}-err\n")), "{err}");
    }
}

#[test]
fn a_partial_line_is_written_after_a_moment_and_the_cmd_is_left_alone() {
    let b = boot()
        .script(
            "etc/services.d/slow/run",
            "#!/bin/sh\nprintf 'no newline yet'\nexec sleep 100\n",
        )
        .env("CHAINIT_LOG_PREFIX", "1");
    let out = b.root.join("console");
    // The init's stdout is a file the CMD can look at while it runs.
    let mut c = crate::support::pid1_init(&b.root, &b.run_dir());
    c.arg("--")
        .args(sh(&format!(
            "sleep 0.5; cp {0} {0}.then; echo cmd-line",
            out.display()
        )))
        .env("CHAINIT_LOG_PREFIX", "1")
        .stdout(std::fs::File::create(&out).unwrap());
    let status = c.status().unwrap();
    assert!(status.success());
    let then = std::fs::read_to_string(b.root.join("console.then")).unwrap();
    assert_eq!(then, "slow | no newline yet\n");
    let end = std::fs::read_to_string(&out).unwrap();
    assert_eq!(end, "slow | no newline yet\ncmd-line\n");
}

#[test]
fn with_all_the_cmd_is_prefixed_too() {
    let b = boot()
        .script(
            "etc/services.d/svc/run",
            "#!/bin/sh\necho hello\nexec sleep 100\n",
        )
        .env("CHAINIT_LOG_PREFIX", "all");
    let r = b.run(&sh("sleep 0.3; echo out; echo err >&2"));
    assert_eq!(r.code(), Some(0));
    assert_eq!(r.stdout(), "svc | hello\ncmd | out\n");
    assert!(r.stderr().contains("cmd | err\n"), "{}", r.stderr());
}

#[test]
fn a_service_with_a_logger_keeps_its_stdout_in_the_log() {
    let b = boot()
        .script(
            "etc/services.d/web/run",
            "#!/bin/sh\necho to-the-log\necho to-the-console >&2\nexec sleep 100\n",
        )
        .script(
            "etc/services.d/web/log/run",
            "#!/bin/sh\nexec cat > /dev/null\n",
        )
        .env("CHAINIT_LOG_PREFIX", "1");
    let r = b.run(&sh("sleep 0.3"));
    assert_eq!(r.stdout(), "");
    assert!(
        r.stderr().contains("web | to-the-console\n"),
        "{}",
        r.stderr()
    );
}
