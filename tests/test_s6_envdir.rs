//! s6-envdir against Debian's s6 2.11: every option, clamping, NULs, errors.

use crate::cases;
use crate::support::{Case, script};

/// Two envdirs covering each rule: trailing blanks, empty files, NULs,
/// names with `=` or a leading dot, lines without a newline, long values.
fn dirs(text: &str) -> Case {
    let long_a = "a".repeat(5000);
    let long_b = format!("{}  \nzz", "b".repeat(4094));
    script(text)
        .flags("-P")
        .env("B", "keep")
        .env("Z", "1")
        .file("ed/A", b"hello  \t\r\nsecond\n")
        .file("ed/B", b"")
        .file("ed/C", b"\n")
        .file("ed/D", b"a\0b\n")
        .file("ed/E=F", b"x=y")
        .file("ed/.hid", b"dot")
        .file("ed/G", b"noline")
        .file("ed/H", b"v\n\n")
        .file("ed/I", b" lead\tand trail \t")
        .file("ed2/A", long_a.as_bytes())
        .file("ed2/B", long_b.as_bytes())
}

/// Prints the lengths of the two long values.
const LENGTHS: &str = "sh -c \"printf %s \\\"$A\\\" | wc -c; printf %s \\\"$B\\\" | wc -c\"";

cases! {
    plain: dirs("s6-envdir ed env");
    keep_blanks: dirs("s6-envdir -n ed env");
    whole: dirs("s6-envdir -f ed env");
    whole_keep: dirs("s6-envdir -fn ed env");
    unclamped: dirs("s6-envdir -L ed env");
    unclamped_keep: dirs("s6-envdir -Ln ed env");
    unclamped_whole: dirs("s6-envdir -fL ed env");
    unclamped_whole_keep: dirs("s6-envdir -fLn ed env");
    nul_char: dirs("s6-envdir -c X ed env");
    nul_char_whole: dirs("s6-envdir -fc X ed env");
    nul_char_first_only: dirs("s6-envdir -c XY ed env");
    all_options: dirs("s6-envdir -nfLc % ed env");
    strict_default: dirs("s6-envdir -i ed env");
    loose_present: dirs("s6-envdir -I ed env");
    clamp_line: dirs(&format!("s6-envdir ed2 {LENGTHS}"));
    clamp_whole: dirs(&format!("s6-envdir -f ed2 {LENGTHS}"));
    noclamp_line: dirs(&format!("s6-envdir -L ed2 {LENGTHS}"));
    noclamp_whole: dirs(&format!("s6-envdir -fL ed2 {LENGTHS}"));
    twice: dirs("s6-envdir ed s6-envdir -f ed env");
    empty_nul_char: dirs("s6-envdir -c \"\" ed env");
    missing_dir: dirs("s6-envdir nonexist env");
    missing_dir_loose: dirs("s6-envdir -I nonexist env");
    not_a_dir_loose: dirs("s6-envdir -I ed/A env");
    no_prog: dirs("s6-envdir ed");
    no_args: dirs("s6-envdir");
    bad_option: dirs("s6-envdir -z ed env");
    dashdash: dirs("s6-envdir -f -- ed env");
    subdir_fails: dirs("if { mkdir ed/sub } s6-envdir ed env");
    dangling_link_fails: dirs("if { ln -s /nonexistent ed/L } s6-envdir ed env");
    link_followed: dirs("if { ln -s A ed/L } s6-envdir ed env");
    empty_dir: dirs("if { mkdir none } s6-envdir none env");
    // PATH from the envdir applies to the program after next, not to the lookup.
    path_not_used_for_lookup: dirs("s6-envdir pd env").file("pd/PATH", b"/nonexistent\n");
    unreadable_as_user: dirs("if { chmod 000 ed/A } if { chmod 755 . } s6-setuidgid nobody s6-envdir ed env");
    nothing_applied_on_error: dirs("if { chmod 000 ed/G } if { chmod 755 . } s6-setuidgid nobody foreground { s6-envdir ed env } env");
    inside_script: dirs("s6-envdir ed importas -i a A echo $a");
}

cases! {
    // Helpers leave no fd behind for the program they run.
    no_fd_left: dirs("s6-envdir ed s6-envdir -fL ed2 s6-softlimit -o 200 s6-setsid -b ls /proc/self/fd");
    no_fd_left_on_accounts: dirs("s6-envuidgid -D 1:2 nosuch s6-applyuidgid -z s6-setuidgid nobody ls /proc/self/fd");
}
