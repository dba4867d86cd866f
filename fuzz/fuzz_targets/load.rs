//! Fuzzes the bank loader: any bytes give diagnostics, never a panic, and
//! every span lies within the source on character boundaries.
//!
//! ```sh
//! cargo +nightly fuzz run load fuzz/corpus/load exams tests/invalid -- -dict=fuzz/toml.dict
//! ```

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (loaded, source) = brevet::bank::load(data);
    for d in &loaded.diagnostics {
        for span in std::iter::once(&d.span).chain(d.related.as_ref().map(|(s, _)| s)) {
            assert!(span.start <= span.end && span.end <= source.len(), "{}: {span:?}", d.code);
            assert!(source.is_char_boundary(span.start) && source.is_char_boundary(span.end));
        }
    }
    assert_eq!(loaded.exam.is_some(), loaded.errors() == 0);
    let _ = brevet::bank::diagnostic::render_text("f.toml", &source, &loaded.diagnostics, false);
});
