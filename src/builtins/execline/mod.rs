//! Commands of the execline package: the language's chain-loading
//! commands and execlineb.

pub(crate) mod background;
pub(crate) mod backtick;
pub(crate) mod case;
pub(crate) mod cd;
pub(crate) mod define;
pub(crate) mod dollarat;
pub(crate) mod elgetopt;
pub(crate) mod elgetpositionals;
pub(crate) mod elglob;
pub(crate) mod eltest;
pub(crate) mod emptyenv;
pub(crate) mod envfile;
pub(crate) mod exec;
// The file is named after the command, as every builtin's is.
#[allow(clippy::module_inception)]
pub(crate) mod execline;
pub(crate) mod execlineb;
pub(crate) mod exit;
pub(crate) mod export;
pub(crate) mod export_array;
pub(crate) mod fdblock;
pub(crate) mod fdclose;
pub(crate) mod fdmove;
pub(crate) mod fdreserve;
pub(crate) mod fdswap;
pub(crate) mod forbacktickx;
pub(crate) mod foreground;
pub(crate) mod forstdin;
pub(crate) mod forx;
pub(crate) mod getcwd;
pub(crate) mod getpid;
pub(crate) mod heredoc;
pub(crate) mod homeof;
pub(crate) mod if_;
pub(crate) mod ifelse;
pub(crate) mod ifte;
pub(crate) mod ifthenelse;
pub(crate) mod importas;
pub(crate) mod loopwhilex;
pub(crate) mod multidefine;
pub(crate) mod multisubstitute;
pub(crate) mod pipeline;
pub(crate) mod piperw;
pub(crate) mod posix_cd;
pub(crate) mod posix_umask;
pub(crate) mod redirfd;
pub(crate) mod runblock;
pub(crate) mod shift;
pub(crate) mod trap;
pub(crate) mod tryexec;
pub(crate) mod umask;
pub(crate) mod unexport;
pub(crate) mod wait;
pub(crate) mod withstdinas;

use super::Builtin;

/// Sorted by name (a test checks it) for binary search.
pub static COMMANDS: &[Builtin] = &[
    b!("background", background),
    b!("backtick", backtick),
    b!("case", case),
    b!("cd", cd),
    b!("define", define),
    b!("dollarat", dollarat),
    b!("elgetopt", elgetopt),
    b!("elgetpositionals", elgetpositionals),
    b!("elglob", elglob),
    b!("eltest", eltest),
    b!("emptyenv", emptyenv),
    b!("envfile", envfile),
    b!("exec", exec),
    b!("execline", execline),
    b!("execline-cd", cd),
    b!("execline-umask", umask),
    b!("execlineb", execlineb),
    b!("exit", exit),
    b!("export", export),
    b!("export-array", export_array),
    b!("fdblock", fdblock),
    b!("fdclose", fdclose),
    b!("fdmove", fdmove),
    b!("fdreserve", fdreserve),
    b!("fdswap", fdswap),
    b!("forbacktickx", forbacktickx),
    b!("foreground", foreground),
    b!("forstdin", forstdin),
    b!("forx", forx),
    b!("getcwd", getcwd),
    b!("getpid", getpid),
    b!("heredoc", heredoc),
    b!("homeof", homeof),
    b!("if", if_),
    b!("ifelse", ifelse),
    b!("ifte", ifte),
    b!("ifthenelse", ifthenelse),
    b!("importas", importas),
    b!("loopwhilex", loopwhilex),
    b!("multidefine", multidefine),
    b!("multisubstitute", multisubstitute),
    b!("pipeline", pipeline),
    b!("piperw", piperw),
    b!("posix-cd", posix_cd),
    b!("posix-umask", posix_umask),
    b!("redirfd", redirfd),
    b!("runblock", runblock),
    b!("shift", shift),
    b!("trap", trap),
    b!("tryexec", tryexec),
    b!("umask", umask),
    b!("unexport", unexport),
    b!("wait", wait),
    b!("withstdinas", withstdinas),
];
