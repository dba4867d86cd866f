//! The CPU time per credential of verifying many credentials one by one
//! (`verify::verify`, strict Ed25519 each) and in batches
//! (`verify::prepare`, then `verify::finish_all` over chunks of CHUNK
//! files, 64 unless given), on one
//! thread, interleaved round after round on the same bytes so that the
//! load of a shared machine weighs on both alike; then the signature
//! checks alone, strict and batched, and the checks that admit a signature
//! into a batch. Prints the medians.
//!
//! ```sh
//! cargo run --release --example gen_credentials -- /tmp/brevet-1k 1000
//! cargo run --release --example verify_ratio -- /tmp/brevet-1k 9 64
//! ```

#![allow(clippy::unwrap_used)] // a tool: a panic is a clear failure

use brevet::credential::batch::{batchable_signature, verify_strict_all};
use brevet::credential::proof::SignedData;
use brevet::credential::verify::{Preparation, VerifyOptions, finish_all, prepare, verify};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let folder = args
        .next()
        .expect("usage: verify_ratio FOLDER ROUNDS [CHUNK]");
    let rounds: usize = args
        .next()
        .map_or(9, |n| n.parse().expect("ROUNDS is a number"));
    let chunk: usize = args
        .next()
        .map_or(64, |n| n.parse().expect("CHUNK is a number"));
    let mut files: Vec<Vec<u8>> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    files.sort();
    let options = VerifyOptions {
        now: chrono::Utc::now(),
        trusted: &[],
    };
    let n = files.len() as f64;
    let signed: Vec<SignedData> = files
        .iter()
        .filter_map(|b| match prepare(b, &options) {
            Preparation::Signature(p) => Some(p.signed().clone()),
            Preparation::Done(_) => None,
        })
        .collect();
    let signed_refs: Vec<&SignedData> = signed.iter().collect();
    let mut times: [Vec<f64>; 6] = Default::default();
    let mut record = |which: usize, start: Instant| {
        times[which].push(start.elapsed().as_secs_f64() * 1e6 / n);
    };
    for _ in 0..rounds {
        let start = Instant::now();
        let valid = files
            .iter()
            .filter(|b| verify(b, &options).verdict.is_valid())
            .count();
        record(0, start);
        let start = Instant::now();
        let mut valid_batched = 0;
        for part in files.chunks(chunk) {
            let reports = finish_all(part.iter().map(|b| prepare(b, &options)).collect());
            valid_batched += reports.iter().filter(|r| r.verdict.is_valid()).count();
        }
        record(1, start);
        assert_eq!(valid, valid_batched, "the same verdicts");
        let start = Instant::now();
        for b in &files {
            std::hint::black_box(prepare(b, &options));
        }
        record(2, start);
        let start = Instant::now();
        let holds = signed.iter().filter(|s| s.verify_strict()).count();
        record(3, start);
        let start = Instant::now();
        let mut holds_batched = 0;
        for part in signed_refs.chunks(chunk) {
            holds_batched += verify_strict_all(part).into_iter().filter(|h| *h).count();
        }
        record(4, start);
        assert_eq!(holds, holds_batched, "the same signature verdicts");
        let start = Instant::now();
        std::hint::black_box(
            signed
                .iter()
                .filter(|s| batchable_signature(&s.signature))
                .count(),
        );
        record(5, start);
    }
    let labels = [
        "verify, strict each".to_owned(),
        format!("prepare + finish_all, chunks of {chunk}"),
        "prepare alone".to_owned(),
        "verify_strict alone".to_owned(),
        format!("verify_strict_all alone, chunks of {chunk}"),
        "batch admission checks alone (S, R, torsion)".to_owned(),
    ];
    println!(
        "{} credentials, {rounds} rounds, median µs per credential:",
        files.len()
    );
    for (label, mut t) in labels.iter().zip(times) {
        t.sort_by(f64::total_cmp);
        println!("  {label:<46} {:6.1}", t[t.len() / 2]);
    }
}
