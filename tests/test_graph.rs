//! The s6-rc service graph under `etc/s6-overlay/s6-rc.d`, booted for real
//! by `chainit init` as PID 1: order, parallelism, failures under each
//! policy, readiness, timeouts, a halt during bring-up, s6-overlay's own
//! layouts, and `chainit check`.

use std::process::Command;
use std::time::Duration;

use crate::test_init::{Boot, boot, sh};

pub(crate) const RC: &str = "etc/s6-overlay/s6-rc.d";
pub(crate) const USER: &str = "etc/s6-overlay/user-bundles.d/user/contents.d";

/// Definitions written into an image root.
pub(crate) trait Graph: Sized {
    fn def(self, name: &str, kind: &str, deps: &[&str]) -> Self;
    /// A oneshot whose `up` is the command line `up`.
    fn oneshot(self, name: &str, up: &str, deps: &[&str]) -> Self;
    /// A longrun whose `run` is the sh script `run`.
    fn longrun(self, name: &str, run: &str, deps: &[&str]) -> Self;
    fn bundle(self, name: &str, contents: &[&str]) -> Self;
    /// Puts `name` in the `user` bundle.
    fn enable(self, name: &str) -> Self;
    /// `ROOT/log`, where the services write what they did.
    fn log_path(&self) -> String;
    fn log(&self) -> String;
}

impl Graph for Boot {
    fn def(self, name: &str, kind: &str, deps: &[&str]) -> Self {
        let mut b = self.file(&format!("{RC}/{name}/type"), &format!("{kind}\n"));
        for d in deps {
            b = b.file(&format!("{RC}/{name}/dependencies.d/{d}"), "");
        }
        b
    }
    fn oneshot(self, name: &str, up: &str, deps: &[&str]) -> Self {
        self.def(name, "oneshot", deps)
            .file(&format!("{RC}/{name}/up"), &format!("{up}\n"))
    }
    fn longrun(self, name: &str, run: &str, deps: &[&str]) -> Self {
        self.def(name, "longrun", deps)
            .script(&format!("{RC}/{name}/run"), &format!("#!/bin/sh\n{run}\n"))
    }
    fn bundle(self, name: &str, contents: &[&str]) -> Self {
        let mut b = self.file(&format!("{RC}/{name}/type"), "bundle\n");
        for c in contents {
            b = b.file(&format!("{RC}/{name}/contents.d/{c}"), "");
        }
        b
    }
    fn enable(self, name: &str) -> Self {
        self.file(&format!("{USER}/{name}"), "")
    }
    fn log_path(&self) -> String {
        self.root.join("log").display().to_string()
    }
    fn log(&self) -> String {
        std::fs::read_to_string(self.root.join("log")).unwrap_or_default()
    }
}

/// `chainit check --root ROOT`, uncoloured and unwrapped: its exit code,
/// stdout and stderr.
pub(crate) fn check(root: &std::path::Path) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chainit"))
        .args(["check", "--root"])
        .arg(root)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "500")
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A oneshot command line appending `line` to the log.
pub(crate) fn note(log: &str, line: &str) -> String {
    format!("sh -c \"echo {line} >> {log}\"")
}

#[test]
fn a_diamond_starts_its_middle_in_parallel_and_stops_in_reverse() {
    let b = boot();
    let log = b.log_path();
    let t = b.root.display().to_string();
    // b and c each wait for the other's mark: only a parallel start lets both finish.
    let meet = |me: &str, other: &str| {
        format!(
            "sh -c \"touch {t}/{me}.mark; until [ -e {t}/{other}.mark ]; do sleep 0.01; done; echo up {me} >> {log}\""
        )
    };
    let mut b = b
        .oneshot("a", &note(&log, "up a"), &[])
        .oneshot("b", &meet("b", "c"), &["a"])
        .oneshot("c", &meet("c", "b"), &["a"]);
    b = b.oneshot("d", &note(&log, "up d"), &["b", "c"]).enable("d");
    for s in ["a", "b", "c", "d"] {
        let down = note(&log, &format!("down {s}"));
        b = b
            .file(&format!("{RC}/{s}/down"), &format!("{down}\n"))
            .file(&format!("{RC}/{s}/timeout-up"), "5000\n");
    }
    let r = b.run(&sh(&format!("echo cmd >> {log}")));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    let lines: Vec<String> = b.log().lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 9, "{lines:?}\n{}", r.stderr());
    assert_eq!(lines[0], "up a");
    let mut middle = vec![lines[1].clone(), lines[2].clone()];
    middle.sort();
    assert_eq!(middle, ["up b", "up c"]);
    assert_eq!(lines[3..5], ["up d", "cmd"]);
    assert_eq!(lines[5], "down d");
    let mut middle = vec![lines[6].clone(), lines[7].clone()];
    middle.sort();
    assert_eq!(middle, ["down b", "down c"]);
    assert_eq!(lines[8], "down a");
}

