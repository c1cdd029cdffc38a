//! Value transformations, in execline's fixed order: crunch → chomp → split.
//! An empty delimiter set means "decode a sequence of netstrings".

use nix::errno::Errno;

use crate::error::{Error, Result};

pub const DEFAULT_DELIMITERS: &[u8] = b" \n\r\t";

#[derive(Debug, Clone)]
pub struct Transform {
    pub crunch: bool,
    pub chomp: bool,
    pub split: bool,
    pub delimiters: Vec<u8>,
}

impl Default for Transform {
    fn default() -> Self {
        Self {
            crunch: false,
            chomp: false,
            split: false,
            delimiters: DEFAULT_DELIMITERS.to_vec(),
        }
    }
}

impl Transform {
    /// Applies the `-C -c -N -n -s -d` option letters shared by substitution commands.
    /// Returns false when the letter is not one of them.
    pub fn apply_option(&mut self, opt: u8, arg: Option<&[u8]>) -> bool {
        match opt {
            b'C' => self.crunch = true,
            b'c' => self.crunch = false,
            b'n' => self.chomp = true,
            b'N' => self.chomp = false,
            b's' => self.split = true,
            b'd' => self.delimiters = arg.unwrap_or_default().to_vec(),
            _ => return false,
        }
        true
    }

    /// Turns a value into the words it stands for.
    pub fn apply(&self, value: &[u8]) -> Result<Vec<Vec<u8>>> {
        if self.split && self.delimiters.is_empty() {
            return decode_netstrings(value);
        }
        let is_delim = |b: &u8| self.delimiters.contains(b);
        let mut v = value.to_vec();
        if self.crunch {
            v.dedup_by(|b, prev| is_delim(prev) && is_delim(b));
        }
        let terminated = v.last().is_some_and(is_delim);
        if self.chomp && terminated {
            v.pop();
        }
        if !self.split {
            return Ok(vec![v]);
        }
        let mut words: Vec<Vec<u8>> = v.split(is_delim).map(<[u8]>::to_vec).collect();
        // `split` always yields a last chunk: keep it only if it holds
        // something, and not when chomping found no delimiter to remove.
        let last_is_word =
            (terminated || !self.chomp) && words.last().is_some_and(|w| !w.is_empty());
        if !last_is_word {
            words.pop();
        }
        Ok(words)
    }
}

/// The netstring `len:bytes,` at the front of `s`: the range of its bytes
/// and where the next one starts. `Ok(None)` while `s` may still be the
/// beginning of one; `Err` once it cannot be.
pub fn netstring_at(s: &[u8]) -> Result<Option<(std::ops::Range<usize>, usize)>> {
    let bad = || Error::sys("decode netstrings", Errno::EINVAL);
    let Some(colon) = s.iter().position(|&b| b == b':') else {
        return if s.iter().all(u8::is_ascii_digit) {
            Ok(None)
        } else {
            Err(bad())
        };
    };
    let len = crate::decimal::number(&s[..colon])
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(bad)?;
    let end = colon + 1 + len;
    match s.get(end) {
        None => Ok(None),
        Some(b',') => Ok(Some((colon + 1..end, end + 1))),
        Some(_) => Err(bad()),
    }
}

/// Decodes `len:bytes,` repeated; anything else is an error.
pub fn decode_netstrings(mut s: &[u8]) -> Result<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    while !s.is_empty() {
        let (body, next) =
            netstring_at(s)?.ok_or_else(|| Error::sys("decode netstrings", Errno::EINVAL))?;
        out.push(s[body].to_vec());
        s = &s[next..];
    }
    Ok(out)
}

/// Encodes words as netstrings (the inverse of `decode_netstrings`).
pub fn encode_netstring(out: &mut Vec<u8>, word: &[u8]) {
    out.extend_from_slice(word.len().to_string().as_bytes());
    out.push(b':');
    out.extend_from_slice(word);
    out.push(b',');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(opts: &str, delim: &str, value: &str) -> Vec<String> {
        let mut tr = Transform {
            delimiters: delim.as_bytes().to_vec(),
            ..Transform::default()
        };
        for c in opts.bytes() {
            tr.apply_option(c, None);
        }
        tr.apply(value.as_bytes())
            .unwrap()
            .into_iter()
            .map(|w| String::from_utf8(w).unwrap())
            .collect()
    }

    #[test]
    fn cases_checked_against_execline() {
        assert_eq!(t("sCn", ":", "::a::b::"), ["", "a", "b"]);
        assert_eq!(t("sn", ":", "a:b"), ["a"]);
        assert_eq!(t("sn", " ", "a b "), ["a", "b"]);
        assert_eq!(t("n", " ", "a b "), ["a b"]);
        assert_eq!(t("s", " ", ""), Vec::<String>::new());
        assert_eq!(t("s", " ", " "), [""]);
        assert_eq!(t("s", " ", "a b"), ["a", "b"]);
        assert_eq!(t("sC", " ", "a  b"), ["a", "b"]);
        assert_eq!(
            t("s", "", "1:a,2:bb,0:,7:xyz 123,1: ,"),
            ["a", "bb", "", "xyz 123", " "]
        );
        assert!(decode_netstrings(b"1:a,2:bb").is_err());
        assert!(decode_netstrings(b"x:a,").is_err());
    }
}
