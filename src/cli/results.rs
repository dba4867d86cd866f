//! `brevet results DIR`: the room's finished attempts, as a table, as CSV
//! for a gradebook or as JSON, filtered by exam, learner and dates.

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
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    /// Print JSON (an array, one object per attempt) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Only this exam (its id).
    #[arg(long, value_name = "ID")]
    pub exam: Option<String>,
    /// Only this learner (the name or id, however it is typed: case,
    /// spaces and invisible characters do not matter).
    #[arg(long, value_name = "NAME")]
    pub learner: Option<String>,
    /// Only attempts that ended on or after this day (YYYY-MM-DD, local time).
    #[arg(long, value_name = "DAY", value_parser = parse_day)]
    pub from: Option<chrono::NaiveDate>,
    /// Only attempts that ended on or before this day (YYYY-MM-DD, local time).
    #[arg(long, value_name = "DAY", value_parser = parse_day)]
    pub to: Option<chrono::NaiveDate>,
}

fn parse_day(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a day: write it YYYY-MM-DD"))
}

/// Which results to keep.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// Only this exam.
    pub exam: Option<String>,
    /// Only this learner's key (see [`crate::attempt::learner::normalise`]).
    pub learner_key: Option<String>,
    /// Ended at or after.
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    /// Ended before.
    pub until: Option<chrono::DateTime<chrono::Utc>>,
}

impl Filter {
    /// Whether `r` passes the filter.
    pub fn keeps(&self, r: &ResultLine) -> bool {
        let key = |text: &str| crate::attempt::learner::normalise(text).ok();
        self.exam.as_ref().is_none_or(|e| *e == r.exam_id)
            && self.learner_key.as_ref().is_none_or(|k| {
                key(&r.learner).as_ref() == Some(k)
                    || r.learner_id.as_deref().and_then(key).as_ref() == Some(k)
            })
            && self.from.is_none_or(|t| r.ended_at >= t)
            && self.until.is_none_or(|t| r.ended_at < t)
    }
}

/// The start of `day` in local time, as UTC.
fn local_midnight(day: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone as _;
    let midnight = day.and_time(chrono::NaiveTime::MIN);
    chrono::Local
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&chrono::Utc))
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

/// A cell a spreadsheet could run as a formula (`=`, `+`, `-`, `@`, a tab
/// or a carriage return first) gets a `'` before it (OWASP, "CSV
/// injection").
pub fn defuse(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// The results as CSV: every field quoted, every cell defused.
///
/// # Errors
/// Writing failed (it cannot, into memory).
pub fn to_csv(results: &[ResultLine]) -> anyhow::Result<String> {
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(Vec::new());
    w.write_record(HEADER)?;
    for r in results {
        w.write_record(fields(r).iter().map(|f| defuse(f).into_owned()))?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
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
    let filter = Filter {
        exam: args.exam.clone(),
        learner_key: match &args.learner {
            Some(name) => Some(
                crate::attempt::learner::normalise(name)
                    .with_context(|| format!("--learner {name:?}"))?,
            ),
            None => None,
        },
        from: args.from.map(local_midnight),
        until: args.to.and_then(|d| d.succ_opt()).map(local_midnight),
    };
    let results: Vec<ResultLine> = results.into_iter().filter(|r| filter.keeps(r)).collect();
    if args.csv {
        print!("{}", to_csv(&results)?);
    } else if args.json {
        println!("{}", serde_json::to_string_pretty(&results)?);
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
        for (cell, safe) in [
            ("Ada", "Ada"),
            ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
        ] {
            assert_eq!(defuse(cell), safe);
        }
        let csv = to_csv(&[line("=1+1", true), line("Lovelace, \"Ada\"", false)]).unwrap();
        let mut rows = csv.lines();
        assert_eq!(rows.next().map(|h| h.split(',').count()), Some(13));
        assert!(
            rows.next().is_some_and(|r| r.starts_with(
                "\"Salle 2\",\"'=1+1\",\"\",\"demo\",\"1.0.0\",\"2027-01-15T08:00:00Z\""
            )),
            "{csv}"
        );
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let learners: Vec<String> = reader
            .records()
            .map(|r| r.unwrap()[1].to_string())
            .collect();
        assert_eq!(learners, ["'=1+1", "Lovelace, \"Ada\""]);
    }

    #[test]
    fn filters_keep_an_exam_a_learner_however_typed_and_a_span_of_days() {
        let mut other = line("Alan Turing", false);
        other.exam_id = "python".into();
        other.ended_at += chrono::TimeDelta::days(3);
        let all = [line("Ada Lovelace", true), other];
        let kept = |f: &Filter| -> Vec<String> {
            all.iter()
                .filter(|r| f.keeps(r))
                .map(|r| r.learner.clone())
                .collect()
        };
        assert_eq!(kept(&Filter::default()).len(), 2);
        let exam = Filter {
            exam: Some("python".into()),
            ..Filter::default()
        };
        assert_eq!(kept(&exam), ["Alan Turing"]);
        let learner = Filter {
            learner_key: crate::attempt::learner::normalise("  ada\u{200B} LOVELACE").ok(),
            ..Filter::default()
        };
        assert_eq!(kept(&learner), ["Ada Lovelace"]);
        let day = all[0].ended_at;
        let span = Filter {
            from: Some(day - chrono::TimeDelta::hours(1)),
            until: Some(day + chrono::TimeDelta::days(1)),
            ..Filter::default()
        };
        assert_eq!(kept(&span), ["Ada Lovelace"]);
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
