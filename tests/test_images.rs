//! Service trees shaped like those of widely used public s6-overlay images,
//! booted by `chainit init` as PID 1: comment-only marker oneshots, `#!`
//! oneshots, 0644 `run` files, additions to s6-overlay's own `base` bundle.
//! Each asserts which services ran, in what order, and that `chainit check`
//! has nothing to say.

use std::os::unix::fs::PermissionsExt;

use crate::test_graph::{Graph, RC, check, note};
use crate::test_init::{boot, sh};

/// A CMD that waits (up to 5 s) until every `word` is in the log.
fn wait_for(log: &str, words: &[&str]) -> String {
    let all: Vec<String> = words
        .iter()
        .map(|w| format!("grep -qx {w} {log}"))
        .collect();
    format!(
        "for i in $(seq 100); do {{ {}; }} && break; sleep 0.05; done",
        all.join(" && ")
    )
}

/// init-* oneshots chained through comment-only markers, the last marker
/// (`init-services`) holding back the `svc-*` longruns, one of them with a
/// `run` that is not executable: every service starts, in order, and the
/// image's file keeps its mode.
#[test]
fn a_linuxserver_shaped_tree_starts_every_app_service() {
    let b = boot();
    let log = b.log_path();
    let adduser = b.root.join(RC).join("init-adduser/run");
    let b = b
        .oneshot("init-adduser", &adduser.display().to_string(), &["base"])
        .script(
            &format!("{RC}/init-adduser/run"),
            &format!("#!/bin/sh\necho adduser >> {log}\n"),
        )
        .oneshot(
            "init-config",
            "# This file doesn't do anything, it just orders the init process",
            &["init-adduser"],
        )
        .def("init-mods-end", "oneshot", &["init-config"])
        .file(&format!("{RC}/init-mods-end/up"), "")
        .def("init-custom", "oneshot", &["init-mods-end"])
        .file(
            &format!("{RC}/init-custom/up"),
            &format!("#!/command/execlineb -P\n{}\n", note(&log, "custom")),
        )
        .oneshot("init-services", "# nothing to do", &["init-custom"])
        .def("svc-app", "longrun", &["init-services"])
        .file(
            &format!("{RC}/svc-app/run"),
            &format!("#!/bin/sh\necho app >> {log}\nexec sleep 1000\n"),
        )
        .longrun(
            "svc-cron",
            &format!("echo cron >> {log}; exec sleep 1000"),
            &["init-services"],
        );
    let mut b = b;
    for s in [
        "init-adduser",
        "init-config",
        "init-mods-end",
        "init-custom",
        "init-services",
        "svc-app",
        "svc-cron",
    ] {
        b = b.enable(s);
    }
    let (code, out, err) = check(&b.root);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        out.contains("no errors") && !err.contains("warning"),
        "{out}{err}"
    );

    let r = b.run(&sh(&wait_for(&log, &["app", "cron"])));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    let lines: Vec<String> = b.log().lines().map(str::to_owned).collect();
    assert_eq!(lines[..2], ["adduser", "custom"], "{}", r.stderr());
    let mut apps = lines[2..].to_vec();
    apps.sort();
    assert_eq!(apps, ["app", "cron"], "{}", r.stderr());
    let mode = std::fs::metadata(b.root.join(RC).join("svc-app/run"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o644, "the image's run file was changed");
}

/// An empty `down` and a comment-only one do nothing and succeed: the
/// container stops cleanly with the CMD's code.
#[test]
fn empty_down_files_are_no_ops() {
    let b = boot();
    let log = b.log_path();
    let b = b
        .oneshot("mark", "", &["base"])
        .file(
            &format!("{RC}/mark/down"),
            "#!/command/execlineb -P\n# nothing\n",
        )
        .oneshot("other", &note(&log, "other"), &["mark"])
        .file(&format!("{RC}/other/down"), "")
        .enable("mark")
        .enable("other");
    let r = b.run(&sh("exit 3"));
    assert_eq!(r.code(), Some(3), "{}", r.stderr());
    assert_eq!(b.log(), "other\n", "{}", r.stderr());
    assert!(
        !r.stderr().contains("warning") && !r.stderr().contains("error"),
        "{}",
        r.stderr()
    );
}

