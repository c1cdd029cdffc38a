//! Signalling "everything else": as PID 1 that is `kill(-1)`; as a
//! subreaper, every process descended from us, found through /proc.

use std::collections::HashMap;

use super::signals;

/// The parent pid of every process, from /proc/<pid>/stat.
fn parents() -> HashMap<i32, i32> {
    let pids = crate::procfs::pids().unwrap_or_default();
    pids.into_iter()
        .filter_map(crate::procfs::Stat::read)
        .filter_map(|s| Some((i32::try_from(s.pid).ok()?, i32::try_from(s.ppid).ok()?)))
        .collect()
}

/// Every live process below `root`.
pub fn descendants(root: i32) -> Vec<i32> {
    let parents = parents();
    let mut children: HashMap<i32, Vec<i32>> = HashMap::new();
    for (&pid, &ppid) in &parents {
        children.entry(ppid).or_default().push(pid);
    }
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(p) = stack.pop() {
        for &c in children.get(&p).map(Vec::as_slice).unwrap_or_default() {
            out.push(c);
            stack.push(c);
        }
    }
    out
}

/// Sends `sig` to every process but the init; returns how many were targeted
/// (as PID 1, `kill(-1)` does not say, so 1 stands for "some").
pub fn signal_all(sig: i32, pid1: bool) -> usize {
    if pid1 {
        return usize::from(signals::send(-1, sig).is_ok());
    }
    let me = std::process::id() as i32;
    let all = descendants(me);
    for &p in &all {
        let _ = signals::send(p, sig);
    }
    all.len()
}
