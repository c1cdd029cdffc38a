//! `s6-permafailon secs deathcount events prog...`: in a finish script,
//! exit 125 (do not restart) if the service died at least deathcount times
//! in the last secs seconds of a listed cause; else run prog.

use crate::chain::{Env, Step};
use crate::error::{Result, show};
use crate::s6::death_tally;

pub const USAGE: &str = "s6-permafailon seconds deathcount statuslist prog...";

/// One listed cause: an exit code range, or a signal.
enum Cause {
    Codes(u8, u8),
    Signal(u8),
}

fn parse_causes(list: &[u8]) -> Option<Vec<Cause>> {
    String::from_utf8_lossy(list)
        .split(',')
        .map(|item| {
            let lower = item.to_ascii_lowercase();
            if let Some(sig) = lower.strip_prefix("sig") {
                let n = sig
                    .parse::<u8>()
                    .ok()
                    .or_else(|| crate::sig::parse(sig).and_then(|n| u8::try_from(n).ok()))?;
                return Some(Cause::Signal(n));
            }
            let (a, b) = item.split_once('-').unwrap_or((item, item));
            Some(Cause::Codes(a.parse().ok()?, b.parse().ok()?))
        })
        .collect()
}

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    if argv.len() < 5 {
        return Err(crate::builtins::usage());
    }
    let num = |a: &[u8]| crate::chain::getopt::number(a).ok_or_else(crate::builtins::usage);
    let (secs, count) = (num(&argv[1])?, num(&argv[2])?);
    let causes = parse_causes(&argv[3]).ok_or_else(crate::builtins::usage)?;
    // Run from the service directory, as a finish script is.
    let deaths = death_tally::read(std::path::Path::new(".")).unwrap_or_default();
    let since = std::time::SystemTime::now() - std::time::Duration::from_secs(secs);
    let matching = deaths
        .iter()
        .filter(|d| d.when >= since)
        .filter(|d| {
            causes.iter().any(|c| match *c {
                Cause::Signal(s) => d.signal == s,
                Cause::Codes(a, b) => d.signal == 0 && (a..=b).contains(&d.code),
            })
        })
        .count() as u64;
    if matching >= count {
        eprintln!(
            "s6-permafailon: info: {matching} deaths matching {} in the last {secs} seconds: not restarting",
            show(&argv[3])
        );
        return Ok(Step::Exit(125));
    }
    Ok(Step::Next(argv[4..].to_vec()))
}