#[test]
fn a_chain_fifty_deep_runs_in_order() {
    let mut b = boot();
    let log = b.log_path();
    for k in 0..50 {
        let deps: Vec<String> = if k == 0 {
            Vec::new()
        } else {
            vec![format!("s{}", k - 1)]
        };
        let deps: Vec<&str> = deps.iter().map(String::as_str).collect();
        let up = note(&log, &k.to_string());
        b = b.oneshot(&format!("s{k}"), &up, &deps);
    }
    let b = b.enable("s49");
    let r = b.run(&sh("true"));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    let expected: String = (0..50).map(|k| format!("{k}\n")).collect();
    assert_eq!(b.log(), expected);
}

#[test]
fn two_hundred_independent_longruns_are_all_up_before_the_cmd() {
    let mut b = boot();
    for k in 0..200 {
        let name = format!("svc{k}");
        b = b.longrun(&name, "exec sleep 1000", &[]).enable(&name);
    }
    let run = b.run_dir().display().to_string();
    let r = b.run(&sh(&format!(
        "n=0; for d in {run}/service/svc*; do [ \"$(s6-svstat -o up $d)\" = true ] && n=$((n+1)); done; echo $n up"
    )));
    assert_eq!(r.stdout(), "200 up\n", "{}", r.stderr());
    assert_eq!(r.code(), Some(0));
    assert!(r.took < Duration::from_secs(20), "took {:?}", r.took);
}

#[test]
fn bundles_of_bundles_expand_to_their_services() {
    let b = boot();
    let log = b.log_path();
    let b = b
        .oneshot("x", &note(&log, "x"), &[])
        .oneshot("y", &note(&log, "y"), &[])
        .oneshot("z", &note(&log, "z"), &["inner"])
        .oneshot("unused", &note(&log, "unused"), &[])
        .bundle("inner", &["x", "y"])
        .bundle("outer", &["inner", "z"])
        .enable("outer");
    let r = b.run(&sh("true"));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    let mut got: Vec<String> = b.log().lines().map(str::to_owned).collect();
    assert_eq!(got.pop().as_deref(), Some("z"), "z needs x and y first");
    got.sort();
    assert_eq!(got, ["x", "y"]);
}

#[test]
fn a_failing_oneshot_under_each_policy() {
    for (policy, cmd_runs, code) in [("0", true, 0), ("1", true, 0), ("2", false, 3)] {
        let b = boot();
        let log = b.log_path();
        let b = b
            .env("S6_BEHAVIOUR_IF_STAGE2_FAILS", policy)
            .oneshot("broken", "sh -c \"exit 3\"", &[])
            .oneshot("after", &note(&log, "after"), &["broken"])
            .oneshot("other", &note(&log, "other"), &[])
            .enable("after")
            .enable("other");
        let r = b.run(&sh(&format!("echo cmd >> {log}")));
        assert_eq!(r.code(), Some(code), "policy {policy}: {}", r.stderr());
        let log = b.log();
        assert!(!log.contains("after"), "policy {policy}: {log}");
        assert_eq!(log.contains("cmd"), cmd_runs, "policy {policy}: {log}");
        let named = r.stderr().contains("service broken (")
            && r.stderr().contains("its up command sh exited 3");
        assert!(named, "policy {policy}: {}", r.stderr());
        if policy == "2" {
            assert!(
                r.stderr().contains("stopping the container"),
                "{}",
                r.stderr()
            );
        }
    }
}

