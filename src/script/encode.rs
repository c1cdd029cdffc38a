//! Script → argv, with execline's block encoding: inside a block of depth d
//! every word gets d leading spaces and the closing brace becomes a word of
//! d-1 spaces (the empty word at depth 1).

use super::ast::{Script, TokenKind};

pub fn encode(script: &Script) -> Vec<Vec<u8>> {
    let mut argv = Vec::with_capacity(script.tokens.len());
    let mut depth = 0usize;
    for t in &script.tokens {
        match &t.kind {
            TokenKind::Open => depth += 1,
            TokenKind::Close => {
                depth = depth.saturating_sub(1);
                argv.push(vec![b' '; depth]);
            }
            TokenKind::Word(w) => {
                let mut word = Vec::with_capacity(depth + w.len());
                word.resize(depth, b' ');
                word.extend_from_slice(w);
                argv.push(word);
            }
        }
    }
    argv
}
