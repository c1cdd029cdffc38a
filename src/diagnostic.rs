//! Rendering miette diagnostics for people: as wide as the terminal, in
//! colour only on one. Below the engine, so every layer can report.

/// Prints a diagnostic to stderr, graphical (colour only on a terminal).
pub fn render_report(diag: &dyn miette::Diagnostic) {
    eprint!("{}", rendered(diag));
}

fn rendered(diag: &dyn miette::Diagnostic) -> String {
    use std::io::IsTerminal;
    let theme = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    // As wide as the terminal says it is (COLUMNS), else 80.
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .filter(|&w| w >= 40)
        .unwrap_or(80);
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(width);
    let mut out = String::new();
    if handler.render_report(&mut out, diag).is_err() {
        out = format!("{diag}\n");
    }
    out
}

/// Prints a script's syntax error to stderr, as execlineb reports one.
pub fn render_syntax_error(diag: &dyn miette::Diagnostic) {
    eprint!("execlineb: fatal: syntax error\n{}", rendered(diag));
}
