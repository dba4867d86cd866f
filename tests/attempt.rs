//! The attempt engine: draw, commands, time, journal and resume.
#![allow(clippy::unwrap_used)]

use brevet::attempt::journal::{self, JournalError};
use brevet::attempt::{
    Attempt, Command, Event, Learner, Options, Outcome, ProctorEvent, Refusal, Response,
    ResumeError, Session, Status, SubmitReason, replay,
};
use brevet::bank::{Exam, load_str};
use brevet::scoring;
use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use std::collections::HashSet;
use std::time::Duration;

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T09:00:00Z")
        .expect("fixed date")
        .with_timezone(&Utc)
}

fn secs(n: i64) -> TimeDelta {
    TimeDelta::seconds(n)
}

/// A bank with two sections: `a` draws 3 of 6 single-choice questions, `b`
/// draws 2 of 4 questions of the other kinds.
fn bank(navigation: &str) -> Exam {
    let mut src = format!(
        r#"
[exam]
id = "engine-test"
version = "1"
title = "Engine test"
language = "en"
description = "Fixture"
learning_outcomes = ["Test"]
workload_hours = 1

[rules]
time_limit = "10m"
mastery_threshold = 60
navigation = "{navigation}"
scoring = "partial"

[[sections]]
id = "a"
title = "A"
draw = 3
min_score = 50

[[sections]]
id = "b"
title = "B"
draw = 2
"#
    );
    for i in 0..6 {
        src.push_str(&format!(
            r#"
[[questions]]
id = "a{i}"
section = "a"
kind = "single"
prompt = "Question a{i}"
  [[questions.choices]]
  text = "right"
  correct = true
  [[questions.choices]]
  text = "wrong 1"
  [[questions.choices]]
  text = "wrong 2"
  [[questions.choices]]
  text = "None of these"
  pin = true
"#
        ));
    }
    src.push_str(
        r#"
[[questions]]
id = "b-multi"
section = "b"
kind = "multiple"
points = 2
prompt = "Pick the even numbers"
  [[questions.choices]]
  text = "2"
  correct = true
  [[questions.choices]]
  text = "4"
  correct = true
  [[questions.choices]]
  text = "5"
  [[questions.choices]]
  text = "7"

[[questions]]
id = "b-tf"
section = "b"
kind = "true-false"
prompt = "The sky is green"
answer = false

[[questions]]
id = "b-text"
section = "b"
kind = "text"
prompt = "Capital of France"
accepted = ["Paris"]
ignore = ["case", "accents", "whitespace"]

[[questions]]
id = "b-num"
section = "b"
kind = "numeric"
prompt = "Five quarters as a decimal"
answer = 1.25
tolerance = 0.005
"#,
    );
    let loaded = load_str(&src);
    assert_eq!(loaded.errors(), 0, "{:?}", loaded.diagnostics);
    loaded.exam.expect("valid fixture")
}

fn learner() -> Learner {
    Learner {
        email: None,
        name: "Ada Lovelace".into(),
        id: None,
    }
}

fn start(exam: &Exam, seed: u64) -> Session<Vec<u8>> {
    Session::start(exam, seed, learner(), t0(), Options::default(), Vec::new())
        .expect("memory sink")
}

/// The right answer to the question at `item`, in bank terms.
fn right_answer(exam: &Exam, attempt: &Attempt, item: usize) -> Response {
    use brevet::bank::{Kind, NumericAnswer};
    let q = &exam.questions[attempt.paper()[item].question];
    match &q.kind {
        Kind::Single { choices } => {
            Response::Choice(choices.iter().position(|c| c.correct).expect("one correct"))
        }
        Kind::Multiple { choices } => Response::Choices(
            choices
                .iter()
                .enumerate()
                .filter(|(_, c)| c.correct)
                .map(|(i, _)| i)
                .collect(),
        ),
        Kind::TrueFalse { answer } => Response::Bool(*answer),
        Kind::Text { accepted, .. } => {
            Response::Text(format!("  {}  ", accepted[0].to_uppercase()))
        }
        Kind::Numeric {
            answer: NumericAnswer::Tolerance { value, .. },
            ..
        } => Response::Number(*value),
        Kind::Numeric {
            answer: NumericAnswer::Range { min, .. },
            ..
        } => Response::Number(*min),
    }
}

