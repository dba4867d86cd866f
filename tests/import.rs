//! `brevet import` on real files: the shared fixtures written by other
//! projects (counts from their SOURCES.md) and one fixture per syntax
//! feature and per Aiken error case under `tests/import/`.

// Helpers outside #[test] functions unwrap too: a panic is the failure message.
#![allow(clippy::unwrap_used)]

#[path = "support/data.rs"]
mod data;

use brevet::bank::import::{self, Format, Imported, Level};
use brevet::bank::{self, Exam, Kind, NumericAnswer, Question};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn shared_fixtures() -> PathBuf {
    data::path("fixtures")
}

/// Imports a file and loads the bank written, which must validate.
fn import_file(format: Format, path: &Path) -> (Imported, Exam) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.file_name().unwrap().to_string_lossy();
    let imported =
        import::import(format, &bytes, &name).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let loaded = bank::load_str(&imported.toml);
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}\n{}", imported.toml);
    let exam = loaded.exam.expect("a valid bank");
    assert_eq!(exam.questions.len(), imported.converted);
    (imported, exam)
}

fn own(format: Format, name: &str) -> (Imported, Exam) {
    import_file(format, &root().join("tests/import").join(name))
}

fn question<'a>(exam: &'a Exam, id: &str) -> &'a Question {
    exam.questions
        .iter()
        .find(|q| q.id == id)
        .unwrap_or_else(|| {
            let ids: Vec<&str> = exam.questions.iter().map(|q| q.id.as_str()).collect();
            panic!("no question `{id}` among {ids:?}")
        })
}

/// The report items of one level, as (line, message).
fn items(imported: &Imported, level: Level) -> Vec<(usize, &str)> {
    imported
        .report
        .iter()
        .filter(|r| r.level == level)
        .map(|r| (r.line, r.message.as_str()))
        .collect()
}

fn lines(imported: &Imported, level: Level) -> Vec<usize> {
    items(imported, level).into_iter().map(|(l, _)| l).collect()
}

fn choices(q: &Question) -> Vec<(&str, bool)> {
    match &q.kind {
        Kind::Single { choices } | Kind::Multiple { choices } => choices
            .iter()
            .map(|c| (c.text.as_str(), c.correct))
            .collect(),
        other => panic!("`{}` is not a choice question: {other:?}", q.id),
    }
}

fn count_kinds(exam: &Exam, pred: impl Fn(&Kind) -> bool) -> usize {
    exam.questions.iter().filter(|q| pred(&q.kind)).count()
}

/// The question count SOURCES.md gives for each fixture, from the last
/// column of its table (`9 categories, 22 questions: …` → 22).
fn sources_counts() -> Vec<(String, usize)> {
    let text = std::fs::read_to_string(shared_fixtures().join("SOURCES.md")).unwrap();
    let mut out = Vec::new();
    for row in text.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        let file = cells[0].trim_matches('`').to_string();
        let summary = cells.last().unwrap().split(':').next().unwrap();
        let words: Vec<&str> = summary.split_whitespace().collect();
        let at = words
            .iter()
            .position(|w| w.starts_with("questions"))
            .unwrap();
        let n = words[..at]
            .iter()
            .rev()
            .find_map(|w| w.trim_matches(',').parse().ok())
            .unwrap();
        out.push((file, n));
    }
    out
}

#[test]
fn every_shared_fixture_is_accounted_for() {
    let counts = sources_counts();
    let mut on_disk = Vec::new();
    for dir in ["gift", "aiken"] {
        for entry in std::fs::read_dir(shared_fixtures().join(dir)).unwrap() {
            on_disk.push(format!(
                "{dir}/{}",
                entry.unwrap().file_name().to_string_lossy()
            ));
        }
    }
    on_disk.sort();
    let mut listed: Vec<String> = counts.iter().map(|(f, _)| f.clone()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "SOURCES.md and the fixture folders differ");
    for (file, expected) in counts {
        let format = if file.starts_with("gift/") {
            Format::Gift
        } else {
            Format::Aiken
        };
        let (imported, _) = import_file(format, &shared_fixtures().join(&file));
        assert_eq!(
            imported.converted + imported.skipped(),
            expected,
            "{file}: converted {} + skipped {} should be the {expected} questions SOURCES.md counts\n{:#?}",
            imported.converted,
            imported.skipped(),
            imported.report
        );
        for r in &imported.report {
            assert!(r.line > 0, "{file}: report item without a line: {r}");
        }
    }
}

