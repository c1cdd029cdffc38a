//! Random and mutated scripts: the parser returns an argv or an error, never
//! panics; and on a sample, chainit's words and exit code match execline's.

use crate::support::{Impl, script};

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const PIECES: &[&str] = &[
    " ", "\n", "\t", "\r", "a", "bc", "{", "}", "\"", "\\", "#", "$", "${x}", "\\n", "\\0",
    "\\0x4", "\\1", "\\25", "\\256", "\\0377", "\\\n", "\"a b\"", "\"\"", "é", "x#y", "\\\"",
    "\\{", "0x", "9",
];

fn random_script(rng: &mut Rng, len: usize) -> String {
    (0..len).map(|_| rng.pick(PIECES)).collect()
}

#[test]
fn parser_never_panics() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..20_000 {
        let len = (rng.next() % 40) as usize;
        let mut text = random_script(&mut rng, len).into_bytes();
        if round % 3 == 0 && !text.is_empty() {
            // mutate a byte to anything, NUL included
            let at = (rng.next() % text.len() as u64) as usize;
            text[at] = (rng.next() % 256) as u8;
        }
        let _ = chainit::script::parse_argv("fuzz", &text);
    }
}

#[test]
fn random_scripts_match_execline() {
    if !crate::support::reference_available() {
        return;
    }
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut failures = Vec::new();
    for _ in 0..150 {
        let len = 1 + (rng.next() % 12) as usize;
        let body = random_script(&mut rng, len);
        let case = script(&format!("printf [%s] {body}")).flags("-P");
        let (want, got) = (case.run(Impl::Reference), case.run(Impl::Chainit));
        if (want.stdout != got.stdout) || (want.code != got.code) {
            failures.push(format!(
                "{body:?}: execline {:?} {:?} / chainit {:?} {:?}",
                want.code, want.stdout, got.code, got.stdout
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// How many rounds the byte-level fuzzers run: a quick pass by default,
/// longer under `scripts/fuzz.sh` (CHAINIT_FUZZ_ROUNDS).
fn rounds(default: u64) -> u64 {
    std::env::var("CHAINIT_FUZZ_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Random bytes, biased towards the ones that mean something to the
/// readers below (digits, separators, newlines, letters of directives).
fn random_bytes(rng: &mut Rng, len: usize) -> Vec<u8> {
    const LIKELY: &[u8] = b"0123456789 \t\n=#-+.!:/@snNStTr^eEwWx ";
    (0..len)
        .map(|_| {
            if rng.next().is_multiple_of(3) {
                (rng.next() % 256) as u8
            } else {
                LIKELY[(rng.next() % LIKELY.len() as u64) as usize]
            }
        })
        .collect()
}

#[test]
fn status_and_tai64n_readers_never_panic() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for _ in 0..rounds(50_000) {
        let len = (rng.next() % 40) as usize;
        let b = random_bytes(&mut rng, len);
        let _ = chainit::s6::status::Status::unpack(&b);
        if let Some(twelve) = b.get(..12) {
            let _ = chainit::s6::tai64n::unpack(twelve.try_into().unwrap());
        }
    }
}

#[test]
fn s6_log_scripts_compile_or_fail_never_panic() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let starts = [
        "n", "s", "S", "l", "r", "t", "T", "-", "+", "!", "=", "e", "E", "w", "1", "2", "/", ".",
    ];
    for _ in 0..rounds(50_000) {
        let words = (rng.next() % 6) as usize;
        let directives: Vec<Vec<u8>> = (0..words)
            .map(|_| {
                let mut w = rng.pick(&starts).as_bytes().to_vec();
                let len = (rng.next() % 12) as usize;
                w.extend(random_bytes(&mut rng, len));
                w
            })
            .collect();
        let _ = chainit::s6::logger::script::compile(&directives);
    }
}

#[test]
fn control_requests_and_answers_never_panic() {
    let mut rng = Rng(0x0bad_5eed_f00d_cafe);
    for _ in 0..rounds(50_000) {
        let len = (rng.next() % 60) as usize;
        let text = String::from_utf8_lossy(&random_bytes(&mut rng, len)).into_owned();
        let _ = chainit::control::rc::parse_request(&text);
        let _ = chainit::control::rc::Record::decode(&text);
        let _ = chainit::init::details::Details::decode(&text);
    }
}

/// The libFuzzer targets' committed inputs — `fuzz/seeds/TARGET` (the seed
/// and minimized corpus) and `fuzz/regressions/TARGET` (inputs that once
/// made a target fail) — replayed through the same entry points.
#[test]
fn fuzz_corpora_replay_cleanly() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    for (name, target) in chainit::fuzzing::TARGETS {
        let mut replayed = 0;
        for kind in ["seeds", "regressions"] {
            let Ok(entries) = std::fs::read_dir(root.join(kind).join(name)) else {
                continue;
            };
            for e in entries.flatten() {
                target(&std::fs::read(e.path()).unwrap());
                replayed += 1;
            }
        }
        assert!(replayed > 0, "fuzz/seeds/{name} is empty");
    }
}

/// Random bytes through every fuzz target (what `cargo fuzz` does with
/// coverage guidance, here blind and deterministic).
#[test]
fn every_fuzz_target_takes_random_bytes() {
    let mut rng = Rng(0x5eed_0ff0_2217_a5c3);
    for (_, target) in chainit::fuzzing::TARGETS {
        for _ in 0..rounds(4_000) / 20 {
            let len = (rng.next() % 200) as usize;
            let mut data = random_bytes(&mut rng, len);
            for b in data.iter_mut() {
                if rng.next().is_multiple_of(9) {
                    *b = 0;
                }
            }
            target(&data);
        }
    }
}
