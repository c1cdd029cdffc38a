//! export, unexport, emptyenv: values and the order a real exec passes them in.

use crate::cases;
use crate::support::script;

const ENV: &str = "/usr/bin/env";

cases! {
    export_new: script(&format!("export X 1 {ENV}")).flags("-P").env("A", "a");
    export_existing_moves: script(&format!("export A 3 {ENV}")).flags("-P").env("A", "1").env("B", "2").env("C", "3");
    export_empty_value: script(&format!("export X \"\" {ENV}")).flags("-P");
    export_then_import: script("export X hello importas x X printf [%s] $x");
    export_usage: script("export X");
    export_no_prog: script("export X 1");
    export_twice: script(&format!("export A 1 export B 2 export A 3 {ENV}")).flags("-P");
    unexport_existing: script(&format!("unexport B {ENV}")).flags("-P").env("A", "1").env("B", "2").env("C", "3");
    unexport_missing: script(&format!("unexport NOPE {ENV}")).flags("-P").env("A", "1");
    unexport_usage: script("unexport");
    unexport_vs_empty: script("export X \"\" unexport X importas -D unset x X printf [%s] $x");
    emptyenv_all: script(&format!("emptyenv {ENV}")).flags("-P").env("A", "1");
    emptyenv_keep_path: script(&format!("emptyenv -p {ENV}")).flags("-P").env("A", "1");
    emptyenv_clean: script(&format!("emptyenv -c {ENV}")).flags("-P").env("ELGETOPT_x", "1").env("EXECLINE_STRICT", "1").env("!", "3").env("?", "2").env("FD0", "1").env("FDx", "1").env("SIGNAL", "1").env("X", "1").env("5:1", "1").env("ELGETOPT", "1").env("EXECLINE", "1");
    emptyenv_pop_elgetopt: script(&format!("emptyenv -o {ENV}")).flags("-P").env("ELGETOPT_x", "1").env("ELGETOPT_y:1", "1");
    emptyenv_pop_both: script(&format!("emptyenv -oP {ENV}")).env("ELGETOPT_x", "1").args(&["a"]);
    emptyenv_not_found_without_path: script("emptyenv no-such-command-xyz").flags("-P");
    emptyenv_default_path: script("emptyenv sh -c \"echo hi\"").flags("-P");
    emptyenv_bad_option: script("emptyenv -z true");
}
