//! The environment of a chain, kept in the order a real exec would pass it.
//!
//! skarnet's programs remove a variable by moving the last one into its slot
//! and add variables at the end; `IndexMap::swap_remove` + `insert` is exactly
//! that, so `env` run at the end of a chain prints what execline's would.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;

use indexmap::IndexMap;

#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: IndexMap<Vec<u8>, Vec<u8>>,
}

impl Env {
    /// The environment this process was started with.
    pub fn from_process() -> Self {
        let mut vars = IndexMap::new();
        for (k, v) in std::env::vars_os() {
            vars.entry(k.as_bytes().to_vec())
                .or_insert_with(|| v.as_bytes().to_vec());
        }
        Self { vars }
    }

    pub fn get(&self, key: &[u8]) -> Option<&[u8]> {
        self.vars.get(key).map(Vec::as_slice)
    }

    /// Sets a variable: an existing one is removed first, the new one goes last.
    pub fn set(&mut self, key: impl Into<Vec<u8>>, value: impl Into<Vec<u8>>) {
        let key = key.into();
        self.vars.swap_remove(&key);
        self.vars.insert(key, value.into());
    }

    pub fn unset(&mut self, key: &[u8]) {
        self.vars.swap_remove(key);
    }

    pub fn clear(&mut self) {
        self.vars.clear();
    }

    /// Removes every variable for which `drop` is true, like repeated `unset`.
    pub fn unset_where(&mut self, drop: impl Fn(&[u8]) -> bool) {
        let doomed: Vec<Vec<u8>> = self.vars.keys().filter(|k| drop(k)).cloned().collect();
        for k in doomed {
            self.vars.swap_remove(&k);
        }
    }

    /// Renames variables in place (`None` deletes); order is kept otherwise.
    pub fn rename_in_place(&mut self, rename: impl Fn(&[u8]) -> Option<Option<Vec<u8>>>) {
        let old = std::mem::take(&mut self.vars);
        for (k, v) in old {
            match rename(&k) {
                None => {
                    self.vars.insert(k, v);
                }
                Some(Some(new)) => {
                    self.vars.insert(new, v);
                }
                Some(None) => {}
            }
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &[u8])> {
        self.vars.iter().map(|(k, v)| (k.as_slice(), v.as_slice()))
    }

    /// `KEY=value` strings for execve.
    pub fn envp(&self) -> Vec<CString> {
        self.vars
            .iter()
            .filter_map(|(k, v)| {
                let mut s = Vec::with_capacity(k.len() + v.len() + 1);
                s.extend_from_slice(k);
                s.push(b'=');
                s.extend_from_slice(v);
                CString::new(s).ok()
            })
            .collect()
    }

    /// `EXECLINE_STRICT` as a level: 0 (off), 1 (warn) or 2 (fatal).
    pub fn strict(&self) -> u8 {
        match self.get(b"EXECLINE_STRICT") {
            Some(b"1") => 1,
            Some(v) if v.first().is_some_and(|b| (b'2'..=b'9').contains(b)) => 2,
            _ => 0,
        }
    }

    /// True when a chainit switch such as `CHAINIT_TRACE` is on.
    pub fn flag(&self, key: &[u8]) -> bool {
        matches!(self.get(key), Some(v) if !v.is_empty() && v != b"0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_and_unset_follow_skarnet_order() {
        let mut env = Env::default();
        for k in ["A", "B", "C"] {
            env.set(k, "1");
        }
        env.set("A", "3");
        let keys: Vec<_> = env.iter().map(|(k, _)| k.to_vec()).collect();
        assert_eq!(keys, [b"C".to_vec(), b"B".to_vec(), b"A".to_vec()]);
        env.unset(b"C");
        let keys: Vec<_> = env.iter().map(|(k, _)| k.to_vec()).collect();
        assert_eq!(keys, [b"A".to_vec(), b"B".to_vec()]);
    }
}
