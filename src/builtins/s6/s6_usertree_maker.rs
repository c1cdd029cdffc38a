//! `s6-usertree-maker [options] user logdir dir`: write a service directory
//! (or, with `-r`, a pair of s6-rc source definitions) that runs a
//! supervision tree as `user` on that user's scan directory, with a
//! catch-all s6-log logger writing to `logdir`.
//!
//! The scripts it writes name their programs under `/command`, where
//! `chainit install --s6-overlay` puts them (s6-overlay's own build writes
//! `/package/admin/<pkg>/command/`, which a chainit image does not have).

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

use nix::sys::stat::{Mode, umask};

use super::super::portable::s6_quote::quoted;
use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::decimal::number;
use crate::error::{Error, Result, errno_of, show};

pub const USAGE: &str = "s6-usertree-maker [ -d userscandir ] [ -p path ] [ -E envdir [ -e var ... ] ] [ -r service/logger[/pipeline] ] [ -l loguser ] [ -t stamptype ] [ -n nfiles ] [ -s filesize ] [ -S maxsize ] [ -P prefix ] user logdir dir";

/// Where the generated scripts find execlineb and the other programs.
const BIN: &str = "/command/";
/// The PATH the user's tree gets without `-p`: s6-overlay's default.
const DEFAULT_PATH: &[u8] = b"/command:/usr/bin:/bin";
/// At most this many `-e` variables, as the original.
const VARS_MAX: usize = 64;

/// What the user's tree runs with: the parts of the service's `run`.
struct Tree<'a> {
    user: &'a [u8],
    scandir: &'a [u8],
    path: &'a [u8],
    envdir: Option<&'a [u8]>,
    vars: Vec<&'a [u8]>,
}

/// How the catch-all logger logs.
struct Logger<'a> {
    user: Option<&'a [u8]>,
    dir: &'a [u8],
    stamps: u64,
    files: u64,
    size: u64,
    max: u64,
    prefix: Option<&'a [u8]>,
}

/// `-r service/logger[/pipeline]`, checked as the original checks it.
struct RcNames<'a> {
    service: &'a [u8],
    logger: &'a [u8],
    pipeline: Option<&'a [u8]>,
}

fn rc_names(arg: &[u8]) -> Result<RcNames<'_>> {
    let bad = |what: &str| Err(Error::Invalid(what.to_string()));
    let shape = "argument to -r must be: service/logger or service/logger/pipeline";
    if arg.contains(&b'\n') {
        return bad("newlines are forbidden in s6-rc names");
    }
    if arg.first() == Some(&b'/') {
        return bad("service name cannot be empty");
    }
    let Some(slash) = arg.iter().position(|&c| c == b'/') else {
        return bad(shape);
    };
    let (service, rest) = (&arg[..slash], &arg[slash + 1..]);
    if rest.is_empty() {
        return bad(shape);
    }
    if rest[0] == b'/' {
        return bad("logger name cannot be empty");
    }
    let (logger, pipeline) = match rest.iter().position(|&c| c == b'/') {
        None => (rest, None),
        Some(i) => {
            let pipeline = &rest[i + 1..];
            if pipeline.is_empty() {
                return bad("pipeline name cannot be empty");
            }
            if pipeline.contains(&b'/') {
                return bad("slashes are forbidden in s6-rc names");
            }
            (&rest[..i], Some(pipeline))
        }
    };
    Ok(RcNames {
        service,
        logger,
        pipeline,
    })
}

