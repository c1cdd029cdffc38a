//! Integration tests: the real chainit binary on real scripts, checked
//! against execline 2.9.3 where one exists.

mod support;

mod architecture;

mod command_set;
mod diagnostics;
mod fuzz;
mod golden;
mod interop;
mod lexer;
mod positionals;
mod substitution;
mod test_background;
mod test_backtick;
mod test_blocks;
mod test_case;
mod test_contenv;
mod test_control;
mod test_eltest;
mod test_env;
mod test_envfile;
mod test_exec;
mod test_faults;
mod test_fd;
mod test_foreground;
mod test_fstab;
mod test_graph;
mod test_images;
mod test_init;
mod test_inprocess;
mod test_log_prefix;
mod test_loops;
mod test_misc;
mod test_overlay_helpers;
mod test_policy;
mod test_posix;
mod test_s6_accounts;
mod test_s6_envdir;
mod test_s6_log;
mod test_s6_process;
mod test_security;
mod test_status;
mod test_supervise;
mod test_syslog;
mod test_usertree;
mod test_wait_trap;
