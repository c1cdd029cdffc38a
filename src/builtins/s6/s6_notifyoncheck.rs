//! `s6-notifyoncheck [-d] [-3 fd] [-s initial] [-T global] [-t local]
//! [-w wait] [-n n] [-c checkprog] prog...`: readiness for daemons that
//! cannot announce it. A child polls `./data/check` (or `checkprog`, an
//! execline command line) and writes the newline on the notification fd
//! once it succeeds; this process goes on as prog, the daemon.

use std::mem::ManuallyDrop;
use std::time::{Duration, Instant};

use nix::unistd::{ForkResult, fork};

use crate::builtins::options;
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::{Error, Result};
use crate::s6::fifodir::Listener;

pub const USAGE: &str = "s6-notifyoncheck [ -d ] [ -3 notiffd ] [ -s initialsleep ] [ -T globaltimeout ] [ -t localtimeout ] [ -w waitingtime ] [ -n n ] [ -c checkprog ] prog...";

struct Poll {
    fd: i32,
    initial: Duration,
    global: Option<Duration>,
    local: Option<Duration>,
    every: Duration,
    attempts: u64,
    check: Vec<Vec<u8>>,
    /// The service directory's fifodir, where its supervisor says "down":
    /// polling stops then, as s6's does. (Not the daemon's pid: what the
    /// run script started may exit long before the service goes down.)
    /// Only the poller unsubscribes: the daemon's side closes its copies of
    /// the fds and leaves the FIFO alone.
    down: Option<ManuallyDrop<Listener>>,
}

fn ms(n: u64) -> Option<Duration> {
    (n > 0).then(|| Duration::from_millis(n))
}

/// The poller's life; its exit code says how it ended (0 ready, 1 out of
/// attempts, 2 the daemon died, 3 timed out), though nobody reads it.
fn poll(p: &Poll, env: &Env) -> i32 {
    let start = Instant::now();
    std::thread::sleep(p.initial);
    let mut tries = 0u64;
    loop {
        if p.down.as_ref().is_some_and(|l| l.read().contains(&b'd')) {
            return 2;
        }
        if crate::chain::spawn::succeeds_within(&p.check, env, p.local) {
            // SAFETY: writes one byte to the notification fd we were given.
            unsafe { libc::write(p.fd, b"\n".as_ptr().cast(), 1) };
            return 0;
        }
        tries += 1;
        if p.attempts > 0 && tries >= p.attempts {
            return 1;
        }
        if p.global.is_some_and(|g| start.elapsed() + p.every >= g) {
            return 3;
        }
        std::thread::sleep(p.every);
    }
}

fn notification_fd() -> Option<i32> {
    let text = std::fs::read_to_string("notification-fd").ok()?;
    text.lines().next()?.trim().parse().ok()
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "d3:s:T:t:w:n:c:")?;
    let mut double = false;
    let mut fd = None;
    let (mut initial, mut global, mut local, mut every, mut attempts) = (10, 0, 0, 1000, 7);
    let mut check: Vec<Vec<u8>> = vec![b"./data/check".to_vec()];
    for (c, arg) in opts {
        let n = || arg.and_then(number).ok_or_else(crate::builtins::usage);
        match c {
            b'd' => double = true,
            b'3' => fd = Some(i32::try_from(n()?).map_err(|_| crate::builtins::usage())?),
            b's' => initial = n()?,
            b'T' => global = n()?,
            b't' => local = n()?,
            b'w' => every = n()?,
            b'n' => attempts = n()?,
            _ => {
                check = vec![
                    b"execlineb".to_vec(),
                    b"-Pc".to_vec(),
                    arg.unwrap_or_default().to_vec(),
                ]
            }
        }
    }
    let prog = argv[first + 1..].to_vec();
    if prog.is_empty() {
        return Err(crate::builtins::usage());
    }
    let fd = fd.or_else(notification_fd).ok_or_else(|| {
        Error::Refused(
            100,
            "no -3 option and no readable ./notification-fd file".into(),
        )
    })?;
    if !crate::chain::fd::is_open(fd) {
        return Err(Error::Failed(format!("notification fd {fd} is not open")));
    }
    let p = Poll {
        fd,
        initial: Duration::from_millis(initial),
        global: ms(global),
        local: ms(local),
        every: Duration::from_millis(every),
        attempts,
        check,
        // Subscribed before the fork, so no "down" can come unseen.
        down: Listener::subscribe(std::path::Path::new("event"))
            .ok()
            .map(ManuallyDrop::new),
    };
    let ours = p.down.as_ref().map(|l| l.raw_fds());
    let env_copy = env.clone();
    let work = move || {
        let code = poll(&p, &env_copy);
        if let Some(l) = p.down {
            drop(ManuallyDrop::into_inner(l));
        }
        std::process::exit(code)
    };
    if double {
        crate::chain::spawn::double_fork(work)?;
    } else {
        // SAFETY: chainit is single-threaded; the child only polls and exits.
        match unsafe { fork() } {
            Ok(ForkResult::Child) => work(),
            Ok(ForkResult::Parent { .. }) => {}
            Err(e) => return Err(Error::sys("fork", e)),
        }
    }
    // The daemon keeps neither the notification fd (the poller speaks for
    // it) nor the subscription: nothing is left behind for the next step.
    crate::chain::fd::close(fd);
    for fd in ours.into_iter().flatten() {
        crate::chain::fd::close(fd);
    }
    Ok(Step::Next(prog))
}
