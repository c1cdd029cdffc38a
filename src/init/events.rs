//! `RUN/s6/chainit-events`: one JSON line per state change (a service up,
//! ready, down with its code, a restart scheduled, a give-up, a health
//! verdict, the halt and what asked for it), appended as they happen, for
//! `chainit status --watch` and for operators' tools. Past 1 MiB the file
//! is moved to `chainit-events.1` and a new one begun. Best effort: a run
//! dir that cannot take it costs one warning, never the init.

use std::io::Write;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

const ROTATE_AT: u64 = 1 << 20;

pub struct EventLog {
    path: PathBuf,
    file: Option<std::fs::File>,
    size: u64,
    /// It could not be opened once: no more tries, no more warnings.
    failed: bool,
}

/// `{"time":MS,"event":KIND` — the caller adds its fields and `}`.
pub fn begin(kind: &str) -> String {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    format!("{{\"time\":{ms},\"event\":\"{kind}\"")
}

impl EventLog {
    pub fn new(path: PathBuf) -> Self {
        EventLog {
            path,
            file: None,
            size: 0,
            failed: false,
        }
    }

    /// No event log (the run dir cannot be written; that was said already).
    pub fn disabled() -> Self {
        EventLog {
            path: PathBuf::new(),
            file: None,
            size: 0,
            failed: true,
        }
    }

    /// Appends `lines` (each a JSON object without its newline); the error
    /// to report, the first time one happens.
    pub fn append(&mut self, lines: &[String]) -> Option<String> {
        if self.failed || lines.is_empty() {
            return None;
        }
        if self.file.is_none() || self.size > ROTATE_AT {
            if self.file.is_some() {
                let _ = std::fs::rename(&self.path, self.path.with_extension("1"));
            }
            match std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
            {
                Ok(f) => {
                    self.size = f.metadata().map_or(0, |m| m.len());
                    self.file = Some(f);
                }
                Err(e) => {
                    self.failed = true;
                    return Some(format!(
                        "unable to write {}: {}; no event log",
                        self.path.display(),
                        crate::error::describe(&e)
                    ));
                }
            }
        }
        let mut text = lines.join("\n");
        text.push('\n');
        if let Some(f) = &mut self.file {
            // One write: a reader never sees half a batch.
            if f.write_all(text.as_bytes()).is_ok() {
                self.size += text.len() as u64;
            }
        }
        None
    }
}
