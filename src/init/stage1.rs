//! Stage 1: the runtime directory, the container environment snapshot for
//! with-contenv, the exit-code file, the pid file and the shutdown commands.

use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use crate::chain::Env;
pub use crate::control::RunDir;

/// The warning `prepare` gives when the run dir itself cannot be used:
/// everything that needs it is then skipped without a word more.
pub const UNUSABLE: &str = "the run dir ";

/// Creates the directories and files; returns what failed (each is logged,
/// none stops the boot).
pub fn prepare(run: &RunDir, env: &Env, dump: bool) -> Vec<String> {
    // One message for the cause, rather than one per file that then fails.
    let usable = std::fs::create_dir_all(&run.root).and_then(|()| {
        nix::unistd::access(
            &run.root,
            nix::unistd::AccessFlags::W_OK | nix::unistd::AccessFlags::X_OK,
        )
        .map_err(std::io::Error::from)
    });
    if let Err(e) = usable {
        return vec![format!(
            "the run dir {} cannot be used: {}; going on without it (no supervised services, no saved environment for with-contenv, no halt/poweroff/reboot commands, no exit-code file, no event log): give a writable one with --run-dir or CHAINIT_RUN_DIR",
            run.root.display(),
            crate::error::describe(&e)
        )];
    }
    let mut problems = Vec::new();
    let mut note = |what: String, r: std::io::Result<()>| {
        if let Err(e) = r {
            problems.push(format!("unable to {what}: {}", crate::error::describe(&e)));
        }
    };
    let results = run.exitcode();
    let results_dir = results.parent().unwrap_or(Path::new("/"));
    note(
        format!("create {}", results_dir.display()),
        std::fs::create_dir_all(results_dir),
    );
    note(
        format!("write {}", results.display()),
        std::fs::write(&results, b""),
    );
    note(
        format!("create {}", run.basedir_bin().display()),
        std::fs::create_dir_all(run.basedir_bin()),
    );
    note(
        format!("write {}", run.pidfile().display()),
        std::fs::write(run.pidfile(), format!("{}\n", std::process::id())),
    );
    if let Ok(me) = std::env::current_exe() {
        for name in ["halt", "poweroff", "reboot"] {
            let at = run.basedir_bin().join(name);
            // Left from an earlier boot of this container: nothing to redo.
            if std::fs::read_link(&at).is_ok_and(|t| t == me) {
                continue;
            }
            let _ = std::fs::remove_file(&at);
            note(
                format!("link {}", at.display()),
                std::os::unix::fs::symlink(&me, &at),
            );
        }
    }
    if dump {
        note(
            format!("write {}", run.container_env().display()),
            dump_env(&run.container_env(), env),
        );
    }
    problems
}

