//! One fixture per rule that `brevet check` enforces: each file under
//! `tests/invalid/` breaks exactly one rule, and its test asserts the rule's
//! code, severity, a fragment of its message and the line:column it points at.
//!
//! `tests/invalid/<code>.toml` is the fixture of rule `<code>`;
//! `tests/invalid/<code>.<variant>.toml` reaches the same rule another way.
//! The guard tests at the end keep the fixtures, this list, the rules in
//! `src/` and `docs/exam-format.md` in step.

use brevet::bank::diagnostic::position;
use brevet::bank::{self, Diagnostic, Severity};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> Vec<u8> {
    let path = root().join("tests/invalid").join(format!("{name}.toml"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// What a fixture must report: its first diagnostic, and the codes of any
/// others that the rule cannot help causing.
struct Expected {
    code: &'static str,
    severity: Severity,
    message: &'static str,
    line: usize,
    column: usize,
    also: &'static [&'static str],
}

fn describe(source: &str, diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            let p = position(source, d.span.start);
            format!(
                "  {:?} {} at {}:{}: {}\n",
                d.severity, d.code, p.line, p.column, d.message
            )
        })
        .collect()
}

fn check(name: &str, want: &Expected) {
    let bytes = fixture(name);
    let (loaded, source) = bank::load(&bytes);
    let all = describe(&source, &loaded.diagnostics);
    let first = loaded
        .diagnostics
        .iter()
        .find(|d| d.code == want.code)
        .unwrap_or_else(|| panic!("{name}: no `{}` diagnostic; got:\n{all}", want.code));
    assert_eq!(first.severity, want.severity, "{name}:\n{all}");
    assert!(
        first.message.contains(want.message),
        "{name}: message {:?} does not contain {:?}",
        first.message,
        want.message
    );
    let at = position(&source, first.span.start);
    assert_eq!(
        (at.line, at.column),
        (want.line, want.column),
        "{name}: wrong place; got:\n{all}"
    );
    // The fixture breaks this rule and nothing else.
    let mut others: Vec<&str> = loaded
        .diagnostics
        .iter()
        .filter(|d| !std::ptr::eq(*d, first))
        .map(|d| d.code)
        .collect();
    others.sort_unstable();
    let mut also = want.also.to_vec();
    also.sort_unstable();
    assert_eq!(others, also, "{name}: unexpected diagnostics:\n{all}");
    // A bank with an error has no exam; one with only warnings has one.
    assert_eq!(
        loaded.exam.is_some(),
        loaded.errors() == 0,
        "{name}: exam present despite errors (or missing without)"
    );
}

macro_rules! fixtures {
    ($($test:ident: $file:literal => $code:literal, $severity:ident, $message:literal, $line:literal:$column:literal $(, also $also:expr)?;)*) => {
        $(
            #[test]
            fn $test() {
                check($file, &Expected {
                    code: $code,
                    severity: Severity::$severity,
                    message: $message,
                    line: $line,
                    column: $column,
                    also: fixtures!(@also $($also)?),
                });
            }
        )*
        /// Every fixture file named above.
        const FIXTURES: &[&str] = &[$($file),*];
    };
    (@also) => { &[] };
    (@also $also:expr) => { $also };
}

