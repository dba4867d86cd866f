//! Results in the store: the score of each handed-in attempt (overall, per
//! section, per question), written in the transaction that records the
//! hand-in, so that an attempt is never submitted without its result; and
//! the listing `brevet results` prints, for `brevet run` and the kiosk alike.

use super::StoreError;
use super::db::Db;
use super::sql::{Engine, SqlError, Value, params};
use crate::attempt::Attempt;
use crate::bank::Exam;
use crate::scoring::Outcome;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One handed-in attempt, as `brevet results` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultRow {
    /// The room (kiosk attempts only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room: Option<String>,
    /// The learner's name.
    pub learner: String,
    /// The learner's id, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learner_id: Option<String>,
    /// The exam's id.
    pub exam_id: String,
    /// The bank's version.
    pub exam_version: String,
    /// When the clock started.
    pub started_at: DateTime<Utc>,
    /// When it was submitted.
    pub ended_at: DateTime<Utc>,
    /// Why it ended (`learner`, `time_up`, `proctor`).
    pub reason: String,
    /// Overall score in percent (two decimals).
    pub score: f64,
    /// Whether the exam was passed.
    pub passed: bool,
    /// Whether a proctor confirmed the learner's identity.
    pub identity_verified: bool,
    /// The credential file, when one was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
    /// Hash of the journal record the result was scored from.
    pub journal_head: String,
}

/// A handed-in attempt as [`Db::each_result`] reads it, borrowed from the
/// store's row: for a listing that writes each row as it comes, without a
/// copy of its text. Serialised as [`ResultRow`] is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[allow(missing_docs)] // the fields of `ResultRow`, borrowed
pub struct ResultRef<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room: Option<&'a str>,
    pub learner: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub learner_id: Option<&'a str>,
    pub exam_id: &'a str,
    pub exam_version: &'a str,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    pub reason: &'a str,
    pub score: f64,
    pub passed: bool,
    pub identity_verified: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential: Option<&'a str>,
    pub journal_head: &'a str,
}

impl ResultRow {
    /// The row, borrowed.
    pub fn borrowed(&self) -> ResultRef<'_> {
        ResultRef {
            room: self.room.as_deref(),
            learner: &self.learner,
            learner_id: self.learner_id.as_deref(),
            exam_id: &self.exam_id,
            exam_version: &self.exam_version,
            started_at: self.started_at,
            ended_at: self.ended_at,
            reason: &self.reason,
            score: self.score,
            passed: self.passed,
            identity_verified: self.identity_verified,
            credential: self.credential.as_deref(),
            journal_head: &self.journal_head,
        }
    }
}

impl ResultRef<'_> {
    /// The row, owned.
    pub fn to_row(&self) -> ResultRow {
        ResultRow {
            room: self.room.map(str::to_owned),
            learner: self.learner.to_owned(),
            learner_id: self.learner_id.map(str::to_owned),
            exam_id: self.exam_id.to_owned(),
            exam_version: self.exam_version.to_owned(),
            started_at: self.started_at,
            ended_at: self.ended_at,
            reason: self.reason.to_owned(),
            score: self.score,
            passed: self.passed,
            identity_verified: self.identity_verified,
            credential: self.credential.map(str::to_owned),
            journal_head: self.journal_head.to_owned(),
        }
    }
}

/// A part of the results, for readers on several threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// All of them.
    All,
    /// On the embedded store, the rows numbered `first` to `last`.
    Rows {
        /// The first row's number.
        first: i64,
        /// The last row's number.
        last: i64,
    },
}

/// Which results to list.
#[derive(Debug, Default, Clone)]
pub struct ResultFilter {
    /// Only this exam.
    pub exam: Option<String>,
    /// Only this learner: [`crate::attempt::learner::normalise`] of the name
    /// or id as typed; it matches attempts counted by name or by id.
    pub learner: Option<String>,
    /// Ended at or after.
    pub from: Option<DateTime<Utc>>,
    /// Ended before.
    pub until: Option<DateTime<Utc>>,
    /// Only this room.
    pub room: Option<String>,
}

impl ResultFilter {
    /// Whether it lets every result through.
    pub fn is_everything(&self) -> bool {
        self.exam.is_none()
            && self.learner.is_none()
            && self.from.is_none()
            && self.until.is_none()
            && self.room.is_none()
    }
}

fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

