//! s6-socklog: datagrams in, log lines out, readiness, privileges and the
//! SIGTERM exit. The expected lines were checked against s6 2.15's
//! s6-socklog (the one s6-overlay 3.2.3.2 ships): set S6_OVERLAY_COMMAND to
//! its directory to run these tests against it.

use std::io::Read;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixDatagram;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::support::{chainit_bin, scratch_dir};

fn program(name: &str) -> PathBuf {
    match std::env::var_os("S6_OVERLAY_COMMAND") {
        Some(dir) => PathBuf::from(dir).join(name),
        None => chainit_bin().join(name),
    }
}

/// Makes the child's fd 3 a copy of `fd` (inherited), before it execs.
fn fd3_from(cmd: &mut Command, fd: i32) {
    // SAFETY: dup2 in the child before exec, on fds it inherited.
    unsafe {
        cmd.pre_exec(move || {
            if libc::dup2(fd, 3) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// Starts s6-socklog with `args`, its stdout on `stdout` and readiness on
/// fd 3; returns once it said it is ready.
fn start_to(args: &[&str], env: &[(&str, &str)], stdout: Stdio) -> Child {
    let (ready_r, ready_w) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).unwrap();
    let mut cmd = Command::new(program("s6-socklog"));
    cmd.args(["-d3"]).args(args).envs(env.iter().copied());
    cmd.stdout(stdout).stderr(Stdio::piped());
    fd3_from(&mut cmd, ready_w.as_raw_fd());
    let child = cmd.spawn().unwrap();
    drop(ready_w);
    let mut ready = std::fs::File::from(ready_r);
    let mut byte = [0u8; 1];
    assert_eq!(ready.read(&mut byte).unwrap(), 1, "no readiness");
    assert_eq!(&byte, b"\n");
    child
}

fn start(args: &[&str], env: &[(&str, &str)]) -> Child {
    start_to(args, env, Stdio::piped())
}

fn stop(child: Child) -> (i32, String, String) {
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn send(sock: &std::path::Path, messages: &[&[u8]]) {
    let client = UnixDatagram::unbound().unwrap();
    for m in messages {
        client.send_to(m, sock).unwrap();
    }
    std::thread::sleep(Duration::from_millis(200));
}

#[test]
fn socklog_turns_datagrams_into_lines() {
    let dir = scratch_dir("socklog-lines");
    let sock = dir.join("log");
    let child = start(&["-x", sock.to_str().unwrap()], &[]);
    let mode = std::fs::metadata(&sock).unwrap();
    assert!(std::os::unix::fs::FileTypeExt::is_socket(&mode.file_type()));
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode.permissions()) & 0o777,
        0o777
    );
    send(
        &sock,
        &[
            b"<13>hello",
            b"<0>emerg",
            b"<191>x",
            b"<192>bad",
            b"<12>warning",
            b"<84>authpriv",
            b"<7>debug\n\n",
            b"a\x00b\nc\x00\x00",
            b"no code",
            b"<13>",
            b"<abc>z",
            b"<013>lead",
            b"<1234>big",
            b"<-1>neg",
            b"<99999999999>x",
            b"<3>Jan  1 00:00:00 prog[12]: msg",
            b"<14>\n",
        ],
    );
    let (code, out, err) = stop(child);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        "user.notice: hello\nkern.emerg: emerg\nlocal7.debug: x\nmark.emerg: bad\n\
         user.warn: warning\nauthpriv.warn: authpriv\nkern.debug: debug\na~b~c\nno code\n\
         user.notice: \n<abc>z\nuser.notice: lead\nunknown.crit: big\n<-1>neg\n\
         <99999999999>x\nkern.err: Jan  1 00:00:00 prog[12]: msg\nuser.info: \n"
    );
}

#[test]
fn socklog_marks_truncated_messages_and_keeps_raw_codes() {
    let dir = scratch_dir("socklog-long");
    let sock = dir.join("log");
    let child = start(&["-r", "-l", "80", "-x", sock.to_str().unwrap()], &[]);
    let long = [b'x'; 100];
    send(&sock, &[&long, &[b'y'; 81], &[b'z'; 80], b"<13>raw"]);
    let (code, out, _) = stop(child);
    assert_eq!(code, 0);
    let lens: Vec<usize> = out.lines().map(str::len).collect();
    assert_eq!(lens, [84, 84, 80, 7]);
    assert!(out.lines().next().unwrap().ends_with("x..."));
    assert!(out.ends_with("<13>raw\n"));
}

#[test]
fn socklog_replaces_a_stale_socket_and_drops_privileges() {
    let dir = scratch_dir("socklog-uid");
    let sock = dir.join("log");
    std::fs::write(&sock, "stale").unwrap();
    let env = [("UID", "65534"), ("GID", "65534"), ("GIDLIST", "65534")];
    let child = start(&["-U", "-x", sock.to_str().unwrap()], &env);
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
    let ids: Vec<&str> = status
        .lines()
        .filter(|l| l.starts_with("Uid:") || l.starts_with("Gid:") || l.starts_with("Groups:"))
        .collect();
    assert_eq!(
        ids,
        [
            "Uid:\t65534\t65534\t65534\t65534",
            "Gid:\t65534\t65534\t65534\t65534",
            "Groups:\t65534 "
        ]
    );
    send(&sock, &[b"<13>after drop"]);
    assert_eq!(
        stop(child),
        (0, "user.notice: after drop\n".into(), String::new())
    );
}

#[test]
fn socklog_lame_duck_gives_up_on_a_stuck_stdout() {
    let dir = scratch_dir("socklog-stuck");
    let sock = dir.join("log");
    let (read_end, write_end) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).unwrap();
    // Nobody reads the pipe, and it is full before the logger starts.
    let filler = write_end.try_clone().unwrap();
    nix::fcntl::fcntl(
        &filler,
        nix::fcntl::FcntlArg::F_SETFL(nix::fcntl::OFlag::O_NONBLOCK),
    )
    .unwrap();
    while nix::unistd::write(&filler, &[b'f'; 4096]).is_ok() {}
    let args = ["-t", "300", "-x", sock.to_str().unwrap()];
    let mut child = start_to(&args, &[], Stdio::from(write_end));
    let client = UnixDatagram::unbound().unwrap();
    client.set_nonblocking(true).unwrap();
    let line = [b'q'; 1000];
    for _ in 0..3 {
        let _ = client.send_to(&line, &sock);
    }
    std::thread::sleep(Duration::from_millis(200));
    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(99));
    drop(read_end);
}

