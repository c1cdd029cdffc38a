//! The promises of docs/security.md, as PID 1 in a PID namespace: the run
//! dir's modes are s6's and nothing in it is world-writable, a non-root
//! process controls neither a service nor the init, a link planted in a
//! fifodir does not redirect the init's writes, privilege drops stop at
//! the first failure, and services get no variable of the init's own.

use crate::test_init::{boot, sh};

fn sleeper() -> crate::test_init::Boot {
    boot().script("etc/services.d/a/run", "#!/bin/sh\nexec sleep 100\n")
}

#[test]
fn the_run_dir_has_s6s_modes_and_nothing_world_writable() {
    let r = sleeper().run(&sh("sleep 0.3; S=$CHAINIT_RUN_DIR/service/a; \
         stat -c '%n %a %F' $S/supervise $S/supervise/control $S/supervise/lock \
           $S/supervise/status $S/supervise/death_tally $S/event $CHAINIT_RUN_DIR/s6-rc/control \
           | sed \"s|$CHAINIT_RUN_DIR/||\"; \
         find $CHAINIT_RUN_DIR -perm -o+w ! -type l -printf 'world-writable %p\\n'"));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    assert_eq!(
        r.stdout(),
        "service/a/supervise 700 directory\n\
         service/a/supervise/control 600 fifo\n\
         service/a/supervise/lock 644 regular empty file\n\
         service/a/supervise/status 644 regular file\n\
         service/a/supervise/death_tally 644 regular empty file\n\
         service/a/event 3730 directory\n\
         s6-rc/control 600 fifo\n"
    );
}

#[test]
fn a_non_root_process_controls_neither_a_service_nor_the_init() {
    let r = sleeper().run(&sh(
        "sleep 0.3; R=$CHAINIT_RUN_DIR; chmod 755 $(dirname $R) 2>/dev/null; \
         s6-setuidgid nobody ls $R/service/a > /dev/null && echo can-list; \
         s6-setuidgid nobody s6-svc -d $R/service/a 2>/dev/null; echo svc=$?; \
         s6-setuidgid nobody chainit svc -d a 2>/dev/null; echo chainit-svc=$?; \
         s6-setuidgid nobody halt 2>/dev/null; echo halt=$?; \
         s6-setuidgid nobody sh -c 'kill -TERM 1' 2>/dev/null; echo kill=$?; \
         sleep 0.3; echo up=$(s6-svstat -o up $R/service/a)",
    ));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    let out = r.stdout();
    assert!(out.starts_with("can-list\n"), "{out}");
    for refused in ["svc=", "chainit-svc=", "halt=", "kill="] {
        let code = out
            .lines()
            .find_map(|l| l.strip_prefix(refused))
            .unwrap_or_else(|| panic!("{out}"));
        assert_ne!(code, "0", "{refused}: {out}");
    }
    assert!(out.ends_with("up=true\n"), "{out}");
}

#[test]
fn a_link_or_file_planted_as_a_listener_is_never_written_through() {
    let b = sleeper();
    let victim = b.root.join("victim");
    std::fs::write(&victim, "untouched\n").unwrap();
    let planted = b.root.join("planted");
    std::fs::write(&planted, "planted\n").unwrap();
    let cmd = format!(
        "sleep 0.3; E=$CHAINIT_RUN_DIR/service/a/event; \
         ln -s {v} $E/ftrig1:@400000000000000000000000:aaaaaa; \
         cp {p} $E/ftrig1:@400000000000000000000000:bbbbbb; \
         s6-svc -r $CHAINIT_RUN_DIR/service/a; sleep 0.5; \
         cat $E/ftrig1:@400000000000000000000000:bbbbbb",
        v = victim.display(),
        p = planted.display()
    );
    let r = b.run(&sh(&cmd));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched\n");
    assert_eq!(r.stdout(), "planted\n");
}

#[test]
fn privilege_drops_clear_the_groups_and_stop_at_the_first_failure() {
    let r = boot().run(&sh(
        "s6-setuidgid nobody id -u; s6-setuidgid nobody id -G; \
         s6-setuidgid nobody s6-applyuidgid -u 0 -g 0 -G 0 echo ran; echo code=$?; \
         s6-setuidgid nobody s6-setuidgid root echo ran; echo code=$?",
    ));
    let nobody = std::process::Command::new("id")
        .args(["-u", "nobody"])
        .output()
        .unwrap();
    let nogroup = std::process::Command::new("id")
        .args(["-g", "nobody"])
        .output()
        .unwrap();
    let want = format!(
        "{}{}code=111\ncode=111\n",
        String::from_utf8_lossy(&nobody.stdout),
        String::from_utf8_lossy(&nogroup.stdout)
    );
    assert_eq!(r.stdout(), want, "{}", r.stderr());
}

#[test]
fn services_get_none_of_the_inits_own_variables() {
    let b = boot()
        .script(
            "etc/services.d/a/run",
            "#!/bin/sh\nenv > \"$0.env\" 2>&1\nexec sleep 100\n",
        )
        .env("S6_VERBOSITY", "2")
        .env("CHAINIT_LOG_PREFIX", "0")
        .env("SECRET_TOKEN", "hunter2");
    let r = b.run(&sh("sleep 0.4; true"));
    assert_eq!(r.code(), Some(0), "{}", r.stderr());
    let env = std::fs::read_to_string(b.root.join("etc/services.d/a/run.env"))
        .or_else(|_| std::fs::read_to_string(b.run_dir().join("service/a/run.env")))
        .unwrap();
    let mut names: Vec<&str> = env
        .lines()
        .filter_map(|l| l.split_once('=').map(|(k, _)| k))
        .filter(|k| !["PWD", "SHLVL", "_"].contains(k))
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        ["CHAINIT_CONTAINER_ENV", "CHAINIT_RUN_DIR", "PATH"],
        "{env}"
    );
}
