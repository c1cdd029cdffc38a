//! Scripts whose `#!` names this binary (execlineb, with-contenv, any of
//! its commands) are run in the forked child itself instead of through an
//! execve of the script: the kernel would only start this binary again to
//! read the script. `CHAINIT_EXEC=1` turns this off.

use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::sync::OnceLock;

use super::registry;
use crate::env::Env;

/// How much of a script the kernel reads for its `#!` line.
const LINE_MAX: usize = 256;

/// Device and inode of this binary.
fn this_binary() -> Option<(u64, u64)> {
    static ID: OnceLock<Option<(u64, u64)>> = OnceLock::new();
    *ID.get_or_init(|| {
        std::fs::metadata("/proc/self/exe")
            .ok()
            .map(|m| (m.dev(), m.ino()))
    })
}

/// Whether `path` is this very binary (any link to it).
fn is_this_binary(path: &[u8]) -> bool {
    let meta = std::fs::metadata(std::ffi::OsStr::from_bytes(path));
    meta.is_ok_and(|m| Some((m.dev(), m.ino())) == this_binary())
}

/// The interpreter and its one optional argument, as Linux reads a `#!`
/// line: blanks around them skipped, the rest of the line one argument.
pub fn parse_line(head: &[u8]) -> Option<(Vec<u8>, Option<Vec<u8>>)> {
    let line = head.strip_prefix(b"#!")?;
    let line = match line.iter().position(|&c| c == b'\n') {
        Some(end) => &line[..end],
        None => line,
    };
    let blank = |c: &u8| *c == b' ' || *c == b'\t';
    let start = line.iter().position(|c| !blank(c))?;
    let line = &line[start..];
    let end = line.iter().position(blank).unwrap_or(line.len());
    let interpreter = line[..end].to_vec();
    let rest = &line[end..];
    let rest = match (
        rest.iter().position(|c| !blank(c)),
        rest.iter().rposition(|c| !blank(c)),
    ) {
        (Some(a), Some(b)) => Some(rest[a..=b].to_vec()),
        _ => None,
    };
    Some((interpreter, rest))
}

/// The first bytes of `path` if it is a regular file we may execute.
fn head_of(path: &[u8]) -> Option<Vec<u8>> {
    let p = std::ffi::OsStr::from_bytes(path);
    let mut f = std::fs::File::open(p).ok()?;
    let meta = f.metadata().ok()?;
    if !meta.is_file() || nix::unistd::access(p, nix::unistd::AccessFlags::X_OK).is_err() {
        return None;
    }
    let mut buf = vec![0u8; LINE_MAX];
    let n = f.read(&mut buf).ok()?;
    buf.truncate(n);
    Some(buf)
}

/// Where PATH finds `name`, if it finds it as this binary.
fn found_as_this_binary(name: &[u8], env: &Env) -> bool {
    for dir in super::search_path(env).split(|&c| c == b':') {
        let file = [if dir.is_empty() { b"." } else { dir }, b"/", name].concat();
        let p = std::ffi::OsStr::from_bytes(&file);
        if std::fs::metadata(p).is_ok_and(|m| m.is_file()) {
            return is_this_binary(&file);
        }
    }
    false
}

/// The command of this binary a script's `#!` line names (`execlineb`,
/// `with-contenv`…), if it names this binary; `text` is the script.
pub fn own_command(text: &[u8]) -> Option<Vec<u8>> {
    let (interpreter, _) = parse_line(&text[..text.len().min(LINE_MAX)])?;
    let name = interpreter
        .rsplit(|&c| c == b'/')
        .next()
        .unwrap_or_default();
    registry::lookup(name)?;
    is_this_binary(&interpreter).then(|| name.to_vec())
}

/// A file's identity: device, inode, size and modification time. A script
/// whose identity has not changed need not be read again.
type FileId = (u64, u64, u64, i64, i64);

fn file_id(m: &std::fs::Metadata) -> FileId {
    (m.dev(), m.ino(), m.size(), m.mtime(), m.mtime_nsec())
}

/// A script of ours read and parsed once (by the supervisor, when it read
/// the service): its `#!` line and its parsed words.
struct Known {
    id: FileId,
    interpreter: Vec<u8>,
    arg: Option<Vec<u8>>,
    words: Vec<Vec<u8>>,
}

/// The scripts known so far; a supervisor has one or two per service.
static KNOWN: std::sync::Mutex<Vec<Known>> = std::sync::Mutex::new(Vec::new());
const KNOWN_MAX: usize = 4096;

