//! foreground and the `?` variable.

use crate::cases;
use crate::support::script;

cases! {
    foreground_runs_then_continues: script("foreground { printf a } printf b");
    foreground_question_exit: script("foreground { sh -c \"exit 3\" } importas q ? printf [%s] $q");
    foreground_question_255: script("foreground { sh -c \"exit 255\" } importas q ? printf [%s] $q");
    foreground_question_signal: script("foreground { sh -c \"kill -9 $$\" } importas q ? printf [%s] $q");
    foreground_question_term: script("foreground { sh -c \"kill $$\" } importas q ? printf [%s] $q");
    foreground_not_found: script("foreground { /nonexistent/prog } importas q ? printf [%s] $q");
    foreground_not_found_path: script("foreground { no-such-command-xyz } importas q ? printf [%s] $q");
    foreground_not_executable: script("foreground { /etc/passwd } importas q ? printf [%s] $q");
    foreground_nested: script("foreground { foreground { printf a } printf b } printf c");
    foreground_builtin_in_block: script("foreground { export X 1 importas x X printf [%s] $x } importas -D unset x X printf [%s] $x");
    foreground_exit_code_last: script("foreground { printf a } exit 7");
    foreground_unterminated: script("foreground printf a");
    foreground_empty_block: script("foreground { } importas q ? printf [%s] $q");
    foreground_env_order: script("foreground { true } /usr/bin/env").env("A", "1").env("B", "2");
    foreground_chain_of_builtins_in_child: script("foreground { define X x foreground { printf [%s] $X } exit 4 } importas q ? printf [%s] $q");
    foreground_stdin_shared: script("foreground { head -n1 } foreground { head -n1 } printf done").stdin("one\ntwo\n");
    foreground_unprefixed_block: script("foreground printf a \"\" printf b").inline();
    foreground_strict1_unprefixed: script("foreground printf a \"\" printf b").env("EXECLINE_STRICT", "1");
    foreground_strict2_unprefixed: script("foreground printf a \"\" printf b").env("EXECLINE_STRICT", "2");
}
