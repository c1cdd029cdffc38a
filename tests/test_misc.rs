//! cd, umask, getpid, getcwd.

use crate::cases;
use crate::support::script;

cases! {
    cd_then_pwd: script("cd /tmp pwd");
    cd_alias: script("execline-cd / pwd");
    cd_missing: script("cd /nonexistent pwd");
    cd_usage: script("cd");
    cd_relative: script("foreground { mkdir sub } cd sub foreground { redirfd -w 1 f printf x } pwd");
    umask_sets: script("umask 027 sh -c umask");
    umask_alias: script("execline-umask 0 sh -c umask");
    umask_bad: script("umask 9z sh -c umask");
    umask_usage: script("umask");
    umask_file_mode: script("umask 022 redirfd -w 1 f printf x");
    getpid_self: script("getpid P importas p P sh -c \"test $p = $$ && echo same\"");
    getpid_parent: script("getpid -P P importas p P sh -c \"test $p = $PPID && echo ok\"").flags("-P");
    getpid_import: script("getpid -E P sh -c \"test $P = $$ && printf [%s] \\\"${P-unset}\\\"\"");
    getpid_usage: script("getpid");
    getcwd_var: script("cd / getcwd D importas d D printf [%s] $d");
    getcwd_import: script("cd /tmp getcwd -E D printf [%s] $D");
    getcwd_env: script("cd /usr getcwd D sh -c \"printf [%s] $D\"");
    getcwd_usage: script("getcwd");
}

/// The /command builtins that leave the process as they found it run in
/// the parent of a `foreground` (no fork): what a script sees is the same
/// as with a real exec for every step (CHAINIT_EXEC=1).
#[test]
fn pure_command_builtins_in_foreground_match_real_execs() {
    let dir = crate::support::scratch_dir("pure");
    let d = dir.display();
    let script = format!(
        "foreground {{ s6-mkdir {d}/x/y }} importas q1 ? \
         foreground {{ s6-mkdir -p {d}/x/y }} importas q2 ? \
         foreground {{ s6-echo -n made }} \
         foreground {{ s6-chmod 0700 {d}/x }} \
         foreground {{ s6-ln -s y {d}/x/l }} \
         foreground {{ s6-false }} importas q3 ? \
         foreground {{ s6-printenv -n -d , }} \
         s6-echo \" $q1 $q2 $q3\""
    );
    let path = format!("{}:/usr/bin:/bin", crate::support::chainit_bin().display());
    let fast = crate::support::run_chainit_inline(&script, &[("PATH", &path)]);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let slow =
        crate::support::run_chainit_inline(&script, &[("PATH", &path), ("CHAINIT_EXEC", "1")]);
    let text = |o: &std::process::Output| {
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).replace("CHAINIT_EXEC=1,", ""),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    assert_eq!(text(&fast), text(&slow));
    let (code, out, err) = text(&fast);
    assert_eq!(code, Some(0));
    assert!(out.starts_with("made") && out.ends_with(" 1\n"), "{out}");
    assert!(
        err.starts_with("s6-mkdir: warning: unable to mkdir"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_link(dir.join("x/l")).unwrap(),
        std::path::Path::new("y")
    );
}