#[test]
fn qas_editor_all_gift() {
    let (imported, exam) = import_file(
        Format::Gift,
        &shared_fixtures().join("gift/qas_editor_all.gift"),
    );
    // 22 questions: 1 description, 2 essays, 4 true/false, 4 numerical,
    // 1 missing word, 2 matching, 4 short answer, 4 multiple choice.
    assert_eq!(imported.converted, 15);
    let skipped = items(&imported, Level::Skipped);
    let skipped_lines: Vec<usize> = skipped.iter().map(|s| s.0).collect();
    assert_eq!(
        skipped_lines,
        vec![4, 12, 14, 39, 59, 67, 79],
        "{skipped:#?}"
    );
    assert!(skipped[0].1.starts_with("description “description”"));
    assert!(skipped[1].1.starts_with("essay “Essay 1”"));
    assert!(skipped[2].1.starts_with("essay “Essay 2”"));
    assert!(skipped[3].1.contains("several separate values (-7, 4)"));
    assert!(skipped[4].1.starts_with("matching question “match1”"));
    assert!(skipped[5].1.starts_with("matching question “match2”"));
    assert!(skipped[6].1.contains("wildcard (“*manually*”)"));
    assert_eq!(
        count_kinds(&exam, |k| matches!(k, Kind::TrueFalse { .. })),
        4
    );
    assert_eq!(count_kinds(&exam, |k| matches!(k, Kind::Numeric { .. })), 3);
    assert_eq!(count_kinds(&exam, |k| matches!(k, Kind::Text { .. })), 3);
    assert_eq!(count_kinds(&exam, |k| matches!(k, Kind::Single { .. })), 3);
    assert_eq!(
        count_kinds(&exam, |k| matches!(k, Kind::Multiple { .. })),
        2
    );
    // 9 categories: 5 sections, and a note for each of the other 4.
    assert_eq!(imported.sections, 5);
    let notes = items(&imported, Level::Note);
    let categories: Vec<usize> = notes
        .iter()
        .filter(|n| n.1.starts_with("category"))
        .map(|n| n.0)
        .collect();
    assert_eq!(categories, vec![1, 7, 54, 56]);
    let titles: Vec<&str> = exam.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "qas editor / True-False",
            "qas editor / Numericals",
            "qas editor / Missing Words",
            "qas editor / Shorts",
            "qas editor / Multichoice"
        ]
    );
    for s in &exam.sections {
        assert_eq!(s.draw as usize, s.pool.len(), "{}", s.id);
    }

    let tf1 = question(&exam, "truefalse-1");
    assert_eq!(tf1.kind, Kind::TrueFalse { answer: true });
    assert!(!tf1.prompt.contains('<'), "{}", tf1.prompt);
    let e = tf1.explanation.as_deref().unwrap();
    assert!(
        e.starts_with("This question is operating with Interactive"),
        "{e}"
    );
    assert!(e.contains("- The question number, '1'."), "{e}");
    assert!(e.contains("- True: Your answer is correct"), "{e}");
    assert!(e.contains("- False: Your answer is incorrect"), "{e}");
    assert_eq!(
        question(&exam, "truefalse-4").kind,
        Kind::TrueFalse { answer: false }
    );
    assert!(
        question(&exam, "truefalse-3")
            .prompt
            .contains("[image: moodlewhich.jpg]")
    );

    let n1 = question(&exam, "numeric-1");
    assert_eq!(
        n1.kind,
        Kind::Numeric {
            answer: NumericAnswer::Tolerance {
                value: 2006.0,
                tolerance: 1.0
            },
            unit: None
        }
    );
    assert!(
        n1.explanation
            .as_deref()
            .unwrap()
            .contains("- Any other answer: Although")
    );
    assert_eq!(
        question(&exam, "numeric-4").kind,
        Kind::Numeric {
            answer: NumericAnswer::Range { min: 1.0, max: 5.0 },
            unit: None
        }
    );

    let missing = question(&exam, "moodle-costs-to-download-from-moodle-org");
    assert_eq!(
        missing.prompt,
        "Moodle costs _____ to download from moodle.org."
    );
    assert_eq!(
        choices(missing),
        [
            ("lots of money", false),
            ("nothing", true),
            ("a small amount", false)
        ]
    );

    let sa3 = question(&exam, "short-answer-3");
    assert!(matches!(&sa3.kind, Kind::Text { accepted, .. } if accepted == &["Crete"]));
    let grant = question(&exam, "who-s-buried-in-grant-s-tomb");
    assert!(matches!(&grant.kind, Kind::Text { accepted, .. } if accepted.len() == 3));

    let mc4 = question(&exam, "multichoice4");
    let right: Vec<bool> = choices(mc4).iter().map(|c| c.1).collect();
    assert_eq!(right, [true, false, true, false, false, true]);
    assert!(choices(mc4)[2].0.contains("\"Internet Overview\""));
    let mc3 = question(&exam, "multichoice3");
    assert_eq!(
        mc3.prompt,
        "This is an example of a multiple choice question with only one answer.\n\nWhen was Moodle 3.0 released?"
    );
    assert!(
        mc3.explanation
            .as_deref()
            .unwrap()
            .starts_with("Remember - the developer docs")
    );
    // Equal thirds with -33.33% for each wrong choice: exactly brevet's partial scoring.
    assert!(
        !notes.iter().any(|n| n.1.contains("Multichoice")),
        "{notes:#?}"
    );
}

