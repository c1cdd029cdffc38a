//! Substitution of `${key}` and `$key` in argv, one pass for a set of bindings.
//!
//! `${key}` matches anywhere in a word; `$key` matches when the key runs up to
//! the end of the word or to one of `$ { } \`. Before a matching reference,
//! 2n backslashes become n and the value goes in; 2n+1 become n and the
//! reference stays literal. A value of several words multiplies the word
//! (one copy per value, prefix and suffix kept), left to right; zero words
//! make it vanish. Inserted values are not scanned again.

pub mod positional;
pub mod transform;

/// One key and the words it stands for.
#[derive(Debug, Clone)]
pub struct Binding {
    pub key: Vec<u8>,
    pub values: Vec<Vec<u8>>,
}

impl Binding {
    pub fn new(key: impl Into<Vec<u8>>, values: Vec<Vec<u8>>) -> Self {
        Self {
            key: key.into(),
            values,
        }
    }
}

/// Substitutes every binding in every word, in parallel.
pub fn substitute(words: Vec<Vec<u8>>, bindings: &[Binding]) -> Vec<Vec<u8>> {
    if bindings.is_empty() {
        return words;
    }
    let mut out = Vec::with_capacity(words.len());
    for word in words {
        if word.contains(&b'$') {
            out.extend(substitute_word(&word, bindings));
        } else {
            out.push(word);
        }
    }
    out
}

/// A reference found at `start` (the `$`): key bytes and where it ends.
fn reference_at(word: &[u8], start: usize) -> Option<(&[u8], usize)> {
    let rest = &word[start + 1..];
    if rest.first() == Some(&b'{') {
        let close = rest.iter().position(|&b| b == b'}')?;
        let key = &rest[1..close];
        if key.iter().any(|&b| b == b'$' || b == b'{') {
            return None;
        }
        Some((key, start + 1 + close + 1))
    } else {
        let len = rest
            .iter()
            .position(|&b| matches!(b, b'$' | b'{' | b'}' | b'\\'))
            .unwrap_or(rest.len());
        Some((&rest[..len], start + 1 + len))
    }
}

fn substitute_word(word: &[u8], bindings: &[Binding]) -> Vec<Vec<u8>> {
    let mut results: Vec<Vec<u8>> = vec![Vec::new()];
    let mut literal_from = 0;
    let mut i = 0;
    while i < word.len() {
        if word[i] != b'$' {
            i += 1;
            continue;
        }
        let found = reference_at(word, i).and_then(|(key, end)| {
            bindings
                .iter()
                .rev()
                .find(|b| b.key == key)
                .map(|b| (b, end))
        });
        let Some((binding, end)) = found else {
            i += 1;
            continue;
        };
        let backslashes = word[literal_from..i]
            .iter()
            .rev()
            .take_while(|&&b| b == b'\\')
            .count();
        let mut literal = word[literal_from..i - backslashes].to_vec();
        literal.resize(literal.len() + backslashes / 2, b'\\');
        if backslashes % 2 == 1 {
            literal.extend_from_slice(&word[i..end]);
            for r in &mut results {
                r.extend_from_slice(&literal);
            }
        } else {
            let literal = &literal;
            results = results
                .iter()
                .flat_map(|r| {
                    binding.values.iter().map(move |v| {
                        let mut w = Vec::with_capacity(r.len() + literal.len() + v.len());
                        w.extend_from_slice(r);
                        w.extend_from_slice(literal);
                        w.extend_from_slice(v);
                        w
                    })
                })
                .collect();
        }
        literal_from = end;
        i = end;
    }
    for r in &mut results {
        r.extend_from_slice(&word[literal_from..]);
    }
    results
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(word: &str, binds: &[(&str, &[&str])]) -> Vec<String> {
        let b: Vec<Binding> = binds
            .iter()
            .map(|(k, v)| Binding::new(*k, v.iter().map(|x| x.as_bytes().to_vec()).collect()))
            .collect();
        substitute(vec![word.as_bytes().to_vec()], &b)
            .into_iter()
            .map(|w| String::from_utf8(w).unwrap())
            .collect()
    }

    #[test]
    fn cases_checked_against_execline() {
        let a: &[(&str, &[&str])] = &[("A", &["v"])];
        let cases: &[(&str, &str)] = &[
            ("$A$A", "vv"),
            ("${A}$A", "vv"),
            ("$$A", "$v"),
            ("${A ${A}}", "${A v}"),
            ("${{A}}", "${{A}}"),
            ("$", "$"),
            ("${", "${"),
            ("${}", "${}"),
            ("$A}", "v}"),
            ("${A", "${A"),
            ("$A\\", "v\\"),
            ("a$", "a$"),
            ("$A b", "$A b"),
            ("$A-b", "$A-b"),
            ("$A{", "v{"),
            ("${A}b", "vb"),
            ("\\$A", "$A"),
            ("\\\\$A", "\\v"),
            ("\\\\\\$A", "\\$A"),
            ("\\\\\\\\${A}x", "\\\\vx"),
            ("\\\\\\\\${B}x", "\\\\\\\\${B}x"),
        ];
        for (word, want) in cases {
            assert_eq!(s(word, a), [*want], "{word}");
        }
        let ab: &[(&str, &[&str])] = &[("A", &["a", "b"]), ("B", &["1", "2"])];
        assert_eq!(s("${A}-${B}", ab), ["a-1", "a-2", "b-1", "b-2"]);
        assert_eq!(s("x${C}y", &[("C", &[])]), Vec::<String>::new());
        let vw: &[(&str, &[&str])] = &[("A", &["v"]), ("B", &["w"])];
        assert_eq!(s("\\$A$B", vw), ["$Aw"]);
        assert_eq!(s("\\\\$A\\$B", vw), ["\\v$B"]);
        assert_eq!(s("$A\\\\\\$B", vw), ["v\\$B"]);
        assert_eq!(s("$A", &[("A", &["$B"]), ("B", &["x"])]), ["$B"]);
    }
}