fixtures! {
    toml_syntax: "toml-syntax" => "toml-syntax", Error, "invalid TOML: string values must be quoted", 19:7;
    toml_syntax_unclosed_string: "toml-syntax.unclosed-string" => "toml-syntax", Error, "invalid TOML: invalid basic string", 18:14;
    empty_bank: "empty-bank" => "empty-bank", Error, "the bank is empty", 1:1;
    not_utf8: "not-utf8" => "not-utf8", Error, "not valid UTF-8 (byte 444 is not)", 25:30;
    unknown_field: "unknown-field" => "unknown-field", Error, "unknown field `promt` in `[[questions]]`", 25:1;
    unknown_field_choice: "unknown-field.choice" => "unknown-field", Error, "unknown field `corect`", 29:3;
    unknown_field_top_level: "unknown-field.top-level" => "unknown-field", Error, "unknown top-level table `extras`", 28:2;
    missing_field: "missing-field" => "missing-field", Error, "missing field `title` in `[exam]`", 3:1;
    missing_field_question: "missing-field.question" => "missing-field", Error, "missing field `section` in `[[questions]]`", 21:1;
    missing_field_table: "missing-field.table" => "missing-field", Error, "the bank has no `[rules]` table", 23:1;
    missing_field_choices: "missing-field.choices" => "missing-field", Error, "single question `q1` has no `choices`", 24:8;
    wrong_type: "wrong-type" => "wrong-type", Error, "wrong type: string \"one hour\", expected f64", 10:18;
    wrong_type_fraction: "wrong-type.fraction-for-integer" => "wrong-type", Error, "floating point `1.5`, expected i64", 19:8;
    wrong_type_not_a_table: "wrong-type.not-a-table" => "wrong-type", Error, "`exam` must be a table, found string", 3:8;
    wrong_type_not_an_array: "wrong-type.not-an-array" => "wrong-type", Error, "`sections` must be an array of tables", 16:1;
    wrong_type_number_for_true_false: "wrong-type.number-for-true-false" => "wrong-type", Error, "needs `answer = true` or `answer = false`", 26:10;
    wrong_type_bool_for_numeric: "wrong-type.bool-for-numeric" => "wrong-type", Error, "numeric question `q1` needs a number as `answer`", 26:10;
    bad_id: "bad-id" => "bad-id", Error, "question id `q 1` is not a valid id", 22:6;
    bad_id_exam: "bad-id.exam" => "bad-id", Error, "exam id `-fixture` is not a valid id", 4:6;
    duplicate_question_id: "duplicate-question-id" => "duplicate-question-id", Error, "question id `q1` is used twice", 29:6;
    // The second `main` gets no question (they all go to the first): it is
    // also an empty section.
    duplicate_section_id: "duplicate-section-id" => "duplicate-section-id", Error, "section id `main` is used twice", 22:6, also &["empty-section"];
    duplicate_choice_id: "duplicate-choice-id" => "duplicate-choice-id", Error, "choice id `m` is used twice in question `q1`", 33:8;
    duplicate_choice_text: "duplicate-choice-text" => "duplicate-choice-text", Error, "question `q1` offers the same choice twice", 35:10;
    unknown_section: "unknown-section" => "unknown-section", Error, "question `q2` is in section `mian`, which does not exist", 30:11;
    draw_exceeds_pool: "draw-exceeds-pool" => "draw-exceeds-pool", Error, "section `main` draws 2 questions but its pool holds 1", 19:8;
    zero_draw: "zero-draw" => "zero-draw", Error, "the sections draw no question at all", 19:8;
    draw_total_mismatch: "draw-total-mismatch" => "draw-total-mismatch", Error, "`questions` says 3 but the sections draw 1", 15:13;
    negative_draw: "negative-draw" => "negative-draw", Error, "`draw` cannot be negative", 19:8;
    empty_section: "empty-section" => "empty-section", Warning, "section `later` has no questions and draws none", 22:6;
    single_needs_one_correct: "single-needs-one-correct" => "single-needs-one-correct", Error, "single-choice question `q1` has 2 correct choices", 27:3;
    multiple_needs_correct: "multiple-needs-correct" => "multiple-needs-correct", Error, "multiple-response question `q1` has no correct choice", 27:3;
    too_few_choices: "too-few-choices" => "too-few-choices", Error, "question `q1` has 1 choice(s)", 27:3;
    empty_prompt: "empty-prompt" => "empty-prompt", Error, "question `q1` has an empty prompt", 25:10;
    empty_text: "empty-text" => "empty-text", Error, "`title` is empty", 18:9;
    empty_text_accepted: "empty-text.accepted" => "empty-text", Error, "an accepted answer is empty", 26:22;
    text_needs_accepted: "text-needs-accepted" => "text-needs-accepted", Error, "text question `q1` has no `accepted` answers", 24:8;
    text_needs_accepted_empty_list: "text-needs-accepted.empty-list" => "text-needs-accepted", Error, "text question `q1` accepts no answer", 26:12;
    negative_tolerance: "negative-tolerance" => "negative-tolerance", Error, "question `q1` has a negative tolerance", 27:13;
    empty_range: "empty-range" => "empty-range", Error, "`min` (300) is above `max` (240)", 27:7;
    answer_and_range: "answer-and-range" => "answer-and-range", Error, "has both `answer` and `min`/`max`", 26:10;
    missing_answer: "missing-answer" => "missing-answer", Error, "true-false question `q1` has no `answer`", 24:8;
    missing_answer_numeric: "missing-answer.numeric" => "missing-answer", Error, "numeric question `q1` has no answer", 26:7;
    not_finite: "not-finite" => "not-finite", Error, "`answer` must be a finite number", 26:10;
    not_positive: "not-positive" => "not-positive", Error, "question `q1` is worth 0 points", 25:10;
    not_positive_workload: "not-positive.workload" => "not-positive", Error, "`workload_hours` must be a positive number of hours", 10:18;
    not_positive_ects: "not-positive.ects" => "not-positive", Error, "`ects` must be a positive number of credits", 11:8;
    not_positive_max_attempts: "not-positive.max-attempts" => "not-positive", Error, "`max_attempts` must be at least 1", 15:16;
    percent_out_of_range: "percent-out-of-range" => "percent-out-of-range", Error, "`mastery_threshold` is 120, outside 0 to 100", 14:21;
    percent_out_of_range_min_score: "percent-out-of-range.min-score" => "percent-out-of-range", Error, "`min_score` is -10, outside 0 to 100", 20:13;
    bad_duration: "bad-duration" => "bad-duration", Error, "`time_limit` is not a duration: `30` has no unit", 13:14;
    bad_duration_order: "bad-duration.order" => "bad-duration", Error, "units must go from largest to smallest", 13:14;
    bad_duration_zero: "bad-duration.zero" => "bad-duration", Error, "`time_limit` must be longer than zero", 13:14;
    unknown_language: "unknown-language" => "unknown-language", Error, "`english` is not an ISO 639-1 language code", 7:12;
    unknown_language_region: "unknown-language.region" => "unknown-language", Error, "`gb` is not a region code", 7:12;
    bad_eqf_level: "bad-eqf-level" => "bad-eqf-level", Error, "EQF level 9 does not exist", 11:13;
    badge_image: "badge-image" => "badge-image", Error, "`../logo.gif` is not a PNG or SVG file beside the bank", 11:15;
    no_learning_outcomes: "no-learning-outcomes" => "no-learning-outcomes", Error, "`learning_outcomes` is empty", 9:21;
    unknown_value: "unknown-value" => "unknown-value", Error, "`navigation` cannot be `\"random\"`", 15:14;
    unknown_value_ignore: "unknown-value.ignore" => "unknown-value", Error, "`ignore` cannot hold `\"spelling\"`", 27:19;
    unknown_kind: "unknown-kind" => "unknown-kind", Error, "`essay` is not a question kind", 31:8;
    field_not_for_kind: "field-not-for-kind" => "field-not-for-kind", Error, "`unit` does not apply to true-false question `q1`", 27:8;
    field_not_for_kind_range_tolerance: "field-not-for-kind.range-tolerance" => "field-not-for-kind", Error, "`tolerance` does not apply to a range", 28:13;
    warning_after_limit: "warning-after-limit" => "warning-after-limit", Warning, "this warning mark is not shorter than the time limit", 15:13;
    duplicate_prompt: "duplicate-prompt" => "duplicate-prompt", Warning, "questions `q1` and `q2` have the same prompt", 32:10;
}

