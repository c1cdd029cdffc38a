//! Mixing chainit's commands with skarnet's binaries in one chain, and the
//! engine switches (CHAINIT_EXEC, CHAINIT_TRACE).

use std::process::Command;

use crate::cases;
use crate::support::{REFERENCE_BIN, chainit_bin, script};

cases! {
    // Both runs use an absolute path to skarnet's binary: in the chainit run it
    // reads a block that chainit's execlineb encoded.
    skarnet_foreground_reads_our_blocks: script(
        r#"/usr/lib/execline/bin/foreground { printf [%s] a { b "" } "}" } printf [%s] end"#
    );
    skarnet_if_in_our_chain: script("/usr/lib/execline/bin/if { true } define X x printf [%s] $X");
    strict_exec_mode_same_results: script(
        r#"foreground { printf [%s] a "" } importas -D none q ? ifelse { false } { printf then } define -s A "x y" printf [%s] $A $q"#
    ).env("CHAINIT_EXEC", "1");
    strict_exec_mode_env_order: script("export A 3 /usr/bin/env").flags("-P").env("CHAINIT_EXEC", "1").env("A", "1").env("B", "2");
}

/// skarnet's execlineb encodes the block; chainit's foreground reads it.
#[test]
fn our_foreground_reads_skarnet_blocks() {
    if !crate::support::reference_available() {
        return;
    }
    let ours = chainit_bin().join("foreground");
    let script = format!(
        r#"{} {{ printf [%s] a {{ b "" }} "}}" }} printf [%s] end"#,
        ours.display()
    );
    let out = Command::new(format!("{REFERENCE_BIN}/execlineb"))
        .args(["-Pc", &script])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "[a][ b][ ][][}][end]");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn trace_prints_each_step() {
    let out = crate::support::run_chainit_inline(
        "define X x foreground { true } exit 0",
        &[("CHAINIT_TRACE", "1")],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    let steps: Vec<&str> = err.lines().collect();
    assert!(
        steps[0].ends_with("execlineb -Pc 'define X x foreground { true } exit 0'"),
        "{err}"
    );
    assert_eq!(
        steps[1..],
        [
            "chainit: trace: define X x foreground ' true' '' exit 0",
            "chainit: trace: foreground ' true' '' exit 0",
            "chainit: trace: true",
            "chainit: trace: exit 0",
        ]
    );
}
