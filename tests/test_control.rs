//! if, ifelse, ifte, ifthenelse and exit.

use crate::cases;
use crate::support::script;

cases! {
    if_true: script("if { true } printf yes");
    if_false: script("if { false } printf yes");
    if_code: script("if { sh -c \"exit 42\" } printf yes");
    if_big_code: script("if { sh -c \"exit 200\" } printf yes");
    if_crash: script("if { sh -c \"kill $$\" } printf yes");
    if_crash_x: script("if -X { sh -c \"kill $$\" } printf yes");
    if_crash_xn: script("if -Xn { sh -c \"kill $$\" } printf yes");
    if_negate_true: script("if -n { true } printf yes");
    if_negate_false: script("if -n { false } printf yes");
    if_exitcode: script("if -x 9 { false } printf yes");
    if_t: script("if -t { false } printf yes");
    if_x_on_success: script("if -x 9 { true } printf yes");
    if_crash_with_x: script("if -x 3 { sh -c \"kill $$\" } printf yes");
    if_not_found: script("if { no-such-command-xyz } printf yes");
    if_bad_x: script("if -x nope { true } printf yes");
    if_unterminated: script("if printf a");
    if_chain: script("if { true } if { true } if { false } printf yes");
    ifelse_then: script("ifelse { true } { printf then } printf else");
    ifelse_else: script("ifelse { false } { printf then } printf else");
    ifelse_negate: script("ifelse -n { false } { printf then } printf else");
    ifelse_crash: script("ifelse { sh -c \"kill $$\" } { printf then } printf else");
    ifelse_crash_x: script("ifelse -X { sh -c \"kill $$\" } { printf then } printf else");
    ifelse_then_continues_nothing: script("ifelse { true } { printf [%s] then } printf else");
    ifelse_missing_block: script("ifelse { true } printf else");
    ifte_then: script("ifte { printf then } { printf else } true");
    ifte_else: script("ifte { printf then } { printf else } false");
    ifte_negate: script("ifte -n { printf then } { printf else } true");
    ifte_crash: script("ifte { printf then } { printf else } sh -c \"kill $$\"");
    ifte_crash_x: script("ifte -X { printf then } { printf else } sh -c \"kill $$\"");
    ifte_empty_test: script("ifte { printf then } { printf else }");
    ifthenelse_then: script("ifthenelse { true } { sh -c \"exit 3\" } { printf else } importas q ? printf [%s] $q");
    ifthenelse_else: script("ifthenelse { false } { printf then } { sh -c \"exit 4\" } importas q ? printf [%s] $q");
    ifthenelse_crash: script("ifthenelse { sh -c \"kill $$\" } { printf then } { printf else } printf after");
    ifthenelse_crash_x: script("ifthenelse -X { sh -c \"kill $$\" } { printf then } { printf else } printf after");
    ifthenelse_scope: script("ifthenelse -s { true } { define X then } { define X else } printf [%s] $X");
    ifthenelse_scope_else: script("ifthenelse -s { false } { define X then } { define X else } printf [%s] $X");
    ifthenelse_no_rest: script("ifthenelse { true } { printf then } { printf else }");
    ifthenelse_missing_block: script("ifthenelse { true } { printf then }");
    exit_zero: script("exit");
    exit_code: script("exit 3");
    exit_255: script("exit 255");
    exit_256: script("exit 256");
    exit_300: script("exit 300");
    exit_nan: script("exit abc");
    exit_negative: script("exit -1");
    exit_stops_chain: script("foreground { exit 5 } importas q ? printf [%s] $q");
}
