//! `s6-socklog [-d notif] [-r] [-U | -u uid -g gid -G gidlist] [-l linelen]
//! [-t lameducktimeout] [-x socket | -i ip_port]`: a syslogd front end. It
//! binds a datagram socket (`/dev/log` by default), drops its privileges,
//! and prints every message it receives as one line on stdout, with the
//! `<N>` prefix turned into `facility.priority: ` (unless `-r`). On SIGTERM
//! it stops reading and exits once its buffer is written (0), or when the
//! lame-duck timeout passes first (99).

use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::os::fd::AsRawFd;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixDatagram;
use std::time::{Duration, Instant};

use super::s6_applyuidgid::{apply, from_env, groups, id};
use crate::builtins::options;
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, show};
use crate::s6::syslog;

pub const USAGE: &str = "s6-socklog [ -d notif ] [ -r ] [ -U | -u uid -g gid -G gidlist ] [ -l linelen ] [ -t lameducktimeout ] [ -x socket | -i ip_port ]";

enum Source {
    Local(UnixDatagram),
    Udp(UdpSocket),
}

struct Options {
    raw: bool,
    notif: Option<i32>,
    linelen: usize,
    lameduck: Option<Duration>,
    uid: u32,
    gid: u32,
    gidlist: Option<Vec<u32>>,
    unix: Option<Vec<u8>>,
    udp: Option<SocketAddr>,
}

/// `ip`, `ip_port`, or for IPv4 also `ip:port`; the port defaults to 514.
fn udp_address(text: &[u8]) -> Option<SocketAddr> {
    let text = std::str::from_utf8(text).ok()?;
    let port = |p: &str| p.parse::<u16>().ok();
    if let Some((ip, p)) = text.split_once('_') {
        return Some(SocketAddr::new(ip.parse().ok()?, port(p)?));
    }
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(SocketAddr::new(ip, 514));
    }
    let (ip, p) = text.rsplit_once(':')?;
    Some(SocketAddr::new(
        IpAddr::V4(ip.parse::<Ipv4Addr>().ok()?),
        port(p)?,
    ))
}

fn parse(env: &Env, argv: &[Vec<u8>]) -> Result<Options> {
    let (opts, _) = options(&argv[1..], "rd:l:t:u:g:G:Ux:i:")?;
    let usage = crate::builtins::usage;
    let mut o = Options {
        raw: false,
        notif: None,
        linelen: 1024,
        lameduck: None,
        uid: 0,
        gid: 0,
        gidlist: None,
        unix: Some(b"/dev/log".to_vec()),
        udp: None,
    };
    for (c, arg) in opts {
        let arg = arg.unwrap_or_default();
        let num = || number(arg).ok_or_else(usage);
        match c {
            b'r' => o.raw = true,
            b'd' => o.notif = Some(num()?).filter(|&n| n != 0).map(|n| n as i32),
            b'l' => o.linelen = num()?.clamp(76, 1 << 20) as usize,
            b't' => o.lameduck = Some(num()?).filter(|&t| t > 0).map(Duration::from_millis),
            b'u' => o.uid = id(arg).ok_or_else(usage)?,
            b'g' => o.gid = id(arg).ok_or_else(usage)?,
            b'G' => o.gidlist = Some(groups(arg).ok_or_else(usage)?),
            b'U' => {
                o.uid = from_env(env, "UID", id)?;
                o.gid = from_env(env, "GID", id)?;
                o.gidlist = Some(from_env(env, "GIDLIST", groups)?);
            }
            b'x' => (o.unix, o.udp) = (Some(arg.to_vec()), None),
            _ => (o.unix, o.udp) = (None, Some(udp_address(arg).ok_or_else(usage)?)),
        }
    }
    Ok(o)
}

fn valid_fd(fd: i32) -> bool {
    // SAFETY: F_GETFD only reads the descriptor's flags.
    unsafe { libc::fcntl(fd, libc::F_GETFD) >= 0 }
}

fn bind(o: &Options) -> Result<Source> {
    let fail = |what: String, e: std::io::Error| {
        Error::Failed(format!("unable to {what}: {}", crate::error::describe(&e)))
    };
    if let Some(addr) = o.udp {
        let what = || format!("bind socket to ip {} port {}", addr.ip(), addr.port());
        let sock = UdpSocket::bind(addr).map_err(|e| fail(what(), e))?;
        sock.set_nonblocking(true).map_err(|e| fail(what(), e))?;
        return Ok(Source::Udp(sock));
    }
    let path = std::path::PathBuf::from(show(o.unix.as_deref().unwrap_or(b"/dev/log")));
    let what = || format!("bind socket to {}", path.display());
    // A socket left by an earlier instance is replaced.
    let _ = std::fs::remove_file(&path);
    let sock = UnixDatagram::bind(&path).map_err(|e| fail(what(), e))?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o777))
        .map_err(|e| fail(what(), e))?;
    sock.set_nonblocking(true).map_err(|e| fail(what(), e))?;
    Ok(Source::Local(sock))
}

