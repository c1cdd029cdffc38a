//! Fault injection, as PID 1 in a PID namespace under a hard deadline:
//! garbage on the control FIFOs, no fds left, a run dir that cannot be
//! made, a stopped service, a run script that forks a thousand children, a
//! CMD without stdio, a logger on a full disk.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::test_init::{boot, sh};

#[test]
fn garbage_on_the_control_fifos_changes_nothing_and_floods_nothing() {
    let b = boot()
        .script("etc/services.d/a/run", "#!/bin/sh\nexec sleep 100\n")
        .script("etc/services.d/b/run", "#!/bin/sh\nexec sleep 100\n");
    let c = env!("CARGO_BIN_EXE_chainit");
    // Every byte but the commands, a MiB to each service; a MiB of anything
    // to the graph's control FIFO. Then the services still obey s6-svc.
    let cmd = format!(
        r#"R=$CHAINIT_RUN_DIR
        for s in a b; do head -c 1048576 /dev/urandom | tr -d 'abqhkti12pcyroduxODUQ' > $R/service/$s/supervise/control; done
        head -c 1048576 /dev/urandom > $R/s6-rc/control
        sleep 0.3; {c} status > /dev/null; echo status=$?
        s6-svc -wd -d $R/service/a; s6-svstat -o up $R/service/a
        s6-svc -wu -u $R/service/a; s6-svstat -o up $R/service/a"#
    );
    let start = Instant::now();
    let r = b.run(&sh(&cmd));
    assert_eq!(
        r.stdout(),
        "status=0\nfalse\ntrue\n",
        "{}",
        r.stderr().chars().take(3000).collect::<String>()
    );
    let said = r.stderr().matches("ignoring").count();
    assert!((2..200).contains(&said), "{said} lines about the garbage");
    assert!(start.elapsed() < Duration::from_secs(20));
}

/// `chainit init` as PID 1 under `sh -c 'ulimit -n N; exec …'`.
fn init_with_fd_limit(b: &crate::test_init::Boot, limit: u32, cmd: &str) -> std::process::Output {
    let mut c = crate::support::in_pid_namespace(60);
    let script = format!(
        "ulimit -n {limit}; exec {} init --root {} --run-dir {} -- sh -c \"$0\"",
        env!("CARGO_BIN_EXE_chainit"),
        b.root.display(),
        b.run_dir().display()
    );
    c.args(["sh", "-c", &script, cmd])
        .env(
            "PATH",
            format!("{}:/usr/bin:/bin", crate::support::chainit_bin().display()),
        )
        .stdin(Stdio::null());
    c.output().unwrap()
}

#[test]
fn out_of_fds_the_init_says_what_it_could_not_start_and_does_not_spin() {
    let mut b = boot();
    for i in 0..100 {
        b = b.script(
            &format!("etc/services.d/s{i:03}/run"),
            "#!/bin/sh\nexec sleep 100\n",
        );
    }
    let t = b.root.display().to_string();
    let c = env!("CARGO_BIN_EXE_chainit");
    // The init's CPU time (utime + stime, ticks) over two idle seconds.
    let cmd = format!(
        "sleep 1.5; {c} status > {t}/st 2>&1; echo status=$?; \
         a=$(cut -d' ' -f14,15 /proc/1/stat); sleep 2; b=$(cut -d' ' -f14,15 /proc/1/stat); \
         echo \"cpu $a $b\"; exit 5"
    );
    let out = init_with_fd_limit(&b, 64, &cmd);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(5), "{stdout}{stderr}");
    // Not all 100 could be started, and the status answer says so.
    assert!(stdout.contains("status=1"), "{stdout}");
    assert!(stderr.contains("No file descriptors available"), "{stderr}");
    let cpu: Vec<u64> = stdout
        .lines()
        .find_map(|l| l.strip_prefix("cpu "))
        .unwrap_or_else(|| panic!("{stdout}"))
        .split(' ')
        .map(|n| n.parse().unwrap())
        .collect();
    let used = (cpu[2] + cpu[3]) - (cpu[0] + cpu[1]);
    // 0.2 s over 10 s is 2%: at most 4 ticks (of 10 ms) over 2 s.
    assert!(used <= 4, "the init used {used} ticks in 2 idle seconds");
    let st = std::fs::read_to_string(b.root.join("st")).unwrap();
    assert!(
        st.lines().filter(|l| l.contains(" up ")).count() >= 3,
        "{st}"
    );
}