#[test]
fn the_same_seed_gives_the_same_paper_and_others_differ() {
    let exam = bank("free");
    let a = start(&exam, 7);
    let b = start(&exam, 7);
    assert_eq!(a.attempt().paper(), b.attempt().paper());
    let papers: HashSet<_> = (0..20)
        .map(|s| format!("{:?}", start(&exam, s).attempt().paper()))
        .collect();
    assert!(papers.len() > 15, "seeds should vary the paper");
}

#[test]
fn a_known_seed_gives_a_known_paper() {
    // If this changes, every recorded seed would replay to another paper.
    let exam = bank("free");
    let s = start(&exam, 2026);
    let ids: Vec<&str> = s
        .attempt()
        .paper()
        .iter()
        .map(|i| exam.questions[i.question].id.as_str())
        .collect();
    assert_eq!(ids, KNOWN_2026);
}

const KNOWN_2026: [&str; 5] = ["a5", "b-multi", "a3", "a1", "b-num"];

#[test]
fn pinned_choices_stay_in_place() {
    let exam = bank("free");
    for seed in 0..50 {
        let s = start(&exam, seed);
        for item in s.attempt().paper() {
            if exam.questions[item.question].section == 0 {
                assert_eq!(item.choices[3], 3, "the pinned choice stays last");
                let mut sorted = item.choices.clone();
                sorted.sort_unstable();
                assert_eq!(sorted, vec![0, 1, 2, 3]);
            }
        }
    }
}

#[test]
fn every_command_of_free_navigation() {
    let exam = bank("free");
    let mut s = start(&exam, 1);
    let now = t0() + secs(10);
    assert_eq!(
        s.apply(&exam, &Command::Previous, now).unwrap(),
        Outcome::Refused(Refusal::AtEdge)
    );
    assert_eq!(
        s.apply(&exam, &Command::Next, now).unwrap(),
        Outcome::Moved(1)
    );
    assert_eq!(
        s.apply(&exam, &Command::GoTo(4), now).unwrap(),
        Outcome::Moved(4)
    );
    assert_eq!(
        s.apply(&exam, &Command::Next, now).unwrap(),
        Outcome::Refused(Refusal::AtEdge)
    );
    assert_eq!(
        s.apply(&exam, &Command::GoTo(9), now).unwrap(),
        Outcome::Refused(Refusal::NoSuchItem)
    );
    assert_eq!(
        s.apply(&exam, &Command::GoTo(0), now).unwrap(),
        Outcome::Moved(0)
    );
    let answer = right_answer(&exam, s.attempt(), 2);
    assert_eq!(
        s.apply(
            &exam,
            &Command::Answer {
                item: 2,
                response: answer.clone()
            },
            now
        )
        .unwrap(),
        Outcome::Recorded
    );
    assert!(s.attempt().response(2).is_some());
    assert_eq!(
        s.apply(&exam, &Command::Clear { item: 2 }, now).unwrap(),
        Outcome::Recorded
    );
    assert_eq!(s.attempt().response(2), None);
    assert_eq!(
        s.apply(&exam, &Command::Flag { item: 3, on: true }, now)
            .unwrap(),
        Outcome::Recorded
    );
    assert!(s.attempt().flagged(3));
    assert_eq!(s.attempt().flagged_count(), 1);
    assert_eq!(
        s.apply(&exam, &Command::Flag { item: 3, on: false }, now)
            .unwrap(),
        Outcome::Recorded
    );
    assert!(!s.attempt().flagged(3));
    // An answer of the wrong kind, or naming no such choice, is refused.
    let wrong = Command::Answer {
        item: 0,
        response: Response::Choices(vec![99]),
    };
    assert_eq!(
        s.apply(&exam, &wrong, now).unwrap(),
        Outcome::Refused(Refusal::WrongAnswerKind)
    );
    assert_eq!(s.attempt().unanswered(), 5);
    assert_eq!(
        s.apply(&exam, &Command::Submit, now).unwrap(),
        Outcome::Submitted(SubmitReason::Learner)
    );
    assert!(matches!(
        s.attempt().status(),
        Status::Submitted {
            reason: SubmitReason::Learner,
            ..
        }
    ));
    for cmd in [
        Command::Next,
        Command::Submit,
        Command::Answer {
            item: 0,
            response: answer,
        },
    ] {
        assert_eq!(
            s.apply(&exam, &cmd, now).unwrap(),
            Outcome::Refused(Refusal::Finished)
        );
    }
}

