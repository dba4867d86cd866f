//! Importing never panics, and never hands out a bank that does not
//! validate, whatever the text; written strings read back exactly.

// Helpers outside #[test] functions unwrap too: a panic is the failure message.
#![allow(clippy::unwrap_used)]

use brevet::bank::import::{self, Format, ImportError, write};
use proptest::prelude::*;

/// Imports `bytes` in `format`: any outcome but a panic or an invalid bank.
fn check(format: Format, bytes: &[u8]) {
    match import::import(format, bytes, "prop.txt") {
        Ok(imported) => {
            let loaded = brevet::bank::load_str(&imported.toml);
            assert!(
                loaded.exam.is_some(),
                "{:#?}\n{}",
                loaded.diagnostics,
                imported.toml
            );
            assert!(imported.converted > 0);
            for r in &imported.report {
                assert!(!r.message.is_empty());
            }
        }
        Err(ImportError::InvalidOutput(why)) => {
            panic!("the importer wrote an invalid bank ({why}) from {bytes:?}")
        }
        Err(_) => {}
    }
}

const GIFT_TOKENS: &[&str] = &[
    "{",
    "}",
    "~",
    "=",
    "#",
    "####",
    ":",
    "::",
    "\\",
    "\\n",
    "\\:",
    "\\{",
    "\\}",
    "\\~",
    "\\=",
    "\\#",
    "\\\\",
    "%50%",
    "%-33.3%",
    "%100%",
    "%x%",
    "%",
    "->",
    "T",
    "F",
    "TRUE",
    "FALSE",
    "true",
    "\n",
    "\n\n",
    "// c\n",
    "$CATEGORY:",
    " top/a//b",
    "[html]",
    "[plain]",
    "[markdown]",
    "[moodle]",
    "[x]",
    "<p>",
    "</p>",
    "<br>",
    "<img src='a.png'>",
    "<a href=\"x\">",
    "</a>",
    "<li>",
    "<pre>",
    "&amp;",
    "&#233;",
    "&#x0;",
    "&nbsp;",
    "&",
    "<",
    " ",
    "..",
    "1",
    "2.5",
    "-3",
    "1e400",
    "*",
    "\\*",
    "a",
    "word ",
    "é",
    "日本",
    "\r",
    "\r\n",
    "\u{FDD0}",
    "\u{1b}",
    "\t",
    "\"\"\"",
    "'''",
    "\"",
    "'",
    "[tag:t]",
    "[id:1]",
    "_____",
];

const AIKEN_LINES: &[&str] = &[
    "Question text?",
    "Another question",
    "A) x",
    "B) y",
    "C. z",
    "A)x",
    "B)y",
    "A)  .",
    "ANSWER: A",
    "ANSWER: B",
    "ANSWER: c",
    "ANSWER:",
    "ANSWER: Z",
    "ANSWER: A, C",
    "Answer: A",
    "a) lower",
    "",
    " ",
    "D) ",
    "é",
    "\"quoted\" \\ '''",
    "\u{1b}[2J",
    "x",
];

/// Pieces of text that hold no GIFT structure of their own (escapes do not count).
const WORDS: &[&str] = &[
    "a", "word ", "Paris ", "é", "\\:", "\\{", "\\}", "\\~", "\\=", "\\#", "\\\\", "\\n", "<p>",
    "</p>", "<br>", "<b>", "&amp;", "&#233;", "&nbsp;", "\"\"\"", "'''", "\"", "'", "\\", "*",
    "\u{1b}", "\t", "%", ":", "..", "1", "日本", " ", "[html]", "_____",
];

fn words() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 0..8).prop_map(|v| v.concat())
}

/// One question in a GIFT shape, its text made of arbitrary words.
fn gift_question() -> impl Strategy<Value = String> {
    let shapes: Vec<fn(&[String]) -> String> = vec![
        |w| format!("::{}::{} {{={} ~{}#{}}}", w[0], w[1], w[2], w[3], w[4]),
        |w| {
            format!(
                "{} {{~%50%{} ~%50%{} ~%-100%{}####{}}}",
                w[0], w[1], w[2], w[3], w[4]
            )
        },
        |w| format!("{} {{T#{}#{}####{}}} {}", w[0], w[1], w[2], w[3], w[4]),
        |w| {
            format!(
                "::{}::{}{{={} =%50%{} =%0%{}}}",
                w[0], w[1], w[2], w[3], w[4]
            )
        },
        |w| format!("{} {{#{}1:0.5 ={}..{}}} {}", w[0], w[1], w[2], w[3], w[4]),
        |w| {
            format!(
                "$CATEGORY: {}\n\n{} {{={} ~{} ~{}}}",
                w[0], w[1], w[2], w[3], w[4]
            )
        },
    ];
    (
        prop::sample::select(shapes),
        prop::collection::vec(words(), 5),
    )
        .prop_map(|(shape, w)| shape(&w))
}

fn gift_questions() -> impl Strategy<Value = String> {
    prop::collection::vec(gift_question(), 1..6).prop_map(|v| v.join("\n\n"))
}

fn gift_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(GIFT_TOKENS), 0..80).prop_map(|v| v.concat())
}

fn aiken_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(AIKEN_LINES), 0..40).prop_map(|v| v.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_text_in_either_format(text in any::<String>()) {
        check(Format::Gift, text.as_bytes());
        check(Format::Aiken, text.as_bytes());
    }

    #[test]
    fn any_bytes_in_either_format(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        check(Format::Gift, &bytes);
        check(Format::Aiken, &bytes);
    }

    #[test]
    fn gift_like_text(text in gift_text()) {
        check(Format::Gift, text.as_bytes());
    }

    #[test]
    fn gift_shaped_questions(text in gift_questions()) {
        check(Format::Gift, text.as_bytes());
    }

    #[test]
    fn aiken_like_text(text in aiken_text()) {
        check(Format::Aiken, text.as_bytes());
    }

    #[test]
    fn written_strings_read_back_exactly(text in any::<String>()) {
        for written in [write::string(&text), write::basic(&text)] {
            let doc = format!("v = {written}\n");
            let table: toml::Table = toml::from_str(&doc)
                .unwrap_or_else(|e| panic!("{doc:?} does not parse: {e}"));
            prop_assert_eq!(table["v"].as_str(), Some(text.as_str()));
        }
    }
}
