//! `notify-socket`: systemd's readiness protocol (sd_notify), so daemons
//! that speak it need no wrapper. `run` gets `NOTIFY_SOCKET` naming a
//! datagram socket the init owns (in the abstract namespace: reachable
//! after a daemon drops privileges, with no file to clean up). A message
//! counts only from the service's own processes: its session (run is a
//! session leader) or the pid it named with `MAINPID=`. Understood:
//! `READY=1`, `STATUS=…`, `WATCHDOG=1` (with `watchdog-usec`), `MAINPID=`,
//! `STOPPING=1`, `ERRNO=`.

use std::io::IoSliceMut;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::Instant;

use nix::sys::socket::{
    AddressFamily, ControlMessageOwned, MsgFlags, SockFlag, SockType, UnixAddr, bind, recvmsg,
    setsockopt, socket, sockopt,
};

use super::Services;
use crate::chain::Env;
use crate::init::details::Health;
use crate::init::supervisor::{Action, Event};

pub(super) struct Notify {
    fd: OwnedFd,
    /// `NOTIFY_SOCKET`'s value: `@` and the abstract name.
    pub(super) name: String,
    main_pid: Option<i32>,
    watchdog_due: Option<Instant>,
}

impl Notify {
    /// A socket named after the service dir's device and inode, so that two
    /// inits on one machine (without network namespaces) never collide.
    pub(super) fn open(dir: &Path) -> Result<Self, String> {
        let m = std::fs::metadata(dir).map_err(|e| crate::error::describe(&e))?;
        let name = format!("chainit-notify/{}/{}", m.dev(), m.ino());
        let fd = socket(
            AddressFamily::Unix,
            SockType::Datagram,
            SockFlag::SOCK_CLOEXEC | SockFlag::SOCK_NONBLOCK,
            None,
        )
        .map_err(|e| e.desc().to_owned())?;
        let addr = UnixAddr::new_abstract(name.as_bytes()).map_err(|e| e.desc().to_owned())?;
        bind(fd.as_raw_fd(), &addr).map_err(|e| format!("bind @{name}: {}", e.desc()))?;
        setsockopt(&fd, sockopt::PassCred, &true).map_err(|e| e.desc().to_owned())?;
        Ok(Notify {
            fd,
            name: format!("@{name}"),
            main_pid: None,
            watchdog_due: None,
        })
    }

    pub(super) fn raw_fd(&self) -> i32 {
        self.fd.as_raw_fd()
    }

    pub(super) fn deadline(&self) -> Option<Instant> {
        self.watchdog_due
    }

    /// Every waiting datagram: its sender's pid and text.
    fn receive(&self) -> Vec<(i32, Vec<u8>)> {
        let mut out = Vec::new();
        loop {
            let mut buf = [0u8; 4096];
            // Room for fds too: `BARRIER=1` comes with one, which is
            // answered by closing it.
            let mut cmsg = nix::cmsg_space!(nix::sys::socket::UnixCredentials, [i32; 8]);
            let mut iov = [IoSliceMut::new(&mut buf)];
            let got = match recvmsg::<UnixAddr>(
                self.fd.as_raw_fd(),
                &mut iov,
                Some(&mut cmsg),
                MsgFlags::MSG_CMSG_CLOEXEC,
            ) {
                Ok(m) => {
                    let mut pid = None;
                    for c in m.cmsgs().into_iter().flatten() {
                        match c {
                            ControlMessageOwned::ScmCredentials(cr) => pid = Some(cr.pid()),
                            ControlMessageOwned::ScmRights(fds) => {
                                for fd in fds {
                                    // SAFETY: the kernel just gave us this fd; nothing else owns it.
                                    drop(unsafe {
                                        <OwnedFd as std::os::fd::FromRawFd>::from_raw_fd(fd)
                                    });
                                }
                            }
                            _ => {}
                        }
                    }
                    (m.bytes, pid)
                }
                Err(nix::errno::Errno::EINTR) => continue,
                Err(_) => return out,
            };
            if let (n, Some(pid)) = got {
                out.push((pid, buf[..n].to_vec()));
            }
        }
    }
}

impl Services {
    /// The environment `run` gets: the init's, plus `NOTIFY_SOCKET` (and
    /// `WATCHDOG_USEC`) for a service with `notify-socket`.
    pub(super) fn run_env(&self, i: usize, env: &Env) -> Option<Env> {
        let s = &self.list[i];
        let n = s.notify_socket.as_ref()?;
        let mut e = env.clone();
        e.set(b"NOTIFY_SOCKET".to_vec(), n.name.as_bytes().to_vec());
        if let Some(w) = s.lr.def.policy.watchdog {
            e.set(
                b"WATCHDOG_USEC".to_vec(),
                w.as_micros().to_string().into_bytes(),
            );
        }
        Some(e)
    }

