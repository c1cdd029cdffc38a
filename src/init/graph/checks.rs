//! Whole-graph checks: dependency cycles (reported with the files that make
//! them) and breakage spreading to whatever needs a broken service.

use super::{Graph, Problem};

impl Graph {
    /// Every dependency cycle, reported once with the files that make it.
    pub(super) fn find_cycles(&mut self, problems: &mut Vec<Problem>) {
        // 0 unvisited, 1 on the path, 2 done.
        let mut mark = vec![0u8; self.nodes.len()];
        let mut in_cycle = vec![false; self.nodes.len()];
        for start in 0..self.nodes.len() {
            if mark[start] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            mark[start] = 1;
            while let Some(&mut (n, ref mut next)) = stack.last_mut() {
                if let Some(&d) = self.nodes[n].deps.get(*next) {
                    *next += 1;
                    match mark[d] {
                        0 => {
                            mark[d] = 1;
                            stack.push((d, 0));
                        }
                        1 => {
                            let from = stack.iter().position(|&(m, _)| m == d).unwrap_or(0);
                            let cycle: Vec<usize> = stack[from..].iter().map(|&(m, _)| m).collect();
                            if cycle.iter().any(|&m| !in_cycle[m]) {
                                problems.push(self.cycle_problem(&cycle));
                            }
                            for m in cycle {
                                in_cycle[m] = true;
                            }
                        }
                        _ => {}
                    }
                } else {
                    mark[n] = 2;
                    stack.pop();
                }
            }
        }
        for (n, c) in self.nodes.iter_mut().zip(in_cycle) {
            n.broken |= c;
        }
    }

    fn cycle_problem(&self, cycle: &[usize]) -> Problem {
        let mut names: Vec<&str> = cycle.iter().map(|&m| self.nodes[m].name.as_str()).collect();
        names.push(names[0]);
        let files: Vec<String> = cycle
            .iter()
            .enumerate()
            .map(|(k, &m)| {
                let next = &self.nodes[cycle[(k + 1) % cycle.len()]].name;
                self.nodes[m]
                    .dir
                    .join("dependencies.d")
                    .join(next)
                    .display()
                    .to_string()
            })
            .collect();
        Problem::new(
            self.nodes[cycle[0]].dir.join("dependencies.d"),
            format!("dependency cycle: {}", names.join(" -> ")),
        )
        .hint(format!(
            "none of these can ever start; remove one of: {}",
            files.join(", ")
        ))
    }

    /// A service that needs a broken one cannot start either.
    pub(super) fn spread_breakage(&mut self) {
        loop {
            let mut changed = false;
            for i in 0..self.nodes.len() {
                if !self.nodes[i].broken && self.nodes[i].deps.iter().any(|&d| self.nodes[d].broken)
                {
                    self.nodes[i].broken = true;
                    changed = true;
                }
            }
            if !changed {
                return;
            }
        }
    }
}
