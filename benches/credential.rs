//! Credential benchmarks. Group `jcs`: RFC 8785 canonicalisation of a
//! credential-sized document (benches/data/credential-2k4.json), brevet's own
//! implementation against the two JCS crates, to justify the choice.

use brevet::credential::jcs;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn credential_value() -> serde_json::Value {
    let text = include_str!("data/credential-2k4.json");
    jcs::parse_strict(text.as_bytes()).expect("bench fixture is valid JSON")
}

fn jcs_implementations(c: &mut Criterion) {
    let value = credential_value();
    let ours = jcs::canonicalize(&value);
    // Same bytes from all three, or the comparison means nothing.
    assert_eq!(serde_jcs::to_vec(&value).expect("serde_jcs"), ours);
    assert_eq!(
        serde_json_canonicalizer::to_vec(&value).expect("serde_json_canonicalizer"),
        ours
    );
    let mut group = c.benchmark_group("jcs");
    group.throughput(criterion::Throughput::Bytes(ours.len() as u64));
    group.bench_function("brevet", |b| {
        b.iter(|| jcs::canonicalize(black_box(&value)))
    });
    group.bench_function("serde_jcs", |b| {
        b.iter(|| serde_jcs::to_vec(black_box(&value)))
    });
    group.bench_function("serde_json_canonicalizer", |b| {
        b.iter(|| serde_json_canonicalizer::to_vec(black_box(&value)))
    });
    group.finish();
}

criterion_group!(benches, jcs_implementations);
criterion_main!(benches);