#[test]
fn sequential_navigation_is_enforced_by_the_engine() {
    let exam = bank("sequential");
    let mut s = start(&exam, 3);
    let now = t0() + secs(5);
    let r1 = right_answer(&exam, s.attempt(), 1);
    assert_eq!(
        s.apply(
            &exam,
            &Command::Answer {
                item: 1,
                response: r1.clone()
            },
            now
        )
        .unwrap(),
        Outcome::Refused(Refusal::NoSkipping)
    );
    assert_eq!(
        s.apply(&exam, &Command::GoTo(2), now).unwrap(),
        Outcome::Refused(Refusal::NoSkipping)
    );
    assert_eq!(
        s.apply(&exam, &Command::Next, now).unwrap(),
        Outcome::Moved(1)
    );
    assert_eq!(
        s.apply(&exam, &Command::Previous, now).unwrap(),
        Outcome::Refused(Refusal::NoGoingBack)
    );
    assert_eq!(
        s.apply(&exam, &Command::GoTo(0), now).unwrap(),
        Outcome::Refused(Refusal::NoGoingBack)
    );
    let r0 = right_answer(&exam, s.attempt(), 0);
    assert_eq!(
        s.apply(
            &exam,
            &Command::Answer {
                item: 0,
                response: r0
            },
            now
        )
        .unwrap(),
        Outcome::Refused(Refusal::NoSkipping)
    );
    assert_eq!(
        s.apply(
            &exam,
            &Command::Answer {
                item: 1,
                response: r1
            },
            now
        )
        .unwrap(),
        Outcome::Recorded
    );
}

#[test]
fn the_deadline_is_fixed_at_start_with_extra_time() {
    let exam = bank("free");
    let opts = Options {
        extra_time_percent: 33,
        ..Options::default()
    };
    let s = Session::start(&exam, 1, learner(), t0(), opts, Vec::new()).unwrap();
    // 10 minutes + 33 % = 13 min 18 s.
    assert_eq!(s.attempt().deadline(), t0() + secs(798));
    assert_eq!(
        s.attempt().remaining(t0() + secs(98)),
        Duration::from_secs(700)
    );
}

#[test]
fn time_up_submits_what_was_answered_and_refuses_the_rest() {
    let exam = bank("free");
    let mut s = start(&exam, 5);
    let answer = right_answer(&exam, s.attempt(), 0);
    s.apply(
        &exam,
        &Command::Answer {
            item: 0,
            response: answer,
        },
        t0() + secs(60),
    )
    .unwrap();
    let late = t0() + secs(601);
    let r1 = right_answer(&exam, s.attempt(), 1);
    let outcome = s
        .apply(
            &exam,
            &Command::Answer {
                item: 1,
                response: r1,
            },
            late,
        )
        .unwrap();
    assert_eq!(outcome, Outcome::Submitted(SubmitReason::TimeUp));
    assert_eq!(
        s.attempt().response(1),
        None,
        "the late answer is not taken"
    );
    assert!(
        s.attempt().response(0).is_some(),
        "earlier answers are kept"
    );
    match s.attempt().status() {
        Status::Submitted { at, reason } => {
            assert_eq!(reason, SubmitReason::TimeUp);
            assert_eq!(
                at,
                s.attempt().deadline(),
                "handed in at the deadline, not later"
            );
        }
        Status::InProgress => panic!("should be submitted"),
    }
    assert_eq!(
        s.apply(&exam, &Command::Next, late).unwrap(),
        Outcome::Refused(Refusal::Finished)
    );
}

