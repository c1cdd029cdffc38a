//! Starting a service of the graph: a oneshot's `up`, a longrun's live
//! copy and supervision (also for the longruns the boot does not start),
//! s6-overlay's own pieces; and cancelling a start that is no longer wanted.

use std::path::PathBuf;
use std::time::Duration;
use std::time::Instant;

use nix::unistd::Pid;

use super::ms;
use crate::init::graph::Kind;
use crate::init::graph::Overlay;
use crate::init::signals;
use crate::init::tree;

impl crate::init::Init {
    pub(in crate::init) fn start_node(&mut self, i: usize) {
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
                let (names, failed) = self.start_services();
                let g = self.graph_mut();
                g.legacy = names;
                if !failed.is_empty() {
                    // Said per service above; `chainit status` must not call
                    // the container healthy without them.
                    let why = format!("services.d services not supervised: {}", failed.join(", "));
                    return self.node_failed(i, &why, true);
                }
                if !self.cfg.cmd_wait_for_services {
                    self.graph_mut().engine.started(i, true, true);
                }
            }
        }
    }

    /// A oneshot's `up` or `down`, with `RC_NAME` set to its name, as
    /// s6-rc-oneshot-run does.
    pub(in crate::init) fn spawn_oneshot(
        &self,
        argv: Vec<Vec<u8>>,
        name: &str,
    ) -> Result<Pid, i32> {
        let mut env = self.env.clone();
        env.set("RC_NAME", name);
        self.spawn_with_env(argv, false, &env)
    }

    pub(in crate::init) fn start_longrun(
        &mut self,
        i: usize,
        node: &crate::init::graph::Node,
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
        if !self.run_ok {
            // The run dir's problem was said at boot; this is its consequence.
            return self.node_failed(i, "not supervised, as there is no run dir", false);
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
    pub(in crate::init) fn set_up_longrun(
        &self,
        node: &crate::init::graph::Node,
        down: bool,
    ) -> Result<PathBuf, String> {
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
    pub(in crate::init) fn supervise_the_rest(&mut self) {
        let Some(g) = &self.graph else { return };
        if !self.run_ok {
            return;
        }
        let rest: Vec<usize> = (0..g.engine.want_up.len())
            .filter(|&i| {
                let n = &g.engine.graph.nodes[i];
                let plain = matches!(
                    n.kind,
                    Kind::Longrun {
                        producer_for: None,
                        consumer: false
                    }
                );
                plain && !g.engine.want_up[i] && !n.broken
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

    /// A starting service is no longer wanted: its up stops (TERM), and it
    /// counts as failed once that is over.
    pub(in crate::init) fn cancel_node(&mut self, i: usize) {
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
}
