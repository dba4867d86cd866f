//! The store on a PostgreSQL server, the one rooms and organisations share:
//! a synchronous client (a command-line program waits for each answer
//! anyway), statements prepared once per connection, parameters converted
//! to the types the server infers, and a lost connection tried again for
//! about ten seconds before the store says it is gone.
//!
//! The password never comes with the address: it is given apart (an
//! environment variable or a file), so that it shows neither in the
//! process list nor in any message.

use super::StoreError;
use super::db::Db;
use super::sql::{Engine, Kind, SqlError, Value};
use postgres::types::{ToSql, Type};
use std::collections::HashMap;
use std::time::Duration;

/// How long a connection attempt may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// For how long a lost connection is tried again.
const RECONNECT_FOR: Duration = Duration::from_secs(10);

/// Where a PostgreSQL store is, and how to log in.
#[derive(Clone)]
pub struct Target {
    config: postgres::Config,
    shown: String,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl Target {
    /// The store at `address` (`postgresql://user@host:port/db`, or
    /// `host=… dbname=…`; a host that begins with `/` is the folder of a
    /// Unix socket), logging in with `password` if one is needed.
    ///
    /// # Errors
    /// The address does not parse, or holds a password.
    pub fn new(address: &str, password: Option<String>) -> Result<Self, String> {
        // Not echoed: a password typed into it would be printed.
        let mut config: postgres::Config = address
            .parse()
            .map_err(|e| format!("not a PostgreSQL address ({e})"))?;
        if config.get_password().is_some() {
            return Err(
                "the PostgreSQL address holds a password: take it out, and give it in BREVET_STORE_PASSWORD or in a file named by --store-password-file".into(),
            );
        }
        if let Some(p) = password {
            config.password(p);
        }
        // A link that dies without a word (a cable, a sleeping switch) is
        // noticed within seconds, not after the system's quarter of an hour.
        config
            .connect_timeout(CONNECT_TIMEOUT)
            .tcp_user_timeout(RECONNECT_FOR)
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(5))
            .keepalives_interval(Duration::from_secs(2))
            .keepalives_retries(3)
            .application_name("brevet");
        let shown = shown(&config);
        Ok(Target { config, shown })
    }

    /// The store as messages name it: user, host, port and database,
    /// never the password.
    pub fn shown(&self) -> &str {
        &self.shown
    }
}

/// `postgresql://user@host:port/db`, a socket folder as its path.
fn shown(config: &postgres::Config) -> String {
    let host = config
        .get_hosts()
        .first()
        .map_or_else(String::new, |h| match h {
            postgres::config::Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            postgres::config::Host::Unix(path) => path.display().to_string(),
        });
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or("");
    let db = config.get_dbname().unwrap_or(user);
    format!("postgresql://{user}@{host}:{port}/{db}")
}

impl Db {
    /// Connects to the store at `target` and brings its schema to the
    /// latest version; `brevet` (the program's version) and `now_us` go into
    /// the `schema_version` rows it adds.
    ///
    /// # Errors
    /// The server cannot be reached or refuses the login, or the store's
    /// schema is newer than this brevet's.
    pub fn open_postgres(target: &Target, brevet: &str, now_us: i64) -> Result<Self, StoreError> {
        let shown = std::path::PathBuf::from(target.shown());
        let conn = Conn::connect(target).map_err(|e| super::db::server_error(&shown, &e))?;
        Db::migrated(Engine::Postgres(Box::new(conn)), &shown, brevet, now_us)
    }
}

/// An open connection.
pub struct Conn {
    client: postgres::Client,
    target: Target,
    statements: HashMap<String, postgres::Statement>,
    in_transaction: bool,
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Conn({})", self.target.shown)
    }
}

impl Conn {
    /// Connects to `target`.
    ///
    /// # Errors
    /// The server cannot be reached, or refuses the login.
    pub fn connect(target: &Target) -> Result<Self, SqlError> {
        let client = target.config.connect(postgres::NoTls).map_err(error)?;
        Ok(Conn {
            client,
            target: target.clone(),
            statements: HashMap::new(),
            in_transaction: false,
        })
    }

    /// Connects again after the connection was lost, trying for about
    /// ten seconds.
    ///
    /// # Errors
    /// The server stayed out of reach.
    pub fn reconnect(&mut self) -> Result<(), SqlError> {
        let start = std::time::Instant::now();
        let mut wait = Duration::from_millis(100);
        loop {
            match self.target.config.connect(postgres::NoTls) {
                Ok(client) => {
                    self.client = client;
                    self.statements.clear();
                    self.in_transaction = false;
                    return Ok(());
                }
                Err(e) if start.elapsed() + wait >= RECONNECT_FOR => return Err(error(e)),
                Err(_) => {
                    std::thread::sleep(wait);
                    wait = (wait * 2).min(Duration::from_secs(2));
                }
            }
        }
    }

