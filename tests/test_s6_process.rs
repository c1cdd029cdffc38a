//! s6-softlimit and s6-setsid against Debian's s6 2.11: the limits, session
//! and process group the chained program observes, and the failure codes.

use crate::cases;
use crate::support::{Case, script};

fn softlimit(args: &str, show: &str) -> Case {
    script(&format!("s6-softlimit {args} sh -c \"{show}\"")).flags("-P")
}

/// Whether the shell leads its session and its process group.
const ROLES: &str = "sh -c \"read pid comm state ppid pgrp sid rest < /proc/self/stat; \
    test $pid = $sid && echo session-leader; test $pid = $pgrp && echo group-leader; echo done\"";

fn setsid(args: &str) -> Case {
    script(&format!("s6-setsid {args} {ROLES}")).flags("-P")
}

cases! {
    soft_files: softlimit("-o 100", "ulimit -Sn; ulimit -Hn");
    soft_above_hard_is_capped: softlimit("-o 99999999999", "ulimit -Sn");
    soft_back_to_hard: script("s6-softlimit -o 50 s6-softlimit -o = sh -c \"ulimit -Sn\"").flags("-P");
    soft_all_memory: softlimit("-m 100000000", "ulimit -a");
    soft_each: softlimit("-a 200000000 -c 0 -d 150000000 -f 4096 -l 65536 -p 500 -r 300000000 -s 9000000 -t 7", "ulimit -a");
    soft_cpu: softlimit("-t 5", "ulimit -t");
    soft_leading_zero: softlimit("-o 012", "ulimit -Sn");
    soft_u64_max: softlimit("-o 18446744073709551615", "ulimit -Sn");
    soft_u64_overflow: softlimit("-o 18446744073709551616", "ulimit -Sn");
    soft_plus_sign: softlimit("-o +12", "ulimit -Sn");
    soft_suffix: softlimit("-o 12k", "ulimit -Sn");
    soft_empty: softlimit("-o \"\"", "ulimit -Sn");
    soft_space: softlimit("-o \" 12\"", "ulimit -Sn");
    soft_glued_value: softlimit("-o77", "ulimit -Sn");
    soft_unknown_option_skipped: script("s6-softlimit -z 5 true").flags("-P");
    soft_unknown_in_group: softlimit("-zo 40", "ulimit -Sn");
    soft_no_prog: script("s6-softlimit -o 5").flags("-P");
    soft_missing_value: script("s6-softlimit -o").flags("-P");
    soft_then_builtin: script("s6-softlimit -o 64 backtick -E n { sh -c \"ulimit -Sn\" } echo $n").flags("-P");

    sid_default: setsid("");
    sid_session: setsid("-s");
    sid_background: setsid("-b");
    sid_foreground_no_tty: setsid("-f");
    sid_grab_no_tty: setsid("-g");
    sid_grab_strict: setsid("-g -i");
    sid_grab_quiet: setsid("-g -q");
    sid_foreground_strict_fd: setsid("-f -i -d 5");
    sid_bad_ctty: setsid("-d x");
    sid_session_twice_loose: script(&format!("s6-setsid s6-setsid {ROLES}")).flags("-P");
    sid_session_twice_strict: script(&format!("s6-setsid s6-setsid -i {ROLES}")).flags("-P");
    sid_bg_then_session: script(&format!("s6-setsid -b s6-setsid -i {ROLES}")).flags("-P");
    sid_no_prog: script("s6-setsid -b").flags("-P");
    sid_bad_option: script("s6-setsid -x true").flags("-P");
}

/// Runs `sh -c body` as PID 1 of a fresh PID namespace, so that s6-nuke's
/// `kill -1` reaches only what the test started.
fn nuke_as_pid1(body: &str) -> std::process::Output {
    let bin = crate::support::chainit_bin().display().to_string();
    crate::support::in_pid_namespace(20)
        .args([
            "sh",
            "-c",
            &format!("nuke() {{ {bin}/s6-nuke \"$@\"; }}; {body}"),
        ])
        .output()
        .unwrap()
}

#[test]
fn nuke_terms_every_process_and_survives() {
    let out = nuke_as_pid1(
        "sleep 100 & a=$!; sh -c 'trap \"\" HUP; exec sleep 100' & b=$!; \
         sh -c 'trap \"\" HUP TERM; exec sleep 100' & c=$!; sleep 0.2; \
         nuke -h -t; echo nuke=$?; wait $a; echo a=$?; wait $b; echo b=$?; kill -9 $c",
    );
    // HUP reaches the first sleep; the second ignores it and dies of TERM.
    // The third outlives both, so the CONT always has someone to reach
    // (with nobody left, kill -1 fails and so does s6-nuke, as s6's does).
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text,
        "nuke=0\na=129\nb=143\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn nuke_with_nobody_left_says_so() {
    let out = nuke_as_pid1("nuke -k; echo nuke=$?; nuke; echo none=$?");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "nuke=111\nnone=0\n");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "s6-nuke: fatal: unable to kill: No such process\n"
    );
}