/// Images add services to s6-overlay's `base` bundle through its source
/// directory (`/package/admin/s6-overlay-VERSION/etc/s6-rc/sources`, also
/// reached through the `s6-overlay` link): they run once, before the user's
/// services that depend on `base`.
#[test]
fn s6_overlay_sources_add_to_base() {
    let b = boot();
    let log = b.log_path();
    let src = "package/admin/s6-overlay-3.2.3.2/etc/s6-rc/sources";
    let b = b
        .file(&format!("{src}/banner/type"), "oneshot\n")
        .file(
            &format!("{src}/banner/up"),
            &format!("{}\n", note(&log, "banner")),
        )
        .file(&format!("{src}/base/contents.d/banner"), "")
        .file(&format!("{src}/log-level/type"), "oneshot\n")
        .file(
            &format!("{src}/log-level/up"),
            &format!("{}\n", note(&log, "level")),
        )
        .file(&format!("{src}/log-level/dependencies.d/banner"), "")
        .file(&format!("{src}/base/contents.d/log-level"), "")
        .oneshot("app", &note(&log, "app"), &["base"])
        .enable("app");
    std::os::unix::fs::symlink(
        "s6-overlay-3.2.3.2",
        b.root.join("package/admin/s6-overlay"),
    )
    .unwrap();
    let (code, out, err) = check(&b.root);
    assert_eq!(code, Some(0), "{out}{err}");
    let r = b.run(&sh("true"));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    assert_eq!(b.log(), "banner\nlevel\napp\n", "{}", r.stderr());

    // A name may be defined once across s6-rc.d and the overlay's sources.
    let b = b.oneshot("banner", "true", &[]);
    let (code, _, err) = check(&b.root);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("banner is defined twice"), "{err}");
}

/// A tree whose only services are in s6-overlay's sources is not tini mode.
#[test]
fn a_tree_with_only_overlay_sources_boots_them() {
    let b = boot();
    let log = b.log_path();
    let src = "package/admin/s6-overlay/etc/s6-rc/sources";
    let b = b
        .file(&format!("{src}/hello/type"), "oneshot\n")
        .file(
            &format!("{src}/hello/up"),
            &format!("{}\n", note(&log, "hello")),
        )
        .file(&format!("{src}/base/contents.d/hello"), "");
    let r = b.run(&sh("true"));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    assert_eq!(b.log(), "hello\n", "{}", r.stderr());
}

/// The PATH saved for `with-contenv` has `/command` in front, as
/// s6-overlay's `/init` puts it there before saving; with `S6_KEEP_ENV=1` the
/// services' own PATH has it too. A script behind `#!…/with-contenv sh`
/// still finds its own init (`--run-dir`) through printcontenv and halt.
#[test]
fn with_contenv_scripts_see_command_first_and_find_their_init() {
    let b = boot();
    let log = b.log_path();
    let contenv = format!("{}/with-contenv", crate::support::chainit_bin().display());
    let b = b.script(
        "etc/cont-init.d/10-path",
        &format!("#!{contenv} sh\necho \"$PATH\" >> {log}\nprintcontenv GREETING >> {log}\n"),
    );
    let bin = crate::support::chainit_bin().display().to_string();
    let b = b
        .env("PATH", &format!("{bin}:/usr/bin:/bin"))
        .env("GREETING", "hi");
    let r = b.run(&sh("true"));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    assert_eq!(
        b.log(),
        format!("/command:{bin}:/usr/bin:/bin\nhi\n"),
        "{}",
        r.stderr()
    );

    // The CMD halts the container from behind with-contenv: the right init
    // gets it, with the exit-code file's value.
    let b = boot();
    let run = b.run_dir().display().to_string();
    let halt = format!(
        "{contenv} sh -c 'echo 7 > {run}/s6-linux-init-container-results/exitcode; halt; sleep 5'"
    );
    let b = b.script("etc/cont-init.d/00-none", "#!/bin/sh\n");
    let r = b
        .env("PATH", &format!("{bin}:/usr/bin:/bin"))
        .run(&sh(&halt));
    assert_eq!(r.code(), Some(7), "{}", r.stderr());
    assert!(r.took < std::time::Duration::from_secs(4), "{:?}", r.took);
}