/// The service's `run`: a clean environment made from the user's identity
/// (and the envdir), then s6-svscan as that user.
fn tree_run(t: &Tree) -> Vec<u8> {
    let user = quoted(t.user);
    let mut out =
        format!("#!{BIN}execlineb -P\n{BIN}fdmove -c 2 1\n{BIN}emptyenv -p\n{BIN}export USER ")
            .into_bytes();
    out.extend_from_slice(&user);
    out.extend_from_slice(format!("\n{BIN}s6-envuidgid -i -- ").as_bytes());
    out.extend_from_slice(&user);
    out.extend_from_slice(
        format!("\n{BIN}s6-applyuidgid -U --\n{BIN}backtick -in HOME {{ {BIN}homeof ").as_bytes(),
    );
    out.extend_from_slice(&user);
    out.extend_from_slice(b" }\n");
    // Variables given with -e only matter when an envdir defines them.
    let vars: &[&[u8]] = if t.envdir.is_some() { &t.vars } else { &[] };
    if let Some(envdir) = t.envdir {
        out.extend_from_slice(format!("{BIN}s6-envdir -i -- ").as_bytes());
        out.extend_from_slice(&quoted(envdir));
        out.push(b'\n');
        if !vars.is_empty() {
            out.extend_from_slice(format!("{BIN}multisubstitute\n{{\n").as_bytes());
            for var in vars {
                let q = quoted(var);
                out.extend_from_slice(b"  importas -D \"\" -- ");
                out.extend_from_slice(&q);
                out.push(b' ');
                out.extend_from_slice(&q);
                out.push(b'\n');
            }
            out.extend_from_slice(b"}\n");
        }
    }
    out.extend_from_slice(format!("{BIN}multisubstitute\n{{\n").as_bytes());
    for name in ["USER", "HOME", "UID", "GID", "GIDLIST"] {
        out.extend_from_slice(format!("  importas -i {name} {name}\n").as_bytes());
    }
    out.extend_from_slice(b"}\n");
    for var in vars {
        // `${"NAME"}` reads back as `${NAME}`: the value, substituted above.
        let q = quoted(var);
        out.extend_from_slice(format!("{BIN}export ").as_bytes());
        out.extend_from_slice(&q);
        out.extend_from_slice(b" ${");
        out.extend_from_slice(&q);
        out.extend_from_slice(b"}\n");
    }
    out.extend_from_slice(format!("{BIN}export PATH ").as_bytes());
    out.extend_from_slice(&quoted(t.path));
    out.extend_from_slice(format!("\n{BIN}s6-svscan -d3 -- ").as_bytes());
    out.extend_from_slice(&quoted(t.scandir));
    out.push(b'\n');
    out
}

/// The logger's `run`: s6-log with the chosen stamps and rotation.
fn logger_run(l: &Logger) -> Vec<u8> {
    let mut out = format!("#!{BIN}execlineb -P\n").into_bytes();
    if let Some(user) = l.user {
        out.extend_from_slice(format!("{BIN}s6-setuidgid ").as_bytes());
        out.extend_from_slice(&quoted(user));
        out.push(b'\n');
    }
    out.extend_from_slice(format!("{BIN}s6-log -bd3 -- ").as_bytes());
    if l.stamps & 1 != 0 {
        out.extend_from_slice(b"t ");
    }
    if l.stamps & 2 != 0 {
        out.extend_from_slice(b"T ");
    }
    out.extend_from_slice(format!("n{} s{} ", l.files, l.size).as_bytes());
    if l.max != 0 {
        out.extend_from_slice(format!("S{} ", l.max).as_bytes());
    }
    // The prefix goes in unquoted, as the original writes it.
    if let Some(prefix) = l.prefix {
        out.push(b'p');
        out.extend_from_slice(prefix);
        out.push(b' ');
    }
    out.extend_from_slice(&quoted(l.dir));
    out.push(b'\n');
    out
}

fn path_of(bytes: &[u8]) -> PathBuf {
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

fn failed(action: &str, path: &Path, e: std::io::Error) -> Error {
    Error::sys(format!("{action} {}", path.display()), errno_of(&e))
}

/// A service directory, mode 0755 whatever the umask.
fn make_service_dir(dir: &Path) -> Result<()> {
    std::fs::DirBuilder::new()
        .mode(0o755)
        .create(dir)
        .and_then(|()| std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)))
        .map_err(|e| failed("mkdir", dir, e))
}

fn write(path: &Path, contents: &[u8]) -> Result<()> {
    std::fs::write(path, contents).map_err(|e| failed("write to", path, e))
}

/// Makes a `run` executable wherever the umask lets it be read.
fn make_executable(run: &Path) -> Result<()> {
    let mask = umask(Mode::empty());
    umask(mask);
    let m = 0o666 & !mask.bits();
    std::fs::set_permissions(run, std::fs::Permissions::from_mode(m | ((m >> 2) & 0o111)))
        .map_err(|e| failed("chmod", run, e))?;
    if m & 0o400 == 0 {
        eprintln!(
            "s6-usertree-maker: warning: weird umask, check permissions manually on {}",
            run.display()
        );
    }
    Ok(())
}