/// Records the result of `attempt_id` (already handed in) in the caller's
/// transaction: overall, per section and per question. A result already
/// there is kept.
pub(super) fn insert_result(
    e: &mut Engine,
    attempt_id: &str,
    exam: &Exam,
    attempt: &Attempt,
    outcome: &Outcome,
    journal_head: &str,
) -> Result<(), SqlError> {
    let (ended, reason) = match attempt.status() {
        crate::attempt::Status::Submitted { at, reason } => (at, reason),
        crate::attempt::Status::InProgress => return Ok(()),
    };
    let reason = serde_json::to_value(reason)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let header = attempt.header();
    let sections = serde_json::to_string(&outcome.sections).unwrap_or_else(|_| "[]".into());
    let added = e.execute(
        "INSERT INTO results (attempt_id, exam_id, exam_version, learner_key, learner_name,
           learner_id, room, started_us, ended_us, submit_reason, identity_verified, percent,
           earned_points, max_points, threshold, passed, sections, scored_with, journal_head)
         SELECT attempt_id, exam_id, ?2, learner_key, ?3, ?4, room, CAST(?5 AS BIGINT),
           CAST(?6 AS BIGINT), ?7, CAST(?8 AS INTEGER), CAST(?9 AS DOUBLE PRECISION),
           CAST(?10 AS DOUBLE PRECISION), CAST(?11 AS DOUBLE PRECISION),
           CAST(?12 AS DOUBLE PRECISION), CAST(?13 AS INTEGER), ?14, bank_hash, ?15
         FROM attempts WHERE attempt_id = ?1
         ON CONFLICT (attempt_id) DO NOTHING",
        params![
            attempt_id,
            &header.exam_version,
            &header.learner.name,
            header.learner.id.as_deref(),
            micros(header.started_at),
            micros(ended),
            reason,
            header.options.identity_verified,
            outcome.percent,
            outcome.earned,
            outcome.max,
            outcome.threshold,
            outcome.passed,
            sections,
            journal_head,
        ],
    )?;
    if added == 0 {
        return Ok(());
    }
    for score in &outcome.items {
        let Some(question) = exam.questions.get(score.question) else {
            continue;
        };
        let section = exam
            .sections
            .get(question.section)
            .map_or("", |s| s.id.as_str());
        let response = attempt
            .responses()
            .get(score.item)
            .and_then(Option::as_ref)
            .and_then(|r| serde_json::to_string(r).ok());
        e.execute(
            "INSERT INTO item_results (attempt_id, position, question_id, section_id, response,
               earned_points, max_points) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                attempt_id,
                i64::try_from(score.item).unwrap_or(i64::MAX),
                &question.id,
                section,
                response,
                score.earned,
                score.max,
            ],
        )?;
    }
    Ok(())
}

impl Db {
    /// Records the result of a handed-in attempt that has none (one
    /// imported from an earlier version, scored once its bank is at hand).
    ///
    /// # Errors
    /// The store failed.
    pub fn record_result(
        &mut self,
        attempt_id: &str,
        exam: &Exam,
        attempt: &Attempt,
        outcome: &Outcome,
        journal_head: &str,
    ) -> Result<(), StoreError> {
        let fail = self.fail();
        self.engine()
            .transaction(|e| insert_result(e, attempt_id, exam, attempt, outcome, journal_head))
            .map_err(fail)
    }

    /// The handed-in attempts drawn from the bank `bank_hash` that have no
    /// result yet: imported ones (a live attempt gets its result with its
    /// hand-in).
    ///
    /// # Errors
    /// The store failed.
    pub fn unscored(&mut self, bank_hash: &str) -> Result<Vec<String>, StoreError> {
        let fail = self.fail();
        self.engine()
            .rows(
                "SELECT a.attempt_id FROM attempts a
                 WHERE a.origin = 'imported' AND a.bank_hash = ?1 AND a.state = 'submitted'
                   AND NOT EXISTS (SELECT 1 FROM results r WHERE r.attempt_id = a.attempt_id)
                 ORDER BY a.started_us",
                params![bank_hash],
                |r| r.text(0),
            )
            .map_err(fail)
    }

    /// The results that pass `f`, in the order the attempts ended.
    ///
    /// # Errors
    /// The store failed.
    pub fn results(&mut self, f: &ResultFilter) -> Result<Vec<ResultRow>, StoreError> {
        let mut rows = Vec::new();
        self.each_result(f, Part::All, &mut |r| rows.push(r.to_row()))?;
        // Stable: equal times stay in the order recorded.
        rows.sort_by_key(|r| r.ended_at);
        Ok(rows)
    }

