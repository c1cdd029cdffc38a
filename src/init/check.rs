//! `chainit check`: the image's service definitions read exactly as the
//! init would read them at boot, with every problem found, without booting.

use crate::chain::Env;

use super::{config, fix_attrs, graph, service, tree};

/// `chainit check`: the service graph under `root` as the init would read
/// it (same `S6_*` selectors), with every problem of its definitions, of
/// `services.d` and of the cont-init.d / cont-finish.d scripts.
pub fn check(root: &std::path::Path) -> (graph::Graph, Vec<graph::Problem>) {
    let (cfg, _) = config::read(&Env::from_process());
    let bundledir = (cfg.runtime_bundledir != config::DEFAULT_BUNDLEDIR)
        .then_some(cfg.runtime_bundledir.as_slice());
    let tree = tree::Tree::at(root, cfg.runtime_profile.as_deref(), bundledir);
    let (g, mut problems) = graph::Graph::read(&tree.sources);
    for dir in [&tree.cont_init, &tree.cont_finish] {
        for script in tree::scripts(dir) {
            if let Some(why) = tree::not_runnable(&script) {
                problems.push(graph::Problem::script(&script, why));
            }
        }
    }
    for file in tree::scripts(&tree.fix_attrs) {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            let body = line.trim_end_matches('\n');
            if let Some(why) = fix_attrs::line_problem(body.as_bytes()) {
                problems.push(graph::Problem::fix_attrs(&file, &text, at, body.len(), why));
            }
            at += line.len();
        }
    }
    for (name, dir) in service::list(&tree.services) {
        if g.is_longrun(&name) {
            problems.push(graph::Problem::service(
                &dir,
                format!("{name} is also a longrun in s6-rc.d; both would be RUN/service/{name}, and this one is not started"),
            ));
        }
        for sub in [dir.clone(), dir.join("log")] {
            if sub != dir && !sub.is_dir() {
                continue;
            }
            match service::ServiceDef::read(&sub) {
                Err(found) => {
                    problems.extend(found.into_iter().map(|p| graph::Problem::service(&sub, p)))
                }
                Ok(def) => problems.extend(def.warnings.iter().map(graph::Problem::policy)),
            }
        }
    }
    problems.extend(unprovided_calls(&tree, &g));
    (g, problems)
}

/// Every name s6-overlay 3.2.3.2 puts in /command.
const S6_OVERLAY_COMMAND: &str =
    include_str!("../../tests/fixtures/s6-overlay-3.2.3.2-command.txt");

/// The scripts of the image and the /command names in them that chainit
/// does not provide: a script would stop there with "not found". Words are
/// matched whole, so only those names (specific enough) are reported.
fn unprovided_calls(tree: &tree::Tree, g: &graph::Graph) -> Vec<graph::Problem> {
    let missing: Vec<&str> = S6_OVERLAY_COMMAND
        .lines()
        .filter(|n| !n.is_empty() && crate::chain::registry::lookup(n.as_bytes()).is_none())
        .collect();
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for dir in [&tree.cont_init, &tree.cont_finish] {
        files.extend(tree::scripts(dir));
    }
    for (_, dir) in service::list(&tree.services) {
        files.extend(["run", "finish", "log/run"].map(|f| dir.join(f)));
    }
    for n in &g.nodes {
        if !n.dir.as_os_str().is_empty() {
            files.extend(["up", "down", "run", "finish"].map(|f| n.dir.join(f)));
        }
    }
    let mut out = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let mut seen = Vec::new();
        let mut start = None;
        for (i, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            match (is_word(c), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    start = None;
                    let word = &text[s..i];
                    if let Some(name) = missing.iter().find(|m| **m == word)
                        && !seen.contains(name)
                    {
                        seen.push(*name);
                        out.push(graph::Problem::unprovided(&file, &text, s, name));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// A character of a command name.
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}
