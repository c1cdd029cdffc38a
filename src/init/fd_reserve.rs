//! A couple of fds held aside, so that the CMD and the init's own scripts
//! can still be started once services have used up RLIMIT_NOFILE: starting
//! a child takes a pipe (its exec report), and the CMD must not be lost
//! for want of one. The spare-fd trick of servers that must keep accepting.

use std::cell::RefCell;
use std::os::fd::OwnedFd;

use nix::errno::Errno;
use nix::fcntl::OFlag;

use crate::error::{Error, Result};

/// Both ends of one pipe.
const SPARE: usize = 2;

/// Empty by default: tini mode runs only the CMD and needs none.
#[derive(Default)]
pub(super) struct FdReserve {
    spare: RefCell<Vec<OwnedFd>>,
    wanted: usize,
}

impl FdReserve {
    pub(super) fn new() -> Self {
        let r = Self {
            spare: RefCell::default(),
            wanted: SPARE,
        };
        r.refill();
        r
    }

    fn refill(&self) {
        let mut spare = self.spare.borrow_mut();
        while spare.len() < self.wanted {
            let flags = OFlag::O_RDONLY | OFlag::O_CLOEXEC;
            match nix::fcntl::open("/dev/null", flags, nix::sys::stat::Mode::empty()) {
                Ok(fd) => spare.push(fd),
                Err(_) => break,
            }
        }
    }

    /// Runs `start`; when it fails for want of fds, once more with the
    /// spare ones given up, which are taken back afterwards if they can be.
    pub(super) fn retry<T>(&self, mut start: impl FnMut() -> Result<T>) -> Result<T> {
        match start() {
            Err(e) if out_of_fds(&e) && !self.spare.borrow().is_empty() => {
                self.spare.borrow_mut().clear();
                let again = start();
                self.refill();
                again
            }
            done => {
                self.refill();
                done
            }
        }
    }
}

fn out_of_fds(e: &Error) -> bool {
    matches!(
        e,
        Error::System {
            errno: Errno::EMFILE | Errno::ENFILE,
            ..
        }
    )
}
