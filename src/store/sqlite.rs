//! The embedded store: one SQLite file in the data folder, written in WAL
//! mode with a full sync at each commit (what a commit acknowledges survives
//! a power cut), foreign keys on, and the schema migrated when it opens.

use super::StoreError;
use super::db::{BUSY, Stamp, database, patiently};
use super::sql::{Engine, Kind, SqlError};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

pub use super::db::Db;

/// The store's file name in the data folder.
pub const FILE: &str = "brevet.db";

/// The page size of a new store, in bytes.
const PAGE: u32 = 2048;

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
                    return Err(StoreError::Unwritable {
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
        // Pages of 2 KiB: the smallest that hold a journal row whole (its
        // primary key's tree keeps at most a quarter of a page in place;
        // the rest of a longer row goes to a page of its own), so that an
        // answer's commit writes one or two pages to the log (BENCHMARKS.md,
        // "The store: an acknowledged answer"). A store made before keeps
        // its own.
        conn.execute_batch(&format!("PRAGMA page_size = {PAGE}"))
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
        // A checkpoint every 500 pages of log (1 MiB with pages of 2 KiB):
        // the log [`Db::make_log_room`] keeps.
        conn.execute_batch(
            "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 500;",
        )
        .map_err(fail)?;
        Db::migrated(Engine::Sqlite(conn), path, brevet, now_us)
    }

    /// Opens the store at `path` to read it only, as it is: a copy on a
    /// read-only disk, or in a folder this user cannot write. Nothing is
    /// migrated; a store of schema 2 (the first with today's results) up
    /// to [`LATEST`](super::schema::LATEST) can be read.
    ///
    /// It is read as a reader beside the programs that may write it (with
    /// SQLite's locks and log) when SQLite can do so, and else as an
    /// immutable file (without them: when no log is beside it and none
    /// can be made); then [`Db::unchanged`] says whether it stayed so.
    ///
    /// # Errors
    /// The file cannot be read or is not a store, or its schema is too old
    /// or too new to be read as it is.
    pub fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        let fail = |e: rusqlite::Error| database(path, &SqlError::from(e));
        let open = |immutable: bool| -> Result<Connection, rusqlite::Error> {
            let uri = format!(
                "{}?mode=ro{}",
                file_uri(path),
                if immutable { "&immutable=1" } else { "" }
            );
            let conn = Connection::open_with_flags(
                uri,
                OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_URI
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            conn.busy_timeout(BUSY)?;
            // Opening reads nothing: this does.
            conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })?;
            Ok(conn)
        };
        let (conn, stamp) = match open(false).map_err(SqlError::from) {
            Ok(conn) => (conn, None),
            // No log beside it, and none can be made here.
            Err(e) if matches!(e.kind, Kind::ReadOnly | Kind::Unreachable) => {
                let stamp = Stamp::of(path).map_err(|source| StoreError::Io {
                    path: path.to_path_buf(),
                    source,
                })?;
                (open(true).map_err(fail)?, Some(stamp))
            }
            Err(e) => return Err(database(path, &e)),
        };
        let mut db = Db::opened(Engine::Sqlite(conn), path, stamp);
        let found = db.version()?;
        let known = super::schema::LATEST;
        if found > known {
            return Err(StoreError::NewerSchema {
                path: path.to_path_buf(),
                found,
                known,
            });
        }
        if found < 2 {
            return Err(StoreError::Database {
                path: path.to_path_buf(),
                why: format!(
                    "its schema (version {found}) is too old to be read as it is: open it once with brevet where it can be written"
                ),
            });
        }
        Ok(db)
    }

    /// Another connection to the same store, read only, for a second
    /// thread to read beside this one; `None` on a server.
    ///
    /// # Errors
    /// The file cannot be opened again.
    pub fn reader(&self) -> Result<Option<Db>, StoreError> {
        if self.on_server() {
            return Ok(None);
        }
        Db::open_read_only(self.path()).map(Some)
    }

    /// Makes the write-ahead log long enough to be written over rather than
    /// lengthened, for a writer about to append many small commits (an
    /// attempt's answers); nothing on a server.
    ///
    /// SQLite deletes the log when the last connection closes, and a new
    /// log grows with every commit: each sync then writes the file's new
    /// length as well as its pages. Once a checkpoint has copied the whole
    /// log into the database, the next commit starts the log again from
    /// its beginning, in place: its sync writes only the pages. So, when the
    /// log is shorter than an automatic checkpoint's worth of pages, one
    /// transaction fills it with a table of that size, dropped in the same
    /// transaction (its pages join the database's free pages and are used
    /// again by later rows), and the checkpoint that follows leaves a log
    /// ready to be written over (BENCHMARKS.md, "The store: an acknowledged
    /// answer"). The data is not needed: that transaction is not synced of
    /// its own; the checkpoint syncs the log and the database as it always
    /// does.
    ///
    /// # Errors
    /// The store failed (a full disk, another process holding it).
    pub fn make_log_room(&mut self) -> Result<(), StoreError> {
        let log = log_path(self.path());
        let fail = self.fail();
        let Some(conn) = self.sqlite() else {
            return Ok(());
        };
        // Within another transaction (none should be open), nothing.
        if !conn.is_autocommit() {
            return Ok(());
        }
        let pragma = |name: &str| -> Result<i64, rusqlite::Error> {
            conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
        };
        let (page, pages) = (
            pragma("page_size").map_err(|e| fail(e.into()))?,
            pragma("wal_autocheckpoint").map_err(|e| fail(e.into()))?,
        );
        if pages <= 0 {
            return Ok(());
        }
        // A log's header, then a frame (a header and a page) per page.
        let room = 32 + (page + 24) * pages;
        let length = std::fs::metadata(&log).map_or(0, |m| m.len());
        if i64::try_from(length).unwrap_or(i64::MAX) >= room {
            return Ok(());
        }
        let filled = conn.execute_batch(&format!(
            "PRAGMA synchronous = NORMAL;
             BEGIN IMMEDIATE;
             CREATE TABLE brevet_log_room (b BLOB);
             INSERT INTO brevet_log_room VALUES (zeroblob({}));
             DROP TABLE brevet_log_room;
             COMMIT;
             PRAGMA wal_checkpoint(PASSIVE);",
            page * pages
        ));
        if filled.is_err() && !conn.is_autocommit() {
            let _ = conn.execute_batch("ROLLBACK");
        }
        // Back to a sync per commit, whatever happened.
        let restored = conn.execute_batch("PRAGMA synchronous = FULL");
        filled.and(restored).map_err(|e| fail(e.into()))
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

/// `path` as an SQLite `file:` address: bytes other than letters, digits
/// and `-._~/` percent-encoded; an absolute path after an empty authority
/// (`file:///…`), so that one beginning with `//` is not read as a host.
fn file_uri(path: &Path) -> String {
    use std::fmt::Write as _;
    let mut out = String::from(if path.is_absolute() {
        "file://"
    } else {
        "file:"
    });
    for &b in path.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The write-ahead log beside the database file `db` (beside the file a
/// link leads to, as SQLite puts it).
fn log_path(db: &Path) -> std::path::PathBuf {
    let mut name = std::fs::canonicalize(db)
        .unwrap_or_else(|_| db.to_path_buf())
        .into_os_string();
    name.push("-wal");
    name.into()
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
        assert_eq!(count(&mut db, "PRAGMA page_size"), i64::from(PAGE));
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
    fn answers_write_over_the_room_made_for_them_and_the_room_is_made_once() {
        use crate::attempt::{Command, Response};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        let log = log_path(&path);
        let mut db = Db::open(&path, "0.1.0", 1).unwrap();
        db.make_log_room().unwrap();
        let needed = 32 + (u64::from(PAGE) + 24) * 500;
        let room = std::fs::metadata(&log).unwrap().len();
        assert!(room >= needed, "{room}");
        // Attempts after attempts: the log is written over, never longer.
        let exam = crate::store::testing::demo();
        let answer = Command::Answer {
            item: 0,
            response: Response::Bool(true),
        };
        for i in 0..40 {
            let id = format!("a{i}");
            let name = format!("Learner {i}");
            crate::store::testing::take(
                &mut db,
                &exam,
                &id,
                &name,
                i,
                std::slice::from_ref(&answer),
            );
            assert_eq!(std::fs::metadata(&log).unwrap().len(), room, "after {id}");
        }
        // Nothing to do when the room is there.
        db.make_log_room().unwrap();
        assert_eq!(std::fs::metadata(&log).unwrap().len(), room);
        drop(db);
        // The last connection takes the log away; the next room reuses the
        // pages of the first: the free pages never add up to more than one
        // room.
        assert!(!log.exists());
        let mut db = Db::open(&path, "0.1.0", 2).unwrap();
        db.make_log_room().unwrap();
        let second = std::fs::metadata(&log).unwrap().len();
        assert!(second >= needed, "{second}");
        assert!(count(&mut db, "PRAGMA freelist_count") <= 510);
        drop(db);
        // Every result is there, and the tables of the room are not.
        let mut db = Db::open(&path, "0.1.0", 3).unwrap();
        let results = db
            .results(&crate::store::results::ResultFilter::default())
            .unwrap();
        assert_eq!(results.len(), 40);
        assert!(!tables(&mut db).iter().any(|t| t.contains("room")));
        assert_eq!(
            db.sqlite()
                .unwrap()
                .query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
                .unwrap(),
            "ok"
        );
    }

    #[test]
    fn a_store_read_as_it_is_is_neither_migrated_nor_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        let mut db = Db::open(&path, "0.1.0", 1).unwrap();
        let exam = crate::store::testing::demo();
        crate::store::testing::take(&mut db, &exam, "a1", "Ada Lovelace", 0, &[]);
        drop(db);
        assert!(!log_path(&path).exists());
        let bytes = std::fs::read(&path).unwrap();
        let mut copy = Db::open_read_only(&path).unwrap();
        assert_eq!(
            copy.results(&crate::store::results::ResultFilter::default())
                .unwrap()
                .len(),
            1
        );
        assert!(copy.make_log_room().is_err());
        assert!(copy.engine().batch("DELETE FROM results").is_err());
        drop(copy);
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
        // Too new, or too old, to be read without a migration.
        for (version, says) in [(LATEST + 1, "newer brevet"), (1, "too old")] {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("DELETE FROM schema_version").unwrap();
            conn.execute(
                "INSERT INTO schema_version (version, applied_us, brevet) VALUES (?1, 0, 'x')",
                [version],
            )
            .unwrap();
            drop(conn);
            let e = Db::open_read_only(&path).unwrap_err().to_string();
            assert!(e.contains(says), "{e}");
        }
    }

    #[test]
    fn a_store_is_read_as_it_is_whatever_its_folder_is_called() {
        use std::os::unix::ffi::OsStrExt as _;
        let dir = tempfile::tempdir().unwrap();
        let odd = dir
            .path()
            .join(std::ffi::OsStr::from_bytes(b"a b?c#d%e&f=\xff"));
        std::fs::create_dir(&odd).unwrap();
        let path = odd.join(FILE);
        drop(Db::open(&path, "0.1.0", 1).unwrap());
        let mut db = Db::open_read_only(&path).unwrap();
        assert_eq!(db.version().unwrap(), LATEST);
        assert!(db.unchanged().is_ok());
        // An absolute path that begins with `//` is not taken for a host.
        let uri = file_uri(Path::new("//srv/exams/brevet.db"));
        assert_eq!(uri, "file:////srv/exams/brevet.db");
        assert_eq!(
            file_uri(Path::new("/a b/c?#%.db")),
            "file:///a%20b/c%3F%23%25.db"
        );
        assert_eq!(file_uri(Path::new("data/brevet.db")), "file:data/brevet.db");
    }

    #[test]
    fn a_file_read_as_immutable_that_changed_is_said_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        drop(Db::open(&path, "0.1.0", 1).unwrap());
        let stamp = Stamp::of(&path).unwrap();
        let conn = Connection::open(&path).unwrap();
        let db = Db::opened(Engine::Sqlite(conn), &path, Some(stamp));
        assert!(db.unchanged().is_ok());
        // Another program begins writing it.
        let mut writer = Db::open(&path, "0.1.0", 2).unwrap();
        writer
            .engine()
            .batch("INSERT INTO schema_version VALUES (99, 0, 'x')")
            .unwrap();
        let e = db.unchanged().unwrap_err().to_string();
        assert!(e.contains("changed while it was read"), "{e}");
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
