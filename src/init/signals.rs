//! The init's signals: everything but synchronous faults is blocked and read
//! from a signalfd, so no handler ever runs. Children get the mask back.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use nix::errno::Errno;

/// Faults the kernel raises on the faulting thread; blocking them would hang it.
const FAULTS: [i32; 7] = [
    libc::SIGSEGV,
    libc::SIGBUS,
    libc::SIGILL,
    libc::SIGFPE,
    libc::SIGABRT,
    libc::SIGTRAP,
    libc::SIGSYS,
];

pub use crate::control::{halt, poweroff, reboot};
pub use crate::sig::{Name, name, parse, send};

/// The signals one wake-up took. A single one (what sigtimedwait gives)
/// needs no allocation on the way to a forward or a shutdown.
pub enum Taken {
    One([i32; 1]),
    Many(Vec<i32>),
}

impl Taken {
    pub fn as_slice(&self) -> &[i32] {
        match self {
            Taken::One(one) => one,
            Taken::Many(many) => many,
        }
    }
}

/// The blocked set and the mask to give back to children.
pub struct Signals {
    fd: OwnedFd,
    /// Every signal the init takes: blocked, and read from `fd`.
    set: libc::sigset_t,
    pub original: libc::sigset_t,
}

impl Signals {
    /// Blocks every catchable signal but the faults and opens a signalfd on them.
    pub fn take() -> Result<Self, Errno> {
        // SAFETY: sigset_t is plain data; sigfillset/sigdelset initialise it.
        let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
        // SAFETY: as above.
        let mut original: libc::sigset_t = unsafe { std::mem::zeroed() };
        // SAFETY: `set` is a valid sigset_t; the calls only write to it.
        unsafe {
            libc::sigfillset(&mut set);
            for s in FAULTS {
                libc::sigdelset(&mut set, s);
            }
        }
        // SAFETY: both pointers are to valid sigset_t values owned here.
        if unsafe { libc::sigprocmask(libc::SIG_BLOCK, &set, &mut original) } < 0 {
            return Err(Errno::last());
        }
        // SAFETY: `set` is valid; -1 asks for a new fd, which we then own.
        let raw = unsafe { libc::signalfd(-1, &set, libc::SFD_CLOEXEC | libc::SFD_NONBLOCK) };
        if raw < 0 {
            return Err(Errno::last());
        }
        // SAFETY: signalfd returned a fresh fd that nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        Ok(Signals { fd, set, original })
    }

    pub fn raw_fd(&self) -> i32 {
        self.fd.as_raw_fd()
    }

    /// Every signal pending now, in arrival order. One read takes up to 16;
    /// a short read means there are no more, so a wake-up costs one read.
    /// The buffer is left uninitialised and the list has room for a full
    /// read: the wake-up path then touches no memset or growth code.
    pub fn drain(&self) -> Vec<i32> {
        const BATCH: usize = 16;
        let size = std::mem::size_of::<libc::signalfd_siginfo>();
        let mut got = Vec::with_capacity(BATCH);
        let mut infos = std::mem::MaybeUninit::<[libc::signalfd_siginfo; BATCH]>::uninit();
        loop {
            // SAFETY: reads at most the array's size into the array.
            let n =
                unsafe { libc::read(self.fd.as_raw_fd(), infos.as_mut_ptr().cast(), size * BATCH) };
            let count = if n > 0 { n as usize / size } else { 0 };
            let first: *const libc::signalfd_siginfo = infos.as_ptr().cast();
            for i in 0..count {
                // SAFETY: the kernel wrote `count` whole records from the start.
                got.push(unsafe { (*first.add(i)).ssi_signo } as i32);
            }
            if count < BATCH {
                return got;
            }
        }
    }

    /// Waits for one signal, until `deadline` at most, the way tini does
    /// (sigtimedwait): when the signalfd is the only thing to watch, this
    /// costs one system call per wake-up instead of poll and a read.
    pub fn wait_one(&self, deadline: Option<std::time::Instant>) -> Option<i32> {
        let timeout = deadline.map(|d| {
            let left = d.saturating_duration_since(std::time::Instant::now());
            libc::timespec {
                tv_sec: left.as_secs() as _,
                tv_nsec: left.subsec_nanos() as libc::c_long,
            }
        });
        let ts = timeout
            .as_ref()
            .map_or(std::ptr::null(), |t| t as *const libc::timespec);
        // SAFETY: `set` is a valid sigset_t, `ts` null or a valid timespec;
        // no siginfo is asked for.
        let sig = unsafe { libc::sigtimedwait(&self.set, std::ptr::null_mut(), ts) };
        (sig > 0).then_some(sig)
    }

    /// In a child before exec: the mask the init was started with.
    pub fn restore_in_child(original: &libc::sigset_t) {
        // SAFETY: `original` is a valid sigset_t saved by `take`.
        unsafe {
            libc::sigprocmask(libc::SIG_SETMASK, original, std::ptr::null_mut());
        }
    }
}
