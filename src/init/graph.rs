//! The s6-rc source format, read straight from the image (no compile
//! step): `ROOT/etc/s6-overlay/s6-rc.d/<name>/` oneshots, longruns and
//! bundles, the `user`/`user2` bundles of `user-bundles.d`, and the pieces
//! s6-overlay defines itself (`fix-attrs`, `legacy-cont-init`,
//! `legacy-services`, `base`, `top`). Bundles are expanded away: the graph
//! holds atomic services only, each with the atomic services it needs.
//! Every malformed definition becomes a `Problem`; the services it breaks
//! are marked so, and the rest of the graph stays usable.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use miette::{NamedSource, SourceSpan};

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

/// A piece of s6-overlay's own service database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overlay {
    /// `fix-attrs`: the deprecated `etc/fix-attrs.d`, applied by a child.
    FixAttrs,
    /// `legacy-cont-init`: `etc/cont-init.d` on the way up,
    /// `etc/cont-finish.d` on the way down.
    ContInit,
    /// `legacy-services`: `etc/services.d`, supervised.
    Services,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Oneshot {
        up: Vec<Vec<u8>>,
        down: Option<Vec<Vec<u8>>>,
    },
    Longrun {
        /// `producer-for`: this service's stdout feeds that consumer.
        producer_for: Option<usize>,
        /// Whether another longrun's stdout is this one's stdin.
        consumer: bool,
    },
    Overlay(Overlay),
}

#[derive(Clone, Debug)]
pub struct Node {
    pub name: String,
    pub kind: Kind,
    /// The definition directory (empty for s6-overlay's own pieces).
    pub dir: PathBuf,
    /// Atomic services this one needs up first.
    pub deps: Vec<usize>,
    /// Milliseconds; 0 means no limit.
    pub timeout_up_ms: u64,
    pub timeout_down_ms: u64,
    /// `flag-essential`: kept up by a runtime `chainit svc -d` of a bundle.
    pub essential: bool,
    /// Set when the definition (or one it needs) is malformed: never started.
    pub broken: bool,
}

/// A malformed definition: the file, what is wrong, and how to fix it.
#[derive(Debug)]
pub struct Problem {
    pub file: PathBuf,
    pub message: String,
    pub hint: Option<String>,
    /// The offending file's text and the span to point at.
    pub snippet: Option<(NamedSource<String>, usize, usize)>,
    pub label: String,
    /// Warnings do not break anything.
    pub warning: bool,
}

impl Problem {
    fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Problem {
            file: file.into(),
            message: message.into(),
            hint: None,
            snippet: None,
            label: "here".to_owned(),
            warning: false,
        }
    }
    /// A cont-init.d or cont-finish.d script that cannot run.
    pub fn script(path: &Path, why: &str) -> Self {
        Problem::new(path, format!("this script cannot run: {why}"))
            .hint("scripts there must be executable files (chmod +x)")
    }

    /// A fix-attrs.d line (at byte `at`, `len` long) of the wrong form.
    pub fn fix_attrs(file: &Path, text: &str, at: usize, len: usize, why: String) -> Self {
        Problem::new(file, format!("{why}; applying this file stops here"))
            .point(text, at, len, "this line")
            .hint("each line is `path recurse account fmode dmode`, e.g. `/data true nobody 0644 0755`; only S6_BEHAVIOUR_IF_STAGE2_FAILS=2 makes this stop the container")
            .warning()
    }

    /// A malformed file of a service directory (`what` names it).
    pub fn service(dir: &Path, what: String) -> Self {
        Problem::new(dir, what)
    }

    fn hint(mut self, h: impl Into<String>) -> Self {
        self.hint = Some(h.into());
        self
    }
    fn point(mut self, text: &str, at: usize, len: usize, label: &str) -> Self {
        let name = self.file.display().to_string();
        self.snippet = Some((NamedSource::new(name, text.to_owned()), at, len));
        self.label = label.to_owned();
        self
    }
    fn warning(mut self) -> Self {
        self.warning = true;
        self
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.message)
    }
}

