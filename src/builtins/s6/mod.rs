//! Commands of the s6 package: run-script helpers (s6-envdir,
//! s6-setuidgid, …), the supervision clients (s6-svc, s6-svstat, …) and
//! s6-log. (s6-svscan lives with the supervisor it is, in `init`.)

pub(crate) mod s6_applyuidgid;
pub(crate) mod s6_background_watch;
pub(crate) mod s6_cleanfifodir;
pub(crate) mod s6_envdir;
pub(crate) mod s6_envuidgid;
pub(crate) mod s6_fghack;
pub(crate) mod s6_ftrig_listen;
pub(crate) mod s6_ftrig_listen1;
pub(crate) mod s6_ftrig_notify;
pub(crate) mod s6_ftrig_wait;
pub(crate) mod s6_log;
pub(crate) mod s6_mkfifodir;
pub(crate) mod s6_notify_fd_from_socket;
pub(crate) mod s6_notify_socket_from_fd;
pub(crate) mod s6_notifyoncheck;
pub(crate) mod s6_permafailon;
pub(crate) mod s6_setlock;
pub(crate) mod s6_setsid;
pub(crate) mod s6_setuidgid;
pub(crate) mod s6_socklog;
pub(crate) mod s6_softlimit;
pub(crate) mod s6_svc;
pub(crate) mod s6_svdt;
pub(crate) mod s6_svlink;
pub(crate) mod s6_svlisten;
pub(crate) mod s6_svlisten1;
pub(crate) mod s6_svok;
pub(crate) mod s6_svperms;
pub(crate) mod s6_svscanctl;
pub(crate) mod s6_svstat;
pub(crate) mod s6_svunlink;
pub(crate) mod s6_svwait;
pub(crate) mod s6_tai64n;
pub(crate) mod s6_tai64nlocal;
pub(crate) mod s6_usertree_maker;
pub(crate) mod ucspilogd;

use super::Builtin;

/// Sorted by name (a test checks it) for binary search.
pub static COMMANDS: &[Builtin] = &[
    b!("s6-applyuidgid", s6_applyuidgid),
    b!("s6-background-watch", s6_background_watch),
    b!("s6-cleanfifodir", s6_cleanfifodir),
    b!("s6-envdir", s6_envdir),
    b!("s6-envuidgid", s6_envuidgid),
    b!("s6-fghack", s6_fghack),
    b!("s6-ftrig-listen", s6_ftrig_listen),
    b!("s6-ftrig-listen1", s6_ftrig_listen1),
    b!("s6-ftrig-notify", s6_ftrig_notify),
    b!("s6-ftrig-wait", s6_ftrig_wait),
    b!("s6-log", s6_log),
    b!("s6-mkfifodir", s6_mkfifodir),
    b!("s6-notify-fd-from-socket", s6_notify_fd_from_socket),
    b!("s6-notify-socket-from-fd", s6_notify_socket_from_fd),
    b!("s6-notifyoncheck", s6_notifyoncheck),
    b!("s6-permafailon", s6_permafailon),
    b!("s6-setlock", s6_setlock),
    b!("s6-setsid", s6_setsid),
    b!("s6-setuidgid", s6_setuidgid),
    b!("s6-socklog", s6_socklog),
    b!("s6-softlimit", s6_softlimit),
    b!("s6-svc", s6_svc),
    b!("s6-svdt", s6_svdt),
    b!("s6-svdt-clear", s6_svdt),
    b!("s6-svlink", s6_svlink),
    b!("s6-svlisten", s6_svlisten),
    b!("s6-svlisten1", s6_svlisten1),
    b!("s6-svok", s6_svok),
    b!("s6-svperms", s6_svperms),
    b!("s6-svscanctl", s6_svscanctl),
    b!("s6-svstat", s6_svstat),
    b!("s6-svunlink", s6_svunlink),
    b!("s6-svwait", s6_svwait),
    b!("s6-tai64n", s6_tai64n),
    b!("s6-tai64nlocal", s6_tai64nlocal),
    b!("s6-usertree-maker", s6_usertree_maker),
    b!("ucspilogd", ucspilogd),
];
