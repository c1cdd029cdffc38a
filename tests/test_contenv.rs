//! with-contenv and printcontenv, differential against stand-ins built on
//! Debian's execline and s6 (tests/fixtures), and end to end through the
//! kernel's shebang handling and `chainit install --s6-overlay`.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use crate::cases;
use crate::support::{Case, chainit_bin, script};

/// A saved container environment in `ce/`, and a live one that differs.
fn contenv(text: &str) -> Case {
    script(text)
        .flags("-P")
        .overlay_fixtures()
        .env("CHAINIT_CONTAINER_ENV", "ce")
        .env("LIVE", "only-live")
        .env("FOO", "live-foo")
        .file("ce/FOO", b"saved-foo\n")
        .file("ce/MULTI", b"line one\nline two  \n\n")
        .file("ce/BLANKS", b"trailing  \t")
        .file("ce/EMPTY", b"")
        .file("ce/NUL", b"a\0b")
        .file("ce/.hidden", b"no")
        .file("ce/A=B", b"no")
        .file("ce/CMD", b"$(touch pwned) `touch pwned2`")
}

cases! {
    loads_saved_env: contenv("with-contenv env");
    keep_env_one: contenv("with-contenv env").env("S6_KEEP_ENV", "1");
    keep_env_zero: contenv("with-contenv env").env("S6_KEEP_ENV", "0");
    keep_env_empty: contenv("with-contenv env").env("S6_KEEP_ENV", "");
    keep_env_zeros: contenv("with-contenv env").env("S6_KEEP_ENV", "00");
    keep_env_two: contenv("with-contenv env").env("S6_KEEP_ENV", "2");
    keep_env_word: contenv("with-contenv env").env("S6_KEEP_ENV", "yes");
    saved_keep_env_ignored: contenv("with-contenv env").file("ce/S6_KEEP_ENV", b"1");
    saved_path_used_for_next: contenv("with-contenv env").file("ce/PATH", b"/nonexistent\n");
    saved_path_found: contenv("with-contenv env").file("ce/PATH", b"/usr/bin:/bin\n");
    values_are_data: contenv("with-contenv sh -c \"echo \\\"$CMD\\\"; eval echo \\\"$FOO\\\"\"");
    missing_dir: contenv("with-contenv env").env("CHAINIT_CONTAINER_ENV", "nonexistent");
    no_args: contenv("with-contenv");
    no_args_keep: contenv("with-contenv").env("S6_KEEP_ENV", "1");
    then_builtin: contenv("with-contenv importas -i f FOO echo $f");
    then_s6_chain: contenv("with-contenv s6-envdir ce2 s6-setuidgid nobody sh -c \"id -u; echo $FOO $X\"").file("ce2/X", b"x\n");
    dash_prog: contenv("with-contenv -c env");

    print_saved: contenv("printcontenv FOO");
    print_multi: contenv("printcontenv MULTI");
    print_nul: contenv("printcontenv NUL");
    print_missing: contenv("printcontenv NOPE");
    print_empty_file: contenv("printcontenv EMPTY");
    print_keep_env: contenv("printcontenv FOO").env("S6_KEEP_ENV", "1");
    print_keep_env_unset: contenv("printcontenv NOPE").env("S6_KEEP_ENV", "1");
    print_keep_env_word: contenv("printcontenv FOO").env("S6_KEEP_ENV", "yes");
    print_no_args: contenv("printcontenv");
    print_extra_args: contenv("printcontenv FOO LIVE");
    print_missing_dir: contenv("printcontenv FOO").env("CHAINIT_CONTAINER_ENV", "nonexistent");
}

