//! POSIX-style short options (skarnet's subgetopt): options stop at the first
//! non-option or after `--`; `-abc` groups flags; `-dX` or `-d X` give a value.

pub type Opt<'a> = (u8, Option<&'a [u8]>);

/// Misuse of options: an unknown letter or a missing value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadOptions;

/// Parses `args` against `spec` ("d:nc" — a `:` marks a value). Returns the
/// options in order and the index of the first operand, or `Err` on misuse.
pub fn getopt<'a>(args: &'a [Vec<u8>], spec: &str) -> Result<(Vec<Opt<'a>>, usize), BadOptions> {
    parse(args, spec, false)
}

/// Like `getopt`, but an unknown letter is dropped instead of being misuse
/// (s6-softlimit ignores options it does not know).
pub fn getopt_skipping<'a>(
    args: &'a [Vec<u8>],
    spec: &str,
) -> Result<(Vec<Opt<'a>>, usize), BadOptions> {
    parse(args, spec, true)
}

fn parse<'a>(
    args: &'a [Vec<u8>],
    spec: &str,
    skip_unknown: bool,
) -> Result<(Vec<Opt<'a>>, usize), BadOptions> {
    let spec = spec.as_bytes();
    let mut opts = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg.as_slice() == b"--" {
            return Ok((opts, i + 1));
        }
        if arg.len() < 2 || arg[0] != b'-' {
            break;
        }
        let mut j = 1;
        while j < arg.len() {
            let c = arg[j];
            let Some(at) = spec.iter().position(|&s| s == c && s != b':') else {
                if !skip_unknown {
                    return Err(BadOptions);
                }
                j += 1;
                continue;
            };
            if spec.get(at + 1) == Some(&b':') {
                if j + 1 < arg.len() {
                    opts.push((c, Some(&arg[j + 1..])));
                } else {
                    i += 1;
                    opts.push((c, Some(args.get(i).ok_or(BadOptions)?.as_slice())));
                }
                break;
            }
            opts.push((c, None));
            j += 1;
        }
        i += 1;
    }
    Ok((opts, i))
}

/// An octal file mode (permissions with setuid, setgid and sticky bits).
pub fn file_mode(s: &[u8]) -> Option<u32> {
    std::str::from_utf8(s)
        .ok()
        .and_then(|m| u32::from_str_radix(m, 8).ok())
        .filter(|&m| m <= 0o7777)
}

pub use crate::decimal::number;

#[cfg(test)]
mod tests {
    use super::*;

    fn v(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn cases() {
        let a = v(&["-nd", ":", "-s", "x", "-c"]);
        let (o, i) = getopt(&a, "nsd:").unwrap();
        assert_eq!(o, [(b'n', None), (b'd', Some(&b":"[..])), (b's', None)]);
        assert_eq!(i, 3);
        let a = v(&["-d:", "--", "-x"]);
        assert_eq!(getopt(&a, "d:").unwrap().1, 2);
        assert!(getopt(&v(&["-z"]), "d:").is_err());
        let a = v(&["-zd", "5", "x"]);
        assert_eq!(
            getopt_skipping(&a, "d:").unwrap(),
            (vec![(b'd', Some(&b"5"[..]))], 2)
        );
        assert!(getopt(&v(&["-d"]), "d:").is_err());
        assert_eq!(getopt(&v(&["-", "x"]), "d:").unwrap().1, 0);
        assert_eq!(number(b"012"), Some(12));
        assert_eq!(number(b"1a"), None);
    }
}
