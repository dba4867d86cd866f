//! The plain dialogue as a state machine, in memory: lines and ticks in,
//! text and effects out, the clock a parameter. (`tests/run_e2e.rs` runs the
//! real binary through a pipe.)

#![allow(clippy::unwrap_used)] // test helpers: a panic is a failed test

use brevet::attempt::{Learner, Options, Session};
use brevet::bank::{Exam, load_str};
use brevet::plain::{Effect, Ended, Plain};
use brevet::present::strings::Lang;
use chrono::{DateTime, TimeDelta, Utc};

fn demo() -> Exam {
    load_str(include_str!("../exams/demo.toml")).exam.unwrap()
}

fn t(secs: i64) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T09:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
        + TimeDelta::seconds(secs)
}

fn ada() -> Learner {
    Learner {
        email: None,
        name: "Ada Lovelace".into(),
        id: None,
    }
}

/// The seed-4 paper of the demo, the way the edge opens it.
fn open(exam: &Exam, learner: Learner, at: DateTime<Utc>) -> Session<Vec<u8>> {
    Session::start(exam, 4, learner, at, Options::default(), Vec::new()).unwrap()
}

/// Feeds `line` at `at`; returns the text printed and the effect.
fn say(plain: &mut Plain<'_, Vec<u8>>, line: &str, at: DateTime<Utc>) -> (String, Option<Effect>) {
    let effect = plain.line(line, at).unwrap();
    (plain.take_output(), effect)
}

/// Identification through the dialogue, then instructions, then the first
/// question.
fn to_first_question<'a>(exam: &'a Exam) -> Plain<'a, Vec<u8>> {
    let (mut plain, effect) = Plain::new(exam, Lang::En.strings(), None, false);
    assert_eq!(effect, None);
    assert_eq!(plain.take_output(), "Full name: ");
    let (out, effect) = say(&mut plain, "   ", t(0));
    assert!(out.starts_with("Please type your full name."), "{out}");
    assert_eq!(effect, None);
    let (out, effect) = say(&mut plain, "  Ada   Lovelace ", t(0));
    assert_eq!(out, "Learner id (optional): ");
    assert_eq!(effect, None);
    let (out, effect) = say(&mut plain, "", t(0));
    assert_eq!(out, "E-mail (optional, unreadable in the credential): ");
    assert_eq!(effect, None);
    // Not an address: asked again; empty: none.
    let (out, effect) = say(&mut plain, "ada at home", t(0));
    assert!(out.starts_with("That is not an e-mail address"), "{out}");
    assert_eq!(effect, None);
    let (_, effect) = say(&mut plain, "", t(0));
    assert_eq!(effect, Some(Effect::Identify(ada())));
    plain.found(ada(), None, t(1));
    let out = plain.take_output();
    assert!(
        out.starts_with("== brevet demo: working safely with files =="),
        "{out}"
    );
    assert!(out.ends_with("Press Enter to start the clock.\n"), "{out}");
    let (_, effect) = say(&mut plain, "", t(2));
    assert_eq!(effect, Some(Effect::Start(ada())));
    assert_eq!(plain.started(open(exam, ada(), t(2)), t(2)), None);
    let out = plain.take_output();
    assert!(out.contains("Question 1 of 6 · 05:00 left"), "{out}");
    assert!(out.ends_with("Answer> "), "{out}");
    plain
}

