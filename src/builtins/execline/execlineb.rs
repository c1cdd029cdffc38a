//! `execlineb [-q|-w|-W] [-p|-P|-S n|-s n] (-c script | file) [args...]`:
//! parse a script into one argv, set up positional parameters, and run it.

use std::os::unix::ffi::OsStrExt;

use crate::builtins::{options, split_at, usage};
use crate::chain::{Env, Step, getopt::number};
use crate::error::{Error, Result, show};
use crate::script;
use crate::subst::{positional, substitute};

pub const USAGE: &str =
    "execlineb [ -q | -w | -W ] [ -p | -P | -S nmin | -s nmin ] [ -c commandline ] script args";

enum Positionals {
    Push,
    Overwrite,
    Ignore,
    /// `-S n` (skip 0) or `-s n` (skip n): substitute into the script.
    Substitute {
        at_least: usize,
        skip_for_all: bool,
    },
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "qwWpPS:s:c:")?;
    let mut mode = Positionals::Push;
    let mut inline = None;
    for (o, arg) in opts {
        match o {
            b'q' => env.unset(b"EXECLINE_STRICT"),
            b'w' => env.set(b"EXECLINE_STRICT".to_vec(), b"1".to_vec()),
            b'W' => env.set(b"EXECLINE_STRICT".to_vec(), b"2".to_vec()),
            b'p' => mode = Positionals::Overwrite,
            b'P' => mode = Positionals::Ignore,
            b'S' | b's' => {
                let n = arg.and_then(number).ok_or_else(usage)? as usize;
                mode = Positionals::Substitute {
                    at_least: n,
                    skip_for_all: o == b's',
                };
            }
            _ => inline = arg.map(<[u8]>::to_vec),
        }
    }
    let zero_of_invocation = argv[0].clone();
    let mut operands = split_at(argv, i + 1);
    let parse = |name: &str, text: &[u8]| {
        script::parse_argv(name, text).map_err(|e| Error::Parse(Box::new(e)))
    };
    let (argv, zero) = match inline {
        Some(text) => (parse("(command line)", &text)?, zero_of_invocation),
        None => {
            if operands.is_empty() {
                return Err(usage());
            }
            let file = operands.remove(0);
            // A supervisor's child gets the words its parent parsed already.
            let argv = match crate::chain::shebang::take_handed(&file) {
                Some(words) => words,
                None => {
                    let text = std::fs::read(std::ffi::OsStr::from_bytes(&file))
                        .map_err(|e| Error::sys(format!("read {}", show(&file)), errno(&e)))?;
                    parse(&show(&file), &text)?
                }
            };
            (argv, file)
        }
    };
    let argv = match mode {
        Positionals::Push => {
            positional::push(env);
            positional::set_frame(env, &zero, &operands);
            argv
        }
        Positionals::Overwrite => {
            positional::set_frame(env, &zero, &operands);
            argv
        }
        Positionals::Ignore => argv,
        Positionals::Substitute {
            at_least,
            skip_for_all,
        } => {
            if operands.len() < at_least {
                let msg = format!(
                    "too few arguments: expecting at least {at_least} but got {}",
                    operands.len()
                );
                // Unset counts as 1 here: warn unless told to be quiet.
                let level = if env.get(b"EXECLINE_STRICT").is_some() {
                    env.strict()
                } else {
                    1
                };
                match level {
                    2 => return Err(Error::Invalid(msg)),
                    1 => eprintln!("execlineb: warning: {msg}"),
                    _ => {}
                }
            }
            let skip = if skip_for_all { at_least } else { 0 };
            substitute(
                argv,
                &positional::bindings(&zero, &operands, at_least, skip),
            )
        }
    };
    Ok(Step::Next(argv))
}

use crate::error::errno_of as errno;