    fn statement(&mut self, sql: &str) -> Result<postgres::Statement, SqlError> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(&dollars(sql)).map_err(error)?;
        self.statements.insert(sql.to_owned(), s.clone());
        Ok(s)
    }

    /// Runs `f`; outside a transaction, once more after connecting again if
    /// the connection was lost (a statement on its own is the same run
    /// twice: each of the store's is). Within one, the transaction is what
    /// is run again ([`super::sql::Engine::transaction`]).
    fn again<T>(
        &mut self,
        mut f: impl FnMut(&mut Self) -> Result<T, SqlError>,
    ) -> Result<T, SqlError> {
        let alone = !self.in_transaction;
        match f(self) {
            Err(e) if alone && e.kind == Kind::Unreachable => {
                self.reconnect()?;
                f(self)
            }
            other => other,
        }
    }

    /// Runs a statement; how many rows it changed.
    ///
    /// # Errors
    /// What the server said.
    pub fn execute(&mut self, sql: &str, params: &[Value]) -> Result<usize, SqlError> {
        self.again(|c| {
            let s = c.statement(sql)?;
            let bound = bind(s.params(), params)?;
            let refs: Vec<&(dyn ToSql + Sync)> = bound.iter().map(|b| &**b).collect();
            let n = c.client.execute(&s, &refs).map_err(error)?;
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        })
    }

    /// Runs a query.
    ///
    /// # Errors
    /// What the server said.
    pub fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<postgres::Row>, SqlError> {
        self.again(|c| {
            let s = c.statement(sql)?;
            let bound = bind(s.params(), params)?;
            let refs: Vec<&(dyn ToSql + Sync)> = bound.iter().map(|b| &**b).collect();
            c.client.query(&s, &refs).map_err(error)
        })
    }

    /// Runs statements separated by `;`, without parameters.
    ///
    /// # Errors
    /// What the server said.
    pub fn batch(&mut self, sql: &str) -> Result<(), SqlError> {
        self.again(|c| c.client.batch_execute(sql).map_err(error))?;
        match sql.trim() {
            "BEGIN" => self.in_transaction = true,
            "COMMIT" | "ROLLBACK" => self.in_transaction = false,
            _ => {}
        }
        Ok(())
    }

    /// Whether a transaction is open.
    pub fn in_transaction(&self) -> bool {
        self.in_transaction
    }
}

/// `?1` as PostgreSQL writes it: `$1`. (The store's statements hold no
/// `?` in their text.)
fn dollars(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

/// The parameters as the types the server inferred for them.
fn bind(types: &[Type], values: &[Value]) -> Result<Vec<Box<dyn ToSql + Sync>>, SqlError> {
    if types.len() != values.len() {
        return Err(SqlError::other(format!(
            "{} parameters given for {}",
            values.len(),
            types.len()
        )));
    }
    types
        .iter()
        .zip(values)
        .enumerate()
        .map(|(i, (ty, v))| {
            let wrong = || SqlError::other(format!("parameter {}: {v:?} given for {ty}", i + 1));
            let int = |v: &Value| match v {
                Value::Null => Ok(None),
                Value::Int(n) => Ok(Some(*n)),
                _ => Err(wrong()),
            };
            let b: Box<dyn ToSql + Sync> = match *ty {
                Type::INT2 => Box::new(
                    int(v)?
                        .map(i16::try_from)
                        .transpose()
                        .map_err(|_| wrong())?,
                ),
                Type::INT4 => Box::new(
                    int(v)?
                        .map(i32::try_from)
                        .transpose()
                        .map_err(|_| wrong())?,
                ),
                Type::INT8 => Box::new(int(v)?),
                Type::BOOL => Box::new(int(v)?.map(|n| n != 0)),
                Type::FLOAT8 => Box::new(match v {
                    Value::Null => None,
                    #[allow(clippy::cast_precision_loss)] // small counts
                    Value::Int(n) => Some(*n as f64),
                    Value::Real(x) => Some(*x),
                    Value::Text(_) => return Err(wrong()),
                }),
                _ => Box::new(match v {
                    Value::Null => None,
                    Value::Text(t) => Some(t.clone()),
                    Value::Int(n) => Some(n.to_string()),
                    Value::Real(x) => Some(x.to_string()),
                }),
            };
            Ok(b)
        })
        .collect()
}

/// Column `i` of `row`, as a [`Value`].
///
/// # Errors
/// No such column, or a type the store never uses.
pub fn value(row: &postgres::Row, i: usize) -> Result<Value, SqlError> {
    let ty = row
        .columns()
        .get(i)
        .ok_or_else(|| SqlError::other(format!("no column {i}")))?
        .type_()
        .clone();
    let get = |e: postgres::Error| SqlError::other(format!("column {i}: {e}"));
    Ok(match ty {
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)
            .map_err(get)?
            .map_or(Value::Null, |n| Value::Int(i64::from(n))),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)
            .map_err(get)?
            .map_or(Value::Null, |n| Value::Int(i64::from(n))),
        Type::INT8 => row
            .try_get::<_, Option<i64>>(i)
            .map_err(get)?
            .map_or(Value::Null, Value::Int),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)
            .map_err(get)?
            .map_or(Value::Null, |b| Value::Int(i64::from(b))),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(i)
            .map_err(get)?
            .map_or(Value::Null, |x| Value::Real(f64::from(x))),
        Type::FLOAT8 => row
            .try_get::<_, Option<f64>>(i)
            .map_err(get)?
            .map_or(Value::Null, Value::Real),
        _ => row
            .try_get::<_, Option<String>>(i)
            .map_err(get)?
            .map_or(Value::Null, Value::Text),
    })
}

