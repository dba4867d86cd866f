//! `brevet results`: finished attempts (`brevet run` and kiosk alike) from
//! the store, as a table, as CSV for a gradebook or as JSON, filtered by
//! exam, learner, room and dates. A results log written by an earlier
//! version's kiosk (`results.jsonl`) can still be read.

use crate::store::results::{ResultFilter, ResultRow};
use crate::store::{DataDir, sqlite};
use anyhow::Context as _;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// File name of the results log an earlier version's kiosk wrote.
pub const LEGACY_LOG: &str = "results.jsonl";

/// Arguments of `brevet results`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A results log written by an earlier version's kiosk
    /// (`results.jsonl`, or its folder). Without it, the store is read.
    #[arg(value_name = "LOG")]
    pub log: Option<PathBuf>,
    /// The data folder whose store is read (default: $BREVET_DATA, else
    /// the XDG data folder).
    #[arg(long, value_name = "DIR", conflicts_with = "log")]
    pub data: Option<PathBuf>,
    /// Where the store is.
    #[command(flatten)]
    pub store: super::store_at::StoreArgs,
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
    /// Only this room (kiosk attempts).
    #[arg(long, value_name = "ROOM")]
    pub room: Option<String>,
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

/// Whether a line of a legacy log passes `f` (the store filters its own).
pub fn keeps(f: &ResultFilter, r: &ResultRow) -> bool {
    let key = |text: &str| crate::attempt::learner::normalise(text).ok();
    f.exam.as_ref().is_none_or(|e| *e == r.exam_id)
        && f.learner.as_ref().is_none_or(|k| {
            key(&r.learner).as_ref() == Some(k)
                || r.learner_id.as_deref().and_then(key).as_ref() == Some(k)
        })
        && f.room
            .as_ref()
            .is_none_or(|room| r.room.as_ref() == Some(room))
        && f.from.is_none_or(|t| r.ended_at >= t)
        && f.until.is_none_or(|t| r.ended_at < t)
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
pub fn read(path: &Path) -> anyhow::Result<Vec<ResultRow>> {
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

/// `t` as `2027-01-15T08:00:00Z`.
fn utc_seconds(t: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::{Datelike as _, Timelike as _};
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The CSV cells of a row, in [`HEADER`]'s order.
fn fields(r: &ResultRow) -> [std::borrow::Cow<'_, str>; 13] {
    fn text(s: &Option<String>) -> std::borrow::Cow<'_, str> {
        s.as_deref().unwrap_or_default().into()
    }
    [
        text(&r.room),
        r.learner.as_str().into(),
        text(&r.learner_id),
        r.exam_id.as_str().into(),
        r.exam_version.as_str().into(),
        utc_seconds(r.started_at).into(),
        utc_seconds(r.ended_at).into(),
        r.reason.as_str().into(),
        format!("{}", r.score).into(),
        if r.passed { "true" } else { "false" }.into(),
        if r.identity_verified { "true" } else { "false" }.into(),
        text(&r.credential),
        r.journal_head.as_str().into(),
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
pub fn to_csv(results: &[ResultRow]) -> anyhow::Result<String> {
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(Vec::new());
    w.write_record(HEADER)?;
    for r in results {
        for cell in fields(r) {
            w.write_field(defuse(&cell).as_bytes())?;
        }
        w.write_record(None::<&[u8]>)?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// The results as an aligned table (the columns a proctor reads); times
/// in UTC, as in the CSV and the JSON.
pub fn to_table(results: &[ResultRow]) -> String {
    use chrono::{Datelike as _, Timelike as _};
    let head = [
        "learner",
        "exam",
        "start",
        "end",
        "score",
        "result",
        "credential",
    ];
    fn file(r: &ResultRow) -> std::borrow::Cow<'_, str> {
        r.credential
            .as_deref()
            .and_then(|c| Path::new(c).file_name())
            .map_or_else(|| "-".into(), |n| n.to_string_lossy())
    }
    let score = |r: &ResultRow| format!("{} %", r.score);
    // Widths first, from the lengths alone; then each row written once.
    let mut widths = head.map(str::len);
    for r in results {
        let cells = [
            r.learner.chars().count(),
            r.exam_id.chars().count() + 1 + r.exam_version.chars().count(),
            "2027-01-15 08:00".len(),
            "08:10".len(),
            score(r).len(),
            if r.passed { "passed" } else { "not passed" }.len(),
            file(r).chars().count(),
        ];
        for (w, c) in widths.iter_mut().zip(cells) {
            *w = (*w).max(c);
        }
    }
    let mut out = String::with_capacity((results.len() + 2) * (widths.iter().sum::<usize>() + 14));
    let mut line = |cells: [&str; 7]| {
        let mut end = out.len();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i > 0 {
                out.push_str("  ");
            }
            out.push_str(cell);
            if !cell.is_empty() {
                end = out.len();
            }
            let pad = w.saturating_sub(cell.chars().count());
            out.extend(std::iter::repeat_n(' ', pad));
        }
        out.truncate(end);
        out.push('\n');
    };
    line(head);
    for r in results {
        let (s, e) = (r.started_at, r.ended_at);
        let start = format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            s.year(),
            s.month(),
            s.day(),
            s.hour(),
            s.minute()
        );
        let end = format!("{:02}:{:02}", e.hour(), e.minute());
        let exam = format!("{} {}", r.exam_id, r.exam_version);
        line([
            &r.learner,
            &exam,
            &start,
            &end,
            &score(r),
            if r.passed { "passed" } else { "not passed" },
            &file(r),
        ]);
    }
    let passed = results.iter().filter(|r| r.passed).count();
    let _ = writeln!(out, "{} attempts, {passed} passed", results.len());
    out
}

/// Runs `brevet results`.
///
/// # Errors
/// The store or the results log cannot be read.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let filter = ResultFilter {
        exam: args.exam.clone(),
        learner: match &args.learner {
            Some(name) => Some(
                crate::attempt::learner::normalise(name)
                    .with_context(|| format!("--learner {name:?}"))?,
            ),
            None => None,
        },
        from: args.from.map(local_midnight),
        until: args.to.and_then(|d| d.succ_opt()).map(local_midnight),
        room: args.room.clone(),
    };
    let results = match &args.log {
        Some(log) => {
            let path = if log.is_dir() {
                log.join(LEGACY_LOG)
            } else {
                log.clone()
            };
            read(&path)?
                .into_iter()
                .filter(|r| keeps(&filter, r))
                .collect()
        }
        None => {
            let data = DataDir::locate(args.data.as_deref())?;
            if let Some(store) = args.store.open_existing(&data)? {
                store.with(|db| db.results(&filter))?
            } else {
                eprintln!(
                    "brevet: no attempt in {} yet (no {})",
                    data.root().display(),
                    sqlite::FILE
                );
                Vec::new()
            }
        }
    };
    let text = if args.csv {
        to_csv(&results)?
    } else if args.json {
        serde_json::to_string_pretty(&results)? + "\n"
    } else {
        to_table(&results)
    };
    // Read by `head` or a pager that quit early: nothing more to say.
    match std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(learner: &str, passed: bool) -> ResultRow {
        let t = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        ResultRow {
            room: Some("Salle 2".into()),
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
        let kept = |f: &ResultFilter| -> Vec<String> {
            all.iter()
                .filter(|r| keeps(f, r))
                .map(|r| r.learner.clone())
                .collect()
        };
        assert_eq!(kept(&ResultFilter::default()).len(), 2);
        let exam = ResultFilter {
            exam: Some("python".into()),
            ..ResultFilter::default()
        };
        assert_eq!(kept(&exam), ["Alan Turing"]);
        let learner = ResultFilter {
            learner: crate::attempt::learner::normalise("  ada\u{200B} LOVELACE").ok(),
            ..ResultFilter::default()
        };
        assert_eq!(kept(&learner), ["Ada Lovelace"]);
        let day = all[0].ended_at;
        let span = ResultFilter {
            from: Some(day - chrono::TimeDelta::hours(1)),
            until: Some(day + chrono::TimeDelta::days(1)),
            ..ResultFilter::default()
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
