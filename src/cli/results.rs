//! `brevet results`: finished attempts (`brevet run` and kiosk alike) from
//! the store, as a table, as CSV for a gradebook or as JSON, filtered by
//! exam, learner, room and dates. A results log written by an earlier
//! version's kiosk (`results.jsonl`) can still be read.

use crate::store::StoreError;
use crate::store::results::{Part, ResultFilter, ResultRef, ResultRow};
use crate::store::sqlite::Db;
use crate::store::{DataDir, sqlite};
use anyhow::Context as _;
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

/// How a listing is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An aligned table (the columns a proctor reads).
    Table,
    /// CSV for a gradebook: a header line, every field quoted, every cell
    /// defused.
    Csv,
    /// A JSON array, one object per attempt.
    Json,
}

/// Writes `t` as `2027-01-15T08:00:00Z` (`iso`), or `2027-01-15 08:00`.
fn put_time(out: &mut Vec<u8>, t: chrono::DateTime<chrono::Utc>, iso: bool) {
    use chrono::{Datelike as _, Timelike as _};
    let Ok(year @ 0..=9999) = u32::try_from(t.year()) else {
        let pattern = if iso {
            "%Y-%m-%dT%H:%M:%SZ"
        } else {
            "%Y-%m-%d %H:%M"
        };
        out.extend_from_slice(t.format(pattern).to_string().as_bytes());
        return;
    };
    let two = |out: &mut Vec<u8>, n: u32| {
        // `n` < 100: each digit fits a byte.
        #[allow(clippy::cast_possible_truncation)]
        out.extend_from_slice(&[b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8]);
    };
    two(out, year / 100);
    two(out, year % 100);
    out.push(b'-');
    two(out, t.month());
    out.push(b'-');
    two(out, t.day());
    out.push(if iso { b'T' } else { b' ' });
    two(out, t.hour());
    out.push(b':');
    two(out, t.minute());
    if iso {
        out.push(b':');
        two(out, t.second());
        out.push(b'Z');
    }
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

/// How many columns `cell` takes on a terminal (a character each).
fn width(cell: &[u8]) -> usize {
    if cell.is_ascii() {
        cell.len()
    } else {
        String::from_utf8_lossy(cell).chars().count()
    }
}

/// Writes a flat JSON object as an element of a pretty-printed array, as
/// `serde_json`'s pretty printer does one level in: the braces indented
/// once, the keys twice.
struct Element;

impl serde_json::ser::Formatter for Element {
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b"  {")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b"\n  }")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        w.write_all(if first { b"\n    " } else { b",\n    " })
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
}

/// The table's column heads.
const TABLE: [&str; 7] = [
    "learner",
    "exam",
    "start",
    "end",
    "score",
    "result",
    "credential",
];

/// A listing in the making: rows given in any order are written as they
/// come, each as the text of its line (for the table, of its cells), and
/// put in the order the attempts ended when the listing is finished. No row
/// is kept but as text (BENCHMARKS.md, "`brevet results` over 100,000
/// attempts").
pub struct Listing {
    format: Format,
    /// The CSV records, the table's cells or the JSON objects, one row
    /// after another.
    text: Vec<u8>,
    /// Per row, in the order given: when the attempt ended and where its
    /// text starts.
    rows: Vec<(chrono::DateTime<chrono::Utc>, usize)>,
    /// Table: where each row's cells end in `text`, and their widths,
    /// seven per row.
    cells: Vec<(usize, usize)>,
    /// Table: each column's width.
    widths: [usize; 7],
    passed: usize,
    /// A cell made before it is written.
    scratch: Vec<u8>,
}

impl Listing {
    /// An empty listing.
    pub fn new(format: Format) -> Self {
        Listing {
            format,
            text: Vec::new(),
            rows: Vec::new(),
            cells: Vec::new(),
            widths: TABLE.map(str::len),
            passed: 0,
            scratch: Vec::new(),
        }
    }

    /// Makes room for about `rows` more rows.
    pub fn reserve(&mut self, rows: usize) {
        let line = match self.format {
            Format::Csv => 200,
            Format::Json => 400,
            Format::Table => 100,
        };
        self.text.reserve(rows.saturating_mul(line));
        self.rows.reserve(rows);
        if self.format == Format::Table {
            self.cells.reserve(rows.saturating_mul(7));
        }
    }

