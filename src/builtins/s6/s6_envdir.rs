//! `s6-envdir [-I|-i] [-n] [-f] [-L] [-c nullis] dir prog...`: one variable
//! per file of `dir`, then prog. with-contenv loads its directory through `load`.

use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use crate::builtins::{options, split_at};
use crate::chain::{Env, Step};
use crate::error::{Error, Result, describe};

pub const USAGE: &str = "s6-envdir [ -I | -i ] [ -n ] [ -f ] [ -L ] [ -c nullchar ] dir prog...";

/// Without -L, only this many bytes of a file are read (s6's clamp).
const CLAMP: u64 = 4095;

/// How file contents become values.
#[derive(Clone, Copy)]
pub struct Reading {
    /// `-f`: the whole file, not its first line.
    pub whole: bool,
    /// `-n`: keep the trailing newline (`-f`) or trailing blanks (first line).
    pub keep_end: bool,
    /// `-L`: no 4095-byte clamp.
    pub unclamped: bool,
    /// `-c`: what a NUL byte becomes.
    pub nul_is: u8,
}

impl Default for Reading {
    fn default() -> Self {
        Reading {
            whole: false,
            keep_end: false,
            unclamped: false,
            nul_is: b'\n',
        }
    }
}

/// Why a directory could not be loaded; nothing was changed.
pub enum LoadError {
    /// The directory itself could not be opened (`-I` forgives ENOENT).
    Dir(std::io::Error),
    /// One entry could not be read.
    File(Vec<u8>, std::io::Error),
}

impl LoadError {
    pub fn into_error(self, dir: &[u8]) -> Error {
        let d = crate::error::show(dir);
        match self {
            LoadError::Dir(e) => Error::Failed(format!("unable to envdir {d}: {}", describe(&e))),
            LoadError::File(name, e) => Error::Failed(format!(
                "unable to envdir {d}: unable to read {}: {}",
                crate::error::show(&name),
                describe(&e)
            )),
        }
    }
}

/// Reads every variable of `dir` and applies them all to `env`, or none.
/// Entries starting with `.` or containing `=` are skipped; an empty file
/// unsets its variable. Values are data: nothing in the directory is run.
pub fn load(env: &mut Env, dir: &[u8], how: Reading) -> std::result::Result<(), LoadError> {
    let entries =
        std::fs::read_dir(Path::new(std::ffi::OsStr::from_bytes(dir))).map_err(LoadError::Dir)?;
    let mut changes: Vec<(Vec<u8>, Option<Vec<u8>>)> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(LoadError::Dir)?;
        let name = entry.file_name().as_bytes().to_vec();
        if name.starts_with(b".") || name.contains(&b'=') {
            continue;
        }
        let value = read_value(&entry.path(), how).map_err(|e| {
            // A name listed but gone (a dangling link) is not "no such directory".
            let e = if e.kind() == std::io::ErrorKind::NotFound {
                std::io::Error::other("it vanished or is a dangling link")
            } else {
                e
            };
            LoadError::File(name.clone(), e)
        })?;
        changes.push((name, value));
    }
    for (name, value) in changes {
        match value {
            Some(v) => env.set(name, v),
            None => env.unset(&name),
        }
    }
    Ok(())
}

/// The value one file gives, `None` for an empty file (unset).
fn read_value(path: &Path, how: Reading) -> std::io::Result<Option<Vec<u8>>> {
    let file = std::fs::File::open(path)?;
    let mut data = Vec::new();
    if how.unclamped {
        (&file).read_to_end(&mut data)?;
    } else {
        file.take(CLAMP).read_to_end(&mut data)?;
    }
    if data.is_empty() {
        return Ok(None);
    }
    let mut value = if how.whole {
        if !how.keep_end && data.last() == Some(&b'\n') {
            data.pop();
        }
        data
    } else {
        match data.iter().position(|&b| b == b'\n') {
            Some(end) => {
                data.truncate(end);
                data
            }
            // s6 reading unclamped drops a last line without its newline
            // unless -n; clamped, it keeps what it read.
            None if how.unclamped && !how.keep_end => Vec::new(),
            None if how.unclamped => return Ok(Some(nuls(data, how.nul_is))),
            None => data,
        }
    };
    if !how.whole && !how.keep_end {
        while matches!(value.last(), Some(b' ' | b'\t' | b'\r')) {
            value.pop();
        }
    }
    Ok(Some(nuls(value, how.nul_is)))
}

fn nuls(mut value: Vec<u8>, nul_is: u8) -> Vec<u8> {
    for b in &mut value {
        if *b == 0 {
            *b = nul_is;
        }
    }
    value
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "IinfLc:")?;
    let mut how = Reading::default();
    let mut loose = false;
    let mut nul_is = Some(b'\n');
    for (o, arg) in opts {
        match o {
            b'I' => loose = true,
            b'i' => loose = false,
            b'n' => how.keep_end = true,
            b'f' => how.whole = true,
            b'L' => how.unclamped = true,
            _ => nul_is = arg.and_then(|a| a.first().copied()),
        }
    }
    let mut rest = split_at(argv, i + 1);
    if rest.len() < 2 {
        return Err(crate::builtins::usage());
    }
    let dir = rest.remove(0);
    how.nul_is = nul_is.ok_or_else(|| {
        Error::Failed(format!(
            "unable to envdir {}: -c needs a character",
            crate::error::show(&dir)
        ))
    })?;
    match load(env, &dir, how) {
        Err(LoadError::Dir(e)) if loose && e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e.into_error(&dir)),
        Ok(()) => {}
    }
    Ok(Step::Next(rest))
}
