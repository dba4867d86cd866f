//! The seam between the store's logic and its database engines: statements
//! with numbered parameters (`?1`, `?2`…), values of four kinds, rows read
//! by column, transactions. The store's queries are written once, over this
//! seam; only this module and the engines' own files know which engine runs
//! them.

use std::fmt;

/// A parameter or a column's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// An integer (times in microseconds, counts, 0 or 1 for booleans).
    Int(i64),
    /// A floating-point number.
    Real(f64),
    /// Text.
    Text(String),
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::Int(i64::from(v))
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Int(i64::from(v))
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(v)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// Parameters of a statement, in order: `params![a, b]`.
macro_rules! params {
    ($($v:expr),* $(,)?) => {
        &[$($crate::store::sql::Value::from($v)),*][..]
    };
}
pub(crate) use params;

/// What kind of failure an engine reported: the store says what to do
/// about each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A uniqueness constraint said no (another process was first).
    Unique,
    /// Another program holds the database longer than the store waits.
    Busy,
    /// The disk (or the database's quota) is full.
    Full,
    /// The database or its folder cannot be written.
    ReadOnly,
    /// The file is damaged, or is not a database.
    Corrupt,
    /// The database cannot be reached or opened.
    Unreachable,
    /// Anything else (a bug in a statement, a constraint).
    Other,
}

/// A failure of the engine.
#[derive(Debug, Clone)]
pub struct SqlError {
    /// What kind.
    pub kind: Kind,
    /// What the engine said.
    pub message: String,
}

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SqlError {}

impl SqlError {
    /// A failure of ours, not the engine's (a value of the wrong kind).
    pub fn other(message: impl Into<String>) -> Self {
        SqlError {
            kind: Kind::Other,
            message: message.into(),
        }
    }
}

impl From<rusqlite::Error> for SqlError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        let kind = match e.sqlite_error_code() {
            Some(ErrorCode::ConstraintViolation)
                if matches!(
                    &e,
                    rusqlite::Error::SqliteFailure(f, _)
                        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                            || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                ) =>
            {
                Kind::Unique
            }
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Kind::Busy,
            Some(ErrorCode::DiskFull) => Kind::Full,
            Some(ErrorCode::ReadOnly | ErrorCode::PermissionDenied) => Kind::ReadOnly,
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => Kind::Corrupt,
            Some(ErrorCode::CannotOpen) => Kind::Unreachable,
            _ => Kind::Other,
        };
        SqlError {
            kind,
            message: e.to_string(),
        }
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(*i),
            Value::Real(r) => ValueRef::Real(*r),
            Value::Text(t) => ValueRef::Text(t.as_bytes()),
        }))
    }
}

/// One row of a result, read by column index.
pub struct Row<'r> {
    inner: RowInner<'r>,
}

enum RowInner<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r postgres::Row),
}

impl Row<'_> {
    /// The column's value.
    ///
    /// # Errors
    /// No such column.
    pub fn value(&self, i: usize) -> Result<Value, SqlError> {
        use rusqlite::types::ValueRef;
        match &self.inner {
            RowInner::Sqlite(r) => Ok(match r.get_ref(i)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(n) => Value::Int(n),
                ValueRef::Real(x) => Value::Real(x),
                ValueRef::Text(t) | ValueRef::Blob(t) => {
                    Value::Text(String::from_utf8_lossy(t).into_owned())
                }
            }),
            RowInner::Postgres(r) => super::postgres::value(r, i),
        }
    }

    /// A text column that may be NULL.
    ///
    /// # Errors
    /// No such column, or not text.
    pub fn opt_text(&self, i: usize) -> Result<Option<String>, SqlError> {
        match &self.inner {
            RowInner::Sqlite(r) => Ok(r.get(i)?),
            RowInner::Postgres(_) => match self.value(i)? {
                Value::Null => Ok(None),
                Value::Text(t) => Ok(Some(t)),
                other => Err(SqlError::other(format!(
                    "column {i} is {other:?}, not text"
                ))),
            },
        }
    }

    /// A text column that may be NULL, borrowed from the row.
    ///
    /// # Errors
    /// No such column, or not text.
    pub fn opt_str(&self, i: usize) -> Result<Option<&str>, SqlError> {
        use rusqlite::types::ValueRef;
        match &self.inner {
            RowInner::Sqlite(r) => match r.get_ref(i)? {
                ValueRef::Null => Ok(None),
                ValueRef::Text(t) => std::str::from_utf8(t)
                    .map(Some)
                    .map_err(|e| SqlError::other(format!("column {i}: {e}"))),
                other => Err(SqlError::other(format!(
                    "column {i} is {:?}, not text",
                    other.data_type()
                ))),
            },
            RowInner::Postgres(r) => r
                .try_get::<_, Option<&str>>(i)
                .map_err(|e| SqlError::other(format!("column {i}: {e}"))),
        }
    }

    /// A text column, borrowed from the row.
    ///
    /// # Errors
    /// No such column, NULL, or not text.
    pub fn str(&self, i: usize) -> Result<&str, SqlError> {
        self.opt_str(i)?
            .ok_or_else(|| SqlError::other(format!("column {i} is NULL")))
    }

    /// A text column.
    ///
    /// # Errors
    /// No such column, NULL, or not text.
    pub fn text(&self, i: usize) -> Result<String, SqlError> {
        self.opt_text(i)?
            .ok_or_else(|| SqlError::other(format!("column {i} is NULL")))
    }

    /// An integer column that may be NULL.
    ///
    /// # Errors
    /// No such column, or not an integer.
    pub fn opt_int(&self, i: usize) -> Result<Option<i64>, SqlError> {
        match self.value(i)? {
            Value::Null => Ok(None),
            Value::Int(n) => Ok(Some(n)),
            other => Err(SqlError::other(format!(
                "column {i} is {other:?}, not an integer"
            ))),
        }
    }

    /// An integer column.
    ///
    /// # Errors
    /// No such column, NULL, or not an integer.
    pub fn int(&self, i: usize) -> Result<i64, SqlError> {
        self.opt_int(i)?
            .ok_or_else(|| SqlError::other(format!("column {i} is NULL")))
    }

    /// A 0-or-1 column.
    ///
    /// # Errors
    /// No such column, or not an integer.
    pub fn flag(&self, i: usize) -> Result<bool, SqlError> {
        Ok(self.int(i)? != 0)
    }

    /// A floating-point column.
    ///
    /// # Errors
    /// No such column, or not a number.
    pub fn real(&self, i: usize) -> Result<f64, SqlError> {
        match self.value(i)? {
            Value::Real(x) => Ok(x),
            #[allow(clippy::cast_precision_loss)] // SQLite stores 80.0 as 80
            Value::Int(n) => Ok(n as f64),
            other => Err(SqlError::other(format!(
                "column {i} is {other:?}, not a number"
            ))),
        }
    }
}

