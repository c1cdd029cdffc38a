//! `s6-svscanctl [ -zabhitqnN ] scandir`: send commands to the scanner of
//! scandir through `.s6-svscan/control`, as s6-svscanctl does.

use crate::builtins::options;
use crate::chain::{Env, Step};
use std::os::unix::fs::OpenOptionsExt;

use crate::error::{Error, Result, describe, show};

pub const USAGE: &str = "s6-svscanctl [ -zabhitqnN ] svscandir";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "zabhitqnN")?;
    let Some(dir) = argv.get(first + 1) else {
        return Err(crate::builtins::usage());
    };
    let dir = std::path::PathBuf::from(show(dir));
    let bytes: Vec<u8> = opts.iter().map(|(c, _)| *c).collect();
    let fifo = dir.join(".s6-svscan/control");
    let sent = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&fifo)
        .and_then(|mut f| std::io::Write::write_all(&mut f, &bytes));
    match sent {
        Ok(()) => Ok(Step::Exit(0)),
        Err(e) if e.raw_os_error() == Some(libc::ENXIO) => Err(Error::Refused(
            100,
            format!(
                "unable to control {}: supervisor not listening",
                dir.display()
            ),
        )),
        Err(e) => Err(Error::Failed(format!(
            "unable to control {}: {}",
            dir.display(),
            describe(&e)
        ))),
    }
}
