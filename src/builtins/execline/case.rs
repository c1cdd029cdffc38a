//! `case [-S|-s] [-E|-e] [-i] [-n|-N] value { regex { prog... } ... } progdefault...`:
//! exec the block of the first pattern that matches value.

use crate::builtins::{options, split_at};
use crate::chain::{Env, Step, block::take_block};
use crate::error::{Error, Result};
use crate::posix::{Regex, RegexFlags, fnmatch};

pub const USAGE: &str = "case [ -s | -S ] [ -e | -E ] [ -n | -N ] [ -i ] value { re1 { prog1... } re2 { prog2... } ... } progdefault...";

pub fn run(env: &mut Env, argv: Vec<Vec<u8>>) -> Result<Step> {
    let (opts, i) = options(&argv[1..], "SsEeinN")?;
    let (mut shell, mut basic, mut icase, mut export) = (false, false, false, false);
    for (o, _) in opts {
        match o {
            b'S' => shell = false,
            b's' => shell = true,
            b'E' => basic = false,
            b'e' => basic = true,
            b'i' => icase = true,
            b'N' => export = true,
            _ => export = false,
        }
    }
    let mut rest = split_at(argv, i + 1);
    if rest.is_empty() {
        return Err(crate::builtins::usage());
    }
    let value = rest.remove(0);
    let mut directives = take_block("case", &mut rest, env.strict())?;
    let malformed = || Error::Invalid("malformed case block".into());
    while !directives.is_empty() {
        let pattern = directives.remove(0);
        if directives.is_empty() {
            return Err(malformed());
        }
        let prog = take_block("case", &mut directives, env.strict()).map_err(|_| malformed())?;
        if shell {
            // In shell mode the letters pick fnmatch flags instead.
            let mut flags = 0;
            if basic {
                flags |= libc::FNM_NOESCAPE;
            }
            if icase {
                flags |= libc::FNM_PERIOD;
            }
            if export {
                flags |= libc::FNM_PATHNAME;
            }
            if fnmatch(&pattern, &value, flags) {
                return Ok(Step::Next(prog));
            }
            continue;
        }
        // execline anchors the expression as written: `^re$`, so an
        // alternation only anchors its outer branches.
        let mut anchored = b"^".to_vec();
        anchored.extend_from_slice(&pattern);
        anchored.push(b'$');
        let flags = RegexFlags {
            basic,
            icase,
            nosub: !export,
        };
        let re = Regex::new(&anchored, flags)?;
        if !export {
            if re.is_match(&value) {
                return Ok(Step::Next(prog));
            }
            continue;
        }
        if let Some(groups) = re.find(&value) {
            env.set(b"#".to_vec(), re.groups().to_string());
            env.set(b"0".to_vec(), pattern);
            for (n, g) in groups.iter().enumerate().skip(1) {
                let text = g.map(|(s, e)| value[s..e].to_vec()).unwrap_or_default();
                env.set(n.to_string(), text);
            }
            return Ok(Step::Next(prog));
        }
    }
    Ok(Step::Next(rest))
}
