//! chainit's service policies beyond s6 (`essential`, `restart-backoff`,
//! `restart-limit`) and the probes of `chainit status`, booted as PID 1.

use crate::test_init::{Boot, boot, sh};

/// A services.d run script that notes each start's time (ns) in
/// ROOT/starts, then runs `body`.
fn counted(b: Boot, name: &str, body: &str) -> Boot {
    let starts = b.root.join("starts");
    let text = format!("#!/bin/sh\ndate +%s%N >> {}\n{body}\n", starts.display());
    b.script(&format!("etc/services.d/{name}/run"), &text)
}

fn starts(b: &Boot) -> Vec<u64> {
    std::fs::read_to_string(b.root.join("starts"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect()
}

#[test]
fn an_essential_service_that_dies_stops_the_container_with_its_code() {
    let b = counted(boot(), "db", "sleep 0.2; exit 7").file("etc/services.d/db/essential", "");
    let r = b.run(&["sleep", "30"]);
    assert_eq!(r.code(), Some(7), "{}", r.stderr());
    assert!(r.took.as_secs() < 5, "{:?}", r.took);
    assert_eq!(starts(&b).len(), 1, "not restarted without a restart-limit");
    assert!(
        r.stderr()
            .contains("service db is essential and stopped for good (exit 7)"),
        "{}",
        r.stderr()
    );
}

#[test]
fn an_essential_service_killed_by_a_signal_gives_128_plus_n() {
    let b =
        counted(boot(), "db", "sleep 0.2; kill -KILL $$").file("etc/services.d/db/essential", "");
    let r = b.run(&["sleep", "30"]);
    assert_eq!(r.code(), Some(137), "{}", r.stderr());
}

#[test]
fn an_essential_service_gives_up_after_its_restart_limit() {
    let b = counted(boot(), "db", "exit 4")
        .file("etc/services.d/db/essential", "")
        .file("etc/services.d/db/restart-limit", "3 60000\n")
        .file("etc/services.d/db/restart-backoff", "10 10\n");
    let r = b.run(&["sleep", "30"]);
    assert_eq!(r.code(), Some(4), "{}", r.stderr());
    assert_eq!(starts(&b).len(), 3);
}

#[test]
fn a_code_set_by_a_script_wins_over_an_essential_services() {
    let b = boot();
    let file = b.run_dir().join("s6-linux-init-container-results/exitcode");
    let b = counted(b, "db", "sleep 0.3; exit 7")
        .file("etc/services.d/db/essential", "")
        .script(
            "etc/cont-init.d/10-code",
            &format!("#!/bin/sh\necho 9 > {}\n", file.display()),
        );
    let r = b.run(&["sleep", "30"]);
    assert_eq!(r.code(), Some(9), "{}", r.stderr());
}

#[test]
fn a_service_that_is_not_essential_does_not_stop_the_container() {
    let b = counted(boot(), "db", "sleep 0.1; exit 7");
    let r = b.run(&sh("sleep 0.5; exit 3"));
    assert_eq!(r.code(), Some(3), "{}", r.stderr());
}

/// Start-to-start gaps: MIN, doubling, capped at MAX, each within 20%
/// (plus the few ms a start of `sh` takes). A loaded machine can only make
/// a gap longer, so a boot that overshoots is tried once more.
#[test]
fn restart_backoff_doubles_up_to_its_max() {
    let mut last = String::new();
    for _ in 0..2 {
        let b = counted(boot(), "flaky", "exit 1")
            .file("etc/services.d/flaky/restart-backoff", "100 400\n");
        let r = b.run(&sh("sleep 1.6"));
        assert_eq!(r.code(), Some(0), "{}", r.stderr());
        let t = starts(&b);
        let gaps: Vec<f64> = t.windows(2).map(|w| (w[1] - w[0]) as f64 / 1e6).collect();
        assert!(gaps.len() >= 4, "{gaps:?}");
        let wants = [100.0, 200.0, 400.0, 400.0];
        for (gap, want) in gaps.iter().zip(wants) {
            assert!(
                *gap >= want * 0.8,
                "gap {gap} ms, expected {want}: {gaps:?}"
            );
        }
        if gaps
            .iter()
            .zip(wants)
            .all(|(gap, want)| *gap <= want * 1.2 + 15.0)
        {
            return;
        }
        last = format!("{gaps:?}");
    }
    panic!("gaps over 120% of the backoff twice: {last}");
}

/// A service that stayed up RESET ms starts its next streak at MIN.
#[test]
fn restart_backoff_resets_after_a_long_enough_run() {
    // Runs 1-3 die at once; run 4 stays up 400 ms (> RESET 300) then dies.
    let n = "$(wc -l < STARTS)";
    let body = format!("if [ {n} -eq 4 ]; then sleep 0.4; fi; exit 1");
    // A loaded machine can stretch the run itself; a second try tells that
    // from a streak that did not reset (400 + 400 ms).
    let mut last = String::new();
    for _ in 0..2 {
        let b = boot();
        let body = body.replace("STARTS", &b.root.join("starts").display().to_string());
        let b = counted(b, "flaky", &body)
            .file("etc/services.d/flaky/restart-backoff", "100 1000 300\n");
        let r = b.run(&sh("sleep 1.6"));
        assert_eq!(r.code(), Some(0), "{}", r.stderr());
        let t = starts(&b);
        let gaps: Vec<f64> = t.windows(2).map(|w| (w[1] - w[0]) as f64 / 1e6).collect();
        assert!(gaps.len() >= 4, "{gaps:?}");
        // 100, 200, then 400 ms of run + 100 (a new streak), not 400 + 400.
        assert!(gaps[3] >= 400.0 + 80.0, "{gaps:?}");
        if gaps[3] <= 400.0 + 160.0 {
            return;
        }
        last = format!("{gaps:?}");
    }
    panic!("the fourth gap was over 560 ms twice: {last}");
}

/// Without restart-backoff, s6's one second between starts holds.
#[test]
fn a_malformed_policy_file_is_a_warning_and_the_default_applies() {
    let b = counted(boot(), "flaky", "exit 1")
        .file("etc/services.d/flaky/restart-backoff", "fast please\n");
    let r = b.run(&sh("sleep 1.5"));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    assert!(
        r.stderr().contains(
            "service flaky: restart-backoff line 1: expected MIN MAX [RESET], in ms: whole numbers"
        ),
        "{}",
        r.stderr()
    );
    let t = starts(&b);
    assert_eq!(t.len(), 2, "{t:?}");
    assert!(t[1] - t[0] >= 950_000_000, "{t:?}");
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_chainit"))
        .args(["check", "--root"])
        .arg(&b.root)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&check.stderr).into_owned()
        + &String::from_utf8_lossy(&check.stdout);
    assert!(text.contains("restart-backoff"), "{text}");
    assert!(text.contains("fast please"), "the line is shown: {text}");
}

fn status_after(b: Boot, pause: &str, args: &str) -> (i32, String) {
    let c = env!("CARGO_BIN_EXE_chainit");
    let t = b.root.display().to_string();
    let cmd =
        format!("sleep {pause}; {c} status {args} > {t}/st; r=$?; sed 's/  */ /g' {t}/st; exit $r");
    let r = b.run(&sh(&cmd));
    (r.code().unwrap_or(-1), r.stdout() + &r.stderr())
}

#[test]
fn a_service_that_gave_up_says_so_and_is_not_ready() {
    let b = counted(boot(), "flaky", "exit 2")
        .file("etc/services.d/flaky/restart-limit", "3 10000\n")
        .file("etc/services.d/flaky/restart-backoff", "20 20\n");
    let (code, out) = status_after(b, "0.5", "");
    assert_eq!(code, 1, "{out}");
    let row = out
        .lines()
        .find(|l| l.starts_with("flaky "))
        .unwrap_or_default();
    assert!(row.contains("gave up after 3 deaths in 10000 ms"), "{out}");
}

#[test]
fn status_json_has_restarts_and_the_next_start() {
    let b = counted(boot(), "flaky", "exit 2")
        .file("etc/services.d/flaky/restart-backoff", "300 300\n");
    let (_, out) = status_after(b, "0.45", "--json");
    assert!(out.contains("\"restarts\":1,"), "{out}");
    assert!(out.contains("\"next_start_ms\":1"), "{out}");
    assert!(out.contains("it is restarted in "), "{out}");
}

#[test]
fn live_and_ready_probes() {
    // Not ready (the service notifies and never says so), but live.
    let b = boot()
        .script("etc/services.d/slow/run", "#!/bin/sh\nexec sleep 100\n")
        .file("etc/services.d/slow/notification-fd", "3\n");
    let (code, out) = status_after(b, "0.2", "--live");
    assert_eq!(code, 0, "{out}");
    let b = boot()
        .script("etc/services.d/slow/run", "#!/bin/sh\nexec sleep 100\n")
        .file("etc/services.d/slow/notification-fd", "3\n");
    let (code, out) = status_after(b, "0.2", "--ready");
    assert_eq!(code, 1, "{out}");
}

/// A service `web` whose health check fails (printing "db down") while
/// ROOT/bad exists; checks every 100 ms, two failures make it unhealthy.
fn checked(action: Option<&str>) -> Boot {
    let b = boot();
    let bad = b.root.join("bad");
    let b = counted(b, "web", "exec sleep 100")
        .script(
            "etc/services.d/web/health-check",
            &format!(
                "#!/bin/sh\nif [ -e {} ]; then echo 'db down'; exit 1; fi\necho fine\n",
                bad.display()
            ),
        )
        .file("etc/services.d/web/health-interval", "100\n")
        .file("etc/services.d/web/health-retries", "2\n");
    match action {
        Some(a) => b.file("etc/services.d/web/health-action", a),
        None => b,
    }
}

#[test]
fn a_failing_health_check_restarts_the_service() {
    let b = checked(None).file("etc/services.d/web/restart-backoff", "10 10\n");
    let c = env!("CARGO_BIN_EXE_chainit");
    let t = b.root.display().to_string();
    let cmd = format!(
        "sleep 0.35; {c} status --json > {t}/healthy; echo healthy=$?; touch {t}/bad; sleep 0.6; \
         {c} status --json > {t}/after; echo after=$?"
    );
    let r = b.run(&sh(&cmd));
    let healthy = std::fs::read_to_string(b.root.join("healthy")).unwrap();
    assert!(r.stdout().contains("healthy=0"), "{}{healthy}", r.stdout());
    assert!(
        healthy.contains("\"health\":\"healthy\",\"health_exit\":0,\"health_output\":\"fine\""),
        "{healthy}"
    );
    assert!(
        starts(&b).len() >= 2,
        "restarted: {:?}\n{}",
        starts(&b),
        r.stderr()
    );
    assert!(
        r.stderr()
            .contains("service web: unhealthy after 2 failed checks; restarting it"),
        "{}",
        r.stderr()
    );
    let after = std::fs::read_to_string(b.root.join("after")).unwrap();
    assert!(after.contains("\"health_output\":\"db down\""), "{after}");
    assert!(r.stdout().contains("after=1"), "{}{after}", r.stdout());
}

#[test]
fn health_action_none_reports_without_restarting() {
    let b = checked(Some("none\n"));
    let c = env!("CARGO_BIN_EXE_chainit");
    let t = b.root.display().to_string();
    let cmd = format!(
        "touch {t}/bad; sleep 0.5; {c} status --ready > {t}/st; echo ready=$?; \
         {c} status --live > /dev/null; echo live=$?; sed 's/  */ /g' {t}/st"
    );
    let r = b.run(&sh(&cmd));
    let out = r.stdout();
    assert!(
        out.contains("ready=1") && out.contains("live=0"),
        "{out}{}",
        r.stderr()
    );
    let row = out
        .lines()
        .find(|l| l.starts_with("web "))
        .unwrap_or_default();
    assert!(
        row.contains(" unhealthy ") && row.ends_with("unhealthy: db down"),
        "{out}"
    );
    assert_eq!(starts(&b).len(), 1);
}

#[test]
fn a_health_check_that_hangs_is_killed_after_its_timeout() {
    let b = counted(boot(), "web", "exec sleep 100")
        .script(
            "etc/services.d/web/health-check",
            "#!/bin/sh\nexec sleep 5\n",
        )
        .file("etc/services.d/web/health-interval", "50\n")
        .file("etc/services.d/web/health-timeout", "100\n")
        .file("etc/services.d/web/health-action", "none\n");
    let c = env!("CARGO_BIN_EXE_chainit");
    let t = b.root.display().to_string();
    let r = b.run(&sh(&format!("sleep 0.45; {c} status --json > {t}/st")));
    let st = std::fs::read_to_string(b.root.join("st")).unwrap();
    assert!(
        st.contains("\"health_exit\":137,\"health_output\":\"timed out after 100 ms\""),
        "{st}{}",
        r.stderr()
    );
    assert!(r.took.as_secs() < 4, "{:?}", r.took);
}

/// tests/fixtures/notify_daemon.c, built once into a scratch dir.
fn notify_daemon() -> std::path::PathBuf {
    static BUILT: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let dir = crate::support::scratch_dir("notify-daemon");
            let exe = dir.join("notify_daemon");
            let src = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/notify_daemon.c"
            );
            let ok = std::process::Command::new("cc")
                .args(["-O2", "-o"])
                .arg(&exe)
                .arg(src)
                .status()
                .unwrap();
            assert!(ok.success(), "cc {src}");
            exe
        })
        .clone()
}