// ---------------------------------------------------------------------------
// Rules that need more than one bank, or bytes no fixture should hold.

/// Two banks sharing an exam id are only seen together, by `brevet check`.
#[test]
fn duplicate_exam_id() {
    let dir = root().join("tests/invalid/duplicate-exam-id");
    let out = assert_cmd::Command::cargo_bin("brevet")
        .expect("the brevet binary")
        .current_dir(root())
        .env("NO_COLOR", "1")
        .args(["check", "tests/invalid/duplicate-exam-id"])
        .output()
        .expect("brevet runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("error[duplicate-exam-id]: exam id `fixture` is already used by tests/invalid/duplicate-exam-id/first.toml"),
        "{text}"
    );
    assert!(
        text.contains("--> tests/invalid/duplicate-exam-id/second.toml:4:6"),
        "{text}"
    );
    assert_eq!(text.matches("error[").count(), 1, "{text}");
    // Each bank on its own is fine.
    for file in ["first.toml", "second.toml"] {
        let bytes = std::fs::read(dir.join(file)).expect("fixture");
        let (loaded, _) = bank::load(&bytes);
        assert!(
            loaded.diagnostics.is_empty(),
            "{file}: {:?}",
            loaded.diagnostics
        );
    }
}

#[test]
fn too_large() {
    // One byte over the limit; the content does not matter, it is never parsed.
    let bytes = vec![b'#'; bank::MAX_BANK_BYTES + 1];
    let (loaded, source) = bank::load(&bytes);
    assert_eq!(loaded.diagnostics.len(), 1);
    let d = &loaded.diagnostics[0];
    assert_eq!((d.code, d.severity), ("too-large", Severity::Error));
    assert!(
        d.message
            .contains("larger than 32 MiB, the most a bank may be"),
        "{}",
        d.message
    );
    let at = position(&source, d.span.start);
    assert_eq!((at.line, at.column), (1, 1));
    // Exactly at the limit the bank is read (and here fails as TOML-less).
    let (loaded, _) = bank::load(&bytes[1..]);
    assert!(loaded.diagnostics.iter().all(|d| d.code != "too-large"));
}

