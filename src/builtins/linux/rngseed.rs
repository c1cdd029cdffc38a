//! `rngseed [-d dir] [-v verbosity] [-r|-R] [-n|-N] [-w|-W]`: carry the
//! kernel's random pool across reboots. `-r` feeds `dir/seed` to the kernel
//! (crediting its entropy if the file is marked creditable, mode 0400) and
//! removes it; `-N` (the default) then waits until the pool is initialised;
//! `-w` writes a new seed, hashed with the old one and the clocks, marked
//! creditable when it came from an initialised pool.

use std::io::Read;
use std::os::fd::AsRawFd;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};

use crate::builtins::options;
use crate::chain::getopt::number;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe};

pub const USAGE: &str =
    "rngseed [ -d seeddir ] [ -v verbosity ] [ -r | -R ] [ -n | -N ] [ -w | -W ]";

const HASH_PREFIX: &[u8] = b"SeedRNG v1 Old+New Prefix";

/// BLAKE2s-256 (RFC 7693), unkeyed: what mixes the old seed, the clocks
/// and the new random bytes into the seed's last 32 bytes.
struct Blake2s {
    h: [u32; 8],
    block: [u8; 64],
    fill: usize,
    count: u64,
}

const IV: [u32; 8] = [
    0x6A09_E667,
    0xBB67_AE85,
    0x3C6E_F372,
    0xA54F_F53A,
    0x510E_527F,
    0x9B05_688C,
    0x1F83_D9AB,
    0x5BE0_CD19,
];

