//! cd, umask, getpid, getcwd.

use crate::cases;
use crate::support::script;

cases! {
    cd_then_pwd: script("cd /tmp pwd");
    cd_alias: script("execline-cd / pwd");
    cd_missing: script("cd /nonexistent pwd");
    cd_usage: script("cd");
    cd_relative: script("foreground { mkdir sub } cd sub foreground { redirfd -w 1 f printf x } pwd");
    umask_sets: script("umask 027 sh -c umask");
    umask_alias: script("execline-umask 0 sh -c umask");
    umask_bad: script("umask 9z sh -c umask");
    umask_usage: script("umask");
    umask_file_mode: script("umask 022 redirfd -w 1 f printf x");
    getpid_self: script("getpid P importas p P sh -c \"test $p = $$ && echo same\"");
    getpid_parent: script("getpid -P P importas p P sh -c \"test $p = $PPID && echo ok\"").flags("-P");
    getpid_import: script("getpid -E P sh -c \"test $P = $$ && printf [%s] \\\"${P-unset}\\\"\"");
    getpid_usage: script("getpid");
    getcwd_var: script("cd / getcwd D importas d D printf [%s] $d");
    getcwd_import: script("cd /tmp getcwd -E D printf [%s] $D");
    getcwd_env: script("cd /usr getcwd D sh -c \"printf [%s] $D\"");
    getcwd_usage: script("getcwd");
}