#[test]
fn not_utf8_from_utf16() {
    // What Windows Notepad writes as "Unicode": UTF-16LE with a byte-order mark.
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "[exam]\nid = \"x\"\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let (loaded, source) = bank::load(&bytes);
    assert_eq!(loaded.diagnostics.len(), 1, "{:?}", loaded.diagnostics);
    let d = &loaded.diagnostics[0];
    assert_eq!(d.code, "not-utf8");
    assert!(d.message.contains("(byte 0 is not)"), "{}", d.message);
    assert_eq!(position(&source, d.span.start).column, 1);
    assert!(d.span.end <= source.len());
}

#[test]
fn empty_and_blank_input() {
    for input in [&b""[..], b" ", b"\n\n\t\r\n"] {
        let (loaded, _) = bank::load(input);
        let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["empty-bank"], "{input:?}");
    }
    // A file of comments is not empty: it is a bank without any table.
    let (loaded, _) = bank::load(b"# nothing yet\n");
    assert_eq!(loaded.diagnostics.len(), 4, "{:?}", loaded.diagnostics);
    assert!(loaded.diagnostics.iter().all(|d| d.code == "missing-field"));
}

/// A small, seeded generator so the "random bytes" are the same on every run.
fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed | 1;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

#[test]
fn random_bytes_give_errors_not_panics() {
    for seed in 0..200_u64 {
        let mut next = xorshift(seed);
        let len = usize::try_from(next() % 4096).expect("small");
        let bytes: Vec<u8> = (0..len).map(|_| next().to_le_bytes()[0]).collect();
        let (loaded, source) = bank::load(&bytes);
        assert!(loaded.exam.is_none(), "seed {seed}");
        assert!(loaded.errors() > 0, "seed {seed}");
        for d in &loaded.diagnostics {
            assert!(d.span.start <= d.span.end && d.span.end <= source.len());
        }
    }
}

