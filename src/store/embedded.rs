//! The store of a data folder, as the front ends use it: a handle shared by
//! the front end and the journal sinks of its attempts, over the embedded
//! database (`DATA/brevet.db`). Journals written as files by earlier
//! versions (`DATA/journals/`) are imported the first time they are seen,
//! and the files are left in place.

use super::sqlite::{Db, FILE};
use super::{DataDir, StoreError};
use crate::attempt::journal::{self, Entry, Sink};
use crate::attempt::learner::{self, NameError};
use crate::attempt::{Event, Learner};
use crate::bank::Exam;
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

/// An attempt rebuilt from its journal on the version of the bank it was
/// given.
#[derive(Debug)]
pub struct Replayed {
    /// That version, when it is not the bank at hand (the bank changed
    /// since the attempt started).
    pub given: Option<Arc<Exam>>,
    /// The attempt.
    pub attempt: crate::attempt::Attempt,
}

/// An open store, cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    db: Arc<Mutex<Db>>,
    path: PathBuf,
}

/// The key under which a learner's attempts are counted: their id when it
/// can be trusted (a proctor checked who they are), else their name, each
/// reduced by [`learner::normalise`].
///
/// # Errors
/// The name (or trusted id) cannot be a key.
pub fn learner_key(learner: &Learner, trust_id: bool) -> Result<String, NameError> {
    match (&learner.id, trust_id) {
        (Some(id), true) => Ok(format!("id:{}", learner::normalise(id)?)),
        _ => Ok(format!("name:{}", learner::normalise(&learner.name)?)),
    }
}

impl Store {
    /// Opens the store of `data` (creating the folder and the database if
    /// needed) and imports the file journals it has not seen. Returns the
    /// store and one line per journal file that could not be imported.
    ///
    /// # Errors
    /// The folder or the database cannot be used.
    pub fn open(data: &DataDir, now: DateTime<Utc>) -> Result<(Store, Vec<String>), StoreError> {
        let root = data.root();
        std::fs::create_dir_all(root).map_err(|source| StoreError::Io {
            path: root.to_path_buf(),
            source,
        })?;
        let path = root.join(FILE);
        let db = Db::open(&path, env!("CARGO_PKG_VERSION"), now.timestamp_micros())?;
        Self::with_db(db, data)
    }

    /// Opens the store of `data` to read it only, as it is (see
    /// [`Db::open_read_only`]): nothing is imported or migrated.
    ///
    /// # Errors
    /// The store cannot be read as it is.
    pub fn open_read_only(data: &DataDir) -> Result<Store, StoreError> {
        let db = Db::open_read_only(&data.root().join(FILE))?;
        Ok(Store {
            path: db.path().to_path_buf(),
            db: Arc::new(Mutex::new(db)),
        })
    }

    /// Opens the store on the PostgreSQL server `target`, and imports the
    /// file journals of `data` it has not seen.
    ///
    /// # Errors
    /// The server cannot be reached or refuses the login, or the store's
    /// schema is newer than this brevet's.
    pub fn open_postgres(
        target: &super::postgres::Target,
        data: &DataDir,
        now: DateTime<Utc>,
    ) -> Result<(Store, Vec<String>), StoreError> {
        let db = Db::open_postgres(target, env!("CARGO_PKG_VERSION"), now.timestamp_micros())?;
        Self::with_db(db, data)
    }

    fn with_db(db: Db, data: &DataDir) -> Result<(Store, Vec<String>), StoreError> {
        let store = Store {
            path: db.path().to_path_buf(),
            db: Arc::new(Mutex::new(db)),
        };
        let problems = store.import_files(data)?;
        Ok((store, problems))
    }