#[test]
fn a_tick_at_the_deadline_submits() {
    let exam = bank("free");
    let mut s = start(&exam, 5);
    assert_eq!(
        s.apply(&exam, &Command::Tick, t0() + secs(599)).unwrap(),
        Outcome::Warning(Duration::from_secs(1))
    );
    assert_eq!(
        s.apply(&exam, &Command::Tick, t0() + secs(600)).unwrap(),
        Outcome::Submitted(SubmitReason::TimeUp)
    );
}

#[test]
fn warnings_fire_once_at_each_mark() {
    let exam = bank("free");
    let mut s = start(&exam, 5);
    let tick = |s: &mut Session<Vec<u8>>, at: i64| {
        s.apply(&exam, &Command::Tick, t0() + secs(at)).unwrap()
    };
    assert_eq!(tick(&mut s, 200), Outcome::Nothing);
    assert_eq!(
        tick(&mut s, 300),
        Outcome::Warning(Duration::from_secs(300))
    );
    assert_eq!(tick(&mut s, 301), Outcome::Nothing);
    assert_eq!(tick(&mut s, 400), Outcome::Nothing);
    assert_eq!(tick(&mut s, 541), Outcome::Warning(Duration::from_secs(59)));
    assert_eq!(tick(&mut s, 550), Outcome::Nothing);
    // Two marks passed at once give one warning.
    let mut late = start(&exam, 5);
    assert_eq!(
        tick(&mut late, 570),
        Outcome::Warning(Duration::from_secs(30))
    );
    assert_eq!(tick(&mut late, 571), Outcome::Nothing);
}

#[test]
fn a_clock_that_jumps_back_gives_no_time() {
    let exam = bank("free");
    let mut s = start(&exam, 5);
    s.apply(&exam, &Command::Next, t0() + secs(400)).unwrap();
    assert_eq!(
        s.attempt().remaining(t0() + secs(100)),
        Duration::from_secs(200)
    );
    // Time up is judged on the latest time seen as well.
    s.apply(&exam, &Command::Tick, t0() + secs(599)).unwrap();
    assert_eq!(
        s.apply(&exam, &Command::Tick, t0() + secs(0)).unwrap(),
        Outcome::Nothing
    );
    assert_eq!(s.attempt().remaining(t0()), Duration::from_secs(1));
}

#[test]
fn proctor_events_are_counted_and_extra_time_moves_the_deadline() {
    let exam = bank("free");
    let mut s = start(&exam, 5);
    let now = t0() + secs(30);
    for e in [
        ProctorEvent::FocusLost,
        ProctorEvent::FocusGained,
        ProctorEvent::FocusLost,
        ProctorEvent::PasteRefused { chars: 12 },
        ProctorEvent::Resized {
            width: 80,
            height: 24,
        },
        ProctorEvent::ExtraTime { seconds: 120 },
    ] {
        assert_eq!(
            s.apply(&exam, &Command::Proctor(e), now).unwrap(),
            Outcome::Recorded
        );
    }
    let c = s.attempt().counts();
    assert_eq!(
        (
            c.focus_lost,
            c.paste_refused,
            c.resized,
            c.extra_time_grants
        ),
        (2, 1, 1, 1)
    );
    assert_eq!(s.attempt().deadline(), t0() + secs(720));
    assert_eq!(
        s.apply(&exam, &Command::EndByProctor, now).unwrap(),
        Outcome::Submitted(SubmitReason::Proctor)
    );
    assert_eq!(s.attempt().counts().ended_by_proctor, 1);
}

/// Plays the exam right except for the first item, with some flags and moves.
fn play(exam: &Exam, s: &mut Session<Vec<u8>>, upto: usize) {
    let n = s.attempt().paper().len();
    for item in 0..n.min(upto) {
        let now = t0() + secs(10 * (item as i64 + 1));
        s.apply(exam, &Command::GoTo(item), now).unwrap();
        if item == 0 {
            s.apply(exam, &Command::Flag { item, on: true }, now)
                .unwrap();
            continue;
        }
        let r = right_answer(exam, s.attempt(), item);
        assert_eq!(
            s.apply(exam, &Command::Answer { item, response: r }, now)
                .unwrap(),
            Outcome::Recorded
        );
    }
}

