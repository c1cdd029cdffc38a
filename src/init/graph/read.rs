//! Reading the definitions: `s6-rc.d`, the user bundles, s6-overlay's own
//! source directories, and s6-overlay's built-in pieces — every malformed
//! file a `Problem`, every definition a `Raw` for `resolve`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{Graph, Kind, Overlay, Problem, Raw, RawKind, Sources};

/// What s6-overlay defines and users may not.
const RESERVED: [&str; 7] = [
    "fix-attrs",
    "legacy-cont-init",
    "legacy-services",
    "base",
    "top",
    "s6rc-oneshot-runner",
    "s6rc-fdholder",
];

/// The text of `dir/name`; `None` when absent.
fn read_text(dir: &Path, name: &str, problems: &mut Vec<Problem>) -> Option<String> {
    match std::fs::read(dir.join(name)) {
        Ok(d) => Some(String::from_utf8_lossy(&d).into_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            problems.push(Problem::new(
                dir.join(name),
                format!("unable to read it: {}", crate::error::describe(&e)),
            ));
            None
        }
    }
}

/// Names listed by `dir/NAME.d/*` (empty files) and by the older `dir/NAME`
/// file (one per line; `#` comments), each with the file that lists it.
fn names(dir: &Path, list: &str, problems: &mut Vec<Problem>) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let d = dir.join(format!("{list}.d"));
    if let Ok(entries) = std::fs::read_dir(&d) {
        let mut found: Vec<String> = entries
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| !n.starts_with('.'))
            .collect();
        found.sort();
        out.extend(found.into_iter().map(|n| (n.clone(), d.join(n))));
    }
    if let Some(text) = read_text(dir, list, problems) {
        for line in text.lines().map(str::trim) {
            if !line.is_empty() && !line.starts_with('#') {
                out.push((line.to_owned(), dir.join(list)));
            }
        }
    }
    out
}

fn millis(dir: &Path, name: &str, problems: &mut Vec<Problem>) -> u64 {
    let Some(text) = read_text(dir, name, problems) else {
        return 0;
    };
    let word = text.lines().next().unwrap_or_default().trim();
    word.parse::<u64>().unwrap_or_else(|_| {
        let at = text.find(word).unwrap_or(0);
        problems.push(
            Problem::new(
                dir.join(name),
                format!("{word:?} is not a number of milliseconds"),
            )
            .hint("write a whole number of milliseconds; 0 means no limit")
            .point(&text, at, word.len().max(1), "expected milliseconds"),
        );
        0
    })
}

/// `up` or `down` of a oneshot: one command line, lexed as execlineb
/// lexes a script (s6-rc-compile does the same), never run as a script. A
/// `#!` first line is a comment to the lexer; a file with no word at all
/// is a no-op that succeeds (images use such oneshots as ordering marks).
fn command_line(dir: &Path, file: &str, problems: &mut Vec<Problem>) -> Option<Vec<Vec<u8>>> {
    let path = dir.join(file);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            problems.push(Problem::new(
                path,
                format!("unable to read it: {}", crate::error::describe(&e)),
            ));
            return None;
        }
    };
    match crate::script::parse_argv(&path.display().to_string(), &bytes) {
        Ok(argv) => Some(argv),
        Err(e) => {
            problems.push(
                Problem::new(&path, format!("{file} cannot be lexed: {e}"))
                    .hint("the file is read as execlineb reads a script: check quotes and braces"),
            );
            None
        }
    }
}