#[test]
fn a_dependent_waits_for_readiness_on_notification_fd() {
    let b = boot();
    let t = b.root.display().to_string();
    let b = b
        .longrun(
            "db",
            &format!("sleep 0.3; touch {t}/db-ready; echo >&3; exec sleep 1000"),
            &[],
        )
        .file(&format!("{RC}/db/notification-fd"), "3\n")
        .oneshot(
            "migrate",
            &format!("sh -c \"test -e {t}/db-ready && echo db was ready > {t}/log\""),
            &["db"],
        )
        .enable("migrate");
    let r = b.run(&sh("true"));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    assert_eq!(b.log(), "db was ready\n", "{}", r.stderr());
}

#[test]
fn timeouts_name_the_service_and_what_it_was_doing() {
    let b = boot()
        .env("S6_BEHAVIOUR_IF_STAGE2_FAILS", "1")
        .oneshot("slow", "sleep 30", &[])
        .file(&format!("{RC}/slow/timeout-up"), "200\n")
        .longrun("mute", "exec sleep 1000", &[])
        .file(&format!("{RC}/mute/notification-fd"), "3\n")
        .file(&format!("{RC}/mute/timeout-up"), "300\n")
        .enable("slow")
        .enable("mute");
    let r = b.run(&sh("echo cmd ran"));
    assert_eq!(r.stdout(), "cmd ran\n", "{}", r.stderr());
    assert!(r.took < Duration::from_secs(5), "took {:?}", r.took);
    let err = r.stderr();
    assert!(
        err.contains("service slow (") && err.contains("not up within timeout-up (200 ms)"),
        "{err}"
    );
    assert!(
        err.contains("service mute (")
            && err.contains("timeout-up (300 ms)")
            && err.contains("no readiness notification yet on fd 3"),
        "{err}"
    );
}

#[test]
fn the_global_maxtime_bounds_the_whole_bring_up() {
    let b = boot()
        .env("S6_BEHAVIOUR_IF_STAGE2_FAILS", "1")
        .env("S6_CMD_WAIT_FOR_SERVICES_MAXTIME", "300")
        .oneshot("slow", "sleep 30", &[])
        .oneshot("next", "true", &["slow"])
        .enable("next");
    let r = b.run(&sh("echo cmd ran"));
    assert_eq!(r.stdout(), "cmd ran\n", "{}", r.stderr());
    assert!(r.took < Duration::from_secs(5), "took {:?}", r.took);
    let err = r.stderr();
    assert!(
        err.contains("S6_CMD_WAIT_FOR_SERVICES_MAXTIME (300 ms)")
            && err.contains("slow its up command is still running")
            && err.contains("next waiting for slow"),
        "{err}"
    );
}

#[test]
fn a_halt_during_bring_up_cancels_and_brings_down_what_is_up() {
    let b = boot();
    let t = b.root.display().to_string();
    let log = b.log_path();
    let b = b
        .longrun("early", "exec sleep 1000", &[])
        .script(
            &format!("{RC}/early/finish"),
            &format!("#!/bin/sh\necho early finished >> {log}\n"),
        )
        .oneshot(
            "halter",
            &format!("sh -c \"touch {t}/h; halt; sleep 30\""),
            &["early"],
        )
        .oneshot("never", &note(&log, "never"), &["halter"])
        .enable("never");
    let r = b.run(&sh("echo cmd never"));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    assert!(r.took < Duration::from_secs(5), "took {:?}", r.took);
    assert_eq!(b.log(), "early finished\n", "{}", r.stderr());
    assert_eq!(r.stdout(), "");
}

