//! `supervise/status`: 35 bytes, rewritten atomically (status.new, rename).
//! Two TAI64N stamps (last up/down change, last readiness change), the pid
//! (0 when down; finish's while it runs), the raw wait status, and flags.

use std::path::Path;
use std::time::SystemTime;

use super::tai64n;

pub const SIZE: usize = 35;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Status {
    pub stamp: SystemTime,
    pub readystamp: SystemTime,
    pub pid: u64,
    /// The raw `wstat` of the last death (`code << 8`, or the signal number).
    pub wstat: u16,
    pub paused: bool,
    pub finishing: bool,
    pub want_up: bool,
    pub ready: bool,
}

impl Status {
    pub fn new(now: SystemTime) -> Self {
        Status {
            stamp: now,
            readystamp: now,
            pid: 0,
            wstat: 0,
            paused: false,
            finishing: false,
            want_up: true,
            ready: false,
        }
    }

    pub fn pack(&self) -> [u8; SIZE] {
        let mut b = [0u8; SIZE];
        b[..12].copy_from_slice(&tai64n::pack(self.stamp));
        b[12..24].copy_from_slice(&tai64n::pack(self.readystamp));
        b[24..32].copy_from_slice(&self.pid.to_be_bytes());
        b[32..34].copy_from_slice(&self.wstat.to_be_bytes());
        b[34] = u8::from(self.paused)
            | u8::from(self.finishing) << 1
            | u8::from(self.want_up) << 2
            | u8::from(self.ready) << 3;
        b
    }

    pub fn unpack(b: &[u8]) -> Option<Self> {
        let b: &[u8; SIZE] = b.get(..SIZE)?.try_into().ok()?;
        let stamp: &[u8; 12] = b[..12].try_into().ok()?;
        let readystamp: &[u8; 12] = b[12..24].try_into().ok()?;
        Some(Status {
            stamp: tai64n::unpack(stamp),
            readystamp: tai64n::unpack(readystamp),
            pid: u64::from_be_bytes(b[24..32].try_into().ok()?),
            wstat: u16::from_be_bytes([b[32], b[33]]),
            paused: b[34] & 1 != 0,
            finishing: b[34] & 2 != 0,
            want_up: b[34] & 4 != 0,
            ready: b[34] & 8 != 0,
        })
    }

    pub fn read(service: &Path) -> std::io::Result<Self> {
        let data = std::fs::read(service.join("supervise/status"))?;
        Status::unpack(&data).ok_or_else(|| std::io::Error::other("status file is too short"))
    }

    pub fn write(&self, service: &Path) -> std::io::Result<()> {
        let dir = service.join("supervise");
        let tmp = dir.join("status.new");
        std::fs::write(&tmp, self.pack())?;
        std::fs::rename(tmp, dir.join("status"))
    }

    /// Whether the last death was by a signal, and which.
    pub fn signal(&self) -> Option<i32> {
        let sig = i32::from(self.wstat & 0x7f);
        (sig != 0 && sig != 0x7f).then_some(sig)
    }

    pub fn exit_code(&self) -> Option<i32> {
        self.signal()
            .is_none()
            .then_some(i32::from(self.wstat >> 8))
    }
}

/// The raw wait status of a death, as `waitpid` would have filled it.
pub fn raw_wstat(status: nix::sys::wait::WaitStatus) -> u16 {
    use nix::sys::wait::WaitStatus;
    match status {
        WaitStatus::Exited(_, code) => ((code & 0xff) as u16) << 8,
        WaitStatus::Signaled(_, sig, core) => (sig as u16) | if core { 0x80 } else { 0 },
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_matches_s6() {
        // A status file written by s6-supervise 2.11 after `s6-svc -d`.
        let real: [u8; 35] = [
            0x40, 0, 0, 0, 0x6b, 0x0e, 0x70, 0x0c, 0x0b, 0x44, 0xb5, 0x33, 0x40, 0, 0, 0, 0x6b,
            0x0e, 0x70, 0x0c, 0x0b, 0x55, 0x49, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x0f, 0x08,
        ];
        let s = Status::unpack(&real).unwrap();
        assert_eq!(
            (s.pid, s.signal(), s.ready, s.want_up),
            (0, Some(15), true, false)
        );
        assert_eq!(s.pack(), real);
    }
}