    /// The database file (or, on a server, its address without password).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` on the database (one caller at a time).
    ///
    /// # Errors
    /// Whatever `f` returns.
    pub fn with<T, E>(&self, f: impl FnOnce(&mut Db) -> Result<T, E>) -> Result<T, E> {
        let mut db = self.db.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut db)
    }

    /// Runs `f` on the database if it is free within `wait` (for a thread
    /// that must not hang behind another one stuck on the store); `None`
    /// if it stayed busy.
    pub fn try_with<T, E>(
        &self,
        wait: std::time::Duration,
        f: impl FnOnce(&mut Db) -> Result<T, E>,
    ) -> Option<Result<T, E>> {
        let start = std::time::Instant::now();
        loop {
            match self.db.try_lock() {
                Ok(mut db) => return Some(f(&mut db)),
                Err(std::sync::TryLockError::Poisoned(p)) => return Some(f(&mut p.into_inner())),
                Err(std::sync::TryLockError::WouldBlock) if start.elapsed() < wait => {
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                Err(std::sync::TryLockError::WouldBlock) => return None,
            }
        }
    }

    /// A sink that appends to `attempt_id`'s journal rows and, at the
    /// hand-in, records its result on `exam` (the bank it was drawn from).
    pub fn sink(&self, attempt_id: &str, exam: &Exam) -> StoreSink {
        // Answers will follow: a log written over costs less per answer
        // than one that grows. Without the room, they are only slower; a
        // store that cannot be written says so at the first answer.
        let _ = self.with(Db::make_log_room);
        StoreSink {
            store: self.clone(),
            attempt_id: attempt_id.to_owned(),
            exam: Arc::new(exam.clone()),
            deferred: None,
        }
    }

    /// The learners whose attempt at `exam_id` is still open (a crash or a
    /// kill interrupted it).
    ///
    /// # Errors
    /// The store failed.
    pub fn unfinished_learners(&self, exam_id: &str) -> Result<Vec<Learner>, StoreError> {
        self.with(|db| db.open_learners(exam_id))
    }

    /// Scores the handed-in attempts drawn from `exam`'s bank that have no
    /// result yet (imported from an earlier version's journal files) and
    /// records their results. Returns how many were scored.
    ///
    /// # Errors
    /// The store failed.
    pub fn score_missing(&self, exam: &Exam) -> Result<usize, StoreError> {
        let hash = crate::attempt::bank_hash(exam);
        let mut scored = 0;
        for id in self.with(|db| db.unscored(&hash))? {
            let Some((attempt, head)) = self.replay(&id, exam)? else {
                continue;
            };
            let outcome = crate::scoring::score(exam, &attempt);
            self.with(|db| db.record_result(&id, exam, &attempt, &outcome, &head))?;
            scored += 1;
        }
        Ok(scored)
    }

    /// The attempt `attempt_id`, rebuilt from its journal rows on `exam`,
    /// and the hash of its last record; `None` if the journal does not read
    /// (`brevet store check` says why) or was drawn from another bank.
    ///
    /// # Errors
    /// The store failed.
    pub fn replay(
        &self,
        attempt_id: &str,
        exam: &Exam,
    ) -> Result<Option<(crate::attempt::Attempt, String)>, StoreError> {
        let Some(read) = self.journal(attempt_id)? else {
            return Ok(None);
        };
        Ok(crate::attempt::replay(exam, &read)
            .ok()
            .map(|attempt| (attempt, journal::hex(&read.head))))
    }

    /// The attempt's journal, read and its chain checked; `None` if it
    /// does not read.
    fn journal(&self, attempt_id: &str) -> Result<Option<journal::Read>, StoreError> {
        let bytes = self.with(|db| db.journal_bytes(attempt_id))?;
        Ok(journal::read(&bytes).ok())
    }

    /// [`Store::replay`] on the version of `exam` the attempt was given,
    /// which the store keeps.
    ///
    /// # Errors
    /// The store failed.
    pub fn replay_as_given(
        &self,
        attempt_id: &str,
        exam: &Exam,
    ) -> Result<Option<Replayed>, StoreError> {
        let Some(read) = self.journal(attempt_id)? else {
            return Ok(None);
        };
        let given = match read.header() {
            Some(h) => self.version_of(exam, &h.bank_hash)?,
            None => None,
        };
        let on = given.as_deref().unwrap_or(exam);
        Ok(crate::attempt::replay(on, &read)
            .ok()
            .map(|attempt| Replayed { given, attempt }))
    }

    /// The version of `exam` that an attempt drawn from the bank
    /// `bank_hash` was given, when it is not `exam` itself: the bank's
    /// content as the store kept it when the attempt started. `None` when
    /// it is `exam`, or when the store keeps no other version (an attempt
    /// imported from a journal file): such an attempt runs on `exam`, or is
    /// refused when it does not fit.
    ///
    /// # Errors
    /// The store failed.
    pub fn version_of(
        &self,
        exam: &Exam,
        bank_hash: &str,
    ) -> Result<Option<Arc<Exam>>, StoreError> {
        if crate::attempt::bank_hash(exam) == bank_hash {
            return Ok(None);
        }
        let Some(content) = self.with(|db| db.bank_content(bank_hash))? else {
            return Ok(None);
        };
        // Kept by brevet itself; anything else (a newer brevet's model, a
        // row edited by hand) is no version to trust.
        Ok(serde_json::from_str::<Exam>(&content)
            .ok()
            .filter(|kept| crate::attempt::bank_hash(kept) == bank_hash)
            .map(Arc::new))
    }

    /// Imports every journal file of `data` not imported yet, oldest
    /// attempt first.
    fn import_files(&self, data: &DataDir) -> Result<Vec<String>, StoreError> {
        let files = data.journal_files()?;
        if files.is_empty() {
            return Ok(Vec::new());
        }
        let mut problems = Vec::new();
        let mut readable = Vec::new();
        // A store on a server is shared: its sources are named by machine
        // and folder too, or two stations' `attempt-1.journal` would be one.
        let on_server = self.with(|db| Ok::<_, StoreError>(db.on_server()))?;
        let place = if on_server {
            let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
                .map(|h| h.trim().to_owned())
                .unwrap_or_default();
            let folder = std::fs::canonicalize(data.root()).unwrap_or(data.root().to_path_buf());
            format!("{host}:{}/", folder.display())
        } else {
            String::new()
        };
        for path in files {
            // Named from the data folder: the same file is the same source
            // however the folder is reached.
            let source = format!(
                "{place}{}",
                path.strip_prefix(data.root()).unwrap_or(&path).display()
            );
            if self.with(|db| db.imported(&source))? {
                continue;
            }
            let bytes = match crate::input::read_limited(&path, 64 * 1024 * 1024) {
                Ok(b) => b,
                Err(e) => {
                    problems.push(e.to_string());
                    continue;
                }
            };
            match journal::read(&bytes) {
                Ok(read) => readable.push((path, source, bytes, read)),
                Err(e) => {
                    let why = StoreError::Journal { path, source: e }.to_string();
                    self.with(|db| db.record_import(&source, &bytes, None, &why))?;
                    problems.push(why);
                }
            }
        }
        readable.sort_by_key(|(_, _, _, read)| read.records.first().map(|r| r.at));
        for (path, source, bytes, read) in readable {
            let Some(journal::Record {
                entry: Entry::Start(header),
                ..
            }) = read.records.first()
            else {
                continue;
            };
            let key = learner_key(&header.learner, header.options.identity_verified)
                .unwrap_or_else(|_| format!("raw:{}", header.learner.name.to_lowercase()));
            let sealed_but_cut = super::check_seal(&path, &read).is_err();
            let lines: Vec<&[u8]> = bytes[..read.valid_len]
                .split_inclusive(|&b| b == b'\n')
                .collect();
            let submitted = read.records.iter().any(|r| {
                matches!(
                    r.entry,
                    Entry::Event {
                        event: Event::Submitted { .. }
                    }
                )
            });
            let id = new_id();
            self.with(|db| {
                db.import_attempt(
                    (&source, &bytes),
                    &id,
                    &key,
                    header,
                    &lines,
                    submitted || sealed_but_cut,
                )
            })?;
        }
        Ok(problems)
    }
}

