//! `s6-applyuidgid [-z] [-u uid] [-g gid] [-G gidlist] [-U] prog...`: drop to
//! the given ids, then prog. s6-setuidgid ends here too.

use nix::unistd::{Gid, Uid};

use super::s6_envuidgid::id_list;
use crate::builtins::{options, split_at};
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::{Error, Result};

pub const USAGE: &str = "s6-applyuidgid [ -z ] [ -u uid ] [ -g gid ] [ -G gidlist ] [ -U ] prog...";

/// A whole decimal id, no sign and no trailing garbage.
pub(super) fn id(s: &[u8]) -> Option<u32> {
    number(s).and_then(|n| u32::try_from(n).ok())
}

/// A `-G` list: empty means "no supplementary groups".
pub(super) fn groups(s: &[u8]) -> Option<Vec<u32>> {
    if s.is_empty() {
        return Some(Vec::new());
    }
    id_list(s)
}

pub(super) fn from_env<T>(env: &Env, name: &str, parse: impl Fn(&[u8]) -> Option<T>) -> Result<T> {
    let value = env
        .get(name.as_bytes())
        .ok_or_else(|| Error::Refused(100, format!("{name} not set")))?;
    parse(value).ok_or_else(|| Error::Refused(100, format!("invalid ${name}")))
}

/// Sets the supplementary groups (with `gid`, or the current egid for 0,
/// first), then the gid, then the uid; 0 leaves an id alone. Stops at the
/// first failure, so a failed drop never goes on with more privileges.
pub fn apply(uid: u32, gid: u32, list: Option<&[u32]>) -> Result<()> {
    if let Some(list) = list {
        let first = if gid != 0 {
            gid
        } else {
            nix::unistd::getegid().as_raw()
        };
        // The primary gid moves to the front (its first copy), as skalibs does.
        let mut ids = list.to_vec();
        if let Some(at) = ids.iter().position(|&g| g == first) {
            ids.remove(at);
        }
        ids.insert(0, first);
        let all: Vec<Gid> = ids.into_iter().map(Gid::from_raw).collect();
        nix::unistd::setgroups(&all).map_err(|e| Error::sys("set supplementary group list", e))?;
    }
    if gid != 0 {
        nix::unistd::setgid(Gid::from_raw(gid)).map_err(|e| Error::sys("setgid", e))?;
    }
    if uid != 0 {
        nix::unistd::setuid(Uid::from_raw(uid)).map_err(|e| Error::sys("setuid", e))?;
    }
    Ok(())
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "zUu:g:G:")?;
    let (mut uid, mut gid, mut list) = (0, 0, None);
    let mut unexport = false;
    for (o, arg) in opts {
        let arg = arg.unwrap_or_default();
        match o {
            b'z' => unexport = true,
            b'u' => uid = id(arg).ok_or_else(crate::builtins::usage)?,
            b'g' => gid = id(arg).ok_or_else(crate::builtins::usage)?,
            b'G' => list = Some(groups(arg).ok_or_else(crate::builtins::usage)?),
            _ => {
                uid = from_env(env, "UID", id)?;
                gid = from_env(env, "GID", id)?;
                list = Some(from_env(env, "GIDLIST", groups)?);
            }
        }
    }
    let rest = split_at(argv, i + 1);
    if rest.is_empty() {
        return Err(crate::builtins::usage());
    }
    apply(uid, gid, list.as_deref())?;
    if unexport {
        for name in [&b"UID"[..], b"GID", b"GIDLIST"] {
            env.unset(name);
        }
    }
    Ok(Step::Next(rest))
}
