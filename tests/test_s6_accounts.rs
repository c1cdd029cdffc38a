//! s6-envuidgid, s6-applyuidgid and s6-setuidgid against Debian's s6 2.11,
//! each run in a mount namespace with its own /etc/passwd and /etc/group.

use crate::cases;
use crate::support::{Case, script};

const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh
alice:x:1000:1000::/home/alice:/bin/sh
bob:x:1001:1001::/home/bob:/bin/sh
carol:x:1002:50::/:/bin/sh
12:x:4242:4242::/:/bin/sh
nobody:x:65534:65534::/nonexistent:/bin/sh
";

const GROUP: &str = "root:x:0:
alice:x:1000:bob
bob:x:1001:
staff:x:50:alice,bob,carol
wheel:x:10:alice
nogroup:x:65534:
";

/// Prints what the chained program sees: ids, groups and the three variables.
const SHOW: &str = "sh -c \"id; printf 'UID=%s GID=%s GIDLIST=%s\\n' \\\"${UID-unset}\\\" \\\"${GID-unset}\\\" \\\"${GIDLIST-unset}\\\"\"";

fn with_accounts(text: &str) -> Case {
    script(text).flags("-P").accounts(PASSWD, GROUP)
}

fn envuidgid(args: &str) -> Case {
    with_accounts(&format!("s6-envuidgid {args} env")).env("UID", "old")
}

fn applyuidgid(args: &str) -> Case {
    with_accounts(&format!("s6-applyuidgid {args} {SHOW}"))
}

fn setuidgid(args: &str) -> Case {
    with_accounts(&format!("s6-setuidgid {args} {SHOW}"))
}

cases! {
    env_user: envuidgid("alice");
    env_member_of_own_group: envuidgid("bob");
    env_primary_listed_too: envuidgid("carol");
    env_root: envuidgid("root");
    env_u: envuidgid("-u alice");
    env_g: envuidgid("-g staff");
    env_b: envuidgid("-B alice:staff");
    env_b_user_only: envuidgid("-B alice");
    env_b_group_only: envuidgid("-B :staff");
    env_b_empty_group: envuidgid("-B alice:");
    env_b_unknown: envuidgid("-B nosuch:nosuch");
    env_b_unknown_group: envuidgid("-B alice:nosuch");
    env_n_b_numbers: envuidgid("-nB root:42");
    env_n_b_both_numbers: envuidgid("-nB 12:42");
    env_n_number: envuidgid("-n 77");
    env_n_name_first: envuidgid("-n 12");
    env_n_known: envuidgid("-n alice");
    env_n_u: envuidgid("-nu 77");
    env_n_g: envuidgid("-ng 77");
    env_u_then_n: envuidgid("-u -n alice");
    env_n_trailing_garbage: envuidgid("-n 77x");
    env_unknown_user: envuidgid("nosuch");
    env_unknown_u: envuidgid("-u nosuch");
    env_unknown_g: envuidgid("-g nosuch");
    env_empty_account: envuidgid("''");
    env_default_all: envuidgid("-D 1:2:3,4 nosuch");
    env_default_no_list: envuidgid("-D 1:2 nosuch");
    env_default_empty_uid: envuidgid("-D :5 nosuch");
    env_default_empty_gid: envuidgid("-D 5:: nosuch");
    env_default_list_garbage: envuidgid("-D 1:2:3x nosuch");
    env_default_bad: envuidgid("-D x nosuch");
    env_default_bad_list: envuidgid("-D 1:2:x nosuch");
    env_default_bad_gid: envuidgid("-D 1:2x nosuch");
    env_default_then_insist: envuidgid("-D 1:2:3 -i nosuch");
    env_default_known_user: envuidgid("-D 7:8:9 alice");
    env_default_half_known: envuidgid("-D 7:8:9 -B alice:nosuch");
    env_no_prog: envuidgid("alice").inline();
    env_bad_option: envuidgid("-z alice");

    apply_groups_commas: applyuidgid("-g 50 -G 1000,10");
    apply_groups_colons: applyuidgid("-g 50 -G 1000:10");
    apply_groups_spaces: applyuidgid("-g 50 -G \"1000 10\"");
    apply_groups_doubled_sep: applyuidgid("-g 50 -G 1000,,10");
    apply_groups_trailing_sep: applyuidgid("-g 50 -G 1000,");
    apply_groups_leading_sep: applyuidgid("-g 50 -G ,1000");
    apply_groups_garbage: applyuidgid("-g 50 -G x");
    apply_groups_partial: applyuidgid("-g 50 -G 1000x10");
    apply_groups_empty: applyuidgid("-g 50 -G \"\"");
    apply_groups_primary_inside: applyuidgid("-g 50 -G 10,50,10");
    apply_groups_keep_egid: applyuidgid("-G 10");
    apply_zero_ids: applyuidgid("-u 0 -g 0");
    apply_uid_only: applyuidgid("-u 1000");
    apply_all: applyuidgid("-u 1000 -g 1000 -G 50");
    apply_uid_garbage: applyuidgid("-u 5x");
    apply_uid_overflow: applyuidgid("-u 99999999999");
    apply_uid_minus_one: applyuidgid("-u 4294967295");
    apply_env: applyuidgid("-U").env("UID", "1000").env("GID", "50").env("GIDLIST", "10");
    apply_env_override: applyuidgid("-U -u 1001").env("UID", "1000").env("GID", "50").env("GIDLIST", "");
    apply_env_then_unexport: applyuidgid("-zU").env("UID", "1000").env("GID", "50").env("GIDLIST", "10,1000").env("A", "1");
    apply_unexport_env: with_accounts("s6-applyuidgid -z env").env("UID", "1").env("X", "2").env("GIDLIST", "3");
    apply_env_unset: applyuidgid("-U").env("UID", "1000").env("GID", "50");
    apply_env_invalid: applyuidgid("-U").env("UID", "x").env("GID", "50").env("GIDLIST", "");
    apply_env_invalid_list: applyuidgid("-U").env("UID", "1").env("GID", "50").env("GIDLIST", "x");
    apply_no_prog: with_accounts("s6-applyuidgid -u 1000");
    apply_not_root: with_accounts("s6-setuidgid nobody s6-applyuidgid -u 3 echo ran");
    apply_not_root_zero: with_accounts(&format!("s6-setuidgid nobody s6-applyuidgid -u 0 {SHOW}"));

    set_user: setuidgid("alice");
    set_user_many_groups: setuidgid("bob");
    set_user_primary_listed: setuidgid("carol");
    set_numeric_pair: setuidgid("1000:50");
    set_pair_empty_uid: setuidgid(":50");
    set_pair_empty_gid: setuidgid("1000:");
    set_pair_three: setuidgid("1:2:3");
    set_pair_names: setuidgid("a:b");
    set_empty_account: setuidgid("''");
    set_unknown: with_accounts("s6-setuidgid nosuch echo ran");
    set_no_prog: with_accounts("s6-setuidgid alice");
    set_clears_id_vars: setuidgid("alice").env("UID", "3").env("GID", "9").env("GIDLIST", "1").env("X", "1");
    set_pair_keeps_id_vars: setuidgid("1000:50").env("UID", "3").env("GID", "9");
    // A failed drop never goes on: nothing after it runs.
    set_fails_closed: with_accounts("s6-setuidgid nobody s6-setuidgid root echo ran");
    set_twice_same: with_accounts(&format!("s6-setuidgid alice s6-setuidgid '' {SHOW}"));
    set_then_builtin: with_accounts("s6-setuidgid alice backtick -E u { id -u } echo $u");
}
