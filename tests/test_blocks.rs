//! runblock and elgetopt: commands that read the positional frame.

use crate::cases;
use crate::support::script;

cases! {
    runblock_ifelse_then: script("ifte { runblock 2 } { runblock -r 2 } runblock 1").args(&[" true", "", " echo", " then", "", "echo", "else"]);
    runblock_ifelse_else: script("ifte { runblock 2 } { runblock -r 2 } runblock 1").args(&[" false", "", " echo", " then", "", "echo", "else", "extra"]);
    runblock_shift: script("runblock -n 1 1 env echo").args(&["x", " printf", " [%s]", " a b", "", "y"]);
    runblock_keep_frame: script("runblock -P 1 importas n \"#\" echo $n").args(&[" a", " b", ""]);
    runblock_pops_frame: script("runblock 1 importas -D none n \"#\" echo $n").args(&[" a", ""]);
    runblock_third: script("runblock 3 echo").args(&[" a", "", " b", "", " c", "  d", " ", ""]);
    runblock_too_few: script("runblock 3 echo").args(&[" a", " b", ""]);
    runblock_remainder: script("runblock -r 1 echo").args(&[" a", "", " b", "", "c"]);
    runblock_no_block: script("runblock -r 1 echo").args(&["a"]);
    runblock_empty_remainder: script("runblock -r 1 echo").args(&[" a", ""]);
    runblock_empty_block: script("runblock 1 echo x").args(&[""]);
    runblock_zero: script("runblock 0 echo").args(&[" a", ""]);
    runblock_zero_r: script("runblock -r 0 echo").args(&["a", "b"]);
    runblock_usage: script("runblock");
    runblock_bad_n: script("runblock x echo").args(&[" a", ""]);
    runblock_no_frame: script("runblock 1 echo").flags("-P");
    runblock_shift_too_far: script("runblock -n 5 1 echo").args(&[" a", ""]);
    runblock_nested: script("runblock 1").args(&[" if", "  ", "  true", " ", " echo", " yes", ""]);
    elgetopt_plain: script("elgetopt ab: env").flags("-p").args(&["a", "b"]);
    elgetopt_options: script("elgetopt ab: env").flags("-p").args(&["-a", "-bval", "rest", "-c"]);
    elgetopt_illegal: script("elgetopt ab: env").flags("-p").args(&["-a", "-x"]);
    elgetopt_dashdash_default: script("elgetopt -D yes ab: env").flags("-p").args(&["-a", "--", "-b"]);
    elgetopt_missing_arg: script("elgetopt ab: env").flags("-p").args(&["-b"]);
    elgetopt_grouped_push: script("export ELGETOPT_a old elgetopt ab: env").flags("-p").args(&["-ab", "x"]);
    elgetopt_separate_arg: script("elgetopt ab: env").flags("-p").args(&["-b", "val", "-a", "z"]);
    elgetopt_repeat: script("elgetopt ab: env").flags("-p").args(&["-a", "-a", "-b1", "-b2"]);
    elgetopt_no_frame: script("elgetopt ab: env").flags("-P");
    elgetopt_usage: script("elgetopt");
    elgetopt_then_positionals: script("elgetopt a elgetpositionals echo $# $@").args(&["-a", "x", "y"]);
    elgetopt_emptyenv_o: script("export ELGETOPT_a old elgetopt a emptyenv -o importas a ELGETOPT_a echo $a").args(&["-a"]);
}
