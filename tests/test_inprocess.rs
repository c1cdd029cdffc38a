//! Scripts whose `#!` names chainit run in the forked child instead of
//! through an execve (docs/services.md): everything the started process can
//! observe must equal what the execve route gives, which `CHAINIT_EXEC=1`
//! forces. Each probe below is the process a script ends up as; it writes
//! what it sees, and the two boots must agree line for line.

use std::process::Command;

use crate::support::chainit_bin;
use crate::test_graph::{Graph, RC};
use crate::test_init::{Boot, boot, sh};

/// What a process sees of itself, pids aside: its arguments, directory,
/// umask, signal mask and dispositions, fds and where they lead, session
/// and group relation, limits and environment (in order).
const PROBE: &str = r#"#!/bin/sh
out="OUTDIR/$1"
# The first instance's view only: later restarts (or the stop) leave it.
[ -e "$out" ] && exit 0
# Read with builtins only: dash blocks every signal while it waits for a
# child, so the mask is only its own before the first fork.
while read -r key value; do
  case $key in SigBlk:|SigIgn:|SigCgt:) masks="$masks$key $value
";; esac
done < /proc/$$/status
{
  printf %s "$masks"
  echo "args: $*"
  echo "cwd: $(pwd)"
  echo "umask: $(umask)"
  # A glob, not ls: the shell's own fds, without a pipe of its making.
  for f in /proc/$$/fd/*; do
    echo "fd ${f##*/}: $(readlink "$f" | sed 's/\[[0-9]*\]/[N]/; s/[0-9][0-9]*$/N/')"
  done
  set -- $(cut -d' ' -f5,6 /proc/$$/stat)
  [ "$1" = "$2" ] && echo "group leads its session: yes" || echo "group leads its session: no"
  [ "$1" = "$$" ] && echo "leads its group: yes" || echo "leads its group: no"
  cat /proc/$$/limits
  env | grep -v -e '^CHAINIT_EXEC=' -e '^PWD=' -e '^SHLVL=' -e '^_='
} > "$out.tmp"
mv "$out.tmp" "$out"
"#;

fn tree(b: Boot, bin: &str) -> Boot {
    let root = b.root.display().to_string();
    let probe = format!("{root}/probe");
    let el = |opts: &str, body: &str| format!("#!{bin}/execlineb {opts}\n{body}\n");
    b.script("probe", &PROBE.replace("OUTDIR", &format!("{root}/out")))
        .script(
            "etc/cont-init.d/10-probe",
            &el("-P", &format!("{probe} cont-init")),
        )
        // The positional forms: -S (substitute), -s, push (none), -P.
        .script(
            "etc/services.d/subst/run",
            &el("-S1", &format!("{probe} run-subst $0 $1 $#")),
        )
        .file("etc/services.d/subst/notification-fd", "5\n")
        .script(
            "etc/services.d/subst/finish",
            &el("-S3", &format!("{probe} finish-subst $0 $1 $2 $3 $#")),
        )
        .script(
            "etc/services.d/push/run",
            &el(
                "",
                &format!("importas -D unset one 1 {probe} run-push $one"),
            ),
        )
        .script(
            "etc/services.d/shift/run",
            &el("-s1", &format!("{probe} run-shift $1 $@")),
        )
        .script(
            "etc/services.d/contenv/run",
            &format!("#!{bin}/with-contenv sh\nexec {probe} run-contenv \"$0\" \"$@\"\n"),
        )
        .script(
            "etc/services.d/envpath/run",
            &format!("#!/usr/bin/env execlineb\nimportas -D unset zero 0\n{probe} run-env $zero\n"),
        )
        .script("updown", &el("-S1", &format!("{probe} oneshot-$1")))
        .oneshot("one", &format!("{root}/updown up"), &[])
        .file(&format!("{RC}/one/down"), &format!("{root}/updown down\n"))
        .enable("one")
        .env("FROM_CONTENV", "yes")
}

const NAMES: [&str; 9] = [
    "cont-init",
    "run-subst",
    "finish-subst",
    "run-push",
    "run-shift",
    "run-contenv",
    "run-env",
    "oneshot-up",
    "oneshot-down",
];

/// Boots the tree and returns what every probe wrote, by name.
fn observe(exec_route: bool) -> Vec<(String, String)> {
    let bin = chainit_bin().display().to_string();
    let b = tree(boot(), &bin);
    let out = b.root.join("out");
    std::fs::create_dir(&out).unwrap();
    // An fd the init was given stays open in every script, either way.
    let mut b = b.inherit_fd(7);
    if exec_route {
        b = b.env("CHAINIT_EXEC", "1");
    }
    let wait = NAMES[..7]
        .iter()
        .map(|n| format!("[ -e {}/{n} ]", out.display()))
        .collect::<Vec<_>>()
        .join(" && ");
    let r = b.run(&sh(&format!(
        "for i in $(seq 1000); do {wait} && break; sleep 0.01; done"
    )));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    NAMES
        .iter()
        .map(|n| {
            let text = std::fs::read_to_string(out.join(n))
                .unwrap_or_else(|_| panic!("no {n}: {}", r.stderr()));
            (
                n.to_string(),
                text.replace(&b.root.display().to_string(), "ROOT"),
            )
        })
        .collect()
}