#[test]
fn killed_halfway_resumed_and_finished_scores_like_an_uninterrupted_run() {
    let exam = bank("free");
    // Uninterrupted.
    let mut whole = start(&exam, 11);
    play(&exam, &mut whole, usize::MAX);
    whole
        .apply(&exam, &Command::Submit, t0() + secs(300))
        .unwrap();
    let expected = scoring::score(&exam, whole.attempt());

    // Killed after three questions: only the journal's bytes survive.
    let mut first = start(&exam, 11);
    play(&exam, &mut first, 3);
    let bytes = first.sink().clone();
    drop(first);

    let read = journal::read(&bytes).unwrap();
    assert_eq!(read.torn_bytes, 0);
    let mut resumed = Session::resume(&exam, &read, bytes.clone(), t0() + secs(120)).unwrap();
    assert_eq!(resumed.attempt().counts().resumed, 1);
    assert_eq!(resumed.attempt().paper(), whole.attempt().paper());
    assert_eq!(
        resumed.attempt().deadline(),
        whole.attempt().deadline(),
        "the clock did not stop"
    );
    let n = resumed.attempt().paper().len();
    for item in 3..n {
        let now = t0() + secs(130 + item as i64);
        let r = right_answer(&exam, resumed.attempt(), item);
        resumed
            .apply(&exam, &Command::Answer { item, response: r }, now)
            .unwrap();
    }
    resumed
        .apply(&exam, &Command::Submit, t0() + secs(300))
        .unwrap();
    let got = scoring::score(&exam, resumed.attempt());
    assert_eq!(got, expected);
    assert!(got.earned < got.max, "item 0 was left unanswered");
    // The resumed journal still verifies end to end.
    let reread = journal::read(resumed.sink()).unwrap();
    assert_eq!(journal::hex(&reread.head), resumed.head_hash());
}

#[test]
fn a_torn_last_line_is_dropped_and_reported() {
    let exam = bank("free");
    let mut s = start(&exam, 2);
    play(&exam, &mut s, 3);
    let mut bytes = s.sink().clone();
    let full = journal::read(&bytes).unwrap();
    bytes.extend_from_slice(b"0123abc {\"seq\":");
    let read = journal::read(&bytes).unwrap();
    assert_eq!(read.records, full.records);
    assert_eq!(read.torn_bytes, 15);
    assert_eq!(read.valid_len, bytes.len() - 15);
}

#[test]
fn an_altered_journal_is_refused_not_repaired() {
    let exam = bank("free");
    let mut s = start(&exam, 2);
    play(&exam, &mut s, 4);
    let bytes = s.sink().clone();
    let text = String::from_utf8(bytes).unwrap();
    // Change the learner's name in the first record: the chain breaks there.
    let altered = text.replacen("Ada Lovelace", "Ada Lovelacf", 1);
    assert_eq!(
        journal::read(altered.as_bytes()),
        Err(JournalError::BrokenChain { line: 1 })
    );
    // Drop a line in the middle.
    let lines: Vec<&str> = text.lines().collect();
    let mut dropped: String = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 2)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    assert!(matches!(
        journal::read(dropped.as_bytes()),
        Err(JournalError::BrokenChain { line: 3 })
    ));
    dropped.clear();
    assert_eq!(journal::read(dropped.as_bytes()), Err(JournalError::Empty));
}

#[test]
fn a_journal_for_another_bank_version_is_refused() {
    let exam = bank("free");
    let mut s = start(&exam, 2);
    play(&exam, &mut s, 2);
    let read = journal::read(s.sink()).unwrap();
    let mut other = exam.clone();
    other.questions[0].prompt.push_str(" (edited)");
    assert!(matches!(
        replay(&other, &read),
        Err(ResumeError::OtherBank { .. })
    ));
    assert!(replay(&exam, &read).is_ok());
}