#[test]
fn the_cmd_starts_whatever_fd_the_services_leave_free() {
    // Services take fds until none is left, then the CMD is started: it
    // needs a pipe (two fds) and, with an odd or even number left over,
    // found none under some limits before the init kept a spare pair.
    let mut b = boot();
    for i in 0..100 {
        b = b.script(
            &format!("etc/services.d/s{i:03}/run"),
            "#!/bin/sh\nexec sleep 100\n",
        );
    }
    for limit in 40..52 {
        let _ = std::fs::remove_dir_all(b.run_dir());
        let out = init_with_fd_limit(&b, limit, "exit 5");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(5), "ulimit -n {limit}: {stderr}");
    }
}

/// Boots with `run_dir` as the run dir, the init started through `wrap`
/// (a command that ends by running its arguments): the init says once
/// that the run dir cannot be used, and the CMD still runs.
fn an_unusable_run_dir_is_said_once(wrap: &[&str], run_dir: &std::path::Path) {
    let b = boot().script("etc/services.d/a/run", "#!/bin/sh\nexec sleep 100\n");
    let mut c = crate::support::in_pid_namespace(60);
    c.args(wrap)
        .arg(env!("CARGO_BIN_EXE_chainit"))
        .args(["init", "--root"])
        .arg(&b.root)
        .arg("--run-dir")
        .arg(run_dir)
        .args(["--", "sh", "-c", "echo ran; exit 6"])
        .env(
            "PATH",
            format!("{}:/usr/bin:/bin", crate::support::chainit_bin().display()),
        );
    let out = c.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "ran\n");
    assert_eq!(stderr.matches("warning").count(), 1, "{stderr}");
    assert!(stderr.contains("cannot be used"), "{stderr}");
}

#[test]
fn a_run_dir_that_cannot_be_made_is_said_once_and_the_cmd_still_runs() {
    an_unusable_run_dir_is_said_once(&[], "/proc/chainit-cannot-be-here".as_ref());
}

/// A run dir on a read-only filesystem: as for one that cannot be made,
/// the init says so once, supervises nothing, and the CMD still runs.
#[test]
fn a_run_dir_on_a_read_only_filesystem_is_said_once_and_the_cmd_still_runs() {
    let ro = crate::support::scratch_dir("ro-run");
    // The mount is the namespace's own (unshare --mount-proc unshares mounts).
    let ro_str = ro.display().to_string();
    an_unusable_run_dir_is_said_once(
        &[
            "sh",
            "-c",
            "mount -t tmpfs -o ro tmpfs \"$0\" && exec \"$@\"",
            &ro_str,
        ],
        &ro,
    );
    let _ = std::fs::remove_dir_all(&ro);
}

#[test]
fn a_stopped_service_still_goes_down_and_a_thousand_children_are_reaped() {
    let b = boot()
        .script("etc/services.d/frozen/run", "#!/bin/sh\nexec sleep 100\n")
        .script(
            "etc/services.d/forker/run",
            "#!/bin/sh\ni=0\nwhile [ $i -lt 1000 ]; do (sleep 0.3 &); i=$((i+1)); done\nexec sleep 100\n",
        )
        .script(
            "etc/services.d/closer/run",
            "#!/bin/sh\nexec 1>&- 2>&-\nexec sleep 100\n",
        );
    let cmd = "R=$CHAINIT_RUN_DIR; sleep 0.3; kill -STOP $(s6-svstat -o pid $R/service/frozen); \
               s6-svc -wd -T 3000 -d $R/service/frozen; echo frozen=$(s6-svstat -o up $R/service/frozen); \
               sleep 2; echo zombies=$(ps -e -o stat= | grep -c '^Z'); \
               echo closer=$(s6-svstat -o up $R/service/closer)";
    let r = b.run(&sh(cmd));
    assert_eq!(
        r.stdout(),
        "frozen=false\nzombies=0\ncloser=true\n",
        "{}",
        r.stderr()
    );
}

