//! `CHAINIT_TRACE=1`: print each step's argv to stderr before running it.

use std::io::Write;

pub fn print(argv: &[Vec<u8>]) {
    let mut line = b"chainit: trace:".to_vec();
    for word in argv {
        line.push(b' ');
        let plain = !word.is_empty()
            && word
                .iter()
                .all(|&b| b.is_ascii_graphic() && b != b'\'' && b != b'\\');
        if plain {
            line.extend_from_slice(word);
        } else {
            line.push(b'\'');
            for &b in word {
                if b == b'\'' {
                    line.extend_from_slice(b"'\\''");
                } else {
                    line.push(b);
                }
            }
            line.push(b'\'');
        }
    }
    line.push(b'\n');
    let _ = std::io::stderr().write_all(&line);
}