/// A longrun (or plain service dir with `rc: None`) with notification-fd 3.
fn write_service(dir: &Path, run: &[u8], rc: Option<(&str, &[u8])>) -> Result<()> {
    make_service_dir(dir)?;
    write(&dir.join("notification-fd"), b"3\n")?;
    write(&dir.join("run"), run)?;
    match rc {
        Some((link, other)) => {
            write(&dir.join("type"), b"longrun\n")?;
            write(&dir.join(link), &[other, b"\n"].concat())?;
        }
        None => make_executable(&dir.join("run"))?,
    }
    Ok(())
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "d:p:E:e:r:l:t:n:s:S:P:")?;
    let mut tree = Tree {
        user: b"",
        scandir: b"${HOME}/service",
        path: DEFAULT_PATH,
        envdir: None,
        vars: Vec::new(),
    };
    let mut log = Logger {
        user: None,
        dir: b"",
        stamps: 1,
        files: 10,
        size: 1_000_000,
        max: 0,
        prefix: None,
    };
    let mut rc = None;
    let num = |arg: Option<&[u8]>| arg.and_then(number).ok_or_else(crate::builtins::usage);
    for (c, arg) in opts {
        let value = arg.unwrap_or_default();
        match c {
            b'd' => tree.scandir = value,
            b'p' => tree.path = value,
            b'E' => tree.envdir = Some(value),
            b'e' => {
                if tree.vars.len() >= VARS_MAX {
                    return Err(Error::Invalid("too many -v variables".into()));
                }
                if value.contains(&b'=') {
                    return Err(Error::Invalid(format!(
                        "invalid variable name: {}",
                        show(value)
                    )));
                }
                tree.vars.push(value);
            }
            b'r' => rc = Some(value),
            b'l' => log.user = Some(value),
            b't' => log.stamps = num(arg).and_then(u32_only)?,
            b'n' => log.files = num(arg).and_then(u32_only)?,
            b's' => log.size = num(arg)?,
            b'S' => log.max = num(arg)?,
            _ => log.prefix = Some(value),
        }
    }
    let [user, logdir, dir] = match &argv[first + 1..] {
        [u, l, d, ..] => [u, l, d],
        _ => return Err(crate::builtins::usage()),
    };
    if logdir.first() != Some(&b'/') {
        return Err(Error::Invalid("logdir must be absolute".into()));
    }
    if tree.scandir.first() != Some(&b'/') && !tree.scandir.starts_with(b"${HOME}/") {
        return Err(Error::Invalid(
            "userscandir must be absolute or start with ${HOME}/".into(),
        ));
    }
    if log.stamps > 3 {
        return Err(Error::Invalid("stamptype must be 0, 1, 2 or 3".into()));
    }
    let rc = rc.map(rc_names).transpose()?;
    tree.user = user;
    log.dir = logdir;
    let dir = path_of(dir);
    match rc {
        None => {
            write_service(&dir, &tree_run(&tree), None)?;
            write_service(&dir.join("log"), &logger_run(&log), None)?;
        }
        Some(names) => {
            match std::fs::create_dir(&dir) {
                Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                    return Err(failed("mkdir", &dir, e));
                }
                _ => {}
            }
            let service = dir.join(path_of(names.service));
            let logger = dir.join(path_of(names.logger));
            write_service(
                &service,
                &tree_run(&tree),
                Some(("producer-for", names.logger)),
            )?;
            write_service(
                &logger,
                &logger_run(&log),
                Some(("consumer-for", names.service)),
            )?;
            if let Some(pipeline) = names.pipeline {
                write(&logger.join("pipeline-name"), &[pipeline, b"\n"].concat())?;
            }
        }
    }
    Ok(Step::Exit(0))
}

/// `-t` and `-n` are unsigned ints in the original: larger is misuse.
fn u32_only(n: u64) -> Result<u64> {
    u32::try_from(n)
        .map(u64::from)
        .map_err(|_| crate::builtins::usage())
}