#[test]
fn a_cmd_that_closes_its_stdio_is_still_waited_for() {
    let r = boot().run(&sh("exec 0<&- 1>&- 2>&-; sleep 0.2; exit 4"));
    assert_eq!(r.code(), Some(4));
}

/// A service writing 3000 numbered lines to `s6-log ARGS DIR`, DIR on a
/// tmpfs of `size_k` KiB that a filler of `filler_k` KiB leaves almost
/// full; after `wait` seconds the filler is removed, and `settle` seconds
/// later the archives and `current` are read. What `df` said before the
/// removal, everything the logdir then held in order, and the init's
/// stderr.
fn logger_on_a_small_disk(
    size_k: u32,
    filler_k: u32,
    args: &str,
    wait: f32,
    settle: f32,
) -> (String, String, String) {
    let b = boot();
    let l = b.root.join("logs").display().to_string();
    let b = b
        .script(
            "etc/cont-init.d/10-small-disk",
            &format!(
                "#!/bin/sh\nmkdir -p {l}\nmount -t tmpfs -o size={size_k}k tmpfs {l}\nmkdir {l}/gen\n\
                 dd if=/dev/zero of={l}/filler bs=1k count={filler_k} 2>/dev/null\n"
            ),
        )
        .script(
            "etc/services.d/gen/run",
            "#!/bin/sh\ni=0\nwhile [ $i -lt 3000 ]; do echo \"line $i\"; i=$((i+1)); done\nexec sleep 100\n",
        )
        .script(
            "etc/services.d/gen/log/run",
            &format!("#!/bin/sh\nexec s6-log {args} {l}/gen\n"),
        );
    let cmd = format!(
        "sleep {wait}; df -k {l} | tail -1; rm {l}/filler; sleep {settle}; \
         cat {l}/gen/@* {l}/gen/current > {}/all 2>/dev/null",
        b.root.display()
    );
    let r = b.run(&sh(&cmd));
    let got = std::fs::read_to_string(b.root.join("all")).unwrap_or_default();
    (r.stdout(), got, r.stderr())
}

fn numbered_lines(n: u32) -> String {
    (0..n).map(|i| format!("line {i}\n")).collect()
}

/// A logger whose disk is full blocks (its service then blocks on the
/// pipe); once space is freed, every line arrives, in order, once.
#[test]
fn a_logger_on_a_full_disk_loses_nothing() {
    let (df, got, stderr) = logger_on_a_small_disk(64, 56, "n2 s1000000", 1.0, 1.5);
    assert!(
        got == numbered_lines(3000),
        "{} lines of 3000, or out of order\n{df}{stderr}",
        got.lines().count()
    );
}

/// A logdir with a processor (`!cat`) filling up a small disk: rotations
/// and processors fail for want of room, the logger waits, and once room
/// is made every line is in the archives (processed or, where the
/// processor failed, as they were) and `current`, in order, once.
#[test]
fn rotation_and_a_processor_on_a_full_disk_lose_nothing() {
    let (df, got, stderr) = logger_on_a_small_disk(256, 200, "n100 s4096 !cat", 1.5, 2.5);
    assert!(
        got == numbered_lines(3000),
        "{} lines of 3000, or out of order\n{df}{stderr}",
        got.lines().count()
    );
    assert!(df.contains("100%"), "the disk never filled: {df}");
}

