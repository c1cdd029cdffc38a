//! execlineb's positional parameters: push, -p, -P, -S, -s, elgetpositionals, shift, dollarat.

use crate::cases;
use crate::support::script;

const SHOW_ENV: &str = "/usr/bin/env";

cases! {
    push_sets_frame: script(SHOW_ENV).args(&["a", "b c"]);
    push_renames_old_frame: script(SHOW_ENV).args(&["a"]).env("#", "5").env("0", "zero").env("1", "one").env("1:1", "oo").env("10", "ten").env("X", "1");
    push_odd_names: script(SHOW_ENV).env("1abc", "x").env("#x", "y").env("1:x", "4").env("1:01", "5").env("1::1", "6");
    overwrite_frame: script(SHOW_ENV).flags("-p").args(&["a"]).env("3", "x").env("5", "y");
    ignore_frame: script(SHOW_ENV).flags("-P").args(&["a"]);
    dollar_zero_of_file: script("importas z 0 printf [%s] $z").args(&["x"]);
    dollar_zero_inline: script("importas z 0 printf [%s] $z").inline();
    no_substitution_without_elgetpositionals: script("printf [%s] $0 $# $1").args(&["a"]);
    big_s: script("printf [%s] $0 $1 $2 $3 $# $@ ${1}x $1x").flags("-S2").args(&["a", "b c", "d", "e"]);
    big_s_missing_args_warn: script("printf [%s] $1 $2 $3 $4 $#").flags("-S3").args(&["A"]);
    big_s_missing_args_strict2: script("printf [%s] $1 $2 $3").flags("-S3").args(&["A"]).env("EXECLINE_STRICT", "2");
    big_s_missing_args_quiet: script("printf [%s] $1 $2 $3").flags("-S3").args(&["A"]).env("EXECLINE_STRICT", "0");
    big_s_zero_takes_all: script("printf [%s] $1 $2 $3 $#").flags("-S0").args(&["A", "B"]);
    big_s_at_forms: script("printf [%s] $@ ${@}x x$@").flags("-S1").args(&["A", "B", "C D"]);
    big_s_at_empty_vanishes: script("printf [%s] x$@ y").flags("-S0");
    small_s: script("printf [%s] $1 $2 $# $@").flags("-s1").args(&["A", "B", "C D"]);
    small_s_two: script("printf [%s] $1 $2 $3 $@").flags("-s2").args(&["A", "B", "C", "D"]);
    shebang_style_grouped_flags: script("printf [%s] $1 $#").flags("-PS1").args(&["x"]);
    big_s_no_env: script(SHOW_ENV).flags("-S1").args(&["a"]);
    strict_w_exports: script(SHOW_ENV).flags("-W -P");
    strict_warn_flag: script(SHOW_ENV).flags("-w -P");
    strict_q_unexports: script(SHOW_ENV).flags("-q -P").env("EXECLINE_STRICT", "2");
    bad_flag: script("printf x").flags("-Z");
    missing_script_file: script("printf x").flags("-P /nonexistent/file");
    elgetpositionals_basic: script("elgetpositionals printf [%s] $0 $1 $2 $# $@").args(&["a", "b c"]);
    elgetpositionals_min: script("elgetpositionals -P 3 printf [%s] $1 $2 $3 $#").args(&["a"]);
    elgetpositionals_without_frame: script("elgetpositionals printf [%s] $1").flags("-P");
    shift_one: script("shift elgetpositionals printf [%s] $# $@").args(&["a", "b", "c"]);
    shift_n: script("shift -n 2 elgetpositionals printf [%s] $# $@").args(&["a", "b", "c"]);
    shift_env: script(&format!("shift -n 2 {SHOW_ENV}")).args(&["a", "b", "c"]);
    shift_too_many: script("shift -n 5 elgetpositionals printf [%s] $# $@").args(&["a", "b"]);
    shift_block: script("shift -b 1 elgetpositionals printf [%s] $# $@").args(&[" x", " y", "", "after"]);
    shift_no_frame: script("shift printf x").flags("-P");
    dollarat_lines: script("dollarat").args(&["a", "b c", ""]);
    dollarat_chomp: script("dollarat -n").args(&["a", "b"]);
    dollarat_delim: script("dollarat -d :").args(&["a", "b"]);
    dollarat_nul: script("dollarat -0").args(&["a", "b"]);
    dollarat_long_delim: script("dollarat -d ab").args(&["a", "b", "c"]);
    dollarat_long_delim_chomp: script("dollarat -n -d xyz").args(&["a", "b"]);
    dollarat_delim_then_nul: script("dollarat -d ab -0").args(&["a", "b"]);
    dollarat_nul_then_delim: script("dollarat -0 -d ab").args(&["a", "b"]);
    dollarat_netstrings_chomp: script("dollarat -n -d \"\"").args(&["a", "b"]);
    dollarat_netstrings: script("dollarat -d \"\"").args(&["a", "bb", ""]);
    dollarat_no_frame: script("dollarat").flags("-P");
    emptyenv_pop: script(&format!("emptyenv -P {SHOW_ENV}")).args(&["a", "b"]).env("#", "5").env("0", "zero").env("1", "one").env("1:1", "oo").env("10", "ten");
    emptyenv_pop_odd: script(&format!("emptyenv -P {SHOW_ENV}")).flags("-P").env("EXECLINE_STRICT", "1").env("A:1", "3").env("1:x", "4").env("1:01", "5").env("ELGETOPT_x:1", "1");
}