#[test]
#[allow(clippy::approx_constant)] // the fixture's own values of pi
fn pegjs_numerical_gift() {
    let (imported, exam) = import_file(
        Format::Gift,
        &shared_fixtures().join("gift/pegjs_numerical1.gift"),
    );
    assert_eq!(imported.converted, 10);
    assert_eq!(
        count_kinds(&exam, |k| matches!(k, Kind::Numeric { .. })),
        10
    );
    let range = |min: f64, max: f64| Kind::Numeric {
        answer: NumericAnswer::Range { min, max },
        unit: None,
    };
    let near = |value: f64, tolerance: f64| Kind::Numeric {
        answer: NumericAnswer::Tolerance { value, tolerance },
        unit: None,
    };
    let kinds: Vec<&Kind> = exam.questions.iter().map(|q| &q.kind).collect();
    assert_eq!(
        kinds,
        [
            &near(1822.0, 0.0),
            &near(-1.0, 0.0),
            &near(3.1415, 0.0005),
            &near(-3.142, 0.001),
            &range(3.141, 3.142),
            &range(-3.142, -3.141),
            &range(1.0, 5.0),
            &range(-5.0, 5.0),
            &near(1822.0, 0.0),
            &near(9.0, 0.0),
        ]
    );
    // Answers followed by a full stop are missing-word questions in Moodle.
    assert_eq!(
        exam.questions[6].prompt,
        "Give me a number from 1 to 5. _____."
    );
    // The 50% answer of the second Grant question is dropped, and said so.
    let changed = items(&imported, Level::Changed);
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].0, 21);
    assert!(changed[0].1.contains("1822 ± 2 earned 50%"));
    let grasp = question(&exam, "combien-de-principes-grasp-y-a-t-il");
    let e = grasp.explanation.as_deref().unwrap();
    assert!(
        e.contains("- 5: Incorrect. Bien que le livre ne présente que 5 principes"),
        "{e}"
    );
    assert!(
        e.contains(
            "23 Patterns GoF (Gang des quatre) (http://fr.wikipedia.org/wiki/Design_Patterns)"
        ),
        "{e}"
    );
}

#[test]
fn pegjs_multiline_feedback_gift() {
    let (imported, exam) = import_file(
        Format::Gift,
        &shared_fixtures().join("gift/pegjs_multiLineFeedback1.gift"),
    );
    assert_eq!(imported.converted, 2);
    let first = &exam.questions[0];
    assert_eq!(
        choices(first),
        [
            ("wrong answer", false),
            ("another wrong answer", false),
            ("right answer", true)
        ]
    );
    assert_eq!(
        first.explanation.as_deref(),
        Some(
            "Global feedback split\non multiple lines\n\nFeedback on the answers:\n\
             - “wrong answer”: feedback comment on the wrong answer\n\
             - “another wrong answer”: feedback comment on this wrong answer\n  on multiple lines\n\
             - “right answer”: Very good!"
        )
    );
    let second = question(&exam, "06-creation-d-instance");
    assert!(
        second
            .prompt
            .starts_with("CU4-1 demarrerAbonnement(duree :Integer) : Comment réalise t’on"),
        "{}",
        second.prompt
    );
    assert!(!second.prompt.contains("&nbsp;") && !second.prompt.contains('<'));
    let texts: Vec<&str> = choices(second).iter().map(|c| c.0).collect();
    assert_eq!(
        texts,
        [
            "Client",
            "ConditionAbonnement",
            "Paiement",
            "Emprunt",
            "ContrôleurAbonnement",
            "CléAccess"
        ]
    );
    assert!(choices(second)[4].1);
    let notes = items(&imported, Level::Note);
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].0, 11);
    assert!(notes[0].1.contains("3.png"));
    assert!(imported.is_complete());
}