/// Ten services that sleep, under an init run as `uid` with at most
/// `nproc` processes for that uid (RLIMIT_NPROC), no CMD; the tree, the
/// run dir and the process (its output piped).
fn non_root_init_with_ten_services(
    uid: &str,
    nproc: u32,
) -> (
    crate::test_init::Boot,
    std::path::PathBuf,
    std::process::Child,
) {
    use std::os::unix::fs::PermissionsExt;
    let mut b = boot();
    for i in 0..10 {
        b = b.script(
            &format!("etc/services.d/s{i}/run"),
            "#!/bin/sh\nexec sleep 100\n",
        );
    }
    let run = b.run_dir();
    std::fs::create_dir_all(&run).unwrap();
    std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(&b.root, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut p = crate::support::in_pid_namespace(60);
    p.args(["prlimit", &format!("--nproc={nproc}:{nproc}")])
        .args(["setpriv", "--reuid", uid, "--regid", uid, "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_chainit"))
        .arg("init")
        .arg("--root")
        .arg(&b.root)
        .arg("--run-dir")
        .arg(&run)
        .env(
            "PATH",
            format!("{}:/usr/bin:/bin", crate::support::chainit_bin().display()),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = p.spawn().unwrap();
    (b, run, child)
}

/// A non-root init out of processes (RLIMIT_NPROC): the services it could
/// not fork are said, retried later (s6's ten seconds), and the init does
/// not spin meanwhile (its CPU time read from outside, over two seconds).
#[test]
fn out_of_processes_the_init_says_so_and_does_not_spin() {
    // nobody, with room for the init and a few of its services.
    let (_b, _run, child) = non_root_init_with_ten_services("65534", 6);
    std::thread::sleep(Duration::from_secs(1));
    let init = crate::support::descendants(child.id())
        .into_iter()
        .find(|&q| {
            std::fs::read_to_string(format!("/proc/{q}/comm")).is_ok_and(|c| c.trim() == "chainit")
        })
        .expect("the init");
    let ticks = || {
        let stat = std::fs::read_to_string(format!("/proc/{init}/stat")).unwrap();
        let f: Vec<u64> = stat
            .rsplit(") ")
            .next()
            .unwrap()
            .split(' ')
            .skip(11)
            .take(2)
            .map(|n| n.parse().unwrap())
            .collect();
        f[0] + f[1]
    };
    let before = ticks();
    std::thread::sleep(Duration::from_secs(2));
    let used = ticks() - before;
    // SAFETY: a signal to a process of this test.
    unsafe { libc::kill(init as i32, libc::SIGTERM) };
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        stderr.contains("unable to spawn ./run") && stderr.contains("trying again in 10 seconds"),
        "{stderr}"
    );
    assert!(used <= 4, "the init used {used} ticks in 2 seconds");
}

/// Fork failures end: a non-root init whose user has run out of processes
/// (other processes of the same uid hold them) starts what it can, and once
/// those processes are gone its next try (ten seconds on, as s6-supervise)
/// starts every service that could not be forked. Its own uid, so that no
/// other test's processes count against the limit.
#[test]
fn out_of_processes_the_init_recovers_when_processes_are_freed() {
    const UID: &str = "40123";
    // Eight processes of the uid, holding most of its limit of fourteen.
    let mut holders: Vec<std::process::Child> = (0..8)
        .map(|_| {
            // setpriv execs sleep: the child is the holder itself.
            let mut c = Command::new("setpriv");
            c.args(["--reuid", UID, "--regid", UID, "--clear-groups"]);
            c.args(["sleep", "60"]).spawn().unwrap()
        })
        .collect();
    let (_b, run, child) = non_root_init_with_ten_services(UID, 14);
    let up = || {
        (0..10)
            .filter(|i| {
                Command::new(crate::support::chainit_bin().join("s6-svstat"))
                    .args(["-o", "up"])
                    .arg(run.join(format!("service/s{i}")))
                    .output()
                    .is_ok_and(|o| o.stdout.starts_with(b"true"))
            })
            .count()
    };
    std::thread::sleep(Duration::from_secs(2));
    let before = up();
    for h in &mut holders {
        let _ = h.kill();
        let _ = h.wait();
    }
    // The retry comes ten seconds after the failed fork.
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut after = up();
    while after < 10 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(250));
        after = up();
    }
    let init = crate::support::descendants(child.id())
        .into_iter()
        .find(|&q| {
            std::fs::read_to_string(format!("/proc/{q}/comm")).is_ok_and(|c| c.trim() == "chainit")
        });
    if let Some(init) = init {
        // SAFETY: a signal to a process of this test.
        unsafe { libc::kill(init as i32, libc::SIGTERM) };
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        before < 10,
        "the limit left room for every service: {before} up\n{stderr}"
    );
    assert!(stderr.contains("trying again in 10 seconds"), "{stderr}");
    assert_eq!(
        after, 10,
        "{before} up, then {after} once processes were freed\n{stderr}"
    );
}

