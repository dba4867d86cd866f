//! What answering and moving on costs in the store, next to its floor: the
//! same journal lines appended to a file, with one `fdatasync` per answer
//! (the move written after it, unsynced), in the same folder, interleaved
//! pair after pair. Each answer-and-move pair is timed; prints the median
//! and the 99th percentile of each, and their ratios.
//!
//! ```sh
//! cargo run --release --example store_ratio -- /tmp 200 9
//! ```
//!
//! A PostgreSQL address as a fourth argument times the same pairs on that
//! server too (an empty database; each round adds an attempt).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a tool: a panic is a clear failure

use brevet::attempt::journal::{Entry, Writer};
use brevet::attempt::{Attempt, Options, Response};
use brevet::store::sqlite::Db;
use std::io::Write as _;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "/tmp".into()));
    let lines: usize = args.next().map_or(200, |n| n.parse().expect("a number"));
    let rounds: usize = args.next().map_or(9, |n| n.parse().expect("a number"));
    let server = args.next().map(|address| {
        let target = brevet::store::postgres::Target::new(&address, None).expect("an address");
        Db::open_postgres(&target, "bench", 0).expect("the server")
    });
    let exam = brevet::bank::load_str(include_str!("../exams/demo.toml"))
        .exam
        .unwrap();
    let now = chrono::Utc::now();
    let learner = brevet::attempt::Learner {
        email: None,
        name: "Ada Lovelace".into(),
        id: None,
    };
    let header = Attempt::start(&exam, 4, learner, now, Options::default())
        .header()
        .clone();
    // The journal lines of an attempt: a start, then an answer and a move
    // to the next question, `lines` times.
    let mut w = Writer::new(Vec::new());
    w.append(now, Entry::Start(header.clone())).unwrap();
    for i in 0..lines {
        let event = brevet::attempt::Event::Answered {
            item: i % 6,
            response: Response::Bool(i % 2 == 0),
        };
        w.append(now, Entry::Event { event }).unwrap();
        let event = brevet::attempt::Event::Moved { to: (i + 1) % 6 };
        w.append(now, Entry::Event { event }).unwrap();
    }
    let all: Vec<Vec<u8>> = w
        .sink()
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    let work = tempfile::tempdir_in(&dir).unwrap();
    // (answer acknowledged, answer and move) per pair.
    let mut file_times = (Vec::new(), Vec::new());
    let mut store_times = (Vec::new(), Vec::new());
    let mut server_times = (Vec::new(), Vec::new());
    let mut room_times = Vec::new();
    let mut server = server;
    for round in 0..rounds {
        let path = work.path().join(format!("j{round}.journal"));
        let mut file = std::fs::OpenOptions::new()
            .create_new(true)
            .append(true)
            .open(&path)
            .unwrap();
        let mut db = Db::open(&work.path().join(format!("s{round}.db")), "bench", 0).unwrap();
        let id = format!("a{round}");
        db.start_attempt(&exam, "name:ada lovelace", &header, &id, &all[0], None)
            .unwrap();
        // As `brevet run` and the kiosk do before an attempt's answers
        // (`NO_ROOM=1`: without, to measure what it saves).
        if std::env::var_os("NO_ROOM").is_none() {
            let t = Instant::now();
            db.make_log_room().unwrap();
            room_times.push(t.elapsed().as_secs_f64());
        }
        let pg_id = format!("{}-{round}", std::process::id());
        if let Some(pg) = server.as_mut() {
            pg.start_attempt(
                &exam,
                &format!("name:{pg_id}"),
                &header,
                &pg_id,
                &all[0],
                None,
            )
            .unwrap();
        }
        // Pair after pair, the file, the store and the server in turn, so
        // that what else the machine does weighs on all of them alike.
        for pair in all[1..].chunks(2) {
            let t = Instant::now();
            file.write_all(&pair[0]).unwrap();
            file.sync_data().unwrap();
            file_times.0.push(t.elapsed().as_secs_f64());
            file.write_all(&pair[1]).unwrap();
            file_times.1.push(t.elapsed().as_secs_f64());

            let t = Instant::now();
            db.append_line(&id, &pair[0], None).unwrap();
            store_times.0.push(t.elapsed().as_secs_f64());
            db.append_line_lazily(&id, &pair[1]).unwrap();
            store_times.1.push(t.elapsed().as_secs_f64());

            if let Some(pg) = server.as_mut() {
                let t = Instant::now();
                pg.append_line(&pg_id, &pair[0], None).unwrap();
                server_times.0.push(t.elapsed().as_secs_f64());
                pg.append_line_lazily(&pg_id, &pair[1]).unwrap();
                server_times.1.push(t.elapsed().as_secs_f64());
            }
        }
    }
    let at = |v: &mut Vec<f64>, q: f64| {
        v.sort_by(f64::total_cmp);
        v[((v.len() - 1) as f64 * q).round() as usize]
    };
    for (what, f, s, p) in [
        (
            "answer acknowledged",
            &mut file_times.0,
            &mut store_times.0,
            &mut server_times.0,
        ),
        (
            "answer and move    ",
            &mut file_times.1,
            &mut store_times.1,
            &mut server_times.1,
        ),
    ] {
        for (name, q) in [
            ("median", 0.5),
            ("p90", 0.9),
            ("p95", 0.95),
            ("p99", 0.99),
            ("p99.9", 0.999),
        ] {
            let (f, s) = (at(f, q), at(s, q));
            print!(
                "{what} {name:>6}: file {:7.1} µs, store {:7.1} µs, ratio {:.2}",
                f * 1e6,
                s * 1e6,
                s / f
            );
            if !p.is_empty() {
                let p = at(p, q);
                print!("; PostgreSQL {:7.1} µs, ratio {:.2}", p * 1e6, p / f);
            }
            println!();
        }
    }
    if !room_times.is_empty() {
        println!(
            "making the log's room before the answers: median {:.1} ms",
            at(&mut room_times, 0.5) * 1e3
        );
    }
}