#[test]
fn the_draw_is_uniform_within_a_pool() {
    // Deterministic chi-square: 6 questions, 3 drawn per attempt, 6000 seeds.
    // Each question is expected 3000 times. With 5 degrees of freedom the
    // 99.9 % critical value is 20.52; fixed seeds make this exact, not flaky.
    let exam = bank("free");
    let mut counts = [0u32; 6];
    for seed in 0..6000 {
        let paper = brevet::attempt::draw::draw(&exam, seed);
        for item in &paper {
            if exam.questions[item.question].section == 0 {
                counts[item.question] += 1;
            }
        }
    }
    let expected = 3000.0;
    let chi2: f64 = counts
        .iter()
        .map(|&c| (f64::from(c) - expected).powi(2) / expected)
        .sum();
    assert!(chi2 < 20.52, "chi-square {chi2} for {counts:?}");
}

fn command_strategy() -> impl Strategy<Value = (u8, usize, u8, i64)> {
    (0u8..9, 0usize..6, 0u8..4, 0i64..700)
}

fn to_command(
    exam: &Exam,
    attempt: &Attempt,
    (op, item, pick, _): (u8, usize, u8, i64),
) -> Command {
    let response =
        match &exam.questions[attempt.paper()[item % attempt.paper().len()].question].kind {
            brevet::bank::Kind::Single { .. } => Response::Choice(pick as usize),
            brevet::bank::Kind::Multiple { .. } => {
                Response::Choices(vec![pick as usize, (pick as usize + 1) % 4])
            }
            brevet::bank::Kind::TrueFalse { .. } => Response::Bool(pick % 2 == 0),
            brevet::bank::Kind::Text { .. } => Response::Text(if pick == 0 {
                "paris".into()
            } else {
                "Lyon".into()
            }),
            brevet::bank::Kind::Numeric { .. } => Response::Number(1.25 + f64::from(pick) / 100.0),
        };
    match op {
        0 | 1 => Command::Answer { item, response },
        2 => Command::Clear { item },
        3 => Command::Flag {
            item,
            on: pick % 2 == 0,
        },
        4 => Command::GoTo(item),
        5 => Command::Next,
        6 => Command::Previous,
        7 => Command::Tick,
        _ => Command::Proctor(ProctorEvent::FocusLost),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn draws_respect_counts_and_never_repeat(seed in any::<u64>()) {
        let exam = bank("free");
        let paper = brevet::attempt::draw::draw(&exam, seed);
        prop_assert_eq!(paper.len(), 5);
        let distinct: HashSet<usize> = paper.iter().map(|i| i.question).collect();
        prop_assert_eq!(distinct.len(), 5);
        let in_a = paper.iter().filter(|i| exam.questions[i.question].section == 0).count();
        prop_assert_eq!(in_a, 3);
    }

    #[test]
    fn replay_equals_the_live_state_and_scores_stay_in_range(
        seed in any::<u64>(),
        commands in proptest::collection::vec(command_strategy(), 0..40),
        sequential in any::<bool>(),
    ) {
        let exam = bank(if sequential { "sequential" } else { "free" });
        let mut s = start(&exam, seed);
        let mut clock = t0();
        for c in commands {
            clock += secs(c.3 / 20);
            let cmd = to_command(&exam, s.attempt(), c);
            s.apply(&exam, &cmd, clock).unwrap();
        }
        let read = journal::read(s.sink()).unwrap();
        let replayed = replay(&exam, &read).unwrap();
        prop_assert_eq!(&replayed, s.attempt());
        let score = scoring::score(&exam, s.attempt());
        prop_assert!(score.earned >= 0.0 && score.earned <= score.max + 1e-9);
        prop_assert!((0.0..=100.0).contains(&score.percent));
        for item in &score.items {
            prop_assert!(item.earned >= 0.0 && item.earned <= item.max + 1e-9);
        }
    }

    #[test]
    fn truncating_a_journal_anywhere_resumes_a_prefix_or_fails_cleanly(
        seed in any::<u64>(),
        cut in any::<proptest::sample::Index>(),
    ) {
        let exam = bank("free");
        let mut s = start(&exam, seed);
        play(&exam, &mut s, 4);
        let bytes = s.sink().clone();
        let full = journal::read(&bytes).unwrap();
        let at = cut.index(bytes.len() + 1);
        match journal::read(&bytes[..at]) {
            Ok(read) => {
                prop_assert!(read.records.len() <= full.records.len());
                prop_assert_eq!(&read.records[..], &full.records[..read.records.len()]);
                prop_assert_eq!(read.valid_len + read.torn_bytes, at);
                let resumed = Session::resume(&exam, &read, Vec::new(), t0() + secs(100));
                prop_assert!(resumed.is_ok());
            }
            Err(e) => prop_assert_eq!(e, JournalError::Empty),
        }
    }
}

#[test]
fn events_serialise_in_a_stable_form() {
    let e = Event::Answered {
        item: 2,
        response: Response::Choices(vec![0, 3]),
    };
    assert_eq!(
        serde_json::to_string(&e).unwrap(),
        r#"{"type":"answered","item":2,"response":{"type":"choices","value":[0,3]}}"#
    );
}

#[test]
fn a_journal_whose_deadline_was_moved_is_refused() {
    use brevet::attempt::Entry;
    let exam = bank("free");
    let s = start(&exam, 2);
    let read = journal::read(s.sink()).unwrap();
    let mut header = s.attempt().header().clone();
    // A consistent chain written by hand, with an hour more.
    header.deadline += chrono::TimeDelta::hours(1);
    let mut forged = journal::Writer::new(Vec::new());
    forged
        .append(header.started_at, Entry::Start(header.clone()))
        .unwrap();
    let forged = journal::read(forged.sink()).unwrap();
    assert!(matches!(
        replay(&exam, &forged),
        Err(ResumeError::Deadline { .. })
    ));
    assert!(replay(&exam, &read).is_ok());
}

#[test]
fn reopening_writes_nothing_until_the_attempt_goes_on() {
    let exam = bank("free");
    let mut s = start(&exam, 2);
    play(&exam, &mut s, 2);
    let bytes = s.sink().clone();
    let read = journal::read(&bytes).unwrap();
    let mut reopened = Session::reopen(&exam, &read, Vec::new()).unwrap();
    assert!(reopened.sink().is_empty(), "a look writes nothing");
    reopened
        .mark_resumed(&exam, 0, reopened.attempt().header().started_at)
        .unwrap();
    let written = String::from_utf8(reopened.sink().clone()).unwrap();
    assert_eq!(written.lines().count(), 1);
    assert!(written.contains("resumed"), "{written}");
}

/// A sink that counts durable writes and keeps deferred lines apart, as the
/// store's sink does.
#[derive(Default)]
struct Counting {
    durable: Vec<u8>,
    held: Vec<u8>,
    writes: usize,
}

impl journal::Sink for Counting {
    fn append(&mut self, line: &[u8]) -> std::io::Result<()> {
        self.durable.append(&mut self.held);
        self.durable.extend_from_slice(line);
        self.writes += 1;
        Ok(())
    }

    fn defer(&mut self, line: &[u8]) -> std::io::Result<()> {
        self.held.extend_from_slice(line);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.held.is_empty() {
            self.durable.append(&mut self.held);
            self.writes += 1;
        }
        Ok(())
    }
}

#[test]
fn answering_and_moving_on_cost_one_durable_write() {
    let exam = bank("free");
    let mut s = Session::start(
        &exam,
        2,
        learner(),
        t0(),
        Options::default(),
        Counting::default(),
    )
    .unwrap();
    let after_start = s.sink().writes;
    for item in 0..3 {
        let response = right_answer(&exam, s.attempt(), item);
        s.apply(&exam, &Command::Answer { item, response }, t0() + secs(1))
            .unwrap();
        s.apply(&exam, &Command::Next, t0() + secs(2)).unwrap();
    }
    assert_eq!(s.sink().writes - after_start, 3, "one per answer");
    // The last move is held until the session ends; then the journal is
    // whole, in order, and replays to the same place.
    assert!(!s.sink().held.is_empty());
    s.flush().unwrap();
    let bytes = s.sink().durable.clone();
    let attempt = replay(&exam, &journal::read(&bytes).unwrap()).unwrap();
    assert_eq!(attempt.current(), 3);
    assert_eq!(attempt.responses(), s.attempt().responses());
}
