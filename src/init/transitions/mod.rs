//! Carrying out the service graph's starts and stops: oneshots' `up` and
//! `down` command lines, longruns set up under `RUN/s6-rc/servicedirs` and
//! supervised, and s6-overlay's own pieces (cont-init.d and cont-finish.d
//! as `legacy-cont-init`, services.d as `legacy-services`). Each start and
//! stop is bounded by its timeout; a failure names the service, its file
//! and what happened.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use nix::unistd::Pid;

mod outcome;
mod scripts;
mod start;
mod stop;
mod timing;

use super::graph::{Graph, Kind, Overlay};
use super::rc::{Engine, Op, State};
use crate::control::rc::Record;

/// What runs for one service of the graph right now.
#[derive(Default)]
struct NodeRun {
    /// A oneshot's `up`/`down`, or the current cont-init/finish script.
    pid: Option<(Pid, String)>,
    /// `timeout-up` / `timeout-down` (or the grace time of services.d).
    deadline: Option<Instant>,
    /// `S6_KILL_FINISH_MAXTIME` for the running cont-finish.d script.
    script_deadline: Option<Instant>,
    scripts: VecDeque<PathBuf>,
    /// Index of a longrun in `Services`.
    supervised: Option<usize>,
    /// The first cont-init.d script that failed, and its code: every
    /// script still runs, as in s6-overlay, and this decides the outcome.
    first_failure: Option<(String, i32)>,
    /// Why the service is not up, and the last exit code of its `up` (or
    /// of the cont-init.d script), for `chainit status`.
    pub why: Option<String>,
    pub code: Option<i32>,
}

pub(super) struct ServiceGraph {
    pub engine: Engine,
    run: Vec<NodeRun>,
    /// services.d entries, by name.
    legacy: Vec<String>,
    /// Consumer node → the pipe its producers write into.
    pipes: HashMap<usize, usize>,
    /// Stage 2 waits for the boot transition.
    pub booting: bool,
    /// `S6_CMD_WAIT_FOR_SERVICES_MAXTIME` for the boot transition.
    boot_deadline: Option<Instant>,
}

impl ServiceGraph {
    pub fn new(graph: Graph) -> Self {
        let run = graph.nodes.iter().map(|_| NodeRun::default()).collect();
        ServiceGraph {
            engine: Engine::new(graph),
            run,
            legacy: Vec::new(),
            pipes: HashMap::new(),
            booting: false,
            boot_deadline: None,
        }
    }

    fn name(&self, i: usize) -> &str {
        &self.engine.graph.nodes[i].name
    }

    /// Every service as `chainit status` shows it (see `control::rc::Record`).
    pub fn report(&self) -> String {
        let records: Vec<Record> = (0..self.run.len())
            .map(|i| {
                let n = &self.engine.graph.nodes[i];
                let kind = match n.kind {
                    Kind::Longrun { .. } => "longrun",
                    _ => "oneshot",
                };
                let state = match self.engine.state[i] {
                    State::Down => "down",
                    State::Starting => "starting",
                    State::Up => "up",
                    State::Failed { .. } => "failed",
                    State::Stopping => "stopping",
                };
                Record {
                    name: n.name.clone(),
                    kind: kind.to_owned(),
                    state: state.to_owned(),
                    wanted_up: self.engine.want_up[i],
                    code: self.run[i].code,
                    why: self.run[i].why.clone().unwrap_or_default(),
                }
            })
            .collect();
        Record::encode(&records)
    }
}

fn ms(n: u64) -> Option<Duration> {
    (n > 0).then(|| Duration::from_millis(n))
}

impl super::Init {
    /// Reads the service graph, reporting every malformed definition.
    pub(in crate::init) fn load_graph(&mut self) {
        let (graph, problems) = Graph::read(&self.tree.sources);
        for p in &problems {
            let hint = p
                .hint
                .as_deref()
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            if p.warning {
                self.log(1, "warning", format_args!("{p}{hint}"));
            } else {
                self.log(0, "error", format_args!("{p}{hint}"));
            }
        }
        self.graph = Some(ServiceGraph::new(graph));
    }