impl std::error::Error for Problem {}

impl miette::Diagnostic for Problem {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("chainit::graph"))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(if self.warning {
            miette::Severity::Warning
        } else {
            miette::Severity::Error
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.hint
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.snippet
            .as_ref()
            .map(|(t, _, _)| t as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let (_, at, len) = self.snippet.as_ref()?;
        let span = SourceSpan::from((*at, *len));
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some(self.label.clone()), span),
        )))
    }
}

/// Where the definitions are.
pub struct Sources {
    /// `etc/s6-overlay/s6-rc.d` (or the profile's).
    pub s6rc: PathBuf,
    /// `S6_RUNTIME_BUNDLEDIR`: holds `user/contents.d` and `user2/contents.d`.
    pub bundles: PathBuf,
    /// s6-overlay's own source directories
    /// (`package/admin/s6-overlay*/etc/s6-rc/sources`), where images add
    /// services and members of `base`.
    pub overlay: Vec<PathBuf>,
}

#[derive(Debug, Default)]
pub struct Graph {
    pub nodes: Vec<Node>,
    index: HashMap<String, usize>,
    /// Bundle name → its atomic members, expanded.
    bundles: HashMap<String, Vec<usize>>,
}

/// Bundle name → its directory and its listed members (each with the file
/// that lists it), before expansion.
type BundleLists = HashMap<String, (PathBuf, Vec<(String, PathBuf)>)>;

/// A definition as read, before names are resolved.
struct Raw {
    name: String,
    dir: PathBuf,
    kind: RawKind,
    deps: Vec<(String, PathBuf)>,
    timeout_up_ms: u64,
    timeout_down_ms: u64,
    essential: bool,
    broken: bool,
}

