//! The attempt engine: starting an attempt from a large bank, and applying a
//! command with its journal append (synced to disk, and in memory to show
//! what serialisation and hashing cost on their own).
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "synth.rs"]
mod synth;

use brevet::attempt::{Attempt, Command, Learner, Options, Response, Session, bank_hash};
use brevet::bank::load_str;
use brevet::store::DataDir;
use chrono::{DateTime, TimeDelta, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T09:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn learner() -> Learner {
    Learner {
        email: None,
        name: "Ada Lovelace".into(),
        id: None,
    }
}

fn start(c: &mut Criterion) {
    let exam = load_str(&synth::bank(10_000)).exam.unwrap();
    c.bench_function("bank_hash/10000", |b| {
        b.iter(|| bank_hash(black_box(&exam)))
    });
    c.bench_function("attempt_start/10000", |b| {
        b.iter(|| Attempt::start(black_box(&exam), 42, learner(), t0(), Options::default()))
    });
}

fn apply(c: &mut Criterion) {
    let exam = load_str(&synth::bank(100)).exam.unwrap();
    let answer = |s: &Attempt, i: u64| {
        let item = (i % 10) as usize;
        let q = &exam.questions[s.paper()[item].question];
        let response = match &q.kind {
            brevet::bank::Kind::Single { .. } => Response::Choice((i % 4) as usize),
            brevet::bank::Kind::Multiple { .. } => Response::Choices(vec![(i % 4) as usize]),
            brevet::bank::Kind::TrueFalse { .. } => Response::Bool(i.is_multiple_of(2)),
            brevet::bank::Kind::Text { .. } => Response::Text(format!("answer {i}")),
            brevet::bank::Kind::Numeric { .. } => Response::Number(i as f64),
        };
        Command::Answer { item, response }
    };
    c.bench_function("apply_answer/memory_journal", |b| {
        let mut s =
            Session::start(&exam, 1, learner(), t0(), Options::default(), Vec::new()).unwrap();
        let mut i = 0u64;
        b.iter(|| {
            i += 1;
            let cmd = answer(s.attempt(), i);
            // Keep memory bounded: the cost measured is serialise + hash + append.
            if s.sink().len() > 64 << 20 {
                s = Session::start(&exam, 1, learner(), t0(), Options::default(), Vec::new())
                    .unwrap();
            }
            s.apply(&exam, &cmd, t0() + TimeDelta::milliseconds(1))
                .unwrap()
        });
    });
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::at(dir.path());
    let (_, sink) = data.new_journal("synthetic", &learner(), 1).unwrap();
    let mut s = Session::start(&exam, 1, learner(), t0(), Options::default(), sink).unwrap();
    let mut i = 0u64;
    c.bench_function("apply_answer/synced_file_journal", |b| {
        b.iter(|| {
            i += 1;
            let cmd = answer(s.attempt(), i);
            s.apply(&exam, &cmd, t0() + TimeDelta::milliseconds(1))
                .unwrap()
        });
    });
}

criterion_group!(benches, start, apply);
criterion_main!(benches);