/// `S6_KEEP_ENV=1`: no reset, and the services' PATH starts with /command.
#[test]
fn keep_env_services_get_command_in_path() {
    let b = boot();
    let log = b.log_path();
    let b = b.script(
        "etc/cont-init.d/10-path",
        &format!("#!/bin/sh\necho \"$PATH $GREETING\" >> {log}\n"),
    );
    let b = b
        .env("PATH", "/usr/bin:/bin")
        .env("GREETING", "kept")
        .env("S6_KEEP_ENV", "1");
    let r = b.run(&sh("true"));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    assert_eq!(b.log(), "/command:/usr/bin:/bin kept\n", "{}", r.stderr());
}

/// A longrun that no boot bundle starts still gets `RUN/service/NAME`,
/// supervised and down, so `s6-svc -u` starts it at run time (images start
/// optional services that way); stage 3 stops it.
#[test]
fn a_longrun_outside_the_boot_bundles_is_supervised_down() {
    let b = boot();
    let log = b.log_path();
    let run = b.run_dir().display().to_string();
    let b = b
        .longrun(
            "optional",
            &format!("echo optional >> {log}; exec sleep 1000"),
            &["base"],
        )
        .oneshot("app", &note(&log, "app"), &["base"])
        .enable("app");
    let cmd = format!(
        "test -p {run}/service/optional/supervise/control || exit 9; grep -q optional {log} && exit 8; \
         s6-svc -u {run}/service/optional && {}",
        wait_for(&log, &["optional"])
    );
    let r = b.run(&sh(&cmd));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    assert_eq!(b.log(), "app\noptional\n", "{}", r.stderr());
    assert!(r.took < std::time::Duration::from_secs(3), "{:?}", r.took);
}

/// `chainit svc -d X` on a oneshot is a run-time change (never "stage 3"):
/// it takes down what depends on X and nothing else; `chainit svc -u X`
/// brings back what that took down.
#[test]
fn run_time_down_and_up_of_a_oneshot() {
    let b = boot();
    let log = b.log_path();
    let c = env!("CARGO_BIN_EXE_chainit");
    let b = b
        .oneshot("x", &note(&log, "x-up"), &["base"])
        .file(
            &format!("{RC}/x/down"),
            &format!("{}\n", note(&log, "x-down")),
        )
        .longrun(
            "dep",
            &format!("echo dep >> {log}; exec sleep 1000"),
            &["x"],
        )
        .longrun(
            "other",
            &format!("echo other >> {log}; exec sleep 1000"),
            &["base"],
        )
        .enable("dep")
        .enable("other");
    let w1 = wait_for(&log, &["dep", "other"]);
    let w2 = format!(
        "for i in $(seq 100); do [ $(grep -c '^dep$' {log}) = 2 ] && break; sleep 0.05; done"
    );
    let cmd = format!(
        "{w1}; {c} svc -d x || exit 5; echo == >> {log}; {c} svc -u x || exit 6; {w2}; {c} status > /dev/null"
    );
    let r = b.run(&sh(&cmd));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    let lines: Vec<String> = b.log().lines().map(str::to_owned).collect();
    let marker = lines.iter().position(|l| l == "==").unwrap();
    let after: Vec<&str> = lines[marker + 1..].iter().map(String::as_str).collect();
    assert_eq!(after[..2], ["x-up", "dep"], "{lines:?}\n{}", r.stderr());
    assert_eq!(
        lines.iter().filter(|l| *l == "other").count(),
        1,
        "{lines:?}"
    );
    let err = r.stderr();
    let runtime: Vec<&str> = err
        .lines()
        .skip_while(|l| !l.contains("bringing down: x"))
        .take_while(|l| !l.contains("shutting down"))
        .collect();
    assert!(!runtime.is_empty(), "{err}");
    assert!(runtime.iter().all(|l| !l.contains("stage")), "{err}");
}