/// The layouts s6-overlay's documentation recommends: a longrun after
/// `base` (so after cont-init.d), a oneshot in `user`, and a `user2`
/// service after `legacy-services` (so after services.d is up); at the
/// end, cont-finish.d runs only once the user services are down.
#[test]
fn s6_overlay_layouts_start_and_stop_in_its_order() {
    let b = boot();
    let t = b.root.display().to_string();
    let log = b.log_path();
    let run = b.run_dir().display().to_string();
    let b = b
        .script(
            "etc/cont-init.d/10-prepare",
            &format!("#!/bin/sh\necho cont-init >> {log}\n"),
        )
        .script(
            "etc/cont-finish.d/10-bye",
            &format!("#!/bin/sh\necho cont-finish >> {log}\n"),
        )
        .script("etc/services.d/legacy/run", "#!/bin/sh\nexec sleep 1000\n")
        .longrun(
            "app",
            &format!(
                "grep -q cont-init {log} && echo app after cont-init >> {log}\nexec sleep 1000"
            ),
            &["base"],
        )
        .script(
            &format!("{RC}/app/finish"),
            &format!("#!/bin/sh\necho app finished >> {log}\n"),
        )
        .oneshot("setup", &note(&log, "setup"), &["base"])
        .def("late", "oneshot", &["legacy-services"])
        .file(
            &format!("{RC}/late/up"),
            &format!("sh -c \"s6-svstat -o up {run}/service/legacy > {t}/late-saw\"\n"),
        )
        .enable("app")
        .enable("setup")
        .file("etc/s6-overlay/user-bundles.d/user2/contents.d/late", "");
    let r = b.run(&sh(&format!(
        "for i in $(seq 500); do grep -q 'app after' {log} && break; sleep 0.01; done; echo cmd >> {log}"
    )));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    let lines: Vec<String> = b.log().lines().map(str::to_owned).collect();
    assert_eq!(lines[0], "cont-init", "{lines:?}");
    assert!(lines.contains(&"setup".to_owned()), "{lines:?}");
    let pos = |l: &str| lines.iter().position(|x| x == l).unwrap();
    assert!(pos("app finished") < pos("cont-finish"), "{lines:?}");
    assert_eq!(lines.last().map(String::as_str), Some("cont-finish"));
    assert_eq!(
        std::fs::read_to_string(b.root.join("late-saw")).unwrap(),
        "true\n",
        "{}",
        r.stderr()
    );
}

#[test]
fn a_pipeline_feeds_its_consumer_and_drains_at_shutdown() {
    let b = boot();
    let out = b.root.join("consumed").display().to_string();
    let b = b
        .longrun(
            "producer",
            "for i in 1 2 3; do echo line $i; done; exec sleep 1000",
            &[],
        )
        .file(&format!("{RC}/producer/producer-for"), "consumer\n")
        .longrun("consumer", &format!("exec cat >> {out}"), &[])
        .file(&format!("{RC}/consumer/consumer-for"), "producer\n")
        .file(&format!("{RC}/consumer/pipeline-name"), "both\n")
        .enable("both");
    let r = b.run(&sh(&format!(
        "for i in $(seq 500); do [ \"$(wc -l < {out} 2>/dev/null)\" = 3 ] && break; sleep 0.01; done"
    )));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    assert_eq!(
        std::fs::read_to_string(b.root.join("consumed")).unwrap(),
        "line 1\nline 2\nline 3\n"
    );
    let err = r.stderr();
    let started = |s: &str| err.find(&format!("starting service {s}")).unwrap();
    assert!(started("consumer") < started("producer"), "{err}");
}

#[test]
fn s6_rc_longruns_answer_s6_svc_in_the_scan_dir() {
    let b = boot().longrun("web", "exec sleep 1000", &[]).enable("web");
    let run = b.run_dir().display().to_string();
    let r = b.run(&sh(&format!(
        "s6-svc -d {run}/service/web; s6-svwait -D -t 5000 {run}/service/web; s6-svstat -o up {run}/service/web"
    )));
    assert_eq!(r.stdout(), "false\n", "{}", r.stderr());
    assert_eq!(r.code(), Some(0));
}

#[test]
fn the_old_user_bundle_location_still_works_with_a_warning() {
    let b = boot();
    let log = b.log_path();
    let b = b
        .oneshot("old", &note(&log, "old"), &[])
        .file(&format!("{RC}/user/contents.d/old"), "");
    let r = b.run(&sh("true"));
    assert_eq!(b.log(), "old\n", "{}", r.stderr());
    assert!(
        r.stderr().contains("read from its old place"),
        "{}",
        r.stderr()
    );
}