/// The init's timers run on CLOCK_MONOTONIC: with libfaketime moving its
/// wall clock an hour back, then a day ahead, a crashing service is still
/// restarted once a second (s6's throttle), no stall, no burst.
#[test]
fn wall_clock_jumps_do_not_move_the_timers() {
    let lib = std::fs::read_dir("/usr/lib")
        .unwrap()
        .flatten()
        .map(|e| e.path().join("faketime/libfaketime.so.1"))
        .find(|p| p.exists())
        .expect("libfaketime (scripts/test.sh installs faketime)");
    let b = boot();
    let starts = b.root.join("starts");
    let clock = b.root.join("faketime");
    std::fs::write(&clock, "+0\n").unwrap();
    let b = b
        .script(
            "etc/services.d/tick/run",
            &format!("#!/bin/sh\necho x >> {}\nexit 1\n", starts.display()),
        )
        .env("LD_PRELOAD", lib.to_str().unwrap())
        .env("FAKETIME_TIMESTAMP_FILE", clock.to_str().unwrap())
        .env("FAKETIME_NO_CACHE", "1")
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1");
    let c = clock.display();
    let r = b.run(&sh(&format!(
        "grep -q faketime /proc/1/maps || echo not-faked; sleep 1.2; echo -1h > {c}; \
         sleep 1.5; echo +1d > {c}; sleep 1.6"
    )));
    assert!(
        !r.stdout().contains("not-faked"),
        "libfaketime is not in the init"
    );
    let n = std::fs::read_to_string(&starts).unwrap().lines().count();
    // 4.3 s: starts at 0, 1, 2, 3 and 4 s.
    assert!((4..=6).contains(&n), "{n} starts in 4.3 s\n{}", r.stderr());
}

/// A logger killed with KILL 100 times while its service writes numbered
/// lines: the pipe between them is the supervisor's, so what the service
/// wrote while no logger ran waits there; what a logger had taken from it
/// waits in its spool. Every line arrives, in order and once, across the
/// archives each new s6-log makes of the `current` it finds unfinished
/// (`@….u`), the archives of rotations (every 4 KB, some cut short by a
/// KILL) and the last `current`. (s6-log loses what it had read;
/// `restart-backoff` brings the logger back in 5 ms instead of s6's one
/// second.)
#[test]
fn a_logger_killed_a_hundred_times_loses_and_doubles_nothing() {
    let b = boot();
    let logs = b.root.join("logs");
    let l = logs.display().to_string();
    let b = b
        .script(
            "etc/services.d/gen/run",
            "#!/bin/sh\ni=0\nwhile [ $i -lt 4000 ]; do echo \"line $i\"; i=$((i+1)); \
             [ $((i % 40)) -eq 0 ] && sleep 0.02; done\nexec sleep 100\n",
        )
        .script(
            "etc/services.d/gen/log/run",
            &format!("#!/bin/sh\nmkdir -p {l}\nexec s6-log n5000 s4096 {l}\n"),
        )
        .file("etc/services.d/gen/log/restart-backoff", "5 5\n");
    let cmd = format!(
        "R=$CHAINIT_RUN_DIR/service/gen/log; sleep 0.3; k=0; \
         while [ $k -lt 100 ]; do p=$(s6-svstat -o pid $R); \
           if [ \"$p\" -gt 0 ] 2>/dev/null; then kill -9 $p; k=$((k+1)); fi; sleep 0.02; done; \
         echo kills=$k; sleep 3; cat {l}/@* {l}/current > {}/current.copy",
        b.root.display()
    );
    let r = b.run(&sh(&cmd));
    assert!(
        r.stdout().contains("kills=100"),
        "{}{}",
        r.stdout(),
        r.stderr()
    );
    let got = std::fs::read_to_string(b.root.join("current.copy")).unwrap_or_default();
    let numbers: Vec<u32> = got
        .lines()
        .map(|l| {
            l.strip_prefix("line ")
                .and_then(|n| n.parse().ok())
                .unwrap_or(u32::MAX)
        })
        .collect();
    assert!(
        numbers.windows(2).all(|w| w[0] < w[1]),
        "doubled, out of order or changed"
    );
    let lost: Vec<u32> = (0..4000).filter(|n| !numbers.contains(n)).collect();
    assert!(lost.is_empty(), "lines lost: {lost:?}\n{}", r.stderr());
}
