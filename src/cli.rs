//! The command line: one module per subcommand, each with its `Args` and a
//! `run(args) -> Result<ExitCode>`. Only this layer touches the terminal,
//! the clock and the disk.

pub mod atomic;
pub mod check;
pub mod import;
pub mod keygen;
pub mod kiosk;
pub mod results;
pub mod run;
pub mod stats;
pub mod verify;

use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
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
    /// Create an issuer key pair and print its did:key.
    Keygen(keygen::Args),
    /// Verify credentials offline: proof, issuer, dates.
    Verify(verify::Args),
    /// Run a training-room exam station: one learner after another, only
    /// the proctor's PIN leaves.
    Kiosk(kiosk::Args),
    /// Print a room's finished attempts as a table, or as CSV.
    Results(results::Args),
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
        Command::Keygen(args) => keygen::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Kiosk(args) => kiosk::run(&args),
        Command::Results(args) => results::run(&args),
    }
}

/// Whether to colour what goes to stdout: a terminal, and no `NO_COLOR`.
pub fn stdout_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// The data folder (see [`crate::store::DataDir::locate`]).
///
/// # Errors
/// No folder can be chosen (no home folder).
pub fn data_dir(flag: Option<&Path>) -> anyhow::Result<PathBuf> {
    Ok(crate::store::DataDir::locate(flag)?.root().to_path_buf())
}

/// Adds the files `path` names, for commands that take files or folders:
/// `path` itself when it is not a folder (reading it will report a missing
/// file), else every `*.EXTENSION` below it, recursively, in sorted order.
///
/// # Errors
/// A folder that cannot be listed.
pub fn collect_files(path: &Path, extension: &str, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    use anyhow::Context;
    if !path.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .with_context(|| format!("cannot list {}", path.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .with_context(|| format!("cannot list {}", path.display()))?;
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect_files(&entry, extension, out)?;
        } else if entry.extension().is_some_and(|e| e == extension) {
            out.push(entry);
        }
    }
    Ok(())
}
