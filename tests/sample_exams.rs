//! The banks we ship and show must be flawless: every `*.toml` under `exams/`
//! (whoever adds it) and the complete example of `docs/exam-format.md` load
//! with no error and no warning.

use brevet::bank::{self, diagnostic::render_text};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn banks_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("exams/ is readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            banks_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

/// Loads `bytes` and fails with rustc-style output for any diagnostic.
fn assert_clean(name: &str, bytes: &[u8]) -> bank::Exam {
    let (loaded, source) = bank::load(bytes);
    assert!(
        loaded.diagnostics.is_empty(),
        "{name} has problems:\n{}",
        render_text(name, &source, &loaded.diagnostics, false)
    );
    loaded.exam.expect("a bank without diagnostics has an exam")
}

#[test]
fn every_sample_exam_is_clean() {
    let mut files = Vec::new();
    banks_under(&root().join("exams"), &mut files);
    files.sort();
    assert!(!files.is_empty(), "no bank under exams/");
    let mut ids = std::collections::HashMap::new();
    for file in &files {
        let name = file
            .strip_prefix(root())
            .unwrap_or(file)
            .display()
            .to_string();
        let exam = assert_clean(&name, &std::fs::read(file).expect("readable"));
        assert!(
            exam.questions.iter().all(|q| q.explanation.is_some()),
            "{name}: every sample question has an explanation"
        );
        if let Some(other) = ids.insert(exam.meta.id.clone(), name.clone()) {
            panic!("{name} and {other} share the exam id `{}`", exam.meta.id);
        }
    }
}

#[test]
fn the_demo_exam_is_short_and_uses_every_kind() {
    let exam = assert_clean(
        "exams/demo.toml",
        &std::fs::read(root().join("exams/demo.toml")).expect("the demo exam"),
    );
    assert_eq!(exam.rules.time_limit.as_secs(), 5 * 60);
    let kinds: std::collections::BTreeSet<&str> = exam
        .questions
        .iter()
        .map(|q| match q.kind {
            bank::Kind::Single { .. } => "single",
            bank::Kind::Multiple { .. } => "multiple",
            bank::Kind::TrueFalse { .. } => "true-false",
            bank::Kind::Text { .. } => "text",
            bank::Kind::Numeric { .. } => "numeric",
        })
        .collect();
    assert_eq!(kinds.len(), 5, "{kinds:?}");
}

/// The first ```toml block after `## A complete example`.
fn documented_example() -> String {
    let docs = std::fs::read_to_string(root().join("docs/exam-format.md")).expect("the docs");
    let after = docs
        .split_once("## A complete example")
        .expect("the example section")
        .1;
    let block = after.split_once("```toml\n").expect("a toml block").1;
    block
        .split_once("```")
        .expect("the block's end")
        .0
        .to_string()
}

#[test]
fn the_documented_example_is_clean_and_complete() {
    let text = documented_example();
    let exam = assert_clean("docs/exam-format.md example", text.as_bytes());
    // It shows both numeric forms, a pinned choice and a given choice id.
    assert!(exam.questions.iter().any(|q| matches!(
        q.kind,
        bank::Kind::Numeric {
            answer: bank::NumericAnswer::Range { .. },
            ..
        }
    )));
    assert!(exam.questions.iter().any(|q| matches!(
        q.kind,
        bank::Kind::Numeric {
            answer: bank::NumericAnswer::Tolerance { .. },
            ..
        }
    )));
    assert!(exam.questions.iter().any(|q| match &q.kind {
        bank::Kind::Single { choices } | bank::Kind::Multiple { choices } =>
            choices.iter().any(|c| c.pinned && c.id == "none"),
        _ => false,
    }));
    // Every field of the format appears in it (uncommented, except `ects`).
    for field in [
        "id",
        "version",
        "title",
        "skill_block",
        "language",
        "description",
        "learning_outcomes",
        "workload_hours",
        "eqf_level",
        "prerequisites",
        "stackability",
        "time_limit",
        "mastery_threshold",
        "questions",
        "navigation",
        "shuffle_questions",
        "shuffle_choices",
        "max_attempts",
        "attempt_delay",
        "review",
        "scoring",
        "paste",
        "warnings",
        "draw",
        "min_score",
        "section",
        "kind",
        "points",
        "prompt",
        "explanation",
        "tags",
        "text",
        "correct",
        "pin",
        "answer",
        "accepted",
        "ignore",
        "tolerance",
        "unit",
        "min",
        "max",
    ] {
        assert!(
            text.lines()
                .any(|l| l.trim_start().starts_with(&format!("{field} ="))),
            "the example does not show `{field}`"
        );
    }
    assert!(text.contains("# ects = "));
}

/// Every text a learner reads in `exam`: titles, outcomes, prompts,
/// choices, explanations.
fn shown_texts(exam: &bank::Exam) -> Vec<String> {
    let m = &exam.meta;
    let mut texts = vec![
        m.title.clone(),
        m.skill_block.clone(),
        m.description.clone(),
    ];
    texts.extend(m.learning_outcomes.iter().cloned());
    texts.extend(exam.sections.iter().map(|s| s.title.clone()));
    for q in &exam.questions {
        texts.push(q.prompt.clone());
        texts.extend(q.explanation.iter().cloned());
        if let bank::Kind::Single { choices } | bank::Kind::Multiple { choices } = &q.kind {
            texts.extend(choices.iter().map(|c| c.text.clone()));
        }
    }
    texts
}

/// The French banks are typeset as French: a narrow no-break space before
/// `; : ! ?` and inside « », so that no line starts with `»` or `?`, and
/// curly apostrophes. The English ones have no such spaces.
#[test]
fn the_shipped_banks_are_typeset_in_their_language() {
    let mut files = Vec::new();
    banks_under(&root().join("exams"), &mut files);
    for file in files {
        let exam = assert_clean(&file.display().to_string(), &std::fs::read(&file).unwrap());
        let french = exam.meta.language.starts_with("fr");
        for text in shown_texts(&exam) {
            let chars: Vec<char> = text.chars().collect();
            for (i, &c) in chars.iter().enumerate() {
                let before = i.checked_sub(1).map(|j| chars[j]);
                let after = chars.get(i + 1).copied();
                let at = || format!("{}: {c:?} in {text:?}", file.display());
                if french && matches!(c, ';' | ':' | '!' | '?' | '»') {
                    // Inside a token (`https://`, `10:30`, `Été2025!…`,
                    // a password ending in `2025!`), it stays as it is.
                    let glued = before.is_some_and(|b| !b.is_whitespace())
                        && (after.is_some_and(|a| !a.is_whitespace())
                            || before.is_some_and(|b| b.is_ascii_digit()));
                    assert!(glued || before == Some('\u{202f}'), "{}", at());
                }
                if french && c == '«' {
                    assert_eq!(after, Some('\u{202f}'), "{}", at());
                }
                if french && c == '\'' {
                    let letters = before.is_some_and(char::is_alphabetic)
                        && after.is_some_and(char::is_alphabetic);
                    assert!(!letters, "a straight apostrophe: {}", at());
                }
                if !french {
                    assert_ne!(c, '\u{202f}', "{}", at());
                }
            }
        }
    }
}
