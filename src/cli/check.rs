//! `chainit check`: every problem of an image's service definitions,
//! reported at once and without booting.

use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The image root whose etc/s6-overlay, etc/services.d and
    /// etc/cont-*.d are read.
    #[arg(long, default_value = "/")]
    root: PathBuf,
}

/// Exit 0 when nothing is wrong (warnings allowed), 1 otherwise.
pub fn run(a: &Args) -> i32 {
    if !a.root.is_dir() {
        eprintln!(
            "chainit check: fatal: --root {}: not a directory",
            a.root.display()
        );
        return crate::exit::USAGE;
    }
    let (graph, problems) = crate::init::check(&a.root);
    for p in &problems {
        crate::diagnostic::render_report(p);
    }
    let errors = problems.iter().filter(|p| !p.warning).count();
    let warnings = problems.len() - errors;
    let services = graph.nodes.len();
    if errors == 0 {
        println!(
            "{}: {services} services, no errors, {warnings} warning(s)",
            a.root.display()
        );
        0
    } else {
        eprintln!(
            "{}: {errors} error(s), {warnings} warning(s); the services they name will not start",
            a.root.display()
        );
        1
    }
}
