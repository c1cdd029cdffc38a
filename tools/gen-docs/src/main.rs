//! `chainit-gen-docs OUT`: writes OUT/man/man1/chainit.1 and one page per
//! subcommand (chainit-init.1, ...), and OUT/completions/ for bash, zsh and
//! fish, all from `chainit::cli::command()`.

use clap_complete::Shell;
use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let out = PathBuf::from(std::env::args_os().nth(1).unwrap_or_else(|| "dist".into()));
    let man = out.join("man/man1");
    std::fs::create_dir_all(&man)?;
    clap_mangen::generate_to(chainit::cli::command(), &man)?;
    let completions = out.join("completions");
    std::fs::create_dir_all(&completions)?;
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        let mut cmd = chainit::cli::command();
        clap_complete::generate_to(shell, &mut cmd, "chainit", &completions)?;
    }
    Ok(())
}