#[test]
fn socklog_refuses_bad_setups() {
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let out = Command::new(program("s6-socklog"))
            .args(args)
            .env_remove("UID")
            .envs(env.iter().copied())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        (
            out.status.code().unwrap(),
            err.lines().next().unwrap_or("").to_string(),
        )
    };
    assert_eq!(
        run(&["-d", "1"], &[]),
        (
            100,
            "s6-socklog: fatal: notification fd must be 3 or more".into()
        )
    );
    assert_eq!(
        run(&["-d", "7", "-x", "/nonexistent/sock"], &[]),
        (
            100,
            "s6-socklog: fatal: invalid notification fd: Bad file descriptor".into()
        )
    );
    assert_eq!(
        run(&["-U", "-x", "/nonexistent/sock"], &[]),
        (100, "s6-socklog: fatal: UID not set".into())
    );
    assert_eq!(run(&["-x", "/nonexistent/sock"], &[]), (111, "s6-socklog: fatal: unable to bind socket to /nonexistent/sock: No such file or directory".into()));
    let usage = "s6-socklog: usage: s6-socklog [ -d notif ] [ -r ] [ -U | -u uid -g gid -G gidlist ] [ -l linelen ] [ -t lameducktimeout ] [ -x socket | -i ip_port ]";
    assert_eq!(run(&["-i", "1.2.3"], &[]), (100, usage.into()));
    assert_eq!(run(&["-l", "x"], &[]), (100, usage.into()));
    assert_eq!(run(&["-z"], &[]), (100, usage.into()));
}

#[test]
fn socklog_over_udp_prefixes_the_sender() {
    let child = start(&["-i", "127.0.0.1_51514"], &[]);
    let client = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = client.local_addr().unwrap().port();
    client.send_to(b"<13>over udp", "127.0.0.1:51514").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let (code, out, _) = stop(child);
    assert_eq!(
        (code, out),
        (0, format!("127.0.0.1_{port}: user.notice: over udp\n"))
    );
}

