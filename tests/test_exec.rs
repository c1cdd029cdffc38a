//! exec and how the chain runs programs (PATH search, 126/127).

use crate::cases;
use crate::support::script;

cases! {
    exec_plain: script("exec printf [%s] a");
    exec_argv0: script("exec -a NAME sh -c \"printf [%s] $0\"");
    exec_login: script("exec -l sh -c \"printf [%s] $0\"");
    exec_argv0_login: script("exec -l -a NAME sh -c \"printf [%s] $0\"");
    exec_clear_env: script("exec -c /usr/bin/env").flags("-P").env("A", "1");
    exec_empty: script("exec");
    exec_bad_option: script("exec -z true");
    exec_builtin: script("exec foreground { printf a } printf b");
    not_found_127: script("no-such-command-xyz");
    not_found_path_127: script("/nonexistent/x");
    not_executable_126: script("/etc/passwd");
    directory_126: script("/etc");
    empty_path_search: script("export PATH \"\" sh -c true").flags("-P");
    path_changes_midchain: script("export PATH /nonexistent printf x").flags("-P");
    relative_path: script("foreground { redirfd -w 1 run.sh printf \"#!/bin/sh\\necho ran\\n\" } foreground { chmod +x run.sh } ./run.sh");
    script_with_exec_end: script("foreground { printf a } exec printf b");
}

/// Rust ignores SIGPIPE at start-up unless told not to; a chained program
/// must see the disposition chainit was started with.
#[test]
fn sigpipe_disposition_passes_through() {
    script("sh -c \"grep SigIgn /proc/self/status\"")
        .flags("-P")
        .check();
}