/// Every kind of malformed definition, reported at once; at boot the rest
/// of the graph still comes up.
#[test]
fn check_reports_every_malformed_definition_at_once() {
    let b = boot();
    let log = b.log_path();
    let b = b
        .oneshot("a", "true", &["b"])
        .oneshot("b", "true", &["a"])
        .oneshot("lonely", "true", &["ghost"])
        .def("weird", "longrunn", &[])
        .bundle("selfish", &["selfish"])
        .oneshot("fine", &note(&log, "fine"), &[])
        .file("etc/cont-init.d/10-plain", "#!/bin/sh\n");
    let mut b = b;
    for s in ["a", "lonely", "weird", "selfish", "fine"] {
        b = b.enable(s);
    }
    let (code, _, err) = check(&b.root);
    assert_eq!(code, Some(1), "{err}");
    for needle in [
        "dependency cycle: a -> b -> a",
        "lonely depends on \"ghost\", which is not defined",
        "unknown service type \"longrunn\"",
        "bundle selfish contains itself: selfish -> selfish",
        "10-plain: this script cannot run: it is not executable",
        "5 error(s)",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    let r = b.run(&sh("true"));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    assert_eq!(b.log(), "fine\n", "{}", r.stderr());
}

#[test]
fn check_is_quiet_about_a_sound_tree() {
    let b = boot()
        .oneshot("a", "true", &["base"])
        .enable("a")
        .script("etc/cont-init.d/10-x", "#!/bin/sh\n");
    let (code, out, err) = check(&b.root);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("no errors"));
}

/// `chainit status` lists the graph's oneshots beside the longruns, up or
/// down as the init has them.
#[test]
fn status_shows_oneshots() {
    let b = boot()
        .oneshot("made", "true", &["base"])
        .oneshot("broken", "false", &["base"])
        .longrun("daemon", "exec sleep 100", &["made"])
        .enable("made")
        .enable("broken")
        .enable("daemon");
    let script = format!(
        "{} status | sed 's/  */ /g' | grep -E '^(made|broken|daemon) ' | cut -d' ' -f1,2 | sort",
        env!("CARGO_BIN_EXE_chainit")
    );
    let r = b.run(&sh(&script));
    assert_eq!(
        r.stdout(),
        "broken down\ndaemon up\nmade up\n",
        "{}",
        r.stderr()
    );
}

/// A fix-attrs.d line of the wrong form is a warning naming its line; a
/// sound one says nothing.
#[test]
fn check_reads_fix_attrs_lines() {
    let b = boot().script(
        "etc/fix-attrs.d/01-data",
        "# fine\n/data true nobody 0644 0755\n/data true nobody 0644\n/x false root 0999 0755\n",
    );
    let (code, out, err) = check(&b.root);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("got 4 field(s)"), "{err}");
    assert!(err.contains("01-data:3:1"), "{err}");
    assert!(err.contains("fmode 0999 is not an octal mode"), "{err}");
    assert!(err.contains("01-data:4:1"), "{err}");
    assert!(out.contains("2 warning(s)"), "{out}");
    assert!(!err.contains(":2:1"), "{err}");
}

/// `chainit svc -u|-d` on graph names: a bundle comes up with what it
/// needs; a service goes down with what needs it; oneshots run their
/// `down`; a flag-essential service is refused.
#[test]
fn chainit_svc_changes_the_graph_at_run_time() {
    let b = boot();
    let log = b.log_path();
    let run = b.run_dir().display().to_string();
    let b = b
        .oneshot("db-init", &note(&log, "db-init up"), &[])
        .file(
            &format!("{RC}/db-init/down"),
            &format!("{}\n", note(&log, "db-init down")),
        )
        .longrun("db", "exec sleep 1000", &["db-init"])
        .oneshot("app", &note(&log, "app up"), &["db"])
        .file(
            &format!("{RC}/app/down"),
            &format!("{}\n", note(&log, "app down")),
        )
        .bundle("stack", &["app"])
        .oneshot("keep", "true", &[])
        .file(&format!("{RC}/keep/flag-essential"), "")
        .enable("keep");
    let chainit = env!("CARGO_BIN_EXE_chainit");
    let r = b.run(&sh(&format!(
        "{chainit} svc -u stack; echo up $?; s6-svstat -o up {run}/service/db
         {chainit} svc -d db-init; echo down $?; s6-svstat -o up {run}/service/db
         {chainit} svc -u stack; echo again $?; s6-svstat -o up {run}/service/db
         {chainit} svc -d keep; echo essential $?
         {chainit} svc -u nosuch 2>/dev/null; echo unknown $?"
    )));
    assert_eq!(
        r.stdout(),
        "up 0\ntrue\ndown 0\nfalse\nagain 0\ntrue\nessential 1\nunknown 111\n",
        "{}",
        r.stderr()
    );
    assert_eq!(
        b.log(),
        "db-init up\napp up\napp down\ndb-init down\ndb-init up\napp up\napp down\ndb-init down\n"
    );
    assert!(
        r.stderr().contains("keep marked flag-essential"),
        "{}",
        r.stderr()
    );
}

