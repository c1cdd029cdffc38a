//! `chainit init` as PID 1, each run in its own PID namespace
//! (`unshare --pid --fork --mount-proc`, root required) under a hard deadline.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::chainit_bin;

/// One init run: an image root, a run dir, environment and a CMD.
pub(crate) struct Boot {
    pub root: PathBuf,
    env: Vec<(String, String)>,
    stdin: Option<&'static str>,
    /// An fd the init inherits open across exec (on /dev/null).
    inherited_fd: Option<i32>,
}

pub(crate) fn boot() -> Boot {
    let root = crate::support::scratch_dir("init");
    Boot {
        root,
        env: Vec::new(),
        stdin: None,
        inherited_fd: None,
    }
}

pub(crate) struct Run {
    pub out: Output,
    pub took: Duration,
}

impl Run {
    pub(crate) fn code(&self) -> Option<i32> {
        self.out.status.code()
    }
    pub(crate) fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }
    pub(crate) fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
}

impl Boot {
    /// Writes an executable script at `rel` under the image root.
    pub(crate) fn script(self, rel: &str, text: &str) -> Self {
        let at = self.root.join(rel);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::fs::write(&at, text).unwrap();
        std::fs::set_permissions(&at, std::fs::Permissions::from_mode(0o755)).unwrap();
        self
    }
    /// Writes a plain (not executable) file at `rel` under the image root.
    pub(crate) fn file(self, rel: &str, text: &str) -> Self {
        let at = self.root.join(rel);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::fs::write(&at, text).unwrap();
        self
    }
    pub(crate) fn env(mut self, k: &str, v: &str) -> Self {
        self.env.push((k.into(), v.into()));
        self
    }
    pub(crate) fn stdin(mut self, s: &'static str) -> Self {
        self.stdin = Some(s);
        self
    }
    /// The init starts with `fd` open (on /dev/null, not close-on-exec),
    /// as a container engine or a parent may leave one.
    pub(crate) fn inherit_fd(mut self, fd: i32) -> Self {
        self.inherited_fd = Some(fd);
        self
    }
    pub(crate) fn run_dir(&self) -> PathBuf {
        self.root.join("run")
    }