fn read_one(name: &str, dir: &Path, problems: &mut Vec<Problem>) -> Option<Raw> {
    let type_text = read_text(dir, "type", problems);
    let Some(type_text) = type_text else {
        problems.push(
            Problem::new(dir.join("type"), "the service has no type file")
                .hint("write oneshot, longrun or bundle in it"),
        );
        return None;
    };
    let word = type_text.lines().next().unwrap_or_default().trim();
    let before = problems.len();
    let kind = match word {
        "oneshot" => {
            let up = command_line(dir, "up", problems);
            if up.is_none() && !dir.join("up").exists() {
                problems.push(
                    Problem::new(dir.join("up"), "a oneshot needs an up file")
                        .hint("write the command line to run when the service comes up"),
                );
            }
            // An empty `down` does nothing, as no `down` at all.
            let down = command_line(dir, "down", problems).filter(|d| !d.is_empty());
            up.map(|up| RawKind::Atomic(Kind::Oneshot { up, down }))
        }
        "longrun" => {
            match crate::init::service::ServiceDef::read_source(dir) {
                Err(found) => {
                    for p in found {
                        problems.push(Problem::new(dir, p));
                    }
                }
                Ok(def) => problems.extend(def.warnings.iter().map(Problem::policy)),
            }
            let first = |f: &str, problems: &mut Vec<Problem>| {
                read_text(dir, f, problems)
                    .map(|t| t.lines().next().unwrap_or_default().trim().to_owned())
                    .filter(|t| !t.is_empty())
            };
            let producer_for =
                first("producer-for", problems).map(|n| (n, dir.join("producer-for")));
            let consumer_for = read_text(dir, "consumer-for", problems)
                .map(|t| {
                    t.lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            let pipeline = first("pipeline-name", problems);
            Some(RawKind::Longrun {
                producer_for,
                consumer_for,
                pipeline,
            })
        }
        "bundle" => Some(RawKind::Bundle(names(dir, "contents", problems))),
        other => {
            let at = type_text.find(other).unwrap_or(0);
            problems.push(
                Problem::new(dir.join("type"), format!("unknown service type {other:?}"))
                    .hint("the type is one of: oneshot, longrun, bundle")
                    .point(&type_text, at, other.len().max(1), "not a service type"),
            );
            None
        }
    };
    let broken = problems[before..].iter().any(|p| !p.warning);
    // A broken definition still names a service, so that what refers to it
    // is not reported again as naming nothing.
    let kind = kind.unwrap_or(RawKind::Atomic(Kind::Oneshot {
        up: Vec::new(),
        down: None,
    }));
    Some(Raw {
        name: name.to_owned(),
        dir: dir.to_path_buf(),
        deps: names(dir, "dependencies", problems),
        timeout_up_ms: millis(dir, "timeout-up", problems),
        timeout_down_ms: millis(dir, "timeout-down", problems),
        essential: dir.join("flag-essential").exists(),
        broken,
        kind,
    })
}

/// What an image added to s6-overlay's own pieces: (name, list) → entries.
type Additions = HashMap<(&'static str, &'static str), Vec<(String, PathBuf)>>;

/// Reads s6-overlay's source directories as its compile step does: new
/// services are definitions like those of `s6-rc.d` (a name may not be
/// defined twice), and entries under s6-overlay's own names add members to
/// a bundle (`base/contents.d/NAME`) or dependencies to a service.
fn read_overlay_sources(
    dirs: &[PathBuf],
    raws: &mut Vec<Raw>,
    problems: &mut Vec<Problem>,
) -> Additions {
    const OWN: [&str; 7] = [
        "fix-attrs",
        "legacy-cont-init",
        "legacy-services",
        "base",
        "top",
        "user",
        "user2",
    ];
    let mut added = Additions::new();
    for source in dirs {
        for (name, dir) in crate::init::service::list(source) {
            if let Some(own) = OWN.iter().find(|o| **o == name) {
                for list in ["contents", "dependencies"] {
                    let found = names(&dir, list, problems);
                    added.entry((own, list)).or_default().extend(found);
                }
                continue;
            }
            if name.starts_with("s6rc-") || name.starts_with("s6-rc-") {
                continue;
            }
            if let Some(first) = raws.iter().find(|r| r.name == name) {
                problems.push(
                    Problem::new(&dir, format!("{name} is defined twice: here and in {}", first.dir.display()))
                        .hint("s6-rc names are unique across s6-rc.d and s6-overlay's sources; remove or rename one"),
                );
                continue;
            }
            if let Some(raw) = read_one(&name, &dir, problems) {
                raws.push(raw);
            }
        }
    }
    added
}

fn overlay(name: &str, which: Overlay, deps: &[&str]) -> Raw {
    Raw {
        name: name.to_owned(),
        dir: PathBuf::new(),
        kind: RawKind::Atomic(Kind::Overlay(which)),
        deps: deps
            .iter()
            .map(|d| (d.to_string(), PathBuf::new()))
            .collect(),
        timeout_up_ms: 0,
        timeout_down_ms: 0,
        essential: false,
        broken: false,
    }
}

fn bundle(name: &str, contents: Vec<(String, PathBuf)>) -> Raw {
    Raw {
        name: name.to_owned(),
        dir: PathBuf::new(),
        kind: RawKind::Bundle(contents),
        deps: Vec::new(),
        timeout_up_ms: 0,
        timeout_down_ms: 0,
        essential: false,
        broken: false,
    }
}

impl Graph {
    /// Reads every definition; returns the graph and every problem found.
    pub fn read(src: &Sources) -> (Graph, Vec<Problem>) {
        let mut problems = Vec::new();
        let mut raws: Vec<Raw> = Vec::new();
        let mut user: Vec<(String, PathBuf)> = Vec::new();
        let mut user2: Vec<(String, PathBuf)> = Vec::new();
        for (name, dir) in crate::init::service::list(&src.s6rc) {
            if name == "user" || name == "user2" {
                // The location s6-overlay used before 3.2.3.2.
                let mut found = Vec::new();
                let listed = names(&dir, "contents", &mut found);
                problems.extend(found);
                if !listed.is_empty() {
                    problems.push(
                        Problem::new(
                            dir.join("contents.d"),
                            format!("the {name} bundle is read from its old place"),
                        )
                        .hint(format!(
                            "move these files to {}",
                            src.bundles.join(&name).join("contents.d").display()
                        ))
                        .warning(),
                    );
                }
                if name == "user" {
                    &mut user
                } else {
                    &mut user2
                }
                .extend(listed);
                continue;
            }
            if RESERVED.contains(&name.as_str()) {
                problems.push(
                    Problem::new(
                        &dir,
                        format!(
                            "{name} is defined by s6-overlay itself; this definition is ignored"
                        ),
                    )
                    .hint("give the service another name"),
                );
                continue;
            }
            if let Some(raw) = read_one(&name, &dir, &mut problems) {
                raws.push(raw);
            }
        }
        for (name, list) in [("user", &mut user), ("user2", &mut user2)] {
            let dir = src.bundles.join(name);
            list.extend(names(&dir, "contents", &mut problems));
        }
        let mut added = read_overlay_sources(&src.overlay, &mut raws, &mut problems);
        for (name, which, deps) in [
            ("fix-attrs", Overlay::FixAttrs, &[][..]),
            ("legacy-cont-init", Overlay::ContInit, &["fix-attrs"][..]),
            ("legacy-services", Overlay::Services, &["base", "user"][..]),
        ] {
            let mut raw = overlay(name, which, deps);
            raw.deps
                .extend(added.remove(&(name, "dependencies")).unwrap_or_default());
            raws.push(raw);
        }
        let named = |v: &[&str]| -> Vec<(String, PathBuf)> {
            v.iter().map(|n| (n.to_string(), PathBuf::new())).collect()
        };
        for (name, mut members) in [
            ("base", named(&["fix-attrs", "legacy-cont-init"])),
            ("user", user),
            ("user2", user2),
            ("top", named(&["base", "legacy-services", "user", "user2"])),
        ] {
            members.extend(added.remove(&(name, "contents")).unwrap_or_default());
            raws.push(bundle(name, members));
        }
        let graph = Self::resolve(raws, &mut problems);
        // A bundle met through several others is reported once.
        let mut seen = std::collections::HashSet::new();
        problems.retain(|p| seen.insert((p.file.clone(), p.message.clone())));
        problems.sort_by(|a, b| a.file.cmp(&b.file));
        (graph, problems)
    }
}