/// A new attempt id: 128 random bits, as hex.
pub fn new_id() -> String {
    journal::hex(&{
        let mut bytes = [0u8; 32];
        bytes[..16].copy_from_slice(&rand::random::<[u8; 16]>());
        bytes
    })[..32]
        .to_owned()
}

/// The journal of one attempt, as rows of the store.
#[derive(Debug, Clone)]
pub struct StoreSink {
    store: Store,
    attempt_id: String,
    exam: Arc<Exam>,
    /// The last line written without a sync of its own, sent again with
    /// the next one: should a server have lost it (a crash before its
    /// commit reached the disk), the next line still has its place. A line
    /// already there is kept once.
    deferred: Option<Vec<u8>>,
}

impl StoreSink {
    /// The attempt's id.
    pub fn attempt_id(&self) -> &str {
        &self.attempt_id
    }
}

impl Sink for StoreSink {
    fn append(&mut self, line: &[u8]) -> std::io::Result<()> {
        let mut lines: Vec<&[u8]> = Vec::with_capacity(2);
        if let Some(d) = &self.deferred {
            lines.push(d);
        }
        lines.push(line);
        self.store
            .with(|db| db.append_lines(&self.attempt_id, &lines, Some(&self.exam)))
            .map_err(std::io::Error::other)?;
        self.deferred = None;
        Ok(())
    }

