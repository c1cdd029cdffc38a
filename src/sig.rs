//! Signals by name and number, and sending one: what the init, the
//! clients and the builtins all need.

use nix::errno::Errno;

/// A signal's name for messages ("SIGTERM", "SIGRTMIN+3").
pub fn name(sig: i32) -> String {
    Name(sig).to_string()
}

/// The same, formatted only when shown: the init's signal path then builds
/// no string for a log line nobody reads.
pub struct Name(pub i32);

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match nix::sys::signal::Signal::try_from(self.0) {
            Ok(s) => f.write_str(s.as_str()),
            Err(_) => write!(f, "SIGRTMIN+{}", self.0 - libc::SIGRTMIN()),
        }
    }
}

/// Parses `TERM`, `SIGTERM` or a number.
pub fn parse(text: &str) -> Option<i32> {
    if let Ok(n) = text.parse::<i32>() {
        return (0..=libc::SIGRTMAX()).contains(&n).then_some(n);
    }
    let upper = text.to_ascii_uppercase();
    let full = if upper.starts_with("SIG") {
        upper
    } else {
        format!("SIG{upper}")
    };
    full.parse::<nix::sys::signal::Signal>()
        .ok()
        .map(|s| s as i32)
}

/// Sends `sig` to `pid` (a negative pid: a process group); errors are the caller's to log.
pub fn send(pid: i32, sig: i32) -> Result<(), Errno> {
    // SAFETY: kill has no memory-safety preconditions.
    if unsafe { libc::kill(pid, sig) } < 0 {
        return Err(Errno::last());
    }
    Ok(())
}
