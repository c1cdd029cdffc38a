//! Changing the service graph at run time, as `s6-rc -u|-d change` does:
//! `chainit svc -u|-d NAME` writes one request line into
//! `RUN/s6-rc/control` (`u|d REPLY NAME…`); the init brings the services
//! up with what they need, or down with what needs them, and answers on
//! the client's reply FIFO (`0`, or `1 why`) once that is over.
//! `RUN/s6-rc/names` lists what can be named, for the client.

use std::os::fd::{AsRawFd, OwnedFd};
use std::path::{Path, PathBuf};

use super::graph::{Graph, Kind};
use super::rc::State;
use crate::control::rc::{answer, parse_request};
use crate::s6::files;

pub(super) struct Control {
    dir: PathBuf,
    reader: OwnedFd,
    _writer: OwnedFd,
    partial: Vec<u8>,
    requests: Vec<Request>,
    /// Service → the services that a `d` of it took down with it, so that
    /// a `u` of it brings them back.
    taken_down: std::collections::HashMap<usize, Vec<usize>>,
}

struct Request {
    up: bool,
    nodes: Vec<usize>,
    reply: PathBuf,
}

impl Control {
    /// Makes `dir/control` and `dir/names`.
    pub fn open(dir: &Path, graph: &Graph) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let mut names = String::new();
        for (name, kind) in graph.names() {
            names.push_str(&format!("{name} {kind}\n"));
        }
        std::fs::write(dir.join("names"), names)?;
        let (reader, writer) = files::control_fifo(&dir.join("control"), 0o600)?;
        Ok(Control {
            dir: dir.to_path_buf(),
            reader,
            _writer: writer,
            partial: Vec::new(),
            requests: Vec::new(),
            taken_down: std::collections::HashMap::new(),
        })
    }

    pub fn fd(&self) -> i32 {
        self.reader.as_raw_fd()
    }

    /// The complete request lines written so far.
    fn lines(&mut self) -> Vec<String> {
        self.partial.extend(files::drain(&self.reader));
        let mut out = Vec::new();
        while let Some(end) = self.partial.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.partial.drain(..=end).collect();
            out.push(String::from_utf8_lossy(&line[..end]).into_owned());
        }
        // No request is this long: garbage without a newline is dropped
        // rather than kept growing in PID 1's memory.
        if self.partial.len() > files::DRAIN_MAX {
            self.partial.clear();
        }
        out
    }
}

impl super::Init {
    /// The control FIFO's fd, for the event loop.
    pub(super) fn control_fd(&self) -> Option<i32> {
        self.control.as_ref().map(Control::fd)
    }

    pub(super) fn open_control(&mut self) {
        let Some(g) = &self.graph else { return };
        if !self.run_ok {
            return;
        }
        match Control::open(&self.run.root.join("s6-rc"), &g.engine.graph) {
            Ok(c) => self.control = Some(c),
            Err(e) => self.log(
                1,
                "warning",
                format_args!(
                    "unable to create {}: {}; chainit svc cannot change the graph",
                    self.run.root.join("s6-rc/control").display(),
                    crate::error::describe(&e)
                ),
            ),
        }
    }

    /// Reads and applies the requests waiting in the control FIFO.
    pub(super) fn on_control(&mut self) {
        let Some(c) = &mut self.control else { return };
        for line in c.lines() {
            self.request(&line);
        }
    }

