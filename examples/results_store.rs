//! Fills a data folder's store with `n` handed-in attempts and their results
//! (1,000 learners, 4 exams, 2 rooms, one credential for each pass), for
//! timing `brevet results` on a large store:
//!
//! ```sh
//! cargo run --release --example results_store -- /tmp/results-100k 100000
//! hyperfine -N --warmup 2 'brevet results --data /tmp/results-100k --csv'
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used)] // a tool: a panic is a clear failure

use brevet::store::sqlite::{Db, FILE};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("a folder"));
    let n: u64 = args
        .next()
        .map_or(100_000, |n| n.parse().expect("a number"));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(FILE);
    assert!(
        !path.exists(),
        "{} exists: choose a new folder",
        path.display()
    );
    // The schema, as brevet makes it.
    drop(Db::open(&path, "example", 0).unwrap());
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    let tx = conn.transaction().unwrap();
    let day = 86_400_000_000_i64;
    let start = 1_800_000_000_000_000_i64;
    for exam in 0..4 {
        tx.execute(
            "INSERT INTO banks VALUES (?1, ?2, '1.0.0', ?2, '')",
            (format!("bank{exam}"), format!("exam-{exam}")),
        )
        .unwrap();
    }
    for learner in 0..1000 {
        tx.execute(
            "INSERT INTO learners VALUES (?1, ?2, NULL, ?1, 0)",
            (
                format!("name:learner {learner}"),
                format!("Learner {learner}"),
            ),
        )
        .unwrap();
    }
    {
        let mut attempt = tx
            .prepare(
                "INSERT INTO attempts (attempt_id, exam_id, learner_key, number, bank_hash, seed,
                   learner_name, started_us, deadline_us, state, submitted_us, submit_reason,
                   supervised, identity_verified, extra_time_percent, room, origin)
                 VALUES (?1, ?2, ?3, ?4, ?5, '4', ?6, ?7, ?8, 'submitted', ?9, 'learner',
                   1, 0, 0, ?10, 'live')",
            )
            .unwrap();
        let mut result = tx
            .prepare(
                "INSERT INTO results VALUES (?1, ?2, '1.0.0', ?3, ?4, NULL, ?5, ?6, ?7, 'learner',
                   0, ?8, ?9, 12, 80, ?10, '[]', ?11, ?12)",
            )
            .unwrap();
        let mut credential = tx
            .prepare(
                "INSERT INTO credentials (credential_id, kind, attempt_id, learner_key, exam_id,
                   issuer_did, issued_us, state, document, sha256, out_dir, file_name, written_us)
                 VALUES (?1, 'open_badge', ?2, ?3, ?4, 'did:key:z', ?5, 'signed', '{}', 'h',
                   '/out', ?6, ?5)",
            )
            .unwrap();
        for i in 0..n {
            let id = format!("{i:032x}");
            let exam = i % 4;
            let learner = i % 1000;
            let key = format!("name:learner {learner}");
            let started = start + i64::try_from(i).unwrap() * (day / 100);
            let ended = started + 600_000_000;
            let room = if i % 2 == 0 { "Salle 2" } else { "Salle 3" };
            let earned = i64::try_from(i % 13).unwrap();
            let percent = earned as f64 * 100.0 / 12.0;
            let passed = percent >= 80.0;
            attempt
                .execute(rusqlite::params![
                    id,
                    format!("exam-{exam}"),
                    key,
                    i64::try_from(i / 1000 + 1).unwrap(),
                    format!("bank{exam}"),
                    format!("Learner {learner}"),
                    started,
                    started + 1_800_000_000,
                    ended,
                    room,
                ])
                .unwrap();
            result
                .execute(rusqlite::params![
                    id,
                    format!("exam-{exam}"),
                    key,
                    format!("Learner {learner}"),
                    room,
                    started,
                    ended,
                    percent,
                    earned,
                    passed,
                    format!("bank{exam}"),
                    format!("{:064x}", i),
                ])
                .unwrap();
            if passed {
                credential
                    .execute(rusqlite::params![
                        format!("urn:uuid:{id}"),
                        id,
                        key,
                        format!("exam-{exam}"),
                        ended,
                        format!("/out/exam-{exam}_learner-{learner}_{i}.json"),
                    ])
                    .unwrap();
            }
        }
    }
    tx.commit().unwrap();
    println!("{n} results in {}", path.display());
}
