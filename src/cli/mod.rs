//! User-facing subcommands of `chainit` (clap) and diagnostic rendering.

pub mod check;
pub mod fix_attrs;
pub mod help;
pub mod init;
pub mod install;
pub mod services;
pub mod status;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "chainit",
    version,
    about = "An execline interpreter and container init in one binary",
    disable_help_subcommand = true,
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create one symlink per command name in DIR, pointing at this binary.
    Install(install::Args),
    /// List the commands this binary runs in-process.
    Commands,
    /// Run as the container's init (PID 1 or a subreaper): stages, CMD, shutdown.
    Init(init::Args),
    /// Control supervised services (as s6-svc): up, down, restart, signal, wait.
    Svc(services::SvcArgs),
    /// Show every supervised service; exit 0 only if all wanted up are up, ready and healthy.
    Status(status::Args),
    /// Wait until services are up, ready, down, finished or restarted.
    Wait(services::WaitArgs),
    /// Report every problem of an image's service definitions, without booting.
    Check(check::Args),
    /// Apply s6-overlay's deprecated fix-attrs.d files of DIR (the init runs it as `fix-attrs`).
    FixAttrs(fix_attrs::Args),
    /// Print help for a subcommand, or a built-in command's reference page.
    Help {
        /// A subcommand (init, status...) or a built-in command (s6-svc, forx...).
        name: Option<String>,
    },
    /// Supervise every service directory of SCANDIR, as s6-svscan does.
    Svscan {
        /// The scan directory (default: the current directory).
        #[arg(default_value = ".")]
        scandir: std::path::PathBuf,
    },
}

/// chainit's command line, for parsing, help and generated man pages and
/// completions: the derived definition plus the list of built-in commands.
pub fn command() -> clap::Command {
    Cli::command()
        .after_help("Every command of execline, s6, s6-rc, s6-linux-utils, s6-portable-utils and s6-overlay is built in too: `chainit --help` lists them, `chainit help NAME` shows one's page.")
        .after_long_help(help::builtin_list())
}

/// Runs a `chainit SUBCOMMAND …` invocation; returns the exit code.
pub fn main(args: Vec<std::ffi::OsString>) -> i32 {
    let parsed = command()
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                crate::exit::USAGE
            } else {
                0
            };
        }
    };
    match cli.command {
        Command::Install(a) => install::run(&a),
        Command::Init(a) => init::run(a),
        Command::Check(a) => check::run(&a),
        Command::FixAttrs(a) => fix_attrs::run(&a),
        Command::Svc(a) => services::svc(a),
        Command::Status(a) => status::run(a),
        Command::Wait(a) => services::wait(a),
        Command::Help { name } => help::run(name.as_deref(), command()),
        Command::Svscan { scandir } => crate::init::svscan::run(scandir),
        Command::Commands => {
            for b in crate::chain::registry::all() {
                println!("{}", b.name);
            }
            0
        }
    }
}
