//! `s6-svperms [-v] [-u | -g group | -G group | -o | -O group] [-e | -E group]
//! servicedir...`: show, or set, who may read a service's status
//! (`supervise/`), control it (`supervise/control`) and subscribe to its
//! events (`event/`): the owner, a group, or everyone. A group is a name,
//! or `:gid`.

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;

use crate::builtins::options;
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe, show};

pub const USAGE: &str = "s6-svperms [ -v ] [ -u | -g group | -G group | -o | -O group ] [ -e | -E group ] servicedir...";

/// Who may read the status, and whether a group may control.
#[derive(Clone, Copy)]
enum Status {
    Owner,
    Group(u32),
    Public,
}

fn scan_group(arg: &[u8]) -> Result<u32> {
    if let Some(gid) = arg.strip_prefix(b":") {
        return number(gid)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(crate::builtins::usage);
    }
    match crate::users::group_by_name(arg) {
        Ok(Some(g)) => Ok(g.gid),
        Ok(None) => Err(Error::Invalid(format!(
            "unable to find entry for {} in group database",
            show(arg)
        ))),
        Err(e) => Err(Error::Failed(format!(
            "unable to getgrnam: {}",
            describe(&e)
        ))),
    }
}

fn group_name(gid: u32) -> String {
    crate::users::groups()
        .ok()
        .and_then(|all| all.into_iter().find(|g| g.gid == gid))
        .map_or_else(|| gid.to_string(), |g| show(&g.name))
}

/// The primary group of the owner of `path` (root's when unknown).
fn primary_gid(path: &Path) -> Result<u32> {
    let meta = std::fs::metadata(path).map_err(|e| {
        Error::Failed(format!(
            "unable to stat {}: {}",
            path.display(),
            describe(&e)
        ))
    })?;
    match crate::users::user_by_uid(meta.uid()) {
        Ok(Some(u)) => Ok(u.gid),
        _ => {
            eprintln!(
                "s6-svperms: warning: unable to determine primary gid for the owner of {} (using root instead)",
                path.display()
            );
            Ok(0)
        }
    }
}

fn set(path: &Path, gid: u32, mode: u32) -> Result<()> {
    let fail = |what: &str, e: std::io::Error| {
        Error::Failed(format!(
            "unable to {what} {}: {}",
            path.display(),
            describe(&e)
        ))
    };
    nix::unistd::chown(path, None, Some(nix::unistd::Gid::from_raw(gid)))
        .map_err(|e| fail("chown", e.into()))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| fail("chmod", e))
}

fn set_supervise(dir: &Path, status: Status, control_group: Option<u32>) -> Result<()> {
    let sup = dir.join("supervise");
    let (gid, mode) = match status {
        Status::Owner => (primary_gid(&sup)?, 0o700),
        Status::Group(g) => (g, 0o710),
        Status::Public => (primary_gid(&sup)?, 0o711),
    };
    set(&sup, gid, mode)?;
    let control = sup.join("control");
    match control_group {
        Some(g) => set(&control, g, 0o620),
        None => set(&control, primary_gid(&control)?, 0o600),
    }
}

fn set_events(dir: &Path, group: Option<u32>) -> Result<()> {
    let event = dir.join("event");
    match group {
        Some(g) => set(&event, g, 0o3730),
        None => set(&event, primary_gid(&event)?, 0o1733),
    }
}

/// Prints the three lines for `dir`; false (after a warning) when a file
/// is missing or has modes s6-supervise would never give it.
fn print(dir: &Path, out: &mut String) -> bool {
    let name = dir.display();
    let warn = |what: String| {
        eprintln!("s6-svperms: warning: {what}");
        false
    };
    let stat = |p: &Path| std::fs::metadata(p);
    let sup = dir.join("supervise");
    let ok = match stat(&sup) {
        Err(e) => warn(format!(
            "unable to stat {}: {}",
            sup.display(),
            describe(&e)
        )),
        Ok(m) if !m.is_dir() => warn(format!("{} is not a directory", sup.display())),
        Ok(m) => {
            let mode = m.mode() & 0o7777;
            if mode & 0o5066 != 0 || mode & 0o700 != 0o700 || (mode & 1 != 0 && mode & 0o10 == 0) {
                warn(format!(
                    "{} has incorrect permissions: {mode:o}",
                    sup.display()
                ))
            } else {
                let who = if mode & 0o11 == 0 {
                    "owner".to_string()
                } else if mode & 1 != 0 {
                    "public".to_string()
                } else {
                    format!("group {}", group_name(m.gid()))
                };
                out.push_str(&format!("{name} status: {who}\n"));
                let control = sup.join("control");
                match stat(&control) {
                    Err(e) => warn(format!(
                        "unable to stat {}: {}",
                        control.display(),
                        describe(&e)
                    )),
                    Ok(c) if !c.file_type().is_fifo() => {
                        warn(format!("{} is not a named pipe", control.display()))
                    }
                    Ok(c) if c.mode() & 0o157 != 0 => warn(format!(
                        "{} has incorrect permissions: {:o}",
                        control.display(),
                        c.mode() & 0o7777
                    )),
                    Ok(c) => {
                        let who = if c.mode() & 0o20 != 0 {
                            format!("group {}", group_name(c.gid()))
                        } else {
                            "owner".to_string()
                        };
                        out.push_str(&format!("{name} control: {who}\n"));
                        true
                    }
                }
            }
        }
    };
    let event = dir.join("event");
    let ok_events = match stat(&event) {
        Err(e) => warn(format!(
            "unable to stat {}: {}",
            event.display(),
            describe(&e)
        )),
        Ok(m) if !m.is_dir() => warn(format!("{} is not a directory", event.display())),
        Ok(m) => match m.mode() & 0o7777 {
            0o3730 => {
                out.push_str(&format!("{name} events: group {}\n", group_name(m.gid())));
                true
            }
            0o1733 => {
                out.push_str(&format!("{name} events: public\n"));
                true
            }
            mode => warn(format!(
                "{} has incorrect permissions: {mode:o}",
                event.display()
            )),
        },
    };
    ok && ok_events
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "vug:G:oO:eE:")?;
    let (mut show_after, mut change, mut events) = (false, None, None);
    for (c, arg) in opts {
        let arg = arg.unwrap_or_default();
        match c {
            b'v' => show_after = true,
            b'u' => change = Some((Status::Owner, None)),
            b'g' => change = Some((Status::Group(scan_group(arg)?), None)),
            b'G' => {
                let g = scan_group(arg)?;
                change = Some((Status::Group(g), Some(g)));
            }
            b'o' => change = Some((Status::Public, None)),
            b'O' => change = Some((Status::Public, Some(scan_group(arg)?))),
            b'e' => events = Some(None),
            _ => events = Some(Some(scan_group(arg)?)),
        }
    }
    let dirs = &argv[first + 1..];
    if dirs.is_empty() {
        return Err(crate::builtins::usage());
    }
    if change.is_none() && events.is_none() {
        show_after = true;
    }
    let mut out = String::new();
    let mut failed = false;
    for d in dirs {
        let dir = Path::new(std::ffi::OsStr::from_bytes(d));
        if let Some((status, control)) = change {
            set_supervise(dir, status, control)?;
        }
        if let Some(group) = events {
            set_events(dir, group)?;
        }
        if show_after {
            failed |= !print(dir, &mut out);
        }
    }
    crate::builtins::execline::dollarat::write_all(1, out.as_bytes())
        .map_err(|e| Error::sys("write to stdout", e))?;
    Ok(Step::Exit(i32::from(failed)))
}
