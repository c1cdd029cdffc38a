//! `multidefine [-0] [-r] [-C|-c] [-N|-n] [-d delim] value { vars... } prog...`:
//! split a value and bind its words to several keys at once.

use crate::builtins::{options, split_at, usage};
use crate::chain::{Env, Step, block::take_block};
use crate::error::Result;
use crate::subst::{Binding, substitute, transform::Transform};

pub const USAGE: &str =
    "multidefine [ -0 ] [ -r ] [ -N | -n ] [ -C | -c ] [ -d delim ] value { vars... } prog...";

/// Parses one directive at the front of `args`.
pub fn directive(env: &Env, args: &[Vec<u8>]) -> Result<(Vec<Binding>, usize)> {
    let (opts, i) = options(args, "0rNnCcd:")?;
    let mut t = Transform {
        split: true,
        ..Transform::default()
    };
    let (mut zero_words, mut remainder) = (false, false);
    for (o, arg) in opts {
        match o {
            b'0' => zero_words = true,
            b'r' => remainder = true,
            _ => {
                t.apply_option(o, arg);
            }
        }
    }
    let value = args.get(i).ok_or_else(usage)?;
    let mut rest: Vec<Vec<u8>> = args[i + 1..].to_vec();
    let before = rest.len();
    let vars = take_block("multidefine", &mut rest, env.strict())?;
    let used = i + 1 + (before - rest.len());
    if vars.is_empty() {
        return Err(usage());
    }
    let mut words = t.apply(value)?.into_iter();
    let last = vars.len() - 1;
    let mut bindings = Vec::new();
    for (n, var) in vars.into_iter().enumerate() {
        let values: Vec<Vec<u8>> = if n == last && remainder {
            words.by_ref().collect()
        } else {
            match words.next() {
                Some(w) => vec![w],
                None if zero_words => Vec::new(),
                None => vec![Vec::new()],
            }
        };
        if !var.is_empty() {
            bindings.push(Binding::new(var, values));
        }
    }
    Ok((bindings, used))
}

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (bindings, used) = directive(env, &argv[1..])?;
    Ok(Step::Next(substitute(split_at(argv, used + 1), &bindings)))
}
