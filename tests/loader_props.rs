//! Property tests of the loader on hostile input: whatever the bytes, `load`
//! returns (never panics), every span it reports lies inside the source on
//! character boundaries, and the report renders.
//!
//! `cargo test` runs 256 cases per property (proptest's default). Raise it
//! with `PROPTEST_CASES`; the long run recorded in BENCHMARKS.md was
//! `PROPTEST_CASES=200000 cargo test --release --test loader_props`.

use brevet::bank::{self, diagnostic};
use proptest::prelude::*;
use std::ops::Range;

const DEMO: &str = include_str!("../exams/demo.toml");

fn span_ok(source: &str, span: &Range<usize>) -> bool {
    span.start <= span.end
        && span.end <= source.len()
        && source.is_char_boundary(span.start)
        && source.is_char_boundary(span.end)
}

/// Loads `bytes` and checks everything that must hold for any input.
fn check(bytes: &[u8]) -> Result<bank::Loaded, TestCaseError> {
    let (loaded, source) = bank::load(bytes);
    for d in &loaded.diagnostics {
        prop_assert!(
            span_ok(&source, &d.span),
            "{} span {:?} outside a {}-byte source",
            d.code,
            d.span,
            source.len()
        );
        if let Some((related, _)) = &d.related {
            prop_assert!(span_ok(&source, related), "{} related {related:?}", d.code);
        }
        prop_assert!(!d.message.is_empty(), "{} has no message", d.code);
        let json = diagnostic::JsonDiagnostic::new("f.toml", &source, d);
        prop_assert!(json.start.line <= json.end.line);
    }
    prop_assert_eq!(loaded.exam.is_some(), loaded.errors() == 0);
    let text = diagnostic::render_text("f.toml", &source, &loaded.diagnostics, false);
    // Headers start their line; quoted source lines never do (they follow
    // the `NN | ` gutter), even when the bank itself holds `error[`.
    let headers = text
        .lines()
        .filter(|l| l.starts_with("error[") || l.starts_with("warning["))
        .count();
    prop_assert_eq!(headers, loaded.diagnostics.len());
    Ok(loaded)
}

/// One edit of a bank: delete a run of bytes, insert bytes, or insert a
/// TOML token that is likely to reach deeper rules than noise would.
#[derive(Debug, Clone)]
enum Edit {
    Delete { at: usize, len: usize },
    Insert { at: usize, bytes: Vec<u8> },
    Token { at: usize, token: &'static str },
}

const TOKENS: &[&str] = &[
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "\"",
    "'",
    "\"\"\"",
    "=",
    ",",
    ".",
    "\n",
    "#",
    "\\",
    "-1",
    "0",
    "1e999",
    "inf",
    "nan",
    "true",
    "false",
    "1.5",
    "\"\"",
    "[]",
    "[[questions]]\n",
    "[[sections]]\n",
    "[[questions.choices]]\n",
    "[exam]\n",
    "[rules]\n",
    "id = \"x\"\n",
    "correct = true\n",
    "pin = true\n",
    "kind = \"single\"\n",
    "kind = \"numeric\"\n",
    "answer = 3\n",
    "min = 5\n",
    "max = 1\n",
    "tolerance = -1\n",
    "draw = 9\n",
    "section = \"nowhere\"\n",
    "é",
    "\u{0}",
    "\r\n",
    "\u{feff}",
];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1..40_usize).prop_map(|(at, len)| Edit::Delete { at, len }),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, bytes)| Edit::Insert { at, bytes }),
        (any::<usize>(), prop::sample::select(TOKENS))
            .prop_map(|(at, token)| Edit::Token { at, token }),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = bytes.len();
        match e {
            Edit::Delete { at, len: n } => {
                let at = at % (len + 1);
                let end = (at + n).min(len);
                bytes.drain(at..end);
            }
            Edit::Insert { at, bytes: new } => {
                let at = at % (len + 1);
                bytes.splice(at..at, new.iter().copied());
            }
            Edit::Token { at, token } => {
                let at = at % (len + 1);
                bytes.splice(at..at, token.bytes());
            }
        }
    }
    bytes
}

proptest! {
    #[test]
    fn any_string_loads_without_panic(text in any::<String>()) {
        check(text.as_bytes())?;
    }

    #[test]
    fn any_bytes_load_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        check(&bytes)?;
    }

    #[test]
    fn toml_like_text_loads_without_panic(
        parts in prop::collection::vec(prop::sample::select(TOKENS), 0..60)
    ) {
        check(parts.concat().as_bytes())?;
    }

    #[test]
    fn mutations_of_the_demo_load_without_panic(
        edits in prop::collection::vec(edit(), 1..6)
    ) {
        let bytes = apply(DEMO.as_bytes().to_vec(), &edits);
        check(&bytes)?;
    }
}

/// The mutation strategy does reach the validator: a fixed set of edits that
/// keeps the TOML well-formed must produce semantic diagnostics.
#[test]
fn mutations_reach_semantic_rules() {
    let at = DEMO.find("draw = 4").expect("the demo draws 4") + "draw = ".len();
    let bytes = apply(
        DEMO.as_bytes().to_vec(),
        &[Edit::Delete { at, len: 1 }, Edit::Token { at, token: "9" }],
    );
    let loaded = check(&bytes).expect("properties hold");
    let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["draw-exceeds-pool"]);
}