    /// Boots `chainit init --root ROOT --run-dir ROOT/run -- cmd…` as PID 1.
    pub(crate) fn run(&self, cmd: &[&str]) -> Run {
        let mut c = crate::support::pid1_init(&self.root, &self.run_dir());
        if !cmd.is_empty() {
            c.arg("--").args(cmd);
        }
        c.env_clear()
            .env("PATH", format!("{}:/usr/bin:/bin", chainit_bin().display()))
            .env("S6_KILL_GRACETIME", "3000");
        for (k, v) in &self.env {
            c.env(k, v);
        }
        c.stdin(if self.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        if let Some(fd) = self.inherited_fd {
            use std::os::unix::process::CommandExt;
            // SAFETY: open and dup2 between fork and exec, on our own fds.
            unsafe {
                c.pre_exec(move || {
                    let null = libc::open(c"/dev/null".as_ptr(), libc::O_RDONLY);
                    if null < 0 || libc::dup2(null, fd) < 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
        }
        let start = Instant::now();
        let mut child = c.spawn().expect("spawn unshare");
        if let Some(text) = self.stdin {
            use std::io::Write;
            let mut sin = child.stdin.take().unwrap();
            sin.write_all(text.as_bytes()).unwrap();
        }
        let out = child.wait_with_output().unwrap();
        Run {
            out,
            took: start.elapsed(),
        }
    }
}

pub(crate) fn sh(script: &str) -> [&str; 3] {
    ["sh", "-c", script]
}

#[test]
fn exit_codes_pass_through() {
    for code in [0, 3, 255] {
        let r = boot().run(&sh(&format!("exit {code}")));
        assert_eq!(r.code(), Some(code), "{}", r.stderr());
    }
}

#[test]
fn death_by_signal_is_128_plus_n() {
    for (sig, code) in [("KILL", 137), ("TERM", 143), ("SEGV", 139), ("INT", 130)] {
        let r = boot().run(&sh(&format!("kill -{sig} $$")));
        assert_eq!(r.code(), Some(code), "{sig}: {}", r.stderr());
    }
}

#[test]
fn cmd_that_cannot_run() {
    let b = boot();
    let r = b.run(&["/nonexistent/prog"]);
    assert_eq!(r.code(), Some(127));
    assert!(r.stderr().contains("/nonexistent/prog"), "{}", r.stderr());
    let b = b.script("not-exec", "#!/bin/sh\n");
    std::fs::set_permissions(
        b.root.join("not-exec"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let r = b.run(&[b.root.join("not-exec").to_str().unwrap()]);
    assert_eq!(r.code(), Some(126));
}

/// Without a service tree the init is tini: every signal sent to PID 1
/// reaches the CMD.
#[test]
fn every_signal_is_forwarded() {
    for sig in [
        "HUP", "INT", "QUIT", "USR1", "USR2", "TERM", "WINCH", "CONT", "ALRM",
    ] {
        let r = boot().run(&sh(&format!(
            "trap 'echo got {sig}; exit 7' {sig}; kill -{sig} 1; i=0; while [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done"
        )));
        assert_eq!(r.stdout(), format!("got {sig}\n"), "{}", r.stderr());
        assert_eq!(r.code(), Some(7));
    }
}

/// `-g`: a forwarded signal reaches the CMD's whole process group.
#[test]
fn group_option_signals_the_whole_group() {
    let b = boot();
    let cmd = "sh -c 'trap \"echo child got TERM; exit 0\" TERM; sleep 5 & wait' & child=$!; sleep 0.3; \
               trap 'wait $child; exit 5' TERM; kill -TERM 1; sleep 5 & wait";
    let mut c = Command::new("unshare");
    c.args(["--pid", "--fork", "--mount-proc"])
        .arg(env!("CARGO_BIN_EXE_chainit"))
        .args(["init", "-g", "--run-dir"])
        .arg(b.run_dir())
        .args(["--", "sh", "-c", cmd]);
    let start = Instant::now();
    let out = c.output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "child got TERM\n");
    assert_eq!(out.status.code(), Some(5));
    assert!(start.elapsed() < Duration::from_secs(4));
}

#[test]
fn orphans_are_reaped_and_memory_stays_flat() {
    let r = boot().run(&sh(
        "rss() { sed -n 's/^VmRSS:[[:space:]]*\\([0-9]*\\).*/\\1/p' /proc/1/status; }
         # Warm up first: the reaping path's code pages come back once.
         i=0; while [ $i -lt 1000 ]; do ( true & ); i=$((i+1)); done; sleep 0.5
         before=$(rss)
         i=0; while [ $i -lt 20000 ]; do ( true & ); i=$((i+1)); done
         sleep 1
         z=0; for s in /proc/[0-9]*/stat; do read -r l < $s 2>/dev/null && case \"${l##*) }\" in Z*) z=$((z+1));; esac; done
         echo zombies=$z
         echo grew=$(( $(rss) - before ))",
    ));
    let out = r.stdout();
    assert!(out.contains("zombies=0\n"), "{out}{}", r.stderr());
    let grew: i64 = out.rsplit("grew=").next().unwrap().trim().parse().unwrap();
    assert!(
        grew < 256,
        "init RSS grew by {grew} kB after 20,000 orphans"
    );
}

#[test]
fn leftovers_get_term_and_the_init_exits_when_they_are_gone() {
    let r = boot()
        .env("S6_KILL_GRACETIME", "20000")
        .run(&sh("sleep 100 & sleep 100 & exit 4"));
    assert_eq!(r.code(), Some(4));
    assert!(r.took < Duration::from_secs(5), "took {:?}", r.took);
}

#[test]
fn a_process_ignoring_term_is_killed_after_the_grace_time() {
    let r = boot()
        .env("S6_KILL_GRACETIME", "700")
        .run(&sh("(trap '' TERM; exec sleep 100) & sleep 0.2; exit 0"));
    assert_eq!(r.code(), Some(0));
    assert!(r.took >= Duration::from_millis(700), "took {:?}", r.took);
    assert!(r.took < Duration::from_secs(5), "took {:?}", r.took);
}

#[test]
fn stdio_passes_through() {
    let r = boot()
        .stdin("line one\nline two\n")
        .run(&sh("cat; echo to-stderr >&2"));
    assert_eq!(r.stdout(), "line one\nline two\n");
    assert!(r.stderr().contains("to-stderr"));
}

#[test]
fn fork_storm() {
    let r = boot().run(&sh(
        "i=0; while [ $i -lt 1000 ]; do sleep 0.3 & i=$((i+1)); done; wait; echo all done",
    ));
    assert_eq!(r.stdout(), "all done\n", "{}", r.stderr());
    assert_eq!(r.code(), Some(0));
}

#[test]
fn tini_mode_keeps_the_environment() {
    let r = boot().env("FOO", "bar").run(&sh("echo $FOO"));
    assert_eq!(r.stdout(), "bar\n");
}

/// With a tree, the stages run in order and the CMD gets s6-overlay's
/// reset environment; with-contenv brings the container's back.
#[test]
fn stages_run_in_order() {
    let b = boot()
        .env("FOO", "from-container")
        .script("etc/cont-init.d/20-second", "#!/bin/sh\necho init 20\n")
        .script("etc/cont-init.d/10-first", "#!/bin/sh\necho init 10\n")
        .script("etc/cont-finish.d/10-bye", "#!/bin/sh\necho finish 10\n");
    let r = b.run(&sh(
        "echo cmd FOO=${FOO-unset}; with-contenv sh -c 'echo contenv FOO=$FOO'; exit 6",
    ));
    assert_eq!(
        r.stdout(),
        "init 10\ninit 20\ncmd FOO=unset\ncontenv FOO=from-container\nfinish 10\n",
        "{}",
        r.stderr()
    );
    assert_eq!(r.code(), Some(6));
    let saved = std::fs::read_to_string(b.run_dir().join("s6/container_environment/FOO")).unwrap();
    assert_eq!(saved, "from-container\n");
    assert_eq!(
        std::fs::read_to_string(b.run_dir().join("s6-linux-init-container-results/exitcode"))
            .unwrap(),
        "6\n"
    );
}

/// A second boot in the same run dir brings the saved environment up to
/// date in place: changed values rewritten, unchanged files left alone,
/// variables that are gone and stray entries removed.
#[test]
fn a_reboot_updates_the_saved_environment() {
    use std::os::unix::fs::MetadataExt;
    let first = boot()
        .env("KEEP", "same")
        .env("CHANGE", "old")
        .env("GONE", "x")
        .script("etc/cont-init.d/10-noop", "#!/bin/sh\n");
    assert_eq!(first.run(&["true"]).code(), Some(0));
    let dir = first.run_dir().join("s6/container_environment");
    std::fs::create_dir_all(dir.join("stray-dir/inner")).unwrap();
    std::fs::write(dir.join("STRAY"), "x\n").unwrap();
    let inode = |name: &str| std::fs::metadata(dir.join(name)).unwrap().ino();
    let keep = inode("KEEP");
    let second = Boot {
        root: first.root.clone(),
        env: vec![
            ("KEEP".into(), "same".into()),
            ("CHANGE".into(), "new".into()),
            ("NEW".into(), "n".into()),
        ],
        stdin: None,
        inherited_fd: None,
    };
    let r = second.run(&sh(
        "with-contenv sh -c 'echo $KEEP $CHANGE $NEW ${GONE-unset}'",
    ));
    assert_eq!(r.stdout(), "same new n unset\n", "{}", r.stderr());
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    assert_eq!(read("CHANGE"), "new\n");
    assert_eq!(read("NEW"), "n\n");
    assert_eq!(inode("KEEP"), keep, "an unchanged file is not rewritten");
    for gone in ["GONE", "STRAY", "stray-dir"] {
        assert!(!dir.join(gone).exists(), "{gone} is still there");
    }
}

/// fix-attrs.d is applied before cont-init.d: owner, group and modes, down
/// the tree when asked, dotfiles only with S6_FIX_ATTRS_HIDDEN=1.
#[test]
fn fix_attrs_runs_before_cont_init() {
    let b = boot()
        .file("data/top/file", "x")
        .file("data/top/sub/deep", "x")
        .file("data/top/.hidden", "x")
        .file("data/single", "x");
    let data = b.root.join("data");
    let fix = format!(
        "# owner and modes\n{0}/top true nobody 0640 0750\n\n{0}/sin* false 1:2,3:4 0604 0700\n",
        data.display()
    );
    let show = format!(
        "#!/bin/sh\ncd {}\nstat -c '%n %U %a' top top/file top/sub top/sub/deep top/.hidden\nstat -c '%n %u:%g %a' single\n",
        data.display()
    );
    let b = b
        .file("etc/fix-attrs.d/01-data", &fix)
        .script("etc/cont-init.d/10-show", &show);
    let r = b.run(&["true"]);
    assert_eq!(
        r.stdout(),
        "top nobody 750\ntop/file nobody 640\ntop/sub nobody 750\ntop/sub/deep nobody 640\n\
         top/.hidden root 644\nsingle 1:2 604\n",
        "{}",
        r.stderr()
    );
    assert!(r.stderr().contains("deprecated"), "{}", r.stderr());
    let r = b.env("S6_FIX_ATTRS_HIDDEN", "1").run(&["true"]);
    assert!(
        r.stdout().contains("top/.hidden nobody 640\n"),
        "{}",
        r.stdout()
    );
}

/// A fix that cannot be applied is named with its file and line; only
/// S6_BEHAVIOUR_IF_STAGE2_FAILS=2 stops the container for it.
#[test]
fn a_failing_fix_attrs_line_follows_the_stage2_policy() {
    let b = boot()
        .file(
            "etc/fix-attrs.d/01-bad",
            "/nonexistent/path false root 0644 0755\n",
        )
        .script(
            "etc/cont-init.d/10-hello",
            "#!/bin/sh\necho cont-init ran\n",
        );
    let r = b.run(&sh("echo cmd ran"));
    assert_eq!(r.stdout(), "cont-init ran\ncmd ran\n", "{}", r.stderr());
    assert!(r.stderr().contains("01-bad:1:"), "{}", r.stderr());
    assert_eq!(r.code(), Some(0));
    let r = b
        .env("S6_BEHAVIOUR_IF_STAGE2_FAILS", "2")
        .run(&sh("echo cmd ran"));
    assert_eq!(r.stdout(), "", "{}", r.stderr());
    assert_ne!(r.code(), Some(0));
}

/// A run dir that cannot be used is named once, with what goes missing;
/// the stages still run and the CMD's code is still the container's.
#[test]
fn an_unusable_run_dir_is_named_once() {
    let b = boot()
        .file("run", "a file where the run dir should be")
        .script(
            "etc/cont-init.d/10-hello",
            "#!/bin/sh\necho cont-init ran\n",
        );
    let r = b.run(&sh("echo cmd ran; exit 4"));
    assert_eq!(r.stdout(), "cont-init ran\ncmd ran\n", "{}", r.stderr());
    assert_eq!(r.code(), Some(4));
    let err = r.stderr();
    assert_eq!(err.matches("cannot be used").count(), 1, "{err}");
    assert!(
        err.contains(&format!("the run dir {}", b.run_dir().display())),
        "{err}"
    );
    assert!(!err.contains("unable to link"), "{err}");
}

#[test]
fn halt_from_a_slow_cont_init_script() {
    let b = boot()
        .script("etc/cont-init.d/10-slow", "#!/bin/sh\nhalt\nsleep 30\n")
        .script("etc/cont-init.d/20-never", "#!/bin/sh\necho never\n");
    let r = b.run(&sh("echo cmd never"));
    assert_eq!(r.stdout(), "");
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    assert!(r.took < Duration::from_secs(5), "took {:?}", r.took);
}

#[test]
fn poweroff_and_reboot_codes() {
    for (cmd, code) in [("poweroff", 130), ("reboot", 129), ("halt", 0)] {
        let b = boot().script("etc/cont-finish.d/.keep", "");
        let r = b.run(&sh(&format!("{cmd}; sleep 30")));
        assert_eq!(r.code(), Some(code), "{cmd}: {}", r.stderr());
    }
}

#[test]
fn stage2_failure_policies() {
    // As s6-overlay: every cont-init.d script runs even after one failed,
    // and each failure is named with its code whatever the policy; under 2
    // the container stops with the first failure's code before the CMD.
    for (policy, stdout, code) in [("0", "cmd ran\n", 0), ("1", "cmd ran\n", 0), ("2", "", 5)] {
        let b = boot();
        let log = b.root.join("log").display().to_string();
        let b = b
            .env("S6_BEHAVIOUR_IF_STAGE2_FAILS", policy)
            .script("etc/cont-init.d/10-fails", "#!/bin/sh\nexit 5\n")
            .script("etc/cont-init.d/20-fails", "#!/bin/sh\nexit 6\n")
            .script(
                "etc/cont-init.d/30-runs",
                &format!("#!/bin/sh\necho 30 >> {log}\n"),
            );
        let r = b.run(&sh("echo cmd ran"));
        assert_eq!(r.stdout(), stdout, "policy {policy}: {}", r.stderr());
        assert_eq!(r.code(), Some(code), "policy {policy}");
        let err = r.stderr();
        assert!(err.contains("10-fails exited 5"), "{err}");
        assert!(err.contains("20-fails exited 6"), "{err}");
        let ran = std::fs::read_to_string(&log).unwrap_or_default();
        assert_eq!(ran, "30\n", "policy {policy}: {err}");
    }
}

#[test]
fn a_missing_or_non_executable_cont_init_script_is_named() {
    let b = boot()
        .env("S6_BEHAVIOUR_IF_STAGE2_FAILS", "2")
        .script("etc/cont-init.d/10-plain", "#!/bin/sh\necho hi\n");
    std::fs::set_permissions(
        b.root.join("etc/cont-init.d/10-plain"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let r = b.run(&sh("echo cmd ran"));
    assert!(
        r.stderr().contains("10-plain: it is not executable"),
        "{}",
        r.stderr()
    );
    assert_eq!(r.stdout(), "");
    assert_eq!(r.code(), Some(126));
}

#[test]
fn exitcode_file_override() {
    let b = boot().script(
        "etc/cont-finish.d/10-override",
        "#!/bin/sh\necho 42 > \"$CHAINIT_RUN_DIR/s6-linux-init-container-results/exitcode\"\n",
    );
    let r = b.run(&sh("exit 3"));
    assert_eq!(r.code(), Some(42), "{}", r.stderr());
}

#[test]
fn term_halts_an_s6_tree_and_receive_signals_diverts_it() {
    let b = boot().script("etc/cont-init.d/10-noop", "#!/bin/sh\n");
    let r = b.run(&sh("kill -TERM 1; sleep 30"));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    assert!(r.took < Duration::from_secs(5), "took {:?}", r.took);
    let r = b.env("S6_CMD_RECEIVE_SIGNALS", "1").run(&sh(
        "trap 'echo CMD got TERM; exit 9' TERM; kill -TERM 1; sleep 30 & wait",
    ));
    assert_eq!(r.stdout(), "CMD got TERM\n");
    assert_eq!(r.code(), Some(9));
}

#[test]
fn malformed_variable_is_named_and_ignored() {
    let b = boot()
        .env("S6_KILL_GRACETIME", "soon")
        .script("etc/cont-init.d/10-noop", "#!/bin/sh\n");
    let r = b.run(&sh("exit 2"));
    assert!(
        r.stderr().contains("S6_KILL_GRACETIME=soon"),
        "{}",
        r.stderr()
    );
    assert_eq!(r.code(), Some(2));
}

#[test]
fn remap_and_options() {
    let r = Command::new("unshare")
        .args(["--pid", "--fork", "--mount-proc"])
        .arg(env!("CARGO_BIN_EXE_chainit"))
        .args(["init", "-e", "143", "--run-dir"])
        .arg(boot().run_dir())
        .args(["--", "sh", "-c", "kill -TERM $$"])
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(0));
}

/// Not PID 1: the init makes itself a subreaper and still collects orphans.
#[test]
fn subreaper_without_a_namespace() {
    let b = boot();
    let out = Command::new(env!("CARGO_BIN_EXE_chainit"))
        .args(["init", "--run-dir"])
        .arg(b.run_dir())
        .args(["--", "sh", "-c", "sleep 100 & echo started; exit 0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "started\n");
}

/// Runs the shell command line `inner` with a terminal of its own
/// (`script`), under a hard deadline; what it wrote there.
fn on_a_terminal(inner: &str) -> String {
    let out = Command::new("timeout")
        .args(["-s", "KILL", "30", "script", "-qec", inner, "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// On a terminal the CMD keeps it and owns the foreground process group,
/// so ^C and job control reach it rather than the init.
#[test]
fn a_tty_passes_through_to_the_cmd() {
    let b = boot();
    let inner = format!(
        "unshare --pid --fork --mount-proc {} init --run-dir {} -- sh -c \
         'test -t 0 && test -t 1 && echo on-a-tty; \
          set -- $(ps -o pgid=,tpgid= -p $$); [ \"$1\" = \"$2\" ] && echo foreground'",
        env!("CARGO_BIN_EXE_chainit"),
        b.run_dir().display()
    );
    let text = on_a_terminal(&inner);
    assert!(text.contains("on-a-tty"), "{text}");
    assert!(text.contains("foreground"), "{text}");
}

/// `S6_LOGGING=2` logs the CMD's output too, unless `S6_CMD_USE_TERMINAL=1`
/// and the container has a terminal: then the CMD writes to it.
#[test]
fn cmd_use_terminal_keeps_the_cmd_on_the_tty() {
    for (use_terminal, on_tty) in [("0", false), ("1", true)] {
        let b = boot().script("etc/cont-init.d/10-noop", "#!/bin/sh\n");
        let inner = format!(
            "S6_LOGGING=2 S6_CMD_USE_TERMINAL={use_terminal} unshare --pid --fork --mount-proc {} init \
             --root {} --run-dir {} -- sh -c 'echo from the CMD'",
            env!("CARGO_BIN_EXE_chainit"),
            b.root.display(),
            b.run_dir().display()
        );
        let text = on_a_terminal(&inner);
        let log =
            std::fs::read_to_string(b.run_dir().join("uncaught-logs/current")).unwrap_or_default();
        assert_eq!(text.contains("from the CMD"), on_tty, "{text}");
        assert_eq!(log.contains("from the CMD"), !on_tty, "{log}");
    }
}

/// `S6_WAIT_FOR_CLOSING_FD`: nothing starts before the fd's writer closes
/// it, and the CMD does not inherit it.
#[test]
fn wait_for_closing_fd_holds_the_boot() {
    let b = boot().script("etc/cont-init.d/10-noop", "#!/bin/sh\n");
    let inner = format!(
        "exec 3< <(sleep 0.4; echo go); start=$(date +%s%N); \
         S6_WAIT_FOR_CLOSING_FD=3 {} init --root {} --run-dir {} -- \
         sh -c 'echo \"waited_ms=$(( ($(date +%s%N) - '$start') / 1000000 ))\"; \
                [ -e /proc/self/fd/3 ] && echo fd3-open || echo fd3-closed'",
        env!("CARGO_BIN_EXE_chainit"),
        b.root.display(),
        b.run_dir().display()
    );
    let out = Command::new("timeout")
        .args(["-s", "KILL", "30", "bash", "-c", &inner])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let waited: u64 = text
        .split("waited_ms=")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("{text}{}", String::from_utf8_lossy(&out.stderr)));
    assert!(waited >= 350, "the CMD started after {waited} ms");
    assert!(text.contains("fd3-closed"), "{text}");
}

/// `S6_LOGGING`: 1 sends everything but the CMD to the catch-all logger
/// in RUN/uncaught-logs, 2 the CMD too; the logger drains and the init
/// stops without a grace time.
#[test]
fn s6_logging_catch_all() {
    for (level, cmd_logged) in [("1", false), ("2", true)] {
        let b = boot()
            .env("S6_LOGGING", level)
            .env("S6_LOGGING_SCRIPT", "n3 s5000 T")
            .script(
                "etc/cont-init.d/10-hello",
                "#!/bin/sh\necho from cont-init\n",
            )
            .script(
                "etc/services.d/s/run",
                "#!/bin/sh\necho from the service\nexec sleep 100\n",
            );
        let r = b.run(&sh("sleep 0.2; echo from the CMD"));
        let log =
            std::fs::read_to_string(b.run_dir().join("uncaught-logs/current")).unwrap_or_default();
        assert!(log.contains("  from cont-init\n"), "{log}");
        assert!(log.contains("  from the service\n"), "{log}");
        assert_eq!(log.contains("from the CMD"), cmd_logged, "{log}");
        assert_eq!(
            r.stdout().contains("from the CMD"),
            !cmd_logged,
            "{}",
            r.stdout()
        );
        assert_eq!(r.code(), Some(0));
        assert!(r.took < Duration::from_secs(2), "took {:?}", r.took);
        assert!(!r.stderr().contains("sending KILL"), "{}", r.stderr());
    }
}

/// `chainit init` takes options before the CMD only: an unknown one is a
/// usage error, not a CMD named `--bogus`; a missing `--root` is refused,
/// and so is `chainit check` on one.
#[test]
fn init_and_check_refuse_bad_arguments() {
    let c = env!("CARGO_BIN_EXE_chainit");
    for args in [
        &["init", "--bogus"][..],
        &["init", "--root", "/nonexistent/root", "true"],
        &["check", "--root", "/nonexistent/root"],
    ] {
        let out = Command::new(c).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(100), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
    // After the CMD's first word, everything is the CMD's.
    let out = Command::new(c)
        .args(["init", "sh", "-c", "echo $0 -x", "name"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "name -x\n");
}

/// s6-overlay's `/init` takes no options, under its own name and renamed
/// (`mv /init /s6-init`, as images do to wrap it): every argument is the CMD.
#[test]
fn init_by_another_name_takes_everything_as_the_cmd() {
    // The image root is `/` here (no service tree: tini mode); what is
    // checked is how the arguments are taken.
    let b = boot();
    for name in ["init", "s6-init"] {
        let link = b.root.join(name);
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_chainit"), &link).unwrap();
        let out = Command::new("timeout")
            .args([
                "-s",
                "KILL",
                "30",
                "unshare",
                "--pid",
                "--fork",
                "--mount-proc",
            ])
            .arg(&link)
            .args(["sh", "-c", "echo cmd $1; exit 4", "sh", "--root"])
            .env("CHAINIT_RUN_DIR", b.run_dir())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            stdout,
            "cmd --root\n",
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(4), "{name}");
    }
}

/// tini mode hands the CMD exactly the environment the init was given,
/// whatever the run dir (nothing of chainit's is added).
#[test]
fn tini_mode_adds_nothing_to_the_environment() {
    let b = boot().env("ONLY", "this");
    let r = b.run(&["env"]);
    let out = r.stdout();
    let mut vars: Vec<&str> = out
        .lines()
        .map(|l| l.split('=').next().unwrap_or_default())
        .collect();
    vars.sort_unstable();
    assert_eq!(
        vars,
        ["ONLY", "PATH", "S6_KILL_GRACETIME"],
        "{}",
        r.stdout()
    );
}

/// Tini mode with a grace (`--grace`, or an explicit S6_KILL_GRACETIME): a
/// CMD that ignores the forwarded TERM is killed once the grace is over,
/// and the init exits 128+9; without one, the init waits for it as tini.
#[test]
fn a_grace_kills_a_cmd_that_ignores_term() {
    let ignoring = "trap '' TERM; sleep 0.2; kill -TERM 1; sleep 2; exit 5";
    let r = boot().env("S6_KILL_GRACETIME", "300").run(&sh(ignoring));
    assert_eq!(r.code(), Some(137), "{}", r.stderr());
    assert!(r.took < Duration::from_millis(1500), "{:?}", r.took);
    assert!(
        r.stderr().contains("outlived its grace time"),
        "{}",
        r.stderr()
    );
    let r = boot().env("S6_KILL_GRACETIME", "").run(&sh(ignoring));
    assert_eq!(r.code(), Some(5), "{}", r.stderr());
    assert!(r.took >= Duration::from_secs(2), "{:?}", r.took);
    // --grace does the same without the variable.
    let b = boot();
    let mut c = Command::new("unshare");
    c.args(["--pid", "--fork", "--mount-proc"])
        .arg(env!("CARGO_BIN_EXE_chainit"))
        .args(["init", "--grace", "300", "--run-dir"])
        .arg(b.run_dir())
        .args(["--", "sh", "-c", ignoring])
        .env_remove("S6_KILL_GRACETIME");
    let start = Instant::now();
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(137));
    assert!(start.elapsed() < Duration::from_millis(1500));
}
