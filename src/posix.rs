//! libc's POSIX pattern matchers: regcomp/regexec, fnmatch and glob. execline
//! uses exactly these, so calling them (rather than a Rust regex engine) gives
//! the same leftmost-longest ERE/BRE semantics and the same glob order.

use crate::error::ErrnoText;
use std::ffi::{CStr, CString};
use std::mem::MaybeUninit;

use crate::error::{Error, Result};

fn cstring(bytes: &[u8]) -> CString {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    CString::new(&bytes[..end]).unwrap_or_default()
}

/// The C library's `regex_t` as its <regex.h> declares it; the libc crate
/// keeps the fields private, but POSIX makes `re_nsub` public. glibc puts
/// it after six fields of its own, musl first.
#[cfg(not(target_env = "musl"))]
#[repr(C)]
struct RawRegex {
    buffer: *mut libc::c_void,
    allocated: usize,
    used: usize,
    syntax: libc::c_ulong,
    fastmap: *mut libc::c_char,
    translate: *mut libc::c_char,
    re_nsub: usize,
    bits: u8,
}

#[cfg(target_env = "musl")]
#[repr(C)]
struct RawRegex {
    re_nsub: usize,
    opaque: *mut libc::c_void,
    padding: [*mut libc::c_void; 4],
    nsub2: usize,
    padding2: libc::c_char,
}

const _: () = assert!(std::mem::size_of::<RawRegex>() == std::mem::size_of::<libc::regex_t>());

/// How many repetition operators (`*`, `+`, `?`, `{…}`) may follow one
/// another. POSIX leaves more than one undefined; glibc nests them, and its
/// regcomp then needs memory exponential in their number (24 `+` after a
/// `.`: over 4 GB), which a logger's or a script's pattern must not cost.
const MAX_STACKED: usize = 2;

/// The longest run of repetition operators in `pattern`, outside bracket
/// expressions and escapes: `*`, `+`, `?` and `{m,n}` in an extended
/// regex; `*`, `\\+`, `\\?` and `\\{m,n\\}` in a basic one.
fn stacked_repetitions(pattern: &[u8], basic: bool) -> usize {
    let (mut run, mut longest, mut i) = (0usize, 0usize, 0usize);
    // Where the interval opened at `from` ends (just past `close`), if it does.
    let interval_end = |from: usize, close: &[u8]| {
        pattern[from..]
            .windows(close.len())
            .position(|w| w == close)
            .map(|p| from + p + close.len())
    };
    while i < pattern.len() {
        let next = pattern.get(i + 1).copied();
        let (op, step) = match (pattern[i], next) {
            (b'\\', Some(b'{')) if basic => match interval_end(i + 2, b"\\}") {
                Some(end) => (true, end - i),
                None => (false, 2),
            },
            (b'\\', Some(b'+' | b'?')) if basic => (true, 2),
            (b'\\', _) => (false, 2),
            (b'[', _) => {
                // A `]` right after `[` or `[^` belongs to the set.
                let mut j = i + 1;
                if pattern.get(j) == Some(&b'^') {
                    j += 1;
                }
                if pattern.get(j) == Some(&b']') {
                    j += 1;
                }
                let end = pattern[j..].iter().position(|&b| b == b']');
                (false, end.map_or(pattern.len() - i, |p| j + p + 1 - i))
            }
            (b'*', _) => (true, 1),
            (b'+' | b'?', _) if !basic => (true, 1),
            (b'{', _) if !basic => match interval_end(i + 1, b"}") {
                Some(end) => (true, end - i),
                None => (false, 1),
            },
            _ => (false, 1),
        };
        run = if op { run + 1 } else { 0 };
        longest = longest.max(run);
        i += step;
    }
    longest
}

/// A compiled POSIX regular expression.
pub struct Regex {
    re: Box<libc::regex_t>,
}

/// Options of `Regex::new`.
#[derive(Clone, Copy, Default)]
pub struct RegexFlags {
    pub basic: bool,
    pub icase: bool,
    pub nosub: bool,
}

impl Regex {
    /// Compiles `pattern`; the error text is regerror's.
    pub fn new(pattern: &[u8], flags: RegexFlags) -> Result<Regex> {
        Self::compile(pattern, flags).map_err(|(_, msg)| {
            Error::Invalid(format!(
                "unable to compile regex {}: {msg}",
                crate::error::show(pattern)
            ))
        })
    }

    /// Compiles `pattern`; on failure, regcomp's code and regerror's text.
    pub fn compile(
        pattern: &[u8],
        flags: RegexFlags,
    ) -> std::result::Result<Regex, (libc::c_int, String)> {
        if stacked_repetitions(pattern, flags.basic) > MAX_STACKED {
            return Err((
                libc::REG_BADRPT,
                "more than two repetition operators in a row (undefined in POSIX)".into(),
            ));
        }
        let mut cflags = 0;
        if !flags.basic {
            cflags |= libc::REG_EXTENDED;
        }
        if flags.icase {
            cflags |= libc::REG_ICASE;
        }
        if flags.nosub {
            cflags |= libc::REG_NOSUB;
        }
        let pat = cstring(pattern);
        let mut re: Box<MaybeUninit<libc::regex_t>> = Box::new(MaybeUninit::uninit());
        // SAFETY: `re` points to writable storage for a regex_t; `pat` is NUL-terminated.
        let rc = unsafe { libc::regcomp(re.as_mut_ptr(), pat.as_ptr(), cflags) };
        if rc != 0 {
            let mut buf = [0u8; 256];
            // SAFETY: regerror writes at most buf.len() bytes, NUL-terminated, into buf.
            unsafe {
                libc::regerror(rc, re.as_ptr(), buf.as_mut_ptr().cast(), buf.len());
            }
            let msg = CStr::from_bytes_until_nul(&buf)
                .map(|c| c.to_string_lossy().into_owned())
                .unwrap_or_default();
            return Err((rc, msg));
        }
        // SAFETY: regcomp succeeded, so the regex_t is initialised.
        let re = unsafe { Box::from_raw(Box::into_raw(re).cast::<libc::regex_t>()) };
        Ok(Regex { re })
    }