    /// Which stage a log line belongs to ("" for a change at run time).
    pub(in crate::init) fn phase(&self) -> &'static str {
        if self.reason.is_some() {
            "stage 3: "
        } else if self.graph.as_ref().is_some_and(|g| g.booting) {
            "stage 2: "
        } else {
            ""
        }
    }

    /// Stage 2's service transition: the definitions are read (after
    /// `S6_STAGE2_HOOK`, which may edit them, as s6-overlay compiles them
    /// after it) and everything in `top` comes up.
    pub(in crate::init) fn start_graph(&mut self) {
        self.load_graph();
        self.open_control();
        let maxtime = ms(self.cfg.cmd_wait_for_services_maxtime_ms);
        let Some(g) = &mut self.graph else { return };
        let top = g.engine.graph.members("top").unwrap_or_default();
        g.engine.want_up(&top);
        g.booting = true;
        g.boot_deadline = maxtime.map(|d| Instant::now() + d);
        self.supervise_the_rest();
    }

    /// True while the boot transition holds the CMD back.
    pub(in crate::init) fn still_booting(&mut self) -> bool {
        let Some(g) = &mut self.graph else {
            return false;
        };
        if g.booting && g.engine.settled() && g.engine.pending().next().is_none() {
            g.booting = false;
            self.log(2, "info", "stage 2: the services are started");
            return false;
        }
        g.booting
    }

    /// Stage 3's transition: everything goes down, dependents first.
    pub(in crate::init) fn stop_graph(&mut self) {
        self.refuse_requests();
        let Some(g) = &mut self.graph else { return };
        g.booting = false;
        g.engine.want_all_down();
        // Supervised longruns the graph holds down (perhaps started since
        // by s6-svc -u) stop with supervision now.
        let idle: Vec<usize> = (0..g.run.len())
            .filter(|&i| g.engine.state[i] == State::Down)
            .filter_map(|i| g.run[i].supervised)
            .collect();
        let mask = self.signals.original;
        for k in idle {
            self.services.stop_at(k, false, &self.env, &mask);
        }
    }

    pub(in crate::init) fn graph_down(&self) -> bool {
        self.graph.as_ref().is_none_or(|g| g.engine.all_down())
    }

    /// Notes progress of supervised services, then carries out whatever
    /// the graph allows next, until nothing more can happen now.
    pub(in crate::init) fn drive_graph(&mut self) {
        loop {
            self.poll_services();
            let ops = match &mut self.graph {
                Some(g) => g.engine.next_ops(),
                None => return,
            };
            if ops.is_empty() {
                return self.answer_requests();
            }
            for op in ops {
                match op {
                    Op::Start(i) => self.start_node(i),
                    Op::Stop(i) => self.stop_node(i),
                    Op::Cancel(i) => self.cancel_node(i),
                    Op::Skip { node, because } => self.skipped(node, because),
                }
            }
        }
    }

    pub(in crate::init) fn graph_mut(&mut self) -> &mut ServiceGraph {
        // Only called while a graph exists.
        self.graph
            .get_or_insert_with(|| ServiceGraph::new(Graph::default()))
    }

    /// Supervised services that came up (ready) or went away.
    pub(in crate::init) fn poll_services(&mut self) {
        let stopping = self.reason.is_some();
        let Some(g) = &mut self.graph else { return };
        let svc = &self.services;
        for i in 0..g.run.len() {
            let k = g.run[i].supervised;
            let (up, down) = match (g.engine.state[i], &g.engine.graph.nodes[i].kind) {
                (State::Starting, Kind::Longrun { .. }) => {
                    (k.is_some_and(|k| svc.is_up_at(k)), false)
                }
                (State::Stopping, Kind::Longrun { .. }) => {
                    let over = |k| svc.gone_at(k) || (!stopping && svc.is_down_at(k));
                    (false, k.is_none_or(over))
                }
                (State::Starting, Kind::Overlay(Overlay::Services)) => {
                    (g.legacy.iter().all(|n| svc.named_up(n)), false)
                }
                (State::Stopping, Kind::Overlay(Overlay::Services)) => {
                    (false, g.legacy.iter().all(|n| svc.named_gone(n)))
                }
                _ => (false, false),
            };
            if up {
                g.engine.started(i, true, true);
            }
            if down {
                g.engine.stopped(i);
            }
            if up || down {
                g.run[i].deadline = None;
            }
        }
    }
}
