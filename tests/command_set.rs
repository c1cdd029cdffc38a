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

/// Every name s6-overlay 3.2.3.2 puts in /command is either a chainit
/// command (laid out by `install --s6-overlay`) or a row of the table in
/// docs/migrating.md that says what to do instead — and the table says
/// "provided" exactly for the names chainit has.
#[test]
fn every_s6_overlay_command_name_is_provided_or_documented() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let names = std::fs::read_to_string(root.join("tests/fixtures/s6-overlay-3.2.3.2-command.txt"))
        .unwrap();
    let doc = std::fs::read_to_string(root.join("docs/migrating.md")).unwrap();
    let ours = Command::new(env!("CARGO_BIN_EXE_chainit"))
        .arg("commands")
        .output()
        .unwrap();
    let ours = String::from_utf8_lossy(&ours.stdout);
    let ours: Vec<&str> = ours.lines().collect();
    let mut wrong = Vec::new();
    for name in names.lines().filter(|l| !l.is_empty()) {
        let row = doc
            .lines()
            .find(|l| l.starts_with(&format!("| `{name}` |")));
        let Some(row) = row else {
            wrong.push(format!("{name}: no row in docs/migrating.md"));
            continue;
        };
        let provided = ours.contains(&name);
        if provided != row.ends_with("| provided |") {
            wrong.push(format!(
                "{name}: chainit provides it: {provided}; the table says: {row}"
            ));
        }
        if provided && !chainit_bin().join(name).exists() {
            wrong.push(format!("{name}: not laid out by chainit install"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// `chainit help NAME` prints the reference page of every built-in (the
/// page of docs/commands/ named after it, or the one it shares), and
/// `chainit --help` lists them all.
#[test]
fn every_builtin_has_a_help_page_and_is_listed() {
    let bin = env!("CARGO_BIN_EXE_chainit");
    let names = Command::new(bin).arg("commands").output().unwrap();
    let names = String::from_utf8(names.stdout).unwrap();
    let listing = Command::new(bin).arg("--help").output().unwrap();
    let listing = String::from_utf8(listing.stdout).unwrap();
    let listed: Vec<&str> = listing.split_whitespace().collect();
    for name in names.lines() {
        let out = Command::new(bin).args(["help", name]).output().unwrap();
        let page = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "chainit help {name}");
        assert!(
            page.starts_with("# ") && page.contains(name),
            "{name}: {page}"
        );
        assert!(listed.contains(&name), "--help does not list {name}");
    }
    let page = Command::new(bin).args(["help", "status"]).output().unwrap();
    assert!(String::from_utf8_lossy(&page.stdout).contains("Usage: chainit status"));
    let none = Command::new(bin)
        .args(["help", "no-such"])
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(100));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no command no-such"));
}
