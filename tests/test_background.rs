//! background and the `!` variable.

use crate::cases;
use crate::support::script;

cases! {
    background_runs: script("background { redirfd -w 1 f printf bg } foreground { sleep 0.3 } printf done");
    background_pid_is_child: script("background { sleep 0.2 } importas p ! sh -c \"read a b c ppid rest < /proc/$p/stat; test $ppid = $$ && echo ok\"");
    background_double: script("background -d { redirfd -w 1 f printf x } foreground { sleep 0.3 } printf y");
    background_unterminated: script("background printf x");
    background_bad_option: script("background -z { true } printf y");
}
