//! The service graph's transitions, as s6-rc makes them but all at once:
//! every service whose dependencies are up starts immediately, and on the
//! way down every service whose dependents are down stops immediately.
//! Pure bookkeeping: the init carries out the `Op`s and reports back.

use super::graph::Graph;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Down,
    Starting,
    Up,
    /// Did not come up (or was cancelled); `live` says whether something
    /// of it is still running and must be brought down.
    Failed {
        live: bool,
    },
    Stopping,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Start(usize),
    Stop(usize),
    /// Wanted up but a dependency failed: it will not start.
    Skip {
        node: usize,
        because: usize,
    },
    /// Starting, but now wanted down: cancel what runs.
    Cancel(usize),
}

pub struct Engine {
    pub graph: Graph,
    pub state: Vec<State>,
    pub want_up: Vec<bool>,
    /// Starting services already told to cancel.
    cancelled: Vec<bool>,
    /// For each service, the services that need it.
    needed_by: Vec<Vec<usize>>,
}

impl Engine {
    pub fn new(graph: Graph) -> Self {
        let n = graph.nodes.len();
        let mut needed_by = vec![Vec::new(); n];
        for (j, node) in graph.nodes.iter().enumerate() {
            for &d in &node.deps {
                needed_by[d].push(j);
            }
        }
        Engine {
            needed_by,
            graph,
            state: vec![State::Down; n],
            want_up: vec![false; n],
            cancelled: vec![false; n],
        }
    }

    /// Wants `nodes` and what they need up; failed ones get another try.
    pub fn want_up(&mut self, nodes: &[usize]) {
        let closure = self.graph.closure(nodes);
        for (i, c) in closure.into_iter().enumerate() {
            if c {
                self.want_up[i] = true;
                if self.state[i] == (State::Failed { live: false }) {
                    self.state[i] = State::Down;
                }
            }
        }
    }

    /// Wants `nodes` and what needs them down.
    pub fn want_down(&mut self, nodes: &[usize]) {
        let closure = self.graph.dependents_closure(nodes);
        for (i, c) in closure.into_iter().enumerate() {
            if c {
                self.want_up[i] = false;
            }
        }
    }

    pub fn want_all_down(&mut self) {
        self.want_up.iter_mut().for_each(|w| *w = false);
    }

    fn is_up(&self, i: usize) -> bool {
        self.state[i] == State::Up
    }

    /// Something of `i` runs, or may still run.
    fn holds(&self, i: usize) -> bool {
        matches!(
            self.state[i],
            State::Up | State::Starting | State::Stopping | State::Failed { live: true }
        )
    }

    /// What can happen now; the states move accordingly.
    pub fn next_ops(&mut self) -> Vec<Op> {
        let mut ops = Vec::new();
        loop {
            let before = ops.len();
            for i in 0..self.state.len() {
                let node = &self.graph.nodes[i];
                match (self.want_up[i], self.state[i]) {
                    (true, State::Down) => {
                        let failed = node.deps.iter().copied().find(|&d| {
                            matches!(self.state[d], State::Failed { .. })
                                || self.graph.nodes[d].broken
                        });
                        if node.broken {
                            self.state[i] = State::Failed { live: false };
                            ops.push(Op::Skip {
                                node: i,
                                because: i,
                            });
                        } else if let Some(d) = failed {
                            self.state[i] = State::Failed { live: false };
                            ops.push(Op::Skip {
                                node: i,
                                because: d,
                            });
                        } else if node.deps.iter().all(|&d| self.is_up(d)) {
                            self.state[i] = State::Starting;
                            ops.push(Op::Start(i));
                        }
                    }
                    (false, State::Up | State::Failed { live: true }) => {
                        let needed = self.needed_by[i].iter().any(|&j| self.holds(j));
                        if !needed {
                            self.state[i] = State::Stopping;
                            ops.push(Op::Stop(i));
                        }
                    }
                    (false, State::Starting) if !self.cancelled[i] => {
                        self.cancelled[i] = true;
                        ops.push(Op::Cancel(i));
                    }
                    _ => {}
                }
            }
            // A skip or a cancel can unblock others in the same pass.
            if ops.len() == before || !ops[before..].iter().any(|o| matches!(o, Op::Skip { .. })) {
                break;
            }
        }
        ops
    }

    /// A start finished: up, or failed (`live`: something still runs).
    pub fn started(&mut self, i: usize, ok: bool, live: bool) {
        if matches!(self.state[i], State::Starting) {
            self.cancelled[i] = false;
            self.state[i] = if ok {
                State::Up
            } else {
                State::Failed { live }
            };
        }
    }

    pub fn stopped(&mut self, i: usize) {
        self.state[i] = State::Down;
    }

    /// Nothing is starting or stopping, and nothing more can start.
    pub fn settled(&mut self) -> bool {
        !self
            .state
            .iter()
            .any(|s| matches!(s, State::Starting | State::Stopping))
    }

    /// Every service is down (or failed with nothing left running).
    pub fn all_down(&self) -> bool {
        (0..self.state.len()).all(|i| !self.holds(i))
    }