#[test]
fn every_observable_equals_the_execve_route() {
    let inproc = observe(false);
    let exec = observe(true);
    let differ: Vec<String> = inproc
        .iter()
        .zip(&exec)
        .filter(|((_, a), (_, b))| a != b)
        .map(|((name, a), (_, b))| {
            let lines: Vec<String> = a
                .lines()
                .zip(b.lines())
                .filter(|(x, y)| x != y)
                .map(|(x, y)| format!("  {x:?} in-process, {y:?} exec'd"))
                .collect();
            format!("{name}:\n{}", lines.join("\n"))
        })
        .collect();
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    // And the probes saw what the scripts were given.
    let seen = |n: &str| inproc.iter().find(|(k, _)| k == n).unwrap().1.clone();
    assert!(
        seen("run-subst").contains("\nargs: run-subst ./run subst 1\n"),
        "{}",
        seen("run-subst")
    );
    assert!(
        seen("run-subst").contains("fd 5: pipe:[N]\n"),
        "{}",
        seen("run-subst")
    );
    assert!(seen("finish-subst").contains("\nargs: finish-subst ./finish 0 0 subst 3\n"));
    assert!(seen("run-push").contains("\nargs: run-push push\n"));
    assert!(seen("run-shift").contains("\nargs: run-shift shift\n"));
    assert!(seen("run-contenv").contains("\nargs: run-contenv ./run contenv\n"));
    assert!(seen("run-contenv").contains("FROM_CONTENV=yes\n"));
    assert!(!seen("run-push").contains("FROM_CONTENV"));
    assert!(seen("run-env").contains("\nargs: run-env ./run\n"));
    assert!(
        seen("run-push").contains("\nfd 7: /dev/null\n"),
        "{}",
        seen("run-push")
    );
    assert!(seen("oneshot-up").contains("\nargs: oneshot-up\n"));
}

#[test]
fn no_interpreter_is_execd_for_a_script_of_ours() {
    let bin = chainit_bin().display().to_string();
    let b = boot().script(
        "etc/services.d/el/run",
        &format!("#!{bin}/execlineb -P\nforeground {{ true }}\nsh -c \"echo started > out\"\n"),
    );
    let trace = b.root.join("trace");
    let script = format!(
        "for i in $(seq 500); do [ -s {root}/run/s6/legacy-services/el/out ] && break; sleep 0.01; done",
        root = b.root.display()
    );
    let ns = crate::support::in_pid_namespace(30);
    let r = Command::new("strace")
        .args(["-f", "-e", "trace=execve,openat", "-o"])
        .arg(&trace)
        .arg(ns.get_program())
        .args(ns.get_args())
        .arg(env!("CARGO_BIN_EXE_chainit"))
        .args(["init", "--root"])
        .arg(&b.root)
        .arg("--run-dir")
        .arg(b.run_dir())
        .args(["--", "sh", "-c", &script])
        .env("PATH", format!("{bin}:/usr/bin:/bin"))
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let trace = std::fs::read_to_string(trace).unwrap();
    // Every exec attempt (strace may split one over two lines).
    let execs: Vec<&str> = trace.lines().filter(|l| l.contains("execve(")).collect();
    assert!(
        execs
            .iter()
            .any(|l| l.contains("\"sh\", \"-c\", \"echo started")),
        "{trace}"
    );
    assert!(
        !execs
            .iter()
            .any(|l| l.contains("execve(\"./run\"") || l.contains("execlineb")),
        "{execs:#?}"
    );
    assert!(!trace.contains("execve(\"./run\""), "{trace}");
    // Parsed once, when the service was read: the child does not read it.
    assert!(!trace.contains("\"./run\", O_RDONLY"), "{trace}");
}

#[test]
fn a_run_script_that_does_not_parse_is_reported_and_shown_down() {
    let bin = chainit_bin().display().to_string();
    let b = boot()
        .script(
            "etc/services.d/broken/run",
            &format!("#!{bin}/execlineb -P\nforeground {{ echo\nexec sleep 100\n"),
        )
        .script("etc/services.d/fine/run", "#!/bin/sh\nexec sleep 100\n");
    let c = env!("CARGO_BIN_EXE_chainit");
    let r = b.run(&sh(&format!(
        "sleep 0.2; {c} status | sed 's/  */ /g'; {c} check --root {} >/dev/null 2>&1; echo check $?",
        b.root.display()
    )));
    let out = r.stdout();
    let row = out
        .lines()
        .find(|l| l.starts_with("broken "))
        .unwrap_or_else(|| panic!("{out}\n{}", r.stderr()));
    assert!(row.starts_with("broken down "), "{out}");
    assert!(
        row.contains("not started: run: syntax error at line 2, column 12: "),
        "{out}"
    );
    assert!(out.lines().any(|l| l.starts_with("fine up ")), "{out}");
    assert!(
        out.contains("check 1\n") || out.contains("check 2\n"),
        "{out}"
    );
    // The diagnostic, with the file and the place, went to the log.
    assert!(r.stderr().contains("syntax error"), "{}", r.stderr());
    assert!(r.stderr().contains("broken/run:2:12"), "{}", r.stderr());
}

#[test]
fn a_script_edited_between_two_starts_runs_as_edited() {
    let bin = chainit_bin().display().to_string();
    let b = boot();
    let t = b.root.display().to_string();
    let b = b.script(
        "etc/services.d/edited/run",
        &format!("#!{bin}/execlineb -P\nredirfd -a 1 {t}/seen echo first\n"),
    );
    let run = format!("{t}/run/s6/legacy-services/edited/run");
    let r = b.run(&sh(&format!(
        "for i in $(seq 300); do [ -s {t}/seen ] && break; sleep 0.01; done; \
         printf '#!{bin}/execlineb -P\\nredirfd -a 1 {t}/seen echo second\\n' > {run}.new; mv {run}.new {run}; chmod +x {run}; \
         for i in $(seq 300); do grep -q second {t}/seen && break; sleep 0.01; done"
    )));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    let seen = std::fs::read_to_string(b.root.join("seen")).unwrap();
    assert!(seen.starts_with("first\n"), "{seen}");
    assert!(seen.contains("second\n"), "{seen}");
}
