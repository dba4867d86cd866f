//! `brevet results DIR`: the room's finished attempts, as a table or as CSV
//! for a gradebook.

use crate::kiosk::log::{RESULTS_FILE, ResultLine};
use anyhow::Context as _;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `brevet results`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The kiosk's results folder (or its results.jsonl file).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Print CSV (a header line, then one line per attempt) instead of a table.
    #[arg(long)]
    pub csv: bool,
}

/// Reads a results log; a damaged line is an error naming its line number.
///
/// # Errors
/// The file cannot be read, or a line is not a result.
pub fn read(path: &Path) -> anyhow::Result<Vec<ResultLine>> {
    // 256 MiB: about 800,000 finished attempts.
    let text = crate::input::read_text(path, 256 * 1024 * 1024)?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l)
                .with_context(|| format!("{}:{}: not a result line", path.display(), i + 1))
        })
        .collect()
}

const HEADER: [&str; 13] = [
    "room",
    "learner",
    "learner_id",
    "exam_id",
    "exam_version",
    "started_at",
    "ended_at",
    "reason",
    "score",
    "passed",
    "identity_verified",
    "credential",
    "journal_head",
];

fn fields(r: &ResultLine) -> [String; 13] {
    let time =
        |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    [
        r.room.clone(),
        r.learner.clone(),
        r.learner_id.clone().unwrap_or_default(),
        r.exam_id.clone(),
        r.exam_version.clone(),
        time(r.started_at),
        time(r.ended_at),
        r.reason.clone(),
        format!("{}", r.score),
        r.passed.to_string(),
        r.identity_verified.to_string(),
        r.credential.clone().unwrap_or_default(),
        r.journal_head.clone(),
    ]
}

/// One CSV field: quoted when needed; a leading `=`, `+`, `-` or `@` is
/// prefixed with `'` so that a spreadsheet never runs a learner's name as a
/// formula.
pub fn csv_field(text: &str) -> String {
    let safe = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}

/// The results as CSV.
pub fn to_csv(results: &[ResultLine]) -> String {
    let mut out = HEADER.join(",");
    out.push('\n');
    for r in results {
        let line: Vec<String> = fields(r).iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

/// The results as an aligned table (the columns a proctor reads).
pub fn to_table(results: &[ResultLine]) -> String {
    let rows: Vec<[String; 7]> = results
        .iter()
        .map(|r| {
            [
                r.learner.clone(),
                format!("{} {}", r.exam_id, r.exam_version),
                r.started_at.format("%Y-%m-%d %H:%M").to_string(),
                r.ended_at.format("%H:%M").to_string(),
                format!("{} %", r.score),
                if r.passed { "passed" } else { "not passed" }.to_string(),
                r.credential
                    .as_deref()
                    .and_then(|c| Path::new(c).file_name())
                    .map_or_else(|| "-".to_string(), |n| n.to_string_lossy().into_owned()),
            ]
        })
        .collect();
    let head = [
        "learner",
        "exam",
        "start",
        "end",
        "score",
        "result",
        "credential",
    ];
    let mut widths = head.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[&str]| {
        let text: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        let _ = writeln!(out, "{}", text.join("  ").trim_end());
    };
    line(&head);
    for row in &rows {
        line(&row.iter().map(String::as_str).collect::<Vec<_>>());
    }
    let passed = results.iter().filter(|r| r.passed).count();
    let _ = writeln!(out, "{} attempts, {passed} passed", results.len());
    out
}

/// Runs `brevet results`.
///
/// # Errors
/// The results log cannot be read.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let path = if args.dir.is_dir() {
        args.dir.join(RESULTS_FILE)
    } else {
        args.dir.clone()
    };
    // A station's results folder before its first finished attempt.
    let results = if args.dir.is_dir() && !path.exists() {
        eprintln!("brevet: no finished attempt in {} yet", args.dir.display());
        Vec::new()
    } else {
        read(&path)?
    };
    if args.csv {
        print!("{}", to_csv(&results));
    } else {
        print!("{}", to_table(&results));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(learner: &str, passed: bool) -> ResultLine {
        let t = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        ResultLine {
            room: "Salle 2".into(),
            learner: learner.into(),
            learner_id: None,
            exam_id: "demo".into(),
            exam_version: "1.0.0".into(),
            started_at: t,
            ended_at: t + chrono::TimeDelta::minutes(12),
            reason: "learner".into(),
            score: 83.33,
            passed,
            identity_verified: false,
            credential: passed.then(|| "/x/demo_ada.json".into()),
            journal_head: "ab".into(),
        }
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_field("Ada"), "Ada");
        assert_eq!(csv_field("Lovelace, Ada"), "\"Lovelace, Ada\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        let csv = to_csv(&[line("=1+1", true)]);
        let mut rows = csv.lines();
        assert_eq!(rows.next().map(|h| h.split(',').count()), Some(13));
        assert!(
            rows.next()
                .is_some_and(|r| r.starts_with("Salle 2,'=1+1,,demo,1.0.0,2027-01-15T08:00:00Z")),
            "{csv}"
        );
    }

    #[test]
    fn the_table_lists_every_attempt_and_counts_passes() {
        let t = to_table(&[line("Ada Lovelace", true), line("Alan Turing", false)]);
        assert!(t.contains("Ada Lovelace  demo 1.0.0"), "{t}");
        assert!(t.contains("demo_ada.json"), "{t}");
        assert!(t.contains("not passed"), "{t}");
        assert!(t.ends_with("2 attempts, 1 passed\n"), "{t}");
    }
}