#[test]
fn qas_editor_aiken() {
    let (imported, exam) = import_file(
        Format::Aiken,
        &shared_fixtures().join("aiken/qas_editor_aiken_1.txt"),
    );
    assert_eq!(imported.converted, 4);
    let skipped = items(&imported, Level::Skipped);
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].0, 27);
    assert!(
        skipped[0].1.contains("read the same (“.”)"),
        "{}",
        skipped[0].1
    );
    let first = &exam.questions[0];
    assert_eq!(
        choices(first),
        [
            ("2.6", false),
            ("-2.0", false),
            ("2.0", false),
            ("2.1", false),
            ("2.5", true)
        ]
    );
    assert_eq!(
        exam.questions[3].prompt,
        "This is an example of a multiple choice question with only one answer.When was Moodle 3.0 released?"
    );
    assert_eq!(choices(&exam.questions[3])[1], ("November 2015", true));
}

#[test]
fn comments_titles_and_tags() {
    let (imported, exam) = own(Format::Gift, "comments_titles.gift");
    assert!(imported.report.is_empty(), "{:#?}", imported.report);
    let ids: Vec<&str> = exam.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "capital-of-france",
            "capital-of-france-2",
            "which-river-flows-through-paris",
            "creer-une-instance"
        ]
    );
    assert_eq!(exam.questions[0].tags, ["geography", "capitals"]);
    assert!(exam.questions[1].tags.is_empty());
    // A comment line inside the answer block is not an answer.
    assert_eq!(
        choices(&exam.questions[1]),
        [("Rome", true), ("Milan", false)]
    );
    // `//` inside a line is text, not a comment.
    assert_eq!(
        exam.questions[3].prompt,
        "See http://example.org/a//b for the rule."
    );
}

#[test]
fn format_tags() {
    let (_, exam) = own(Format::Gift, "formats.gift");
    let html = question(&exam, "html");
    assert_eq!(
        html.prompt,
        "First paragraph with bold & an entity é.\n\nSecond\nline"
    );
    // An answer's own `[plain]` wins over the question's `[html]`.
    assert_eq!(choices(html), [("<b>literal</b>", true), ("<i>", false)]);
    assert_eq!(
        question(&exam, "moodle").prompt,
        "A line\nanother line & more"
    );
    assert_eq!(
        question(&exam, "plain").prompt,
        "Keep <b>this</b> &amp; that"
    );
    assert_eq!(
        question(&exam, "markdown").prompt,
        "Some *stars* and `code`"
    );
    assert_eq!(
        question(&exam, "default").prompt,
        "No tag: Moodle auto-format\nkeeps breaks"
    );
}

#[test]
fn categories_become_sections() {
    let (imported, exam) = own(Format::Gift, "categories.gift");
    let sections: Vec<(&str, &str, u32)> = exam
        .sections
        .iter()
        .map(|s| (s.id.as_str(), s.title.as_str(), s.draw))
        .collect();
    assert_eq!(
        sections,
        [
            ("general", "General", 1),
            ("networks", "Default for Course / Networks", 2),
            ("security", "Default for Course / Security", 1)
        ]
    );
    assert_eq!(exam.questions.iter().filter(|q| q.section == 1).count(), 2);
    let notes = items(&imported, Level::Note);
    assert_eq!(notes.len(), 2, "{notes:#?}");
    assert_eq!(notes[0].0, 7);
    assert!(notes[0].1.contains("“Empty one” holds no question"));
    assert_eq!(notes[1].0, 10);
    assert!(notes[1].1.contains("no blank line after `$CATEGORY:`"));
}

