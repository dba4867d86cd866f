//! `brevet store check|backup`: looking after the data folder's store.

use crate::store::maintenance::{Checked, Finding, Severity};
use crate::store::{DataDir, sqlite};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `brevet store`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub action: Action,
    /// The data folder whose store is meant (default: $BREVET_DATA, else
    /// the XDG data folder).
    #[arg(long, value_name = "DIR", global = true)]
    pub data: Option<PathBuf>,
    /// Where the store is.
    #[command(flatten)]
    pub store: super::store_at::StoreArgs,
}

/// What to do with the store.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Check the store: the database file, each attempt's hash chain, the
    /// registry against the journals, the credentials against their hashes.
    Check {
        /// Print the findings as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Copy the store, consistent as of one moment, to a new file, while
    /// stations go on writing (restore: put the copy in place of brevet.db
    /// while no brevet runs).
    Backup {
        /// The new file.
        #[arg(value_name = "FILE")]
        to: PathBuf,
    },
}

/// Runs `brevet store`.
///
/// # Errors
/// The store cannot be opened or read, or the backup cannot be written.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let data = DataDir::locate(args.data.as_deref())?;
    let Some(store) = args.store.open_to_read(&data)? else {
        anyhow::bail!(
            "{}: no store here yet (it is made by the first `brevet run` or `brevet kiosk`)",
            data.root().join(sqlite::FILE).display()
        );
    };
    let file = store.path().to_path_buf();
    match &args.action {
        Action::Check { json } => {
            let mut findings = Vec::new();
            let checked = store.with(|db| {
                let checked = db.check(&mut |f| findings.push(f))?;
                db.unchanged().map(|()| checked)
            })?;
            if *json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "store": file.display().to_string(),
                        "checked": checked,
                        "findings": findings,
                    }))?
                );
            } else {
                print!("{}", report(&file, &checked, &findings));
            }
            let errors = findings.iter().any(|f| f.severity == Severity::Error);
            Ok(if errors {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Action::Backup { to } => {
            store.with(|db| {
                db.backup(to)?;
                // A copy of a file that changed under it is not a backup.
                db.unchanged().inspect_err(|_| {
                    let _ = std::fs::remove_file(to);
                })
            })?;
            println!("{} copied to {}", file.display(), to.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The findings as lines a person reads, then a summary.
fn report(file: &std::path::Path, checked: &Checked, findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Note => "note",
        };
        match &f.subject {
            Some(s) => out.push_str(&format!("{level}: {s}: {}\n", f.what)),
            None => out.push_str(&format!("{level}: {}\n", f.what)),
        }
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    out.push_str(&format!(
        "{}: {} attempts, {} journal records, {} credentials checked; {}\n",
        file.display(),
        checked.attempts,
        checked.records,
        checked.credentials,
        match errors {
            0 => "no problem found".to_owned(),
            1 => "1 problem found".to_owned(),
            n => format!("{n} problems found"),
        }
    ));
    out
}
