//! `s6-svscanctl [ -zabhitqnN ] scandir`: send commands to the scanner of
//! scandir through `.s6-svscan/control`, as s6-svscanctl does.

use crate::builtins::options;
use crate::chain::{Env, Step};

use crate::error::{Error, Result, describe, show};

pub const USAGE: &str = "s6-svscanctl [ -zabhitqnN ] svscandir";

pub fn run(_env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, first) = options(&argv[1..], "zabhitqnN")?;
    let Some(dir) = argv.get(first + 1) else {
        return Err(crate::builtins::usage());
    };
    let dir = std::path::PathBuf::from(show(dir));
    let bytes: Vec<u8> = opts.iter().map(|(c, _)| *c).collect();
    match crate::s6::supervise_dir::control_scanner(&dir, &bytes) {
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
