//! The embedded store: one SQLite file in the data folder, written in WAL
//! mode with a full sync at each commit (what a commit acknowledges survives
//! a power cut), foreign keys on, and the schema migrated when it opens.

use super::StoreError;
use super::schema::{LATEST, MIGRATIONS};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The store's file name in the data folder.
pub const FILE: &str = "brevet.db";

/// How long a write waits for another process's transaction.
const BUSY: Duration = Duration::from_secs(5);

/// An open embedded store.
#[derive(Debug)]
pub struct Db {
    conn: Connection,
    path: PathBuf,
}

impl Db {
    /// Opens (creating it if needed) the store at `path`, and brings its
    /// schema to [`LATEST`]. `brevet` (the program's version) and `now_us`
    /// go into the `schema_version` rows it adds.
    ///
    /// # Errors
    /// The file cannot be opened or is not a database, another process
    /// holds it longer than 5 s, or its schema is newer than this brevet's.
    pub fn open(path: &Path, brevet: &str, now_us: i64) -> Result<Self, StoreError> {
        let fail = |e: rusqlite::Error| database(path, &e);
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
        let mode: String =
            patiently(|| conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)))
                .map_err(fail)?;
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
        let mut db = Db {
            conn,
            path: path.to_path_buf(),
        };
        db.migrate(brevet, now_us)?;
        Ok(db)
    }

    /// The schema version of the store.
    ///
    /// # Errors
    /// The store cannot be read.
    pub fn version(&self) -> Result<u32, StoreError> {
        version(&self.conn).map_err(|e| database(&self.path, &e))
    }

    /// The store's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for the store's own modules.
    pub(super) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    fn migrate(&mut self, brevet: &str, now_us: i64) -> Result<(), StoreError> {
        let path = self.path.clone();
        let fail = |e: rusqlite::Error| database(&path, &e);
        let found = patiently(|| version(&self.conn)).map_err(fail)?;
        if found > LATEST {
            return Err(StoreError::NewerSchema {
                path: path.clone(),
                found,
                known: LATEST,
            });
        }
        for &(step, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > found) {
            // Another process may be migrating too: the version is read
            // again inside the write transaction.
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(fail)?;
            if version(&tx).map_err(fail)? >= step {
                continue;
            }
            tx.execute_batch(sql).map_err(fail)?;
            tx.execute(
                "INSERT INTO schema_version (version, applied_us, brevet) VALUES (?1, ?2, ?3)",
                (step, now_us, brevet),
            )
            .map_err(fail)?;
            tx.commit().map_err(fail)?;
        }
        Ok(())
    }
}

/// Runs `f` again while the database is busy, up to [`BUSY`]: for the
/// few steps SQLite refuses at once instead of waiting.
fn patiently<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let start = std::time::Instant::now();
    loop {
        match f() {
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                ) && start.elapsed() < BUSY =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

/// The highest schema version applied, 0 for a new file.
fn version(conn: &Connection) -> rusqlite::Result<u32> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version')",
        [],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(0);
    }
    conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_version",
        [],
        |r| r.get(0),
    )
}

/// A database error, with the file and what to do.
pub(super) fn database(path: &Path, e: &rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    let why = match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            "another program holds it (another brevet still running?): close it and try again".to_owned()
        }
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
            "it is damaged or not a brevet store: keep it as it is, and restore the last backup".to_owned()
        }
        Some(ErrorCode::DiskFull) => {
            "the disk is full: free some space and run the same command again (what was confirmed is saved)".to_owned()
        }
        Some(ErrorCode::ReadOnly | ErrorCode::PermissionDenied | ErrorCode::CannotOpen) => {
            format!("{e}: check that the data folder exists and can be written")
        }
        _ => e.to_string(),
    };
    StoreError::Database {
        path: path.to_path_buf(),
        why,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(db: &mut Db) -> Vec<String> {
        let mut stmt = db
            .conn_mut()
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
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
        let rows: u32 = db
            .conn_mut()
            .query_row("SELECT COUNT(*) FROM schema_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, LATEST);
        let mode: String = db
            .conn_mut()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{mode:o}");
        }
    }

    #[test]
    fn a_store_from_a_newer_brevet_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        let mut db = Db::open(&path, "0.1.0", 1).unwrap();
        db.conn_mut()
            .execute(
                "INSERT INTO schema_version (version, applied_us, brevet) VALUES (?1, 3, '9.0.0')",
                [LATEST + 1],
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
        let rows: u32 = db
            .conn_mut()
            .query_row("SELECT COUNT(*) FROM schema_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, LATEST);
    }
}
