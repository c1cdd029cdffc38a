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

/// Signals taken as events instead of handlers: blocked, and read from a
/// signalfd that a poll loop waits on with its other fds. The long-running
/// builtins (s6-log, s6-socklog, the listeners) stop this way.
pub struct Caught(std::os::fd::OwnedFd);

impl Caught {
    /// Blocks `sigs` in this thread's mask and opens a signalfd for them.
    pub fn new(sigs: &[i32]) -> std::io::Result<Caught> {
        use std::os::fd::FromRawFd;
        // SAFETY: sigset_t is plain data, initialised by sigemptyset.
        let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
        // SAFETY: `set` is a valid sigset_t owned here; the calls only touch
        // it and this thread's mask.
        unsafe {
            libc::sigemptyset(&mut set);
            for &s in sigs {
                libc::sigaddset(&mut set, s);
            }
            if libc::sigprocmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) < 0 {
                return Err(std::io::Error::last_os_error());
            }
        }
        // SAFETY: `set` is valid; -1 asks for a new fd.
        let fd = unsafe { libc::signalfd(-1, &set, libc::SFD_CLOEXEC | libc::SFD_NONBLOCK) };
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: a fresh fd that nothing else owns.
        Ok(Caught(unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) }))
    }

    pub fn raw_fd(&self) -> i32 {
        use std::os::fd::AsRawFd;
        self.0.as_raw_fd()
    }

    /// The signals that arrived since the last call, in order.
    pub fn take(&self) -> Vec<i32> {
        let mut got = Vec::new();
        // SAFETY: signalfd_siginfo is plain data.
        let mut info: libc::signalfd_siginfo = unsafe { std::mem::zeroed() };
        let size = std::mem::size_of::<libc::signalfd_siginfo>();
        // SAFETY: reads at most `size` bytes into `info`.
        while unsafe {
            libc::read(
                self.raw_fd(),
                (&mut info as *mut libc::signalfd_siginfo).cast(),
                size,
            )
        } == size as isize
        {
            got.push(info.ssi_signo as i32);
        }
        got
    }
}
