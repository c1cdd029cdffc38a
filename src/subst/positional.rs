//! Positional parameters: the `#`, `0`, `1`… frame kept in the environment,
//! its stack (`#:1`, `1:2`…), and the bindings `$#`, `$0`…, `$@` built from it.

use super::Binding;
use crate::decimal::number;
use crate::env::Env;
use crate::error::{Error, Result};

/// True for names that belong to the positional frame stack: they start with `#` or a digit.
fn in_frame(name: &[u8]) -> bool {
    name.first()
        .is_some_and(|&b| b == b'#' || b.is_ascii_digit())
}

/// Splits `base:depth`; `None` depth when there is no colon; `Err` when the
/// suffix after the colon is not a number (such names are left alone).
fn split_depth(name: &[u8]) -> std::result::Result<(&[u8], Option<u64>), ()> {
    match name.iter().position(|&b| b == b':') {
        None => Ok((name, None)),
        Some(c) => number(&name[c + 1..])
            .map(|d| (&name[..c], Some(d)))
            .ok_or(()),
    }
}

fn with_depth(base: &[u8], depth: u64) -> Vec<u8> {
    let mut n = base.to_vec();
    if depth > 0 {
        n.push(b':');
        n.extend_from_slice(depth.to_string().as_bytes());
    }
    n
}

/// Pushes every variable whose name satisfies `in_stack` one level down.
pub fn push_where(env: &mut Env, in_stack: impl Fn(&[u8]) -> bool) {
    env.rename_in_place(|name| {
        if !in_stack(name) {
            return None;
        }
        let (base, depth) = split_depth(name).ok()?;
        Some(Some(with_depth(base, depth.unwrap_or(0) + 1)))
    });
}

/// Drops the top level of a stack and brings the ones below up.
pub fn pop_where(env: &mut Env, in_stack: impl Fn(&[u8]) -> bool) {
    env.rename_in_place(|name| {
        if !in_stack(name) {
            return None;
        }
        match split_depth(name).ok()? {
            (_, None) => Some(None),
            (base, Some(d)) => Some(Some(with_depth(base, d.saturating_sub(1)))),
        }
    });
}

pub fn push(env: &mut Env) {
    push_where(env, in_frame);
}

pub fn pop(env: &mut Env) {
    pop_where(env, in_frame);
}

/// Sets `#`, `0` and `1`… for a new frame.
pub fn set_frame(env: &mut Env, zero: &[u8], args: &[Vec<u8>]) {
    env.set(b"#".to_vec(), args.len().to_string());
    env.set(b"0".to_vec(), zero.to_vec());
    for (i, a) in args.iter().enumerate() {
        env.set((i + 1).to_string(), a.clone());
    }
}

/// Reads the current frame: `$0` and `$1`…`$#`. Exit 100 when it is missing or broken.
pub fn read_frame(env: &Env) -> Result<(Vec<u8>, Vec<Vec<u8>>)> {
    let n = env.get(b"#").and_then(number).ok_or_else(|| {
        Error::Invalid("unable to read positional parameters: # is not set or not a number".into())
    })?;
    let get = |i: u64| {
        env.get(i.to_string().as_bytes())
            .map(<[u8]>::to_vec)
            .ok_or_else(|| Error::Invalid(format!("positional parameter {i} is not set")))
    };
    let zero = get(0)?;
    let args = (1..=n).map(get).collect::<Result<Vec<_>>>()?;
    Ok((zero, args))
}

/// Bindings for `$#`, `$0`…`$max(n, at_least)` (missing ones empty) and `$@`
/// (the words from `args[skip..]`).
pub fn bindings(zero: &[u8], args: &[Vec<u8>], at_least: usize, skip: usize) -> Vec<Binding> {
    let mut b = Vec::with_capacity(args.len().max(at_least) + 3);
    b.push(Binding::new(
        b"#".to_vec(),
        vec![args.len().to_string().into_bytes()],
    ));
    b.push(Binding::new(b"0".to_vec(), vec![zero.to_vec()]));
    for i in 1..=args.len().max(at_least) {
        let v = args.get(i - 1).cloned().unwrap_or_default();
        b.push(Binding::new(i.to_string(), vec![v]));
    }
    b.push(Binding::new(
        b"@".to_vec(),
        args.get(skip..).unwrap_or_default().to_vec(),
    ));
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(env: &Env) -> Vec<String> {
        env.iter()
            .map(|(k, _)| String::from_utf8_lossy(k).into_owned())
            .collect()
    }

    #[test]
    fn push_and_pop_match_execline() {
        let mut env = Env::default();
        for k in [
            "1abc",
            "#x",
            "EXECLINE_STRICT",
            "A:1",
            "1:x",
            "1:01",
            "1::1",
            "#",
        ] {
            env.set(k, "v");
        }
        push(&mut env);
        assert_eq!(
            names(&env),
            [
                "1abc:1",
                "#x:1",
                "EXECLINE_STRICT",
                "A:1",
                "1:x",
                "1:2",
                "1::1",
                "#:1"
            ]
        );
        pop(&mut env);
        assert_eq!(
            names(&env),
            [
                "1abc",
                "#x",
                "EXECLINE_STRICT",
                "A:1",
                "1:x",
                "1:1",
                "1::1",
                "#"
            ]
        );
        pop(&mut env);
        assert_eq!(names(&env), ["EXECLINE_STRICT", "A:1", "1:x", "1", "1::1"]);
    }
}