/// Appends one message as a log line: trailing NULs and newlines dropped,
/// inner ones made `~`, an ellipsis after a message that did not fit.
fn format_line(out: &mut Vec<u8>, msg: &[u8], truncated: bool, raw: bool) {
    let mut end = msg.len();
    while end > 0 && matches!(msg[end - 1], 0 | b'\n') {
        end -= 1;
    }
    let line: Vec<u8> = msg[..end]
        .iter()
        .map(|&b| if b == 0 || b == b'\n' { b'~' } else { b })
        .collect();
    let mut rest = &line[..];
    if !raw && let Some((names, skip)) = syslog::names(rest) {
        out.extend_from_slice(names.as_bytes());
        rest = &rest[skip..];
    }
    out.extend_from_slice(rest);
    if truncated {
        out.extend_from_slice(b"...");
    }
    out.push(b'\n');
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let o = parse(env, &argv)?;
    if let Some(n) = o.notif {
        if n < 3 {
            return Err(Error::Invalid("notification fd must be 3 or more".into()));
        }
        if !valid_fd(n) {
            return Err(Error::Refused(
                100,
                "invalid notification fd: Bad file descriptor".into(),
            ));
        }
    }
    // SAFETY: closing stdin, which this program never reads.
    unsafe { libc::close(0) };
    for (fd, name) in [(1, "stdout"), (2, "stderr")] {
        if !valid_fd(fd) {
            return Err(Error::Refused(
                100,
                format!("invalid {name}: Bad file descriptor"),
            ));
        }
    }
    let source = bind(&o)?;
    apply(o.uid, o.gid, o.gidlist.as_deref())?;
    let caught = crate::sig::Caught::new(&[libc::SIGTERM])
        .map_err(|e| Error::sys("trap signals", crate::error::errno_of(&e)))?;
    // SAFETY: SIG_IGN installs no handler code.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
    if let Some(n) = o.notif {
        let _ = crate::builtins::execline::dollarat::write_all(n, b"\n");
        // SAFETY: the notification fd is ours to close once used.
        unsafe { libc::close(n) };
    }
    Ok(Step::Exit(serve(&o, &source, &caught)?))
}

/// The receive loop; returns the exit code.
fn serve(o: &Options, source: &Source, caught: &crate::sig::Caught) -> Result<i32> {
    let capacity = o.linelen * 4;
    let mut out: Vec<u8> = Vec::with_capacity(capacity);
    let mut msg = vec![0u8; o.linelen + 1];
    let mut stop_by: Option<Option<Instant>> = None;
    let sock_fd = match source {
        Source::Local(s) => s.as_raw_fd(),
        Source::Udp(s) => s.as_raw_fd(),
    };
    while stop_by.is_none() || !out.is_empty() {
        let reading = stop_by.is_none() && out.len() + o.linelen + 80 <= capacity;
        let mut fds = [
            libc::pollfd {
                fd: caught.raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: 1,
                events: if out.is_empty() { 0 } else { libc::POLLOUT },
                revents: 0,
            },
            libc::pollfd {
                fd: sock_fd,
                events: if reading { libc::POLLIN } else { 0 },
                revents: 0,
            },
        ];
        let timeout = match stop_by {
            Some(Some(deadline)) => {
                let left = deadline.saturating_duration_since(Instant::now());
                i32::try_from(left.as_millis()).unwrap_or(i32::MAX)
            }
            _ => -1,
        };
        // SAFETY: three valid pollfds for the duration of the call.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), 3, timeout) };
        if n < 0 {
            continue;
        }
        if n == 0 {
            return Ok(99);
        }
        if fds[0].revents != 0 && caught.take().contains(&libc::SIGTERM) && stop_by.is_none() {
            stop_by = Some(o.lameduck.map(|t| Instant::now() + t));
        }
        if fds[1].revents != 0 && !out.is_empty() {
            // A pipe said writable takes a page without blocking.
            let chunk = out.len().min(4096);
            // SAFETY: writes bytes of our own buffer.
            let w = unsafe { libc::write(1, out.as_ptr().cast(), chunk) };
            if w > 0 {
                out.drain(..w as usize);
            } else if w < 0 {
                let e = nix::errno::Errno::last();
                if !matches!(e, nix::errno::Errno::EAGAIN | nix::errno::Errno::EINTR) {
                    return Err(Error::sys("write to stdout", e));
                }
            }
        }
        if reading && fds[2].revents != 0 {
            let got = match source {
                Source::Local(s) => s.recv(&mut msg).map(|n| (n, None)),
                Source::Udp(s) => s.recv_from(&mut msg).map(|(n, a)| (n, Some(a))),
            };
            match got {
                // An empty datagram carries no line; the original dies on
                // one, which would let any local process stop the syslogd.
                Ok((0, _)) => {}
                Ok((len, from)) => {
                    if let Some(a) = from {
                        out.extend_from_slice(format!("{}_{}: ", a.ip(), a.port()).as_bytes());
                    }
                    format_line(&mut out, &msg[..len], len == msg.len(), o.raw);
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Error::sys("recv", crate::error::errno_of(&e))),
            }
        }
    }
    Ok(0)
}