#[test]
fn a_down_that_hangs_is_cut_at_timeout_down() {
    let b = boot();
    let log = b.log_path();
    let b = b
        .oneshot("stuck", "true", &[])
        .file(&format!("{RC}/stuck/down"), "sleep 30\n")
        .file(&format!("{RC}/stuck/timeout-down"), "200\n")
        .oneshot("after", "true", &["stuck"])
        .file(
            &format!("{RC}/after/down"),
            &format!("{}\n", note(&log, "after down")),
        )
        .enable("after");
    let r = b.run(&sh("true"));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    assert!(r.took < Duration::from_secs(5), "took {:?}", r.took);
    assert_eq!(b.log(), "after down\n");
    assert!(
        r.stderr().contains(
            "service stuck: its down command did not finish within timeout-down (200 ms)"
        ),
        "{}",
        r.stderr()
    );
}

/// s6-overlay compiles the definitions after `S6_STAGE2_HOOK`, so a hook may
/// enable a service; chainit reads them after the hook too.
#[test]
fn the_stage2_hook_can_enable_a_service() {
    let b = boot();
    let log = b.log_path();
    let enable = b.root.join(USER).join("late");
    let b = b
        .oneshot("late", &note(&log, "late"), &[])
        .file(&format!("{USER}/.keep"), "")
        .env("S6_STAGE2_HOOK", &format!("touch {}", enable.display()));
    let r = b.run(&sh("true"));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    assert_eq!(b.log(), "late\n", "{}", r.stderr());
}

/// `S6_RUNTIME_PROFILE` reads `etc/cont-profile.d/P/` in place of `etc/`;
/// `S6_RUNTIME_BUNDLEDIR` moves the user bundles.
#[test]
fn runtime_profile_and_bundle_dir_choose_the_definitions() {
    let b = boot();
    let log = b.log_path();
    let p = "etc/cont-profile.d/staging";
    let b = b
        .file(
            &format!("{p}/s6-overlay/s6-rc.d/only-staging/type"),
            "oneshot\n",
        )
        .file(
            &format!("{p}/s6-overlay/s6-rc.d/only-staging/up"),
            &format!("{}\n", note(&log, "staging service")),
        )
        .file(
            &format!("{p}/s6-overlay/s6-rc.d/only-staging/dependencies.d/base"),
            "",
        )
        .file(
            &format!("{p}/s6-overlay/user-bundles.d/user/contents.d/only-staging"),
            "",
        )
        .script(
            &format!("{p}/cont-init.d/10-staging"),
            &format!("#!/bin/sh\necho staging cont-init >> {log}\n"),
        )
        .oneshot("only-default", &note(&log, "default service"), &[])
        .enable("only-default")
        .env("S6_RUNTIME_PROFILE", "staging");
    let r = b.run(&sh("true"));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    assert_eq!(
        b.log(),
        "staging cont-init\nstaging service\n",
        "{}",
        r.stderr()
    );

    let b = boot();
    let log = b.log_path();
    let b = b
        .oneshot("moved", &note(&log, "moved bundle"), &[])
        .file("srv/bundles/user/contents.d/moved", "")
        .env("S6_RUNTIME_BUNDLEDIR", "/srv/bundles");
    let r = b.run(&sh("true"));
    assert_eq!(b.log(), "moved bundle\n", "{}", r.stderr());
}