fn notifying(mode: &str) -> Boot {
    let d = notify_daemon();
    counted(boot(), "api", &format!("exec {} {mode}", d.display()))
        .file("etc/services.d/api/notify-socket", "")
}

#[test]
fn an_sd_notify_daemon_becomes_ready() {
    let b = notifying("ready");
    let c = env!("CARGO_BIN_EXE_chainit");
    let t = b.root.display().to_string();
    let cmd = format!(
        "sleep 0.15; {c} status > {t}/before; echo before=$?; {c} wait --for ready -t 3000 api; \
         echo waited=$?; {c} status > {t}/after; echo after=$?"
    );
    let r = b.run(&sh(&cmd));
    let before = std::fs::read_to_string(b.root.join("before")).unwrap();
    let after = std::fs::read_to_string(b.root.join("after")).unwrap();
    assert!(
        r.stdout().contains("before=1\nwaited=0\nafter=0"),
        "{}{}{before}{after}",
        r.stdout(),
        r.stderr()
    );
    assert!(before.contains("not ready yet: warming up"), "{before}");
    assert!(
        after
            .lines()
            .any(|l| l.starts_with("api ") && l.contains(" yes ")),
        "{after}"
    );
}

#[test]
fn a_notify_message_from_outside_the_service_is_ignored() {
    let b = notifying("never");
    let d = notify_daemon();
    let c = env!("CARGO_BIN_EXE_chainit");
    let sock = format!("{}/etc", b.root.display());
    // The CMD finds the socket's name in the service's environment.
    let cmd = format!(
        "sleep 0.2; pid=$(pgrep -x notify_daemon); \
         NOTIFY_SOCKET=$(tr '\\0' '\\n' < /proc/$pid/environ | sed -n 's/^NOTIFY_SOCKET=//p') {} once; \
         sleep 0.1; {c} status >/dev/null; echo ready=$? # {sock}",
        d.display()
    );
    let r = b.run(&sh(&cmd));
    assert!(
        r.stdout().contains("ready=1"),
        "{}{}",
        r.stdout(),
        r.stderr()
    );
    assert!(
        r.stderr()
            .contains("service api: ignoring a notify message from pid"),
        "{}",
        r.stderr()
    );
}

