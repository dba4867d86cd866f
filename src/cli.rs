//! The command line: one module per subcommand, each with its `Args` and a
//! `run(args) -> Result<ExitCode>`. Only this layer touches the terminal,
//! the clock and the disk.

pub mod check;
pub mod import;
pub mod run;
pub mod stats;

use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::process::ExitCode;

/// Proctored, timed exams in the terminal, and signed micro-credentials.
#[derive(Debug, Parser)]
#[command(name = "brevet", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Take an exam: one learner, one attempt, in the terminal.
    Run(run::Args),
    /// Validate exam banks (files or folders) and report every problem.
    Check(check::Args),
    /// Convert a Moodle GIFT or Aiken bank into a brevet bank, reporting
    /// what cannot be converted and where.
    Import(import::Args),
    /// Show each section's pool, draw, chance of appearing, kinds, points
    /// and estimated time, with warnings where a pool is too small.
    Stats(stats::Args),
}

/// Runs the parsed command line.
///
/// # Errors
/// Whatever prevented the command from running at all (exit status 2).
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Run(args) => run::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Stats(args) => stats::run(&args),
    }
}

/// Whether to colour what goes to stdout: a terminal, and no `NO_COLOR`.
pub fn stdout_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}
