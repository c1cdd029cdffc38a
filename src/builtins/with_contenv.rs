//! `with-contenv prog...`: run prog in the container's original environment,
//! as s6-overlay v3 does. Also a shebang interpreter: `#!/command/with-contenv sh`.

use super::s6_envdir::{self, Reading};
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

/// `S6_KEEP_ENV` as s6-overlay's scripts read it, `0${S6_KEEP_ENV}` as a
/// number: `Some(true)` to keep the live environment, `None` when it is not
/// a number (with-contenv then keeps it, printcontenv reads the saved one).
pub fn keep_env(env: &Env) -> Option<bool> {
    let value = env.get(b"S6_KEEP_ENV").unwrap_or_default();
    value
        .iter()
        .all(u8::is_ascii_digit)
        .then(|| value.iter().any(|&b| b != b'0'))
}

pub fn run(env: &mut Env, mut argv: Vec<Vec<u8>>) -> Result<Step> {
    argv.remove(0);
    if argv.is_empty() {
        return Err(super::usage());
    }
    if keep_env(env) != Some(false) {
        return Ok(Step::Next(argv));
    }
    let dir = container_env_dir(env);
    let path = env.get(b"PATH").map(<[u8]>::to_vec);
    let mut fresh = Env::default();
    if let Some(p) = path {
        fresh.set(b"PATH".to_vec(), p);
    }
    let how = Reading {
        whole: true,
        unclamped: true,
        ..Reading::default()
    };
    s6_envdir::load(&mut fresh, &dir, how).map_err(|e| e.into_error(&dir))?;
    *env = fresh;
    // Through `exec` so prog is looked up in the loaded PATH, as the
    // script's last step does in s6-overlay.
    let mut next = Vec::with_capacity(argv.len() + 2);
    next.push(b"exec".to_vec());
    next.push(b"--".to_vec());
    next.extend(argv);
    Ok(Step::Next(next))
}
