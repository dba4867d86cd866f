//! `brevet stats EXAM.toml`: pool statistics for authors, as a table.

use crate::bank::{duration, stats};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `brevet stats`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The bank to describe.
    #[arg(value_name = "EXAM.toml")]
    pub bank: PathBuf,
    /// Exit with status 1 when a warning is printed (for CI), as `check
    /// --deny-warnings` does.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Runs `brevet stats`: exit status 0 once the statistics are printed
/// (warnings are advice), 1 with `--deny-warnings` when any was printed.
///
/// # Errors
/// A bank that cannot be read or does not validate (exit status 2).
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let exam = super::load_valid_bank(&args.bank)?;
    let s = stats::stats(&exam);
    print!("{}", table(&exam.meta.id, &exam.meta.title, &s));
    Ok(if args.deny_warnings && !s.warnings.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The statistics as text: a summary line, a table, then the warnings.
pub fn table(id: &str, title: &str, s: &stats::Stats) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{id}: {title}");
    let _ = writeln!(
        out,
        "{} of {} questions drawn; estimated {} for a time limit of {}\n",
        s.drawn,
        s.pool,
        duration::format(s.estimated),
        duration::format(s.time_limit)
    );
    let rows: Vec<[String; 7]> = s
        .sections
        .iter()
        .map(|sec| {
            let kinds: Vec<String> = sec.kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
            let points = if sec.points.0 == sec.points.1 {
                format!("{}", sec.points.0)
            } else {
                format!("{}-{}", sec.points.0, sec.points.1)
            };
            [
                sec.id.clone(),
                sec.pool.to_string(),
                sec.draw.to_string(),
                format!("{:.0}%", sec.chance * 100.0),
                kinds.join(", "),
                points,
                duration::format(sec.estimated),
            ]
        })
        .collect();
    let header = [
        "section", "pool", "draw", "chance", "kinds", "points", "time",
    ];
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut l = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            let pad = w.saturating_sub(cell.chars().count());
            // Text columns align left, numbers right.
            if matches!(i, 0 | 4) {
                let _ = write!(l, "{cell}{}  ", " ".repeat(pad));
            } else {
                let _ = write!(l, "{}{cell}  ", " ".repeat(pad));
            }
        }
        l.trim_end().to_string() + "\n"
    };
    out.push_str(&line(&header.map(String::from)));
    for row in &rows {
        out.push_str(&line(row));
    }
    if !s.warnings.is_empty() {
        out.push('\n');
    }
    for w in &s.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    out
}