    /// Adds a row.
    pub fn push(&mut self, r: &ResultRef<'_>) {
        self.passed += usize::from(r.passed);
        match self.format {
            Format::Csv => {
                self.rows.push((r.ended_at, self.text.len()));
                // Into memory: it cannot fail.
                let written = self.csv_record(r);
                debug_assert!(written.is_ok(), "{written:?}");
            }
            Format::Json => {
                self.rows.push((r.ended_at, self.text.len()));
                let mut json = serde_json::Serializer::with_formatter(&mut self.text, Element);
                // Into memory: it cannot fail.
                let written = serde::Serialize::serialize(r, &mut json);
                debug_assert!(written.is_ok(), "{written:?}");
            }
            Format::Table => {
                self.rows.push((r.ended_at, self.text.len()));
                self.table_cells(r);
            }
        }
    }

    /// One CSV record: every field quoted (by the `csv` crate), a cell a
    /// spreadsheet could run defused.
    fn csv_record(&mut self, r: &ResultRef<'_>) -> csv::Result<()> {
        use std::io::Write as _;
        let mut w = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Always)
            .buffer_capacity(256)
            .from_writer(&mut self.text);
        let mut field = |cell: &str| w.write_field(defuse(cell).as_bytes());
        let flag = |b: bool| if b { "true" } else { "false" };
        field(r.room.unwrap_or_default())?;
        field(r.learner)?;
        field(r.learner_id.unwrap_or_default())?;
        field(r.exam_id)?;
        field(r.exam_version)?;
        for t in [r.started_at, r.ended_at] {
            self.scratch.clear();
            put_time(&mut self.scratch, t, true);
            field(std::str::from_utf8(&self.scratch).unwrap_or_default())?;
        }
        field(r.reason)?;
        self.scratch.clear();
        let _ = write!(self.scratch, "{}", r.score);
        field(std::str::from_utf8(&self.scratch).unwrap_or_default())?;
        field(flag(r.passed))?;
        field(flag(r.identity_verified))?;
        field(r.credential.unwrap_or_default())?;
        field(r.journal_head)?;
        w.write_record(None::<&[u8]>)?;
        w.flush()?;
        Ok(())
    }

    /// The table's seven cells, and the widths they need.
    fn table_cells(&mut self, r: &ResultRef<'_>) {
        use std::io::Write as _;
        let text = &mut self.text;
        let mut from = text.len();
        let mut done = |text: &mut Vec<u8>, column: usize| {
            let width = width(&text[from..]);
            self.widths[column] = self.widths[column].max(width);
            self.cells.push((text.len(), width));
            from = text.len();
        };
        text.extend_from_slice(r.learner.as_bytes());
        done(text, 0);
        let _ = write!(text, "{} {}", r.exam_id, r.exam_version);
        done(text, 1);
        put_time(text, r.started_at, false);
        done(text, 2);
        // The end's time of day only.
        let day = text.len();
        put_time(text, r.ended_at, false);
        text.drain(day..text.len() - "08:00".len());
        done(text, 3);
        let _ = write!(text, "{} %", r.score);
        done(text, 4);
        text.extend_from_slice(if r.passed { b"passed" } else { b"not passed" });
        done(text, 5);
        let file = r
            .credential
            .and_then(|c| Path::new(c).file_name())
            .map_or_else(|| "-".into(), |n| n.to_string_lossy());
        text.extend_from_slice(file.as_bytes());
        done(text, 6);
    }

    /// Adds the rows of `other` (a listing of the same format) after its
    /// own.
    pub fn append(&mut self, other: Listing) {
        let shift = self.text.len();
        self.text.extend_from_slice(&other.text);
        self.rows
            .extend(other.rows.into_iter().map(|(t, at)| (t, at + shift)));
        self.cells
            .extend(other.cells.into_iter().map(|(end, w)| (end + shift, w)));
        for (w, o) in self.widths.iter_mut().zip(other.widths) {
            *w = (*w).max(o);
        }
        self.passed += other.passed;
    }

    /// Writes the listing, its rows in the order the attempts ended (equal
    /// times in the order given).
    ///
    /// # Errors
    /// Writing failed.
    pub fn finish(self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let text = &self.text;
        let rows = &self.rows;
        // Row `i`'s text: from its start to the next row's.
        let row = |i: usize| &text[rows[i].1..rows.get(i + 1).map_or(text.len(), |r| r.1)];
        let mut order: Vec<usize> = (0..rows.len()).collect();
        if !rows.windows(2).all(|w| w[0].0 <= w[1].0) {
            order.sort_by_key(|&i| rows[i].0);
        }
        match self.format {
            Format::Csv => {
                let mut header = csv::WriterBuilder::new()
                    .quote_style(csv::QuoteStyle::Always)
                    .from_writer(Vec::new());
                header.write_record(HEADER)?;
                out.write_all(&header.into_inner().map_err(|e| e.into_error())?)?;
                for i in order {
                    out.write_all(row(i))?;
                }
            }
            Format::Json if rows.is_empty() => out.write_all(b"[]\n")?,
            Format::Json => {
                out.write_all(b"[\n")?;
                for (k, i) in order.into_iter().enumerate() {
                    if k > 0 {
                        out.write_all(b",\n")?;
                    }
                    out.write_all(row(i))?;
                }
                out.write_all(b"\n]\n")?;
            }
            Format::Table => {
                let mut line = Vec::with_capacity(256);
                let mut write_line = |out: &mut dyn std::io::Write, cells: [(&[u8], usize); 7]| {
                    line.clear();
                    let mut end = 0;
                    for (i, ((cell, has), width)) in cells.iter().zip(self.widths).enumerate() {
                        if i > 0 {
                            line.extend_from_slice(b"  ");
                        }
                        line.extend_from_slice(cell);
                        if !cell.is_empty() {
                            end = line.len();
                        }
                        line.resize(line.len() + width.saturating_sub(*has), b' ');
                    }
                    line.truncate(end);
                    line.push(b'\n');
                    out.write_all(&line)
                };
                write_line(out, TABLE.map(|head| (head.as_bytes(), head.len())))?;
                for i in order {
                    let ends = &self.cells[i * 7..i * 7 + 7];
                    let mut from = rows[i].1;
                    let cells: [(&[u8], usize); 7] = std::array::from_fn(|c| {
                        let (end, width) = ends[c];
                        let cell = &text[from..end];
                        from = end;
                        (cell, width)
                    });
                    write_line(out, cells)?;
                }
                let attempts = if rows.len() == 1 {
                    "attempt"
                } else {
                    "attempts"
                };
                writeln!(out, "{} {attempts}, {} passed", rows.len(), self.passed)?;
            }
        }
        Ok(())
    }
}

