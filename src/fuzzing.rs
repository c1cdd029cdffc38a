//! Entry points for the coverage-guided fuzz targets in `fuzz/` (libFuzzer,
//! through cargo-fuzz) and for the regression tests that replay their
//! corpora: each takes arbitrary bytes and must neither panic nor hang. Not
//! used by the binary, so the linker drops them from it.

use crate::subst::{Binding, positional, substitute, transform::Transform};

pub use crate::init::fuzzing::{rc_tree, service_dir, supervisor};

/// A fuzz target: takes any bytes, panics only on a bug.
pub type Target = fn(&[u8]);

/// Every target, by name, for the replay tests and `scripts/fuzz.sh`.
pub const TARGETS: &[(&str, Target)] = &[
    ("control_answers", control_answers),
    ("envfile", envfile),
    ("rc_tree", rc_tree),
    ("s6_log_script", s6_log_script),
    ("script", script),
    ("service_dir", service_dir),
    ("status_files", status_files),
    ("supervisor", supervisor),
    ("svc_options", svc_options),
];

/// A script as `execlineb -s1 -c TEXT ARGS…` takes it: the text up to the
/// first NUL is parsed (and substituted when (#args+1)^(#$) stays under 100,000), the NUL-separated rest are its arguments, bound to
/// `$0`…`$#` and `$@`; each argument is also split and chomped as `importas
/// -s -C` would, with the first byte of the last one as the delimiters.
pub fn script(data: &[u8]) {
    let mut parts = data.split(|&b| b == 0);
    let text = parts.next().unwrap_or_default();
    let args: Vec<Vec<u8>> = parts.map(<[u8]>::to_vec).collect();
    let Ok(words) = crate::script::parse_argv("fuzz", text) else {
        return;
    };
    // A word with k references to `$@` is copied (#args)^k times, as
    // execline does: exponential by definition, not a hang to find. Only
    // scripts whose worst case stays under 100,000 words are substituted.
    let dollars = text.iter().filter(|&&b| b == b'$').count() as u32;
    if (args.len() as u64 + 1)
        .checked_pow(dollars)
        .is_none_or(|w| w > 100_000)
    {
        return;
    }
    let at_least = args.len().min(3);
    let mut bindings = positional::bindings(b"fuzz", &args, at_least, usize::from(at_least > 0));
    let mut split = Transform::default();
    split.apply_option(b's', None);
    split.apply_option(b'C', None);
    if let Some(d) = args.last().and_then(|a| a.first()) {
        split.apply_option(b'd', Some(&[*d]));
    }
    for (i, a) in args.iter().enumerate() {
        if let Ok(values) = split.apply(a) {
            bindings.push(Binding::new(format!("v{i}"), values));
        }
    }
    let _ = substitute(words, &bindings);
}

/// An `envfile` file: parsed, or refused with a line inside the text.
pub fn envfile(data: &[u8]) {
    if let Err(line) = crate::builtins::execline::envfile::parse(data) {
        let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
        assert!(line >= 1 && line <= lines, "line {line} of {lines}");
    }
}

/// An s6-log script: its NUL-separated directives, compiled.
pub fn s6_log_script(data: &[u8]) {
    let directives: Vec<Vec<u8>> = data.split(|&b| b == 0).map(<[u8]>::to_vec).collect();
    let _ = crate::s6::logger::script::compile(&directives);
}

/// What clients read from a supervise directory: `supervise/status`,
/// `death_tally`, its TAI64N stamps, and `supervise/chainit`; and the
/// header of s6-log's spool, which a new logger reads after a KILL.
pub fn status_files(data: &[u8]) {
    let _ = crate::s6::status::Status::unpack(data);
    let _ = crate::s6::death_tally::parse(data);
    if let Ok(stamp) = <&[u8; 12]>::try_from(data.get(..12).unwrap_or_default()) {
        let _ = crate::s6::tai64n::unpack(stamp);
    }
    let text = String::from_utf8_lossy(data);
    let _ = crate::init::details::Details::decode(&text);
    let _ = crate::s6::logger::spool::parse(data);
}

/// The s6-rc control FIFO's requests and the answers `chainit svc` reads.
pub fn control_answers(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for line in text.lines() {
        let _ = crate::control::rc::parse_request(line);
    }
    let _ = crate::control::rc::Record::decode(&text);
}

/// The option parsers of s6-svc and s6-svstat: the NUL-separated pieces
/// are options (each made to start with `-`, so that none can name a real
/// service), then a service directory that does not exist.
pub fn svc_options(data: &[u8]) {
    crate::chain::registry::install(&crate::REGISTRY);
    let opts: Vec<Vec<u8>> = data
        .split(|&b| b == 0)
        .take(16)
        .map(|o| {
            let mut o = o.to_vec();
            o.insert(0, b'-');
            o
        })
        .collect();
    for name in ["s6-svc", "s6-svstat"] {
        let Some(b) = crate::chain::registry::lookup(name.as_bytes()) else {
            continue;
        };
        let mut argv = vec![name.as_bytes().to_vec()];
        argv.extend(opts.iter().cloned());
        argv.push(b"/nonexistent/chainit-fuzz/service".to_vec());
        let mut env = crate::chain::Env::default();
        let _ = (b.run)(&mut env, argv);
    }
}