/// `chainit svc --restart --wait ready` returns once the new instance is
/// ready, not while the old one still answers; `--wait up` once it is up.
#[test]
fn restart_and_wait_waits_for_the_new_instance() {
    let b = boot();
    let t = b.root.display().to_string();
    let c = env!("CARGO_BIN_EXE_chainit");
    let b = b
        .script(
            "etc/services.d/web/run",
            // Ready 1.5 s after it starts: `--wait up` must return before.
            &format!("#!/bin/sh\nsleep 1.5\necho $$ > {t}/ready\necho >&3\nexec sleep 1000\n"),
        )
        .file("etc/services.d/web/notification-fd", "3\n");
    let cmd = format!(
        "{c} wait --for ready -t 5000 web || exit 5; old=$(cat {t}/ready); \
         {c} svc --restart --wait ready --timeout 5000 web || exit 6; \
         new=$(cat {t}/ready); test \"$old\" != \"$new\" || exit 7; \
         s6-svstat -o ready $CHAINIT_RUN_DIR/service/web | grep -qx true || exit 8; \
         {c} svc --restart --wait up --timeout 5000 web || exit 9; \
         test \"$(cat {t}/ready)\" = \"$new\" || exit 10"
    );
    let r = b.run(&sh(&cmd));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
}

/// s6-notifyoncheck keeps polling `data/check` after the program it
/// started has exited, until the service itself goes down (as s6's does):
/// a run script that runs it in a pipeline still becomes ready.
#[test]
fn notifyoncheck_outlives_a_short_program() {
    let b = boot();
    let t = b.root.display().to_string();
    let c = env!("CARGO_BIN_EXE_chainit");
    let b = b
        .script(
            "etc/services.d/app/run",
            "#!/bin/sh\ns6-notifyoncheck -w 50 -n 100 echo waiting | cat\nexec s6-setuidgid nobody sleep 1000\n",
        )
        .script("etc/services.d/app/data/check", &format!("#!/bin/sh\ntest -e {t}/flag\n"))
        .file("etc/services.d/app/notification-fd", "3\n");
    let cmd = format!(
        "sleep 0.3; {c} wait --for ready -t 100 app && exit 5; touch {t}/flag; {c} wait --for ready -t 3000 app"
    );
    let r = b.run(&sh(&cmd));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
}

/// Pipelines stop as s6-rc stops them: the consumer gets its down-signal
/// once its producers are down and it has read what they wrote (a consumer
/// that ignores the end of its input does not hold the shutdown), and a
/// consumer whose producer never started does not wait out
/// S6_SERVICES_GRACETIME.
#[test]
fn pipelines_stop_promptly() {
    let b = boot()
        .longrun("prod", "echo hello; exec sleep 1000", &["base"])
        .file(&format!("{RC}/prod/producer-for"), "cons\n")
        .longrun(
            "cons",
            "while read -r l; do :; done; exec sleep 1000",
            &["base"],
        )
        .file(&format!("{RC}/cons/consumer-for"), "prod\n")
        .enable("prod");
    let r = b.env("S6_SERVICES_GRACETIME", "6000").run(&sh("sleep 0.2"));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    assert!(
        r.took < std::time::Duration::from_secs(3),
        "took {:?}: {}",
        r.took,
        r.stderr()
    );

    let b = boot()
        .longrun("prod", "echo hello; exec sleep 1000", &["base"])
        .file(&format!("{RC}/prod/producer-for"), "cons\n")
        .file(&format!("{RC}/prod/notification-fd"), "three\n")
        .longrun("cons", "exec cat > /dev/null", &["base"])
        .file(&format!("{RC}/cons/consumer-for"), "prod\n")
        .enable("prod")
        .enable("cons");
    let r = b.env("S6_SERVICES_GRACETIME", "6000").run(&sh("sleep 0.2"));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    assert!(
        r.took < std::time::Duration::from_secs(3),
        "took {:?}: {}",
        r.took,
        r.stderr()
    );
}

