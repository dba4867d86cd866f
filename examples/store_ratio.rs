//! What an acknowledged answer costs in the store, next to its floor: the
//! same journal lines appended to a file with `fdatasync` each (what the file
//! journals of earlier versions did), in the same folder, interleaved round
//! after round; prints the median of each and the ratio.
//!
//! ```sh
//! cargo run --release --example store_ratio -- /tmp 200 9
//! ```

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
    let exam = brevet::bank::load_str(include_str!("../exams/demo.toml"))
        .exam
        .unwrap();
    let now = chrono::Utc::now();
    let learner = brevet::attempt::Learner {
        name: "Ada Lovelace".into(),
        id: None,
    };
    let header = Attempt::start(&exam, 4, learner, now, Options::default())
        .header()
        .clone();
    // The journal lines of an attempt: a start, then answers.
    let mut w = Writer::new(Vec::new());
    w.append(now, Entry::Start(header.clone())).unwrap();
    for i in 0..lines {
        let event = brevet::attempt::Event::Answered {
            item: i % 6,
            response: Response::Bool(i % 2 == 0),
        };
        w.append(now, Entry::Event { event }).unwrap();
    }
    let all: Vec<Vec<u8>> = w
        .sink()
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    let work = tempfile::tempdir_in(&dir).unwrap();
    let mut file_times = Vec::new();
    let mut store_times = Vec::new();
    for round in 0..rounds {
        let path = work.path().join(format!("j{round}.journal"));
        let mut file = std::fs::OpenOptions::new()
            .create_new(true)
            .append(true)
            .open(&path)
            .unwrap();
        let t = Instant::now();
        for line in &all[1..] {
            file.write_all(line).unwrap();
            file.sync_data().unwrap();
        }
        file_times.push(t.elapsed().as_secs_f64() / lines as f64);
        let mut db = Db::open(&work.path().join(format!("s{round}.db")), "bench", 0).unwrap();
        let id = format!("a{round}");
        db.start_attempt(&exam, "name:ada lovelace", &header, &id, &all[0], None)
            .unwrap();
        let t = Instant::now();
        for line in &all[1..] {
            db.append_line(&id, line, None).unwrap();
        }
        store_times.push(t.elapsed().as_secs_f64() / lines as f64);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (f, s) = (median(&mut file_times), median(&mut store_times));
    println!(
        "per answer: file write + fdatasync {:.1} µs, store {:.1} µs, ratio {:.2}",
        f * 1e6,
        s * 1e6,
        s / f
    );
}