    /// Service `i` started: a new instance, a new watchdog period.
    pub(super) fn notify_started(&mut self, i: usize, now: Instant) {
        let w = self.list[i].lr.def.policy.watchdog;
        if let Some(n) = &mut self.list[i].notify_socket {
            n.main_pid = None;
            n.watchdog_due = w.map(|w| now + w);
        }
    }

    pub(super) fn notify_stopped(&mut self, i: usize) {
        if let Some(n) = &mut self.list[i].notify_socket {
            n.watchdog_due = None;
            n.main_pid = None;
        }
    }

    /// The pid named by `MAINPID=`, if the service gave one.
    pub(super) fn main_pid(&self, i: usize) -> Option<i32> {
        self.list[i].notify_socket.as_ref().and_then(|n| n.main_pid)
    }

    /// `fd` is a notify socket: act on what its service says.
    pub(super) fn notify_readable(&mut self, fd: i32, env: &Env, mask: &libc::sigset_t) -> bool {
        let Some(i) = self
            .list
            .iter()
            .position(|s| s.notify_socket.as_ref().is_some_and(|n| n.raw_fd() == fd))
        else {
            return false;
        };
        let messages = self.list[i]
            .notify_socket
            .as_ref()
            .map(Notify::receive)
            .unwrap_or_default();
        for (pid, text) in messages {
            if !self.is_from_service(i, pid) {
                let name = self.list[i].name.clone();
                self.note(1, format!("service {name}: ignoring a notify message from pid {pid}, not one of its processes"));
                continue;
            }
            self.notify_message(i, &text, env, mask);
        }
        true
    }

    fn is_from_service(&self, i: usize, pid: i32) -> bool {
        let s = &self.list[i];
        let run = i32::try_from(s.lr.status.pid).unwrap_or(0);
        if run <= 0 || s.lr.state != crate::init::supervisor::State::Up {
            return false;
        }
        pid == run
            || Some(pid) == self.main_pid(i)
            || nix::unistd::getsid(Some(nix::unistd::Pid::from_raw(pid)))
                .is_ok_and(|sid| sid.as_raw() == run)
    }

    fn notify_message(&mut self, i: usize, text: &[u8], env: &Env, mask: &libc::sigset_t) {
        let text = String::from_utf8_lossy(text).into_owned();
        let mut actions = Vec::new();
        let mut ready = false;
        for line in text.lines() {
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            match key {
                "READY" if value == "1" => ready = true,
                "STATUS" => {
                    self.list[i].lr.details.notify_status = Some(value.to_owned());
                    actions.push(Action::WriteDetails);
                }
                "STOPPING" if value == "1" => {
                    self.list[i].lr.details.notify_status = Some("stopping".to_owned());
                    actions.push(Action::WriteDetails);
                }
                "ERRNO" => {
                    let why = value
                        .parse::<i32>()
                        .map(|n| nix::errno::Errno::from_raw(n).desc().to_owned())
                        .unwrap_or_else(|_| value.to_owned());
                    self.list[i].lr.details.notify_status = Some(format!("error: {why}"));
                    actions.push(Action::WriteDetails);
                }
                "MAINPID" => {
                    if let (Ok(p), Some(n)) =
                        (value.parse::<i32>(), &mut self.list[i].notify_socket)
                        && p > 0
                    {
                        n.main_pid = Some(p);
                    }
                }
                "WATCHDOG" if value == "1" => {
                    let w = self.list[i].lr.def.policy.watchdog;
                    if let (Some(w), Some(n)) = (w, &mut self.list[i].notify_socket) {
                        n.watchdog_due = Some(Instant::now() + w);
                        // A ping is a passed check; only a change is written.
                        self.list[i].health.failures = 0;
                        actions.extend(self.list[i].lr.health(Health::Healthy));
                    }
                }
                _ => {}
            }
        }
        if !actions.is_empty() && self.list[i].lr.def.policy.any() {
            actions.dedup();
            self.carry_out(i, actions, env, mask);
        }
        if ready && !self.list[i].lr.status.ready {
            self.feed(i, Event::Ready, env, mask);
        }
    }

    /// Watchdogs that ran out: each missed period counts as a failed health
    /// check (with the service's `health-retries`, else 3).
    pub(super) fn notify_on_time(&mut self, now: Instant, env: &Env, mask: &libc::sigset_t) {
        for i in 0..self.list.len() {
            let Some(w) = self.list[i].lr.def.policy.watchdog else {
                continue;
            };
            let missed = match &mut self.list[i].notify_socket {
                Some(n) if n.watchdog_due.is_some_and(|d| d <= now) => {
                    n.watchdog_due = Some(now + w);
                    true
                }
                _ => false,
            };
            if missed {
                let line = format!("no WATCHDOG=1 within {} us", w.as_micros());
                self.health_verdict(i, 1, line, false, env, mask);
            }
        }
    }
}