    /// Without a sync of its own: the next line's commit syncs it.
    fn defer(&mut self, line: &[u8]) -> std::io::Result<()> {
        let mut lines: Vec<&[u8]> = Vec::with_capacity(2);
        if let Some(d) = &self.deferred {
            lines.push(d);
        }
        lines.push(line);
        // One transaction for both: a move costs one commit, not two.
        self.store
            .with(|db| db.append_lines_lazily(&self.attempt_id, &lines))
            .map_err(std::io::Error::other)?;
        self.deferred = Some(line.to_vec());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attempt::{Command, Options, Response, Session};

    #[test]
    fn a_move_lost_after_its_commit_is_sent_again_with_the_next_answer() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::open(&DataDir::at(dir.path()), Utc::now()).unwrap();
        let exam = super::super::testing::demo();
        let learner = Learner {
            email: None,
            name: "Ada Lovelace".into(),
            id: None,
        };
        let t = super::super::testing::t;
        let header =
            crate::attempt::Attempt::start(&exam, 4, learner.clone(), t(0), Options::default())
                .header()
                .clone();
        let mut first = journal::Writer::new(Vec::new());
        first.append(t(0), Entry::Start(header.clone())).unwrap();
        store
            .with(|db| db.start_attempt(&exam, "k", &header, "a1", first.sink(), None))
            .unwrap();
        let mut s = Session::start(
            &exam,
            4,
            learner,
            t(0),
            Options::default(),
            store.sink("a1", &exam),
        )
        .unwrap();
        s.apply(&exam, &Command::Next, t(1)).unwrap();
        // The server crashed before the move's commit reached its disk.
        store
            .with(|db| {
                db.engine()
                    .batch("DELETE FROM journal WHERE attempt_id = 'a1' AND seq = 1")
                    .map_err(|e| e.to_string())
            })
            .unwrap();
        let answer = Command::Answer {
            item: 1,
            response: Response::Bool(true),
        };
        s.apply(&exam, &answer, t(2)).unwrap();
        let bytes = store.with(|db| db.journal_bytes("a1")).unwrap();
        let read = journal::read(&bytes).unwrap();
        assert_eq!(read.records.len(), 3, "start, move, answer");
    }
}