#[test]
fn every_escape() {
    let (imported, exam) = own(Format::Gift, "escapes.gift");
    assert!(imported.report.is_empty(), "{:#?}", imported.report);
    let q = question(&exam, "escapes-all-of-them");
    assert_eq!(
        q.prompt,
        "Tilde ~, equals =, hash #, braces { and }, colon :, backslash \\ and\na new line."
    );
    assert_eq!(
        choices(q),
        [("right ~ = # { } : \\ choice", true), ("wrong", false)]
    );
    assert!(
        q.explanation
            .as_deref()
            .unwrap()
            .ends_with("feedback with = and # too")
    );
    assert_eq!(
        exam.questions[1].prompt,
        "Literal LaTeX: $$\\frac{1}{2}$$ is a half."
    );
}

#[test]
fn multiple_choice_single_answer() {
    let (imported, exam) = own(Format::Gift, "multiple_choice.gift");
    assert_eq!(
        choices(question(&exam, "single")),
        [("Grant", false), ("Jefferson", false), ("no one", true)]
    );
    let missing = question(&exam, "missing-word");
    assert_eq!(missing.prompt, "Grant is _____ in Grant's tomb.");
    assert!(matches!(missing.kind, Kind::Single { .. }));
    assert_eq!(
        question(&exam, "multi-line").prompt,
        "Japanese characters originally came from\nwhat country?"
    );
    assert_eq!(choices(question(&exam, "multi-line"))[1], ("China", true));
    // Partial and negative credit of a single-answer question: dropped, reported per answer line.
    let partial = question(&exam, "partial");
    assert_eq!(choices(partial).iter().filter(|c| c.1).count(), 1);
    let changed = items(&imported, Level::Changed);
    assert_eq!(lines(&imported, Level::Changed), [15, 16]);
    assert!(changed[0].1.contains("“Bethlehem” earned 25%"));
    assert!(changed[1].1.contains("“Galilee” cost 50%"));
    // Two fully right answers cannot be one single-choice question.
    let skipped = items(&imported, Level::Skipped);
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].0, 20);
    assert!(skipped[0].1.contains("2 of its choices earn full points"));
}

#[test]
fn multiple_response_weights() {
    let (imported, exam) = own(Format::Gift, "multiple_response.gift");
    let shares = question(&exam, "equal-shares");
    assert!(matches!(shares.kind, Kind::Multiple { .. }));
    assert_eq!(
        choices(shares),
        [
            ("No one", false),
            ("Grant", true),
            ("Grant's wife", true),
            ("Grant's father", false)
        ]
    );
    assert_eq!(
        choices(question(&exam, "thirds"))
            .iter()
            .filter(|c| c.1)
            .count(),
        3
    );
    assert_eq!(
        choices(question(&exam, "one-right")),
        [("2", true), ("3", false), ("5", false)]
    );
    // -50% for each wrong choice with two right ones is brevet's rule: no note.
    let notes = items(&imported, Level::Note);
    assert_eq!(lines(&imported, Level::Note), [8, 10], "{notes:#?}");
    assert!(notes[0].1.contains("costs 100%") && notes[0].1.contains("(33.33%)"));
    assert!(notes[1].1.contains("costs nothing"));
    let skipped = items(&imported, Level::Skipped);
    assert_eq!(lines(&imported, Level::Skipped), [12, 14]);
    assert!(skipped[0].1.contains("unequal credit (60%, 40%)"));
    assert!(skipped[1].1.contains("add up to 50%"));
}

#[test]
fn true_false_with_both_feedbacks() {
    let (imported, exam) = own(Format::Gift, "true_false.gift");
    let answers: Vec<&Kind> = exam.questions.iter().take(4).map(|q| &q.kind).collect();
    assert_eq!(
        answers,
        [
            &Kind::TrueFalse { answer: true },
            &Kind::TrueFalse { answer: true },
            &Kind::TrueFalse { answer: false },
            &Kind::TrueFalse { answer: false },
        ]
    );
    assert_eq!(
        question(&exam, "true").explanation.as_deref(),
        Some(
            "Pressure matters.\n\nFeedback on the answers:\n- True: Yes, it does.\n- False: No, it does."
        )
    );
    // For a false statement the first feedback is for "true", the wrong answer.
    assert_eq!(
        question(&exam, "f").explanation.as_deref(),
        Some("Feedback on the answers:\n- True: It is rock, not cheese.\n- False: Right: rock.")
    );
    assert!(
        matches!(&question(&exam, "lowercase").kind, Kind::Text { accepted, .. } if accepted == &["true"])
    );
    assert_eq!(lines(&imported, Level::Note), [9]);
    assert!(imported.is_complete());
}

