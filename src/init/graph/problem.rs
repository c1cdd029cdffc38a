//! A malformed definition as a miette diagnostic: the file, what is wrong,
//! a label on the offending text and a hint.

use std::path::{Path, PathBuf};

use miette::{NamedSource, SourceSpan};

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
    pub(super) fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
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

    /// A script calls `name` (at byte `at` of `text`), one of s6-overlay's
    /// `/command` programs that chainit does not provide.
    pub fn unprovided(file: &Path, text: &str, at: usize, name: &str) -> Self {
        Problem::new(file, format!("calls {name}, which s6-overlay ships in /command and chainit does not provide"))
            .point(text, at, name.len(), "not provided")
            .hint("see the /command table of docs/migrating.md for what to use instead, or keep the package that has it in the image")
            .warning()
    }

    /// A malformed policy file (`restart-backoff`, `health-interval`, …):
    /// a warning, as the service starts with the default.
    pub fn policy(w: &crate::init::policy::Warning) -> Self {
        Problem::new(&w.file, format!("{}; the default is used", w.message))
            .point(&w.text, w.at, w.len, "this line")
            .hint("see the service policy files in docs/services.md")
            .warning()
    }

    /// A malformed file of a service directory (`what` names it).
    pub fn service(dir: &Path, what: String) -> Self {
        Problem::new(dir, what)
    }

    pub(super) fn hint(mut self, h: impl Into<String>) -> Self {
        self.hint = Some(h.into());
        self
    }
    pub(super) fn point(mut self, text: &str, at: usize, len: usize, label: &str) -> Self {
        let name = self.file.display().to_string();
        self.snippet = Some((NamedSource::new(name, text.to_owned()), at, len));
        self.label = label.to_owned();
        self
    }
    pub(super) fn warning(mut self) -> Self {
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
