//! `chainit status` tells the truth: non-zero exactly when a service wanted
//! up is not up (refused by check, dependency failed, crashed, never
//! supervised) or when there is no init to ask; each row says why and with
//! which exit code.

use std::process::Command;

use crate::test_graph::{Graph, RC};
use crate::test_init::{boot, sh};

/// Boots the tree and runs `chainit status ARGS` as the CMD (after `pause`
/// seconds): its exit code and output, one space between fields.
fn status_inside(b: crate::test_init::Boot, pause: &str, args: &str) -> (i32, String, String) {
    let c = env!("CARGO_BIN_EXE_chainit");
    let t = b.root.display().to_string();
    let cmd =
        format!("sleep {pause}; {c} status {args} > {t}/st; r=$?; sed 's/  */ /g' {t}/st; exit $r");
    let r = b.run(&sh(&cmd));
    (r.code().unwrap_or(-1), r.stdout(), r.stderr())
}

fn line<'a>(out: &'a str, name: &str) -> &'a str {
    out.lines()
        .find(|l| l.starts_with(&format!("{name} ")))
        .unwrap_or_else(|| panic!("no {name} row in:\n{out}"))
}

#[test]
fn healthy_when_every_wanted_service_is_up() {
    let b = boot()
        .oneshot("made", "true", &["base"])
        .longrun("daemon", "exec sleep 100", &["made"])
        .enable("made")
        .enable("daemon");
    let (code, out, err) = status_inside(b, "0.2", "");
    assert_eq!(code, 0, "{out}{err}");
    assert!(line(&out, "daemon").starts_with("daemon up "), "{out}");
}

#[test]
fn a_failed_oneshot_and_what_needs_it_are_unhealthy() {
    let b = boot()
        .oneshot("broken", "sh -c \"exit 4\"", &["base"])
        .longrun("needs-it", "exec sleep 100", &["broken"])
        .enable("needs-it");
    let (code, out, err) = status_inside(b, "0.1", "");
    assert_eq!(code, 1, "{out}{err}");
    let broken = line(&out, "broken");
    assert!(broken.starts_with("broken down "), "{out}");
    assert!(broken.contains(" 4 its up command sh exited 4"), "{out}");
    let needs = line(&out, "needs-it");
    assert!(
        needs.contains("needs broken, which did not come up"),
        "{out}"
    );
}

#[test]
fn a_refused_definition_is_unhealthy() {
    let b = boot()
        .longrun("garbled", "exec sleep 100", &["base"])
        .file(&format!("{RC}/garbled/notification-fd"), "three\n")
        .enable("garbled");
    let (code, out, err) = status_inside(b, "0.1", "--json");
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.starts_with("{\"healthy\":false,"), "{out}");
    assert!(
        out.contains("\"name\":\"garbled\",\"kind\":\"longrun\",\"state\":\"down\""),
        "{out}"
    );
    assert!(out.contains("its definition is broken"), "{out}");
}

#[test]
fn a_crashing_service_is_unhealthy_with_its_exit_code() {
    let b = boot().script("etc/services.d/crasher/run", "#!/bin/sh\nexit 3\n");
    let (code, out, err) = status_inside(b, "0.3", "");
    assert_eq!(code, 1, "{out}{err}");
    let row = line(&out, "crasher");
    assert!(row.contains(" 3 it died (exit 3)"), "{out}");
}

#[test]
fn an_unsupervised_services_d_entry_is_unhealthy() {
    let b = boot()
        .file("etc/services.d/plain/run", "#!/bin/sh\nexec sleep 100\n")
        .script("etc/services.d/fine/run", "#!/bin/sh\nexec sleep 100\n");
    let (code, out, err) = status_inside(b, "0.1", "");
    assert_eq!(code, 1, "{out}{err}");
    let plain = line(&out, "plain");
    assert!(plain.starts_with("plain down "), "{out}");
    assert!(
        plain.ends_with("not started: run is not executable"),
        "{out}"
    );
    assert!(line(&out, "fine").starts_with("fine up "), "{out}");
}

#[test]
fn a_service_brought_down_on_purpose_is_healthy() {
    let c = env!("CARGO_BIN_EXE_chainit");
    let b = boot()
        .longrun("daemon", "exec sleep 100", &["base"])
        .enable("daemon");
    let cmd = format!("{c} svc -d daemon && {c} status >/dev/null; echo $?");
    let r = b.run(&sh(&cmd));
    assert_eq!(r.stdout(), "0\n", "{}", r.stderr());
}

#[test]
fn long_names_keep_the_columns_apart() {
    let name = "a-service-with-a-rather-long-name";
    let b = boot().script(
        &format!("etc/services.d/{name}/run"),
        "#!/bin/sh\nexec sleep 100\n",
    );
    let c = env!("CARGO_BIN_EXE_chainit");
    let r = b.run(&sh(&format!("sleep 0.1; {c} status")));
    let row = r
        .stdout()
        .lines()
        .find(|l| l.starts_with(name))
        .map(str::to_owned)
        .unwrap_or_default();
    assert!(row.starts_with(&format!("{name} up ")), "{}", r.stdout());
}

/// No init behind the run dir: never "healthy".
#[test]
fn no_init_is_never_healthy() {
    let c = env!("CARGO_BIN_EXE_chainit");
    let dir = crate::support::scratch_dir("noinit");
    for args in [
        vec!["status", "--run-dir", "/nonexistent/run"],
        vec!["status", "--json", "--run-dir", dir.to_str().unwrap()],
        vec!["status", "/nonexistent/scandir"],
    ] {
        let out = Command::new(c).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("chainit status: fatal:"), "{args:?}: {err}");
    }
    // No CHAINIT_RUN_DIR and no chainit behind /run (this host runs none).
    if !std::path::Path::new("/run/s6/chainit.pid").exists() {
        let out = Command::new(c)
            .arg("status")
            .env_remove("CHAINIT_RUN_DIR")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
    }
    // A pid file of a process that is gone.
    std::fs::create_dir_all(dir.join("s6")).unwrap();
    std::fs::write(dir.join("s6/chainit.pid"), "999999\n").unwrap();
    let out = Command::new(c)
        .args(["status", "--json", "--run-dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json = String::from_utf8_lossy(&out.stdout);
    assert!(json.starts_with("{\"healthy\":false,\"error\":"), "{json}");
}

/// `--run-dir` from outside the tree reaches the init.
#[test]
fn run_dir_option_reaches_the_init() {
    let b = boot().script("etc/services.d/web/run", "#!/bin/sh\nexec sleep 100\n");
    let c = env!("CARGO_BIN_EXE_chainit");
    let run = b.run_dir().display().to_string();
    let cmd =
        format!("sleep 0.1; env -u CHAINIT_RUN_DIR {c} status --run-dir {run} >/dev/null; echo $?");
    let r = b.run(&sh(&cmd));
    assert_eq!(r.stdout(), "0\n", "{}", r.stderr());
}
