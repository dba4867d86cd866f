//! Load + validate time over `toml::from_str` time, measured interleaved.
//!
//! Criterion times one function after the other; on a shared machine the
//! load can change between the two, and the ratio with it. This alternates
//! the two on the same bytes, round after round, and prints the median of
//! the per-round ratios:
//!
//! ```sh
//! cargo run --release --example load_ratio -- 10000 31
//! ```

#[path = "../tests/support/bank_gen.rs"]
mod bank_gen;
#[path = "../tests/support/baseline.rs"]
mod baseline;

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Runs `f` until at least 50 ms have passed; the mean time of one run.
fn time(mut f: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    let mut runs = 0_u32;
    while start.elapsed() < Duration::from_millis(50) || runs == 0 {
        assert!(black_box(f()), "the bank must load");
        runs += 1;
    }
    start.elapsed() / runs
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>());
    let questions = args.next().and_then(Result::ok).unwrap_or(10_000);
    let rounds = args.next().and_then(Result::ok).unwrap_or(21).max(1);
    let text = bank_gen::generate(questions);
    let load = || {
        brevet::bank::load(black_box(text.as_bytes()))
            .0
            .exam
            .is_some()
    };
    let base = || baseline::load(black_box(&text));
    let (mut ratios, mut loads, mut bases) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        // Alternate which goes first, so neither always runs warm.
        let (b, l) = if round % 2 == 0 {
            let b = time(base);
            (b, time(load))
        } else {
            let l = time(load);
            (time(base), l)
        };
        ratios.push(l.as_secs_f64() / b.as_secs_f64());
        loads.push(l.as_secs_f64() * 1e3);
        bases.push(b.as_secs_f64() * 1e3);
    }
    println!(
        "{questions} questions ({} bytes), {rounds} rounds: toml::from_str median {:.3} ms, \
         load+validate median {:.3} ms, median ratio {:.3} (min {:.3}, max {:.3})",
        text.len(),
        median(bases),
        median(loads),
        median(ratios.clone()),
        ratios.iter().copied().fold(f64::INFINITY, f64::min),
        ratios.iter().copied().fold(0.0, f64::max),
    );
}