#[test]
fn short_answers_and_their_weights() {
    let (imported, exam) = own(Format::Gift, "short_answer.gift");
    assert!(matches!(&question(&exam, "several").kind,
        Kind::Text { accepted, ignore } if accepted == &["Grant", "Ulysses S. Grant", "Ulysses Grant"] && ignore.case));
    let partial = question(&exam, "partial");
    assert!(matches!(&partial.kind, Kind::Text { accepted, .. } if accepted == &["Crete"]));
    assert!(
        partial
            .explanation
            .as_deref()
            .unwrap()
            .contains("- Any other answer: Any other answer is wrong.")
    );
    assert!(
        matches!(&question(&exam, "wildcard-too").kind, Kind::Text { accepted, .. } if accepted == &["Tokyo"])
    );
    let changed = items(&imported, Level::Changed);
    assert_eq!(lines(&imported, Level::Changed), [5, 12]);
    assert!(changed[0].1.contains("“Greece” earned 50%"));
    assert!(changed[1].1.contains("“*kyo” uses Moodle's `*` wildcard"));
    let skipped = items(&imported, Level::Skipped);
    assert_eq!(lines(&imported, Level::Skipped), [10, 14]);
    assert!(skipped[0].1.contains("wildcard (“*manually*”)"));
    assert!(skipped[1].1.contains("accepts any answer"));
}

#[test]
fn numerical_answers() {
    let (imported, exam) = own(Format::Gift, "numeric.gift");
    let kind = |id: &str| match &question(&exam, id).kind {
        Kind::Numeric { answer, .. } => *answer,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        kind("tolerance"),
        NumericAnswer::Tolerance {
            value: 1822.0,
            tolerance: 5.0
        }
    );
    assert_eq!(
        kind("exact"),
        NumericAnswer::Tolerance {
            value: 42.0,
            tolerance: 0.0
        }
    );
    assert_eq!(kind("range"), NumericAnswer::Range { min: 1.0, max: 5.0 });
    assert_eq!(
        kind("weighted"),
        NumericAnswer::Tolerance {
            value: 1822.0,
            tolerance: 0.0
        }
    );
    // Two full-credit answers that overlap are one range, exactly.
    assert_eq!(
        kind("overlapping"),
        NumericAnswer::Range { min: 1.0, max: 4.0 }
    );
    assert_eq!(
        kind("feedback-only"),
        NumericAnswer::Tolerance {
            value: 9.0,
            tolerance: 0.0
        }
    );
    assert!(
        question(&exam, "weighted")
            .explanation
            .as_deref()
            .unwrap()
            .ends_with("- Any other answer: Far off.")
    );
    assert_eq!(lines(&imported, Level::Changed), [9]);
    let skipped = items(&imported, Level::Skipped);
    assert_eq!(lines(&imported, Level::Skipped), [15, 17]);
    assert!(skipped[0].1.contains("several separate values (-7, 4)"));
    assert!(
        skipped[1]
            .1
            .contains("`3,14` is not a number (write `3.14`)")
    );
}

#[test]
fn feedback_on_several_lines() {
    let (imported, exam) = own(Format::Gift, "feedback.gift");
    assert!(imported.report.is_empty());
    let q = &exam.questions[0];
    assert_eq!(
        q.prompt,
        "What's the answer to this\nmultiple-choice question?"
    );
    assert!(
        q.explanation
            .as_deref()
            .unwrap()
            .starts_with("General feedback split\non multiple lines\n\n")
    );
}

#[test]
fn unsupported_kinds_are_skipped_with_their_line() {
    let (imported, exam) = own(Format::Gift, "unsupported.gift");
    assert_eq!(exam.questions.len(), 1);
    assert_eq!(exam.questions[0].prompt, "Moodle costs _____ to download.");
    let skipped = items(&imported, Level::Skipped);
    assert_eq!(lines(&imported, Level::Skipped), [1, 3, 5, 7, 13, 15]);
    let starts = [
        "description “description”",
        "essay “essay”",
        "essay “essay with feedback”",
        "matching question “matching”",
    ];
    for (s, start) in skipped.iter().zip(starts) {
        assert!(s.1.starts_with(start), "{} should start with {start}", s.1);
    }
    assert!(skipped[4].1.contains("more than one answer block"));
    assert!(skipped[5].1.contains("braces do not pair"));
    assert!(!imported.is_complete());
}

