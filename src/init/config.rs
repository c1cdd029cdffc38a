//! The `S6_*` variables the init reads, parsed once at boot. A malformed
//! value is reported by name and replaced by its default: PID 1 goes on.

use crate::chain::Env;

/// Every setting, with s6-overlay v3's defaults.
/// Where s6-overlay reads the user bundles unless told otherwise.
pub const DEFAULT_BUNDLEDIR: &[u8] = b"/etc/s6-overlay/user-bundles.d";

#[derive(Debug, Clone)]
pub struct Config {
    pub keep_env: bool,
    pub logging: u8,
    pub stage2_fails: u8,
    pub kill_finish_maxtime_ms: u64,
    pub services_readytime_ms: u64,
    pub services_gracetime_ms: u64,
    pub kill_gracetime_ms: u64,
    pub cmd_wait_for_services: bool,
    pub cmd_wait_for_services_maxtime_ms: u64,
    pub read_only_root: bool,
    pub sync_disks: bool,
    pub verbosity: u8,
    pub cmd_receive_signals: bool,
    pub cmd_use_terminal: bool,
    pub fix_attrs_hidden: bool,
    pub cmd_arg0: Option<Vec<u8>>,
    pub stage2_hook: Option<Vec<u8>>,
    pub logging_script: Vec<u8>,
    pub catchall_user: Vec<u8>,
    pub runtime_profile: Option<Vec<u8>>,
    pub runtime_bundledir: Vec<u8>,
    pub wait_for_closing_fd: Option<u32>,
    pub kubernetes_run: bool,
    /// `CHAINIT_LOG_PREFIX`: 0 off, 1 services, 2 services and the CMD.
    pub log_prefix: u8,
    /// `S6_KILL_GRACETIME` was given: in tini mode a forwarded stop signal
    /// is followed by KILL after that long.
    pub kill_gracetime_given: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            keep_env: false,
            logging: 0,
            stage2_fails: 0,
            kill_finish_maxtime_ms: 5000,
            services_readytime_ms: 50,
            services_gracetime_ms: 3000,
            kill_gracetime_ms: 3000,
            cmd_wait_for_services: false,
            cmd_wait_for_services_maxtime_ms: 0,
            read_only_root: false,
            sync_disks: false,
            verbosity: 2,
            cmd_receive_signals: false,
            cmd_use_terminal: false,
            fix_attrs_hidden: false,
            cmd_arg0: None,
            stage2_hook: None,
            logging_script: b"n20 s1000000 T".to_vec(),
            catchall_user: b"root".to_vec(),
            runtime_profile: None,
            runtime_bundledir: DEFAULT_BUNDLEDIR.to_vec(),
            wait_for_closing_fd: None,
            kubernetes_run: false,
            log_prefix: 0,
            kill_gracetime_given: false,
        }
    }
}

/// Reads numbers and flags out of the environment, collecting complaints.
struct Reader<'a> {
    env: &'a Env,
    problems: Vec<String>,
}

impl Reader<'_> {
    fn text(&self, name: &str) -> Option<&[u8]> {
        self.env.get(name.as_bytes()).filter(|v| !v.is_empty())
    }

    fn number(&mut self, name: &str, default: u64, max: u64) -> u64 {
        let Some(raw) = self.text(name) else {
            return default;
        };
        match crate::chain::getopt::number(raw).filter(|&n| n <= max) {
            Some(n) => n,
            None => {
                self.problems.push(format!(
                    "{name}={}: expected a whole number from 0 to {max}; using {default}",
                    crate::error::show(raw)
                ));
                default
            }
        }
    }

    fn flag(&mut self, name: &str) -> bool {
        self.number(name, 0, 1) == 1
    }

    fn string(&self, name: &str) -> Option<Vec<u8>> {
        self.text(name).map(<[u8]>::to_vec)
    }
}

