//! The generated banks used by the benchmark are valid and realistic, so the
//! benchmark measures the loading of a real bank, not of an early error.

#[path = "support/bank_gen.rs"]
mod bank_gen;

use brevet::bank::{self, Kind};

fn kinds(exam: &bank::Exam) -> [usize; 5] {
    let mut n = [0; 5];
    for q in &exam.questions {
        n[match q.kind {
            Kind::Single { .. } => 0,
            Kind::Multiple { .. } => 1,
            Kind::TrueFalse { .. } => 2,
            Kind::Text { .. } => 3,
            Kind::Numeric { .. } => 4,
        }] += 1;
    }
    n
}

#[test]
fn the_small_generated_bank_is_clean() {
    let text = bank_gen::generate(100);
    let loaded = bank::load_str(&text);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let exam = loaded.exam.expect("an exam");
    assert_eq!(exam.questions.len(), 100);
    assert_eq!(exam.sections.len(), 4);
    assert_eq!(kinds(&exam), [20; 5]);
    assert_eq!(bank_gen::generate(100), text, "generation is deterministic");
}

#[test]
fn the_large_generated_bank_is_clean_and_about_8_6_mb() {
    let text = bank_gen::generate(10_000);
    assert!(
        (8_300_000..8_900_000).contains(&text.len()),
        "{} bytes",
        text.len()
    );
    let loaded = bank::load_str(&text);
    assert!(
        loaded.diagnostics.is_empty(),
        "{:?}",
        &loaded.diagnostics[..loaded.diagnostics.len().min(5)]
    );
    let exam = loaded.exam.expect("an exam");
    assert_eq!(exam.questions.len(), 10_000);
    assert_eq!(exam.sections.len(), 20);
    assert_eq!(kinds(&exam), [2_000; 5]);
}
