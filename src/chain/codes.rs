//! Exit-code lists of the looping commands (`-o okcodes` / `-x breakcodes`).

use crate::chain::getopt::number;

/// When a loop goes on after one of its instances exits.
#[derive(Clone, Default)]
pub enum Continue {
    /// No list given: always go on.
    #[default]
    Always,
    /// `-o`: go on only on these codes.
    On(Vec<i32>),
    /// `-x`: stop on these codes.
    Unless(Vec<i32>),
}

impl Continue {
    /// Parses a comma-separated list for `-o` (`ok`) or `-x`. Like execline,
    /// reading stops at the first entry that is not a number; `None` when
    /// not even one code was read.
    pub fn parse(list: &[u8], ok: bool) -> Option<Continue> {
        let codes: Vec<i32> = list
            .split(|&b| b == b',')
            .map_while(|c| number(c).and_then(|n| i32::try_from(n).ok()))
            .collect();
        if codes.is_empty() {
            return None;
        }
        Some(if ok {
            Continue::On(codes)
        } else {
            Continue::Unless(codes)
        })
    }

    pub fn goes_on(&self, code: i32) -> bool {
        match self {
            Continue::Always => true,
            Continue::On(c) => c.contains(&code),
            Continue::Unless(c) => !c.contains(&code),
        }
    }

    pub fn is_always(&self) -> bool {
        matches!(self, Continue::Always)
    }
}