    /// Number of parenthesised subexpressions.
    pub fn groups(&self) -> usize {
        let re: *const libc::regex_t = &*self.re;
        // SAFETY: RawRegex mirrors this C library's regex_t (size checked at
        // compile time); re_nsub is a documented POSIX member.
        unsafe { (*re.cast::<RawRegex>()).re_nsub }
    }

    /// Searches `text`; on a match returns the span of the whole match and of
    /// each subexpression (`None` where a group did not take part).
    pub fn find(&self, text: &[u8]) -> Option<Vec<Option<(usize, usize)>>> {
        let text = cstring(text);
        let n = self.groups() + 1;
        let mut m = vec![
            libc::regmatch_t {
                rm_so: -1,
                rm_eo: -1
            };
            n
        ];
        // SAFETY: `m` has room for n matches; the regex is compiled; text is NUL-terminated.
        let rc = unsafe { libc::regexec(&*self.re, text.as_ptr(), n, m.as_mut_ptr(), 0) };
        if rc != 0 {
            return None;
        }
        Some(
            m.iter()
                .map(|r| (r.rm_so >= 0).then(|| (r.rm_so as usize, r.rm_eo.max(r.rm_so) as usize)))
                .collect(),
        )
    }

    pub fn is_match(&self, text: &[u8]) -> bool {
        let text = cstring(text);
        // SAFETY: no match array is requested (nmatch 0); text is NUL-terminated.
        unsafe { libc::regexec(&*self.re, text.as_ptr(), 0, std::ptr::null_mut(), 0) == 0 }
    }
}

impl Drop for Regex {
    fn drop(&mut self) {
        // SAFETY: the regex_t was initialised by a successful regcomp and is freed once.
        unsafe { libc::regfree(&mut *self.re) };
    }
}

/// fnmatch(3) with the given FNM_* flags.
pub fn fnmatch(pattern: &[u8], text: &[u8], flags: libc::c_int) -> bool {
    let (p, t) = (cstring(pattern), cstring(text));
    // SAFETY: both strings are NUL-terminated and outlive the call.
    unsafe { libc::fnmatch(p.as_ptr(), t.as_ptr(), flags) == 0 }
}

/// How a glob went.
pub enum Glob {
    Matches(Vec<Vec<u8>>),
    NoMatch,
    Error,
}

extern "C" fn warn_glob_error(path: *const libc::c_char, errno: libc::c_int) -> libc::c_int {
    // SAFETY: glob passes a valid NUL-terminated path.
    let path = unsafe { CStr::from_ptr(path) }.to_string_lossy();
    let err = nix::errno::Errno::from_raw(errno).text();
    eprintln!("elglob: warning: while globbing, error reading {path}: {err}");
    0
}

/// glob(3) with GLOB_* `flags`; `warn` reports unreadable directories.
pub fn glob(pattern: &[u8], flags: libc::c_int, warn: bool) -> Glob {
    let pat = cstring(pattern);
    let mut g: MaybeUninit<libc::glob_t> = MaybeUninit::zeroed();
    let errfunc: Option<extern "C" fn(*const libc::c_char, libc::c_int) -> libc::c_int> =
        warn.then_some(warn_glob_error);
    // SAFETY: `g` is zeroed storage for a glob_t; the pattern is NUL-terminated.
    let rc = unsafe { libc::glob(pat.as_ptr(), flags, errfunc, g.as_mut_ptr()) };
    // SAFETY: glob initialises the glob_t whatever it returns (zeroed counts on error).
    let mut g = unsafe { g.assume_init() };
    let out = match rc {
        0 => {
            let mut words = Vec::with_capacity(g.gl_pathc);
            for i in 0..g.gl_pathc {
                // SAFETY: gl_pathv has gl_pathc valid NUL-terminated entries.
                let p = unsafe { CStr::from_ptr(*g.gl_pathv.add(i)) };
                words.push(p.to_bytes().to_vec());
            }
            Glob::Matches(words)
        }
        libc::GLOB_NOMATCH => Glob::NoMatch,
        _ => Glob::Error,
    };
    // SAFETY: frees what glob allocated, once.
    unsafe { libc::globfree(&mut g) };
    out
}

#[cfg(test)]
mod stacked_tests {
    use super::*;

    #[test]
    fn runs_of_repetition_operators_are_counted_outside_sets_and_escapes() {
        let ere = |p: &[u8]| stacked_repetitions(p, false);
        let bre = |p: &[u8]| stacked_repetitions(p, true);
        assert_eq!(ere(b"a+b*c?"), 1);
        assert_eq!(ere(b"a*?"), 2);
        assert_eq!(ere(b".+++"), 3);
        assert_eq!(ere(b"[*+?]+"), 1);
        assert_eq!(ere(b"\\*\\+\\?"), 0);
        assert_eq!(ere(b"a{2}{3}{4}"), 3);
        assert_eq!(ere(b"\\{n0c+++"), 3);
        assert_eq!(bre(b"a\\{2\\}*"), 2);
        assert_eq!(bre(b"a+++"), 0);
        assert_eq!(bre(b"a\\+\\+\\+"), 3);
        assert!(Regex::compile(b".+++", RegexFlags::default()).is_err());
        assert!(Regex::compile(b"^(a|b)+c*$", RegexFlags::default()).is_ok());
    }
}
