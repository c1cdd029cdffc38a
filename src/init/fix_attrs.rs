//! s6-overlay's deprecated `fix-attrs.d` (`chainit fix-attrs DIR`). Each
//! file of DIR (byte order, dotfiles skipped) holds lines of
//! `path recurse account fmode dmode`; every path the `path` glob names gets
//! the account's owner and group, and `fmode` (files) or `dmode`
//! (directories), through the whole tree below when `recurse` is `true`.
//! The init runs it as the `fix-attrs` service, in a child of its own, so a
//! large tree never holds up the init's event loop.

use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::chain::{Env, Step};

/// One line's fields, checked for form.
struct Line<'a> {
    pattern: &'a [u8],
    recurse: bool,
    account: &'a [u8],
    fmode: u32,
    dmode: u32,
}

/// What `chainit fix-attrs` is told: the init passes its S6_* settings.
pub struct Settings {
    /// S6_FIX_ATTRS_HIDDEN: walk into dotfiles too.
    pub hidden: bool,
    /// S6_BEHAVIOUR_IF_STAGE2_FAILS.
    pub policy: u8,
    /// S6_VERBOSITY.
    pub verbosity: u8,
}

/// Applies every file of `dir`; the exit code is 1 only when one failed
/// and the policy is 2.
pub fn run(dir: &Path, a: &Settings) -> i32 {
    let files = super::tree::scripts(dir);
    let mut failed = false;
    for file in &files {
        if a.verbosity >= 2 {
            eprintln!("fix-attrs: info: applying {}", file.display());
        }
        if let Err(e) = apply_file(file, a.hidden) {
            // Like s6-overlay's script, a file stops at its first failure.
            if a.verbosity >= 1 {
                eprintln!("fix-attrs: warning: {e}");
            }
            failed = true;
        }
    }
    if !files.is_empty() && a.verbosity >= 1 {
        eprintln!(
            "fix-attrs: warning: fix-attrs.d is deprecated: set owners and modes in the image, or for volumes with the container manager"
        );
    }
    if failed && a.policy != 0 {
        if a.verbosity >= 1 {
            eprintln!("fix-attrs: warning: not every fix-attrs.d file applied cleanly");
        }
        if a.policy >= 2 {
            return 1;
        }
    }
    0
}

fn apply_file(file: &Path, hidden: bool) -> Result<(), String> {
    let text = std::fs::read(file)
        .map_err(|e| format!("{}: {}", file.display(), crate::error::describe(&e)))?;
    for (n, line) in text.split(|&b| b == b'\n').enumerate() {
        let at = |msg: String| format!("{}:{}: {msg}", file.display(), n + 1);
        let Some(line) = fields(line).map_err(at)? else {
            continue;
        };
        let owner = resolve(line.account).map_err(at)?;
        for path in expand(line.pattern) {
            apply(&path, &line, owner, hidden, true).map_err(at)?;
        }
    }
    Ok(())
}

/// What is wrong with the form of a line, for `chainit check` (accounts
/// are looked up only when the container boots, in its own database).
pub fn line_problem(line: &[u8]) -> Option<String> {
    fields(line).err()
}

/// `None` for a blank line or one whose first word is `#`.
fn fields(line: &[u8]) -> Result<Option<Line<'_>>, String> {
    let words: Vec<&[u8]> = line
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    match words.first() {
        None => return Ok(None),
        Some(&b"#") => return Ok(None),
        Some(_) => {}
    }
    let [pattern, recurse, account, fmode, dmode] = words[..] else {
        return Err(format!(
            "expected `path recurse account fmode dmode`, got {} field(s)",
            words.len()
        ));
    };
    let mode = |m: &[u8], what: &str| {
        crate::chain::getopt::file_mode(m)
            .ok_or_else(|| format!("{what} {} is not an octal mode", String::from_utf8_lossy(m)))
    };
    Ok(Some(Line {
        pattern,
        recurse: recurse == b"true",
        account,
        fmode: mode(fmode, "fmode")?,
        dmode: mode(dmode, "dmode")?,
    }))
}

/// `account` as s6-overlay reads it: `user[:group]`, then optionally
/// `,uid:gid` to fall back on for a part that is not found. Resolved by
/// the same s6-envuidgid the overlay calls (numbers allowed with a colon).
fn resolve(entry: &[u8]) -> Result<(u32, u32), String> {
    let (account, fallback) = match entry.iter().position(|&b| b == b',') {
        Some(c) => (&entry[..c], Some(&entry[c + 1..])),
        None => (entry, None),
    };
    let mut argv: Vec<Vec<u8>> = vec![b"s6-envuidgid".to_vec()];
    argv.push(match fallback {
        Some(d) => [&b"-D"[..], d].concat(),
        None => b"-i".to_vec(),
    });
    if account.contains(&b':') {
        argv.push(b"-nB".to_vec());
    }
    argv.extend([b"--".to_vec(), account.to_vec(), b"true".to_vec()]);
    let mut env = Env::default();
    match crate::builtins::s6::s6_envuidgid::run(&mut env, argv) {
        Ok(Step::Next(_)) => {}
        Ok(_) => return Err("unexpected result resolving the account".to_owned()),
        Err(e) => return Err(format!("account {}: {e}", String::from_utf8_lossy(entry))),
    }
    let id = |name: &[u8]| -> u32 {
        env.get(name)
            .and_then(|v| std::str::from_utf8(v).ok()?.parse().ok())
            .unwrap_or(0)
    };
    Ok((id(b"UID"), id(b"GID")))
}

/// The paths a pattern names, as the shell expands an unquoted word: its
/// matches, or the word itself when nothing matches.
fn expand(pattern: &[u8]) -> Vec<PathBuf> {
    let words = match crate::posix::glob(pattern, 0, false) {
        crate::posix::Glob::Matches(w) => w,
        _ => vec![pattern.to_vec()],
    };
    words
        .into_iter()
        .map(|w| PathBuf::from(std::ffi::OsStr::from_bytes(&w)))
        .collect()
}

/// Owner, group and mode of `path`, then of everything under it when the
/// fix recurses. The path a line names is followed if it is a symbolic link;
/// links found while recursing are changed themselves, never followed.
fn apply(
    path: &Path,
    fix: &Line<'_>,
    (uid, gid): (u32, u32),
    hidden: bool,
    top: bool,
) -> Result<(), String> {
    let fail = |what: &str, e: std::io::Error| {
        format!(
            "unable to {what} {}: {}",
            path.display(),
            crate::error::describe(&e)
        )
    };
    let meta = if top {
        std::fs::metadata(path)
    } else {
        std::fs::symlink_metadata(path)
    }
    .map_err(|e| fail("read", e))?;
    if meta.file_type().is_symlink() {
        return std::os::unix::fs::lchown(path, Some(uid), Some(gid)).map_err(|e| fail("chown", e));
    }
    std::os::unix::fs::chown(path, Some(uid), Some(gid)).map_err(|e| fail("chown", e))?;
    let mode = if meta.is_dir() { fix.dmode } else { fix.fmode };
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| fail("chmod", e))?;
    if meta.is_dir() && fix.recurse {
        let entries = std::fs::read_dir(path).map_err(|e| fail("list", e))?;
        for entry in entries {
            let entry = entry.map_err(|e| fail("list", e))?;
            if !hidden && entry.file_name().as_bytes().starts_with(b".") {
                continue;
            }
            apply(&entry.path(), fix, (uid, gid), hidden, false)?;
        }
    }
    Ok(())
}
