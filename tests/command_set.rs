//! Every program Debian's execline package ships has a chainit counterpart.

use std::process::Command;

use crate::support::chainit_bin;

#[test]
fn every_debian_execline_command_is_installed() {
    let listed = Command::new("dpkg").args(["-L", "execline"]).output();
    let Some(out) = listed.ok().filter(|o| o.status.success()) else {
        assert!(
            std::env::var_os("CHAINIT_REQUIRE_REFERENCE").is_none(),
            "dpkg -L execline failed; run scripts/test.sh"
        );
        eprintln!("skipped: the execline package is not installed");
        return;
    };
    let names: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("/usr/lib/execline/bin/"))
        .map(str::to_owned)
        .collect();
    assert!(names.len() >= 50, "too few commands listed: {names:?}");
    let missing: Vec<&String> = names
        .iter()
        .filter(|n| !chainit_bin().join(n).exists())
        .collect();
    assert!(missing.is_empty(), "chainit lacks: {missing:?}");
}
