//! `with-contenv prog...`: run prog in the container's original environment,
//! as s6-overlay v3 does. Also a shebang interpreter: `#!/command/with-contenv sh`.

use crate::builtins::s6::s6_envdir::{self, Reading};
use crate::chain::{Env, Step};
use crate::error::Result;

pub const USAGE: &str = "with-contenv prog...";

/// Where stage 1 saved the container environment (an envdir).
pub const DEFAULT_DIR: &[u8] = b"/run/s6/container_environment";

/// The envdir to read: `CHAINIT_CONTAINER_ENV` (for tests and relocated
/// run dirs) or s6-overlay's fixed path.
pub fn container_env_dir(env: &Env) -> Vec<u8> {
    env.get(b"CHAINIT_CONTAINER_ENV")
        .filter(|d| !d.is_empty())
        .unwrap_or(DEFAULT_DIR)
        .to_vec()
}

/// with-contenv's test, `eltest 0${S6_KEEP_ENV} -eq 0`: the leading digits
/// of `0` + the value are the number, so "yes" resets and "1x" keeps.
pub fn keeps_env(env: &Env) -> bool {
    env.get(b"S6_KEEP_ENV")
        .unwrap_or_default()
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .any(|&b| b != b'0')
}

pub fn run(env: &mut Env, mut argv: Vec<Vec<u8>>) -> Result<Step> {
    argv.remove(0);
    if keeps_env(env) {
        // Nothing to run is success here, as in s6-overlay's script.
        return Ok(if argv.is_empty() {
            Step::Exit(0)
        } else {
            Step::Next(argv)
        });
    }
    if argv.is_empty() {
        return Err(crate::builtins::usage());
    }
    let dir = container_env_dir(env);
    let mut fresh = Env::default();
    // PATH, as s6-overlay keeps it; and, under an init whose run dir is not
    // /run, where that init is, so that halt, printcontenv and the clients
    // still find it after the reset.
    let relocated = env.get(b"CHAINIT_RUN_DIR").is_some();
    for name in [&b"PATH"[..], b"CHAINIT_RUN_DIR", b"CHAINIT_CONTAINER_ENV"] {
        if let Some(v) = env.get(name).filter(|_| relocated || name == b"PATH") {
            fresh.set(name.to_vec(), v.to_vec());
        }
    }
    let how = Reading {
        whole: true,
        unclamped: true,
        ..Reading::default()
    };
    s6_envdir::load(&mut fresh, &dir, how).map_err(|e| e.into_error(&dir))?;
    *env = fresh;
    // Through `exec`, as the script's last step in s6-overlay: prog is
    // looked up in the loaded PATH (and a leading `-c` is exec's option).
    let mut next = Vec::with_capacity(argv.len() + 1);
    next.push(b"exec".to_vec());
    next.extend(argv);
    Ok(Step::Next(next))
}
