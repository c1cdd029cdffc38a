//! The wire formats between the init and its clients (`halt`, `s6-rc`,
//! `chainit svc`, `chainit status`): where the run dir is, what lies in it,
//! which signal asks for which shutdown, and (in `rc`) the requests and
//! answers of `RUN/s6-rc/control`. Both sides use this module; the clients
//! never reach into the init.

pub mod rc;

use std::path::PathBuf;

/// The run dir a client talks to the init through: `CHAINIT_RUN_DIR` (set
/// for every process the init starts when it is not `/run`), else `/run`.
pub fn run_dir() -> PathBuf {
    let run = std::env::var_os("CHAINIT_RUN_DIR").filter(|v| !v.is_empty());
    PathBuf::from(run.unwrap_or_else(|| "/run".into()))
}

/// `halt`, `poweroff` and `reboot` reach the init with these real-time
/// signals (the numbers systemd uses), never forwarded or diverted.
pub fn halt() -> i32 {
    libc::SIGRTMIN() + 3
}
pub fn poweroff() -> i32 {
    libc::SIGRTMIN() + 4
}
pub fn reboot() -> i32 {
    libc::SIGRTMIN() + 5
}

/// Paths under the run dir, named as s6-overlay names them.
pub struct RunDir {
    pub root: PathBuf,
}

impl RunDir {
    pub fn container_env(&self) -> PathBuf {
        self.root.join("s6/container_environment")
    }
    pub fn exitcode(&self) -> PathBuf {
        self.root.join("s6-linux-init-container-results/exitcode")
    }
    pub fn pidfile(&self) -> PathBuf {
        self.root.join("s6/chainit.pid")
    }
    pub fn basedir_bin(&self) -> PathBuf {
        self.root.join("s6/basedir/bin")
    }
    /// One JSON line per state change, appended by the init
    /// (`chainit status --watch` follows it).
    pub fn events(&self) -> PathBuf {
        self.root.join("s6/chainit-events")
    }
}

/// `s` as a JSON string (RFC 8259 escapes).
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