/// The small truths of the init's log: a missing oneshot program is an
/// error, not "fatal", when the boot goes on; an `up` that a halt cancels is
/// reported as cancelled, not as a timeout; a failure of s6-overlay's own
/// pieces names no empty path; a services.d crash loop is logged once per
/// crash with the exit code.
#[test]
fn the_init_log_says_what_happened() {
    let b = boot()
        .oneshot("miss", "/nonexistent/scripts/missing", &["base"])
        .enable("miss")
        .script("etc/cont-init.d/10-fails", "#!/bin/sh\nexit 3\n");
    let r = b.env("S6_BEHAVIOUR_IF_STAGE2_FAILS", "1").run(&sh("true"));
    let err = r.stderr();
    assert_eq!(r.code(), Some(0), "{err}");
    assert!(
        err.contains("unable to run /nonexistent/scripts/missing"),
        "{err}"
    );
    assert!(!err.contains("fatal"), "{err}");
    assert!(!err.contains("()") && !err.contains(" in  "), "{err}");

    let b = boot()
        .env("S6_BEHAVIOUR_IF_STAGE2_FAILS", "2")
        .script("etc/cont-init.d/10-fails", "#!/bin/sh\nexit 3\n");
    let r = b.run(&sh("true"));
    assert_eq!(r.code(), Some(3), "{}", r.stderr());
    assert!(
        r.stderr()
            .contains("service legacy-cont-init: cont-init.d:"),
        "{}",
        r.stderr()
    );

    let b = boot()
        .oneshot("stuck", "sh -c \"trap '' TERM; sleep 5\"", &["base"])
        .enable("stuck");
    let run = b.run_dir().display().to_string();
    let r = b
        .env("S6_SERVICES_GRACETIME", "200")
        .env("S6_KILL_GRACETIME", "200")
        .script(
            "etc/cont-init.d/00-halt-soon",
            &format!(
                "#!/bin/sh\n(sleep 0.3; {}/halt) &\n",
                crate::support::chainit_bin().display()
            ),
        )
        .env("CHAINIT_RUN_DIR", &run)
        .run(&sh("true"));
    let err = r.stderr();
    assert!(err.contains("service stuck: cancelled"), "{err}");
    assert!(!err.contains("timeout-up"), "{err}");

    let b = boot().script("etc/services.d/crasher/run", "#!/bin/sh\nexit 7\n");
    let r = b.run(&sh("sleep 1.5"));
    let deaths = r
        .stderr()
        .matches("service crasher: ./run exited 7")
        .count();
    assert_eq!(deaths, 2, "{}", r.stderr());
}

/// The Home Assistant add-on shape: no CMD; the main longrun's `finish`
/// (0644, as some images ship it) writes its code into the exit-code file
/// and calls s6-overlay's halt: the container stops with that code.
#[test]
fn a_finish_script_halts_the_container_with_the_service_code() {
    let b = boot()
        .longrun("main", "sleep 0.2; exit 5", &["base"])
        .file(
            &format!("{RC}/main/finish"),
            "#!/bin/sh\necho \"$1\" > \"$CHAINIT_RUN_DIR/s6-linux-init-container-results/exitcode\"\nexec \"$CHAINIT_RUN_DIR/s6/basedir/bin/halt\"\n",
        )
        .enable("main");
    let r = b.run(&[]);
    assert_eq!(r.code(), Some(5), "{}", r.stderr());
    assert!(r.took < std::time::Duration::from_secs(3), "{:?}", r.took);
}

/// `chainit check` warns, with the file and line, when a script calls a
/// program of s6-overlay's /command that chainit does not provide (it would
/// stop at "not found"); names chainit has are not mentioned.
#[test]
fn check_warns_about_command_programs_chainit_lacks() {
    let b = boot()
        .script(
            "etc/cont-init.d/10-net",
            "#!/command/execlineb -P\nforeground { s6-echo ok }\ns6-dnsip4 example.org\n",
        )
        .script(
            "etc/services.d/web/run",
            "#!/bin/sh\nexec s6-tcpserver 0 80 app\n",
        )
        .oneshot("init-x", "s6-mkdir -p /tmp/x", &["base"])
        .enable("init-x");
    let (code, out, err) = check(&b.root);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        err.contains("calls s6-dnsip4, which s6-overlay ships in /"),
        "{err}"
    );
    assert!(err.contains("10-net:3:1"), "{err}");
    assert!(err.contains("calls s6-tcpserver"), "{err}");
    assert!(
        !err.contains("s6-echo,") && !err.contains("calls s6-mkdir"),
        "{err}"
    );
    assert!(out.contains("2 warning(s)"), "{out}");
}