/// A syslogd tree of the shape of s6-overlay's syslogd-overlay: a prepare
/// oneshot (a `/bin/sh -e` script making the log directories with s6-mkdir,
/// s6-envuidgid, s6-chown and s6-chmod), s6-socklog as the producer with
/// readiness, privileges from s6-envuidgid, and an s6-log consumer whose
/// script comes from S6_LOGGING_SCRIPT and sorts lines by facility. The
/// shebangs name chainit's execlineb where s6-overlay's build writes
/// `/command`. Booted as PID 1 with a private /dev (s6-socklog binds
/// /dev/log) and /var/log; the CMD logs with `logger`.
#[test]
fn a_syslogd_overlay_tree_routes_messages_by_facility() {
    use crate::test_graph::RC;
    let root = scratch_dir("syslogd");
    let bin = chainit_bin().display().to_string();
    let write = |rel: &str, text: &str, mode: u32| {
        let at = root.join(rel);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::fs::write(&at, text).unwrap();
        std::fs::set_permissions(&at, std::os::unix::fs::PermissionsExt::from_mode(mode)).unwrap();
    };
    let prepare = root.join("package/admin/s6-overlay-3.2.3.2/etc/s6-rc/scripts/syslogd-prepare");
    write(
        prepare.strip_prefix(&root).unwrap().to_str().unwrap(),
        "#!/bin/sh -e\n\
         top=/var/log/syslogd\n\
         parts='auth errors everything'\n\
         s6-mkdir -p -m 0755 \"$top\"\n\
         cd \"$top\"\n\
         s6-mkdir -p -m 0755 $parts\n\
         u=`s6-envuidgid -D 32761:32761: -- nosuchlogger importas UID UID s6-echo '$UID'`\n\
         g=`s6-envuidgid -D 32761:32761: -- nosuchlogger importas GID GID s6-echo '$GID'`\n\
         for d in $parts . ; do s6-chown -u \"$u\" -g \"$g\" -- \"$d\"; s6-chmod 02755 \"$d\"; done\n\
         s6-chmod 02750 auth\n",
        0o755,
    );
    let files: &[(&str, String)] = &[
        ("syslogd-prepare/type", "oneshot\n".into()),
        ("syslogd-prepare/up", format!("{}\n", prepare.display())),
        ("syslogd-prepare/dependencies.d/base", String::new()),
        ("syslogd/type", "longrun\n".into()),
        ("syslogd/notification-fd", "3\n".into()),
        ("syslogd/producer-for", "syslogd-log\n".into()),
        ("syslogd/dependencies.d/syslogd-prepare", String::new()),
        (
            "syslogd/run",
            format!(
                "#!{bin}/execlineb -P\n\ns6-envuidgid -D 32760:32760: -- nosuchsyslog\ns6-socklog -d3 -U -t3000\n"
            ),
        ),
        ("syslogd-log/type", "longrun\n".into()),
        ("syslogd-log/notification-fd", "3\n".into()),
        ("syslogd-log/consumer-for", "syslogd\n".into()),
        ("syslogd-log/pipeline-name", "syslogd-pipeline\n".into()),
        ("syslogd-log/dependencies.d/syslogd-prepare", String::new()),
        (
            "syslogd-log/run",
            format!(
                "#!{bin}/execlineb -P\n\n\
                 s6-envuidgid -D 32761:32761: -- nosuchlogger\n\
                 s6-applyuidgid -U --\n\
                 backtick -D \"n20 s1000000\" line {{ printcontenv S6_LOGGING_SCRIPT }}\n\
                 multisubstitute\n{{\n  importas -usC T line\n  define dir /var/log/syslogd\n}}\n\
                 exec -c\n\
                 s6-log -d3 --\n\n\
                 \x20- +^auth\\\\. +^authpriv\\\\.  $T ${{dir}}/auth\n\
                 \x20- +^[[:alnum:]]*\\\\.err:  $T ${{dir}}/errors\n\
                 \x20+ -^auth\\\\. -^authpriv\\\\.  $T ${{dir}}/everything\n"
            ),
        ),
        ("syslogd-bundle/type", "bundle\n".into()),
        ("syslogd-bundle/contents.d/syslogd-prepare", String::new()),
        ("syslogd-bundle/contents.d/syslogd-pipeline", String::new()),
        ("user/type", "bundle\n".into()),
        ("user/contents.d/syslogd-bundle", String::new()),
    ];
    for (rel, text) in files {
        let mode = if rel.ends_with("/run") { 0o755 } else { 0o644 };
        write(&format!("{RC}/{rel}"), text, mode);
    }
    let cmd = "logger -p auth.info secret-word; logger -p daemon.notice daemon-word; \
               logger -p user.err user-error; \
               for i in $(seq 100); do grep -q user-error /var/log/syslogd/everything/current 2>/dev/null && break; sleep 0.05; done; \
               for d in auth errors everything; do echo \"$d:$(grep -o -e secret-word -e daemon-word -e user-error /var/log/syslogd/$d/current | tr '\\n' ' ')\"; done; \
               stat -c '%u %a' /var/log/syslogd/auth; \
               grep -q '^[0-9-]* [0-9:.]*  auth.info: ' /var/log/syslogd/auth/current && echo stamped";
    let setup = format!(
        "set -e; mkdir -p {r}/hostdev; mount --bind /dev {r}/hostdev; mount -t tmpfs tmpfs /dev; \
         for n in null zero full random urandom; do touch /dev/$n; mount --bind {r}/hostdev/$n /dev/$n; done; \
         mount -t tmpfs tmpfs /var/log; \
         exec {init} init --root {r} --run-dir {r}/run -- sh -c \"$0\"",
        r = root.display(),
        init = env!("CARGO_BIN_EXE_chainit"),
    );
    let out = crate::support::in_pid_namespace(60)
        .args(["sh", "-c", &setup, cmd])
        .env_clear()
        .env("PATH", format!("{bin}:/usr/bin:/bin:/usr/sbin:/sbin"))
        .env("S6_LOGGING_SCRIPT", "n2 s100000 T")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "auth:secret-word \nerrors:user-error \neverything:daemon-word user-error \n32761 2750\nstamped\n",
        "{stderr}"
    );
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

