//! s6-usertree-maker's service, run: the tree it writes starts s6-svscan as
//! the user, with the user's identity in the environment and the envdir's
//! templates filled in. (What it writes, byte for byte, is compared with
//! s6 2.15's in tests/golden/s6.golden.)

use std::os::unix::fs::PermissionsExt;

use crate::support::{chainit_bin, in_pid_namespace, scratch_dir};

fn open_to_all(path: &std::path::Path) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o777)).unwrap();
}

#[test]
fn the_user_tree_runs_as_the_user_with_its_environment() {
    let top = scratch_dir("usertree");
    open_to_all(&top);
    let bin = chainit_bin();
    let scan = top.join("scan");
    let hello = scan.join("hello");
    std::fs::create_dir_all(&hello).unwrap();
    open_to_all(&scan);
    open_to_all(&hello);
    let out = top.join("out");
    std::fs::write(
        hello.join("run"),
        format!(
            "#!/bin/sh\necho \"$USER|$HOME|$UID|$GID|$GREETING|$PATH|$(id -u)|${{LEAK-none}}\" > {}\nexec sleep 100\n",
            out.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(hello.join("run"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let envdir = top.join("env");
    std::fs::create_dir(&envdir).unwrap();
    std::fs::write(envdir.join("GREETING"), "hi ${USER} at ${HOME}\n").unwrap();

    let svc = top.join("svc");
    let made = std::process::Command::new(bin.join("s6-usertree-maker"))
        .arg("-d")
        .arg(&scan)
        .arg("-p")
        .arg(format!("${{HOME}}/bin:{}:/usr/bin:/bin", bin.display()))
        .arg("-E")
        .arg(&envdir)
        .args(["-e", "GREETING", "nobody"])
        .arg(top.join("log"))
        .arg(&svc)
        .status()
        .unwrap();
    assert!(made.success());
    // The scripts name /command/…; this host has chainit's commands elsewhere.
    for run in [svc.join("run"), svc.join("log/run")] {
        let text = std::fs::read_to_string(&run).unwrap();
        assert!(text.starts_with("#!/command/execlineb -P\n"), "{text}");
        let text = text.replace("/command/", &format!("{}/", bin.display()));
        std::fs::write(&run, text).unwrap();
    }

    let script = format!(
        "LEAK=parent {run} & for i in $(seq 100); do [ -s {out} ] && break; sleep 0.1; done; cat {out}",
        run = svc.join("run").display(),
        out = out.display()
    );
    let got = in_pid_namespace(30)
        .args(["sh", "-c", &script])
        .output()
        .unwrap();
    let line = String::from_utf8_lossy(&got.stdout);
    let home = "/nonexistent";
    let (uid, gid) = ("65534", "65534");
    assert_eq!(
        line.trim_end(),
        format!(
            "nobody|{home}|{uid}|{gid}|hi nobody at {home}|{home}/bin:{}:/usr/bin:/bin|{uid}|none",
            bin.display()
        ),
        "stderr: {}",
        String::from_utf8_lossy(&got.stderr)
    );
}
