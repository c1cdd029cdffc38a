//! The layers of `src/` only point down (see ARCHITECTURE.md): each
//! module may use the foundation and the layers below it, never one above.

use std::path::Path;

/// Bottom to top; the foundation (single files at `src/`) is below all.
const LAYERS: [&str; 8] = [
    "subst", "chain", "s6", "control", "builtins", "init", "cli", "fuzzing",
];
const FOUNDATION: [&str; 13] = [
    "alloc_cache",
    "script",
    "error",
    "exit",
    "decimal",
    "env",
    "diagnostic",
    "poll",
    "sig",
    "posix",
    "procfs",
    "users",
    "lib",
];

fn rank(module: &str) -> Option<usize> {
    if FOUNDATION.contains(&module) {
        return Some(0);
    }
    LAYERS.iter().position(|l| *l == module).map(|p| p + 1)
}

/// Every module named as `crate::NAME` (or in `crate::{A, B::c}`) in `text`.
fn named(text: &str) -> Vec<String> {
    let word = |t: &str| -> String {
        t.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = Vec::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + 7..];
        match rest.strip_prefix('{') {
            Some(group) => {
                let inner = &group[..group.find('}').unwrap_or(group.len())];
                out.extend(inner.split(',').map(word).filter(|w| !w.is_empty()));
            }
            None => out.push(word(rest)),
        }
    }
    out
}

/// Every module a Rust file under `path` names, with the file.
fn uses(path: &Path, out: &mut Vec<(String, String)>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            uses(&entry.unwrap().path(), out);
        }
        return;
    }
    if path.extension().is_none_or(|e| e != "rs") {
        return;
    }
    let text = std::fs::read_to_string(path).unwrap();
    let file = path.display().to_string();
    out.extend(named(&text).into_iter().map(|n| (file.clone(), n)));
}

#[test]
fn no_module_imports_upward() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if stem == "lib" || stem == "main" {
            continue;
        }
        let me = rank(&stem).unwrap_or_else(|| panic!("{stem}: not placed in a layer"));
        let mut found = Vec::new();
        uses(&path, &mut found);
        for (file, name) in found {
            if name == stem {
                continue;
            }
            match rank(&name) {
                // The foundation uses only the foundation; a layer, those below it.
                Some(r) if r < me || (r == 0 && me == 0) => {}
                // lib.rs's registry of every command sits above the layers;
                // only the fuzz entry points, the top, reach for it.
                None if name == "REGISTRY" && stem == "fuzzing" => {}
                _ => wrong.push(format!("{file} uses crate::{name}")),
            }
        }
    }
    assert!(wrong.is_empty(), "upward imports:\n{}", wrong.join("\n"));
}
