//! `RUN/s6-rc/`: the init's service graph as clients reach it. `names`
//! lists what a request can name (`NAME KIND` lines); a client writes one
//! request line `VERB REPLY [ARGS…]` into the `control` FIFO, REPLY being a
//! FIFO of its own in the same directory, and reads one answer line there:
//! `CODE [TEXT]`, 0 meaning done. Verbs: `u`/`d`/`D`/`p` change the graph,
//! `l` lists what is up, `m x|u|d NAMES` expands names, `s` reports every
//! service (records split by tabs, fields by 0x1f — see `Record`).

use std::os::fd::AsRawFd;
use std::path::Path;

use crate::s6::files;

/// A request line as the init reads it: the verb, the client's reply FIFO
/// and the arguments; `None` when the line has no verb or no reply.
pub fn parse_request(line: &str) -> Option<(&str, &Path, Vec<&str>)> {
    let mut words = line.split_whitespace();
    let (verb, reply) = (words.next()?, words.next()?);
    Some((verb, Path::new(reply), words.collect()))
}

/// Answers a client; one that has gone away is not waited for.
pub fn answer(reply: &Path, text: &str) {
    if let Ok(fd) = files::open_fifo_writer(reply) {
        let _ = nix::unistd::write(&fd, format!("{text}\n").as_bytes());
    }
}

/// The client side: sends `VERB REPLY REST` (the reply FIFO made here) and
/// reads the init's one-line answer as its code (0: done) and the rest,
/// giving up at `timeout` ms (TimedOut).
pub fn ask(dir: &Path, request: &str, timeout: Option<u64>) -> std::io::Result<(i32, String)> {
    use nix::fcntl::OFlag;
    use std::time::{Duration, Instant};
    let reply = dir.join(format!("reply.{}", std::process::id()));
    let _ = std::fs::remove_file(&reply);
    nix::unistd::mkfifo(&reply, nix::sys::stat::Mode::from_bits_truncate(0o600))?;
    let result = (|| {
        // Open for reading first, so the init's non-blocking open succeeds.
        let r = files::open(&reply, OFlag::O_RDONLY | OFlag::O_NONBLOCK, 0)?;
        let ctl = files::open(&dir.join("control"), OFlag::O_WRONLY | OFlag::O_NONBLOCK, 0)?;
        let (verb, rest) = request.split_once(' ').unwrap_or((request, ""));
        let line = format!("{verb} {} {rest}\n", reply.display());
        nix::unistd::write(&ctl, line.as_bytes())?;
        let deadline = timeout.map(|ms| Instant::now() + Duration::from_millis(ms));
        let mut got = Vec::new();
        loop {
            if crate::poll::readable(&[r.as_raw_fd()], deadline).is_empty() {
                if deadline.is_some_and(|d| d <= Instant::now()) {
                    return Err(std::io::ErrorKind::TimedOut.into());
                }
                continue;
            }
            let more = files::drain(&r);
            if more.is_empty() {
                return Err(std::io::Error::other(
                    "the init closed the reply unanswered",
                ));
            }
            got.extend(more);
            if got.contains(&b'\n') {
                let line = String::from_utf8_lossy(&got).trim_end().to_owned();
                let (code, text) = line.split_once(' ').unwrap_or((&line, ""));
                return match code.parse::<i32>() {
                    Ok(code) => Ok((code, text.to_owned())),
                    Err(_) => Err(std::io::Error::other(format!("unexpected answer: {line}"))),
                };
            }
        }
    })();
    let _ = std::fs::remove_file(&reply);
    result
}

/// One service as the init reports it for `chainit status`.
pub struct Record {
    pub name: String,
    /// `longrun` or `oneshot`.
    pub kind: String,
    /// `down`, `starting`, `up`, `failed` or `stopping`.
    pub state: String,
    pub wanted_up: bool,
    /// The last exit code of its `up` (or of its cont-init.d script).
    pub code: Option<i32>,
    /// Why it is not up, in words (empty when it is).
    pub why: String,
}

impl Record {
    /// The wire form of a list of records.
    pub fn encode(records: &[Record]) -> String {
        let one = |r: &Record| {
            let code = r.code.map_or("-".to_owned(), |c| c.to_string());
            let why: String = r.why.chars().filter(|c| *c >= ' ').collect();
            format!(
                "{}\x1f{}\x1f{}\x1f{}\x1f{code}\x1f{why}",
                r.name,
                r.kind,
                r.state,
                u8::from(r.wanted_up)
            )
        };
        records.iter().map(one).collect::<Vec<_>>().join("\t")
    }

    /// Reads the wire form back; malformed records are skipped.
    pub fn decode(text: &str) -> Vec<Record> {
        text.split('\t')
            .filter_map(|rec| {
                let f: Vec<&str> = rec.split('\x1f').collect();
                let [name, kind, state, wanted, code, why] = f[..] else {
                    return None;
                };
                Some(Record {
                    name: name.to_owned(),
                    kind: kind.to_owned(),
                    state: state.to_owned(),
                    wanted_up: wanted == "1",
                    code: code.parse().ok(),
                    why: why.to_owned(),
                })
            })
            .collect()
    }
}
