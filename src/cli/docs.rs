//! `brevet completions SHELL` and `brevet man`: shell completions and manual
//! pages, generated from the command-line definitions themselves so that
//! they always match the binary.

use anyhow::Context as _;
use clap::CommandFactory as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Where each shell looks for completions, for `brevet completions --help`.
pub const COMPLETIONS_HELP: &str = "Install, for example:
  bash: brevet completions bash > ~/.local/share/bash-completion/completions/brevet
  zsh:  brevet completions zsh > ~/.zfunc/_brevet   (with fpath+=~/.zfunc before compinit)
  fish: brevet completions fish > ~/.config/fish/completions/brevet.fish

Exit status: 0 the script was printed, 2 it could not be written.";

/// Arguments of `brevet completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `brevet man`.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write brevet.1 and one brevet-COMMAND.1 per subcommand into this
    /// folder (created if needed) instead of printing brevet.1.
    #[arg(long, short, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Prints the completion script for a shell.
///
/// # Errors
/// Stdout cannot be written.
pub fn completions(args: &CompletionsArgs) -> anyhow::Result<ExitCode> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut super::Cli::command(), "brevet", &mut out);
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&out)?;
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the manual page, or writes every page into a folder.
///
/// # Errors
/// The folder or stdout cannot be written.
pub fn man(args: &ManArgs) -> anyhow::Result<ExitCode> {
    let cmd = super::Cli::command();
    match &args.out {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            clap_mangen::generate_to(cmd, dir)
                .with_context(|| format!("cannot write the pages into {}", dir.display()))?;
            eprintln!(
                "wrote the manual pages into {} (read one with: man -l {})",
                dir.display(),
                dir.join("brevet.1").display()
            );
        }
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut page)?;
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&page)?;
            stdout.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
