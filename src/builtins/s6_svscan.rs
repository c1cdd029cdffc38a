//! `s6-svscan [ -c max ] [ -t rescan ] [ -d notif ] [ scandir ]`: supervise
//! every service dir of scandir (default: the current directory) in this
//! process. `-c` and `-t` are accepted and ignored: there is no service
//! limit, and new service dirs are picked up on `s6-svscanctl -a`/SIGALRM.

use super::options;
use crate::chain::{Env, Step};
use crate::error::{Result, show};

pub const USAGE: &str = "s6-svscan [ -c maxservices ] [ -t timeout ] [ -d notif ] [ scandir ]";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "c:t:d:X:")?;
    let dir = argv
        .get(first + 1)
        .map_or_else(|| ".".to_owned(), |d| show(d));
    let notify = opts
        .iter()
        .find(|(c, _)| *c == b'd')
        .and_then(|(_, a)| a.and_then(crate::chain::fd::parse));
    if let Some(fd) = notify {
        // Ready to take commands once the control FIFO exists; say so then.
        return Ok(Step::Exit(crate::init::svscan::run_notifying(
            dir.into(),
            fd,
        )));
    }
    Ok(Step::Exit(crate::init::svscan::run(dir.into())))
}
