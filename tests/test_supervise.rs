//! Supervision of `etc/services.d` by `chainit init`, driven by Debian's
//! s6 2.11 tools (s6-svc, s6-svstat, s6-svwait, s6-svok) and compared with
//! the same service directory under the real s6-supervise.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A service directory to build: file name → (contents, executable).
struct Svc(Vec<(&'static str, String, bool)>);

fn svc() -> Svc {
    Svc(Vec::new())
}

impl Svc {
    fn exe(mut self, name: &'static str, text: &str) -> Self {
        self.0.push((name, text.to_owned(), true));
        self
    }
    fn file(mut self, name: &'static str, text: &str) -> Self {
        self.0.push((name, text.to_owned(), false));
        self
    }
    /// Writes the files, with `$T` spelled out: services start with
    /// s6-overlay's reset environment, not the test's.
    fn write(&self, dir: &Path, t: &Path) {
        for (name, text, exe) in &self.0 {
            let at = dir.join(name);
            std::fs::create_dir_all(at.parent().unwrap()).unwrap();
            std::fs::write(&at, text.replace("$T", &t.display().to_string())).unwrap();
            let mode = if *exe { 0o755 } else { 0o644 };
            std::fs::set_permissions(&at, std::fs::Permissions::from_mode(mode)).unwrap();
        }
    }
}

fn scratch(tag: &str) -> PathBuf {
    crate::support::scratch_dir(&format!("sup-{tag}"))
}

struct Ran {
    stdout: String,
    stderr: String,
    code: Option<i32>,
    took: Duration,
}

fn path_env() -> String {
    format!("{}:/usr/bin:/bin", crate::support::chainit_bin().display())
}

/// Boots `chainit init` in a PID namespace with `services` under
/// etc/services.d; the CMD is `driver` run by sh with `$S` = the scan dir
/// (`$S/NAME` is each live service) and `$T` = a scratch dir.
fn chainit(services: &[(&str, &Svc)], driver: &str, env: &[(&str, &str)]) -> Ran {
    let root = scratch("root");
    let run = root.join("run");
    let t = root.join("t");
    std::fs::create_dir_all(&t).unwrap();
    for (name, s) in services {
        s.write(&root.join("etc/services.d").join(name), &t);
    }
    // The CMD, too, starts with the reset environment.
    let driver = format!(
        "S={}; T={}; {driver}",
        run.join("service").display(),
        t.display()
    );
    let mut c = crate::support::pid1_init(&root, &run);
    c.args(["--", "sh", "-c", &driver])
        .env_clear()
        .env("PATH", path_env())
        .env("S6_KILL_GRACETIME", "3000");
    for (k, v) in env {
        c.env(k, v);
    }
    let ran = output(c);
    let _ = std::fs::remove_dir_all(&root);
    ran
}

/// The same services under skarnet's s6-supervise, one per service dir of
/// a scratch scan dir; `driver` runs with the same `$S` and `$T`.
fn reference(services: &[(&str, &Svc)], driver: &str) -> Ran {
    let scan = scratch("ref");
    let t = scan.join(".t");
    std::fs::create_dir_all(&t).unwrap();
    let mut names = Vec::new();
    for (name, s) in services {
        s.write(&scan.join(name), &t);
        names.push(*name);
    }
    // Started from the scan dir, as s6-svscan does (the name is relative),
    // and from here rather than from a shell's background job, which would
    // hand the services SIGINT and SIGQUIT ignored.
    let supervisors: Vec<std::process::Child> = names
        .iter()
        .map(|d| {
            let mut c = Command::new("s6-supervise");
            // Default dispositions, whatever this test was started with
            // (under nohup, SIGHUP is ignored, and an ignored signal stays
            // ignored through s6-supervise into the service: its shell could
            // not trap it). chainit's supervisor resets them itself.
            // SAFETY: the closure only calls signal(), async-signal-safe.
            unsafe {
                std::os::unix::process::CommandExt::pre_exec(&mut c, || {
                    for sig in [libc::SIGHUP, libc::SIGINT, libc::SIGQUIT, libc::SIGPIPE] {
                        libc::signal(sig, libc::SIG_DFL);
                    }
                    Ok(())
                });
            }
            c.arg(d)
                .current_dir(&scan)
                .env_clear()
                .env("PATH", "/usr/bin:/bin")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn s6-supervise")
        })
        .collect();
    let script = format!(
        "for d in {dirs}; do until s6-svok $S/$d; do sleep 0.01; done; done
         ( {driver} ); rc=$?
         for d in {dirs}; do s6-svc -xd $S/$d; done; exit $rc",
        dirs = names.join(" ")
    );
    let mut c = Command::new("timeout");
    c.args(["-s", "KILL", "60", "sh", "-c", &script])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("S", &scan)
        .env("T", &t);
    let ran = output(c);
    for mut s in supervisors {
        let deadline = Instant::now() + Duration::from_secs(10);
        while s.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = s.kill();
        let _ = s.wait();
    }
    let _ = std::fs::remove_dir_all(&scan);
    ran
}

fn output(mut c: Command) -> Ran {
    let start = Instant::now();
    let out = c.stdin(Stdio::null()).output().expect("spawn");
    Ran {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code(),
        took: start.elapsed(),
    }
}

/// Runs `driver` against both supervisors; their stdout must agree.
fn same(services: &[(&str, &Svc)], driver: &str) -> String {
    let ours = chainit(services, driver, &[]);
    if crate::support::reference_available() {
        let theirs = reference(services, driver);
        assert_eq!(
            ours.stdout, theirs.stdout,
            "\nchainit stderr: {}\ns6 stderr: {}",
            ours.stderr, theirs.stderr
        );
    }
    ours.stdout
}

const FIELDS: &str = "s6-svstat -o up,wantedup,normallyup,ready,paused,exitcode,signal";

fn sleeper() -> Svc {
    svc().exe("run", "#!/bin/sh\nexec sleep 1000\n")
}

#[test]
fn control_bytes_and_status_agree_with_s6() {
    let driver = format!(
        "st() {{ {FIELDS} $S/a; }}
         s6-svwait -u $S/a; st
         s6-svc -d $S/a; s6-svwait -D $S/a; st
         s6-svc -u $S/a; s6-svwait -u $S/a; st
         # A command without a wait is taken asynchronously: wait for its effect.
         until_is() {{ until [ \"$(s6-svstat -o $1 $S/a)\" = $2 ]; do sleep 0.01; done; }}
         s6-svc -p $S/a; until_is paused true; st; s6-svc -c $S/a; until_is paused false; st
         s6-svc -O $S/a; until_is wantedup false; st
         s6-svc -k $S/a; s6-svwait -D $S/a; st
         s6-svc -o $S/a; s6-svwait -u $S/a; st
         s6-svc -d $S/a; s6-svwait -D $S/a; st"
    );
    let out = same(&[("a", &sleeper())], &driver);
    assert_eq!(out.lines().count(), 9, "{out}");
}

#[test]
fn finish_gets_code_signal_and_name() {
    let s = svc()
        .exe(
            "run",
            "#!/bin/sh\n[ -e $T/ran ] && exec sleep 1000; touch $T/ran; exit 3\n",
        )
        .exe("finish", "#!/bin/sh\necho \"finish $*\" >> $T/log\n");
    let driver = "s6-svwait -u $S/f; sleep 1.3; s6-svc -k $S/f; s6-svwait -D $S/f; cat $T/log";
    // $T differs between the two runs, so the scripts read it from the environment.
    let out = same(&[("f", &s)], driver);
    assert_eq!(out, "finish 3 0 f\nfinish 256 9 f\n");
}

#[test]
fn finish_125_stops_restarts() {
    let s = svc()
        .exe("run", "#!/bin/sh\necho x >> $T/runs; exit 1\n")
        .exe("finish", "#!/bin/sh\nexit 125\n");
    let driver = format!("s6-svwait -D $S/p; sleep 1.5; wc -l < $T/runs; {FIELDS} $S/p");
    let out = same(&[("p", &s)], &driver);
    assert_eq!(out, "1\nfalse false true false false 1 NA\n");
}

#[test]
fn down_file_keeps_it_down_until_u() {
    let s = sleeper().file("down", "");
    let driver =
        format!("sleep 0.3; {FIELDS} $S/d; s6-svc -u $S/d; s6-svwait -u $S/d; {FIELDS} $S/d");
    let out = same(&[("d", &s)], &driver);
    assert!(out.starts_with("false false false"), "{out}");
}

#[test]
fn a_crashing_service_restarts_once_a_second() {
    let s = svc().exe("run", "#!/bin/sh\necho x >> $T/runs; exit 1\n");
    let r = chainit(&[("c", &s)], "sleep 2.5; wc -l < $T/runs", &[]);
    let n: u32 = r.stdout.trim().parse().unwrap_or(0);
    assert!((3..=4).contains(&n), "{} starts in 2.5 s: {}", n, r.stderr);
}

#[test]
fn readiness_through_notification_fd() {
    let s = svc()
        .exe("run", "#!/bin/sh\nsleep 0.3\necho >&3\nexec sleep 1000\n")
        .file("notification-fd", "3\n");
    let driver = format!("s6-svwait -u $S/r; {FIELDS} $S/r; s6-svwait -U $S/r; {FIELDS} $S/r");
    let out = same(&[("r", &s)], &driver);
    assert_eq!(
        out,
        "true true true false false -1 NA\ntrue true true true false -1 NA\n"
    );
}

#[test]
fn cmd_waits_for_ready_services() {
    let s = svc()
        .exe(
            "run",
            "#!/bin/sh\nsleep 0.4\ntouch $T/ready\necho >&3\nexec sleep 1000\n",
        )
        .file("notification-fd", "3");
    let r = chainit(
        &[("w", &s)],
        "[ -e $T/ready ] && echo after || echo before",
        &[("S6_CMD_WAIT_FOR_SERVICES", "1")],
    );
    assert_eq!(r.stdout, "after\n", "{}", r.stderr);
}

#[test]
fn wait_maxtime_applies_the_stage2_policy() {
    let s = svc()
        .exe("run", "#!/bin/sh\nexec sleep 1000\n")
        .file("notification-fd", "3");
    let r = chainit(
        &[("never", &s)],
        "echo cmd ran",
        &[
            ("S6_CMD_WAIT_FOR_SERVICES", "1"),
            ("S6_CMD_WAIT_FOR_SERVICES_MAXTIME", "300"),
            ("S6_BEHAVIOUR_IF_STAGE2_FAILS", "2"),
        ],
    );
    assert_eq!(r.stdout, "", "{}", r.stderr);
    assert!(r.stderr.contains("never"), "{}", r.stderr);
    assert_eq!(r.code, Some(1));
}

/// 100,000 numbered lines through s6-log into a rotating logdir while the
/// logger is restarted twice mid-stream: every line arrives exactly once.
#[test]
fn log_pipe_survives_logger_restarts_without_losing_lines() {
    let producer = svc()
        .exe(
            "run",
            "#!/bin/sh\n[ -e $T/produced ] && exec sleep 1000\n\
             seq 1 100000; touch $T/produced; exec sleep 1000\n",
        )
        .exe(
            "log/run",
            "#!/bin/sh\nexec s6-log n1000 s100000 $T/logdir\n",
        );
    let driver = "count() { cat $T/logdir/@* $T/logdir/current 2>/dev/null | wc -l; }
                  until [ \"$(count)\" -ge 1 ]; do sleep 0.01; done
                  s6-svc -t $S/p/log; sleep 0.05; s6-svc -t $S/p/log
                  until [ -e $T/produced ]; do sleep 0.05; done
                  until [ \"$(count)\" -ge 100000 ]; do sleep 0.05; done
                  count; cat $T/logdir/@* $T/logdir/current | sort -n | uniq | wc -l
                  ls $T/logdir | grep -c '^@'";
    let r = chainit(&[("p", &producer)], driver, &[]);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        &lines[..2],
        &["100000", "100000"],
        "{}{}",
        r.stdout,
        r.stderr
    );
    let archives: u32 = lines[2].parse().unwrap_or(0);
    assert!(archives >= 5, "only {archives} rotations");
}

#[test]
fn loggers_drain_after_their_producer_stops() {
    let producer = svc()
        .exe("run", "#!/bin/sh\ntrap 'echo last words; exit 0' TERM\necho hello\nwhile :; do sleep 0.05; done\n")
        .exe("log/run", "#!/bin/sh\nwhile read -r l; do echo \"log: $l\"; done\necho \"log: eof\"\n");
    let r = chainit(&[("p", &producer)], "sleep 0.3", &[]);
    assert!(
        r.stdout.contains("log: hello\nlog: last words\nlog: eof\n"),
        "{}{}",
        r.stdout,
        r.stderr
    );
    assert!(r.took < Duration::from_secs(3), "took {:?}", r.took);
}

#[test]
fn shutdown_is_prompt_and_finish_runs() {
    let s = svc()
        .exe("run", "#!/bin/sh\nexec sleep 1000\n")
        .exe("finish", "#!/bin/sh\necho finished $1 $2\n");
    let r = chainit(&[("s", &s)], "s6-svwait -u $S/s", &[]);
    assert_eq!(r.stdout, "finished 256 15\n", "{}", r.stderr);
    assert!(r.took < Duration::from_secs(2), "took {:?}", r.took);
}

#[test]
fn a_service_ignoring_term_is_killed_after_timeout_kill() {
    let s = svc()
        .exe(
            "run",
            "#!/bin/sh\ntrap '' TERM\necho >&3\nwhile :; do sleep 0.05; done\n",
        )
        .file("notification-fd", "3")
        .file("timeout-kill", "400");
    // Ready only once TERM is ignored: a down before the trap would not test it.
    let driver = format!("s6-svwait -U $S/i; s6-svc -d $S/i; s6-svwait -D $S/i; {FIELDS} $S/i");
    let r = chainit(&[("i", &s)], &driver, &[]);
    assert_eq!(
        r.stdout, "false false true false false -1 SIGKILL\n",
        "{}",
        r.stderr
    );
}

#[test]
fn halt_from_a_finish_script_while_another_waits_for_readiness() {
    let quitter = svc()
        .exe("run", "#!/bin/sh\nexit 0\n")
        .exe("finish", "#!/bin/sh\nhalt\n");
    let slow = svc()
        .exe("run", "#!/bin/sh\nexec sleep 1000\n")
        .file("notification-fd", "3");
    let r = chainit(
        &[("quitter", &quitter), ("slow", &slow)],
        "echo cmd ran",
        &[("S6_CMD_WAIT_FOR_SERVICES", "1")],
    );
    assert_eq!(r.stdout, "", "{}", r.stderr);
    assert_eq!(r.code, Some(0));
    assert!(r.took < Duration::from_secs(3), "took {:?}", r.took);
}

#[test]
fn a_broken_service_is_named_and_the_others_run() {
    let broken = svc()
        .file("run", "#!/bin/sh\n")
        .file("notification-fd", "three");
    let r = chainit(
        &[("broken", &broken), ("fine", &sleeper())],
        &format!("s6-svwait -u $S/fine && {FIELDS} $S/fine"),
        &[],
    );
    assert!(r.stdout.starts_with("true true"), "{}", r.stderr);
    assert!(r.stderr.contains("service broken"), "{}", r.stderr);
    assert!(r.stderr.contains("run is not executable"), "{}", r.stderr);
    assert!(r.stderr.contains("notification-fd"), "{}", r.stderr);
}

#[test]
fn supervise_files_have_s6_permissions() {
    let driver = "s6-svwait -u $S/a; cd $S/a; stat -c '%a %n' supervise supervise/control supervise/lock supervise/status event";
    let out = same(&[("a", &sleeper())], driver);
    assert_eq!(
        out,
        "700 supervise\n600 supervise/control\n644 supervise/lock\n644 supervise/status\n3730 event\n"
    );
}

/// Debian's clients and chainit's against one chainit tree: the same
/// words and fields at every step (chainit's come first in PATH above).
#[test]
fn skarnet_and_chainit_clients_agree_on_a_chainit_tree() {
    let s = svc()
        .exe("run", "#!/bin/sh\nsleep 0.2\necho >&3\nexec sleep 1000\n")
        .file("notification-fd", "3");
    let both = "both() { a=$(\"$@\" 2>&1; echo \"rc=$?\"); b=$(PATH=/usr/bin:/bin \"$@\" 2>&1; echo \"rc=$?\")
                  [ \"$a\" = \"$b\" ] && echo \"same: $a\" || echo \"DIFFER: $a / $b\"; }";
    let driver = format!(
        "{both}
         both s6-svwait -U $S/x
         both s6-svstat $S/x; both s6-svstat -n -o up,wantedup,normallyup,ready,paused,exitcode,signal,signum $S/x
         both s6-svok $S/x; both s6-svok $S/nothing
         both s6-svc -d $S/x; both s6-svwait -D $S/x; both s6-svstat $S/x; both s6-svstat -n $S/x
         both s6-svc -wu -u $S/x; both s6-svstat -uwNrpes $S/x
         both s6-svc -D $S/x; both s6-svwait -D $S/x; both s6-svstat $S/x
         both s6-svc -U $S/x; both s6-svwait -u $S/x; both s6-svstat -uN $S/x
         both s6-svwait -t 100 -d $S/x
         both s6-svlisten1 -D $S/x s6-svc -d $S/x; both s6-svdt -s $S/x; both s6-svdt -n 1 $S/x
         both s6-svlisten1 -u -t 3000 $S/x s6-svc -u $S/x
         both s6-svlisten -d -t 3000 $S/x \"\" s6-svc -d $S/x; both s6-svlisten -u $S/x \"\" s6-svc -u $S/x
         both s6-svlisten -t 100 -d $S/x \"\" true; both s6-svlisten1 -t 100 -d $S/x true
         both s6-svlisten -o -r -t 200 $S/x \"\" true;
         both s6-svlisten $S/x true; both s6-svlisten $S/x \"\"
         both s6-svstat -o bogus $S/x; both s6-svc -u $S/nothing; both s6-svc -Z $S/x"
    );
    let r = chainit(&[("x", &s)], &driver, &[]);
    assert!(!r.stdout.contains("DIFFER"), "{}", r.stdout);
    assert_eq!(
        r.stdout.matches("same:").count(),
        32,
        "{}{}",
        r.stdout,
        r.stderr
    );
}

/// Runs the sh `script` with `$SCAN` set to `scan` (then removed) and only
/// `path` on PATH, under a 30-second deadline; its stdout and stderr.
fn scan_driver(scan: &Path, script: &str, path: String) -> (String, String) {
    let out = Command::new("timeout")
        .args(["-s", "KILL", "30", "sh", "-c", script])
        .env_clear()
        .env("PATH", path)
        .env("SCAN", scan)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(scan);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `s6-svscan SCANDIR` in one process, against skarnet's on the same tree:
/// new dirs on `s6-svscanctl -a`, one scanner per dir (100), a signal hook,
/// and TERM ending in `.s6-svscan/finish`.
#[test]
fn svscan_behaves_like_s6_svscan() {
    let tree = |scan: &Path| {
        let t = scan.join(".t");
        std::fs::create_dir_all(&t).unwrap();
        sleeper().write(&scan.join("a"), &t);
        svc()
            .exe("run", "#!/bin/sh\necho from b\nexec sleep 1000\n")
            .exe("log/run", "#!/bin/sh\nexec cat > $T/b-log\n")
            .write(&scan.join("b"), &t);
        svc()
            .exe(
                ".s6-svscan/finish",
                "#!/bin/sh\necho finish ran >> $T/events\n",
            )
            .exe(
                ".s6-svscan/SIGUSR1",
                "#!/bin/sh\necho usr1 hook >> $T/events\n",
            )
            .write(scan, &t);
    };
    let driver = |scanner: &str| {
        format!(
            "cd $SCAN; {scanner} $SCAN & pid=$!
             for d in a b b/log; do until s6-svok $d; do sleep 0.01; done; done
             s6-svwait -u -t 5000 a b/log; echo a and b/log up $?
             {scanner} $SCAN; echo second scanner exited $?
             mkdir c; printf '#!/bin/sh\\nexec sleep 1000\\n' > c/run; chmod +x c/run
             s6-svscanctl -a $SCAN; until s6-svok c; do sleep 0.01; done
             s6-svwait -u -t 5000 c; echo c up $?
             kill -USR1 $pid; until [ -s .t/events ]; do sleep 0.01; done
             kill -TERM $pid; wait $pid; echo scanner exited $?
             cat .t/events .t/b-log"
        )
    };
    let run = |path: String, scanner: &str| {
        let scan = scratch("scan");
        tree(&scan);
        scan_driver(&scan, &driver(scanner), path)
    };
    let (ours, err) = run(path_env(), "s6-svscan");
    assert_eq!(
        ours,
        "a and b/log up 0\nsecond scanner exited 100\nc up 0\nscanner exited 0\nusr1 hook\nfinish ran\nfrom b\n",
        "{err}"
    );
    if crate::support::reference_available() {
        let (theirs, err) = run("/usr/bin:/bin".to_owned(), "s6-svscan");
        assert_eq!(ours, theirs, "{err}");
    }
}

/// A `run` whose interpreter is missing cannot be exec'd: reported, kept
/// down and retried later (as s6-supervise does), the others unharmed.
#[test]
fn a_run_that_cannot_exec_is_a_spawn_failure() {
    let bad = svc().exe("run", "#!/nonexistent/interpreter\n");
    let driver = format!("s6-svwait -u $S/fine; sleep 0.2; {FIELDS} $S/bad; {FIELDS} $S/fine");
    let r = chainit(&[("bad", &bad), ("fine", &sleeper())], &driver, &[]);
    assert_eq!(
        r.stdout, "false true true false false 0 NA\ntrue true true false false -1 NA\n",
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("service bad: unable to spawn ./run: No such file or directory; trying again in 10 seconds"),
        "{}",
        r.stderr
    );
}

/// s6-notifyoncheck: readiness from a polled check command.
#[test]
fn notifyoncheck_polls_until_ready() {
    let s = svc()
        .exe(
            "run",
            "#!/bin/sh\nexec s6-notifyoncheck -w 50 -n 0 -c \"test -e $T/flag\" sleep 1000\n",
        )
        .file("notification-fd", "3");
    let driver = format!(
        "s6-svwait -u $S/n; sleep 0.3; {FIELDS} $S/n; touch $T/flag; s6-svwait -U $S/n; {FIELDS} $S/n"
    );
    let out = same(&[("n", &s)], &driver);
    assert_eq!(
        out,
        "true true true false false -1 NA\ntrue true true true false -1 NA\n"
    );
}

/// s6-permafailon in finish: the second death with code 1 within 10 s
/// stops the restarts.
#[test]
fn permafailon_stops_a_crash_loop() {
    let s = svc()
        .exe("run", "#!/bin/sh\necho x >> $T/runs; exit 1\n")
        .exe(
            "finish",
            "#!/bin/sh\nexec s6-permafailon 10 2 1,SIGSEGV true\n",
        );
    let driver = format!("sleep 2.5; wc -l < $T/runs; {FIELDS} $S/p");
    let out = same(&[("p", &s)], &driver);
    assert_eq!(out, "2\nfalse false true false false 1 NA\n");
}

/// `chainit status` as a readiness probe, `chainit svc` and `chainit wait`
/// with names looked up in the scan directory.
#[test]
fn chainit_status_svc_and_wait() {
    let s = svc()
        .exe("run", "#!/bin/sh\nsleep 0.3\necho >&3\nexec sleep 1000\n")
        .file("notification-fd", "3");
    let c = env!("CARGO_BIN_EXE_chainit");
    let driver = format!(
        "{c} status $S >/dev/null; echo starting=$?
         {c} wait --scandir $S --for ready -t 5000 web; echo waited=$?
         {c} status $S > $T/table; echo ready=$?; sed 's/  */ /g' $T/table | grep -E '^(SERVICE|web) '
         {c} status --json $S | sed 's/\"pid\":[0-9]*/\"pid\":N/'
         {c} svc --scandir $S --down --wait finished web; echo stopped=$?
         {c} status $S >/dev/null; echo down=$?
         {c} svc --scandir $S --up --wait ready --timeout 3000 web; echo back=$?
         {c} wait --scandir $S --for down -t 100 web; echo timeout=$?"
    );
    let r = chainit(&[("web", &s)], &driver, &[]);
    let out: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(out[0], "starting=1", "{}{}", r.stdout, r.stderr);
    assert_eq!(out[1], "waited=0");
    assert_eq!(out[2], "ready=0");
    assert_eq!(
        out[3],
        "SERVICE STATE PID SECONDS READY HEALTH DEATHS EXIT WHY"
    );
    assert!(
        out[4].starts_with("web up ") && out[4].ends_with(" yes none 0 - "),
        "{}",
        out[4]
    );
    assert!(
        out[5].starts_with("{\"healthy\":true,\"services\":[{\"name\":\"web\",\"kind\":\"longrun\",\"state\":\"up\",\"pid\":N,\"seconds\":0,\"ready\":true,\"wanted_up\":true,\"deaths\":0,\"exit\":null,\"why\":\"\",\"health\":\"none\",\"health_exit\":null,\"health_output\":null,\"restarts\":null,\"next_start_ms\":null,\"gave_up\":null,\"essential\":false,\"notify_status\":null}"),
        "{}",
        out[5]
    );
    assert_eq!(&out[6..], &["stopped=0", "down=0", "back=0", "timeout=99"]);
}

/// lock-fd: a new instance waits while a process of the previous one still
/// holds the lock (here a background child the run script left behind).
#[test]
fn lock_fd_keeps_two_instances_apart() {
    let s = svc()
        .exe(
            "run",
            "#!/bin/sh\ndate +%s%N >> $T/starts\n[ -e $T/second ] && exec sleep 1000\ntouch $T/second\n( exec sleep 2 ) &\nexit 0\n",
        )
        .file("lock-fd", "5");
    let driver = "until [ \"$(wc -l < $T/starts)\" -ge 2 ]; do sleep 0.05; done
                  set -- $(cat $T/starts); echo gap_ms=$(( ($2 - $1) / 1000000 ))";
    let r = chainit(&[("l", &s)], driver, &[]);
    let gap: u64 = r
        .stdout
        .trim()
        .trim_start_matches("gap_ms=")
        .parse()
        .unwrap_or(0);
    assert!(
        gap >= 1900,
        "second instance started after {gap} ms: {}{}",
        r.stdout,
        r.stderr
    );
    assert!(r.stderr.contains("still holds its lock"), "{}", r.stderr);
}

/// Bad input at runtime: a garbage control byte is logged and ignored; a
/// service whose directory disappears is reported and retried, and the
/// others keep running.
#[test]
fn garbage_bytes_and_vanished_dirs_are_survived() {
    let crasher = svc().exe("run", "#!/bin/sh\nsleep 0.2\nexit 1\n");
    let driver = format!(
        "s6-svwait -u $S/a $S/gone
         printf 'Z\\001' > $S/a/supervise/control; sleep 0.1; {FIELDS} $S/a
         rm -f $S/gone/run; sleep 1.5; {FIELDS} $S/a"
    );
    let r = chainit(&[("a", &sleeper()), ("gone", &crasher)], &driver, &[]);
    assert_eq!(
        r.stdout, "true true true false false -1 NA\ntrue true true false false -1 NA\n",
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("service a: ignoring 2 unknown control bytes (the first 0x5a)"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("service gone: unable to spawn ./run: run is missing"),
        "{}",
        r.stderr
    );
}

/// Every signal byte of s6-svc reaches the service as the same signal as
/// under s6-supervise (the run script records what it gets).
#[test]
fn every_signal_byte_is_delivered_as_s6_does() {
    let s = svc().exe(
        "run",
        "#!/bin/bash\nfor s in ALRM ABRT QUIT HUP INT USR1 USR2 WINCH; do trap \"echo $s >> $T/got\" $s; done\n\
         trap 'echo TERM >> $T/got; exit 0' TERM\ntouch $T/ready\nwhile :; do sleep 0.02; done\n",
    );
    // Each signal is sent once the one before it is recorded (up to 2 s):
    // on a loaded machine a fixed pause let the reference's bash miss one.
    let driver = "until [ -e $T/ready ]; do sleep 0.01; done
                  for p in a:ALRM b:ABRT q:QUIT h:HUP i:INT 1:USR1 2:USR2 y:WINCH; do
                    s6-svc -${p%%:*} $S/sig; k=0
                    until grep -qx ${p#*:} $T/got 2>/dev/null || [ $k -ge 100 ]; do sleep 0.02; k=$((k+1)); done
                  done
                  s6-svc -O $S/sig; s6-svc -t $S/sig; s6-svwait -D $S/sig; cat $T/got";
    let out = same(&[("sig", &s)], driver);
    assert_eq!(out, "ALRM\nABRT\nQUIT\nHUP\nINT\nUSR1\nUSR2\nWINCH\nTERM\n");
}

/// At shutdown a service that ignores its down-signal holds the stop for
/// S6_SERVICES_GRACETIME only, then the rest of stage 3 runs and the
/// TERM/KILL sweep ends it.
#[test]
fn a_service_ignoring_term_at_shutdown_is_bounded_by_the_grace_times() {
    let stubborn = svc().exe(
        "run",
        "#!/bin/sh\ntrap '' TERM\nwhile :; do sleep 0.05; done\n",
    );
    let r = chainit(
        &[("stubborn", &stubborn)],
        "s6-svwait -u $S/stubborn",
        &[
            ("S6_SERVICES_GRACETIME", "400"),
            ("S6_KILL_GRACETIME", "400"),
        ],
    );
    assert_eq!(r.code, Some(0));
    assert!(
        r.stderr
            .contains("services still up after S6_SERVICES_GRACETIME: stubborn"),
        "{}",
        r.stderr
    );
    assert!(r.took >= Duration::from_millis(800), "took {:?}", r.took);
    assert!(r.took < Duration::from_secs(3), "took {:?}", r.took);
}

/// `-t rescan` picks up a new service dir without `s6-svscanctl -a`, and
/// `-c max` supervises no more than max dirs; the same under skarnet's.
#[test]
fn svscan_rescan_and_max_options() {
    let run = |path: String| {
        let scan = scratch("opts");
        let t = scan.join(".t");
        std::fs::create_dir_all(&t).unwrap();
        for d in ["a", "b", "c"] {
            sleeper().write(&scan.join(d), &t);
        }
        let script = "cd $SCAN
             s6-svscan -c 2 -t 100 $SCAN 2>/dev/null & pid=$!
             n=0; for i in $(seq 300); do n=0; for d in a b c; do s6-svok $d && n=$((n+1)); done; [ $n = 2 ] && break; sleep 0.01; done
             sleep 0.3; n=0; for d in a b c; do s6-svok $d && n=$((n+1)); done; echo $n of 3 supervised
             kill -TERM $pid; wait $pid
             rm -rf a/supervise b/supervise c/supervise
             s6-svscan -t 100 $SCAN & pid=$!
             until s6-svok a; do sleep 0.01; done
             mkdir d; printf '#!/bin/sh\\nexec sleep 1000\\n' > d/run; chmod +x d/run
             for i in $(seq 300); do s6-svok d && break; sleep 0.01; done
             s6-svok d && echo rescan found d
             kill -TERM $pid; wait $pid; echo exited $?";
        scan_driver(&scan, script, path)
    };
    let (ours, err) = run(path_env());
    assert_eq!(
        ours, "2 of 3 supervised\nrescan found d\nexited 0\n",
        "{err}"
    );
    if crate::support::reference_available() {
        let (theirs, err) = run("/usr/bin:/bin".to_owned());
        assert_eq!(ours, theirs, "{err}");
    }
}

/// s6-svlink and s6-svunlink against a running chainit scanner: a service
/// registered (supervised, up; `-D` keeps it down with a down file),
/// registering it again (a warning), errors, and unregistering (the
/// supervisor is gone). Debian's s6 tools get the same answers.
#[test]
fn svlink_and_svunlink_register_services_with_a_scanner() {
    let scanner = format!("{}/s6-svscan", crate::support::chainit_bin().display());
    let driver = format!(
        "cd $SCAN; {scanner} $SCAN & pid=$!
         until [ -p .s6-svscan/control ]; do sleep 0.01; done; sleep 0.1
         for s in x y z; do mkdir -p .t/svc/$s; printf '#!/bin/sh\\nexec sleep 1000\\n' > .t/svc/$s/run; chmod +x .t/svc/$s/run; done
         mkdir .t/svc/z/log; printf '#!/bin/sh\\nexec cat > /dev/null\\n' > .t/svc/z/log/run; chmod +x .t/svc/z/log/run
         s6-svlink -t 5000 $SCAN $SCAN/.t/svc/x; echo link $?; s6-svwait -u -t 5000 x; echo x up $?
         s6-svlink -D -t 5000 $SCAN .t/svc/y why; echo link-D $?; test -e .t/svc/y/down && echo y has down
         sleep 0.2; s6-svstat -o up,normallyup why
         s6-svlink -t 5000 $SCAN $SCAN/.t/svc/z; echo link-logged $?; s6-svok z/log; echo log supervised $?
         s6-svlink -t 5000 $SCAN $SCAN/.t/svc/x 2>&1 | sed \"s|$SCAN|SCAN|\"; echo again $?
         s6-svlink $SCAN .t/svc/none 2>&1 | sed \"s|$SCAN|SCAN|\"
         s6-svlink $SCAN .t/svc/x .hidden 2>&1; s6-svlink $SCAN .t/svc/x a/b 2>&1 | tail -1 | sed \"s|$SCAN|SCAN|\"
         s6-svlink .t .t/svc/x 2>&1 | sed \"s|$SCAN|SCAN|\"; s6-svlink 2>&1 | head -c 20; echo
         s6-svunlink -t 5000 $SCAN x; echo unlink $?; test -e x || echo link gone; s6-svok .t/svc/x; echo svok $?
         s6-svunlink -t 5000 $SCAN z; s6-svok .t/svc/z/log; echo log svok $?
         s6-svunlink -X $SCAN why; echo unlink-X $?; s6-svunlink $SCAN .x 2>&1; s6-svunlink $SCAN nothing; echo nothing $?
         kill -TERM $pid; wait $pid; echo scanner exited $?"
    );
    let run = |path: String| {
        let scan = scratch("svlink");
        std::fs::create_dir_all(scan.join(".t")).unwrap();
        scan_driver(&scan, &driver, path)
    };
    let (ours, err) = run(path_env());
    assert_eq!(
        ours,
        "link 0\nx up 0\nlink-D 0\ny has down\nfalse false\nlink-logged 0\nlog supervised 0\n\
         s6-svlink: warning: supervisor already running on SCAN/.t/svc/x\nagain 0\n\
         s6-svlink: fatal: unable to stat .t/svc/none/run: No such file or directory\n\
         s6-svlink: fatal: invalid name\ns6-svlink: fatal: unable to link servicedir .t/svc/x into scandir SCAN with name a/b: No such file or directory\n\
         s6-svlink: fatal: unable to open .t/.s6-svscan/lock: No such file or directory\ns6-svlink: usage: s6\n\
         unlink 0\nlink gone\nsvok 1\nlog svok 1\nunlink-X 0\ns6-svunlink: fatal: invalid service name\nnothing 0\nscanner exited 0\n",
        "{err}"
    );
    if crate::support::reference_available() {
        let (theirs, err) = run("/usr/bin:/bin".to_owned());
        assert_eq!(ours, theirs, "{err}");
    }
}

/// s6-svperms shows and sets who may read, control and listen to a
/// service, as Debian's s6-svperms does on the same chainit tree.
#[test]
fn svperms_agrees_with_skarnet() {
    let both = "both() { a=$(\"$@\" 2>&1; echo \"rc=$?\"); b=$(PATH=/usr/bin:/bin \"$@\" 2>&1; echo \"rc=$?\")
                  [ \"$a\" = \"$b\" ] && echo \"same: $a\" || echo \"DIFFER: $a / $b\"; }";
    let driver = format!(
        "{both}
         s6-svwait -u $S/x; cd $S
         both s6-svperms x; both s6-svperms -v -G :100 -E root x; both s6-svperms x
         both s6-svperms -g users -e x; both s6-svperms -v x
         both s6-svperms -v -O :0 x; both s6-svperms -o x; both s6-svperms -v -u -E :0 x
         both s6-svperms -g :x x; both s6-svperms
         both s6-svperms nothing; chmod 0777 x/event; both s6-svperms x; chmod 3730 x/event
         both s6-svperms -v x x/nothing"
    );
    let r = chainit(&[("x", &sleeper())], &driver, &[]);
    assert!(!r.stdout.contains("DIFFER"), "{}", r.stdout);
    assert_eq!(
        r.stdout.matches("same:").count(),
        13,
        "{}{}",
        r.stdout,
        r.stderr
    );
    assert!(
        r.stdout
            .contains("x status: group users\nx control: group users\nx events: group root"),
        "{}",
        r.stdout
    );
}