/// Remembers `path`, whose text is `text` and parsed words `words`, so
/// that the children that run it need not read or parse it again.
pub fn remember(path: &std::path::Path, text: &[u8], words: &[Vec<u8>]) {
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    let Some((interpreter, arg)) = parse_line(&text[..text.len().min(LINE_MAX)]) else {
        return;
    };
    let id = file_id(&meta);
    if let Ok(mut known) = KNOWN.lock() {
        known.retain(|k| (k.id.0, k.id.1) != (id.0, id.1));
        if known.len() >= KNOWN_MAX {
            known.remove(0);
        }
        known.push(Known {
            id,
            interpreter,
            arg,
            words: words.to_vec(),
        });
    }
}

/// Whether `path` is known, unchanged, and parsed without error.
pub fn is_known(path: &std::path::Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    let id = file_id(&meta);
    KNOWN.lock().is_ok_and(|k| k.iter().any(|k| k.id == id))
}

/// A script's parsed words.
type Words = Vec<Vec<u8>>;

/// A `#!` line: the interpreter and its one optional argument.
type Line = (Vec<u8>, Option<Vec<u8>>);

/// The words of the script this child is about to run, handed from
/// `own_interpreter` to execlineb so that it does not read them again.
static HANDED: std::sync::Mutex<Option<(Vec<u8>, Words)>> = std::sync::Mutex::new(None);

/// The parsed words of `file`, if they were handed over for it.
pub fn take_handed(file: &[u8]) -> Option<Words> {
    let mut handed = HANDED.lock().ok()?;
    match handed.take() {
        Some((f, words)) if f == file => Some(words),
        _ => None,
    }
}

/// The `#!` line of `script` and, when the supervisor already parsed it,
/// its words: from what is known if the file is unchanged, else read.
fn shebang_of(script: &[u8]) -> Option<(Line, Option<Words>)> {
    let p = std::ffi::OsStr::from_bytes(script);
    if let Ok(meta) = std::fs::metadata(p) {
        let id = file_id(&meta);
        let hit = KNOWN.lock().ok().and_then(|k| {
            k.iter()
                .find(|k| k.id == id)
                .map(|k| (k.interpreter.clone(), k.arg.clone(), k.words.clone()))
        });
        if let Some((interpreter, arg, words)) = hit {
            if !meta.is_file() || nix::unistd::access(p, nix::unistd::AccessFlags::X_OK).is_err() {
                return None;
            }
            return Some(((interpreter, arg), Some(words)));
        }
    }
    Some((parse_line(&head_of(script)?)?, None))
}

/// If running `argv` (a script path first) would make the kernel start
/// this binary as the script's interpreter: the command to run in-process
/// and the argv that binary would get.
pub fn own_interpreter(argv: &[Vec<u8>], env: &Env) -> Option<(Vec<u8>, Vec<Vec<u8>>)> {
    if env.flag(b"CHAINIT_EXEC") {
        return None;
    }
    let script = argv.first().filter(|p| p.contains(&b'/'))?;
    let ((interpreter, arg), words) = shebang_of(script)?;
    let mut out = Vec::with_capacity(argv.len() + 2);
    let name = interpreter
        .rsplit(|&c| c == b'/')
        .next()
        .unwrap_or_default();
    if name == b"env" && interpreter.starts_with(b"/") {
        // `#!/usr/bin/env execlineb`: env looks the one word up in PATH.
        let word = arg.filter(|w| !w.contains(&b' ') && !w.contains(&b'\t'))?;
        if word.contains(&b'/') || registry::lookup(&word).is_none() {
            return None;
        }
        if !found_as_this_binary(&word, env) {
            return None;
        }
        out.push(word);
    } else {
        registry::lookup(name)?;
        if !is_this_binary(&interpreter) {
            return None;
        }
        out.push(interpreter.clone());
        out.extend(arg);
    }
    out.push(script.clone());
    out.extend_from_slice(&argv[1..]);
    let command = out[0]
        .rsplit(|&c| c == b'/')
        .next()
        .unwrap_or_default()
        .to_vec();
    if let (Some(words), true) = (words, command == b"execlineb")
        && let Ok(mut handed) = HANDED.lock()
    {
        *handed = Some((script.clone(), words));
    }
    Some((command, out))
}