enum RawKind {
    Atomic(Kind),
    Longrun {
        producer_for: Option<(String, PathBuf)>,
        consumer_for: Vec<String>,
        pipeline: Option<String>,
    },
    Bundle(Vec<(String, PathBuf)>),
}

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
            if let Err(found) = super::service::ServiceDef::read_source(dir) {
                for p in found {
                    problems.push(Problem::new(dir, p));
                }
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
        for (name, dir) in super::service::list(source) {
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
        for (name, dir) in super::service::list(&src.s6rc) {
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

    fn resolve(raws: Vec<Raw>, problems: &mut Vec<Problem>) -> Graph {
        let mut g = Graph::default();
        let mut bundle_lists: BundleLists = HashMap::new();
        let mut pending = Vec::new();
        for raw in raws {
            let (kind, pipe) = match raw.kind {
                RawKind::Bundle(list) => {
                    bundle_lists.insert(raw.name.clone(), (raw.dir.clone(), list));
                    continue;
                }
                RawKind::Atomic(kind) => (kind, None),
                // The pipeline links are made once every longrun is known.
                RawKind::Longrun {
                    producer_for,
                    consumer_for,
                    pipeline,
                } => (
                    Kind::Longrun {
                        producer_for: None,
                        consumer: false,
                    },
                    Some((producer_for, consumer_for, pipeline)),
                ),
            };
            pending.push((g.nodes.len(), raw.deps, pipe));
            g.index.insert(raw.name.clone(), g.nodes.len());
            g.nodes.push(Node {
                name: raw.name,
                kind,
                dir: raw.dir,
                deps: Vec::new(),
                timeout_up_ms: raw.timeout_up_ms,
                timeout_down_ms: raw.timeout_down_ms,
                essential: raw.essential,
                broken: raw.broken,
            });
        }
        for name in bundle_lists.keys() {
            if g.index.contains_key(name) {
                let (dir, _) = &bundle_lists[name];
                problems.push(Problem::new(dir, format!("{name} is defined twice")));
            }
        }
        let pipelines: Vec<_> = pending
            .iter_mut()
            .filter_map(|(i, _, p)| p.take().map(|p| (*i, p)))
            .collect();
        for (name, dir, members) in g.link_pipelines(pipelines, problems) {
            if g.index.contains_key(&name) || bundle_lists.contains_key(&name) {
                problems.push(Problem::new(
                    dir,
                    format!("pipeline name {name:?} is already the name of a service"),
                ));
                continue;
            }
            let list = members
                .into_iter()
                .map(|m| (g.nodes[m].name.clone(), dir.clone()))
                .collect();
            bundle_lists.insert(name, (dir, list));
        }
        // Bundles, expanded; a bundle met again on its own path contains itself.
        let names: Vec<String> = bundle_lists.keys().cloned().collect();
        for name in names {
            let mut path = Vec::new();
            let members = expand(&name, &bundle_lists, &g.index, &mut path, problems);
            g.bundles.insert(name, members);
        }
        // Dependencies reached only through a bundle: a broken member of
        // the bundle is left out rather than breaking the dependent.
        let mut through_bundles: Vec<Vec<usize>> = vec![Vec::new(); g.nodes.len()];
        for (i, deps, _) in pending {
            for (dep, file) in deps {
                if g.is_bundle(&dep) {
                    through_bundles[i].extend(g.members(&dep).unwrap_or_default());
                    continue;
                }
                match g.members(&dep) {
                    Some(m) => g.nodes[i].deps.extend(m),
                    None => {
                        let file = if file.as_os_str().is_empty() {
                            g.nodes[i].dir.join("dependencies.d").join(&dep)
                        } else {
                            file
                        };
                        problems.push(
                            Problem::new(file, format!("{} depends on {dep:?}, which is not defined", g.nodes[i].name))
                                .hint(format!("define it (a directory {dep}/ with a type file) or remove this dependency")),
                        );
                        g.nodes[i].broken = true;
                    }
                }
            }
        }
        for n in &mut g.nodes {
            n.deps.sort_unstable();
            n.deps.dedup();
        }
        let direct: Vec<Vec<usize>> = g.nodes.iter().map(|n| n.deps.clone()).collect();
        for (n, extra) in g.nodes.iter_mut().zip(&through_bundles) {
            n.deps.extend(extra);
            n.deps.sort_unstable();
            n.deps.dedup();
        }
        g.find_cycles(problems);
        let broken: Vec<bool> = g.nodes.iter().map(|n| n.broken).collect();
        for (i, n) in g.nodes.iter_mut().enumerate() {
            n.deps.retain(|&d| !broken[d] || direct[i].contains(&d));
        }
        g.spread_breakage();
        g
    }

    /// `producer-for` / `consumer-for` pairs must agree; the producer needs
    /// its consumer up first (so no line is written before the reader
    /// exists), and `pipeline-name` names a bundle of the whole pipeline.
    #[allow(clippy::type_complexity)]
    fn link_pipelines(
        &mut self,
        pipelines: Vec<(
            usize,
            (Option<(String, PathBuf)>, Vec<String>, Option<String>),
        )>,
        problems: &mut Vec<Problem>,
    ) -> Vec<(String, PathBuf, Vec<usize>)> {
        let mut producers_of: HashMap<usize, Vec<usize>> = HashMap::new();
        let consumer_lists: HashMap<usize, Vec<String>> = pipelines
            .iter()
            .map(|(i, (_, c, _))| (*i, c.clone()))
            .collect();
        for (i, (producer_for, consumer_for, _)) in &pipelines {
            let me = self.nodes[*i].name.clone();
            if let Some((to, file)) = producer_for {
                let ok = self.index.get(to).copied().filter(|c| {
                    matches!(self.nodes[*c].kind, Kind::Longrun { .. })
                        && consumer_lists.get(c).is_some_and(|l| l.contains(&me))
                });
                match ok {
                    Some(c) => {
                        self.nodes[*i].kind = Kind::Longrun {
                            producer_for: Some(c),
                            consumer: !consumer_for.is_empty(),
                        };
                        self.nodes[*i].deps.push(c);
                        producers_of.entry(c).or_default().push(*i);
                    }
                    None => {
                        problems.push(
                            Problem::new(file, format!("{me} is a producer for {to:?}, but {to} is not a longrun whose consumer-for lists {me}"))
                                .hint(format!("add {me} to {to}/consumer-for, or correct producer-for")),
                        );
                        self.nodes[*i].broken = true;
                    }
                }
            }
            if let Kind::Longrun { consumer, .. } = &mut self.nodes[*i].kind
                && !consumer_for.is_empty()
            {
                *consumer = true;
            }
        }
        for (i, (_, consumer_for, _)) in &pipelines {
            let me = self.nodes[*i].name.clone();
            for p in consumer_for {
                let agrees = self
                    .index
                    .get(p)
                    .is_some_and(|pi| producers_of.get(i).is_some_and(|l| l.contains(pi)));
                if !agrees {
                    problems.push(
                        Problem::new(
                            self.nodes[*i].dir.join("consumer-for"),
                            format!("{me} consumes {p:?}, but {p} has no producer-for naming {me}"),
                        )
                        .hint(format!(
                            "write {me} in {p}/producer-for, or remove {p} from this file"
                        )),
                    );
                    self.nodes[*i].broken = true;
                }
            }
        }
        let mut named = Vec::new();
        for (i, (_, _, name)) in pipelines {
            let Some(name) = name else { continue };
            let mut members = vec![i];
            let mut k = 0;
            while k < members.len() {
                if let Some(p) = producers_of.get(&members[k]) {
                    members.extend(
                        p.iter()
                            .filter(|p| !members.contains(p))
                            .collect::<Vec<_>>(),
                    );
                }
                k += 1;
            }
            named.push((name, self.nodes[i].dir.join("pipeline-name"), members));
        }
        named
    }

    /// Every dependency cycle, reported once with the files that make it.
    fn find_cycles(&mut self, problems: &mut Vec<Problem>) {
        // 0 unvisited, 1 on the path, 2 done.
        let mut mark = vec![0u8; self.nodes.len()];
        let mut in_cycle = vec![false; self.nodes.len()];
        for start in 0..self.nodes.len() {
            if mark[start] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            mark[start] = 1;
            while let Some(&mut (n, ref mut next)) = stack.last_mut() {
                if let Some(&d) = self.nodes[n].deps.get(*next) {
                    *next += 1;
                    match mark[d] {
                        0 => {
                            mark[d] = 1;
                            stack.push((d, 0));
                        }
                        1 => {
                            let from = stack.iter().position(|&(m, _)| m == d).unwrap_or(0);
                            let cycle: Vec<usize> = stack[from..].iter().map(|&(m, _)| m).collect();
                            if cycle.iter().any(|&m| !in_cycle[m]) {
                                problems.push(self.cycle_problem(&cycle));
                            }
                            for m in cycle {
                                in_cycle[m] = true;
                            }
                        }
                        _ => {}
                    }
                } else {
                    mark[n] = 2;
                    stack.pop();
                }
            }
        }
        for (n, c) in self.nodes.iter_mut().zip(in_cycle) {
            n.broken |= c;
        }
    }

    fn cycle_problem(&self, cycle: &[usize]) -> Problem {
        let mut names: Vec<&str> = cycle.iter().map(|&m| self.nodes[m].name.as_str()).collect();
        names.push(names[0]);
        let files: Vec<String> = cycle
            .iter()
            .enumerate()
            .map(|(k, &m)| {
                let next = &self.nodes[cycle[(k + 1) % cycle.len()]].name;
                self.nodes[m]
                    .dir
                    .join("dependencies.d")
                    .join(next)
                    .display()
                    .to_string()
            })
            .collect();
        Problem::new(
            self.nodes[cycle[0]].dir.join("dependencies.d"),
            format!("dependency cycle: {}", names.join(" -> ")),
        )
        .hint(format!(
            "none of these can ever start; remove one of: {}",
            files.join(", ")
        ))
    }

    /// A service that needs a broken one cannot start either.
    fn spread_breakage(&mut self) {
        loop {
            let mut changed = false;
            for i in 0..self.nodes.len() {
                if !self.nodes[i].broken && self.nodes[i].deps.iter().any(|&d| self.nodes[d].broken)
                {
                    self.nodes[i].broken = true;
                    changed = true;
                }
            }
            if !changed {
                return;
            }
        }
    }

    /// The atomic services `name` stands for: itself, or a bundle's members.
    pub fn members(&self, name: &str) -> Option<Vec<usize>> {
        if let Some(&i) = self.index.get(name) {
            return Some(vec![i]);
        }
        self.bundles.get(name).cloned()
    }

    /// Whether `name` is a longrun of the graph (which has `RUN/service/NAME`).
    pub fn is_longrun(&self, name: &str) -> bool {
        self.index
            .get(name)
            .is_some_and(|&i| matches!(self.nodes[i].kind, Kind::Longrun { .. }))
    }

    pub fn bundle_names(&self) -> impl Iterator<Item = String> + '_ {
        self.bundles
            .keys()
            .filter(|b| !self.index.contains_key(*b))
            .cloned()
    }

    pub fn is_bundle(&self, name: &str) -> bool {
        self.bundles.contains_key(name) && !self.index.contains_key(name)
    }

    /// `of` and everything it needs, transitively.
    pub fn closure(&self, of: &[usize]) -> Vec<bool> {
        let mut seen = vec![false; self.nodes.len()];
        let mut todo: Vec<usize> = of.to_vec();
        while let Some(i) = todo.pop() {
            if !std::mem::replace(&mut seen[i], true) {
                todo.extend(&self.nodes[i].deps);
            }
        }
        seen
    }

    /// `of` and everything that needs it, transitively.
    pub fn dependents_closure(&self, of: &[usize]) -> Vec<bool> {
        let mut seen = vec![false; self.nodes.len()];
        for &i in of {
            seen[i] = true;
        }
        loop {
            let mut changed = false;
            for (i, n) in self.nodes.iter().enumerate() {
                if !seen[i] && n.deps.iter().any(|&d| seen[d]) {
                    seen[i] = true;
                    changed = true;
                }
            }
            if !changed {
                return seen;
            }
        }
    }

    /// Whether the image defines any service of its own.
    pub fn has_user_services(&self) -> bool {
        self.nodes
            .iter()
            .any(|n| !matches!(n.kind, Kind::Overlay(_)))
    }
}

fn expand(
    name: &str,
    lists: &BundleLists,
    atoms: &HashMap<String, usize>,
    path: &mut Vec<String>,
    problems: &mut Vec<Problem>,
) -> Vec<usize> {
    let Some((dir, list)) = lists.get(name) else {
        return Vec::new();
    };
    if let Some(from) = path.iter().position(|p| p == name) {
        let mut cycle = path[from..].to_vec();
        cycle.push(name.to_owned());
        problems.push(
            Problem::new(
                dir.join("contents.d"),
                format!("bundle {name} contains itself: {}", cycle.join(" -> ")),
            )
            .hint("a bundle cannot be part of its own contents; remove the entry that leads back"),
        );
        return Vec::new();
    }
    path.push(name.to_owned());
    let mut out = Vec::new();
    for (member, file) in list {
        if let Some(&i) = atoms.get(member) {
            out.push(i);
        } else if lists.contains_key(member) {
            out.extend(expand(member, lists, atoms, path, problems));
        } else {
            problems.push(
                Problem::new(
                    file,
                    format!("bundle {name} contains {member:?}, which is not defined"),
                )
                .hint(format!(
                    "define {member} (a directory with a type file) or remove this entry"
                )),
            );
        }
    }
    path.pop();
    out.sort_unstable();
    out.dedup();
    out
}
