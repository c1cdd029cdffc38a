//! s6's on-disk supervision protocol, shared by chainit's supervisor (which
//! writes it) and its s6-svc/s6-svstat/s6-svwait clients (which read it), so
//! that skarnet's own tools and chainit's can drive either side.

pub mod death_tally;
pub mod fifodir;
pub mod files;
pub mod ftrig;
pub mod listen;
pub mod logger;
pub mod status;
pub mod supervise_dir;
pub mod syslog;
pub mod tai64n;
