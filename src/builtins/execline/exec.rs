//! `exec [-c] [-l] [-a argv0] prog...`: run prog with a chosen argv[0] or an empty env.

use crate::builtins::{options, split_at};
use crate::chain::{Env, Step};
use crate::error::Result;

pub const USAGE: &str = "exec [ -c ] [ -l ] [ -a argv0 ] prog...";

/// The `-c -l -a argv0` options, shared with tryexec.
#[derive(Default)]
pub struct ExecAs {
    pub clear: bool,
    login: bool,
    argv0: Option<Vec<u8>>,
}

impl ExecAs {
    /// Applies one of `c l a`; false for any other letter.
    pub fn option(&mut self, o: u8, arg: Option<&[u8]>) -> bool {
        match o {
            b'c' => self.clear = true,
            b'l' => self.login = true,
            b'a' => self.argv0 = arg.map(<[u8]>::to_vec),
            _ => return false,
        }
        true
    }

    /// Rewrites argv[0] of a non-empty `argv` as asked.
    pub fn rename(&self, argv: &mut [Vec<u8>]) {
        let mut zero = self.argv0.clone().unwrap_or_else(|| argv[0].clone());
        if self.login {
            zero.insert(0, b'-');
        }
        argv[0] = zero;
    }
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "cla:")?;
    let mut how = ExecAs::default();
    for (o, arg) in opts {
        how.option(o, arg);
    }
    let mut rest = split_at(argv, i + 1);
    let Some(prog) = rest.first().cloned() else {
        return Err(crate::builtins::usage());
    };
    if how.clear {
        env.clear();
    }
    how.rename(&mut rest);
    Ok(Step::Exec { prog, argv: rest })
}