#[test]
fn a_missed_watchdog_restarts_the_service_and_pings_keep_it() {
    // No pings: three missed 100 ms periods, then a restart.
    let b = notifying("ready")
        .file("etc/services.d/api/watchdog-usec", "100000\n")
        .file("etc/services.d/api/restart-backoff", "10 10\n");
    let r = b.run(&sh("sleep 0.9"));
    assert!(starts(&b).len() >= 2, "{:?}\n{}", starts(&b), r.stderr());
    assert!(
        r.stderr()
            .contains("service api: unhealthy after 3 failed checks; restarting it"),
        "{}",
        r.stderr()
    );
    // Pings every 50 ms once ready (300 ms in: one period missed before
    // the first): never restarted.
    let b = notifying("ping")
        .file("etc/services.d/api/watchdog-usec", "200000\n")
        .file("etc/services.d/api/restart-backoff", "10 10\n");
    let r = b.run(&sh("sleep 0.9"));
    assert_eq!(starts(&b).len(), 1, "{}", r.stderr());
}

fn events(b: &Boot) -> Vec<String> {
    std::fs::read_to_string(b.run_dir().join("s6/chainit-events"))
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The event log tells the whole story: up, down with its code, the
/// restart scheduled, the give-up, and the halt with what asked for it.
#[test]
fn the_event_log_tells_what_happened_in_order() {
    let b = counted(boot(), "db", "sleep 0.1; exit 3")
        .file("etc/services.d/db/essential", "")
        .file("etc/services.d/db/restart-limit", "2 10000\n")
        .file("etc/services.d/db/restart-backoff", "50 50\n");
    let r = b.run(&["sleep", "30"]);
    assert_eq!(r.code(), Some(3), "{}", r.stderr());
    let kinds: Vec<String> = events(&b)
        .iter()
        .filter(|l| l.contains("\"service\":\"db\"") || l.contains("\"event\":\"halt\""))
        .map(|l| {
            let k = l.split("\"event\":\"").nth(1).unwrap_or_default();
            k.split('"').next().unwrap_or_default().to_owned()
        })
        .collect();
    assert_eq!(
        kinds,
        ["up", "down", "restart", "up", "down", "gave_up", "halt"],
        "{:#?}",
        events(&b)
    );
    let all = events(&b).join("\n");
    assert!(
        all.contains("\"event\":\"down\",\"service\":\"db\",\"exit\":3"),
        "{all}"
    );
    assert!(
        all.contains("\"by\":\"service db, essential, stopped for good with 3\""),
        "{all}"
    );
}

#[test]
fn status_watch_prints_changes_as_they_happen() {
    let b = boot();
    let go = b.root.join("go");
    let b = counted(
        b,
        "web",
        &format!(
            "while [ ! -e {} ]; do sleep 0.02; done; exit 1",
            go.display()
        ),
    )
    .file("etc/services.d/web/restart-backoff", "100 100\n");
    let c = env!("CARGO_BIN_EXE_chainit");
    let t = b.root.display().to_string();
    let cmd = format!(
        "{c} status --watch > {t}/watched & w=$!; sleep 0.3; touch {t}/go; sleep 0.5; kill $w"
    );
    let r = b.run(&sh(&cmd));
    let watched = std::fs::read_to_string(b.root.join("watched")).unwrap();
    let lines: Vec<&str> = watched.lines().collect();
    assert!(lines.len() >= 3, "{watched}{}", r.stderr());
    assert!(
        lines[0].contains("\"event\":\"down\",\"service\":\"web\",\"exit\":1"),
        "{watched}"
    );
    assert!(
        lines[1].contains("\"event\":\"restart\",\"service\":\"web\",\"in_ms\":"),
        "{watched}"
    );
    assert!(
        lines[2].contains("\"event\":\"up\",\"service\":\"web\",\"pid\":"),
        "{watched}"
    );
}

/// s6's bridge from a notification fd to NOTIFY_SOCKET (READY=1, MAINPID,
/// then BARRIER=1 with an fd) works with notify-socket.
#[test]
fn s6_notify_socket_from_fd_makes_a_notify_socket_service_ready() {
    let b = boot()
        .script(
            "etc/services.d/api/run",
            "#!/bin/sh\nexec s6-notify-socket-from-fd -d 3 sh -c 'sleep 0.2; echo >&3; exec sleep 100'\n",
        )
        .file("etc/services.d/api/notify-socket", "");
    let c = env!("CARGO_BIN_EXE_chainit");
    let r = b.run(&sh(&format!(
        "{c} status >/dev/null; echo before=$?; {c} wait --for ready -t 3000 api; echo waited=$?"
    )));
    assert!(
        r.stdout().contains("before=1\nwaited=0"),
        "{}{}",
        r.stdout(),
        r.stderr()
    );
}
