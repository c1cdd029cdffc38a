//! The one blocking wait of the init, the scanner and the s6 clients:
//! poll a set of fds for input until the nearest deadline.

use std::time::Instant;

/// Blocks until one of `fds` is readable (or hung up) or `deadline`
/// passes; returns the fds that are ready, in the order given.
pub fn readable(fds: &[i32], deadline: Option<Instant>) -> Vec<i32> {
    ready(fds, &[], deadline).0
}

/// Like `readable`, also waiting for any of `out` to take a write; returns
/// the readable fds and the writable ones.
pub fn ready(fds: &[i32], out: &[i32], deadline: Option<Instant>) -> (Vec<i32>, Vec<i32>) {
    let timeout = deadline.map_or(-1, |d| {
        let left = d.saturating_duration_since(Instant::now());
        // Round up so a deadline is never polled for early.
        i32::try_from(left.as_millis() + 1).unwrap_or(i32::MAX)
    });
    let mut set: Vec<libc::pollfd> = fds
        .iter()
        .map(|&fd| (fd, libc::POLLIN))
        .chain(out.iter().map(|&fd| (fd, libc::POLLOUT)))
        .map(|(fd, events)| libc::pollfd {
            fd,
            events,
            revents: 0,
        })
        .collect();
    // SAFETY: a valid array of pollfds, owned here for the duration of the call.
    let n = unsafe { libc::poll(set.as_mut_ptr(), set.len() as libc::nfds_t, timeout) };
    if n <= 0 {
        return (Vec::new(), Vec::new());
    }
    let (ins, outs) = set.split_at(fds.len());
    let hit = |s: &[libc::pollfd]| s.iter().filter(|p| p.revents != 0).map(|p| p.fd).collect();
    (hit(ins), hit(outs))
}