    fn request(&mut self, line: &str) {
        let Some((verb, reply, names)) = parse_request(line) else {
            return;
        };
        let Some(c) = &self.control else { return };
        // Replies go only to FIFOs in our own directory.
        if reply.parent() != Some(c.dir.as_path()) {
            return;
        }
        let reply = reply.to_path_buf();
        let Some(g) = &mut self.graph else { return };
        let mut named = Vec::new();
        for &name in names.iter().skip(usize::from(verb == "m")) {
            match g.engine.graph.members(name) {
                Some(m) => named.extend(m),
                None => return answer(&reply, &format!("3 {name}: no such service or bundle")),
            }
        }
        let list = |nodes: &[usize], g: &super::transitions::ServiceGraph| {
            let mut v: Vec<&str> = nodes
                .iter()
                .map(|&i| g.engine.graph.nodes[i].name.as_str())
                .collect();
            v.sort_unstable();
            format!("0 {}", v.join(" "))
        };
        let (up, force) = match verb {
            "u" | "p" => (true, false),
            "d" => (false, false),
            "D" => (false, true),
            // Every service's state, for `chainit status`.
            "s" => return answer(&reply, &format!("0 {}", g.report())),
            // The services up now.
            "l" => {
                let up: Vec<usize> = (0..g.engine.state.len())
                    .filter(|&i| g.engine.state[i] == State::Up)
                    .collect();
                return answer(&reply, &list(&up, g));
            }
            // `m x|u|d NAMES`: the atomic services NAMES stand for, with what they need (u) or what needs them (d).
            "m" => {
                let seen = match names.first() {
                    Some(&"u") => g.engine.graph.closure(&named),
                    Some(&"d") => g.engine.graph.dependents_closure(&named),
                    _ => {
                        let mut v = vec![false; g.engine.state.len()];
                        named.iter().for_each(|&i| v[i] = true);
                        v
                    }
                };
                let nodes: Vec<usize> = (0..seen.len()).filter(|&i| seen[i]).collect();
                return answer(&reply, &list(&nodes, g));
            }
            _ => return answer(&reply, &format!("100 unknown request {verb:?}")),
        };
        if self.reason.is_some() {
            return answer(&reply, "1 the container is stopping");
        }
        let Some(g) = &mut self.graph else { return };
        if let (true, Some(c)) = (up, &mut self.control) {
            let back: Vec<usize> = named
                .iter()
                .filter_map(|n| c.taken_down.remove(n))
                .flatten()
                .collect();
            named.extend(back);
        }
        let nodes = if up {
            g.engine.graph.closure(&named)
        } else {
            g.engine.graph.dependents_closure(&named)
        };
        let nodes: Vec<usize> = (0..nodes.len()).filter(|&i| nodes[i]).collect();
        if verb == "p" {
            // Prune: what is up and not needed by the selection goes down.
            let keep = g.engine.graph.closure(&named);
            let extra: Vec<usize> = (0..keep.len())
                .filter(|&i| !keep[i] && g.engine.state[i] == State::Up)
                .collect();
            g.engine.want_down(&extra);
        }
        if !up && !force {
            let essential: Vec<&str> = nodes
                .iter()
                .map(|&i| &g.engine.graph.nodes[i])
                .filter(|n| n.essential)
                .map(|n| n.name.as_str())
                .collect();
            if !essential.is_empty() {
                let why = format!(
                    "1 not stopped: {} marked flag-essential",
                    essential.join(", ")
                );
                return answer(&reply, &why);
            }
        }
        if up {
            g.engine.want_up(&named);
        } else {
            // What goes down with `named` now comes back with it.
            let wanted: Vec<usize> = nodes
                .iter()
                .copied()
                .filter(|&i| g.engine.want_up[i] && !named.contains(&i))
                .collect();
            if let Some(c) = &mut self.control {
                for &n in &named {
                    c.taken_down.entry(n).or_default().extend(&wanted);
                }
            }
            g.engine.want_down(&named);
        }
        let what = if up { "up" } else { "down" };
        self.log(
            2,
            "info",
            format_args!(
                "bringing {what}: {}",
                line.split_whitespace()
                    .skip(2)
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        );
        if let Some(c) = &mut self.control {
            c.requests.push(Request { up, nodes, reply });
        }
    }

    /// Stage 3 ends every change in progress.
    pub(super) fn refuse_requests(&mut self) {
        if let Some(c) = &mut self.control {
            for r in c.requests.drain(..) {
                answer(&r.reply, "1 the container is stopping");
            }
        }
    }

    /// Answers every request whose change is over.
    pub(super) fn answer_requests(&mut self) {
        let (Some(c), Some(g)) = (&mut self.control, &self.graph) else {
            return;
        };
        let state = &g.engine.state;
        c.requests.retain(|r| {
            let done = r.nodes.iter().all(|&i| match state[i] {
                State::Up => r.up,
                State::Failed { live } => r.up || !live,
                State::Down => !r.up,
                _ => false,
            });
            if !done {
                return true;
            }
            let failed: Vec<&str> = r
                .nodes
                .iter()
                .filter(|&&i| r.up && matches!(state[i], State::Failed { .. }))
                .map(|&i| g.engine.graph.nodes[i].name.as_str())
                .collect();
            if failed.is_empty() {
                answer(&r.reply, "0");
            } else {
                answer(
                    &r.reply,
                    &format!("1 did not come up: {}", failed.join(", ")),
                );
            }
            false
        });
    }
}

impl Graph {
    /// Every name a request can use, with what it is.
    pub fn names(&self) -> Vec<(String, &'static str)> {
        let mut out: Vec<(String, &'static str)> = self
            .nodes
            .iter()
            .map(|n| {
                let kind = match n.kind {
                    Kind::Oneshot { .. } => "oneshot",
                    Kind::Longrun { .. } => "longrun",
                    Kind::Overlay(_) => "oneshot",
                };
                (n.name.clone(), kind)
            })
            .collect();
        out.extend(self.bundle_names().map(|b| (b, "bundle")));
        out.sort();
        out
    }
}