const SIGMA: [[usize; 16]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
    [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
    [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
    [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
    [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];

impl Blake2s {
    fn new() -> Self {
        let mut h = IV;
        // Parameter block: 32-byte digest, no key, fanout and depth 1.
        h[0] ^= 0x0101_0020;
        Blake2s {
            h,
            block: [0; 64],
            fill: 0,
            count: 0,
        }
    }

    fn compress(&mut self, last: bool) {
        let m: Vec<u32> = self
            .block
            .chunks(4)
            .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
            .collect();
        let mut v = [0u32; 16];
        v[..8].copy_from_slice(&self.h);
        v[8..].copy_from_slice(&IV);
        v[12] ^= self.count as u32;
        v[13] ^= (self.count >> 32) as u32;
        if last {
            v[14] = !v[14];
        }
        let g = |v: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize, x: u32, y: u32| {
            v[a] = v[a].wrapping_add(v[b]).wrapping_add(x);
            v[d] = (v[d] ^ v[a]).rotate_right(16);
            v[c] = v[c].wrapping_add(v[d]);
            v[b] = (v[b] ^ v[c]).rotate_right(12);
            v[a] = v[a].wrapping_add(v[b]).wrapping_add(y);
            v[d] = (v[d] ^ v[a]).rotate_right(8);
            v[c] = v[c].wrapping_add(v[d]);
            v[b] = (v[b] ^ v[c]).rotate_right(7);
        };
        for s in &SIGMA {
            g(&mut v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
            g(&mut v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
            g(&mut v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
            g(&mut v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
            g(&mut v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
            g(&mut v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
            g(&mut v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
            g(&mut v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
        }
        for i in 0..8 {
            self.h[i] ^= v[i] ^ v[i + 8];
        }
    }

    fn update(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            // A full block is compressed only once more data follows: the
            // last one is compressed by `finish`, flagged as last.
            if self.fill == 64 {
                self.count += 64;
                self.compress(false);
                self.fill = 0;
            }
            let take = (64 - self.fill).min(data.len());
            self.block[self.fill..self.fill + take].copy_from_slice(&data[..take]);
            self.fill += take;
            data = &data[take..];
        }
    }

    fn finish(mut self) -> [u8; 32] {
        self.count += self.fill as u64;
        self.block[self.fill..].fill(0);
        self.compress(true);
        let mut out = [0u8; 32];
        for (i, w) in self.h.iter().enumerate() {
            out[i * 4..i * 4 + 4].copy_from_slice(&w.to_le_bytes());
        }
        out
    }
}

/// A clock's reading as the bytes of a timespec.
fn clock_bytes(clock: libc::clockid_t) -> [u8; 16] {
    // SAFETY: timespec is plain data, filled by clock_gettime.
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: a valid clock id and our own timespec.
    unsafe { libc::clock_gettime(clock, &mut ts) };
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&(ts.tv_sec as i64).to_ne_bytes());
    out[8..].copy_from_slice(&(ts.tv_nsec as i64).to_ne_bytes());
    out
}

/// Fills `buf` from the kernel; without `block`, only what an initialised
/// pool gives, the rest from /dev/urandom. True if it all came from an
/// initialised pool.
fn random(buf: &mut [u8], block: bool) -> Result<bool> {
    let flags = if block { 0 } else { libc::GRND_NONBLOCK };
    let mut got = 0;
    while got < buf.len() {
        // SAFETY: writes at most len - got bytes into our own buffer.
        let r = unsafe { libc::getrandom(buf[got..].as_mut_ptr().cast(), buf.len() - got, flags) };
        if r >= 0 {
            got += r as usize;
            continue;
        }
        match nix::errno::Errno::last() {
            nix::errno::Errno::EINTR => {}
            nix::errno::Errno::EAGAIN => break,
            e => return Err(Error::sys("getrandom", e)),
        }
    }
    if got < buf.len() {
        let mut urandom = std::fs::File::open("/dev/urandom")
            .map_err(|e| Error::Failed(format!("unable to open /dev/urandom: {}", describe(&e))))?;
        urandom
            .read_exact(&mut buf[got..])
            .map_err(|e| Error::Failed(format!("unable to read /dev/urandom: {}", describe(&e))))?;
    }
    Ok(got == buf.len())
}

/// The kernel's RNDADDENTROPY request: entropy credited (bits), length and
/// the bytes.
#[repr(C)]
struct PoolInfo {
    entropy_count: libc::c_int,
    buf_size: libc::c_int,
    buffer: [u8; 512],
}

const RNDADDENTROPY: libc::c_ulong = 0x4008_5203;

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, _) = options(&argv[1..], "d:v:rRnNwW")?;
    let mut dir: Vec<u8> = b"/var/lib/rngseed".to_vec();
    let mut verbosity = 1u64;
    let (mut read, mut read_credit, mut block, mut write, mut write_credit) =
        (false, true, true, false, true);
    for (c, arg) in opts {
        match c {
            b'd' => dir = arg.unwrap_or_default().to_vec(),
            b'v' => verbosity = arg.and_then(number).ok_or_else(crate::builtins::usage)?,
            b'r' | b'R' => (read, read_credit) = (true, c == b'r'),
            b'n' | b'N' => block = c == b'N',
            _ => (write, write_credit) = (true, c == b'w'),
        }
    }
    while dir.last() == Some(&b'/') {
        dir.pop();
    }
    let dir = crate::error::show(&dir);
    let file = format!("{dir}/seed");
    let fail = |what: String, e: std::io::Error| {
        Error::Failed(format!("unable to {what}: {}", describe(&e)))
    };
    let mut hash = Blake2s::new();
    if write {
        if !dir.is_empty() {
            // As mkdir -p: an existing directory is used as it is.
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&dir)
                .map_err(|e| fail(format!("mkdir {dir}"), e))?;
        }
        hash.update(HASH_PREFIX);
        hash.update(&clock_bytes(libc::CLOCK_REALTIME));
        hash.update(&clock_bytes(libc::CLOCK_BOOTTIME));
    }
    if read {
        if verbosity >= 2 {
            eprintln!("rngseed: info: reading seed from {file}");
        }
        let mut f = std::fs::File::open(&file).map_err(|e| fail(format!("open {file}"), e))?;
        let mut req = PoolInfo {
            entropy_count: 0,
            buf_size: 0,
            buffer: [0; 512],
        };
        let mut len = 0;
        while len < 512 {
            match f.read(&mut req.buffer[len..]) {
                Ok(0) => break,
                Ok(n) => len += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(fail(format!("read from {file}"), e)),
            }
        }
        if len == 0 {
            return Err(Error::Invalid(format!("empty {file}")));
        }
        let mode = f
            .metadata()
            .map_err(|e| fail(format!("stat {file}"), e))?
            .mode();
        std::fs::remove_file(&file).map_err(|e| fail(format!("unlink {file}"), e))?;
        if write {
            hash.update(&len.to_ne_bytes());
            hash.update(&req.buffer[..len]);
        }
        let writable = mode & 0o200 != 0;
        if read_credit && writable && verbosity > 0 {
            eprintln!("rngseed: warning: {file} was not marked as creditable");
        }
        req.entropy_count = if read_credit && !writable {
            (len * 8) as libc::c_int
        } else {
            0
        };
        req.buf_size = len as libc::c_int;
        let urandom =
            std::fs::File::open("/dev/urandom").map_err(|e| fail("open /dev/urandom".into(), e))?;
        if verbosity >= 2 {
            let how = if req.entropy_count > 0 {
                ""
            } else {
                " without crediting"
            };
            eprintln!("rngseed: info: seeding with {} bits{how}", len * 8);
        }
        // SAFETY: RNDADDENTROPY reads a PoolInfo we own.
        if unsafe { libc::ioctl(urandom.as_raw_fd(), RNDADDENTROPY as _, &req) } < 0 {
            return Err(Error::sys("seed", nix::errno::Errno::last()));
        }
    }
    if block {
        if verbosity >= 2 {
            eprintln!("rngseed: info: waiting for the entropy pool to initialize");
        }
        random(&mut [0u8; 1], true)?;
    }
    if write {
        let len = std::fs::read_to_string("/proc/sys/kernel/random/poolsize")
            .ok()
            .and_then(|s| s.trim().parse::<usize>().ok())
            .map_or(512, |bits| bits.div_ceil(8))
            .clamp(32, 512);
        if verbosity >= 2 {
            eprintln!(
                "rngseed: info: reading {} bits of random to make the seed",
                len * 8
            );
        }
        let mut seed = vec![0u8; len];
        let creditable = random(&mut seed, block)?;
        if !creditable && verbosity > 0 {
            eprintln!("rngseed: warning: unable to make the seed creditable");
        }
        hash.update(&len.to_ne_bytes());
        hash.update(&seed);
        seed[len - 32..].copy_from_slice(&hash.finish());
        if verbosity >= 2 {
            eprintln!("rngseed: info: writing seed to {file}");
        }
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&file)
            .and_then(|mut f| {
                std::io::Write::write_all(&mut f, &seed)?;
                f.sync_all()
            });
        written.map_err(|e| fail(format!("write to {file}"), e))?;
        let mode = if write_credit && creditable {
            0o400
        } else {
            0o600
        };
        if let Err(e) = std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode))
            && verbosity > 0
        {
            eprintln!(
                "rngseed: warning: unable to mark {file} as creditable: {}",
                describe(&e)
            );
        }
    }
    Ok(Step::Exit(0))
}

#[cfg(test)]
mod tests {
    use super::Blake2s;

    fn hex(d: [u8; 32]) -> String {
        d.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn blake2s_known_answers() {
        assert_eq!(
            hex(Blake2s::new().finish()),
            "69217a3079908094e11121d042354a7c1f55b6482ca1a51e1b250dfd1ed0eef9"
        );
        let mut h = Blake2s::new();
        h.update(b"abc");
        assert_eq!(
            hex(h.finish()),
            "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982"
        );
        // 64 and 65 bytes cross the block boundary both ways.
        let mut a = Blake2s::new();
        a.update(&[7u8; 64]);
        let mut b = Blake2s::new();
        b.update(&[7u8; 30]);
        b.update(&[7u8; 34]);
        assert_eq!(hex(a.finish()), hex(b.finish()));
    }
}
