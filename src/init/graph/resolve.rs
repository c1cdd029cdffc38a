//! Resolving names: bundles expanded to atomic services, pipelines linked,
//! dependencies turned into indices; what cannot resolve becomes a
//! `Problem` and breaks only what it touches.

use std::collections::HashMap;
use std::path::PathBuf;

use super::{Graph, Kind, Node, Problem, Raw, RawKind};

/// Bundle name → its directory and its listed members (each with the file
/// that lists it), before expansion.
type BundleLists = HashMap<String, (PathBuf, Vec<(String, PathBuf)>)>;

impl Graph {
    pub(super) fn resolve(raws: Vec<Raw>, problems: &mut Vec<Problem>) -> Graph {
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