/// The server's failure, sorted by what to do about it.
fn error(e: postgres::Error) -> SqlError {
    use postgres::error::SqlState;
    let Some(db) = e.as_db_error() else {
        let mut message = e.to_string();
        let mut lost = e.is_closed() || message.starts_with("error connecting");
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            lost |= s.is::<std::io::Error>();
            message = format!("{message}: {s}");
            source = s.source();
        }
        // No answer from the server (the connection is lost or was never
        // made), or a value of ours the client refused.
        return SqlError {
            kind: if lost { Kind::Unreachable } else { Kind::Other },
            message,
        };
    };
    let code = db.code();
    let kind = if *code == SqlState::UNIQUE_VIOLATION {
        Kind::Unique
    } else if [
        SqlState::T_R_SERIALIZATION_FAILURE,
        SqlState::T_R_DEADLOCK_DETECTED,
        SqlState::LOCK_NOT_AVAILABLE,
    ]
    .contains(code)
    {
        Kind::Busy
    } else if *code == SqlState::DISK_FULL {
        Kind::Full
    } else if [
        SqlState::READ_ONLY_SQL_TRANSACTION,
        SqlState::INSUFFICIENT_PRIVILEGE,
    ]
    .contains(code)
    {
        Kind::ReadOnly
    } else if [
        SqlState::ADMIN_SHUTDOWN,
        SqlState::CRASH_SHUTDOWN,
        SqlState::CANNOT_CONNECT_NOW,
        SqlState::INVALID_PASSWORD,
        SqlState::INVALID_AUTHORIZATION_SPECIFICATION,
        SqlState::INVALID_CATALOG_NAME,
        SqlState::TOO_MANY_CONNECTIONS,
    ]
    .contains(code)
    {
        Kind::Unreachable
    } else {
        Kind::Other
    };
    SqlError {
        kind,
        message: db.message().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_parameters_are_written_as_postgresql_writes_them() {
        assert_eq!(
            dollars("SELECT a FROM t WHERE b = ?1 AND c IN ('x' || ?2, ?12)"),
            "SELECT a FROM t WHERE b = $1 AND c IN ('x' || $2, $12)"
        );
    }

    #[test]
    fn an_address_with_a_password_is_refused_and_none_is_ever_shown() {
        let e = Target::new("postgresql://ada:s3cret@db.example/brevet", None).unwrap_err();
        assert!(e.contains("BREVET_STORE_PASSWORD"), "{e}");
        assert!(!e.contains("s3cret"), "{e}");
        let e = Target::new("postgresql://ada:s3cret@db.example:port/brevet", None).unwrap_err();
        assert!(!e.contains("s3cret"), "{e}");
        let t = Target::new(
            "postgresql://ada@db.example:5433/brevet",
            Some("s3cret".into()),
        )
        .unwrap();
        assert_eq!(t.shown(), "postgresql://ada@db.example:5433/brevet");
        assert!(!format!("{t:?}").contains("s3cret"));
        let socket = Target::new("host=/tmp/pg user=postgres dbname=t1", None).unwrap();
        assert_eq!(socket.shown(), "postgresql://postgres@/tmp/pg:5432/t1");
    }

    #[test]
    fn values_are_bound_as_the_server_types_them() {
        let bound = bind(
            &[Type::INT4, Type::INT8, Type::BOOL, Type::FLOAT8, Type::TEXT],
            &[
                Value::Int(7),
                Value::Null,
                Value::Int(1),
                Value::Int(80),
                Value::Text("x".into()),
            ],
        );
        assert_eq!(bound.map(|b| b.len()).ok(), Some(5));
        assert!(bind(&[Type::INT4], &[Value::Int(1 << 40)]).is_err());
        assert!(bind(&[Type::INT8], &[Value::Text("7".into())]).is_err());
        assert!(bind(&[Type::INT8], &[]).is_err());
    }
}
