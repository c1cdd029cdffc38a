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
            if (sub == dir || sub.is_dir())
                && let Err(found) = service::ServiceDef::read(&sub)
            {
                problems.extend(found.into_iter().map(|p| graph::Problem::service(&sub, p)));
            }
        }
    }
    (g, problems)
}