/// Writes one file per variable (its value and a newline, which
/// `s6-envdir -f` takes off again). A fresh dump is built aside and renamed
/// into place. A directory left by an earlier boot of the same container is
/// brought up to date instead: only files whose content differs are
/// written and files of variables that are gone are removed, so a restart
/// does not create and delete an inode per variable.
fn dump_env(dir: &Path, env: &Env) -> std::io::Result<()> {
    let parent = dir.parent().unwrap_or(Path::new("/"));
    std::fs::create_dir_all(parent)?;
    let is_dir = std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir());
    if is_dir && update_env(dir, env).is_ok() {
        return Ok(());
    }
    let tmp = parent.join(format!(".container_environment.{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir(&tmp)?;
    for (name, data) in env_files(env) {
        std::fs::write(tmp.join(name), data)?;
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::rename(&tmp, dir)
}

/// The dump's files: a name that cannot be a file name cannot be restored
/// either, so it is left out.
fn env_files(env: &Env) -> impl Iterator<Item = (&std::ffi::OsStr, Vec<u8>)> {
    env.iter().filter_map(|(name, value)| {
        if name.is_empty() || name.contains(&b'/') || name == b"." || name == b".." {
            return None;
        }
        let mut data = value.to_vec();
        data.push(b'\n');
        Some((std::ffi::OsStr::from_bytes(name), data))
    })
}

/// Makes the existing dump `dir` match `env`.
fn update_env(dir: &Path, env: &Env) -> std::io::Result<()> {
    let mut wanted: std::collections::HashMap<&std::ffi::OsStr, Vec<u8>> = env_files(env).collect();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let is_file = entry.file_type()?.is_file();
        match wanted.remove(entry.file_name().as_os_str()) {
            Some(data) if is_file => {
                if std::fs::read(&path).is_ok_and(|old| old == data) {
                    continue;
                }
                std::fs::write(&path, data)?;
            }
            Some(data) => {
                crate::s6::files::remove_any(&path)?;
                std::fs::write(&path, data)?;
            }
            None => crate::s6::files::remove_any(&path)?,
        }
    }
    for (name, data) in wanted {
        std::fs::write(dir.join(name), data)?;
    }
    Ok(())
}

/// s6-overlay's `/init` puts `/bin`, `/usr/bin` and `/command` in front of
/// the container's PATH (each only if missing) before anything is saved, so
/// the PATH `with-contenv` restores, and the services' under `S6_KEEP_ENV`,
/// finds `/command` first.
pub fn add_overlay_path(env: &mut Env) {
    let old = env
        .get(b"PATH")
        .filter(|p| !p.is_empty())
        .unwrap_or(b"/bin");
    let mut path: Vec<Vec<u8>> = old.split(|&b| b == b':').map(<[u8]>::to_vec).collect();
    for dir in [&b"/bin"[..], b"/usr/bin", b"/command"] {
        if !path.iter().any(|p| p == dir) {
            path.insert(0, dir.to_vec());
        }
    }
    env.set(b"PATH".to_vec(), path.join(&b':'));
}

/// The environment stage 2 and the CMD get: the container's PATH (see
/// `add_overlay_path`) and where to find this init.
pub fn reset_env(original: &Env, run: &RunDir) -> Env {
    let mut env = Env::default();
    if let Some(path) = original.get(b"PATH") {
        env.set(b"PATH".to_vec(), path.to_vec());
    }
    locate_init(&mut env, run);
    env
}

/// Tells the processes of the tree which run dir is their init's, when it
/// is not s6-overlay's fixed `/run`.
pub fn locate_init(env: &mut Env, run: &RunDir) {
    if run.root != Path::new("/run") {
        env.set(
            b"CHAINIT_RUN_DIR".to_vec(),
            run.root.as_os_str().as_bytes().to_vec(),
        );
        env.set(
            b"CHAINIT_CONTAINER_ENV".to_vec(),
            run.container_env().as_os_str().as_bytes().to_vec(),
        );
    }
}

/// The exit code the container reports: the exit-code file's number, else `fallback`.
pub fn read_exitcode(run: &RunDir, fallback: i32) -> i32 {
    std::fs::read(run.exitcode())
        .ok()
        .and_then(|t| {
            let t = String::from_utf8_lossy(&t).trim().to_owned();
            t.parse::<i64>().ok()
        })
        .map(|n| (n & 0xff) as i32)
        .unwrap_or(fallback)
}

/// `S6_WAIT_FOR_CLOSING_FD`: reads fd until its writer closes it (a container
/// manager's "go" signal), then closes it. Only fds 3 and up are accepted.
pub fn wait_for_closing(fd: u32) -> Result<(), String> {
    use std::os::fd::{FromRawFd, OwnedFd};
    let raw = i32::try_from(fd).ok().filter(|&f| f >= 3).ok_or_else(|| {
        format!("S6_WAIT_FOR_CLOSING_FD={fd}: expected a file descriptor from 3 up; not waiting")
    })?;
    // SAFETY: F_GETFD only asks whether `raw` is open; it changes nothing.
    if unsafe { libc::fcntl(raw, libc::F_GETFD) } < 0 {
        return Err(format!(
            "S6_WAIT_FOR_CLOSING_FD={fd}: the fd is not open; not waiting"
        ));
    }
    // SAFETY: the fd is open and handed to the init for exactly this use;
    // nothing else in the process owns it.
    let file = std::fs::File::from(unsafe { OwnedFd::from_raw_fd(raw) });
    std::io::copy(&mut &file, &mut std::io::sink())
        .map(drop)
        .map_err(|e| format!("unable to read fd {fd}: {}", crate::error::describe(&e)))
}
