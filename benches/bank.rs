//! Loading + validating a bank, next to the floor it cannot beat: `toml`
//! deserializing the same bytes into the same raw structs, without spans of
//! tables, per-entry error recovery or any rule.
//!
//! ```sh
//! cargo bench --bench bank
//! ```
//!
//! Figures and the machine they were taken on are in BENCHMARKS.md.

#[path = "../tests/support/bank_gen.rs"]
mod bank_gen;
#[path = "../tests/support/baseline.rs"]
mod baseline;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    for questions in [100, 10_000] {
        let text = bank_gen::generate(questions);
        // Both sides must do the full work: a bank that fails early would
        // make either look fast.
        assert!(baseline::load(&text));
        assert!(brevet::bank::load_str(&text).diagnostics.is_empty());

        let mut group = c.benchmark_group(format!("bank_{questions}"));
        group.throughput(Throughput::Bytes(text.len() as u64));
        if questions > 1_000 {
            group
                .sample_size(20)
                .measurement_time(Duration::from_secs(15));
        }
        group.bench_function("toml_from_str_baseline", |b| {
            b.iter(|| baseline::load(black_box(&text)));
        });
        group.bench_function("load_and_validate", |b| {
            b.iter(|| {
                brevet::bank::load(black_box(text.as_bytes()))
                    .0
                    .exam
                    .is_some()
            });
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