/// Runs `s6-notify-fd-from-socket -3 3 ARGS sh -c SCRIPT` with fd 3 the
/// write end of a pipe; returns the read end and the child.
fn notify_from_socket(
    args: &[&str],
    script: &str,
    dir: &std::path::Path,
) -> (std::fs::File, Child) {
    let (r, w) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).unwrap();
    let mut cmd = Command::new(program("s6-notify-fd-from-socket"));
    cmd.args(["-3", "3"])
        .args(args)
        .args(["sh", "-c", script])
        .current_dir(dir);
    fd3_from(&mut cmd, w.as_raw_fd());
    let child = cmd.spawn().unwrap();
    drop(w);
    (std::fs::File::from(r), child)
}

fn send_abstract(name: &str, msg: &[u8]) {
    use std::os::linux::net::SocketAddrExt;
    let addr =
        std::os::unix::net::SocketAddr::from_abstract_name(name.trim_start_matches('@')).unwrap();
    UnixDatagram::unbound()
        .unwrap()
        .send_to_addr(msg, &addr)
        .unwrap();
}

/// A daemon speaking sd_notify gets NOTIFY_SOCKET; its `READY=1` becomes
/// the newline s6 reads on the notification fd; what comes before does not.
#[test]
fn notify_fd_from_socket_turns_ready_into_a_newline() {
    let dir = scratch_dir("notify-socket");
    let (mut pipe, mut child) =
        notify_from_socket(&[], "echo \"$NOTIFY_SOCKET\" > sock; exec sleep 3", &dir);
    let sock = loop {
        if let Ok(s) = std::fs::read_to_string(dir.join("sock"))
            && s.ends_with('\n')
        {
            break s.trim().to_string();
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(sock.starts_with('@') && sock.len() == 6, "{sock}");
    send_abstract(&sock, b"STATUS=starting");
    send_abstract(&sock, b"MAINPID=1\nREADY=1");
    let mut got = [0u8; 4];
    assert_eq!(pipe.read(&mut got).unwrap(), 1);
    assert_eq!(&got[..1], b"\n");
    assert_eq!(pipe.read(&mut got).unwrap(), 0, "the helper is gone");
    child.kill().unwrap();
    child.wait().unwrap();
}

/// No READY=1: the helper leaves when prog dies, or at the timeout, and
/// never writes.
#[test]
fn notify_fd_from_socket_gives_up_without_ready() {
    let dir = scratch_dir("notify-none");
    for (args, script) in [(&[][..], "exit 0"), (&["-t", "200"][..], "exec sleep 2")] {
        let (mut pipe, mut child) = notify_from_socket(args, script, &dir);
        let start = std::time::Instant::now();
        let mut got = Vec::new();
        pipe.read_to_end(&mut got).unwrap();
        assert!(got.is_empty(), "{got:?}");
        assert!(
            start.elapsed() < Duration::from_millis(1500),
            "{:?}",
            start.elapsed()
        );
        let _ = child.kill();
        child.wait().unwrap();
    }
}

#[test]
fn notify_fd_from_socket_checks_its_fd() {
    let dir = scratch_dir("notify-bad");
    let run = |args: &[&str]| {
        let out = Command::new(program("s6-notify-fd-from-socket"))
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr)
            .lines()
            .next()
            .unwrap_or("")
            .to_string();
        (out.status.code().unwrap(), err)
    };
    let me = "s6-notify-fd-from-socket: fatal:";
    assert_eq!(
        run(&["true"]),
        (
            111,
            format!("{me} unable to read ./notification-fd: No such file or directory")
        )
    );
    std::fs::write(dir.join("notification-fd"), "x\n").unwrap();
    assert_eq!(
        run(&["true"]),
        (100, format!("{me} invalid ./notification-fd"))
    );
    std::fs::write(dir.join("notification-fd"), "9\n").unwrap();
    assert_eq!(
        run(&["true"]),
        (
            111,
            format!("{me} notification-fd sanity check failed: Bad file descriptor")
        )
    );
    assert_eq!(
        run(&["-3", "x", "true"]),
        (
            100,
            format!("{me} notification-fd must be an unsigned integer")
        )
    );
    assert_eq!(
        run(&["--timeout=x", "true"]),
        (100, format!("{me} timeout must be an unsigned integer"))
    );
    assert_eq!(
        run(&["-z", "true"]),
        (100, format!("{me} unrecognized short option: z"))
    );
    assert_eq!(run(&[]).0, 100);
}

/// A daemon writing s6's newline on fd 3 under a manager listening on
/// NOTIFY_SOCKET: the manager gets READY=1 and the daemon's pid, and the
/// daemon does not see NOTIFY_SOCKET (unless `-k`).
#[test]
fn notify_socket_from_fd_sends_ready() {
    let dir = scratch_dir("notify-from-fd");
    let path = dir.join("notify");
    let manager = UnixDatagram::bind(&path).unwrap();
    manager
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    for (keep, seen) in [(false, "unset"), (true, "/")] {
        let mut cmd = Command::new(program("s6-notify-socket-from-fd"));
        cmd.args(["-d", "3"]);
        if keep {
            cmd.arg("-k");
        }
        let mut child = cmd
            .args([
                "sh",
                "-c",
                "echo ${NOTIFY_SOCKET:-unset} > seen; sleep 0.1; echo >&3; exec sleep 2",
            ])
            .env("NOTIFY_SOCKET", &path)
            .current_dir(&dir)
            .spawn()
            .unwrap();
        let mut buf = [0u8; 256];
        let n = manager.recv(&mut buf).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&buf[..n]),
            format!("READY=1\nMAINPID={}\n", child.id())
        );
        // Then the barrier, with an fd the manager closes.
        let n = manager.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"BARRIER=1\n");
        let shown = std::fs::read_to_string(dir.join("seen")).unwrap();
        assert!(shown.starts_with(seen), "{shown}");
        child.kill().unwrap();
        child.wait().unwrap();
    }
    // No manager: prog just runs.
    let out = Command::new(program("s6-notify-socket-from-fd"))
        .args(["echo", "plain"])
        .env_remove("NOTIFY_SOCKET")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "plain\n");
}

