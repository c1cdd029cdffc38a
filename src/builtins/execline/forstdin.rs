//! `forstdin [-E|-e] [-p|-o okcodes|-x breakcodes] [-N|-n] [-C|-c] [-0|-d delim] var loop...`:
//! run loop once per record read from stdin, as records arrive.

use nix::errno::Errno;

use super::forx::Loop;
use crate::builtins::{options, split_at};
use crate::chain::{Env, Step};
use crate::error::{Error, Result};
use crate::subst::transform::netstring_at;

pub const USAGE: &str = "forstdin [ -E | -e ] [ -p | -P maxpar | -o okcode,okcode,... | -x breakcode,breakcode,... ] [ -N | -n ] [ -C | -c ] [ -0 | -d delim ] var command...";

/// One record found at the front of the buffer.
struct Record {
    value: std::ops::Range<usize>,
    /// Nothing but the delimiter (what `-C` skips).
    empty: bool,
    next: usize,
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "EepP:o:x:NnCc0d:")?;
    let mut lp = Loop::default();
    let (mut chomp, mut crunch, mut delims) = (true, false, b"\n".to_vec());
    for (o, arg) in opts {
        if lp.option(o, arg)? {
            continue;
        }
        match o {
            b'N' => chomp = false,
            b'n' => chomp = true,
            b'C' => crunch = true,
            b'c' => crunch = false,
            b'0' => delims = vec![0],
            _ => delims = arg.unwrap_or_default().to_vec(),
        }
    }
    let mut rest = split_at(argv, i + 1);
    if rest.len() < 2 {
        return Err(crate::builtins::usage());
    }
    let var = rest.remove(0);
    let body = lp.body(&var, &rest);
    let netstrings = delims.is_empty();
    let split = |b: &[u8]| -> Result<Option<Record>> {
        if netstrings {
            return Ok(netstring_at(b)?.map(|(value, next)| Record {
                empty: value.is_empty(),
                value,
                next,
            }));
        }
        Ok(b.iter().position(|c| delims.contains(c)).map(|p| Record {
            value: 0..if chomp { p } else { p + 1 },
            empty: p == 0,
            next: p + 1,
        }))
    };
    let mut running = Vec::new();
    let mut processed = false;
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 8192];
    let mut eof = false;
    while !eof {
        let n = read_stdin(&mut chunk)?;
        eof = n == 0;
        buf.extend_from_slice(&chunk[..n]);
        let mut at = 0;
        let mut records = Vec::new();
        while let Some(r) = split(&buf[at..])? {
            if !(crunch && r.empty) {
                records.push(buf[at + r.value.start..at + r.value.end].to_vec());
            }
            at += r.next;
        }
        buf.drain(..at);
        if eof && !buf.is_empty() {
            if netstrings {
                return Err(Error::sys("decode netstring", Errno::EINVAL));
            }
            if !chomp && !crunch {
                records.push(std::mem::take(&mut buf));
            }
        }
        for mut value in records {
            if let Some(nul) = value.iter().position(|&b| b == 0) {
                value.truncate(nul);
            }
            processed = true;
            if let Some(code) = lp.instance(env, &var, value, body.clone(), &mut running)? {
                return Ok(Step::Exit(code));
            }
        }
    }
    lp.finish(running)?;
    Ok(Step::Exit(i32::from(!processed)))
}

fn read_stdin(buf: &mut [u8]) -> Result<usize> {
    loop {
        // SAFETY: fd 0 is only borrowed for this read.
        let fd0 = unsafe { std::os::fd::BorrowedFd::borrow_raw(0) };
        match nix::unistd::read(fd0, buf) {
            Err(Errno::EINTR) => {}
            Err(e) => return Err(Error::sys("read from stdin", e)),
            Ok(n) => return Ok(n),
        }
    }
}