/// The results as CSV: every field quoted, every cell defused.
///
/// # Errors
/// Writing failed (it cannot, into memory).
pub fn to_csv(results: &[ResultRow]) -> anyhow::Result<String> {
    listed(results, Format::Csv)
}

/// The results as an aligned table; times in UTC, as in the CSV and the
/// JSON.
pub fn to_table(results: &[ResultRow]) -> String {
    listed(results, Format::Table).unwrap_or_default()
}

fn listed(results: &[ResultRow], format: Format) -> anyhow::Result<String> {
    let mut listing = Listing::new(format);
    for r in results {
        listing.push(&r.borrowed());
    }
    let mut out = Vec::new();
    listing.finish(&mut out)?;
    Ok(String::from_utf8(out)?)
}

/// Below this many results, a listing is read by one thread.
const ROWS_PER_THREAD: i64 = 10_000;

/// Adds the results that pass `filter` to `listing`: every result, when
/// there are more than `rows`, is read in two parts, on two threads with a
/// connection each (a core reads the rows of a part and writes them out).
/// A filtered listing is read by the indexes of its filters, on one.
fn list(
    db: &mut Db,
    filter: &ResultFilter,
    listing: &mut Listing,
    rows: i64,
) -> Result<(), StoreError> {
    let parts = if filter.is_everything() {
        db.result_parts(2, rows)?
    } else {
        vec![Part::All]
    };
    // A second connection only for two parts; without one, one thread.
    let other = match parts.as_slice() {
        &[first, second] => db.reader().ok().flatten().map(|db| (first, second, db)),
        _ => None,
    };
    let Some((first, second, mut other)) = other else {
        return db.each_result(filter, Part::All, &mut |r| listing.push(r));
    };
    let mut rest = Listing::new(listing.format);
    for (l, part) in [(&mut *listing, first), (&mut rest, second)] {
        if let Part::Rows { first, last } = part {
            l.reserve(usize::try_from(last - first + 1).unwrap_or(0));
        }
    }
    std::thread::scope(|s| {
        let rest = &mut rest;
        let read = s.spawn(move || other.each_result(filter, second, &mut |r| rest.push(r)));
        let mine = db.each_result(filter, first, &mut |r| listing.push(r));
        let theirs = read.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        mine.and(theirs)
    })?;
    listing.append(rest);
    Ok(())
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
    let mut listing = Listing::new(if args.csv {
        Format::Csv
    } else if args.json {
        Format::Json
    } else {
        Format::Table
    });
    match &args.log {
        Some(log) => {
            let path = if log.is_dir() {
                log.join(LEGACY_LOG)
            } else {
                log.clone()
            };
            for r in read(&path)?.iter().filter(|r| keeps(&filter, r)) {
                listing.push(&r.borrowed());
            }
        }
        None => {
            let data = DataDir::locate(args.data.as_deref())?;
            if let Some(store) = args.store.open_to_read(&data)? {
                store.with(|db| {
                    list(db, &filter, &mut listing, ROWS_PER_THREAD)?;
                    db.unchanged()
                })?;
            } else {
                eprintln!(
                    "brevet: no attempt in {} yet (no {})",
                    data.root().display(),
                    sqlite::FILE
                );
            }
        }
    }
    // Read by `head` or a pager that quit early: nothing more to say.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match listing
        .finish(&mut out)
        .and_then(|()| std::io::Write::flush(&mut out))
    {
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
    fn a_listing_puts_rows_in_the_order_they_ended_equal_times_as_given() {
        let mut late = line("Late", true);
        late.ended_at += chrono::TimeDelta::hours(1);
        let given = [late, line("First", false), line("Second", true)];
        let mut sorted = given.clone();
        sorted.sort_by_key(|r| r.ended_at);
        let names = |text: &str| -> Vec<usize> {
            ["Late", "First", "Second"]
                .iter()
                .map(|n| text.find(n).unwrap())
                .collect()
        };
        for text in [to_csv(&given).unwrap(), to_table(&given)] {
            let at = names(&text);
            assert!(at[1] < at[2] && at[2] < at[0], "{text}");
        }
        let json = listed(&given, Format::Json).unwrap();
        assert_eq!(json, serde_json::to_string_pretty(&sorted).unwrap() + "\n");
        assert_eq!(listed(&[], Format::Json).unwrap(), "[]\n");
        let table = to_table(&given);
        assert!(table.ends_with("3 attempts, 2 passed\n"), "{table}");
    }

    #[test]
    fn two_threads_list_what_one_lists() {
        use crate::store::testing::{demo, take};
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join(sqlite::FILE), "0", 0).unwrap();
        let exam = demo();
        // Ended in another order than recorded (a proctor's clock, say),
        // two at the same time, one in each part; names of other widths.
        for (i, at) in [50, 10, 30, 30, 20, 40].into_iter().enumerate() {
            let name = format!("Learner {i}{}", "ø".repeat(i));
            take(&mut db, &exam, &format!("a{i}"), &name, at, &[]);
        }
        assert_eq!(db.result_parts(2, 1).unwrap().len(), 2);
        assert_eq!(db.result_parts(2, 10_000).unwrap(), [Part::All]);
        for format in [Format::Csv, Format::Table, Format::Json] {
            let mut text = Vec::new();
            for rows in [1, i64::MAX] {
                let mut listing = Listing::new(format);
                list(&mut db, &ResultFilter::default(), &mut listing, rows).unwrap();
                let mut out = Vec::new();
                listing.finish(&mut out).unwrap();
                text.push(String::from_utf8(out).unwrap());
            }
            assert_eq!(text[0], text[1], "{format:?}");
            let order: Vec<usize> = (0..6)
                .map(|i| text[0].find(&format!("Learner {i}")).unwrap())
                .collect();
            // 10, 20, 30 (recorded third, first part), 30 (recorded
            // fourth, second part), 40, 50.
            assert!(
                order[1] < order[4]
                    && order[4] < order[2]
                    && order[2] < order[3]
                    && order[3] < order[5]
                    && order[5] < order[0],
                "{format:?}: {}",
                text[0]
            );
        }
    }

    #[test]
    fn the_table_lists_every_attempt_and_counts_passes() {
        let t = to_table(&[line("Ada Lovelace", true), line("Alan Turing", false)]);
        assert!(t.contains("Ada Lovelace  demo 1.0.0"), "{t}");
        assert!(t.contains("demo_ada.json"), "{t}");
        assert!(t.contains("not passed"), "{t}");
        assert!(t.ends_with("2 attempts, 1 passed\n"), "{t}");
        // Columns line up by characters, not bytes.
        let t = to_table(&[line("Łukasz Dvořák", true), line("Ada Lovelace", false)]);
        let exam_at: Vec<usize> = t
            .lines()
            .skip(1)
            .take(2)
            .map(|l| l[..l.find("demo").unwrap()].chars().count())
            .collect();
        assert_eq!(exam_at[0], exam_at[1], "{t}");
    }
}
