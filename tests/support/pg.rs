//! A throwaway PostgreSQL server for tests, from the machine's own
//! PostgreSQL binaries: `initdb` into a temporary folder, `pg_ctl start`
//! listening on a Unix socket in that folder only (no TCP), stopped and
//! removed when dropped.
//!
//! The binaries are found with `BREVET_PG_BIN`, else `pg_config --bindir`,
//! else the newest `/usr/lib/postgresql/*/bin`, else `initdb` on the PATH.
//! Without them, [`Pg::start`] returns `None` (the test says it was not
//! run), unless `CI` is set: then the test fails, since `.ci/run` installs
//! PostgreSQL. PostgreSQL refuses to run as root: when the tests run as
//! root, the server runs as the `postgres` account.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // each test uses part of it

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A running throwaway server.
pub struct Pg {
    _dir: tempfile::TempDir,
    data: PathBuf,
    socket: PathBuf,
    bin: PathBuf,
    run_as: Option<(u32, u32)>,
}

/// The folder of the PostgreSQL binaries, if any.
fn binaries() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("BREVET_PG_BIN") {
        let dir = PathBuf::from(dir);
        assert!(
            dir.join("initdb").exists(),
            "BREVET_PG_BIN={} holds no initdb",
            dir.display()
        );
        return Some(dir);
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output()
        && out.status.success()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if dir.join("initdb").exists() {
            return Some(dir);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find(|d| d.join("initdb").exists())
}

/// The uid and gid of `postgres`, when the tests run as root.
fn unprivileged() -> Option<(u32, u32)> {
    if !rustix::process::getuid().is_root() {
        return None;
    }
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.first() == Some(&"postgres"))
            .then(|| Some((fields.get(2)?.parse().ok()?, fields.get(3)?.parse().ok()?)))
            .flatten()
    })
}

impl Pg {
    /// Starts a server, or `None` when PostgreSQL is not installed and
    /// `CI` is not set.
    ///
    /// # Panics
    /// PostgreSQL is missing while `CI` is set, or the server does not start.
    pub fn start() -> Option<Pg> {
        let Some(bin) = binaries() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "PostgreSQL is not installed (no initdb found): CI must have it (.ci/run installs it)"
            );
            eprintln!("PostgreSQL is not installed here: this test did not run");
            return None;
        };
        let run_as = unprivileged();
        if rustix::process::getuid().is_root() {
            assert!(
                run_as.is_some(),
                "tests run as root and there is no `postgres` account to run the server"
            );
        }
        let dir = tempfile::Builder::new()
            .prefix("brevet-pg")
            .tempdir()
            .unwrap();
        if let Some((uid, gid)) = run_as {
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).unwrap();
        }
        let data = dir.path().join("data");
        let socket = dir.path().to_path_buf();
        let pg = Pg {
            data,
            socket,
            bin,
            run_as,
            _dir: dir,
        };
        pg.server("initdb")
            .arg("-D")
            .arg(&pg.data)
            .args([
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ])
            .output()
            .map(|out| check("initdb", &out))
            .unwrap();
        pg.resume();
        Some(pg)
    }

    /// Starts the server (again, after [`Pg::crash`]).
    pub fn resume(&self) {
        self.server("pg_ctl")
            .arg("-D")
            .arg(&self.data)
            .arg("-l")
            .arg(self.socket.join("log"))
            .args(["-w", "-t", "60", "-o"])
            // The socket in the test's folder, no TCP, no fsync (a test
            // server's data need not survive a power cut).
            .arg(format!(
                "-k {} -c listen_addresses= -F",
                self.socket.display()
            ))
            .arg("start")
            .output()
            .map(|out| check("pg_ctl start", &out))
            .unwrap();
    }

    /// Stops the server at once, as a crash or a pulled cable would: the
    /// connections are cut.
    pub fn crash(&self) {
        self.server("pg_ctl")
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "immediate", "-w", "stop"])
            .output()
            .map(|out| check("pg_ctl stop", &out))
            .unwrap();
    }

    /// A new, empty database: its address for brevet (`host=… user=…
    /// dbname=…`).
    pub fn database(&self, name: &str) -> String {
        let out = self.psql(&format!("CREATE DATABASE {name};"));
        check("CREATE DATABASE", &out);
        format!("host={} user=postgres dbname={name}", self.socket.display())
    }

    fn server(&self, program: &str) -> Command {
        let mut cmd = Command::new(self.bin.join(program));
        if let Some((uid, gid)) = self.run_as {
            cmd.uid(uid).gid(gid);
        }
        cmd
    }

    /// Where clients connect: the socket's folder.
    pub fn socket_dir(&self) -> &Path {
        &self.socket
    }

    /// Runs `sql` with psql (stopping at the first error); what it printed.
    pub fn psql(&self, sql: &str) -> Output {
        let psql = if self.bin.join("psql").exists() {
            self.bin.join("psql")
        } else {
            PathBuf::from("psql")
        };
        let mut child = Command::new(psql)
            .arg("-h")
            .arg(&self.socket)
            .args(["-U", "postgres", "-d", "postgres", "-X", "-q", "-A", "-t"])
            .args(["-v", "ON_ERROR_STOP=1", "-f", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("psql runs");
        use std::io::Write as _;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(sql.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }
}

fn check(what: &str, out: &Output) {
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Drop for Pg {
    fn drop(&mut self) {
        let _ = self
            .server("pg_ctl")
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "immediate", "-w", "stop"])
            .output();
    }
}
