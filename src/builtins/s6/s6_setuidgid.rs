//! `s6-setuidgid account prog...`: run prog as `account` (a user name, or
//! `uid:gid` with no supplementary groups). Like s6, it is written as
//! s6-envuidgid + s6-applyuidgid, run here in-process.

use crate::chain::{Env, Step};
use crate::error::Result;

pub const USAGE: &str = "s6-setuidgid username prog...";

fn words(list: &[&[u8]]) -> Vec<Vec<u8>> {
    list.iter().map(|w| w.to_vec()).collect()
}

pub fn run(_env: &mut Env, mut argv: Vec<Vec<u8>>) -> Result<Step> {
    if argv.len() < 3 {
        return Err(crate::builtins::usage());
    }
    let prog = argv.split_off(2);
    let account = argv.pop().unwrap_or_default();
    if account.is_empty() {
        return Ok(Step::Next(prog));
    }
    let mut next = match account.iter().position(|&b| b == b':') {
        Some(c) => words(&[
            b"s6-applyuidgid",
            b"-u",
            &account[..c],
            b"-g",
            &account[c + 1..],
            b"-G",
            b"",
        ]),
        None => words(&[b"s6-envuidgid", &account, b"s6-applyuidgid", b"-Uz"]),
    };
    next.push(b"--".to_vec());
    next.extend(prog);
    Ok(Step::Next(next))
}
