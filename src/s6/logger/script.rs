//! An s6-log logging script, compiled: groups of selection directives
//! (`+re`, `-re`, `f`) each followed by actions (`1`, `2`, `=file`, a
//! logdir), with the control settings (`n s S l r E ^ p ! ? t T`) in force
//! at each action. Sticky settings carry on; `t` and `T` last one action.

use std::path::PathBuf;

use crate::posix::{Regex, RegexFlags};

pub enum Selection {
    Plus(Regex),
    Minus(Regex),
    /// `f`: exactly the lines no action has taken yet.
    Fresh,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Processor {
    Execline(Vec<u8>),
    Shell(Vec<u8>),
}

/// Settings of one logdir, fixed where it appears in the script.
#[derive(Clone, Debug)]
pub struct DirSettings {
    pub path: PathBuf,
    pub keep: u64,
    pub max_size: u64,
    pub total_size: u64,
    pub tolerance: u64,
    pub cooldown_ms: u64,
    pub processor: Option<Processor>,
}

pub enum Target {
    Stdout,
    Alert,
    Status(PathBuf),
    /// Index into `Script::dirs`.
    Dir(usize),
}

pub struct Action {
    pub target: Target,
    pub tai64n: bool,
    pub iso8601: bool,
    pub prefix: Option<Vec<u8>>,
    pub alert_size: usize,
    pub status_size: usize,
}

pub struct Element {
    pub selections: Vec<Selection>,
    pub actions: Vec<Action>,
}

pub struct Script {
    pub elements: Vec<Element>,
    pub dirs: Vec<DirSettings>,
}

fn num(d: &[u8], what: char) -> Result<u64, String> {
    crate::decimal::number(&d[1..]).ok_or_else(|| {
        format!(
            "unrecognized directive: {what}{}",
            String::from_utf8_lossy(&d[1..])
        )
    })
}

/// Compiles `directives`; the error names the directive at fault.
pub fn compile(directives: &[Vec<u8>]) -> Result<Script, String> {
    let mut dir = DirSettings {
        path: PathBuf::new(),
        keep: 10,
        max_size: 99999,
        total_size: 0,
        tolerance: 2000,
        cooldown_ms: 2000,
        processor: None,
    };
    let (mut alert_size, mut status_size) = (200usize, 1001usize);
    let mut prefix: Option<Vec<u8>> = None;
    let (mut tai64n, mut iso8601) = (false, false);
    let mut elements: Vec<Element> = Vec::new();
    let mut dirs = Vec::new();
    let mut selections: Vec<Selection> = Vec::new();
    let regex = |d: &[u8]| {
        Regex::new(&d[1..], RegexFlags::default())
            .map_err(|_| format!("unrecognized directive: {}", String::from_utf8_lossy(d)))
    };
    for d in directives {
        let Some(&first) = d.first() else {
            return Err("empty directive".into());
        };
        let target = match first {
            b'+' | b'-' | b'f' => {
                selections.push(match first {
                    b'+' => Selection::Plus(regex(d)?),
                    b'-' => Selection::Minus(regex(d)?),
                    _ if d.len() == 1 => Selection::Fresh,
                    _ => {
                        return Err(format!(
                            "unrecognized directive: {}",
                            String::from_utf8_lossy(d)
                        ));
                    }
                });
                continue;
            }
            b'n' => {
                dir.keep = num(d, 'n')?;
                continue;
            }
            b's' => {
                // Out of range is brought into range, as s6-log does.
                dir.max_size = num(d, 's')?.clamp(4096, 268_435_455);
                continue;
            }
            b'S' => {
                dir.total_size = num(d, 'S')?;
                continue;
            }
            b'l' => {
                dir.tolerance = num(d, 'l')?;
                continue;
            }
            b'r' => {
                dir.cooldown_ms = num(d, 'r')?;
                continue;
            }
            b'E' => {
                alert_size = num(d, 'E')? as usize;
                continue;
            }
            b'^' => {
                status_size = num(d, '^')? as usize;
                continue;
            }
            b'p' => {
                prefix = (d.len() > 1).then(|| d[1..].to_vec());
                continue;
            }
            b'!' => {
                dir.processor = (d.len() > 1).then(|| Processor::Execline(d[1..].to_vec()));
                continue;
            }
            b'?' => {
                dir.processor = (d.len() > 1).then(|| Processor::Shell(d[1..].to_vec()));
                continue;
            }
            b't' if d.len() == 1 => {
                tai64n = true;
                continue;
            }
            b'T' if d.len() == 1 => {
                iso8601 = true;
                continue;
            }
            b'1' if d.len() == 1 => Target::Stdout,
            b'2' if d.len() == 1 => Target::Alert,
            b'=' if d.len() > 1 => {
                Target::Status(PathBuf::from(String::from_utf8_lossy(&d[1..]).into_owned()))
            }
            b'/' | b'.' => {
                let mut settings = dir.clone();
                // At most half the file size, as s6-log brings it.
                settings.tolerance = settings.tolerance.min(settings.max_size / 2);
                settings.path = PathBuf::from(String::from_utf8_lossy(d).into_owned());
                dirs.push(settings);
                Target::Dir(dirs.len() - 1)
            }
            _ => {
                return Err(format!(
                    "unrecognized directive: {}",
                    String::from_utf8_lossy(d)
                ));
            }
        };
        let action = Action {
            target,
            tai64n,
            iso8601,
            prefix: prefix.clone(),
            alert_size,
            status_size,
        };
        (tai64n, iso8601) = (false, false);
        // Selections given since the last action open a new group.
        if !selections.is_empty() || elements.is_empty() {
            elements.push(Element {
                selections: std::mem::take(&mut selections),
                actions: Vec::new(),
            });
        }
        if let Some(e) = elements.last_mut() {
            e.actions.push(action);
        }
    }
    if elements.is_empty() {
        return Err("no action directive in the logging script".into());
    }
    if !selections.is_empty() {
        eprintln!("s6-log: warning: the last directives are not followed by an action");
    }
    Ok(Script { elements, dirs })
}
