//! Attempts and their journals in the store: the registry that holds the
//! attempt rules across processes and stations, and the journal records as
//! rows (the exact bytes that were hashed, so the chain still checks).
//!
//! Starting an attempt is one write transaction that counts the learner's
//! attempts, applies the exam's rules and inserts the new one under a
//! uniqueness constraint on (exam, learner key, number): two processes, or
//! two stations, can never both take the last allowed attempt.

use super::StoreError;
use super::db::Db;
use super::sql::{BodyError, Engine, Kind, SqlError, params};
use crate::attempt::journal::{self, Entry, Record};
use crate::attempt::limits::{self, Past};
use crate::attempt::{Event, Header};
use crate::bank::Exam;
use chrono::{DateTime, Utc};

/// Why an attempt could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The exam's rules say no (attempts used up, too soon).
    #[error(transparent)]
    Refused(#[from] limits::Refused),
    /// The learner has an attempt still open: it is resumed, not doubled.
    #[error("an attempt of this learner at this exam is still open")]
    StillOpen,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One attempt as the registry knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptRow {
    /// Its id.
    pub attempt_id: String,
    /// 1 for the learner's first attempt at the exam.
    pub number: u32,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it was handed in, if it was.
    pub submitted_at: Option<DateTime<Utc>>,
    /// `open`, `submitted` or `abandoned`.
    pub state: String,
}

impl AttemptRow {
    /// What the attempt rules count of it.
    pub fn past(&self) -> Past {
        Past {
            started_at: self.started_at,
            finished_at: self.submitted_at,
        }
    }

    /// What the attempt rules count of a learner's attempts: all but the
    /// abandoned ones.
    pub fn counted(rows: &[AttemptRow]) -> Vec<Past> {
        rows.iter()
            .filter(|r| r.state != "abandoned")
            .map(AttemptRow::past)
            .collect()
    }
}

fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

fn time(us: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(us).unwrap_or_default()
}

impl Db {
    /// Registers a new attempt of `header.learner` (under `learner_key`) at
    /// `exam`, with its journal's `first_line` (the start record), if the
    /// exam's rules allow it at `header.started_at`. The journal's other
    /// records follow with [`Db::append_line`].
    ///
    /// # Errors
    /// See [`StartError`].
    pub fn start_attempt(
        &mut self,
        exam: &Exam,
        learner_key: &str,
        header: &Header,
        attempt_id: &str,
        first_line: &[u8],
        room: Option<&str>,
    ) -> Result<AttemptRow, StartError> {
        let fail = self.fail();
        let content =
            serde_json::to_string(exam).map_err(|e| fail(SqlError::other(e.to_string())))?;
        self.engine()
            .transaction_or(|e| {
                start_in(
                    e,
                    exam,
                    learner_key,
                    header,
                    attempt_id,
                    first_line,
                    room,
                    &content,
                )
            })
            .map_err(|err| match err {
                Started::Refused(r) => StartError::Refused(r),
                // Another process took this number, or opened an attempt,
                // between our count and our insert (PostgreSQL counts
                // without a lock): it won.
                Started::StillOpen => StartError::StillOpen,
                Started::Sql(e) if e.kind == Kind::Unique => StartError::StillOpen,
                Started::Sql(e) => StartError::Store(fail(e)),
            })
    }

    /// Appends one journal line (`HASH JSON\n`, as the journal writer makes
    /// it) to the attempt's rows, durable when this returns. The same line
    /// sent again (a reply that was lost) is accepted once; another line at
    /// the same place is refused: the attempt is being written elsewhere.
    /// A line that hands the attempt in marks it submitted and, given the
    /// `exam` it was drawn from, records its result, in the same
    /// transaction.
    ///
    /// # Errors
    /// A line that is not a journal line, a conflict, or the store failed.
    pub fn append_line(
        &mut self,
        attempt_id: &str,
        line: &[u8],
        exam: Option<&Exam>,
    ) -> Result<(), StoreError> {
        self.append_lines(attempt_id, &[line], exam)
    }

    /// Appends journal lines, in order, in one transaction (one durable
    /// write): all of them or none. See [`Db::append_line`].
    ///
    /// # Errors
    /// A line that is not a journal line, a conflict, or the store failed.
    pub fn append_lines(
        &mut self,
        attempt_id: &str,
        lines: &[&[u8]],
        exam: Option<&Exam>,
    ) -> Result<(), StoreError> {
        let fail = self.fail();
        self.engine()
            .transaction(|e| {
                for line in lines {
                    insert_line(e, attempt_id, line, exam)?;
                }
                Ok::<_, SqlError>(())
            })
            .map_err(fail)
    }

    /// Appends a journal line that needs no sync of its own (a move to
    /// another question): committed to the write-ahead log without waiting
    /// for the disk, so a killed process keeps it, and made durable by the
    /// next commit's sync (a power cut before then loses only the move).
    ///
    /// # Errors
    /// A line that is not a journal line, a conflict, or the store failed.
    pub fn append_line_lazily(&mut self, attempt_id: &str, line: &[u8]) -> Result<(), StoreError> {
        self.append_lines_lazily(attempt_id, &[line])
    }

    /// [`Db::append_line_lazily`] for several lines, in one transaction:
    /// all of them or none.
    ///
    /// # Errors
    /// A line that is not a journal line, a conflict, or the store failed.
    pub fn append_lines_lazily(
        &mut self,
        attempt_id: &str,
        lines: &[&[u8]],
    ) -> Result<(), StoreError> {
        let fail = self.fail();
        let e = self.engine();
        if e.lazy_in_transaction() {
            return e
                .transaction(|e| {
                    e.lazily(true)?;
                    for line in lines {
                        insert_line(e, attempt_id, line, None)?;
                    }
                    Ok::<_, SqlError>(())
                })
                .map_err(fail);
        }
        e.lazily(true).map_err(&fail)?;
        let appended = self.append_lines(attempt_id, lines, None);
        // Back to a sync per commit, whatever happened.
        let restored = self.engine().lazily(false).map_err(&fail);
        appended.and(restored)
    }

    /// The attempt's journal, as the bytes of a journal file (for
    /// [`journal::read`], which checks the chain).
    ///
    /// # Errors
    /// The store failed.
    pub fn journal_bytes(&mut self, attempt_id: &str) -> Result<Vec<u8>, StoreError> {
        let fail = self.fail();
        journal_of(self.engine(), attempt_id).map_err(fail)
    }

    /// The content the store keeps of the bank `bank_hash` (its canonical
    /// JSON), when it keeps one.
    ///
    /// # Errors
    /// The store failed.
    pub fn bank_content(&mut self, bank_hash: &str) -> Result<Option<String>, StoreError> {
        let fail = self.fail();
        let rows = self
            .engine()
            .rows(
                "SELECT content FROM banks WHERE bank_hash = ?1",
                params![bank_hash],
                |r| r.text(0),
            )
            .map_err(fail)?;
        Ok(rows.into_iter().next().filter(|c| !c.is_empty()))
    }

    /// The learner's attempts at the exam, oldest first.
    ///
    /// # Errors
    /// The store failed.
    pub fn attempts(
        &mut self,
        exam_id: &str,
        learner_key: &str,
    ) -> Result<Vec<AttemptRow>, StoreError> {
        let fail = self.fail();
        attempts_of(self.engine(), exam_id, learner_key).map_err(fail)
    }

    /// The learners with an open attempt at `exam_id`, by name.
    ///
    /// # Errors
    /// The store failed.
    pub fn open_learners(
        &mut self,
        exam_id: &str,
    ) -> Result<Vec<crate::attempt::Learner>, StoreError> {
        let fail = self.fail();
        self.engine()
            .rows(
                "SELECT learner_name, learner_id FROM attempts WHERE exam_id = ?1 AND state = 'open'
                 ORDER BY learner_name",
                params![exam_id],
                |r| {
                    Ok(crate::attempt::Learner { email: None,
                        name: r.text(0)?,
                        id: r.opt_text(1)?,
                    })
                },
            )
            .map_err(fail)
    }

    /// Marks an open attempt that never got its first record (the process
    /// stopped between registering it and writing its start) as abandoned.
    ///
    /// # Errors
    /// The store failed.
    pub fn abandon(&mut self, attempt_id: &str) -> Result<(), StoreError> {
        let fail = self.fail();
        self.engine()
            .execute(
                "UPDATE attempts SET state = 'abandoned' WHERE attempt_id = ?1 AND state = 'open'",
                params![attempt_id],
            )
            .map(|_| ())
            .map_err(fail)
    }

    /// Whether a handed-in attempt's journal still ends with its hand-in
    /// (rows removed from the end would leave it looking unfinished).
    ///
    /// # Errors
    /// The store failed.
    pub fn ends_with_hand_in(&mut self, attempt_id: &str) -> Result<bool, StoreError> {
        let fail = self.fail();
        let last = self
            .engine()
            .row(
                "SELECT record FROM journal WHERE attempt_id = ?1 ORDER BY seq DESC LIMIT 1",
                params![attempt_id],
                |r| r.text(0),
            )
            .map_err(fail)?;
        Ok(last
            .and_then(|json| serde_json::from_str::<Record>(&json).ok())
            .is_some_and(|r| {
                matches!(
                    r.entry,
                    Entry::Event {
                        event: Event::Submitted { .. }
                    }
                )
            }))
    }

    /// Whether the journal file `source` was imported (or tried) already.
    ///
    /// # Errors
    /// The store failed.
    pub fn imported(&mut self, source: &str) -> Result<bool, StoreError> {
        let fail = self.fail();
        self.engine()
            .row(
                "SELECT 1 FROM imports WHERE source = ?1",
                params![source],
                |_| Ok(()),
            )
            .map(|found| found.is_some())
            .map_err(fail)
    }

    /// Records what became of the journal file `source`.
    ///
    /// # Errors
    /// The store failed.
    pub fn record_import(
        &mut self,
        source: &str,
        bytes: &[u8],
        attempt_id: Option<&str>,
        outcome: &str,
    ) -> Result<(), StoreError> {
        let fail = self.fail();
        insert_import(
            self.engine(),
            source,
            &file_hash(bytes),
            attempt_id,
            outcome,
        )
        .map(|_| ())
        .map_err(fail)
    }

    /// Imports an attempt written as a file journal by an earlier version
    /// (`source`: its name from the data folder, and its bytes):
    /// its rows as they were (`lines`, the file's intact lines), numbered
    /// after the learner's attempts already in the store. An open attempt
    /// when the learner already has one is recorded as abandoned.
    ///
    /// # Errors
    /// A line does not fit, or the store failed.
    pub fn import_attempt(
        &mut self,
        source: (&str, &[u8]),
        attempt_id: &str,
        learner_key: &str,
        header: &Header,
        lines: &[&[u8]],
        submitted: bool,
    ) -> Result<(), StoreError> {
        let fail = self.fail();
        let sha = file_hash(source.1);
        self.engine()
            .transaction(|e| {
                // Imported already (by another process opening the store at
                // the same time, or from another folder or machine name).
                if import_seen(e, source.0, &sha)? {
                    return Ok(());
                }
                let rows = attempts_of(e, &header.exam_id, learner_key)?;
                let state = if submitted {
                    "submitted"
                } else if rows.iter().any(|r| r.state == "open") {
                    "abandoned"
                } else {
                    "open"
                };
                let number = u32::try_from(rows.len() + 1).unwrap_or(u32::MAX);
                // The bank is not at hand: its row waits for its content.
                register(
                    e,
                    attempt_id,
                    learner_key,
                    header,
                    None,
                    &Registration {
                        number,
                        state,
                        origin: "imported",
                        room: None,
                    },
                )?;
                // All of it or nothing, with its `imports` row: a crash
                // half-way imports it again, whole, and never twice.
                for line in lines {
                    insert_line(e, attempt_id, line, None)?;
                }
                insert_import(e, source.0, &sha, Some(attempt_id), "imported")?;
                Ok::<_, SqlError>(())
            })
            .map_err(fail)
    }
}

/// Why [`start_in`] did not register the attempt.
enum Started {
    Refused(limits::Refused),
    StillOpen,
    Sql(SqlError),
}

impl From<SqlError> for Started {
    fn from(e: SqlError) -> Self {
        Started::Sql(e)
    }
}

impl BodyError for Started {
    fn sql(&self) -> Option<&SqlError> {
        match self {
            Started::Sql(e) => Some(e),
            Started::Refused(_) | Started::StillOpen => None,
        }
    }
}

/// The body of [`Db::start_attempt`], in its transaction.
#[allow(clippy::too_many_arguments)]
fn start_in(
    e: &mut Engine,
    exam: &Exam,
    learner_key: &str,
    header: &Header,
    attempt_id: &str,
    first_line: &[u8],
    room: Option<&str>,
    content: &str,
) -> Result<AttemptRow, Started> {
    let rows = attempts_of(e, &header.exam_id, learner_key)?;
    // Registered by an earlier try of this transaction, whose commit went
    // through but whose reply was lost with the server's connection.
    if let Some(mine) = rows.iter().find(|r| r.attempt_id == attempt_id) {
        // Unless a proctor ended it in between: not to be taken up again.
        return if mine.state == "open" {
            Ok(mine.clone())
        } else {
            Err(Started::StillOpen)
        };
    }
    if rows.iter().any(|r| r.state == "open") {
        return Err(Started::StillOpen);
    }
    let past = AttemptRow::counted(&rows);
    limits::may_start(&exam.rules, &past, header.started_at).map_err(Started::Refused)?;
    let number = u32::try_from(rows.len() + 1).unwrap_or(u32::MAX);
    register(
        e,
        attempt_id,
        learner_key,
        header,
        Some((&exam.meta.title, content)),
        &Registration {
            number,
            state: "open",
            origin: "live",
            room,
        },
    )?;
    // The journal's first record in the same transaction: no one can see
    // the attempt without its start.
    insert_line(e, attempt_id, first_line, None)?;
    Ok(AttemptRow {
        attempt_id: attempt_id.to_owned(),
        number,
        started_at: header.started_at,
        submitted_at: None,
        state: "open".into(),
    })
}

/// One journal line, in the caller's transaction (see [`Db::append_line`]).
fn insert_line(
    e: &mut Engine,
    attempt_id: &str,
    line: &[u8],
    exam: Option<&Exam>,
) -> Result<(), SqlError> {
    let bad = |why: &str| SqlError::other(format!("attempt {attempt_id}: {why}"));
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let (Some(hash), Some(json)) = (line.get(..64), line.get(65..)) else {
        return Err(bad("not a journal line"));
    };
    let hash = std::str::from_utf8(hash).map_err(|_| bad("the hash is not hex"))?;
    let json = std::str::from_utf8(json).map_err(|_| bad("the record is not UTF-8"))?;
    let record: Record =
        serde_json::from_str(json).map_err(|e| bad(&format!("the record does not parse: {e}")))?;
    let seq = i64::try_from(record.seq).map_err(|_| bad("sequence number too large"))?;
    // This record's place and the one before it, in one query.
    let mut existing = None;
    let mut before = None;
    e.each(
        "SELECT seq, hash FROM journal WHERE attempt_id = ?1 AND seq IN (?2, ?3)",
        params![attempt_id, seq, seq - 1],
        &mut |r| {
            if r.int(0)? == seq {
                existing = Some(r.text(1)?);
            } else {
                before = Some(r.text(1)?);
            }
            Ok(())
        },
    )?;
    match existing {
        Some(h) if h == hash => return Ok(()),
        Some(_) => {
            return Err(bad(&format!(
                "record {seq} is already written with other content: the attempt is open elsewhere"
            )));
        }
        None => {}
    }
    let prev: String = if seq == 0 {
        journal::hex(&journal::genesis())
    } else {
        before.ok_or_else(|| bad(&format!("record {seq} comes before record {}", seq - 1)))?
    };
    e.execute(
        "INSERT INTO journal (attempt_id, seq, at_us, prev_hash, hash, record)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![attempt_id, seq, micros(record.at), prev, hash, json],
    )?;
    if let Entry::Event {
        event: Event::Submitted { reason },
    } = &record.entry
    {
        let reason = serde_json::to_value(reason)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        e.execute(
            "UPDATE attempts SET state = 'submitted', submitted_us = ?2, submit_reason = ?3
             WHERE attempt_id = ?1",
            params![attempt_id, micros(record.at), reason],
        )?;
        if let Some(exam) = exam {
            score_in(e, attempt_id, exam, hash)?;
        }
    }
    Ok(())
}

/// Scores the handed-in attempt from its journal rows in the transaction
/// and records the result there. A journal that does not replay on `exam`
/// is left unscored (the hand-in still counts; `store check` reports it).
fn score_in(e: &mut Engine, attempt_id: &str, exam: &Exam, head: &str) -> Result<(), SqlError> {
    let bytes = journal_of(e, attempt_id)?;
    let Ok(read) = journal::read(&bytes) else {
        return Ok(());
    };
    let Ok(attempt) = crate::attempt::replay(exam, &read) else {
        return Ok(());
    };
    let outcome = crate::scoring::score(exam, &attempt);
    super::results::insert_result(e, attempt_id, exam, &attempt, &outcome, head)
}

/// Registers an attempt: its bank (with its title and content when at
/// hand; a row without content gets them when the bank is seen), its
/// learner if new, and the attempt.
fn register(
    e: &mut Engine,
    attempt_id: &str,
    learner_key: &str,
    header: &Header,
    bank: Option<(&str, &str)>,
    r: &Registration<'_>,
) -> Result<(), SqlError> {
    let (title, content) = bank.unwrap_or((&header.exam_id, ""));
    e.execute(
        "INSERT INTO banks (bank_hash, exam_id, exam_version, title, content)
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (bank_hash)
         DO UPDATE SET title = excluded.title, content = excluded.content
         WHERE banks.content = ''",
        params![
            &header.bank_hash,
            &header.exam_id,
            &header.exam_version,
            title,
            content,
        ],
    )?;
    insert_learner(e, learner_key, header)?;
    insert_attempt(e, attempt_id, learner_key, header, r)?;
    Ok(())
}

/// The SHA-256 of an imported file's bytes, in hex: the same file reached
/// another way (another folder, another machine's name) is known by it.
pub(super) fn file_hash(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    journal::hex(&sha2::Sha256::digest(bytes).into())
}

/// Whether the file `source`, or one of the same bytes (`sha`, its
/// [`file_hash`]), was imported already: once is enough.
pub(super) fn import_seen(e: &mut Engine, source: &str, sha: &str) -> Result<bool, SqlError> {
    e.row(
        "SELECT 1 FROM imports WHERE source = ?1 OR sha256 = ?2",
        params![source, sha],
        |_| Ok(()),
    )
    .map(|found| found.is_some())
}

/// Records what became of a file brought in from an earlier version (a
/// journal, a kiosk log), whose [`file_hash`] is `sha`.
pub(super) fn insert_import(
    e: &mut Engine,
    source: &str,
    sha: &str,
    attempt_id: Option<&str>,
    outcome: &str,
) -> Result<usize, SqlError> {
    e.execute(
        "INSERT INTO imports (source, sha256, imported_us, attempt_id, outcome)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            source,
            sha,
            Utc::now().timestamp_micros(),
            attempt_id,
            outcome
        ],
    )
}