    /// Wanted up and not up: the services a wait is still blocked on.
    pub fn pending(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.state.len())
            .filter(|&i| self.want_up[i] && matches!(self.state[i], State::Down | State::Starting))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::graph::{Graph, Sources};
    use super::*;

    /// A source tree of oneshots named by `deps`: (name, its dependencies).
    fn graph(deps: &[(&str, &[&str])]) -> (Graph, std::path::PathBuf) {
        let root = std::env::temp_dir().join(format!(
            "chainit-rc-{}-{}",
            std::process::id(),
            deps.iter().map(|(n, _)| *n).collect::<String>()
        ));
        let _ = std::fs::remove_dir_all(&root);
        for (name, ds) in deps {
            let d = root.join("s6-rc.d").join(name);
            std::fs::create_dir_all(d.join("dependencies.d")).unwrap();
            std::fs::write(d.join("type"), "oneshot\n").unwrap();
            std::fs::write(d.join("up"), "true\n").unwrap();
            for dep in *ds {
                std::fs::write(d.join("dependencies.d").join(dep), "").unwrap();
            }
            let u = root.join("bundles/user/contents.d");
            std::fs::create_dir_all(&u).unwrap();
            std::fs::write(u.join(name), "").unwrap();
        }
        let (g, problems) = Graph::read(&Sources {
            s6rc: root.join("s6-rc.d"),
            bundles: root.join("bundles"),
            overlay: Vec::new(),
        });
        assert!(problems.is_empty(), "{problems:?}");
        (g, root)
    }

    fn names(e: &Engine, ops: &[Op]) -> Vec<String> {
        let mut v: Vec<String> = ops
            .iter()
            .map(|o| match o {
                Op::Start(i) => format!("+{}", e.graph.nodes[*i].name),
                Op::Stop(i) => format!("-{}", e.graph.nodes[*i].name),
                Op::Skip { node, .. } => format!("!{}", e.graph.nodes[*node].name),
                Op::Cancel(i) => format!("x{}", e.graph.nodes[*i].name),
            })
            .collect();
        v.sort();
        v
    }

    fn id(e: &Engine, n: &str) -> usize {
        e.graph.members(n).unwrap()[0]
    }

    fn up_all(e: &mut Engine, names: &[&str]) {
        for n in names {
            let i = id(e, n);
            e.started(i, true, true);
        }
    }

    #[test]
    fn a_diamond_comes_up_in_three_waves_and_down_in_reverse() {
        let (g, root) = graph(&[("a", &[]), ("b", &["a"]), ("c", &["a"]), ("d", &["b", "c"])]);
        let mut e = Engine::new(g);
        let user = e.graph.members("user").unwrap();
        e.want_up(&user);
        assert_eq!(step(&mut e), ["+a"]);
        up_all(&mut e, &["a"]);
        assert_eq!(step(&mut e), ["+b", "+c"]);
        up_all(&mut e, &["b"]);
        assert_eq!(step(&mut e), Vec::<String>::new());
        up_all(&mut e, &["c"]);
        assert_eq!(step(&mut e), ["+d"]);
        up_all(&mut e, &["d"]);
        e.want_all_down();
        assert_eq!(step(&mut e), ["-d"]);
        e.stopped(id(&e, "d"));
        assert_eq!(step(&mut e), ["-b", "-c"]);
        e.stopped(id(&e, "b"));
        e.stopped(id(&e, "c"));
        assert_eq!(step(&mut e), ["-a"]);
        e.stopped(id(&e, "a"));
        assert!(e.all_down());
        let _ = std::fs::remove_dir_all(root);
    }

    #[test]
    fn a_failure_skips_its_dependents_only() {
        let (g, root) = graph(&[("a", &[]), ("b", &["a"]), ("c", &[])]);
        let mut e = Engine::new(g);
        let user = e.graph.members("user").unwrap();
        e.want_up(&user);
        assert_eq!(step(&mut e), ["+a", "+c"]);
        e.started(id(&e, "a"), false, false);
        assert_eq!(step(&mut e), ["!b"]);
        e.started(id(&e, "c"), true, true);
        assert!(e.settled());
        // Trying again re-arms the failed ones.
        e.want_up(&[id(&e, "b")]);
        assert_eq!(step(&mut e), ["+a"]);
        let _ = std::fs::remove_dir_all(root);
    }

    #[test]
    fn a_halt_while_starting_cancels_and_stops_what_is_up() {
        let (g, root) = graph(&[("a", &[]), ("b", &["a"])]);
        let mut e = Engine::new(g);
        let user = e.graph.members("user").unwrap();
        e.want_up(&user);
        step(&mut e);
        up_all(&mut e, &["a"]);
        assert_eq!(step(&mut e), ["+b"]);
        e.want_all_down();
        assert_eq!(step(&mut e), ["xb"]);
        e.started(id(&e, "b"), false, false);
        assert_eq!(step(&mut e), ["-a"]);
        e.stopped(id(&e, "a"));
        assert!(e.all_down());
        let _ = std::fs::remove_dir_all(root);
    }

    fn step(e: &mut Engine) -> Vec<String> {
        let ops = e.next_ops();
        names(e, &ops)
    }
}
