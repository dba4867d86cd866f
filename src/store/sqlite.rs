//! The embedded store: one SQLite file in the data folder, written in WAL
//! mode with a full sync at each commit (what a commit acknowledges survives
//! a power cut), foreign keys on, and the schema migrated when it opens.

use super::StoreError;
use super::db::{BUSY, database, patiently};
use super::sql::{Engine, SqlError};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

pub use super::db::Db;

/// The store's file name in the data folder.
pub const FILE: &str = "brevet.db";

impl Db {
    /// Opens (creating it if needed) the store at `path`, and brings its
    /// schema to [`LATEST`](super::schema::LATEST). `brevet` (the program's version) and `now_us`
    /// go into the `schema_version` rows it adds.
    ///
    /// # Errors
    /// The file cannot be opened or is not a database, another process
    /// holds it longer than 5 s, or its schema is newer than this brevet's.
    pub fn open(path: &Path, brevet: &str, now_us: i64) -> Result<Self, StoreError> {
        let fail = |e: rusqlite::Error| database(path, &SqlError::from(e));
        // Learners' names and answers: readable by the owner only (SQLite
        // gives its log files the same mode).
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            let created = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path);
            match created {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::PermissionDenied
                            | std::io::ErrorKind::ReadOnlyFilesystem
                    ) =>
                {
                    let folder = path.parent().unwrap_or(Path::new("."));
                    return Err(StoreError::Database {
                        path: path.to_path_buf(),
                        why: format!(
                            "the store cannot be made: {} cannot be written ({e}); give this user the right to write there, or choose another data folder with --data",
                            folder.display()
                        ),
                    });
                }
                Err(e) => {
                    return Err(StoreError::Io {
                        path: path.to_path_buf(),
                        source: e,
                    });
                }
            }
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(fail)?;
        conn.busy_timeout(BUSY).map_err(fail)?;
        // WAL: readers never block the writer; FULL: each commit syncs the
        // log, so an acknowledged answer survives a power cut. (Switching a
        // new file to WAL while another process does the same can be
        // refused at once, without the busy timeout: tried again.)
        // Small pages: an answer's commit writes a few of them to the log,
        // and fewer bytes to sync make the wait shorter (BENCHMARKS.md). A
        // store made before keeps its own.
        conn.execute_batch("PRAGMA page_size = 1024")
            .map_err(fail)?;
        let mode: String = patiently(|| {
            conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
                .map_err(SqlError::from)
        })
        .map_err(|e| database(path, &e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Database {
                path: path.to_path_buf(),
                why: format!(
                    "the file system does not allow write-ahead logging (journal mode {mode}): put the data folder on a local disk"
                ),
            });
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(fail)?;
        Db::migrated(Engine::Sqlite(conn), path, brevet, now_us)
    }

    /// The SQLite connection, for what only SQLite does (its pragmas, its
    /// online backup); `None` on another engine.
    pub(super) fn sqlite(&mut self) -> Option<&mut Connection> {
        match self.engine() {
            Engine::Sqlite(c) => Some(c),
            Engine::Postgres(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::schema::LATEST;
    use crate::store::sql::params;

    fn tables(db: &mut Db) -> Vec<String> {
        db.engine()
            .rows(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
                &[],
                |r| r.text(0),
            )
            .unwrap()
    }

    fn count(db: &mut Db, sql: &str) -> i64 {
        db.engine().row(sql, &[], |r| r.int(0)).unwrap().unwrap()
    }

    #[test]
    fn a_new_store_gets_the_whole_schema_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        let mut db = Db::open(&path, "0.1.0", 1).unwrap();
        assert_eq!(db.version().unwrap(), LATEST);
        let names = tables(&mut db);
        for table in [
            "attempts",
            "journal",
            "results",
            "credentials",
            "events",
            "schema_version",
        ] {
            assert!(names.iter().any(|n| n == table), "{table}: {names:?}");
        }
        drop(db);
        // Opening again changes nothing.
        let mut db = Db::open(&path, "0.1.0", 2).unwrap();
        let rows = count(&mut db, "SELECT COUNT(*) FROM schema_version");
        assert_eq!(rows, i64::from(LATEST));
        let mode: String = db
            .sqlite()
            .unwrap()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(count(&mut db, "PRAGMA page_size"), 1024);
        let journal = db
            .engine()
            .row(
                "SELECT sql FROM sqlite_master WHERE name = 'journal'",
                &[],
                |r| r.text(0),
            )
            .unwrap()
            .unwrap();
        assert!(journal.ends_with("WITHOUT ROWID"), "{journal}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{mode:o}");
        }
    }

    #[test]
    fn a_store_of_schema_2_keeps_its_journal_rows_at_schema_3() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        {
            let conn = Connection::open(&path).unwrap();
            for (version, sql) in &crate::store::schema::MIGRATIONS[..2] {
                conn.execute_batch(sql).unwrap();
                conn.execute(
                    "INSERT INTO schema_version VALUES (?1, 0, 'old')",
                    [version],
                )
                .unwrap();
            }
            conn.execute_batch(
                "INSERT INTO banks VALUES ('h', 'demo', '1', 'Demo', '');
                 INSERT INTO learners VALUES ('k', 'Ada', NULL, 'k', 0);
                 INSERT INTO attempts (attempt_id, exam_id, learner_key, number, bank_hash, seed,
                   learner_name, started_us, deadline_us, state, supervised, identity_verified,
                   extra_time_percent, origin)
                   VALUES ('a1', 'demo', 'k', 1, 'h', '4', 'Ada', 0, 1, 'open', 0, 0, 0, 'live');
                 INSERT INTO journal VALUES ('a1', 0, 5, 'p', 'h0', '{}');
                 INSERT INTO journal VALUES ('a1', 1, 6, 'h0', 'h1', '{\"x\":1}');",
            )
            .unwrap();
        }
        let mut db = Db::open(&path, "new", 1).unwrap();
        assert_eq!(db.version().unwrap(), LATEST);
        let rows = db
            .engine()
            .rows(
                "SELECT seq, hash, record FROM journal WHERE attempt_id = 'a1' ORDER BY seq",
                &[],
                |r| Ok((r.int(0)?, r.text(1)?, r.text(2)?)),
            )
            .unwrap();
        assert_eq!(
            rows,
            [
                (0, "h0".into(), "{}".into()),
                (1, "h1".into(), "{\"x\":1}".into())
            ]
        );
    }

    #[test]
    fn a_store_from_a_newer_brevet_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        let mut db = Db::open(&path, "0.1.0", 1).unwrap();
        db.engine()
            .execute(
                "INSERT INTO schema_version (version, applied_us, brevet) VALUES (?1, 3, '9.0.0')",
                params![LATEST + 1],
            )
            .unwrap();
        drop(db);
        let e = Db::open(&path, "0.1.0", 4).unwrap_err();
        assert!(matches!(e, StoreError::NewerSchema { found, .. } if found == LATEST + 1));
        assert!(e.to_string().contains("made by a newer brevet"), "{e}");
    }

    #[test]
    fn a_file_that_is_not_a_store_is_said_so_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        let junk = vec![0x5a_u8; 8192];
        std::fs::write(&path, &junk).unwrap();
        let e = Db::open(&path, "0.1.0", 1).unwrap_err();
        assert!(
            e.to_string().contains("damaged or not a brevet store"),
            "{e}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), junk);
    }

    #[test]
    fn stores_opened_together_migrate_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        let opened: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|i| {
                    s.spawn({
                        let path = path.clone();
                        move || Db::open(&path, "0.1.0", i).map(|_| ())
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(opened.iter().all(Result::is_ok), "{opened:?}");
        let mut db = Db::open(&path, "0.1.0", 9).unwrap();
        let rows = count(&mut db, "SELECT COUNT(*) FROM schema_version");
        assert_eq!(rows, i64::from(LATEST));
    }
}
