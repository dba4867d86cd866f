//! Reading a data folder's store from a test: the journal records that were
//! written, and a way to damage them.

#![allow(dead_code, clippy::unwrap_used)] // each test uses part of it

use std::path::Path;

fn open(data: &Path) -> Option<rusqlite::Connection> {
    let path = data.join("brevet.db");
    path.exists()
        .then(|| rusqlite::Connection::open(&path).ok())
        .flatten()
}

/// Every journal record in the store of `data`, one JSON text per line
/// (empty while there is no store).
pub fn journals(data: &Path) -> String {
    let Some(conn) = open(data) else {
        return String::new();
    };
    let Ok(mut stmt) = conn.prepare("SELECT record FROM journal ORDER BY attempt_id, seq") else {
        return String::new();
    };
    let records: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .map(|rows| rows.flatten().collect())
        .unwrap_or_default();
    records.join("\n")
}

/// Removes the last journal record of every attempt (as a damaged or
/// edited store would lose it).
pub fn drop_last_records(data: &Path) {
    let conn = open(data).unwrap();
    conn.execute(
        "DELETE FROM journal WHERE (attempt_id, seq) IN
           (SELECT attempt_id, MAX(seq) FROM journal GROUP BY attempt_id)",
        [],
    )
    .unwrap();
}

/// Runs `sql` on the store of `data` (to stand for a run that stopped
/// half-way).
pub fn execute(data: &Path, sql: &str) {
    open(data).unwrap().execute_batch(sql).unwrap();
}

/// The room event log in the store of `data`, one JSON line per event,
/// oldest first (empty while there is no store).
pub fn events(data: &Path) -> String {
    let Some(conn) = open(data) else {
        return String::new();
    };
    let Ok(mut stmt) = conn.prepare("SELECT line FROM events ORDER BY at_us, event_id") else {
        return String::new();
    };
    let lines: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .map(|rows| rows.flatten().collect())
        .unwrap_or_default();
    lines.join("\n")
}
