//! `supervise/death_tally` as clients read it: 14-byte records of a TAI64N
//! stamp, the exit code (128+n for signal n) and the signal (0 for an exit).

use std::path::Path;
use std::time::SystemTime;

pub struct Death {
    pub when: SystemTime,
    pub code: u8,
    pub signal: u8,
}

pub fn read(service: &Path) -> std::io::Result<Vec<Death>> {
    let data = std::fs::read(service.join("supervise/death_tally"))?;
    Ok(parse(&data))
}

/// The records of a death_tally file; a trailing partial record is left out.
pub fn parse(data: &[u8]) -> Vec<Death> {
    data.chunks_exact(14)
        .map(|r| {
            let mut stamp = [0u8; 12];
            stamp.copy_from_slice(&r[..12]);
            Death {
                when: super::tai64n::unpack(&stamp),
                code: r[12],
                signal: r[13],
            }
        })
        .collect()
}
