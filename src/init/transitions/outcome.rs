//! What a start or stop came to: a reaped `up`/`down`/script, a service
//! not started, a failure named with its file and code and handled per
//! S6_BEHAVIOUR_IF_STAGE2_FAILS during the boot.

use nix::unistd::Pid;

use crate::init::graph::Kind;
use crate::init::graph::Overlay;
use crate::init::rc::State;

impl crate::init::Init {
    pub(in crate::init) fn skipped(&mut self, node: usize, because: usize) {
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
    pub(in crate::init) fn startup_failed(&mut self, what: &str, code: i32) {
        if self.graph.as_ref().is_some_and(|g| g.booting) && self.reason.is_none() {
            self.stage2_failure(what, code);
        } else {
            self.log(1, "warning", what);
        }
    }

    pub(in crate::init) fn node_failed(&mut self, i: usize, why: &str, live: bool) {
        self.node_failed_with(i, why, live, 1);
    }

    /// `node_failed`, with the exit code a stopped container reports.
    pub(in crate::init) fn node_failed_with(&mut self, i: usize, why: &str, live: bool, code: i32) {
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

    /// A reaped child: true if it ran for the graph.
    pub(in crate::init) fn graph_on_exit(&mut self, pid: Pid, code: i32) -> bool {
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
}