/// s6-logwatch prints `current`, follows it, and goes on with the new
/// `current` after a rotation, the old file's tail first. (The reference
/// holds its output in a buffer, so these two are chainit's own: killed,
/// it loses the last lines.)
#[test]
fn logwatch_follows_current_across_rotations() {
    use std::io::Write;
    let dir = scratch_dir("logwatch");
    std::fs::write(dir.join("current"), "one\n").unwrap();
    let mut child = Command::new(program("s6-logwatch"))
        .arg(&dir)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let step = || std::thread::sleep(Duration::from_millis(150));
    step();
    let append = |text: &str| {
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(dir.join("current"))
            .unwrap();
        f.write_all(text.as_bytes()).unwrap();
    };
    append("two\n");
    step();
    // A rotation as s6-log does it: the tail, a rename, a new file.
    append("three\n");
    std::fs::rename(dir.join("current"), dir.join("@400000006b0f48f502fb4c88.s")).unwrap();
    std::fs::write(dir.join("current"), "four\n").unwrap();
    step();
    append("five\n");
    step();
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "one\ntwo\nthree\nfour\nfive\n"
    );
}

#[test]
fn logwatch_waits_for_current_and_refuses_a_missing_dir() {
    let dir = scratch_dir("logwatch-empty");
    let mut child = Command::new(program("s6-logwatch"))
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(150));
    std::fs::write(dir.join("current"), "first\n").unwrap();
    std::thread::sleep(Duration::from_millis(150));
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "first\n");
    let out = Command::new(program("s6-logwatch"))
        .arg("/nonexistent")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(111));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "s6-logwatch: fatal: unable to chdir to /nonexistent: No such file or directory\n"
    );
}