#[test]
fn a_whole_exam_in_memory_from_the_name_to_the_result() {
    let exam = demo();
    let mut plain = to_first_question(&exam);
    // Seed 4: true-false, true-false, single (3rd right), multiple (2 and
    // 3 right), text, numeric range.
    for (i, answer) in ["1", "1", "3", "2 3", "expiry"].iter().enumerate() {
        let (out, effect) = say(&mut plain, answer, t(10 + i as i64));
        assert_eq!(effect, None);
        assert!(out.starts_with("Recorded.\n"), "{out}");
        assert!(out.contains(&format!("Question {} of 6", i + 2)), "{out}");
    }
    let (out, effect) = say(&mut plain, "4.5", t(20));
    assert_eq!(effect, None);
    assert!(out.contains("That was the last question."), "{out}");
    let (out, effect) = say(&mut plain, "yes", t(21));
    assert_eq!(effect, Some(Effect::Finished));
    assert!(out.contains("== Result: PASSED =="), "{out}");
    assert!(out.contains("Time used: 19 s"), "{out}");
    assert!(plain.result().unwrap().passed);
    match plain.issued(
        Some("o/c.json".into()),
        &["Beside it, its badge: c.png".into()],
    ) {
        Effect::Done(Ended::Finished { result }) => assert!(result.passed),
        other => panic!("{other:?}"),
    }
    let out = plain.take_output();
    assert!(
        out.starts_with("Your credential was saved to o/c.json"),
        "{out}"
    );
    assert!(out.contains("\nBeside it, its badge: c.png\n"), "{out}");
}

#[test]
fn the_clock_warns_then_hands_in_at_the_deadline() {
    let exam = demo();
    let mut plain = to_first_question(&exam);
    say(&mut plain, "1", t(10));
    assert_eq!(plain.tick(t(100)).unwrap(), None);
    assert_eq!(plain.take_output(), "");
    // One minute left (the demo warns at 1m): said between two prompts.
    assert_eq!(plain.tick(t(2 + 240)).unwrap(), None);
    let out = plain.take_output();
    assert!(out.contains("⚠ 1 min left"), "{out}");
    assert!(out.ends_with("Answer> "), "{out}");
    // The deadline: handed in, the result printed, with what was answered.
    assert_eq!(plain.tick(t(2 + 300)).unwrap(), Some(Effect::Finished));
    let out = plain.take_output();
    assert!(
        out.contains("Time is up: your answers were submitted."),
        "{out}"
    );
    assert!(out.contains("== Result: NOT PASSED =="), "{out}");
    assert_eq!(
        plain.issued(None, &[]),
        Effect::Done(Ended::Finished {
            result: plain.result().unwrap().clone()
        })
    );
}

/// Time is up with an answer typed and not sent: it is recorded as it
/// stood at the deadline, then the attempt is handed in with it. A command
/// typed and not sent is not carried out.
#[test]
fn time_up_keeps_what_is_typed_and_not_sent() {
    let exam = demo();
    let mut plain = to_first_question(&exam);
    for (i, answer) in ["1", "1", "3", "2 3"].iter().enumerate() {
        say(&mut plain, answer, t(10 + i as i64));
    }
    assert!(!plain.is_time_up(t(2 + 299)));
    assert!(plain.is_time_up(t(2 + 300)));
    assert_eq!(
        plain.time_up("expiry", t(2 + 300)).unwrap(),
        Some(Effect::Finished)
    );
    let out = plain.take_output();
    assert!(
        out.contains("Time is up: your answers were submitted."),
        "{out}"
    );
    assert!(out.contains("Your answer: expiry"), "{out}");
    assert!(!plain.is_time_up(t(2 + 301)), "handed in");
    // A command is not an answer.
    let mut plain = to_first_question(&exam);
    plain.time_up(":clear", t(2 + 300)).unwrap();
    let out = plain.take_output();
    assert!(!out.contains("Your answer: :clear"), "{out}");
    assert!(!plain.result().unwrap().items[0].is_right());
}

#[test]
fn the_end_of_input_or_quit_leaves_the_answers_saved() {
    let exam = demo();
    let mut plain = to_first_question(&exam);
    say(&mut plain, "1", t(10));
    assert_eq!(plain.end_of_input(), Effect::Done(Ended::Quit));
    assert!(
        plain
            .take_output()
            .starts_with("Answers saved; run the same command again")
    );
    let mut plain = to_first_question(&exam);
    let (out, effect) = say(&mut plain, ":quit", t(10));
    assert_eq!(effect, Some(Effect::Done(Ended::Quit)));
    assert!(out.starts_with("Answers saved"), "{out}");
    // Before the exam, the end of input says nothing more.
    let (mut plain, _) = Plain::<Vec<u8>>::new(&exam, Lang::En.strings(), None, false);
    plain.take_output();
    assert_eq!(plain.end_of_input(), Effect::Done(Ended::Quit));
    assert_eq!(plain.take_output(), "");
}

