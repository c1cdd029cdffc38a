//! `posix-cd [-L|-P] [-|dir] [prog...]`: the POSIX `cd` utility: CDPATH,
//! `-` for OLDPWD, logical or physical paths, PWD and OLDPWD updated.

use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;

use crate::builtins::{options, split_at};
use crate::chain::{Env, Step};
use crate::error::{Error, Result, show};

pub const USAGE: &str = "posix-cd [ -L | -P ] [ - | path ] [ prog... ]";

/// Removes `.`, empty components and `dir/..` pairs without touching the
/// disk; a relative path stays relative (`.` when nothing is left).
fn canonical(path: &[u8]) -> Vec<u8> {
    let absolute = path.first() == Some(&b'/');
    let mut parts: Vec<&[u8]> = Vec::new();
    for c in path.split(|&b| b == b'/') {
        match c {
            b"" | b"." => {}
            b".." if parts.last().is_some_and(|p| *p != b"..") => {
                parts.pop();
            }
            b".." if absolute => {}
            other => parts.push(other),
        }
    }
    let mut out = if absolute { b"/".to_vec() } else { Vec::new() };
    out.extend(parts.join(&b'/'));
    if out.is_empty() {
        out.push(b'.');
    }
    out
}

fn is_dir(p: &[u8]) -> bool {
    std::fs::metadata(OsStr::from_bytes(p)).is_ok_and(|m| m.is_dir())
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "LP")?;
    let physical = opts.last().is_some_and(|(o, _)| *o == b'P');
    let mut rest = split_at(argv, i + 1);
    if rest.is_empty() {
        return Err(crate::builtins::usage());
    }
    let operand = rest.remove(0);
    let mut print = false;
    let dir = if operand == b"-" {
        print = true;
        env.get(b"OLDPWD")
            .map(<[u8]>::to_vec)
            .ok_or_else(crate::builtins::usage)?
    } else {
        operand.clone()
    };
    let mut target = dir.clone();
    let first = dir.split(|&b| b == b'/').next().unwrap_or_default();
    if dir.first() != Some(&b'/') && first != b"." && first != b".." {
        for entry in env.get(b"CDPATH").unwrap_or_default().split(|&b| b == b':') {
            let mut candidate = if entry.is_empty() {
                b".".to_vec()
            } else {
                entry.to_vec()
            };
            if candidate.last() != Some(&b'/') {
                candidate.push(b'/');
            }
            candidate.extend_from_slice(&dir);
            if env.get(b"CDPATH").is_some() && is_dir(&candidate) {
                print = true;
                target = candidate;
                break;
            }
        }
    }
    let old = nix::unistd::getcwd()
        .map(|p| p.as_os_str().as_bytes().to_vec())
        .unwrap_or_default();
    if !physical
        && target.first() != Some(&b'/')
        && let Some(pwd) = env.get(b"PWD").filter(|p| !p.is_empty())
    {
        let mut full = pwd.to_vec();
        full.push(b'/');
        full.extend_from_slice(&target);
        target = full;
    }
    if !physical {
        target = canonical(&target);
    }
    nix::unistd::chdir(OsStr::from_bytes(&target))
        .map_err(|e| Error::sys(format!("chdir to {}", show(&operand)), e))?;
    let new = if physical {
        nix::unistd::getcwd()
            .map_err(|e| Error::sys("get the current directory", e))?
            .as_os_str()
            .as_bytes()
            .to_vec()
    } else {
        target
    };
    if print {
        let mut line = new.clone();
        line.push(b'\n');
        let _ = std::io::stdout().write_all(&line);
    }
    env.set(b"OLDPWD".to_vec(), old);
    env.set(b"PWD".to_vec(), new);
    Ok(Step::Next(rest))
}