/// What the body of a transaction may fail with: the engine's failures,
/// and perhaps reasons of its own.
pub trait BodyError: From<SqlError> {
    /// The engine's failure, when this is one.
    fn sql(&self) -> Option<&SqlError>;
}

impl BodyError for SqlError {
    fn sql(&self) -> Option<&SqlError> {
        Some(self)
    }
}

/// A connection to one of the engines.
#[derive(Debug)]
pub enum Engine {
    /// The embedded store.
    Sqlite(rusqlite::Connection),
    /// A PostgreSQL server.
    Postgres(Box<super::postgres::Conn>),
}

impl Engine {
    /// Runs a statement; returns how many rows it changed.
    ///
    /// # Errors
    /// What the engine said.
    pub fn execute(&mut self, sql: &str, params: &[Value]) -> Result<usize, SqlError> {
        match self {
            Engine::Sqlite(c) => Ok(c
                .prepare_cached(sql)?
                .execute(rusqlite::params_from_iter(params))?),
            Engine::Postgres(c) => c.execute(sql, params),
        }
    }

    /// Runs a query; `each` sees every row, in order.
    ///
    /// # Errors
    /// What the engine said, or what `each` returned.
    pub fn each(
        &mut self,
        sql: &str,
        params: &[Value],
        each: &mut dyn FnMut(&Row<'_>) -> Result<(), SqlError>,
    ) -> Result<(), SqlError> {
        match self {
            Engine::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
                while let Some(r) = rows.next()? {
                    each(&Row {
                        inner: RowInner::Sqlite(r),
                    })?;
                }
                Ok(())
            }
            Engine::Postgres(c) => {
                for r in &c.query(sql, params)? {
                    each(&Row {
                        inner: RowInner::Postgres(r),
                    })?;
                }
                Ok(())
            }
        }
    }

