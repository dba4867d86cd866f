//! An open store, whatever its engine: the connection, where it is (for
//! messages), the schema brought up to date when it opens, and what each
//! kind of engine failure means for the person reading the message.

use super::StoreError;
use super::schema::{LATEST, MIGRATIONS};
use super::sql::{Engine, Kind, SqlError, params};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a write waits for another process's transaction.
pub(super) const BUSY: Duration = Duration::from_secs(5);

/// An open store.
#[derive(Debug)]
pub struct Db {
    engine: Engine,
    path: PathBuf,
    /// A file read as immutable: its length and time of change when it
    /// was opened, for [`Db::unchanged`].
    read_as_of: Option<Stamp>,
}

/// What says a file changed: its length and its time of change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Stamp(u64, Option<std::time::SystemTime>);

impl Stamp {
    /// The stamp of `path` now.
    pub(super) fn of(path: &Path) -> std::io::Result<Self> {
        let m = std::fs::metadata(path)?;
        Ok(Stamp(m.len(), m.modified().ok()))
    }
}

impl Db {
    /// A store over `engine`, at `path` (its file, or its server), with
    /// its schema brought to [`LATEST`]; `brevet` (the program's version)
    /// and `now_us` go into the `schema_version` rows it adds.
    ///
    /// # Errors
    /// The store cannot be read, or its schema is newer than this brevet's.
    pub(super) fn migrated(
        engine: Engine,
        path: &Path,
        brevet: &str,
        now_us: i64,
    ) -> Result<Self, StoreError> {
        let mut db = Db {
            engine,
            path: path.to_path_buf(),
            read_as_of: None,
        };
        db.migrate(brevet, now_us)?;
        Ok(db)
    }

    /// A store over `engine`, at `path`, whose schema another connection
    /// has already brought up to date.
    pub(super) fn opened(engine: Engine, path: &Path, read_as_of: Option<Stamp>) -> Self {
        Db {
            engine,
            path: path.to_path_buf(),
            read_as_of,
        }
    }

    /// For a store read as immutable ([`Db::open_read_only`]): whether its
    /// file is still as it was when it was opened, and no program has
    /// begun writing it since (which would have made a log beside it).
    /// What was read from a file that changed may be torn.
    ///
    /// # Errors
    /// The file changed while it was read.
    pub fn unchanged(&self) -> Result<(), StoreError> {
        let Some(stamp) = &self.read_as_of else {
            return Ok(());
        };
        let mut log = self.path.as_os_str().to_owned();
        log.push("-wal");
        let same =
            Stamp::of(&self.path).is_ok_and(|now| now == *stamp) && !Path::new(&log).exists();
        if same {
            Ok(())
        } else {
            Err(StoreError::Database {
                path: self.path.clone(),
                why: "it changed while it was read (a brevet began writing it): run the command again"
                    .into(),
            })
        }
    }

    /// The schema version of the store.
    ///
    /// # Errors
    /// The store cannot be read.
    pub fn version(&mut self) -> Result<u32, StoreError> {
        let fail = self.fail();
        version(&mut self.engine).map_err(fail)
    }

    /// Whether the store is on a server (shared by stations), not a file.
    pub fn on_server(&self) -> bool {
        matches!(self.engine, Engine::Postgres(_))
    }

    /// The store's file (or server).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for the store's own modules.
    pub(super) fn engine(&mut self) -> &mut Engine {
        &mut self.engine
    }

    /// Turns an engine's failure into the store's, naming the store.
    pub(super) fn fail(&self) -> impl Fn(SqlError) -> StoreError + use<> {
        let path = self.path.clone();
        let server = matches!(self.engine, Engine::Postgres(_));
        move |e| {
            if server {
                server_error(&path, &e)
            } else {
                database(&path, &e)
            }
        }
    }

    fn migrate(&mut self, brevet: &str, now_us: i64) -> Result<(), StoreError> {
        let fail = self.fail();
        let found = patiently(|| version(&mut self.engine)).map_err(&fail)?;
        if found > LATEST {
            return Err(StoreError::NewerSchema {
                path: self.path.clone(),
                found,
                known: LATEST,
            });
        }
        for &(step, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > found) {
            // Another process may be migrating too: the version is read
            // again inside the write transaction.
            self.engine
                .transaction(|e| {
                    e.lock_schema()?;
                    if version(e)? >= step {
                        return Ok(());
                    }
                    e.migrate(sql)?;
                    e.execute(
                        "INSERT INTO schema_version (version, applied_us, brevet) VALUES (?1, ?2, ?3)",
                        params![step, now_us, brevet],
                    )?;
                    Ok(())
                })
                .map_err(&fail)?;
        }
        Ok(())
    }
}

/// Runs `f` again while the database is busy, up to [`BUSY`]: for the
/// few steps an engine refuses at once instead of waiting.
pub(super) fn patiently<T>(mut f: impl FnMut() -> Result<T, SqlError>) -> Result<T, SqlError> {
    let start = std::time::Instant::now();
    loop {
        match f() {
            Err(e) if e.kind == Kind::Busy && start.elapsed() < BUSY => {
                std::thread::sleep(Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

/// The highest schema version applied, 0 for a new store.
fn version(engine: &mut Engine) -> Result<u32, SqlError> {
    let exists = engine
        .row(engine_tables_query(engine), &[], |r| r.int(0))?
        .unwrap_or(0);
    if exists == 0 {
        return Ok(0);
    }
    let v = engine
        .row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_version",
            &[],
            |r| r.int(0),
        )?
        .unwrap_or(0);
    u32::try_from(v).map_err(|_| SqlError::other(format!("schema version {v}")))
}

/// How `engine` says whether the table `schema_version` exists (1 or 0).
fn engine_tables_query(engine: &Engine) -> &'static str {
    match engine {
        Engine::Sqlite(_) => {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        }
        Engine::Postgres(_) => {
            "SELECT COUNT(*) FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_name = 'schema_version'"
        }
    }
}

/// A failure of the store on the server `shown`, with what to do.
pub(super) fn server_error(shown: &Path, e: &SqlError) -> StoreError {
    let why = match e.kind {
        Kind::Unreachable => format!(
            "cannot reach the store ({e}): what was confirmed before is saved there; check that the server runs, and the address, user and password given, then run the same command again"
        ),
        Kind::Busy => format!("{e}: another station holds what this one needs; try again"),
        Kind::Full => format!("{e}: the server's disk is full; what was confirmed is saved"),
        Kind::ReadOnly => format!("{e}: this user may not write to the store"),
        Kind::Corrupt | Kind::Unique | Kind::Other => e.to_string(),
    };
    StoreError::Database {
        path: shown.to_path_buf(),
        why,
    }
}

/// A failure of the store at `path`, with what to do.
pub(super) fn database(path: &Path, e: &SqlError) -> StoreError {
    let why = match e.kind {
        Kind::Busy => {
            "another program holds it (another brevet still running?): close it and try again"
                .to_owned()
        }
        Kind::Corrupt => {
            "it is damaged or not a brevet store: keep it as it is, and restore the last backup"
                .to_owned()
        }
        Kind::Full => {
            "the disk is full: free some space and run the same command again (what was confirmed is saved)"
                .to_owned()
        }
        Kind::ReadOnly | Kind::Unreachable => {
            return StoreError::Unwritable {
                path: path.to_path_buf(),
                why: format!("{e}: check that the data folder exists and can be written"),
            };
        }
        Kind::Unique | Kind::Other => e.to_string(),
    };
    StoreError::Database {
        path: path.to_path_buf(),
        why,
    }
}
