//! The store's schema is one text for both engines: every migration applies
//! on SQLite and on a real PostgreSQL server, and the constraints the
//! attempt rules rest on (one open attempt per learner and exam, numbered
//! attempts, journal rows only for known attempts) hold on both.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a failed test

#[path = "support/pg.rs"]
mod pg;

use brevet::store::schema::MIGRATIONS;

const BANK: &str = "INSERT INTO banks VALUES ('h', 'demo', '1.0.0', 'Demo', '{}');
INSERT INTO learners VALUES ('name:ada', 'Ada', NULL, 'ada', 0);";

fn attempt(id: &str, number: u32, state: &str) -> String {
    format!(
        "INSERT INTO attempts (attempt_id, exam_id, learner_key, number, bank_hash, seed, learner_name, started_us, deadline_us, state, supervised, identity_verified, extra_time_percent, origin) VALUES ('{id}', 'demo', 'name:ada', {number}, 'h', '4', 'Ada', 0, 1, '{state}', 0, 0, 0, 'live');"
    )
}

/// What each engine must refuse, after the first attempt is open.
fn refused() -> Vec<(&'static str, String)> {
    vec![
        ("a second open attempt", attempt("a2", 2, "open")),
        (
            "the same attempt number twice",
            attempt("a3", 1, "submitted"),
        ),
        (
            "a journal row of no attempt",
            "INSERT INTO journal VALUES ('nobody', 0, 0, 'p', 'h', '{}');".to_owned(),
        ),
        ("an unknown state", attempt("a4", 4, "paused")),
    ]
}

#[test]
fn the_schema_and_its_constraints_hold_on_sqlite() {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.execute_batch("PRAGMA foreign_keys = ON;").unwrap();
    for (_, sql) in MIGRATIONS {
        conn.execute_batch(sql).unwrap();
    }
    conn.execute_batch(BANK).unwrap();
    conn.execute_batch(&attempt("a1", 1, "open")).unwrap();
    for (what, sql) in refused() {
        assert!(conn.execute_batch(&sql).is_err(), "SQLite accepted {what}");
    }
    // Once handed in, the next attempt may open.
    conn.execute_batch("UPDATE attempts SET state = 'submitted' WHERE attempt_id = 'a1';")
        .unwrap();
    conn.execute_batch(&attempt("a5", 2, "open")).unwrap();
}

#[test]
fn the_schema_and_its_constraints_hold_on_postgresql() {
    let Some(pg) = pg::Pg::start() else { return };
    for (version, sql) in MIGRATIONS {
        let out = pg.psql(sql);
        assert!(
            out.status.success(),
            "migration {version}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let ok = |sql: &str| {
        let out = pg.psql(sql);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    assert_eq!(
        ok("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public';"),
        "12"
    );
    ok(BANK);
    ok(&attempt("a1", 1, "open"));
    for (what, sql) in refused() {
        assert!(
            !pg.psql(&sql).status.success(),
            "PostgreSQL accepted {what}"
        );
    }
    ok("UPDATE attempts SET state = 'submitted' WHERE attempt_id = 'a1';");
    ok(&attempt("a5", 2, "open"));
}