#[test]
fn html_becomes_plain_text() {
    let (imported, exam) = own(Format::Gift, "html.gift");
    assert_eq!(
        question(&exam, "entities").prompt,
        "« Café » costs 5€ – or €5 — ☺."
    );
    assert_eq!(
        question(&exam, "lists").prompt,
        "Which is true?\n\n- one\n- two\n\n1. first\n2. second"
    );
    assert_eq!(
        question(&exam, "image").prompt,
        "What does this show?\n\n[image: diagram.png]"
    );
    assert_eq!(
        question(&exam, "link").prompt,
        "See the documentation (http://example.org/doc)."
    );
    let notes = items(&imported, Level::Note);
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].0, 5);
    assert!(notes[0].1.contains("diagram.png"));
}

#[test]
fn aiken_good_questions() {
    let (imported, exam) = own(Format::Aiken, "aiken_good.txt");
    assert!(imported.report.is_empty());
    assert_eq!(
        choices(&exam.questions[0]),
        [("Earth", false), ("Jupiter", true), ("Mars", false)]
    );
    // Aiken text is plain: no HTML is read in it.
    assert_eq!(
        exam.questions[1].prompt,
        "Which of these is written with special characters < > & \"quotes\"?"
    );
    assert_eq!(
        choices(&exam.questions[1]),
        [("a < b & c", true), ("\"quoted\"", false)]
    );
}

#[test]
fn aiken_error_cases_keep_the_good_questions() {
    let (imported, exam) = own(Format::Aiken, "aiken_errors.txt");
    let prompts: Vec<&str> = exam.questions.iter().map(|q| q.prompt.as_str()).collect();
    assert_eq!(
        prompts,
        [
            "A good question",
            "A second good question, no space after the letters"
        ]
    );
    assert_eq!(
        choices(&exam.questions[1]),
        [
            ("Incorrect (no space)", false),
            ("Correct (no space)", true)
        ]
    );
    let skipped = items(&imported, Level::Skipped);
    assert_eq!(lines(&imported, Level::Skipped), [1, 14, 23, 28, 33]);
    assert!(
        skipped[0]
            .1
            .contains("1 choice before its `ANSWER:` line (line 3)")
    );
    assert!(
        skipped[1]
            .1
            .contains("no `ANSWER:` line before the next question starts on line 18")
    );
    assert!(
        skipped[2]
            .1
            .contains("names `b`, and Aiken letters are capitals")
    );
    assert!(
        skipped[3]
            .1
            .contains("names `D`, which is not one of its choices A to B")
    );
    assert!(
        skipped[4]
            .1
            .contains("the file ends before its `ANSWER:` line")
    );
    let ignored = items(&imported, Level::Ignored);
    assert_eq!(lines(&imported, Level::Ignored), [5, 7]);
    assert!(
        ignored[0]
            .1
            .contains("choice `A) A choice before any question` comes before any question")
    );
    assert!(
        ignored[1]
            .1
            .contains("`ANSWER: A` comes before any question")
    );
    // `A)Text` is a choice, as in Moodle; said in a note.
    assert_eq!(lines(&imported, Level::Note), [19, 20]);
}

#[test]
fn the_bank_says_what_to_complete() {
    let (imported, exam) = own(Format::Gift, "numeric.gift");
    assert_eq!(exam.meta.id, "numeric");
    assert_eq!(exam.meta.language, "en");
    assert_eq!(exam.meta.workload_hours, 1.0);
    assert_eq!(exam.rules.mastery_threshold, 70.0);
    // Six questions at 1.5 minutes each.
    assert_eq!(exam.rules.time_limit.as_secs(), 9 * 60);
    for field in [
        "id =",
        "title =",
        "language =",
        "description =",
        "learning_outcomes =",
        "workload_hours =",
        "time_limit =",
        "mastery_threshold =",
    ] {
        let at = imported
            .toml
            .find(&format!("\n{field}"))
            .unwrap_or_else(|| panic!("{field}"));
        let before = &imported.toml[..at];
        let previous_line = before.lines().last().unwrap();
        assert!(
            previous_line.starts_with("# TODO:"),
            "`{field}` has no TODO above it: {previous_line}"
        );
    }
    assert!(imported.toml.contains("# Not converted"));
    assert!(
        imported
            .toml
            .contains("# - line 15: numerical question “separate”")
    );
}