/// Parses every `S6_*` variable of `env`; the strings are the complaints.
pub fn read(env: &Env) -> (Config, Vec<String>) {
    let d = Config::default();
    let mut r = Reader {
        env,
        problems: Vec::new(),
    };
    let ms = u64::from(u32::MAX);
    let cfg = Config {
        keep_env: r.flag("S6_KEEP_ENV"),
        logging: r.number("S6_LOGGING", 0, 2) as u8,
        stage2_fails: r.number("S6_BEHAVIOUR_IF_STAGE2_FAILS", 0, 2) as u8,
        kill_finish_maxtime_ms: r.number("S6_KILL_FINISH_MAXTIME", d.kill_finish_maxtime_ms, ms),
        services_readytime_ms: r.number("S6_SERVICES_READYTIME", d.services_readytime_ms, ms),
        services_gracetime_ms: r.number("S6_SERVICES_GRACETIME", d.services_gracetime_ms, ms),
        kill_gracetime_ms: r.number("S6_KILL_GRACETIME", d.kill_gracetime_ms, ms),
        cmd_wait_for_services: r.flag("S6_CMD_WAIT_FOR_SERVICES"),
        cmd_wait_for_services_maxtime_ms: r.number("S6_CMD_WAIT_FOR_SERVICES_MAXTIME", 0, ms),
        read_only_root: r.flag("S6_READ_ONLY_ROOT"),
        sync_disks: r.flag("S6_SYNC_DISKS"),
        verbosity: r.number("S6_VERBOSITY", 2, 5) as u8,
        cmd_receive_signals: r.flag("S6_CMD_RECEIVE_SIGNALS"),
        cmd_use_terminal: r.flag("S6_CMD_USE_TERMINAL"),
        fix_attrs_hidden: r.flag("S6_FIX_ATTRS_HIDDEN"),
        cmd_arg0: r.string("S6_CMD_ARG0"),
        stage2_hook: r.string("S6_STAGE2_HOOK"),
        logging_script: r.string("S6_LOGGING_SCRIPT").unwrap_or(d.logging_script),
        catchall_user: r.string("S6_CATCHALL_USER").unwrap_or(d.catchall_user),
        runtime_profile: r.string("S6_RUNTIME_PROFILE"),
        runtime_bundledir: r
            .string("S6_RUNTIME_BUNDLEDIR")
            .unwrap_or(d.runtime_bundledir),
        wait_for_closing_fd: match r.number("S6_WAIT_FOR_CLOSING_FD", 0, 65535) {
            0 => None,
            fd => Some(fd as u32),
        },
        kubernetes_run: r.flag("S6_YES_I_WANT_A_WORLD_WRITABLE_RUN_BECAUSE_KUBERNETES"),
        log_prefix: match r.text("CHAINIT_LOG_PREFIX") {
            None | Some(b"0") => 0,
            Some(b"1") => 1,
            Some(b"all") => 2,
            Some(other) => {
                r.problems.push(format!(
                    "CHAINIT_LOG_PREFIX={}: expected 0, 1 or all; not prefixing",
                    crate::error::show(other)
                ));
                0
            }
        },
        kill_gracetime_given: r.text("S6_KILL_GRACETIME").is_some(),
    };
    (cfg, r.problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_bad_values() {
        let mut env = Env::default();
        env.set(b"S6_KILL_GRACETIME".to_vec(), b"250".to_vec());
        env.set(b"S6_BEHAVIOUR_IF_STAGE2_FAILS".to_vec(), b"7".to_vec());
        env.set(b"S6_KEEP_ENV".to_vec(), b"yes".to_vec());
        let (cfg, problems) = read(&env);
        assert_eq!(cfg.kill_gracetime_ms, 250);
        assert_eq!(cfg.stage2_fails, 0);
        assert!(!cfg.keep_env);
        assert_eq!(cfg.kill_finish_maxtime_ms, 5000);
        assert_eq!(problems.len(), 2);
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("S6_BEHAVIOUR_IF_STAGE2_FAILS=7"))
        );
        assert!(problems.iter().any(|p| p.starts_with("S6_KEEP_ENV=yes")));
    }
}
