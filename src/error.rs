//! The crate's runtime error: one variant per kind of failure, each with one exit code.

use nix::errno::Errno;
use thiserror::Error;

use crate::exit;
use crate::script::ParseError;

#[derive(Debug, Error)]
pub enum Error {
    /// Wrong options or arguments; the engine prints the command's usage line.
    #[error("usage")]
    Usage,
    /// A permanent error in what the user asked for (bad number, bad key…).
    #[error("{0}")]
    Invalid(String),
    /// A system call failed while doing `action` ("open /x", "fork").
    #[error("unable to {action}: {}", errno.text())]
    System { action: String, errno: Errno },
    /// A fatal condition that execline reports with 111 ("bad substitution key").
    #[error("{0}")]
    Failed(String),
    /// A child could not even start its first program.
    #[error("unable to spawn {prog}: {}", errno.text())]
    Spawn { prog: String, errno: Errno },
    /// The next program could not be executed.
    #[error("unable to exec {prog}: {}", errno.text())]
    Exec { prog: String, errno: Errno },
    /// A script did not parse.
    #[error(transparent)]
    Parse(#[from] Box<ParseError>),
    /// A refusal with its own exit code, as s6 exits 1 for an unknown account.
    #[error("{1}")]
    Refused(i32, String),
    /// Exit silently with this code (the message, if any, was already printed).
    #[error("exit {0}")]
    Quiet(i32),
}

impl Error {
    pub fn code(&self) -> i32 {
        match self {
            Error::Usage | Error::Invalid(_) | Error::Parse(_) => exit::USAGE,
            Error::System { .. } | Error::Failed(_) | Error::Spawn { .. } => exit::SYSTEM,
            Error::Exec { errno, .. } if *errno == Errno::ENOENT => exit::NOT_FOUND,
            Error::Exec { .. } => exit::CANNOT_EXEC,
            Error::Quiet(code) | Error::Refused(code, _) => *code,
        }
    }

    /// Shorthand for a failed system call.
    pub fn sys(action: impl Into<String>, errno: Errno) -> Self {
        Error::System {
            action: action.into(),
            errno,
        }
    }
}

/// The errno behind an I/O error (EIO when there is none).
pub fn errno_of(e: &std::io::Error) -> Errno {
    Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO))
}

/// An I/O error as C programs print it: strerror's text, no "(os error N)".
pub fn describe(e: &std::io::Error) -> String {
    match e.raw_os_error() {
        Some(n) => Errno::from_raw(n).text().to_string(),
        None => e.to_string(),
    }
}

/// An errno's text as s6-overlay's programs print it (musl's strerror),
/// where nix's table words it otherwise: "Bad file descriptor", not "Bad
/// file number".
pub trait ErrnoText {
    fn text(self) -> &'static str;
}

impl ErrnoText for Errno {
    fn text(self) -> &'static str {
        match self {
            Errno::EBADF => "Bad file descriptor",
            Errno::EAGAIN => "Resource temporarily unavailable",
            Errno::ENOMEM => "Out of memory",
            Errno::ECHILD => "No child process",
            Errno::EBUSY => "Resource busy",
            Errno::ENFILE => "Too many open files in system",
            Errno::EMFILE => "No file descriptors available",
            Errno::ENOTTY => "Not a tty",
            Errno::ESPIPE => "Invalid seek",
            Errno::EDOM => "Domain error",
            Errno::ERANGE => "Result not representable",
            Errno::ENAMETOOLONG => "Filename too long",
            Errno::ELOOP => "Symbolic link loop",
            Errno::ENOLCK => "No locks available",
            Errno::EBADMSG => "Bad message",
            Errno::EOPNOTSUPP => "Not supported",
            Errno::EADDRINUSE => "Address in use",
            Errno::ETIMEDOUT => "Operation timed out",
            Errno::EDQUOT => "Quota exceeded",
            other => other.desc(),
        }
    }
}

/// A lossy display form of a byte string for messages.
pub fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub type Result<T> = std::result::Result<T, Error>;
