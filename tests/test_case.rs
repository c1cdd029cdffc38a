//! case and elglob.

use crate::cases;
use crate::support::script;

cases! {
    case_first_match: script("case foo { f.o { echo m1 } foo { echo m2 } } echo default");
    case_default: script("case fo { f.o { echo m1 } } echo default");
    case_no_default: script("case fo { f.o { echo m1 } }");
    case_full_match_only: script("case xfoox { foo { echo m } } echo d");
    case_subexpressions: script("case -N foooobarbaz { \"([fo]+)bar(baz)\" { importas -D u h \"#\" importas a 1 importas b 2 importas z 0 echo $h $a $b $z } }");
    case_unmatched_group: script("case -N foooobarbaz { \"([fo]+)bar(x)?baz\" { importas h \"#\" importas a 1 importas b 2 echo [$h] [$a] [$b] } }");
    case_no_groups: script("case -N foo { foo { importas h \"#\" importas z 0 echo $h $z } }");
    case_n_default: script("case -N -n foo { (f)oo { importas -D unset h \"#\" echo $h } }");
    case_alternation_anchor: script("case -N abc { \"(a)|(b)c\" { importas a 1 importas b 2 echo [$a] [$b] } } echo d");
    case_icase: script("case -i FOO { foo { echo m } } echo d");
    case_bre: script("case -e \"a+\" { \"a+\" { echo bre } } echo d");
    case_ere_plus: script("case \"a+\" { \"a+\" { echo ere } } echo d");
    case_bre_interval: script("case -e aa { \"a\\\\{2\\\\}\" { echo bre } } echo d");
    case_bad_regex: script("case x { \"(\" { echo m } } echo d");
    case_shell: script("case -s foo.c { \"*.c\" { echo c } } echo d");
    case_shell_dot: script("case -s .foo { \"*foo\" { echo m } } echo d");
    case_shell_period: script("case -s -i .foo { \"*foo\" { echo m } } echo d");
    case_shell_slash: script("case -s a/b { \"a*\" { echo m } } echo d");
    case_shell_pathname: script("case -s -N a/b { \"a*\" { echo m } } echo d");
    case_shell_escape: script("case -s \"a*\" { \"a\\\\*\" { echo m } } echo d");
    case_shell_noescape: script("case -s -e \"a\\\\b\" { \"a\\\\b\" { echo m } } echo d");
    case_shell_no_env: script("case -s -N foo { foo { importas -D unset h \"#\" echo $h } }");
    case_shell_then_regex: script("case -s -S foo { f.o { echo m } } echo d");
    case_empty_directives: script("case foo { } echo d");
    case_missing_block: script("case foo { bar } echo d");
    case_empty_prog: script("case foo { foo { } } echo d");
    case_trailing_regex: script("case foo { bar { echo a } foo }");
    case_nothing: script("case");
    case_unterminated: script("case foo bar");
    case_value_option_like: script("case -- -x { -x { echo dash } } echo d");
    case_regex_env_position: script("export 0 zero case -N zzz { zzz { importas h \"#\" importas z 0 echo $h $z } }");
    case_bad_option: script("case -z foo { foo { echo m } }");
    elglob_sorted: script("foreground { redirfd -w 1 b.c echo } foreground { redirfd -w 1 a.c echo } elglob -s X *.c echo $X");
    elglob_unsorted: script("foreground { redirfd -w 1 b.c echo } foreground { redirfd -w 1 a.c echo } foreground { redirfd -w 1 c.c echo } elglob X *.c echo $X");
    elglob_mark: script("foreground { mkdir d.c } foreground { redirfd -w 1 a.c echo } elglob -sm X *.c echo $X");
    elglob_nomatch: script("elglob X *.z echo [${X}]");
    elglob_null: script("elglob -0 X *.z echo [${X}] end");
    elglob_escape: script("foreground { redirfd -w 1 a.c echo } elglob -s X \\\\*.c echo $X");
    elglob_noescape: script("elglob -s -e X \\\\\\\\*.c echo $X");
    elglob_hidden: script("foreground { redirfd -w 1 .h echo } foreground { redirfd -w 1 v echo } elglob -s X * echo $X");
    elglob_dot: script("foreground { redirfd -w 1 .h echo } elglob -s X .* echo $X");
    elglob_prefix: script("foreground { redirfd -w 1 a.c echo } elglob X *.c echo pre-${X}-post");
    elglob_verbose: script("elglob -v X /nonexist/*/x echo $X");
    elglob_strict: script("elglob -w X /nonexist/*/x echo $X");
    elglob_usage: script("elglob X");
    elglob_bad_option: script("elglob -q X * echo $X");
    elglob_multisubstitute: script("foreground { redirfd -w 1 a.c echo } multisubstitute { elglob -s G *.c define D d } echo $G $D");
    elglob_no_prog: script("elglob X *");
}