/// s6-rc's own interface, for scripts that call it: change, list, listall.
#[test]
fn s6_rc_change_list_and_listall() {
    let b = boot();
    let log = b.log_path();
    let b = b
        .oneshot("base-dir", &note(&log, "base-dir up"), &[])
        .longrun("web", "exec sleep 1000", &["base-dir"])
        .oneshot("extra", &note(&log, "extra up"), &[])
        .file(
            &format!("{RC}/extra/down"),
            &format!("{}\n", note(&log, "extra down")),
        )
        .bundle("site", &["web"])
        .enable("site");
    let r = b.run(&sh(
        "s6-rc -a list | grep -v -e fix-attrs -e legacy | tr '\\n' ' '; echo
         s6-rc listall site | tr '\\n' ' '; echo
         s6-rc -d listall base-dir | tr '\\n' ' '; echo
         s6-rc -u change extra; echo change $?
         s6-rc -a list | grep -c extra
         s6-rc -d change extra; echo down $?
         s6-rc -u change nosuch; echo unknown $?",
    ));
    assert_eq!(
        r.stdout(),
        "base-dir web \nbase-dir web \nbase-dir legacy-services web \nchange 0\n1\ndown 0\nunknown 3\n",
        "{}",
        r.stderr()
    );
    assert_eq!(b.log(), "base-dir up\nextra up\nextra down\n");
    assert!(
        r.stderr()
            .contains("s6-rc: fatal: nosuch: no such service or bundle"),
        "{}",
        r.stderr()
    );
}

#[test]
fn oneshots_see_their_name_in_rc_name() {
    let b = boot();
    let log = b.log_path();
    let b = b
        .oneshot(
            "named",
            &format!("sh -c \"echo up $RC_NAME >> {log}\""),
            &[],
        )
        .file(
            &format!("{RC}/named/down"),
            &format!("sh -c \"echo down $RC_NAME >> {log}\"\n"),
        )
        .enable("named");
    let r = b.run(&sh("true"));
    assert_eq!(b.log(), "up named\ndown named\n", "{}", r.stderr());
}

/// A halt while an `up` that ignores TERM is running: it is killed after
/// `S6_SERVICES_GRACETIME`, and the container still stops.
#[test]
fn a_halt_cannot_be_held_up_by_an_up_ignoring_term() {
    let b = boot()
        .env("S6_SERVICES_GRACETIME", "300")
        .oneshot("stubborn", "sh -c \"trap '' TERM; halt; sleep 30\"", &[])
        .enable("stubborn");
    let r = b.run(&sh("echo cmd never"));
    assert_eq!(r.stdout(), "", "{}", r.stderr());
    assert!(
        r.took < Duration::from_secs(4),
        "took {:?}: {}",
        r.took,
        r.stderr()
    );
}

/// The older single-file forms: `dependencies` and a bundle's `contents`,
/// one name per line, `#` comments allowed.
#[test]
fn the_dependencies_and_contents_files_still_count() {
    let b = boot();
    let log = b.log_path();
    let b = b
        .oneshot("first", &note(&log, "first"), &[])
        .oneshot("second", &note(&log, "second"), &[])
        .file(
            &format!("{RC}/second/dependencies"),
            "# needs first\nfirst\n\n",
        )
        .file(&format!("{RC}/pair/type"), "bundle\n")
        .file(&format!("{RC}/pair/contents"), "second\n")
        .enable("pair");
    let r = b.run(&sh("true"));
    assert_eq!(b.log(), "first\nsecond\n", "{}", r.stderr());
}

/// A services.d service and an s6-rc longrun of the same name would share
/// `RUN/service/NAME`: the s6-rc one runs, the other is named and skipped.
#[test]
fn a_name_in_both_services_d_and_s6_rc_is_reported() {
    let b = boot();
    let log = b.log_path();
    let b = b
        .longrun(
            "web",
            &format!("echo s6-rc web >> {log}; exec sleep 1000"),
            &[],
        )
        .enable("web")
        .script(
            "etc/services.d/web/run",
            &format!("#!/bin/sh\necho services.d web >> {log}\nexec sleep 1000\n"),
        );
    let (_, _, err) = check(&b.root);
    assert!(err.contains("web is also a longrun in s6-rc.d"), "{err}");
    let r = b.run(&sh("sleep 0.2"));
    assert_eq!(b.log(), "s6-rc web\n", "{}", r.stderr());
    assert!(r.stderr().contains("defined both in"), "{}", r.stderr());
}