/// Writes an executable file.
fn executable(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("chainit-contenv-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A run script as image authors write it: `#!/…/with-contenv sh`, then a
/// privilege drop. Run by the kernel, with the reference stand-in as the
/// interpreter and with chainit's; both must print the same.
#[test]
fn shebang_run_script_end_to_end() {
    let dir = scratch("shebang");
    let ce = dir.join("ce");
    std::fs::create_dir_all(&ce).unwrap();
    std::fs::write(ce.join("GREETING"), "hello from the container env\n").unwrap();
    std::fs::write(
        ce.join("PATH"),
        format!("{}:/usr/bin:/bin", chainit_bin().display()),
    )
    .unwrap();
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let body = "echo \"$GREETING\"\necho \"live=${LIVE-unset} args=$*\"\nexec s6-setuidgid nobody sh -c 'id -u; id -g'\n";
    let ours = dir.join("run-chainit");
    let theirs = dir.join("run-reference");
    executable(
        &ours,
        &format!("#!{}/with-contenv sh\n{body}", chainit_bin().display()),
    );
    executable(&theirs, &format!("#!{fixtures}/with-contenv sh\n{body}"));
    let run = |script: &Path, path: String| {
        crate::support::output_of_fresh_script(
            Command::new(script)
                .args(["one", "two"])
                .env_clear()
                .env("PATH", path)
                .env("LIVE", "yes")
                .env("CHAINIT_CONTAINER_ENV", &ce),
        )
    };
    let got = run(&ours, format!("{}:/usr/bin:/bin", chainit_bin().display()));
    let want = run(&theirs, "/usr/lib/execline/bin:/usr/bin:/bin".to_owned());
    let text = |o: &std::process::Output| String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(
        text(&got),
        "hello from the container env\nlive=unset args=one two\n65534\n65534\n",
        "stderr: {}",
        String::from_utf8_lossy(&got.stderr)
    );
    assert!(got.status.success());
    if crate::support::reference_available() {
        assert_eq!(
            text(&want),
            text(&got),
            "stderr: {}",
            String::from_utf8_lossy(&want.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `chainit install --s6-overlay ROOT` lays out the paths scripts name, and
/// a run script using them works.
#[test]
fn install_s6_overlay_layout() {
    let root = scratch("layout");
    let st = Command::new(env!("CARGO_BIN_EXE_chainit"))
        .args(["install", "--s6-overlay"])
        .arg(&root)
        .status()
        .unwrap();
    assert!(st.success());
    let me = std::fs::canonicalize(env!("CARGO_BIN_EXE_chainit")).unwrap();
    let commands = Command::new(env!("CARGO_BIN_EXE_chainit"))
        .arg("commands")
        .output()
        .unwrap();
    let mut expected: Vec<String> = String::from_utf8_lossy(&commands.stdout)
        .lines()
        .map(|name| format!("command/{name}"))
        .collect();
    assert!(expected.contains(&"command/s6-svscan".to_owned()));
    expected.extend(["usr/bin/with-contenv", "usr/bin/execlineb", "init"].map(String::from));
    for rel in &expected {
        let target = std::fs::read_link(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(target, me, "{rel}");
    }
    // Installing again is a no-op; a foreign file is refused without --force.
    let again = Command::new(env!("CARGO_BIN_EXE_chainit"))
        .args(["install", "--s6-overlay"])
        .arg(&root)
        .status()
        .unwrap();
    assert!(again.success());
    std::fs::remove_file(root.join("init")).unwrap();
    std::fs::write(root.join("init"), "not ours").unwrap();
    let refused = Command::new(env!("CARGO_BIN_EXE_chainit"))
        .args(["install", "--s6-overlay"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(111));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));

    let ce = root.join("ce");
    std::fs::create_dir_all(&ce).unwrap();
    std::fs::write(ce.join("NAME"), "world").unwrap();
    let script = root.join("run");
    executable(
        &script,
        &format!(
            "#!{0}/command/with-contenv {0}/usr/bin/execlineb\nimportas -i n NAME\ns6-setuidgid nobody\nbacktick -E u {{ id -u }}\necho hello $n as $u\n",
            root.display()
        ),
    );
    let out = crate::support::output_of_fresh_script(
        Command::new(&script)
            .env_clear()
            .env("PATH", format!("{}/command:/usr/bin:/bin", root.display()))
            .env("CHAINIT_CONTAINER_ENV", &ce),
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "hello world as 65534\n",
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&root);
}

cases! {
    keep_env_leading_number: contenv("with-contenv env").env("S6_KEEP_ENV", "1x");
    keep_env_spaced: contenv("with-contenv env").env("S6_KEEP_ENV", " 1");
    keep_env_negative: contenv("with-contenv env").env("S6_KEEP_ENV", "-1");
    print_keep_env_leading_number: contenv("printcontenv FOO").env("S6_KEEP_ENV", "1x");
    dash_dash_prog: contenv("with-contenv -- env");
}

cases! {
    no_fd_left: contenv("with-contenv ls /proc/self/fd");
}
