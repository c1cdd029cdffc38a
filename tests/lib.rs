//! Integration tests: the real chainit binary on real scripts, checked
//! against execline 2.9.3 where one exists.

mod support;

mod diagnostics;
mod fuzz;
mod interop;
mod lexer;
mod positionals;
mod substitution;
mod test_background;
mod test_control;
mod test_env;
mod test_exec;
mod test_fd;
mod test_foreground;
mod test_misc;
