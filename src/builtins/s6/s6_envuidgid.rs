//! `s6-envuidgid [-i | -D uid:gid:gidlist] [-u | -g | -B] [-n] account prog...`:
//! export an account's UID, GID and GIDLIST for a later s6-applyuidgid.

use crate::builtins::{options, split_at};
use crate::chain::{Env, Step};
use crate::error::{Error, Result, show};
use crate::users;

pub const USAGE: &str = "s6-envuidgid [ -i | -D defaultuid:defaultgid:defaultgidlist ] [ -u | -g | -B ] [ -n ] account prog...";

const UID: u8 = 1;
const GID: u8 = 2;
const LIST: u8 = 4;

/// The leading decimal digits of `s` as an id, if any (s6 accepts "42x" as 42).
pub fn leading_id(s: &[u8]) -> Option<(u32, usize)> {
    let digits = s.iter().take_while(|b| b.is_ascii_digit()).count();
    let n = std::str::from_utf8(&s[..digits]).ok()?.parse().ok()?;
    Some((n, digits))
}

/// A list of ids separated by any of `, : ; space tab newline`, read as far
/// as it goes; `None` when not even one id is there.
pub fn id_list(s: &[u8]) -> Option<Vec<u32>> {
    let mut ids = Vec::new();
    let mut at = 0;
    while let Some((id, len)) = leading_id(&s[at..]) {
        ids.push(id);
        at += len;
        while s.get(at).is_some_and(|b| b",:; \t\r\n".contains(b)) {
            at += 1;
        }
    }
    (!ids.is_empty()).then_some(ids)
}

/// `-D uid:gid:gidlist`; each part may be empty (0) and the tail may be missing.
fn defaults(s: &[u8]) -> Option<(u32, u32, Vec<u32>)> {
    let mut parts = s.splitn(3, |&b| b == b':');
    let id = |p: &[u8]| -> Option<u32> {
        if p.is_empty() {
            return Some(0);
        }
        match leading_id(p)? {
            (n, len) if len == p.len() => Some(n),
            _ => None,
        }
    };
    let uid = id(parts.next().unwrap_or_default())?;
    let gid = id(parts.next().unwrap_or_default())?;
    let list = match parts.next() {
        None | Some(b"") => Vec::new(),
        Some(l) => id_list(l)?,
    };
    Some((uid, gid, list))
}

fn db_error(e: std::io::Error) -> Error {
    Error::Failed(format!("unable to read the account database: {e}"))
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "ugBniD:")?;
    let mut what = UID | GID | LIST;
    let mut numeric = false;
    let mut fallback = None;
    for (o, arg) in opts {
        match o {
            b'u' => what = UID,
            b'g' => what = GID,
            b'B' => what = UID | GID,
            // A literal id cannot come with a group list.
            b'n' => {
                what &= UID | GID;
                numeric = true;
            }
            b'i' => fallback = None,
            _ => {
                fallback =
                    Some(defaults(arg.unwrap_or_default()).ok_or_else(crate::builtins::usage)?)
            }
        }
    }
    let mut rest = split_at(argv, i + 1);
    if rest.len() < 2 {
        return Err(crate::builtins::usage());
    }
    let account = rest.remove(0);
    let (mut uid, mut gid, mut list) = fallback.clone().unwrap_or_default();
    let (user, group): (Option<&[u8]>, Option<&[u8]>) = match what {
        GID => (None, Some(&account)),
        w if w == UID | GID => match account.iter().position(|&b| b == b':') {
            Some(c) => (
                Some(&account[..c]).filter(|u| !u.is_empty()),
                Some(&account[c + 1..]).filter(|g| !g.is_empty()),
            ),
            None => (Some(&account), None),
        },
        _ => (Some(&account), None),
    };
    if let Some(name) = group {
        match users::group_by_name(name).map_err(db_error)? {
            Some(g) => gid = g.gid,
            None => match leading_id(name).filter(|_| numeric) {
                Some((n, _)) => gid = n,
                None if fallback.is_none() => {
                    return Err(Error::Refused(1, format!("unknown group: {}", show(name))));
                }
                None => {}
            },
        }
    }
    if let Some(name) = user {
        match users::user_by_name(name).map_err(db_error)? {
            Some(u) => {
                uid = u.uid;
                if what == UID | GID | LIST {
                    gid = u.gid;
                    list = users::supplementary(name).map_err(db_error)?;
                }
            }
            None => match leading_id(name).filter(|_| numeric) {
                Some((n, _)) => uid = n,
                None if fallback.is_none() => {
                    return Err(Error::Refused(1, format!("unknown user: {}", show(name))));
                }
                None => {}
            },
        }
    }
    if what & UID != 0 {
        env.set(b"UID".to_vec(), uid.to_string().into_bytes());
    }
    if what & GID != 0 {
        env.set(b"GID".to_vec(), gid.to_string().into_bytes());
    }
    if what & LIST != 0 {
        let joined: Vec<String> = list.iter().map(u32::to_string).collect();
        env.set(b"GIDLIST".to_vec(), joined.join(",").into_bytes());
    }
    Ok(Step::Next(rest))
}
