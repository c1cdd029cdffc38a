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

use super::graph::{Graph, Kind, Overlay};
use super::rc::{Engine, Op, State};
use super::{signals, tree};
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
    pub(super) fn load_graph(&mut self) {
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
    fn phase(&self) -> &'static str {
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
    pub(super) fn start_graph(&mut self) {
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
    pub(super) fn still_booting(&mut self) -> bool {
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
    pub(super) fn stop_graph(&mut self) {
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

    pub(super) fn graph_down(&self) -> bool {
        self.graph.as_ref().is_none_or(|g| g.engine.all_down())
    }

    /// Notes progress of supervised services, then carries out whatever
    /// the graph allows next, until nothing more can happen now.
    pub(super) fn drive_graph(&mut self) {
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

    fn graph_mut(&mut self) -> &mut ServiceGraph {
        // Only called while a graph exists.
        self.graph
            .get_or_insert_with(|| ServiceGraph::new(Graph::default()))
    }

    fn skipped(&mut self, node: usize, because: usize) {
        let g = self.graph_mut();
        let name = g.name(node).to_owned();
        if node == because {
            g.run[node].why = Some("its definition is broken (chainit check)".to_owned());
            let dir = &g.engine.graph.nodes[node].dir;
            let what = if dir.as_os_str().is_empty() {
                format!(
                    "service {name} is not started: its definition is broken (see the error above)"
                )
            } else {
                format!(
                    "service {name} is not started: its definition in {} is broken (see the error above)",
                    dir.display()
                )
            };
            self.startup_failed(&what, 1);
        } else {
            let dep = g.name(because).to_owned();
            g.run[node].why = Some(format!("needs {dep}, which did not come up"));
            self.log(
                2,
                "info",
                format_args!(
                    "service {name} is not started: it needs {dep}, which did not come up"
                ),
            );
        }
    }

    /// A failure while coming up: during boot it is a stage-2 failure.
    fn startup_failed(&mut self, what: &str, code: i32) {
        if self.graph.as_ref().is_some_and(|g| g.booting) && self.reason.is_none() {
            self.stage2_failure(what, code);
        } else {
            self.log(1, "warning", what);
        }
    }

    fn node_failed(&mut self, i: usize, why: &str, live: bool) {
        self.node_failed_with(i, why, live, 1);
    }

    /// `node_failed`, with the exit code a stopped container reports.
    fn node_failed_with(&mut self, i: usize, why: &str, live: bool, code: i32) {
        let g = self.graph_mut();
        g.engine.started(i, false, live);
        g.run[i].deadline = None;
        g.run[i].why = Some(why.to_owned());
        let n = &g.engine.graph.nodes[i];
        // s6-overlay's own pieces have no directory to name.
        let what = if n.dir.as_os_str().is_empty() {
            format!("service {}: {why}", n.name)
        } else {
            format!("service {} ({}): {why}", n.name, n.dir.display())
        };
        self.startup_failed(&what, code);
    }

    fn start_node(&mut self, i: usize) {
        let node = self.graph_mut().engine.graph.nodes[i].clone();
        let now = Instant::now();
        let r = &mut self.graph_mut().run[i];
        r.deadline = ms(node.timeout_up_ms).map(|d| now + d);
        r.why = None;
        r.first_failure = None;
        match node.kind {
            // Nothing to run: s6-rc counts the transition as a success.
            Kind::Oneshot { up, .. } if up.is_empty() => {
                self.log(
                    2,
                    "info",
                    format_args!("{}{} is up", self.phase(), node.name),
                );
                let g = self.graph_mut();
                g.run[i].deadline = None;
                g.engine.started(i, true, true);
            }
            Kind::Oneshot { up, .. } => {
                self.log(
                    2,
                    "info",
                    format_args!("{}starting {}", self.phase(), node.name),
                );
                let first = crate::error::show(up.first().map_or(&[][..], Vec::as_slice));
                match self.spawn_oneshot(up, &node.name) {
                    Ok(pid) => self.graph_mut().run[i].pid = Some((pid, first)),
                    Err(code) => {
                        let why = format!("its up command {first} could not be run (exit {code})");
                        self.node_failed(i, &why, false);
                    }
                }
            }
            Kind::Longrun {
                producer_for,
                consumer,
            } => self.start_longrun(i, &node, producer_for, consumer),
            Kind::Overlay(Overlay::FixAttrs) => {
                if tree::scripts(&self.tree.fix_attrs).is_empty() {
                    return self.graph_mut().engine.started(i, true, true);
                }
                // In a child (`chainit fix-attrs`), as s6-overlay runs it: a
                // big tree must not hold up the event loop. It fails only
                // under S6_BEHAVIOUR_IF_STAGE2_FAILS=2, as the overlay's does.
                let mut argv: Vec<Vec<u8>> = vec![
                    b"/proc/self/exe".to_vec(),
                    b"fix-attrs".to_vec(),
                    b"--policy".to_vec(),
                    self.cfg.stage2_fails.to_string().into_bytes(),
                    b"--verbosity".to_vec(),
                    self.verbosity.to_string().into_bytes(),
                ];
                if self.cfg.fix_attrs_hidden {
                    argv.push(b"--hidden".to_vec());
                }
                argv.push(b"--".to_vec());
                argv.push(self.tree.fix_attrs.as_os_str().as_encoded_bytes().to_vec());
                match self.spawn(argv, false) {
                    Ok(pid) => self.graph_mut().run[i].pid = Some((pid, "fix-attrs".to_owned())),
                    Err(code) => self.node_failed(
                        i,
                        &format!("fix-attrs could not be run (exit {code})"),
                        false,
                    ),
                }
            }
            Kind::Overlay(Overlay::ContInit) => {
                self.graph_mut().run[i].scripts = tree::scripts(&self.tree.cont_init).into();
                self.next_script(i);
            }
            Kind::Overlay(Overlay::Services) => {
                let names = self.start_services();
                let g = self.graph_mut();
                g.legacy = names;
                if !self.cfg.cmd_wait_for_services {
                    self.graph_mut().engine.started(i, true, true);
                }
            }
        }
    }

    /// A oneshot's `up` or `down`, with `RC_NAME` set to its name, as
    /// s6-rc-oneshot-run does.
    fn spawn_oneshot(&self, argv: Vec<Vec<u8>>, name: &str) -> Result<Pid, i32> {
        let mut env = self.env.clone();
        env.set("RC_NAME", name);
        self.spawn_with_env(argv, false, &env)
    }

    fn start_longrun(
        &mut self,
        i: usize,
        node: &super::graph::Node,
        producer_for: Option<usize>,
        consumer: bool,
    ) {
        let name = node.name.clone();
        // Brought down at run time: still supervised, so it is only told to go up.
        if let Some(k) = self.graph_mut().run[i].supervised
            && !self.services.gone_at(k)
        {
            self.log(2, "info", format_args!("starting service {name}"));
            let mask = self.signals.original;
            self.services.command_at(k, b"u", &self.env, &mask);
            return;
        }
        let link = match self.set_up_longrun(node, false) {
            Ok(link) => link,
            Err(why) => return self.node_failed(i, &why, false),
        };
        let mut stdin_pipe = None;
        if consumer {
            match self.services.new_pipe() {
                Ok(p) => {
                    self.graph_mut().pipes.insert(i, p);
                    stdin_pipe = Some(p);
                }
                Err(e) => {
                    return self.node_failed(i, &format!("unable to create its pipe: {e}"), false);
                }
            }
        }
        let stdout_pipe = producer_for.and_then(|c| self.graph_mut().pipes.get(&c).copied());
        self.log(
            2,
            "info",
            format_args!("{}starting service {name}", self.phase()),
        );
        let mask = self.signals.original;
        let at = self
            .services
            .supervise(name, &link, stdout_pipe, stdin_pipe, &self.env, &mask);
        self.flush_service_log();
        match at {
            Some(k) => self.graph_mut().run[i].supervised = Some(k),
            None => self.node_failed(i, "it cannot be supervised (see above)", false),
        }
    }

    /// A longrun's live copy, `RUN/s6-rc/servicedirs/NAME`, linked as
    /// `RUN/service/NAME`; with `down`, it is supervised but starts down.
    fn set_up_longrun(&self, node: &super::graph::Node, down: bool) -> Result<PathBuf, String> {
        let live = self.run.root.join("s6-rc/servicedirs").join(&node.name);
        let link = self.run.root.join("service").join(&node.name);
        let _ = std::fs::create_dir_all(self.run.root.join("service"));
        let _ = std::fs::remove_dir_all(&live);
        let _ = std::fs::remove_file(&link);
        // s6-rc ignores a longrun's down file and log/ (pipelines replace it).
        tree::copy_tree_except(&node.dir, &live, &["down", "log"])
            .and_then(|()| tree::make_runnable(&live, &["run", "finish"]))
            .and_then(|()| {
                if down {
                    std::fs::write(live.join("down"), "")?;
                }
                std::os::unix::fs::symlink(&live, &link)
            })
            .map(|()| link)
            .map_err(|e| {
                format!(
                    "unable to set up {}: {}",
                    live.display(),
                    crate::error::describe(&e)
                )
            })
    }

    /// Every sound longrun that the boot does not start is still set up and
    /// supervised, down, as s6-rc-init does: `s6-svc -u RUN/service/NAME`
    /// can start it later. (Pipeline members come up through the graph only.)
    pub(super) fn supervise_the_rest(&mut self) {
        let Some(g) = &self.graph else { return };
        let booting = g.engine.want_up.clone();
        let rest: Vec<usize> = (0..booting.len())
            .filter(|&i| {
                let n = &g.engine.graph.nodes[i];
                let plain = matches!(
                    n.kind,
                    Kind::Longrun {
                        producer_for: None,
                        consumer: false
                    }
                );
                plain && !booting[i] && !n.broken
            })
            .collect();
        for i in rest {
            let node = self.graph_mut().engine.graph.nodes[i].clone();
            let link = match self.set_up_longrun(&node, true) {
                Ok(link) => link,
                Err(why) => {
                    self.log(1, "warning", format_args!("service {}: {why}", node.name));
                    continue;
                }
            };
            let mask = self.signals.original;
            let at =
                self.services
                    .supervise(node.name.clone(), &link, None, None, &self.env, &mask);
            self.graph_mut().run[i].supervised = at;
        }
        self.flush_service_log();
    }

    /// Runs the next cont-init.d (up) or cont-finish.d (down) script of
    /// `legacy-cont-init`; none left ends its transition.
    fn next_script(&mut self, i: usize) {
        let up = self.graph_mut().engine.state[i] == State::Starting;
        loop {
            let Some(script) = self.graph_mut().run[i].scripts.pop_front() else {
                if up {
                    return self.cont_init_over(i);
                }
                self.graph_mut().engine.stopped(i);
                return;
            };
            let what = script.display().to_string();
            if let Some(why) = tree::not_runnable(&script) {
                self.log(1, "warning", format_args!("cannot run {what}: {why}"));
                if up {
                    self.script_failed(i, &what, 126);
                }
                continue;
            }
            self.log(2, "info", format_args!("{}running {what}", self.phase()));
            let argv = vec![script.as_os_str().as_encoded_bytes().to_vec()];
            match self.spawn(argv, false) {
                Ok(pid) => {
                    let limit = if up {
                        None
                    } else {
                        ms(self.cfg.kill_finish_maxtime_ms)
                    };
                    let r = &mut self.graph_mut().run[i];
                    r.pid = Some((pid, what));
                    r.script_deadline = limit.map(|d| Instant::now() + d);
                    return;
                }
                Err(code) if up => self.script_failed(i, &what, code),
                Err(_) => {}
            }
        }
    }

    /// A cont-init.d script failed: said with its code whatever the policy;
    /// the next one still runs.
    fn script_failed(&mut self, i: usize, what: &str, code: i32) {
        self.log(1, "warning", format_args!("{what} exited {code}"));
        let r = &mut self.graph_mut().run[i];
        r.code = Some(code);
        r.first_failure
            .get_or_insert_with(|| (what.to_owned(), code));
    }

    /// Every cont-init.d script has run. As s6-overlay's: a failure is only
    /// noted under S6_BEHAVIOUR_IF_STAGE2_FAILS=0, fails `legacy-cont-init`
    /// (and so stops the container) under 2; the code is the first failure's.
    fn cont_init_over(&mut self, i: usize) {
        let failure = self.graph_mut().run[i].first_failure.take();
        match failure {
            Some((what, code)) if self.cfg.stage2_fails >= 2 => {
                let why = format!("cont-init.d: {what} exited {code}");
                self.node_failed_with(i, &why, false, code);
            }
            Some((what, code)) => {
                if self.cfg.stage2_fails == 1 {
                    self.log(1, "warning", format_args!("cont-init.d: some scripts exited nonzero, the first {what} with {code}; continuing"));
                }
                self.graph_mut().engine.started(i, true, true);
            }
            None => self.graph_mut().engine.started(i, true, true),
        }
    }

    /// A starting service is no longer wanted: its up stops (TERM), and it
    /// counts as failed once that is over.
    fn cancel_node(&mut self, i: usize) {
        let g = self.graph_mut();
        g.run[i].scripts.clear();
        let kind = g.engine.graph.nodes[i].kind.clone();
        match (&g.run[i].pid, kind) {
            (Some((pid, _)), _) => {
                let _ = signals::send(pid.as_raw(), libc::SIGTERM);
                let _ = signals::send(pid.as_raw(), libc::SIGCONT);
                // One that ignores TERM is killed after the services' grace time.
                let grace = Duration::from_millis(self.cfg.services_gracetime_ms);
                let r = &mut self.graph_mut().run[i];
                let at = Instant::now() + grace;
                r.deadline = Some(r.deadline.map_or(at, |d| d.min(at)));
            }
            (None, Kind::Oneshot { .. }) => g.engine.started(i, false, false),
            (None, _) => g.engine.started(i, false, true),
        }
    }

    fn stop_node(&mut self, i: usize) {
        let node = self.graph_mut().engine.graph.nodes[i].clone();
        let now = Instant::now();
        let bound = ms(node.timeout_down_ms).or(ms(self.cfg.services_gracetime_ms));
        match node.kind {
            Kind::Oneshot {
                down: Some(down), ..
            } => {
                self.log(
                    2,
                    "info",
                    format_args!("{}stopping {}", self.phase(), node.name),
                );
                let first = crate::error::show(down.first().map_or(&[][..], Vec::as_slice));
                match self.spawn_oneshot(down, &node.name) {
                    Ok(pid) => {
                        let r = &mut self.graph_mut().run[i];
                        r.pid = Some((pid, first));
                        r.deadline = ms(node.timeout_down_ms).map(|d| now + d);
                    }
                    Err(code) => {
                        self.log(1, "warning", format_args!("service {}: its down command {first} could not be run (exit {code})", node.name));
                        self.graph_mut().engine.stopped(i);
                    }
                }
            }
            Kind::Oneshot { down: None, .. } | Kind::Overlay(Overlay::FixAttrs) => {
                self.graph_mut().engine.stopped(i);
            }
            Kind::Longrun { consumer, .. } => {
                let Some(k) = self.graph_mut().run[i].supervised else {
                    return self.graph_mut().engine.stopped(i);
                };
                let mask = self.signals.original;
                if self.reason.is_some() {
                    // The end: supervision stops too, and a consumer drains to EOF.
                    let name = &node.name;
                    self.log(2, "info", format_args!("stage 3: stopping service {name}"));
                    self.services.stop_at(k, consumer, &self.env, &mask);
                } else {
                    self.log(2, "info", format_args!("stopping service {}", node.name));
                    self.services.command_at(k, b"d", &self.env, &mask);
                }
                self.graph_mut().run[i].deadline = bound.map(|d| now + d);
            }
            Kind::Overlay(Overlay::ContInit) => {
                self.graph_mut().run[i].scripts = tree::scripts(&self.tree.cont_finish).into();
                self.next_script(i);
            }
            Kind::Overlay(Overlay::Services) => {
                let names = self.graph_mut().legacy.clone();
                if !names.is_empty() {
                    let phase = self.phase();
                    self.log(
                        2,
                        "info",
                        format_args!("{phase}stopping the services of services.d"),
                    );
                }
                let mask = self.signals.original;
                for n in &names {
                    self.services.stop_one(n, &self.env, &mask);
                }
                let grace = Duration::from_millis(self.cfg.services_gracetime_ms);
                self.graph_mut().run[i].deadline = Some(now + grace);
            }
        }
        self.flush_service_log();
    }

    /// Supervised services that came up (ready) or went away.
    fn poll_services(&mut self) {
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

    /// A reaped child: true if it ran for the graph.
    pub(super) fn graph_on_exit(&mut self, pid: Pid, code: i32) -> bool {
        let Some(g) = &mut self.graph else {
            return false;
        };
        let Some(i) = g
            .run
            .iter()
            .position(|r| r.pid.as_ref().is_some_and(|(p, _)| *p == pid))
        else {
            return false;
        };
        let (_, what) = g.run[i].pid.take().unwrap_or((pid, String::new()));
        g.run[i].script_deadline = None;
        let state = g.engine.state[i];
        let wanted = g.engine.want_up[i];
        let kind = g.engine.graph.nodes[i].kind.clone();
        let name = g.name(i).to_owned();
        match (kind, state) {
            (Kind::Overlay(Overlay::ContInit), State::Starting) => {
                if !wanted {
                    self.graph_mut().engine.started(i, false, true);
                    return true;
                }
                if code != 0 {
                    self.script_failed(i, &what, code);
                }
                if self.graph_mut().engine.want_up[i] {
                    self.next_script(i);
                } else {
                    self.graph_mut().engine.started(i, false, true);
                }
            }
            (Kind::Overlay(Overlay::ContInit), _) => self.next_script(i),
            (_, State::Starting) => {
                self.graph_mut().run[i].code = Some(code);
                if code == 0 {
                    let g = self.graph_mut();
                    g.engine.started(i, true, true);
                    g.run[i].deadline = None;
                    self.log(2, "info", format_args!("{}{name} is up", self.phase()));
                } else if !wanted {
                    self.graph_mut().engine.started(i, false, false);
                } else {
                    let why = format!("its up command {what} exited {code}");
                    self.node_failed_with(i, &why, false, code);
                }
            }
            (_, _) => {
                if code != 0 {
                    self.log(
                        1,
                        "warning",
                        format_args!("service {name}: its down command {what} exited {code}"),
                    );
                }
                let g = self.graph_mut();
                g.engine.stopped(i);
                g.run[i].deadline = None;
            }
        }
        true
    }

    pub(super) fn graph_deadline(&self) -> Option<Instant> {
        let g = self.graph.as_ref()?;
        let each = g
            .run
            .iter()
            .flat_map(|r| [r.deadline, r.script_deadline])
            .flatten();
        each.chain(g.booting.then_some(g.boot_deadline).flatten())
            .min()
    }

    /// Timeouts: `timeout-up`/`timeout-down`, the cont-finish.d limit, the
    /// services.d grace time, `S6_CMD_WAIT_FOR_SERVICES_MAXTIME`.
    pub(super) fn graph_on_time(&mut self, now: Instant) {
        let Some(g) = &mut self.graph else { return };
        if g.booting && g.boot_deadline.is_some_and(|d| d <= now) {
            g.booting = false;
            let pending: Vec<usize> = g.engine.pending().collect();
            let late: Vec<String> = pending.into_iter().map(|i| self.waiting_for(i)).collect();
            let what = format!(
                "not up after S6_CMD_WAIT_FOR_SERVICES_MAXTIME ({} ms): {}",
                self.cfg.cmd_wait_for_services_maxtime_ms,
                late.join("; ")
            );
            self.stage2_failure(&what, 1);
        }
        loop {
            let Some(g) = &self.graph else { return };
            let due = |d: &Option<Instant>| d.is_some_and(|d| d <= now);
            if let Some(i) = g.run.iter().position(|r| due(&r.script_deadline)) {
                let r = &mut self.graph_mut().run[i];
                r.script_deadline = None;
                if let Some((pid, what)) = r.pid.clone() {
                    let _ = signals::send(pid.as_raw(), libc::SIGKILL);
                    self.log(
                        1,
                        "warning",
                        format_args!("{what} ran past S6_KILL_FINISH_MAXTIME; killing it"),
                    );
                }
                continue;
            }
            match g.run.iter().position(|r| due(&r.deadline)) {
                Some(i) => self.node_overdue(i),
                None => return,
            }
        }
    }

    /// Service `i` did not come up, or go down, in its time.
    fn node_overdue(&mut self, i: usize) {
        let g = self.graph_mut();
        g.run[i].deadline = None;
        let node = g.engine.graph.nodes[i].clone();
        let state = g.engine.state[i];
        let oneshot = matches!(node.kind, Kind::Oneshot { .. });
        // A oneshot's command, or the cont-init.d script still running.
        let stuck = (oneshot || state == State::Starting)
            .then(|| g.run[i].pid.take())
            .flatten();
        if let Some((pid, _)) = stuck {
            let _ = signals::send(pid.as_raw(), libc::SIGKILL);
        }
        let wanted = self.graph_mut().engine.want_up[i];
        match state {
            // Cancelled (a halt during the boot, or `svc -d`): its up
            // ignored TERM and was killed; no timeout is involved.
            State::Starting if !wanted => {
                self.log(
                    1,
                    "warning",
                    format_args!("service {}: cancelled; what was still starting ignored TERM and was killed", node.name),
                );
                let g = self.graph_mut();
                g.run[i].why = Some("cancelled while starting".to_owned());
                g.engine.started(i, false, !oneshot);
            }
            State::Starting => {
                let why = if oneshot {
                    "its up command was still running; killed".to_owned()
                } else {
                    self.waiting_for(i)
                };
                let why = format!(
                    "not up within timeout-up ({} ms): {why}",
                    node.timeout_up_ms
                );
                self.node_failed(i, &why, !oneshot);
            }
            State::Stopping => {
                match &node.kind {
                    Kind::Oneshot { .. } => self.log(1, "warning", format_args!("service {}: its down command did not finish within timeout-down ({} ms); killed", node.name, node.timeout_down_ms)),
                    Kind::Longrun { .. } => {
                        if let Some(k) = self.graph_mut().run[i].supervised {
                            self.services.abandon_at(k);
                        }
                        self.log(1, "warning", format_args!("service {} is still up after its time to stop; left to the final TERM", node.name));
                    }
                    _ => {
                        let legacy = self.graph_mut().legacy.clone();
                        let left: Vec<&String> = legacy.iter().filter(|n| !self.services.named_gone(n)).collect();
                        self.log(1, "warning", format_args!("services still up after S6_SERVICES_GRACETIME: {}", left.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")));
                        for n in left {
                            self.services.abandon_named(n);
                        }
                    }
                }
                self.graph_mut().engine.stopped(i);
            }
            _ => {}
        }
    }

    /// What service `i` is still waiting for, in words.
    fn waiting_for(&self, i: usize) -> String {
        let Some(g) = &self.graph else {
            return String::new();
        };
        let node = &g.engine.graph.nodes[i];
        let what = match (g.engine.state[i], &node.kind) {
            (State::Down, _) => {
                let deps: Vec<&str> = node
                    .deps
                    .iter()
                    .filter(|&&d| g.engine.state[d] != State::Up)
                    .map(|&d| g.name(d))
                    .collect();
                format!("waiting for {}", deps.join(", "))
            }
            (_, Kind::Oneshot { .. }) => "its up command is still running".to_owned(),
            (_, Kind::Overlay(Overlay::ContInit)) => "cont-init.d is still running".to_owned(),
            (_, Kind::Overlay(Overlay::Services)) => {
                let late: Vec<String> = g
                    .legacy
                    .iter()
                    .filter(|n| !self.services.named_up(n))
                    .cloned()
                    .collect();
                format!("services.d services not up: {}", late.join(", "))
            }
            (_, Kind::Longrun { .. }) => {
                let fd = super::service::ServiceDef::read_source(&node.dir)
                    .ok()
                    .and_then(|d| d.notification_fd);
                match fd {
                    Some(fd) => {
                        format!("no readiness notification yet on fd {fd} (notification-fd)")
                    }
                    None => "./run has not started".to_owned(),
                }
            }
            (_, Kind::Overlay(Overlay::FixAttrs)) => {
                "fix-attrs.d is still being applied".to_owned()
            }
        };
        format!("{} {what}", node.name)
    }
}