    /// Splits the results into at most `n` parts of about as many rows each,
    /// and at least `rows` rows each, for `n` threads to read, each on its
    /// own connection ([`Db::reader`]). One part, [`Part::All`], on a server
    /// or when there are too few results for threads to be worth it.
    ///
    /// # Errors
    /// The store failed.
    pub fn result_parts(&mut self, n: usize, rows: i64) -> Result<Vec<Part>, StoreError> {
        if self.on_server() || n < 2 {
            return Ok(vec![Part::All]);
        }
        let fail = self.fail();
        // Row numbers as SQLite gives them: one more than the largest, so
        // nearly without gaps (none are deleted).
        let span = self
            .engine()
            .row("SELECT MIN(rowid), MAX(rowid) FROM results", &[], |r| {
                Ok((r.opt_int(0)?, r.opt_int(1)?))
            })
            .map_err(fail)?;
        let Some((Some(first), Some(last))) = span else {
            return Ok(vec![Part::All]);
        };
        let n = i64::try_from(n).unwrap_or(i64::MAX);
        let n = n.min((last - first + 1) / rows.max(1)).max(1);
        if n == 1 {
            return Ok(vec![Part::All]);
        }
        let size = (last - first + n) / n;
        Ok((0..n)
            .map(|i| Part::Rows {
                first: first + i * size,
                last: (first + (i + 1) * size - 1).min(last),
            })
            .collect())
    }

