//! fdmove, fdclose, fdswap, redirfd, heredoc.

use crate::cases;
use crate::support::script;

/// `ls` lists its own fds (its directory handle is the highest or fd 3).
const FDS: &str = "ls /proc/self/fd";

cases! {
    // In a foreground block the fd commands run in-process, and the fds they
    // change are put back before the chain goes on.
    block_redirfd_then_builtin: script("foreground { redirfd -w 1 f echo in-file } foreground { cat f } echo after");
    block_redirfd_then_program: script("foreground { redirfd -w 1 f sh -c \"echo forked\" } foreground { cat f } echo after");
    block_redirfd_fails: script("foreground { redirfd -w 1 nodir/f echo lost } echo after $?");
    block_fdclose_stdout: script("foreground { fdclose 1 echo gone } echo after $?");
    block_fdmove_stderr: script("foreground { fdmove -c 2 1 fdmove 1 5 echo x } echo after $?");
    block_fdswap: script("foreground { redirfd -w 3 f fdswap 1 3 echo swapped } foreground { cat f } echo after");
    block_redirfd_stdin: script("foreground { redirfd -w 1 f echo line } foreground { redirfd -r 0 f sh -c \"read x; echo got $x\" } sh -c \"read y || echo stdin-kept\"");
    block_nested: script("foreground { redirfd -w 1 f foreground { redirfd -a 1 f echo one } echo two } foreground { cat f } echo after");
    fdmove_stderr_to_stdout: script("fdmove -c 2 1 sh -c \"echo err >&2\"");
    fdmove_move_closes: script(&format!("fdmove 5 1 fdmove -c 1 5 {FDS}"));
    fdmove_copy_keeps: script(&format!("fdmove -c 5 1 {FDS}"));
    fdmove_same_fd: script("fdmove 1 1 printf ok");
    fdmove_bad_fd: script("fdmove 1 99 printf ok");
    fdmove_usage: script("fdmove 1");
    fdmove_nan: script("fdmove x 1 printf ok");
    fdclose_closes: script(&format!("fdmove -c 5 1 fdclose 5 {FDS}"));
    fdclose_not_open: script("fdclose 42 printf ok");
    fdclose_usage: script("fdclose");
    fdswap_swaps: script("fdswap 1 2 sh -c \"echo to-stderr-now-stdout >&2\"");
    fdswap_bad: script("fdswap 1 42 printf ok");
    fdswap_usage: script("fdswap 1");
    redirfd_write: script("redirfd -w 1 out printf hello");
    redirfd_truncate: script("foreground { redirfd -w 1 out printf longer-text } redirfd -w 1 out printf short");
    redirfd_append: script("foreground { redirfd -a 1 out printf a } redirfd -a 1 out printf b");
    redirfd_read: script("foreground { redirfd -w 1 in printf content } redirfd -r 0 in cat");
    redirfd_read_missing: script("redirfd -r 0 nope cat");
    redirfd_exclusive: script("foreground { redirfd -x 1 out printf a } redirfd -x 1 out printf b");
    redirfd_rw: script("foreground { redirfd -w 1 f printf abc } redirfd -u 0 f cat");
    redirfd_no_mode: script("redirfd 1 out printf x");
    redirfd_c_is_not_a_mode: script("redirfd -c 1 out printf x");
    redirfd_usage: script("redirfd -w 1");
    redirfd_umask: script("umask 077 redirfd -w 1 out printf secret");
    redirfd_high_fd: script(&format!("redirfd -w 7 out {FDS}"));
    redirfd_nonblock_flip: script("redirfd -rnb 0 /dev/null cat");
    redirfd_dir_fails: script("redirfd -w 1 /etc printf x");
    heredoc_stdin: script("heredoc 0 \"hello\nworld\n\" cat");
    heredoc_fd: script("heredoc 5 data sh -c \"cat <&5\"");
    heredoc_double_fork: script("heredoc -d 0 text cat");
    heredoc_empty: script("heredoc 0 \"\" cat");
    heredoc_fds_clean: script(&format!("heredoc 0 x {FDS}"));
    heredoc_usage: script("heredoc 0");
    heredoc_large: script("heredoc 0 \"0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789\" wc -c");
}
