//! Taking a block off the front of argv (execline's el_semicolon): words of a
//! block start with a space that is stripped; an empty word ends it.

use crate::error::{Error, Result, show};

/// Splits `args` into the block at its front and the rest after the
/// terminator. Unprefixed words are accepted, with a warning under
/// `EXECLINE_STRICT=1` and an error under 2.
pub fn take_block(prog: &str, args: &mut Vec<Vec<u8>>, strict: u8) -> Result<Vec<Vec<u8>>> {
    let end = args
        .iter()
        .position(Vec::is_empty)
        .ok_or_else(|| Error::Invalid("unterminated block".into()))?;
    let mut block: Vec<Vec<u8>> = args.drain(..=end).collect();
    block.pop();
    for (n, word) in block.iter_mut().enumerate() {
        if word.first() == Some(&b' ') {
            word.remove(0);
        } else if strict >= 2 {
            return Err(Error::Invalid(format!(
                "unquoted argument {} at block argument {n}",
                show(word)
            )));
        } else if strict == 1 {
            eprintln!(
                "{prog}: warning: unquoted argument {} at block argument {n}",
                show(word)
            );
        }
    }
    Ok(block)
}

/// The inverse of `take_block`: quotes `words` one level and terminates them.
pub fn quote_block(words: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = words
        .into_iter()
        .map(|mut w| {
            w.insert(0, b' ');
            w
        })
        .collect();
    out.push(Vec::new());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_one_level() {
        let mut a: Vec<Vec<u8>> = [" echo", " a", "  b", "  ", " ", "", "rest"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect();
        let b = take_block("t", &mut a, 0).unwrap();
        assert_eq!(
            b,
            [
                b"echo".to_vec(),
                b"a".to_vec(),
                b" b".to_vec(),
                b" ".to_vec(),
                b"".to_vec()
            ]
        );
        assert_eq!(a, [b"rest".to_vec()]);
        let mut bad: Vec<Vec<u8>> = vec![b" x".to_vec()];
        assert!(take_block("t", &mut bad, 0).is_err());
    }
}