    /// Every row of a query, each made into a `T` by `f`.
    ///
    /// # Errors
    /// What the engine said, or what `f` returned.
    pub fn rows<T>(
        &mut self,
        sql: &str,
        params: &[Value],
        f: impl Fn(&Row<'_>) -> Result<T, SqlError>,
    ) -> Result<Vec<T>, SqlError> {
        let mut out = Vec::new();
        self.each(sql, params, &mut |r| {
            out.push(f(r)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of a query, if any, made into a `T` by `f`.
    ///
    /// # Errors
    /// What the engine said, or what `f` returned.
    pub fn row<T>(
        &mut self,
        sql: &str,
        params: &[Value],
        f: impl Fn(&Row<'_>) -> Result<T, SqlError>,
    ) -> Result<Option<T>, SqlError> {
        let mut out = None;
        self.each(sql, params, &mut |r| {
            if out.is_none() {
                out = Some(f(r)?);
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// Runs statements separated by `;`, without parameters (migrations).
    ///
    /// # Errors
    /// What the engine said.
    pub fn batch(&mut self, sql: &str) -> Result<(), SqlError> {
        match self {
            Engine::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Engine::Postgres(c) => c.batch(sql),
        }
    }

    /// Runs a migration's statements: what only SQLite reads is written as
    /// a comment ([`super::schema::SQLITE_ONLY`]), made a clause here.
    ///
    /// # Errors
    /// What the engine said.
    pub fn migrate(&mut self, sql: &str) -> Result<(), SqlError> {
        match self {
            Engine::Sqlite(_) => {
                self.batch(&sql.replace(super::schema::SQLITE_ONLY, "WITHOUT ROWID"))
            }
            Engine::Postgres(_) => self.batch(sql),
        }
    }

    /// Begins a write transaction: on SQLite, the write lock is taken at
    /// once (`BEGIN IMMEDIATE`), so that what the transaction reads is what
    /// it writes over.
    ///
    /// # Errors
    /// What the engine said (another writer past the wait).
    pub fn begin(&mut self) -> Result<(), SqlError> {
        match self {
            Engine::Sqlite(c) => Ok(c.execute_batch("BEGIN IMMEDIATE")?),
            Engine::Postgres(c) => c.batch("BEGIN"),
        }
    }

    /// In a transaction: waits until no other process is changing the
    /// schema, so that stores opened together migrate once. (SQLite's
    /// write lock, taken at `begin`, already does.)
    ///
    /// # Errors
    /// What the engine said.
    pub fn lock_schema(&mut self) -> Result<(), SqlError> {
        match self {
            Engine::Sqlite(_) => Ok(()),
            // Any constant of ours: "brevet" in ASCII.
            Engine::Postgres(c) => c
                .query("SELECT pg_advisory_xact_lock(109605093434740)", &[])
                .map(|_| ()),
        }
    }

    /// Whether the next commits may skip the wait for the disk (`true`)
    /// or must wait for it (`false`, the default): a commit without the
    /// wait survives the process but not a power cut, until the next
    /// commit with it.
    ///
    /// # Errors
    /// What the engine said.
    pub fn lazily(&mut self, lazy: bool) -> Result<(), SqlError> {
        self.batch(match self {
            Engine::Sqlite(_) if lazy => "PRAGMA synchronous = NORMAL",
            Engine::Sqlite(_) => "PRAGMA synchronous = FULL",
            // Within a transaction, for it alone.
            Engine::Postgres(_) if lazy => "SET LOCAL synchronous_commit = off",
            Engine::Postgres(_) => "SET LOCAL synchronous_commit = on",
        })
    }

    /// Whether [`Engine::lazily`] is said inside the transaction it is for
    /// (PostgreSQL), rather than before it (SQLite).
    pub fn lazy_in_transaction(&self) -> bool {
        matches!(self, Engine::Postgres(_))
    }

    /// Commits the transaction.
    ///
    /// # Errors
    /// What the engine said; the transaction is then rolled back.
    pub fn commit(&mut self) -> Result<(), SqlError> {
        let done = self.batch("COMMIT");
        if done.is_err() {
            self.rollback();
        }
        done
    }

    /// Rolls the transaction back, if one is open.
    pub fn rollback(&mut self) {
        match self {
            Engine::Sqlite(c) => {
                if !c.is_autocommit() {
                    let _ = c.execute_batch("ROLLBACK");
                }
            }
            Engine::Postgres(c) => {
                if c.in_transaction() {
                    let _ = c.batch("ROLLBACK");
                }
            }
        }
    }

    /// Runs `f` in a write transaction: committed if `f` succeeds, rolled
    /// back otherwise. On a server whose connection was lost, the
    /// transaction is run again once connected again (for about ten
    /// seconds): what it writes must be the same when written twice, as the
    /// journal's lines are.
    ///
    /// # Errors
    /// What `f` returned, or the engine's failure to begin or commit.
    pub fn transaction<T>(
        &mut self,
        f: impl FnMut(&mut Engine) -> Result<T, SqlError>,
    ) -> Result<T, SqlError> {
        self.transaction_or(f)
    }

    /// [`Engine::transaction`] for a body that may also fail for reasons of
    /// its own (a rule that refuses what it was asked to write).
    ///
    /// # Errors
    /// What `f` returned, or the engine's failure to begin or commit.
    pub fn transaction_or<T, E: BodyError>(
        &mut self,
        mut f: impl FnMut(&mut Engine) -> Result<T, E>,
    ) -> Result<T, E> {
        match self.try_transaction(&mut f) {
            Err(e) if e.sql().is_some_and(|e| e.kind == Kind::Unreachable) => {
                let Engine::Postgres(c) = self else {
                    return Err(e);
                };
                c.reconnect()?;
                self.try_transaction(&mut f)
            }
            other => other,
        }
    }

    fn try_transaction<T, E: BodyError>(
        &mut self,
        f: &mut impl FnMut(&mut Engine) -> Result<T, E>,
    ) -> Result<T, E> {
        self.begin()?;
        match f(self) {
            Ok(v) => {
                self.commit()?;
                Ok(v)
            }
            Err(e) => {
                self.rollback();
                Err(e)
            }
        }
    }
}
