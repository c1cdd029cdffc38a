//! Stopping a service of the graph: a oneshot's `down`, a longrun's
//! down-signal (or end of supervision in stage 3), services.d as a whole.

use std::time::Duration;
use std::time::Instant;

use super::ms;
use crate::init::graph::Kind;
use crate::init::graph::Overlay;
use crate::init::tree;

impl crate::init::Init {
    pub(in crate::init) fn stop_node(&mut self, i: usize) {
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
}
