//! `s6-svscan [ -c max ] [ -t rescan ] [ -d notif ] [ scandir ]`: supervise
//! every service dir of scandir (default: the current directory) in this
//! process, at most `max` of them (default 500), scanning again every
//! `rescan` ms if asked to. `-X` is accepted and ignored: there is no
//! s6-supervise whose stderr it would redirect. It is registered from the
//! init, not with the other builtins, because it *is* the supervisor.

use crate::builtins::options;
use crate::chain::{Env, Step};
use crate::error::{Error, Result, show};

pub const USAGE: &str = "s6-svscan [ -c maxservices ] [ -t timeout ] [ -d notif ] [ scandir ]";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "c:t:d:X:")?;
    let dir = argv
        .get(first + 1)
        .map_or_else(|| ".".to_owned(), |d| show(d));
    let mut o = super::svscan::Options::default();
    for (c, arg) in opts {
        let arg = arg.map(show).unwrap_or_default();
        let number = || arg.parse::<u64>().map_err(|_| Error::Usage);
        match c {
            // Ready to take commands once the control FIFO exists; said then.
            b'd' => o.notify = crate::chain::fd::parse(arg.as_bytes()).unwrap_or(-1),
            b't' => o.rescan_ms = number()?,
            b'c' => o.max = number()? as usize,
            _ => {}
        }
    }
    Ok(Step::Exit(super::svscan::run_with(dir.into(), o)))
}