#[test]
fn deep_nesting_is_a_syntax_error() {
    let depth = 100_000;
    let cases = [
        format!("a = {}", "[".repeat(depth)),
        format!("a = {}{}\n", "[".repeat(depth), "]".repeat(depth)),
        format!("a = {}1{}\n", "{b = ".repeat(depth), "}".repeat(depth)),
        format!("{} = 1\n", vec!["a"; depth].join(".")),
        format!("[{}]\n", vec!["a"; depth].join(".")),
        format!(
            "[[questions]]\nid = \"q\"\ntags = {}{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    ];
    for (i, text) in cases.iter().enumerate() {
        let (loaded, source) = bank::load(text.as_bytes());
        let first = loaded.diagnostics.first().expect("a diagnostic");
        assert_eq!(first.code, "toml-syntax", "case {i}: {:?}", first.message);
        assert!(
            first.message.contains("recurs"),
            "case {i}: {:?}",
            first.message
        );
        assert!(first.span.end <= source.len(), "case {i}");
    }
}

/// Nesting under the parser's limit reaches serde, which says "wrong type".
#[test]
fn shallow_nesting_is_a_wrong_type() {
    let text = std::str::from_utf8(&fixture("wrong-type"))
        .expect("UTF-8")
        .replace(
            "\"one hour\"",
            &format!("{}1{}", "[".repeat(40), "]".repeat(40)),
        );
    let (loaded, source) = bank::load(text.as_bytes());
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.code == "wrong-type")
        .expect("wrong-type");
    assert!(d.message.contains("expected f64"), "{}", d.message);
    assert_eq!(position(&source, d.span.start).line, 10);
}

// ---------------------------------------------------------------------------
// Guards: fixtures, this list, the code and the docs stay in step.

/// Rule codes created in `src/` outside `#[cfg(test)]` code.
fn codes_in_source() -> BTreeSet<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("src is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    // Bank rules live in the bank module and the `check` command (which adds
    // `duplicate-exam-id`); the issuer file's rules are tested in `issuing`.
    let mut files = vec![root().join("src/bank.rs"), root().join("src/cli/check.rs")];
    walk(&root().join("src/bank"), &mut files);
    let mut codes = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("UTF-8 source");
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        for call in ["Diagnostic::error(", "Diagnostic::warning("] {
            for rest in text.split(call).skip(1) {
                let rest = rest.trim_start();
                let code = rest
                    .strip_prefix('"')
                    .and_then(|r| r.split('"').next())
                    .unwrap_or_else(|| panic!("{}: a rule code must be a literal", file.display()));
                codes.insert(code.to_string());
            }
        }
    }
    codes
}

#[test]
fn every_rule_has_a_fixture_and_a_doc_entry() {
    let codes = codes_in_source();
    assert!(codes.len() >= 40, "found only {codes:?}");
    let docs = std::fs::read_to_string(root().join("docs/exam-format.md")).expect("the docs");
    // Rules whose input cannot be a fixture file: tested above.
    let generated = ["too-large"];
    for code in &codes {
        let has_fixture = root().join(format!("tests/invalid/{code}.toml")).is_file()
            || root().join(format!("tests/invalid/{code}")).is_dir()
            || generated.contains(&code.as_str());
        assert!(
            has_fixture,
            "rule `{code}` has no fixture in tests/invalid/"
        );
        assert!(
            docs.contains(&format!("### `{code}`")),
            "rule `{code}` is not documented in docs/exam-format.md"
        );
    }
}

#[test]
fn every_fixture_is_tested() {
    let mut on_disk = BTreeSet::new();
    for entry in std::fs::read_dir(root().join("tests/invalid")).expect("tests/invalid") {
        let path = entry.expect("entry").path();
        if let Some(stem) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".toml"))
        {
            on_disk.insert(stem.to_string());
        }
    }
    let listed: BTreeSet<String> = FIXTURES.iter().map(ToString::to_string).collect();
    assert_eq!(on_disk, listed, "fixtures on disk vs. fixtures tested");
    let codes = codes_in_source();
    for name in FIXTURES {
        let code = name.split('.').next().unwrap_or_default();
        assert!(codes.contains(code), "fixture {name} names no rule");
    }
}
