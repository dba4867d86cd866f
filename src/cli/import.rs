//! `brevet import gift|aiken FILE -o OUT.toml`: convert a Moodle bank.
//!
//! The conversion itself is pure ([`crate::bank::import`]); this edge reads
//! the file, prints the report to stderr as `FILE:LINE: level: message`,
//! and writes the bank atomically: a temporary file in the same folder,
//! synced, then moved into place, so that OUT is never half-written. OUT
//! is not replaced without `--force`.

use crate::bank::import::{self, Format, Report};
use anyhow::{Context, bail};
use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `brevet import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The format of FILE.
    #[arg(value_enum)]
    pub format: SourceFormat,
    /// The GIFT or Aiken file to convert.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Where to write the brevet bank.
    #[arg(short, long, value_name = "OUT.toml")]
    pub output: PathBuf,
    /// Replace OUT.toml when it exists.
    #[arg(long)]
    pub force: bool,
}

/// The formats `brevet import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SourceFormat {
    /// Moodle's GIFT format.
    Gift,
    /// The Aiken format.
    Aiken,
}

impl From<SourceFormat> for Format {
    fn from(f: SourceFormat) -> Self {
        match f {
            SourceFormat::Gift => Self::Gift,
            SourceFormat::Aiken => Self::Aiken,
        }
    }
}

/// Runs `brevet import`: exit status 0 when everything was converted, 1
/// when something was skipped or changed (all reported).
///
/// # Errors
/// Nothing could be read or written (exit status 2): FILE unreadable, not
/// UTF-8 or without any convertible question, OUT already there without
/// `--force`, or OUT not writable.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    if !args.force && args.output.exists() {
        bail!(
            "{} already exists; pass --force to replace it",
            args.output.display()
        );
    }
    let bytes =
        fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let shown = args.file.display().to_string();
    let name = args
        .file
        .file_name()
        .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
    let imported = match import::import(args.format.into(), &bytes, &name) {
        Ok(imported) => imported,
        Err(e) => {
            eprint!("{}", report_text(&shown, e.report()));
            return Err(e).with_context(|| format!("cannot import {shown}"));
        }
    };
    eprint!("{}", report_text(&shown, &imported.report));
    write_atomically(&args.output, imported.toml.as_bytes(), args.force)?;
    let skipped = imported.skipped();
    println!(
        "wrote {}: {} {} in {} {}; {skipped} skipped{}",
        args.output.display(),
        imported.converted,
        if imported.converted == 1 {
            "question"
        } else {
            "questions"
        },
        imported.sections,
        if imported.sections == 1 {
            "section"
        } else {
            "sections"
        },
        if imported.report.is_empty() {
            String::new()
        } else {
            "; see the report above".into()
        },
    );
    Ok(if imported.is_complete() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The report as `FILE:LINE: level: message` lines.
pub fn report_text(file: &str, report: &[Report]) -> String {
    let mut out = String::new();
    for r in report {
        if r.line == 0 {
            out.push_str(&format!("{file}: {r}\n"));
        } else {
            out.push_str(&format!("{file}:{}: {r}\n", r.line));
        }
    }
    out
}

/// Writes `data` to `path` through a synced temporary file in the same
/// folder, so that `path` holds either its old content or the new one.
/// Without `replace`, an existing `path` is never overwritten, even one
/// that appeared while writing.
fn write_atomically(path: &Path, data: &[u8], replace: bool) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let file_name = path
        .file_name()
        .with_context(|| format!("{} is not a file path", path.display()))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    let result = place(&tmp, path, data, replace);
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot write {}", path.display()))?;
    // Make the rename itself durable (best effort: not every platform can
    // open a folder).
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn place(tmp: &Path, path: &Path, data: &[u8], replace: bool) -> anyhow::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(tmp)?;
    file.write_all(data)?;
    file.sync_all()?;
    drop(file);
    if replace {
        fs::rename(tmp, path)?;
        return Ok(());
    }
    // A hard link fails when `path` exists, which a rename would not.
    match fs::hard_link(tmp, path) {
        Ok(()) => fs::remove_file(tmp)?,
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            bail!("it already exists; pass --force to replace it")
        }
        Err(_) if path.exists() => bail!("it already exists; pass --force to replace it"),
        Err(_) => fs::rename(tmp, path)?,
    }
    Ok(())
}