/// Adds the learner to the registry, if new.
fn insert_learner(e: &mut Engine, learner_key: &str, header: &Header) -> Result<usize, SqlError> {
    e.execute(
        "INSERT INTO learners (learner_key, display_name, learner_id, skeleton, created_us)
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (learner_key) DO NOTHING",
        params![
            learner_key,
            &header.learner.name,
            header.learner.id.as_deref(),
            crate::attempt::learner::skeleton(learner_key),
            micros(header.started_at)
        ],
    )
}

/// Where an attempt stands in the registry when it is added.
struct Registration<'a> {
    /// Its number among the learner's attempts at the exam.
    number: u32,
    /// `open`, `submitted` or `abandoned`.
    state: &'a str,
    /// `live` or `imported`.
    origin: &'a str,
    /// The kiosk's room.
    room: Option<&'a str>,
}

/// Registers an attempt from its journal's header.
fn insert_attempt(
    e: &mut Engine,
    attempt_id: &str,
    learner_key: &str,
    header: &Header,
    r: &Registration<'_>,
) -> Result<usize, SqlError> {
    e.execute(
        "INSERT INTO attempts (attempt_id, exam_id, learner_key, number, bank_hash, seed,
           learner_name, learner_id, started_us, deadline_us, state, supervised,
           identity_verified, extra_time_percent, origin, room)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        params![
            attempt_id,
            &header.exam_id,
            learner_key,
            r.number,
            &header.bank_hash,
            header.seed.to_string(),
            &header.learner.name,
            header.learner.id.as_deref(),
            micros(header.started_at),
            micros(header.deadline),
            r.state,
            header.options.supervised,
            header.options.identity_verified,
            header.options.extra_time_percent,
            r.origin,
            r.room,
        ],
    )
}

