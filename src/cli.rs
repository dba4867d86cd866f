//! The command line: one module per subcommand, each with its `Args` and a
//! `run(args) -> Result<ExitCode>`. Only this layer touches the terminal,
//! the clock and the disk.

pub mod check;
pub mod docs;
pub mod import;
pub mod issuer;
pub mod keygen;
pub mod kiosk;
pub mod paper;
pub mod results;
pub mod run;
pub mod secret;
pub mod share;
pub mod stats;
pub mod store;
pub mod store_at;
pub mod trust;
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

/// The subcommands. Each one's help ends with its exit statuses; 2 is
/// also clap's status for a command line it cannot parse.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Take an exam: one learner, one attempt, in the terminal.
    #[command(after_help = run_after_help())]
    Run(run::Args),
    /// Validate exam banks (files or folders) and report every problem.
    #[command(
        after_help = "Exit status: 0 no error (warnings allowed), 1 errors found \
        (or warnings, with --deny-warnings), 2 a path could not be read."
    )]
    Check(check::Args),
    /// Convert a Moodle GIFT or Aiken bank into a brevet bank, reporting
    /// what cannot be converted and where.
    #[command(
        after_help = "Exit status: 0 every question converted, 1 some skipped or \
        changed (each reported on stderr as FILE:LINE), 2 nothing could be read or written."
    )]
    Import(import::Args),
    /// Show each section's pool, draw, chance of appearing, kinds, points
    /// and estimated time, with warnings where a pool is too small.
    #[command(
        after_help = "Exit status: 0 the statistics were printed (warnings are \
        advice), 1 with --deny-warnings when a warning was printed, 2 the bank cannot be \
        read or has errors (see `brevet check`)."
    )]
    Stats(stats::Args),
    /// Create an issuer key pair and print its did:key.
    #[command(
        after_help = "Exit status: 0 the key was written, 2 nothing was written \
        (the reason is on stderr)."
    )]
    Keygen(keygen::Args),
    /// Verify credentials: proof, issuer, dates, status, who vouches;
    /// offline unless --online.
    #[command(
        after_help = "Exit status: 0 every credential is valid, 1 at least one is \
        invalid, 2 a file could not be read or an argument is wrong."
    )]
    Verify(verify::Args),
    /// Publish the issuer's DID document and status lists, rotate its key,
    /// revoke, suspend and reinstate credentials.
    #[command(after_help = "Exit status: 0 done, 1 the change was refused (already \
        revoked, no such entry…), 2 the issuer, its key or the store could not be used.")]
    Issuer(issuer::Args),
    /// Run a training-room exam station: one learner after another, only
    /// the proctor's PIN leaves.
    #[command(
        after_help = "Exit status: 0 the proctor closed the station (or the PIN \
        was set), 2 the station could not start or had to stop (the reason is on stderr; \
        answers are saved)."
    )]
    Kiosk(kiosk::Args),
    /// Print finished attempts (brevet run and kiosk alike) from the store,
    /// as a table, CSV or JSON.
    #[command(
        after_help = "Exit status: 0 the results were printed, 2 they could not be \
        read."
    )]
    Results(results::Args),
    /// Look after the store: check it (hash chains, registry, credentials),
    /// back it up while stations run.
    #[command(
        after_help = "Exit status: 0 the check found no problem (notes allowed) or the \
        backup was written, 1 the check found problems, 2 the store could not be read or \
        the backup could not be written."
    )]
    Store(store::Args),
    /// Print the exact paper an attempt was given, from the bank and a
    /// credential (or a seed), and check the bank is the one it names.
    #[command(
        after_help = "Exit status: 0 the paper was printed (and the credential is \
        valid and names this bank), 1 the credential is invalid or names another bank, \
        2 the bank or the credential cannot be read."
    )]
    Paper(paper::Args),
    /// Make what a learner shares of a credential, after verifying it: its
    /// badge (PNG, SVG) and certificate (PDF), each with the credential
    /// inside, and the LinkedIn link.
    #[command(
        after_help = "Exit status: 0 the files were written (their paths on stdout, then \
        the LinkedIn link), 1 the credential is invalid (why on stderr), 2 it cannot be \
        read or a file cannot be written."
    )]
    Share(share::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = docs::COMPLETIONS_HELP)]
    Completions(docs::CompletionsArgs),
    /// Print the manual page, or write one page per subcommand into a folder.
    #[command(
        after_help = "Exit status: 0 the page was printed or written, 2 it could \
        not be written."
    )]
    Man(docs::ManArgs),
}

/// `brevet run --help` ends with the keys, made from the keymap, and the
/// exit statuses.
fn run_after_help() -> String {
    format!(
        "{}\nExit status: 0 the exam ended (submitted, or left to be resumed later with \
         the same command), 2 it could not start or go on (the reason is on stderr; \
         answers already given are saved).",
        crate::tui::keymap::reference()
    )
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
        Command::Issuer(args) => issuer::run(&args),
        Command::Kiosk(args) => kiosk::run(&args),
        Command::Results(args) => results::run(&args),
        Command::Store(args) => store::run(&args),
        Command::Paper(args) => paper::run(&args),
        Command::Share(args) => share::run(&args),
        Command::Completions(args) => docs::completions(&args),
        Command::Man(args) => docs::man(&args),
    }
}

/// Reads and validates the bank at `path`, for commands that need a valid
/// one; a bank with errors is refused, pointing at `brevet check`.
///
/// # Errors
/// The bank cannot be read or has errors.
pub fn load_valid_bank(path: &Path) -> anyhow::Result<crate::bank::Exam> {
    let bytes = crate::input::read_limited(path, crate::bank::MAX_BANK_BYTES as u64)?;
    let (loaded, _) = crate::bank::load(&bytes);
    match loaded.exam {
        Some(exam) => Ok(exam),
        None => anyhow::bail!(
            "{} has {} error(s); run `brevet check {}` to see them",
            path.display(),
            loaded.errors(),
            path.display()
        ),
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
/// A folder that cannot be listed, or that holds no such file (a command
/// that checked nothing must not say all is well).
pub fn collect_files(path: &Path, extension: &str, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let before = out.len();
    collect_below(path, extension, out)?;
    if path.is_dir() && out.len() == before {
        anyhow::bail!(
            "{} holds no *.{extension} file: name the files, or the folder that holds them",
            path.display()
        );
    }
    Ok(())
}

fn collect_below(path: &Path, extension: &str, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    use anyhow::Context;
    if !path.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    // The entry's type comes with the listing: no `stat` per file (10,000
    // files cost 10,000 system calls otherwise). A link is followed.
    let mut entries: Vec<(PathBuf, bool)> = std::fs::read_dir(path)
        .with_context(|| format!("cannot list {}", path.display()))?
        .map(|e| {
            e.and_then(|e| {
                let kind = e.file_type()?;
                let dir = kind.is_dir() || (kind.is_symlink() && e.path().is_dir());
                Ok((e.path(), dir))
            })
        })
        .collect::<Result<_, _>>()
        .with_context(|| format!("cannot list {}", path.display()))?;
    entries.sort();
    for (entry, dir) in entries {
        if dir {
            collect_below(&entry, extension, out)?;
        } else if entry.extension().is_some_and(|e| e == extension) {
            out.push(entry);
        }
    }
    Ok(())
}