#[test]
fn commands_and_bad_answers_keep_the_question() {
    let exam = demo();
    let mut plain = to_first_question(&exam);
    let (out, effect) = say(&mut plain, "7", t(10));
    assert_eq!(effect, None);
    assert_eq!(out, "Not a valid choice here.\nAnswer> ");
    let (out, _) = say(&mut plain, ":time", t(70));
    assert!(out.starts_with("03:52 left"), "{out}");
    let (out, _) = say(&mut plain, ":review", t(71));
    assert!(out.contains("6 unanswered"), "{out}");
    let (out, _) = say(&mut plain, ":bogus", t(72));
    assert!(out.starts_with("Unknown command"), "{out}");
    let (out, _) = say(&mut plain, ":goto 6", t(73));
    assert!(out.contains("Question 6 of 6"), "{out}");
}

#[test]
fn a_resumed_attempt_goes_straight_to_its_question_with_the_time_left() {
    let exam = demo();
    let mut earlier = open(&exam, ada(), t(0));
    earlier
        .apply(
            &exam,
            &brevet::attempt::Command::Answer {
                item: 0,
                response: brevet::attempt::Response::Bool(true),
            },
            t(5),
        )
        .unwrap();
    let (mut plain, effect) = Plain::new(&exam, Lang::En.strings(), Some(ada()), false);
    assert_eq!(effect, Some(Effect::Identify(ada())));
    plain.found(ada(), Some(earlier), t(120));
    let out = plain.take_output();
    assert!(out.contains("03:00 left"), "{out}");
    assert!(out.ends_with("Press Enter to continue.\n"), "{out}");
    // No new attempt: the line resumes.
    let (out, effect) = say(&mut plain, "", t(121));
    assert_eq!(effect, None);
    assert!(out.contains("Question 1 of 6"), "{out}");
    assert!(out.contains("Your answer: True"), "{out}");
}

#[test]
fn a_name_or_id_that_mixes_alphabets_is_asked_again() {
    let exam = demo();
    let (mut plain, _) = Plain::<Vec<u8>>::new(&exam, Lang::En.strings(), None, false);
    plain.take_output();
    say(&mut plain, "\u{0430}da Lovelace", t(0));
    let (out, effect) = say(&mut plain, "", t(0));
    assert_eq!(effect, None);
    assert_eq!(
        out,
        "Mixed alphabets: type it again with one keyboard layout.\nFull name: "
    );
    say(&mut plain, "Ada Lovelace", t(0));
    let (out, effect) = say(&mut plain, "E-\u{0415}12", t(0));
    assert_eq!(effect, None);
    assert!(out.ends_with("Learner id (optional): "), "{out}");
    let (_, effect) = say(&mut plain, "E-12", t(0));
    assert_eq!(effect, None);
    let (_, effect) = say(&mut plain, " Ada@Example.org ", t(0));
    assert_eq!(
        effect,
        Some(Effect::Identify(Learner {
            email: Some("ada@example.org".into()),
            name: "Ada Lovelace".into(),
            id: Some("E-12".into())
        }))
    );
}

/// `--extra-time 33`: the instructions give the extended limit.
#[test]
fn extra_time_is_shown_as_granted_before_the_start() {
    let exam = demo();
    let (mut plain, _) = Plain::<Vec<u8>>::new(&exam, Lang::En.strings(), Some(ada()), false);
    plain.set_extra_time(33);
    plain.found(ada(), None, t(0));
    let out = plain.take_output();
    assert!(
        out.contains("Time limit: 6 min 39 s (extra time 33 %)"),
        "{out}"
    );
}
