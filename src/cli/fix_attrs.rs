//! `chainit fix-attrs DIR`: applies s6-overlay's fix-attrs.d files (see
//! `init::fix_attrs`); the init runs it as the `fix-attrs` service.

use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Also walk into dotfiles when recursing (S6_FIX_ATTRS_HIDDEN=1).
    #[arg(long)]
    hidden: bool,
    /// S6_BEHAVIOUR_IF_STAGE2_FAILS: 0 ignores failures, 1 warns, 2 also exits 1.
    #[arg(long, default_value_t = 0)]
    policy: u8,
    /// S6_VERBOSITY: 2 and up name each file applied, 1 and up warn.
    #[arg(long, default_value_t = 2)]
    verbosity: u8,
    /// The fix-attrs.d directory.
    dir: PathBuf,
}

pub fn run(a: &Args) -> i32 {
    let settings = crate::init::fix_attrs::Settings {
        hidden: a.hidden,
        policy: a.policy,
        verbosity: a.verbosity,
    };
    crate::init::fix_attrs::run(&a.dir, &settings)
}
