//! Commands of s6-portable-utils 2.3.1.2 (as s6-overlay 3.2.3.2 ships it),
//! and `s6-test`, which older scripts call and which upstream replaced by
//! `eltest`: it is that.

pub(crate) mod s6_basename;
pub(crate) mod s6_cat;
pub(crate) mod s6_chmod;
pub(crate) mod s6_chown;
pub(crate) mod s6_clock;
pub(crate) mod s6_cut;
pub(crate) mod s6_dirname;
pub(crate) mod s6_dumpenv;
pub(crate) mod s6_echo;
pub(crate) mod s6_env;
pub(crate) mod s6_expr;
pub(crate) mod s6_false;
pub(crate) mod s6_format_filter;
pub(crate) mod s6_grep;
pub(crate) mod s6_head;
pub(crate) mod s6_hiercopy;
pub(crate) mod s6_linkname;
pub(crate) mod s6_ln;
pub(crate) mod s6_ls;
pub(crate) mod s6_maximumtime;
pub(crate) mod s6_mkdir;
pub(crate) mod s6_mkfifo;
pub(crate) mod s6_nice;
pub(crate) mod s6_nuke;
pub(crate) mod s6_pause;
pub(crate) mod s6_portable_utils;
pub(crate) mod s6_printenv;
pub(crate) mod s6_quote;
pub(crate) mod s6_quote_filter;
pub(crate) mod s6_rename;
pub(crate) mod s6_rmrf;
pub(crate) mod s6_seq;
pub(crate) mod s6_sleep;
pub(crate) mod s6_sort;
pub(crate) mod s6_sync;
pub(crate) mod s6_tai64ndiff;
pub(crate) mod s6_tail;
pub(crate) mod s6_touch;
pub(crate) mod s6_true;
pub(crate) mod s6_uniquename;
pub(crate) mod s6_unquote;
pub(crate) mod s6_unquote_filter;
pub(crate) mod s6_update_symlinks;
pub(crate) mod seekablepipe;

use super::Builtin;
use super::execline::eltest;
use crate::error::{Error, Result};

/// Sorted by name (a test checks it) for binary search.
pub static COMMANDS: &[Builtin] = &[
    b!("s6-basename", s6_basename),
    b!("s6-cat", s6_cat),
    b!("s6-chmod", s6_chmod),
    b!("s6-chown", s6_chown),
    b!("s6-clock", s6_clock),
    b!("s6-cut", s6_cut),
    b!("s6-dirname", s6_dirname),
    b!("s6-dumpenv", s6_dumpenv),
    b!("s6-echo", s6_echo),
    b!("s6-env", s6_env),
    b!("s6-expr", s6_expr),
    b!("s6-false", s6_false),
    b!("s6-format-filter", s6_format_filter),
    b!("s6-grep", s6_grep),
    b!("s6-head", s6_head),
    b!("s6-hiercopy", s6_hiercopy),
    b!("s6-linkname", s6_linkname),
    b!("s6-ln", s6_ln),
    b!("s6-ls", s6_ls),
    b!("s6-maximumtime", s6_maximumtime),
    b!("s6-mkdir", s6_mkdir),
    b!("s6-mkfifo", s6_mkfifo),
    b!("s6-nice", s6_nice),
    b!("s6-nuke", s6_nuke),
    b!("s6-pause", s6_pause),
    b!("s6-portable-utils", s6_portable_utils),
    b!("s6-printenv", s6_printenv),
    b!("s6-quote", s6_quote),
    b!("s6-quote-filter", s6_quote_filter),
    b!("s6-rename", s6_rename),
    b!("s6-rmrf", s6_rmrf),
    b!("s6-seq", s6_seq),
    b!("s6-sleep", s6_sleep),
    b!("s6-sort", s6_sort),
    b!("s6-sync", s6_sync),
    b!("s6-tai64ndiff", s6_tai64ndiff),
    b!("s6-tail", s6_tail),
    b!("s6-test", eltest),
    b!("s6-touch", s6_touch),
    b!("s6-true", s6_true),
    b!("s6-uniquename", s6_uniquename),
    b!("s6-unquote", s6_unquote),
    b!("s6-unquote-filter", s6_unquote_filter),
    b!("s6-update-symlinks", s6_update_symlinks),
    b!("seekablepipe", seekablepipe),
];

/// All of stdin (the filters that sort, cut or match need the whole input).
pub fn read_stdin() -> Result<Vec<u8>> {
    use std::io::Read;
    let mut input = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut input)
        .map_err(|e| {
            Error::Failed(format!(
                "unable to read stdin: {}",
                crate::error::describe(&e)
            ))
        })?;
    Ok(input)
}