/// The attempt's journal rows as the bytes of a journal file.
fn journal_of(e: &mut Engine, attempt_id: &str) -> Result<Vec<u8>, SqlError> {
    let mut bytes = Vec::new();
    e.each(
        "SELECT hash, record FROM journal WHERE attempt_id = ?1 ORDER BY seq",
        params![attempt_id],
        &mut |row| {
            bytes.extend_from_slice(row.text(0)?.as_bytes());
            bytes.push(b' ');
            bytes.extend_from_slice(row.text(1)?.as_bytes());
            bytes.push(b'\n');
            Ok(())
        },
    )?;
    Ok(bytes)
}

fn attempts_of(
    e: &mut Engine,
    exam_id: &str,
    learner_key: &str,
) -> Result<Vec<AttemptRow>, SqlError> {
    e.rows(
        "SELECT attempt_id, number, started_us, submitted_us, state FROM attempts
         WHERE exam_id = ?1 AND learner_key = ?2 ORDER BY number",
        params![exam_id, learner_key],
        |r| {
            Ok(AttemptRow {
                attempt_id: r.text(0)?,
                number: u32::try_from(r.int(1)?).unwrap_or(u32::MAX),
                started_at: time(r.int(2)?),
                submitted_at: r.opt_int(3)?.map(time),
                state: r.text(4)?,
            })
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attempt::{Command, Learner, Options, Session};
    use crate::store::sqlite::FILE;

    /// A sink that writes to the store, as the edges will.
    struct Rows<'d> {
        db: &'d mut Db,
        attempt: String,
    }

    impl journal::Sink for Rows<'_> {
        fn append(&mut self, line: &[u8]) -> std::io::Result<()> {
            self.db
                .append_line(&self.attempt, line, None)
                .map_err(std::io::Error::other)
        }
    }

    fn demo(max_attempts: Option<u32>) -> Exam {
        let mut exam = crate::bank::load_str(include_str!("../../exams/demo.toml"))
            .exam
            .unwrap();
        exam.rules.max_attempts = max_attempts;
        exam
    }

    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap()
    }

    /// A new store holding one open attempt, `a1`, of the demo under `key`.
    fn with_one_attempt(key: &str) -> (tempfile::TempDir, Db, Exam, Header) {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join(FILE), "0.1.0", 0).unwrap();
        let exam = demo(None);
        let h = header(&exam, t(0));
        db.start_attempt(&exam, key, &h, "a1", &start_line(&h), None)
            .unwrap();
        (dir, db, exam, h)
    }

    /// Starts an attempt `id` of `exam` under `key` at `t(secs)`.
    fn start_at(
        db: &mut Db,
        exam: &Exam,
        key: &str,
        id: &str,
        secs: i64,
    ) -> Result<AttemptRow, StartError> {
        let h = header(exam, t(secs));
        db.start_attempt(exam, key, &h, id, &start_line(&h), None)
    }

    /// The journal line of a start record.
    fn start_line(h: &Header) -> Vec<u8> {
        let mut w = journal::Writer::new(Vec::new());
        w.append(h.started_at, Entry::Start(h.clone())).unwrap();
        w.sink().clone()
    }

    fn header(exam: &Exam, at: DateTime<Utc>) -> Header {
        let learner = Learner {
            email: None,
            name: "Ada Lovelace".into(),
            id: None,
        };
        crate::attempt::Attempt::start(exam, 4, learner, at, Options::default())
            .header()
            .clone()
    }

    #[test]
    fn a_start_tried_again_after_it_went_through_is_the_same_start() {
        // As after a server's connection lost between its commit and its
        // reply: the transaction runs again with the same attempt.
        let (_dir, mut db, exam, h) = with_one_attempt("name:ada lovelace");
        let again = db
            .start_attempt(&exam, "name:ada lovelace", &h, "a1", &start_line(&h), None)
            .unwrap();
        assert_eq!(again.attempt_id, "a1");
        assert_eq!(again.number, 1);
        assert_eq!(
            db.attempts(&h.exam_id, "name:ada lovelace").unwrap().len(),
            1
        );
        // Another attempt while this one is open is still refused.
        let other = db.start_attempt(&exam, "name:ada lovelace", &h, "a2", &start_line(&h), None);
        assert!(matches!(other, Err(StartError::StillOpen)), "{other:?}");
    }

    #[test]
    fn a_journal_written_as_rows_reads_back_byte_for_byte() {
        let (_dir, mut db, exam, h) = with_one_attempt("name:ada lovelace");
        // The same session, into a file and into the store.
        let learner = h.learner.clone();
        let mut file = Session::start(
            &exam,
            4,
            learner.clone(),
            t(0),
            Options::default(),
            Vec::new(),
        )
        .unwrap();
        let mut rows = Session::start(
            &exam,
            4,
            learner,
            t(0),
            Options::default(),
            Rows {
                db: &mut db,
                attempt: "a1".into(),
            },
        )
        .unwrap();
        for (i, command) in [
            Command::Answer {
                item: 0,
                response: crate::attempt::Response::Bool(true),
            },
            Command::Next,
            Command::Submit,
        ]
        .iter()
        .enumerate()
        {
            let at = t(10 + i as i64);
            file.apply(&exam, command, at).unwrap();
            rows.apply(&exam, command, at).unwrap();
        }
        drop(rows);
        let bytes = db.journal_bytes("a1").unwrap();
        assert_eq!(&bytes, file.sink());
        assert!(journal::read(&bytes).is_ok());
        let row = &db.attempts(&exam.meta.id, "name:ada lovelace").unwrap()[0];
        assert_eq!(row.state, "submitted");
        assert_eq!(row.submitted_at, Some(t(12)));
    }

    #[test]
    fn a_move_is_committed_without_a_sync_and_the_next_line_syncs_again() {
        let (_dir, mut db, exam, h) = with_one_attempt("k");
        let mut w = journal::Writer::new(Vec::new());
        w.append(t(0), Entry::Start(h)).unwrap();
        for (i, event) in [
            Event::Moved { to: 1 },
            Event::Answered {
                item: 1,
                response: crate::attempt::Response::Bool(true),
            },
        ]
        .into_iter()
        .enumerate()
        {
            w.append(t(1 + i as i64), Entry::Event { event }).unwrap();
        }
        let lines: Vec<&[u8]> = w.sink().split_inclusive(|&b| b == b'\n').collect();
        db.append_line_lazily("a1", lines[1]).unwrap();
        let synchronous = |db: &mut Db| -> i64 {
            db.engine()
                .row("PRAGMA synchronous", &[], |r| r.int(0))
                .unwrap()
                .unwrap()
        };
        assert_eq!(synchronous(&mut db), 2, "FULL again after the move");
        db.append_line("a1", lines[2], Some(&exam)).unwrap();
        let bytes = db.journal_bytes("a1").unwrap();
        assert_eq!(&bytes, w.sink());
        // Refused like any line (not a journal line), and still FULL after.
        assert!(db.append_line_lazily("a1", b"not a line\n").is_err());
        assert_eq!(synchronous(&mut db), 2);
    }

    #[test]
    fn a_full_disk_acknowledges_nothing_and_keeps_what_was_committed() {
        let (_dir, mut db, exam, h) = with_one_attempt("k");
        let mut w = journal::Writer::new(Vec::new());
        w.append(t(0), Entry::Start(h)).unwrap();
        // The store may not grow any more: as on a full disk.
        let pages = db
            .engine()
            .row("PRAGMA page_count", &[], |r| r.int(0))
            .unwrap()
            .unwrap();
        db.engine()
            .batch(&format!("PRAGMA max_page_count = {pages}"))
            .unwrap();
        let mut committed = 1;
        let error = loop {
            let event = Event::Answered {
                item: 0,
                response: crate::attempt::Response::Text("x".repeat(2000)),
            };
            w.append(t(committed), Entry::Event { event }).unwrap();
            let line = w
                .sink()
                .split_inclusive(|&b| b == b'\n')
                .next_back()
                .unwrap();
            match db.append_line("a1", line, Some(&exam)) {
                Ok(()) => committed += 1,
                Err(e) => break e.to_string(),
            }
            assert!(committed < 1000, "the store never filled");
        };
        assert!(
            error.contains("brevet.db") && error.contains("the disk is full"),
            "{error}"
        );
        // Everything acknowledged before is there, its chain whole.
        let bytes = db.journal_bytes("a1").unwrap();
        let read = journal::read(&bytes).unwrap();
        assert_eq!(read.records.len() as i64, committed);
    }

    #[test]
    fn a_line_sent_twice_is_kept_once_and_another_at_its_place_refused() {
        let (_dir, mut db, _exam, h) = with_one_attempt("k");
        let mut w = journal::Writer::new(Vec::new());
        w.append(t(0), Entry::Start(h.clone())).unwrap();
        let line = w.sink().clone();
        db.append_line("a1", &line, None).unwrap();
        db.append_line("a1", &line, None).unwrap();
        assert_eq!(db.journal_bytes("a1").unwrap(), line);
        let mut other = h;
        other.seed = 5;
        let mut w = journal::Writer::new(Vec::new());
        w.append(t(0), Entry::Start(other)).unwrap();
        let e = db.append_line("a1", w.sink(), None).unwrap_err();
        assert!(e.to_string().contains("open elsewhere"), "{e}");
    }

    #[test]
    fn the_rules_hold_and_an_open_attempt_is_not_doubled() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join(FILE), "0.1.0", 0).unwrap();
        let mut exam = demo(Some(2));
        exam.rules.attempt_delay = std::time::Duration::from_secs(3600);
        let h = header(&exam, t(0));
        db.start_attempt(&exam, "k", &h, "a1", &start_line(&h), None)
            .unwrap();
        assert!(matches!(
            start_at(&mut db, &exam, "k", "a2", 1),
            Err(StartError::StillOpen)
        ));
        // Handed in at t(100): the next one may start an hour later.
        let mut w = journal::Writer::new(Vec::new());
        w.append(t(0), Entry::Start(h)).unwrap();
        w.append(
            t(100),
            Entry::Event {
                event: Event::Submitted {
                    reason: crate::attempt::SubmitReason::Learner,
                },
            },
        )
        .unwrap();
        for line in w.sink().split_inclusive(|&b| b == b'\n') {
            db.append_line("a1", line, None).unwrap();
        }
        assert!(matches!(
            start_at(&mut db, &exam, "k", "a2", 200),
            Err(StartError::Refused(limits::Refused::TooSoon { .. }))
        ));
        let second = start_at(&mut db, &exam, "k", "a2", 3700).unwrap();
        assert_eq!(second.number, 2);
        db.engine()
            .execute(
                "UPDATE attempts SET state = 'submitted', submitted_us = 0 WHERE attempt_id = 'a2'",
                &[],
            )
            .unwrap();
        assert!(matches!(
            start_at(&mut db, &exam, "k", "a3", 9000),
            Err(StartError::Refused(limits::Refused::NoAttemptsLeft {
                allowed: 2
            }))
        ));
    }

    #[test]
    fn many_starts_at_once_take_exactly_the_attempts_allowed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        drop(Db::open(&path, "0.1.0", 0).unwrap());
        let exam = demo(Some(1));
        let started: Vec<bool> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|i| {
                    let (path, exam) = (&path, &exam);
                    s.spawn(move || {
                        let mut db = Db::open(path, "0.1.0", 0).unwrap();
                        start_at(&mut db, exam, "k", &format!("a{i}"), i).is_ok()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(started.iter().filter(|s| **s).count(), 1, "{started:?}");
    }
}
