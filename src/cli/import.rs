//! `brevet import gift|aiken FILE -o OUT.toml`: convert a Moodle bank.
//!
//! The conversion itself is pure ([`crate::bank::import`]); this edge reads
//! the file, prints the report to stderr as `FILE:LINE: level: message`,
//! and writes the bank atomically: a temporary file in the same folder,
//! synced, then moved into place, so that OUT is never half-written. OUT
//! is not replaced without `--force`.

use crate::atomic::{WriteOptions, write_file};
use crate::bank::import::{self, Format, Report};
use anyhow::{Context, bail};

use std::io::ErrorKind;
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
        crate::input::read_limited(&args.file, crate::bank::import::MAX_SOURCE_BYTES as u64)?;
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

/// Writes `data` to `path` atomically (see [`super::atomic`]); without
/// `replace`, an existing `path` is never overwritten, even one that
/// appeared while writing.
fn write_atomically(path: &Path, data: &[u8], replace: bool) -> anyhow::Result<()> {
    let options = WriteOptions {
        mode: 0o644,
        overwrite: replace,
    };
    match write_file(path, data, options) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(anyhow::anyhow!(
            "it already exists; pass --force to replace it"
        )),
        Err(e) => Err(e.into()),
    }
    .with_context(|| format!("cannot write {}", path.display()))
}