    /// Gives `each` the results that pass `f`, in the order they were
    /// recorded (which is the order they ended, but for attempts imported
    /// later or ended on stations whose clocks disagree): a scan in table
    /// order costs less than a walk of the date index with a lookup per
    /// row, and a listing sorts what it keeps.
    ///
    /// # Errors
    /// The store failed.
    pub fn each_result(
        &mut self,
        f: &ResultFilter,
        part: Part,
        each: &mut dyn FnMut(&ResultRef<'_>),
    ) -> Result<(), StoreError> {
        let fail = self.fail();
        let everything = f.is_everything();
        // Listing everything, the credentials' files are read in one pass
        // over their index, then each result finds its own in memory (a
        // lookup per row in the database costs twice as much); a filtered
        // listing looks up the few it needs.
        let files: HashMap<String, String> = if everything {
            self.engine()
                .rows(
                    "SELECT attempt_id, file_name FROM credentials
                     WHERE attempt_id IS NOT NULL AND file_name IS NOT NULL",
                    &[],
                    |r| Ok((r.text(0)?, r.text(1)?)),
                )
                .map_err(&fail)?
                .into_iter()
                .collect()
        } else {
            HashMap::new()
        };
        // Only the conditions asked for, so that the engine can use an
        // index for them (`?1 IS NULL OR …` would scan everything every
        // time).
        let mut sql = String::from(if everything {
            "SELECT r.room, r.learner_name, r.learner_id, r.exam_id, r.exam_version,
               r.started_us, r.ended_us, r.submit_reason, r.percent, r.passed,
               r.identity_verified, r.attempt_id, r.journal_head
             FROM results r
             WHERE 1 = 1"
        } else {
            "SELECT r.room, r.learner_name, r.learner_id, r.exam_id, r.exam_version,
               r.started_us, r.ended_us, r.submit_reason, r.percent, r.passed,
               r.identity_verified, c.file_name, r.journal_head
             FROM results r
             LEFT JOIN credentials c ON c.attempt_id = r.attempt_id
             WHERE 1 = 1"
        });
        let mut values: Vec<Value> = Vec::new();
        // `condition` with `?` for its value.
        let mut and = |condition: &str, value: Value| {
            values.push(value);
            sql.push_str(" AND ");
            sql.push_str(&condition.replace('?', &format!("?{}", values.len())));
        };
        if let Some(exam) = &f.exam {
            and("r.exam_id = ?", Value::Text(exam.clone()));
        }
        if let Some(key) = &f.learner {
            and(
                "r.learner_key IN ('id:' || ?, 'name:' || ?)",
                Value::Text(key.clone()),
            );
        }
        if let Some(from) = f.from {
            and("r.ended_us >= ?", Value::Int(micros(from)));
        }
        if let Some(until) = f.until {
            and("r.ended_us < ?", Value::Int(micros(until)));
        }
        if let Some(room) = &f.room {
            and("r.room = ?", Value::Text(room.clone()));
        }
        if let Part::Rows { first, last } = part {
            and("r.rowid >= ?", Value::Int(first));
            and("r.rowid <= ?", Value::Int(last));
        }
        let time = |us: i64| DateTime::from_timestamp_micros(us).unwrap_or_default();
        self.engine()
            .each(&sql, &values, &mut |r| {
                let percent = r.real(8)?;
                let credential = if everything {
                    files.get(r.str(11)?).map(String::as_str)
                } else {
                    r.opt_str(11)?
                };
                each(&ResultRef {
                    room: r.opt_str(0)?,
                    learner: r.str(1)?,
                    learner_id: r.opt_str(2)?,
                    exam_id: r.str(3)?,
                    exam_version: r.str(4)?,
                    started_at: time(r.int(5)?),
                    ended_at: time(r.int(6)?),
                    reason: r.str(7)?,
                    score: (percent * 100.0).round() / 100.0,
                    passed: r.flag(9)?,
                    identity_verified: r.flag(10)?,
                    credential,
                    journal_head: r.str(12)?,
                });
                Ok(())
            })
            .map_err(fail)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{t, take};
    use super::*;
    use crate::attempt::journal;
    use crate::attempt::{Command, Learner, Options, Response};

    #[test]
    fn the_hand_in_records_the_result_and_every_item_and_results_filter() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join(super::super::sqlite::FILE), "0", 0).unwrap();
        let exam = crate::bank::load_str(include_str!("../../exams/demo.toml"))
            .exam
            .unwrap();
        let right = Command::Answer {
            item: 0,
            response: Response::Bool(true),
        };
        take(&mut db, &exam, "a1", "Ada Lovelace", 0, &[right]);
        take(&mut db, &exam, "a2", "Alan Turing", 100, &[]);

        let all = db.results(&ResultFilter::default()).unwrap();
        let names: Vec<&str> = all.iter().map(|r| r.learner.as_str()).collect();
        assert_eq!(names, ["Ada Lovelace", "Alan Turing"]);
        let ada = &all[0];
        assert_eq!(ada.room.as_deref(), Some("Salle 2"));
        assert_eq!(ada.reason, "learner");
        assert_eq!(ada.ended_at, t(2));
        assert!(ada.score > 0.0 && !ada.passed, "{ada:?}");
        assert_eq!(ada.exam_version, exam.meta.version);
        assert_eq!(all[1].score, 0.0);
        // The head is the hand-in record's hash: the journal's last.
        let bytes = db.journal_bytes("a1").unwrap();
        assert_eq!(
            ada.journal_head,
            journal::hex(&journal::read(&bytes).unwrap().head)
        );

        // Every item of the paper, with the response in bank terms.
        let items: Vec<(i64, Option<String>, f64)> = db
            .engine()
            .rows(
                "SELECT position, response, earned_points FROM item_results
                 WHERE attempt_id = 'a1' ORDER BY position",
                &[],
                |r| Ok((r.int(0)?, r.opt_text(1)?, r.real(2)?)),
            )
            .unwrap();
        let paper = crate::attempt::Attempt::start(
            &exam,
            4,
            Learner {
                email: None,
                name: "x".into(),
                id: None,
            },
            t(0),
            Options::default(),
        )
        .paper()
        .len();
        assert_eq!(items.len(), paper);
        assert_eq!(
            items[0].1.as_deref(),
            Some(r#"{"type":"bool","value":true}"#)
        );
        assert!(items[0].2 > 0.0);
        assert!(items[1..].iter().all(|(_, r, e)| r.is_none() && *e == 0.0));

        // Nothing left to score; filters.
        assert!(
            db.unscored(&crate::attempt::bank_hash(&exam))
                .unwrap()
                .is_empty()
        );
        let mut only = |f: ResultFilter| -> Vec<String> {
            db.results(&f)
                .unwrap()
                .into_iter()
                .map(|r| r.learner)
                .collect()
        };
        let learner = crate::attempt::learner::normalise("  alan\u{200B} TURING").ok();
        assert_eq!(
            only(ResultFilter {
                learner,
                ..ResultFilter::default()
            }),
            ["Alan Turing"]
        );
        assert!(
            only(ResultFilter {
                exam: Some("other".into()),
                ..ResultFilter::default()
            })
            .is_empty()
        );
        assert_eq!(
            only(ResultFilter {
                from: Some(t(50)),
                ..ResultFilter::default()
            }),
            ["Alan Turing"]
        );
        assert_eq!(
            only(ResultFilter {
                until: Some(t(50)),
                room: Some("Salle 2".into()),
                ..ResultFilter::default()
            }),
            ["Ada Lovelace"]
        );
        assert!(
            only(ResultFilter {
                room: Some("Salle 3".into()),
                ..ResultFilter::default()
            })
            .is_empty()
        );
    }
}
