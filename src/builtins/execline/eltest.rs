//! `eltest expression...`: test(1) over any number of words. A word that
//! looks like an operator always is one; a leading `\` makes a word data.

use std::ffi::CString;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};

use crate::chain::{Env, Step};
use crate::error::{Error, Result};
use crate::posix::{Regex, RegexFlags};

pub const USAGE: &str = "eltest expression...";

const UNARY: &[&str] = &[
    "-b", "-c", "-d", "-e", "-f", "-g", "-G", "-h", "-k", "-L", "-n", "-N", "-O", "-p", "-r", "-s",
    "-S", "-t", "-u", "-U", "-v", "-w", "-x", "-z",
];
const BINARY: &[&str] = &[
    "=", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef", "=~",
];

enum Node {
    Str(Vec<u8>),
    Unary(&'static str, Vec<u8>),
    Binary(&'static str, Vec<u8>, Vec<u8>),
    Match(Vec<u8>, Regex),
    Not(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
}

fn op(word: &[u8], set: &[&'static str]) -> Option<&'static str> {
    set.iter().copied().find(|o| o.as_bytes() == word)
}

fn is_operator(word: &[u8]) -> bool {
    matches!(word, b"!" | b"(" | b")" | b"-a" | b"-o")
        || op(word, UNARY).is_some()
        || op(word, BINARY).is_some()
}

struct Parser<'a> {
    words: &'a [Vec<u8>],
    at: usize,
}

impl Parser<'_> {
    fn error(&self) -> Error {
        Error::Invalid(format!("parse error at argument {}", self.at))
    }

    fn peek(&self) -> Option<&[u8]> {
        self.words.get(self.at).map(Vec::as_slice)
    }

    /// A data word (never an operator); the `\` escape is removed.
    fn operand(&mut self) -> Result<Vec<u8>> {
        let w = self.peek().ok_or_else(|| self.error())?;
        if is_operator(w) {
            return Err(self.error());
        }
        let w = w.strip_prefix(b"\\").unwrap_or(w).to_vec();
        self.at += 1;
        Ok(w)
    }

    fn or(&mut self) -> Result<Node> {
        let mut left = self.and()?;
        while self.peek() == Some(b"-o") {
            self.at += 1;
            left = Node::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Node> {
        let mut left = self.not()?;
        while self.peek() == Some(b"-a") {
            self.at += 1;
            left = Node::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Node> {
        if self.peek() == Some(b"!") {
            self.at += 1;
            return Ok(Node::Not(Box::new(self.not()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Node> {
        let w = self.peek().ok_or_else(|| self.error())?;
        if w == b"(" {
            self.at += 1;
            let inner = self.or()?;
            if self.peek() != Some(b")") {
                return Err(if self.peek().is_none() {
                    Error::Invalid("parse error: too many left parentheses".into())
                } else {
                    self.error()
                });
            }
            self.at += 1;
            return Ok(inner);
        }
        if let Some(u) = op(w, UNARY) {
            self.at += 1;
            return Ok(Node::Unary(u, self.operand()?));
        }
        let left = self.operand()?;
        let Some(b) = self.peek().and_then(|w| op(w, BINARY)) else {
            return Ok(Node::Str(left));
        };
        self.at += 1;
        let right = self.operand()?;
        if b == "=~" {
            let re = Regex::new(
                &right,
                RegexFlags {
                    nosub: true,
                    ..RegexFlags::default()
                },
            )
            .map_err(|_| self.error())?;
            return Ok(Node::Match(left, re));
        }
        Ok(Node::Binary(b, left, right))
    }
}

fn path(p: &[u8]) -> &std::path::Path {
    use std::os::unix::ffi::OsStrExt;
    std::path::Path::new(std::ffi::OsStr::from_bytes(p))
}

fn access(p: &[u8], mode: libc::c_int) -> bool {
    let Ok(c) = CString::new(p) else { return false };
    // SAFETY: c is NUL-terminated; faccessat only reads it.
    unsafe { libc::faccessat(libc::AT_FDCWD, c.as_ptr(), mode, libc::AT_EACCESS) == 0 }
}

fn integer(s: &[u8], op: &str) -> Result<i64> {
    std::str::from_utf8(s)
        .ok()
        .and_then(|t| t.trim().parse().ok())
        .ok_or_else(|| Error::Invalid(format!("{op} requires integer arguments")))
}

fn unary(op: &str, arg: &[u8], env: &Env) -> Result<bool> {
    let stat = || std::fs::metadata(path(arg)).ok();
    let lstat = || std::fs::symlink_metadata(path(arg)).ok();
    let mode = |bit: u32| stat().is_some_and(|m| m.permissions().mode() & bit != 0);
    Ok(match op {
        "-n" => !arg.is_empty(),
        "-z" => arg.is_empty(),
        "-v" => env.get(arg).is_some(),
        "-e" => stat().is_some(),
        "-f" => stat().is_some_and(|m| m.is_file()),
        "-d" => stat().is_some_and(|m| m.is_dir()),
        "-b" => stat().is_some_and(|m| m.file_type().is_block_device()),
        "-c" => stat().is_some_and(|m| m.file_type().is_char_device()),
        "-p" => stat().is_some_and(|m| m.file_type().is_fifo()),
        "-S" => stat().is_some_and(|m| m.file_type().is_socket()),
        "-h" | "-L" => lstat().is_some_and(|m| m.file_type().is_symlink()),
        "-s" => stat().is_some_and(|m| m.len() > 0),
        "-g" => mode(libc::S_ISGID),
        "-u" => mode(libc::S_ISUID),
        "-k" => mode(libc::S_ISVTX),
        // SAFETY: geteuid/getegid cannot fail.
        "-O" | "-U" => stat().is_some_and(|m| m.uid() == unsafe { libc::geteuid() }),
        // SAFETY: as above.
        "-G" => stat().is_some_and(|m| m.gid() == unsafe { libc::getegid() }),
        "-N" => stat().is_some_and(|m| (m.mtime(), m.mtime_nsec()) > (m.atime(), m.atime_nsec())),
        "-r" => access(arg, libc::R_OK),
        "-w" => access(arg, libc::W_OK),
        "-x" => access(arg, libc::X_OK),
        // SAFETY: isatty only queries the fd.
        "-t" => unsafe { libc::isatty(integer(arg, op)? as libc::c_int) == 1 },
        _ => false,
    })
}

fn binary(op: &str, a: &[u8], b: &[u8]) -> Result<bool> {
    let mtime = |p: &[u8]| {
        std::fs::metadata(path(p))
            .ok()
            .map(|m| (m.mtime(), m.mtime_nsec()))
    };
    Ok(match op {
        "=" => a == b,
        "!=" => a != b,
        "<" => a < b,
        ">" => a > b,
        "-nt" => mtime(a) > mtime(b),
        "-ot" => mtime(a) < mtime(b),
        "-ef" => match (std::fs::metadata(path(a)), std::fs::metadata(path(b))) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        },
        _ => {
            let (x, y) = (integer(a, op)?, integer(b, op)?);
            match op {
                "-eq" => x == y,
                "-ne" => x != y,
                "-lt" => x < y,
                "-le" => x <= y,
                "-gt" => x > y,
                _ => x >= y,
            }
        }
    })
}

fn eval(node: &Node, env: &Env) -> Result<bool> {
    Ok(match node {
        Node::Str(s) => !s.is_empty(),
        Node::Unary(op, a) => unary(op, a, env)?,
        Node::Binary(op, a, b) => binary(op, a, b)?,
        Node::Match(s, re) => re.is_match(s),
        Node::Not(n) => !eval(n, env)?,
        Node::And(a, b) => eval(a, env)? && eval(b, env)?,
        Node::Or(a, b) => eval(a, env)? || eval(b, env)?,
    })
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let words = &argv[1..];
    if words.is_empty() {
        return Ok(Step::Exit(1));
    }
    let mut p = Parser { words, at: 0 };
    let tree = p.or()?;
    if p.at != words.len() {
        return Err(p.error());
    }
    Ok(Step::Exit(if eval(&tree, env)? { 0 } else { 1 }))
}