/// Makes this forked child what an execve would have made it: the fds
/// marked close-on-exec closed, caught signals back to their default
/// action, and the script's name as the process name.
pub fn as_if_exec(script: &[u8]) {
    close_on_exec();
    for &sig in caught_signals() {
        // SAFETY: a zeroed sigaction is SIG_DFL with no flags; the pointer
        // is valid for the call.
        unsafe {
            let dfl: libc::sigaction = std::mem::zeroed();
            libc::sigaction(sig, &dfl, std::ptr::null_mut());
        }
    }
    let base = script.rsplit(|&c| c == b'/').next().unwrap_or_default();
    let mut comm = [0u8; 16];
    let n = base.len().min(15);
    comm[..n].copy_from_slice(&base[..n]);
    // SAFETY: PR_SET_NAME reads a NUL-terminated buffer of at most 16 bytes.
    unsafe {
        libc::prctl(libc::PR_SET_NAME, comm.as_ptr());
    }
}

/// The signals this process catches with a handler (the Rust runtime's
/// SIGSEGV and SIGBUS: chainit itself catches none, it reads signals from
/// a signalfd), found once, in the parent, before any fork.
fn caught_signals() -> &'static [i32] {
    static CAUGHT: OnceLock<Vec<i32>> = OnceLock::new();
    CAUGHT.get_or_init(|| {
        (1..=libc::SIGRTMAX())
            .filter(|&sig| {
                // SAFETY: querying a disposition into a zeroed struct.
                unsafe {
                    let mut old: libc::sigaction = std::mem::zeroed();
                    libc::sigaction(sig, std::ptr::null(), &mut old) == 0
                        && old.sa_sigaction != libc::SIG_DFL
                        && old.sa_sigaction != libc::SIG_IGN
                }
            })
            .collect()
    })
}

/// The fds this process was started with that survive an exec, listed
/// once. Every fd chainit opens itself is close-on-exec unless `fd::copy`
/// or `fd::keep_on_exec` made it otherwise, and those keep a record.
fn inherited() -> &'static [i32] {
    static FDS: OnceLock<Vec<i32>> = OnceLock::new();
    FDS.get_or_init(|| {
        let Ok(dir) = std::fs::read_dir("/proc/self/fd") else {
            return Vec::new();
        };
        let fds: Vec<i32> = dir
            .flatten()
            .filter_map(|e| e.file_name().to_str().and_then(|s| s.parse().ok()))
            .collect();
        fds.into_iter()
            .filter(|&fd| fd > 2 && survives_exec(fd))
            .collect()
    })
}

fn survives_exec(fd: i32) -> bool {
    // SAFETY: F_GETFD only queries the fd table.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFD) };
    flags >= 0 && flags & libc::FD_CLOEXEC == 0
}

/// Learns, in the parent, what a child running a script in-process needs:
/// a child that looked at its own /proc entry would leave dentries the
/// kernel must flush when it is reaped (a supervisor stopping 100 services
/// waited noticeably longer for them).
pub fn prepare(argv: &[Vec<u8>], env: &Env) {
    let may_run_here =
        argv.first().is_some_and(|p| p.contains(&b'/')) && !env.flag(b"CHAINIT_EXEC");
    if !may_run_here {
        return;
    }
    let _ = caught_signals();
    let _ = this_binary();
    let _ = inherited();
}

/// Closes every fd an exec would close: all but 0-2, those this process
/// inherited open across exec, and those it made so (`fd::kept`), in a
/// few close_range calls over the gaps between them.
fn close_on_exec() {
    let mut keep: Vec<i32> = inherited()
        .iter()
        .copied()
        .chain(super::fd::kept())
        .filter(|&fd| fd > 2 && survives_exec(fd))
        .collect();
    keep.sort_unstable();
    keep.dedup();
    let mut from: u32 = 3;
    for fd in keep.into_iter().map(|fd| fd as u32).chain([u32::MAX]) {
        if fd > from {
            // SAFETY: closes a range of fd numbers; nothing in this child
            // owns them any more (we are about to run a script as if
            // freshly exec'd).
            unsafe {
                libc::syscall(libc::SYS_close_range, from, fd - 1, 0);
            }
        }
        from = fd.saturating_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::parse_line;

    #[test]
    fn the_line_splits_as_linux_splits_it() {
        let v = |s: &str| s.as_bytes().to_vec();
        assert_eq!(
            parse_line(b"#!/bin/execlineb -P\nx"),
            Some((v("/bin/execlineb"), Some(v("-P"))))
        );
        assert_eq!(
            parse_line(b"#! /bin/x  -S1  -W \n"),
            Some((v("/bin/x"), Some(v("-S1  -W"))))
        );
        assert_eq!(parse_line(b"#!/bin/x"), Some((v("/bin/x"), None)));
        assert_eq!(parse_line(b"#!\t/bin/x \t\n"), Some((v("/bin/x"), None)));
        assert_eq!(parse_line(b"#!\n"), None);
        assert_eq!(parse_line(b"echo hi\n"), None);
    }
}