#[test]
fn nothing_to_import_is_an_error_with_a_report() {
    let err = import::import(
        Format::Gift,
        b"::only::A description with no answer.\n",
        "x.gift",
    )
    .unwrap_err();
    assert!(
        matches!(err, import::ImportError::NothingConverted { found: 1, .. }),
        "{err}"
    );
    assert_eq!(err.report().len(), 1);
    let err = import::import(Format::Aiken, b"\n\n", "x.txt").unwrap_err();
    assert!(matches!(err, import::ImportError::NoQuestion(..)), "{err}");
    let err = import::import(Format::Gift, b"caf\xe9 {T}", "x.gift").unwrap_err();
    assert!(matches!(err, import::ImportError::NotUtf8(3)), "{err}");
}

#[test]
fn a_bom_and_windows_line_endings_are_read() {
    let text = "\u{feff}::a::First?{T}\r\n\r\n::b::Second?{F}\r\n";
    let imported = import::import(Format::Gift, text.as_bytes(), "x.gift").unwrap();
    assert_eq!(imported.converted, 2);
    let aiken = "Question?\r\nA) yes\r\nB) no\r\nANSWER: A\r\n";
    assert_eq!(
        import::import(Format::Aiken, aiken.as_bytes(), "x.txt")
            .unwrap()
            .converted,
        1
    );
}

/// Imports one Aiken error-case fixture: the good question after the
/// faulty part is always imported.
fn aiken_case(name: &str) -> Imported {
    let (imported, exam) = own(Format::Aiken, name);
    assert!(
        exam.questions.iter().any(|q| q.prompt == "A good question"),
        "{name}: the good question is missing"
    );
    imported
}

#[test]
fn aiken_too_few_choices() {
    let imported = aiken_case("aiken_too_few_choices.txt");
    assert_eq!(lines(&imported, Level::Skipped), [1]);
    assert!(
        items(&imported, Level::Skipped)[0]
            .1
            .contains("1 choice before its `ANSWER:` line (line 3)")
    );
}

#[test]
fn aiken_choice_before_any_question() {
    let imported = aiken_case("aiken_choice_before_question.txt");
    assert_eq!(lines(&imported, Level::Ignored), [1]);
    assert_eq!(imported.skipped(), 0);
}

#[test]
fn aiken_answer_before_any_question() {
    let imported = aiken_case("aiken_answer_before_question.txt");
    assert_eq!(lines(&imported, Level::Ignored), [1]);
    assert!(
        items(&imported, Level::Ignored)[0]
            .1
            .contains("`ANSWER: A` comes before any question")
    );
}

#[test]
fn aiken_question_without_answer_line() {
    let imported = aiken_case("aiken_missing_answer.txt");
    let skipped = items(&imported, Level::Skipped);
    assert_eq!(lines(&imported, Level::Skipped), [1, 10]);
    assert!(
        skipped[0]
            .1
            .contains("before the next question starts on line 5")
    );
    assert!(
        skipped[1]
            .1
            .contains("the file ends before its `ANSWER:` line")
    );
}

#[test]
fn aiken_choice_without_space_is_read_as_moodle_reads_it() {
    let (imported, exam) = own(Format::Aiken, "aiken_no_space.txt");
    assert_eq!(
        choices(&exam.questions[0]),
        [("Wrong", false), ("Right", true)]
    );
    assert_eq!(lines(&imported, Level::Note), [2, 3]);
    assert!(imported.is_complete());
}

#[test]
fn aiken_bad_answer_lines() {
    let imported = aiken_case("aiken_bad_answer_line.txt");
    let skipped = items(&imported, Level::Skipped);
    assert_eq!(
        lines(&imported, Level::Skipped),
        [1, 6, 11, 14],
        "{skipped:#?}"
    );
    assert!(
        skipped[0]
            .1
            .contains("names `b`, and Aiken letters are capitals")
    );
    assert!(
        skipped[1]
            .1
            .contains("names `D`, which is not one of its choices A to B")
    );
    assert!(
        skipped[2]
            .1
            .contains("(`Answer: A` is read as a question: write `ANSWER:` in capitals)")
    );
    // Moodle reads the mistyped line as a question of its own, which never ends either.
    assert!(skipped[3].1.contains("question “Answer: A”"));
}
