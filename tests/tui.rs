//! The TUI without a terminal: every screen as a snapshot at 80x24 and
//! 120x40 in both languages, key handling on the state, and every size from
//! 1x1 to 200x60 without a panic.
#![allow(clippy::unwrap_used)]

use brevet::attempt::{Learner, Options, Session};
use brevet::bank::{Exam, Review, load_str};
use brevet::present::strings::Lang;
use brevet::tui::app::{App, Effect, Screen};
use brevet::tui::keymap::Action;
use brevet::tui::view::{self, Theme};
use chrono::{DateTime, TimeDelta, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T09:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn demo() -> Exam {
    load_str(include_str!("../exams/demo.toml")).exam.unwrap()
}

fn learner() -> Learner {
    Learner {
        email: None,
        name: "Ada Lovelace".into(),
        id: None,
    }
}

type TestApp<'a> = App<'a, Vec<u8>>;

fn started(exam: &Exam, lang: Lang) -> TestApp<'_> {
    let mut app = App::new(exam, lang.strings(), Some(learner()), t0());
    assert_eq!(
        app.handle(Action::Confirm, t0()).unwrap(),
        Effect::Start(learner())
    );
    let session = Session::start(exam, 3, learner(), t0(), Options::default(), Vec::new()).unwrap();
    app.started(session);
    app
}

fn draw(app: &TestApp<'_>, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| view::render(app, Theme { color: false }, f))
        .unwrap();
    terminal.backend().to_string()
}

fn at(secs: i64) -> DateTime<Utc> {
    t0() + TimeDelta::seconds(secs)
}

/// Moves to the first question of the given kind.
fn go_to_kind(app: &mut TestApp<'_>, exam: &Exam, kind: &str) {
    let n = app.session().unwrap().attempt().paper().len();
    for i in 0..n {
        let q = &exam.questions[app.session().unwrap().attempt().paper()[i].question];
        let name = match q.kind {
            brevet::bank::Kind::Single { .. } => "single",
            brevet::bank::Kind::Multiple { .. } => "multiple",
            brevet::bank::Kind::TrueFalse { .. } => "true-false",
            brevet::bank::Kind::Text { .. } => "text",
            brevet::bank::Kind::Numeric { .. } => "numeric",
        };
        if name == kind {
            app.handle(Action::Review, at(10)).unwrap();
            for _ in 0..n {
                app.handle(Action::Up, at(10)).unwrap();
            }
            for _ in 0..i {
                app.handle(Action::Down, at(10)).unwrap();
            }
            app.handle(Action::Confirm, at(10)).unwrap();
            assert_eq!(app.session().unwrap().attempt().current(), i);
            return;
        }
    }
    panic!("no {kind} question on the paper");
}

/// Every screen, in a given language, as (name, app) pairs built step by step.
fn screens(exam: &Exam, lang: Lang) -> Vec<(String, TestApp<'_>)> {
    let mut out = Vec::new();
    let mut identify: TestApp<'_> = App::new(exam, lang.strings(), None, t0());
    for c in "Ada Lovelace".chars() {
        identify.handle(Action::Type(c), t0()).unwrap();
    }
    out.push(("identify".to_string(), identify));
    out.push((
        "instructions".to_string(),
        App::new(exam, lang.strings(), Some(learner()), t0()),
    ));
    for kind in ["single", "multiple", "true-false", "text", "numeric"] {
        let mut app = started(exam, lang);
        go_to_kind(&mut app, exam, kind);
        match kind {
            "single" | "true-false" => {
                app.handle(Action::Pick(0), at(20)).unwrap();
            }
            "multiple" => {
                app.handle(Action::Pick(0), at(20)).unwrap();
                app.handle(Action::Pick(2), at(20)).unwrap();
                app.handle(Action::Flag, at(20)).unwrap();
            }
            _ => {
                for c in "4.5".chars() {
                    app.handle(Action::Type(c), at(20)).unwrap();
                }
            }
        }
        app.tick(at(245)).unwrap(); // past the 1-minute... no: 55 s used → warning style at 5 min
        out.push((format!("question-{kind}"), app));
    }
    let mut review = started(exam, lang);
    review.handle(Action::Pick(1), at(5)).unwrap();
    review.handle(Action::Review, at(5)).unwrap();
    out.push(("review".to_string(), review));
    let mut confirm = started(exam, lang);
    confirm.handle(Action::Review, at(5)).unwrap();
    confirm.handle(Action::Submit, at(5)).unwrap();
    assert_eq!(confirm.screen(), Screen::Confirm);
    out.push(("confirm".to_string(), confirm));
    let mut help = started(exam, lang);
    help.handle(Action::Help, at(5)).unwrap();
    out.push(("help".to_string(), help));
    let mut result = started(exam, lang);
    result.handle(Action::Pick(0), at(30)).unwrap();
    result.handle(Action::Next, at(40)).unwrap();
    result.handle(Action::Pick(1), at(50)).unwrap();
    assert_eq!(
        result.tick(at(400)).unwrap(),
        Effect::Finished,
        "time up submits"
    );
    result.credential_written("out/credential.json".into());
    out.push(("result".to_string(), result));
    out
}

#[test]
fn every_screen_at_two_sizes_in_both_languages() {
    let exam = demo();
    for lang in [Lang::En, Lang::Fr] {
        for (name, app) in screens(&exam, lang) {
            for (w, h) in [(80, 24), (120, 40)] {
                let snapshot = format!("{lang:?}-{name}-{w}x{h}").to_lowercase();
                insta::assert_snapshot!(snapshot, draw(&app, w, h));
            }
        }
    }
}

#[test]
fn a_tiny_terminal_shows_the_enlarge_screen_with_the_clock() {
    let exam = demo();
    let app = started(&exam, Lang::En);
    let text = draw(&app, 30, 8);
    assert!(text.contains("Please enlarge"), "{text}");
    assert!(text.contains("05:00 left"), "{text}");
}

#[test]
fn no_size_from_1x1_to_200x60_panics() {
    let exam = demo();
    let all = screens(&exam, Lang::Fr);
    let mut terminal = Terminal::new(TestBackend::new(1, 1)).unwrap();
    let mut draw_at = |app: &TestApp<'_>, w: u16, h: u16| {
        terminal.backend_mut().resize(w, h);
        terminal
            .draw(|f| view::render(app, Theme { color: true }, f))
            .unwrap();
    };
    for (_, app) in &all {
        for w in (1..=200).step_by(7).chain([200]) {
            for h in (1..=60).step_by(3).chain([60]) {
                draw_at(app, w, h);
            }
        }
    }
    // The busiest screen, at every size.
    let (_, question) = &all[3];
    for w in 1..=200 {
        for h in 1..=60 {
            draw_at(question, w, h);
        }
    }
}

#[test]
fn the_countdown_changes_style_at_the_warning_marks() {
    let exam = demo();
    let mut app = started(&exam, Lang::En);
    app.tick(at(10)).unwrap();
    let calm = draw(&app, 80, 24);
    assert!(calm.contains("⏱ 04:50 left"), "{calm}");
    app.tick(at(250)).unwrap();
    let warned = draw(&app, 80, 24);
    assert!(warned.contains("⚠ 00:50 left"), "{warned}");
}

#[test]
fn keys_answer_flag_and_navigate() {
    let exam = demo();
    let mut app = started(&exam, Lang::En);
    assert_eq!(app.screen(), Screen::Question);
    go_to_kind(&mut app, &exam, "multiple");
    let item = app.session().unwrap().attempt().current();
    app.handle(Action::Pick(0), at(1)).unwrap();
    app.handle(Action::Down, at(1)).unwrap();
    app.handle(Action::Toggle, at(1)).unwrap();
    let a = app.session().unwrap().attempt();
    let chosen = match a.response(item) {
        Some(brevet::attempt::Response::Choices(v)) => v.len(),
        other => panic!("{other:?}"),
    };
    assert_eq!(chosen, 2);
    // Ticking the same two again clears the answer.
    app.handle(Action::Pick(0), at(2)).unwrap();
    app.handle(Action::Pick(1), at(2)).unwrap();
    assert_eq!(app.session().unwrap().attempt().response(item), None);
    app.handle(Action::Flag, at(3)).unwrap();
    assert!(app.session().unwrap().attempt().flagged(item));
    // A typed numeric answer that is not a number is refused, and kept on screen.
    go_to_kind(&mut app, &exam, "numeric");
    let item = app.session().unwrap().attempt().current();
    for c in "1,2,3".chars() {
        app.handle(Action::Type(c), at(4)).unwrap();
    }
    app.handle(Action::Confirm, at(4)).unwrap();
    assert_eq!(app.notice(), Some(&brevet::tui::app::Notice::NotANumber));
    assert_eq!(app.session().unwrap().attempt().response(item), None);
    for _ in 0..5 {
        app.handle(Action::Backspace, at(4)).unwrap();
    }
    for c in "4,5".chars() {
        app.handle(Action::Type(c), at(4)).unwrap();
    }
    app.handle(Action::Next, at(5)).unwrap();
    assert_eq!(
        app.session().unwrap().attempt().response(item),
        Some(&brevet::attempt::Response::Number(4.5))
    );
}

#[test]
fn quitting_asks_first_and_help_closes_on_any_key() {
    let exam = demo();
    let mut app = started(&exam, Lang::Fr);
    app.handle(Action::Help, at(1)).unwrap();
    assert!(app.help_open());
    app.handle(Action::Next, at(1)).unwrap();
    assert!(!app.help_open());
    assert_eq!(
        app.session().unwrap().attempt().current(),
        0,
        "the closing key does nothing else"
    );
    assert_eq!(app.handle(Action::Quit, at(2)).unwrap(), Effect::None);
    assert!(app.quitting());
    assert_eq!(app.handle(Action::No, at(2)).unwrap(), Effect::None);
    assert!(!app.quitting());
    app.handle(Action::Quit, at(2)).unwrap();
    assert_eq!(app.handle(Action::Yes, at(2)).unwrap(), Effect::Quit);
}

#[test]
fn submitting_goes_through_review_and_confirmation() {
    let exam = demo();
    let mut app = started(&exam, Lang::En);
    app.handle(Action::Submit, at(1)).unwrap();
    assert_eq!(app.screen(), Screen::Review);
    app.handle(Action::Submit, at(1)).unwrap();
    assert_eq!(app.screen(), Screen::Confirm);
    app.handle(Action::No, at(1)).unwrap();
    assert_eq!(app.screen(), Screen::Review);
    app.handle(Action::Submit, at(1)).unwrap();
    assert_eq!(app.handle(Action::Yes, at(2)).unwrap(), Effect::Finished);
    assert_eq!(app.screen(), Screen::Result);
    assert!(!app.result().unwrap().passed);
}

#[test]
fn paste_is_refused_and_recorded_by_default() {
    let exam = demo();
    let mut app = started(&exam, Lang::En);
    go_to_kind(&mut app, &exam, "text");
    app.paste("expiry", at(3)).unwrap();
    assert_eq!(app.input().text(), "");
    assert_eq!(app.session().unwrap().attempt().counts().paste_refused, 1);
    app.focus(false, at(4)).unwrap();
    app.focus(true, at(5)).unwrap();
    assert_eq!(app.session().unwrap().attempt().counts().focus_lost, 1);
}

#[test]
fn identification_requires_a_name() {
    let exam = demo();
    let mut app: TestApp<'_> = App::new(&exam, Lang::En.strings(), None, t0());
    assert_eq!(app.handle(Action::Confirm, t0()).unwrap(), Effect::None);
    assert!(draw(&app, 80, 24).contains("Please type your full name."));
    for c in " Ada   Lovelace ".chars() {
        app.handle(Action::Type(c), t0()).unwrap();
    }
    app.handle(Action::NextField, t0()).unwrap();
    for c in "E-42".chars() {
        app.handle(Action::Type(c), t0()).unwrap();
    }
    assert_eq!(
        app.handle(Action::Confirm, t0()).unwrap(),
        Effect::Identify(Learner {
            email: None,
            name: "Ada Lovelace".into(),
            id: Some("E-42".into())
        })
    );
}

#[test]
fn an_email_is_typed_in_the_third_field_and_checked() {
    let exam = demo();
    let mut app: TestApp<'_> = App::new(&exam, Lang::En.strings(), None, t0());
    let type_text = |app: &mut TestApp<'_>, text: &str| {
        for c in text.chars() {
            app.handle(Action::Type(c), t0()).unwrap();
        }
    };
    type_text(&mut app, "Ada Lovelace");
    // Up from the name goes round to the e-mail.
    app.handle(Action::Up, t0()).unwrap();
    assert_eq!(app.identify_form().focus, 2);
    type_text(&mut app, "ada at home");
    assert_eq!(app.handle(Action::Confirm, t0()).unwrap(), Effect::None);
    assert!(draw(&app, 80, 24).contains("That is not an e-mail address"));
    assert_eq!(app.identify_form().focus, 2);
    for _ in 0.."ada at home".len() {
        app.handle(Action::Backspace, t0()).unwrap();
    }
    type_text(&mut app, "Ada@Example.org");
    assert_eq!(
        app.handle(Action::Confirm, t0()).unwrap(),
        Effect::Identify(Learner {
            email: Some("ada@example.org".into()),
            name: "Ada Lovelace".into(),
            id: None
        })
    );
}

#[test]
fn a_name_that_mixes_alphabets_is_refused_on_the_form() {
    let exam = demo();
    let mut app: TestApp<'_> = App::new(&exam, Lang::Fr.strings(), None, t0());
    // The first letter is a Cyrillic а.
    for c in "\u{0430}da Lovelace".chars() {
        app.handle(Action::Type(c), t0()).unwrap();
    }
    assert_eq!(app.handle(Action::Confirm, t0()).unwrap(), Effect::None);
    assert!(draw(&app, 80, 24).contains("Alphabets mélangés"));
    assert_eq!(app.identify_form().focus, 0);
}

#[test]
fn a_long_prompt_scrolls_and_keeps_the_highlighted_choice_visible() {
    let long = "A line of context that the learner must read before answering. ".repeat(40);
    let src = format!(
        "[exam]\nid = \"long\"\nversion = \"1\"\ntitle = \"Long\"\nlanguage = \"en\"\ndescription = \"d\"\n\
         learning_outcomes = [\"o\"]\nworkload_hours = 1\n[rules]\ntime_limit = \"10m\"\nmastery_threshold = 50\nshuffle_choices = false\n\
         [[sections]]\nid = \"s\"\ntitle = \"S\"\ndraw = 1\n[[questions]]\nid = \"q\"\nsection = \"s\"\nkind = \"single\"\n\
         prompt = \"{long}END OF PROMPT\"\n[[questions.choices]]\ntext = \"First choice\"\ncorrect = true\n\
         [[questions.choices]]\ntext = \"Last choice\"\n"
    );
    let exam = load_str(&src).exam.unwrap();
    let mut app = started(&exam, Lang::En);
    assert!(
        !draw(&app, 80, 24).contains("Last choice"),
        "the prompt fills the screen"
    );
    app.handle(Action::Down, at(1)).unwrap();
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("› ( ) 2. Last choice"), "{screen}");
    // Back up past the first choice: the prompt scrolls back to its start.
    for _ in 0..40 {
        app.handle(Action::Up, at(1)).unwrap();
    }
    assert!(draw(&app, 80, 24).contains("1. (1 pt)"));
}

/// A bank whose one question has five long choices, in the order written.
fn five_long_choices() -> Exam {
    let mut src = String::from(
        "[exam]\nid = \"five\"\nversion = \"1\"\ntitle = \"Five\"\nlanguage = \"en\"\ndescription = \"d\"\n\
         learning_outcomes = [\"o\"]\nworkload_hours = 1\n[rules]\ntime_limit = \"10m\"\nmastery_threshold = 50\nshuffle_choices = false\n\
         [[sections]]\nid = \"s\"\ntitle = \"S\"\ndraw = 1\n[[questions]]\nid = \"q\"\nsection = \"s\"\nkind = \"single\"\n\
         prompt = \"\"\"\nWhich of these is right? The author wrapped this prompt\nin the middle of a sentence.\"\"\"\n",
    );
    for n in 1..=5 {
        src.push_str(&format!(
            "[[questions.choices]]\ntext = \"Choice {n} says something long enough to wrap onto a second line\"\ncorrect = {}\n",
            n == 1
        ));
    }
    load_str(&src).exam.unwrap()
}

/// At 60x16, what does not fit is announced and reachable, and wrapped
/// lines hang under their text.
#[test]
fn a_small_terminal_says_there_is_more_and_wraps_under_the_text() {
    let exam = five_long_choices();
    let mut app = started(&exam, Lang::En);
    let screen = draw(&app, 60, 16);
    // The prompt is one paragraph again, wrapped at the screen's width.
    assert!(
        screen.contains("Which of these is right? The author wrapped this prompt in"),
        "{screen}"
    );
    assert!(!screen.contains("Choice 5"), "{screen}");
    assert!(screen.contains("↓ more below"), "{screen}");
    // A choice's second line starts under its text, not at the margin.
    let lines: Vec<&str> = screen.lines().collect();
    let first = lines
        .iter()
        .position(|l| l.contains("› ( ) 1. Choice 1"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(lines[first + 1].starts_with("\"         "), "{screen}");
    // Down to the last choice: it is in view, with the rest above.
    for _ in 0..4 {
        app.handle(Action::Down, at(1)).unwrap();
    }
    let screen = draw(&app, 60, 16);
    assert!(screen.contains("› ( ) 5. Choice 5"), "{screen}");
    assert!(screen.contains("second line"), "{screen}");
    assert!(screen.contains("↑ more above"), "{screen}");
}

/// A typed answer under a long prompt: the field is in view from the
/// start, ↑↓ scroll the question and stop at its ends.
#[test]
fn a_typed_answer_keeps_its_field_in_view_and_scrolling_stops_at_the_ends() {
    let long = "A line of context that the learner must read before answering. ".repeat(10);
    let src = format!(
        "[exam]\nid = \"typed\"\nversion = \"1\"\ntitle = \"Typed\"\nlanguage = \"en\"\ndescription = \"d\"\n\
         learning_outcomes = [\"o\"]\nworkload_hours = 1\n[rules]\ntime_limit = \"10m\"\nmastery_threshold = 50\n\
         [[sections]]\nid = \"s\"\ntitle = \"S\"\ndraw = 1\n[[questions]]\nid = \"q\"\nsection = \"s\"\nkind = \"text\"\n\
         prompt = \"{long}END\"\naccepted = [\"x\"]\n"
    );
    let exam = load_str(&src).exam.unwrap();
    let mut app = started(&exam, Lang::En);
    let screen = draw(&app, 60, 16);
    assert!(screen.contains("> "), "{screen}");
    assert!(screen.contains("↑ more above"), "{screen}");
    // Any number of ↑ stop at the top; one ↓ then moves one line.
    for _ in 0..50 {
        app.handle(Action::Up, at(1)).unwrap();
        draw(&app, 60, 16);
    }
    let screen = draw(&app, 60, 16);
    assert!(screen.contains("1. (1 pt)"), "{screen}");
    assert!(screen.contains("↓ more below"), "{screen}");
    app.handle(Action::Down, at(1)).unwrap();
    let screen = draw(&app, 60, 16);
    assert!(!screen.contains("1. (1 pt)"), "one line down: {screen}");
    for _ in 0..50 {
        app.handle(Action::Down, at(1)).unwrap();
        draw(&app, 60, 16);
    }
    app.handle(Action::Up, at(1)).unwrap();
    let screen = draw(&app, 60, 16);
    assert!(
        screen.contains("↑↓ more above and below"),
        "one line up from the end: {screen}"
    );
}

#[test]
fn when_no_attempt_may_start_the_instructions_say_why_and_enter_leaves() {
    let exam = demo();
    let mut app: TestApp<'_> = App::new(&exam, Lang::En.strings(), None, t0());
    app.identified(learner(), None);
    app.set_refused(vec![
        "Every attempt this exam allows has been used.".into(),
        "Your last attempt: PASSED · Score: 100 % (required 60 %)".into(),
    ]);
    let screen = draw(&app, 80, 24);
    assert!(
        screen.contains("Every attempt this exam allows has been used."),
        "{screen}"
    );
    assert!(screen.contains("Press Enter to leave."), "{screen}");
    assert!(!screen.contains("the clock starts now"), "{screen}");
    assert_eq!(app.handle(Action::Confirm, t0()).unwrap(), Effect::Quit);
}

/// Time runs out while an answer is typed and not yet confirmed: it is
/// handed in with the rest, as Moodle submits what is on the page.
#[test]
fn time_up_keeps_what_is_typed() {
    let exam = demo();
    for (kind, typed) in [("text", "expiry"), ("numeric", "4,5")] {
        let mut app = started(&exam, Lang::En);
        go_to_kind(&mut app, &exam, kind);
        let item = app.session().unwrap().attempt().current();
        for c in typed.chars() {
            app.handle(brevet::tui::keymap::Action::Type(c), at(20))
                .unwrap();
        }
        assert!(app.input_dirty());
        let deadline = app.session().unwrap().attempt().deadline();
        let effect = app.tick(deadline + TimeDelta::seconds(1)).unwrap();
        assert_eq!(app.screen(), Screen::Result, "{kind}: {effect:?}");
        let attempt = app.session().unwrap().attempt();
        assert!(
            attempt.response(item).is_some(),
            "{kind}: the typed answer is kept"
        );
        assert!(attempt.is_finished());
    }
}

/// `--extra-time 33`: the instructions show the time the learner will
/// have, before the clock starts.
#[test]
fn extra_time_is_shown_as_granted_before_the_start() {
    let exam = demo();
    let mut app: TestApp<'_> = App::new(&exam, Lang::En.strings(), Some(learner()), t0());
    assert!(draw(&app, 80, 24).contains("Time limit: 5 min "));
    app.set_extra_time(33);
    let screen = draw(&app, 80, 24);
    assert!(
        screen.contains("Time limit: 6 min 39 s (extra time 33 %)"),
        "{screen}"
    );
}

/// The result and the review show whole prompts: the result wraps the
/// whole text, the review list cuts it with an ellipsis where it must.
#[test]
fn whole_prompts_in_the_result_and_an_ellipsis_in_the_review() {
    let exam = load_str(include_str!("../exams/spreadsheet-essentials.toml"))
        .exam
        .unwrap();
    let mut app = started(&exam, Lang::En);
    let paper = app.session().unwrap().attempt().paper().to_vec();
    let (item, prompt) = paper
        .iter()
        .enumerate()
        .map(|(i, p)| (i, exam.questions[p.question].prompt.trim().to_owned()))
        .find(|(_, p)| p.lines().count() > 1)
        .expect("the paper has a prompt of several lines");
    let whole = prompt.split_whitespace().collect::<Vec<_>>().join(" ");
    // The review list: the prompt on one line, cut with an ellipsis when
    // the line is too short for it.
    app.handle(Action::Review, at(5)).unwrap();
    let first_words = whole.chars().take(20).collect::<String>();
    let review = draw(&app, 60, 40);
    let row = review
        .lines()
        .find(|l| l.contains(&first_words))
        .unwrap_or_else(|| panic!("item {item}: {review}"));
    assert!(
        row.trim_end_matches([' ', '│', '"']).ends_with('…'),
        "{row}"
    );
    let review = draw(&app, 200, 40);
    assert!(review.contains(&whole), "{review}");
    // Hand in, then the result: the whole prompt, wrapped.
    app.handle(Action::Submit, at(6)).unwrap();
    app.handle(Action::Confirm, at(6)).unwrap();
    for _ in 0..3 {
        if app.screen() == Screen::Result {
            break;
        }
        app.handle(Action::Type('y'), at(6)).unwrap();
    }
    assert_eq!(app.screen(), Screen::Result);
    let result = draw(&app, 60, 400).replace(['│', '"'], " ");
    let result = result.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(result.contains(&whole), "{whole:?} missing from:\n{result}");
}

/// The result scrolls between its first and its last line: ↓ past the end
/// stops there (the box never goes blank), Home and End jump.
#[test]
fn the_result_scrolls_within_its_text() {
    let exam = demo();
    let mut app = started(&exam, Lang::En);
    app.handle(Action::Review, at(5)).unwrap();
    app.handle(Action::Submit, at(6)).unwrap();
    app.handle(Action::Yes, at(6)).unwrap();
    assert_eq!(app.screen(), Screen::Result);
    let top = draw(&app, 80, 24);
    for _ in 0..200 {
        app.handle(Action::Down, at(7)).unwrap();
    }
    let bottom = draw(&app, 80, 24);
    let at_end = app.scroll();
    assert!(at_end > 0, "the demo's result is longer than a screen");
    app.handle(Action::Down, at(7)).unwrap();
    assert_eq!(app.scroll(), at_end, "no scrolling past the end");
    // The last line of the text is on screen, not an empty box.
    assert!(bottom.contains("Why:"), "{bottom}");
    app.handle(Action::Home, at(7)).unwrap();
    assert_eq!(app.scroll(), 0);
    assert_eq!(draw(&app, 80, 24), top);
    app.handle(Action::End, at(7)).unwrap();
    assert_eq!(app.scroll(), at_end);
    app.handle(Action::Up, at(7)).unwrap();
    assert_eq!(app.scroll(), at_end - 1);
}

/// A terminal too small for the instructions: what to do next stays in
/// view, the rest scrolls, and the screen says there is more.
#[test]
fn the_instructions_never_hide_how_to_start() {
    let exam = demo();
    let mut app: TestApp<'_> = App::new(&exam, Lang::Fr.strings(), Some(learner()), t0());
    app.set_demo_issuer(true);
    let screen = draw(&app, 80, 20);
    assert!(
        screen.contains("Appuyez sur Entrée pour commencer"),
        "{screen}"
    );
    assert!(screen.contains("↓ suite plus bas"), "{screen}");
    assert!(!screen.contains("Émetteur de démonstration"), "{screen}");
    app.handle(Action::End, t0()).unwrap();
    let screen = draw(&app, 80, 20);
    assert!(screen.contains("Émetteur de démonstration"), "{screen}");
    assert!(screen.contains("↑ début plus haut"), "{screen}");
    assert!(
        screen.contains("Appuyez sur Entrée pour commencer"),
        "{screen}"
    );
    // Enter still starts, from wherever the page is.
    assert_eq!(
        app.handle(Action::Confirm, t0()).unwrap(),
        Effect::Start(learner())
    );
}

/// In a sequential exam the footer offers no way back.
#[test]
fn a_sequential_footer_offers_no_way_back() {
    let text = include_str!("../exams/demo.toml")
        .replace("navigation = \"free\"", "navigation = \"sequential\"");
    let exam = load_str(&text).exam.unwrap();
    let app = started(&exam, Lang::En);
    let screen = draw(&app, 200, 30);
    assert!(screen.contains("next question (no way back)"), "{screen}");
    assert!(!screen.contains("previous"), "{screen}");
    let free = demo();
    let app = started(&free, Lang::En);
    assert!(draw(&app, 200, 30).contains("←→ previous/next"));
}

/// A single choice (or true/false) chosen again with its digit is
/// cleared; Enter on it only confirms.
#[test]
fn a_single_choice_can_be_cleared() {
    let exam = demo();
    for kind in ["single", "true-false"] {
        let mut app = started(&exam, Lang::En);
        go_to_kind(&mut app, &exam, kind);
        let item = app.session().unwrap().attempt().current();
        app.handle(Action::Pick(0), at(20)).unwrap();
        assert!(
            app.session().unwrap().attempt().response(item).is_some(),
            "{kind}"
        );
        app.handle(Action::Confirm, at(21)).unwrap();
        assert!(
            app.session().unwrap().attempt().response(item).is_some(),
            "{kind}: Enter keeps it"
        );
        app.handle(Action::Pick(0), at(22)).unwrap();
        assert!(
            app.session().unwrap().attempt().response(item).is_none(),
            "{kind}: cleared"
        );
    }
}

/// The help lists the keys that work where the learner is: letters are
/// letters in a typed answer, and a sequential exam has no way back.
#[test]
fn the_help_says_what_works_on_the_current_question() {
    let exam = demo();
    let mut app = started(&exam, Lang::En);
    go_to_kind(&mut app, &exam, "single");
    app.handle(Action::Help, at(11)).unwrap();
    let choice = draw(&app, 100, 30);
    for keys in ["f or F2", "r or F3", "q or Ctrl-C", "← → or p n", "g or F4"] {
        assert!(choice.contains(keys), "{keys}: {choice}");
    }
    app.handle(Action::Help, at(11)).unwrap();
    go_to_kind(&mut app, &exam, "text");
    app.handle(Action::Help, at(12)).unwrap();
    let typed = draw(&app, 100, 30);
    for keys in ["F2", "F3", "F4", "Ctrl-C", "f, r, q are letters here"] {
        assert!(typed.contains(keys), "{keys}: {typed}");
    }
    for not in ["f or F2", "q or Ctrl-C", "p n"] {
        assert!(!typed.contains(not), "{not}: {typed}");
    }
    // In a sequential exam, neither kind offers a way back.
    let text = include_str!("../exams/demo.toml")
        .replace("navigation = \"free\"", "navigation = \"sequential\"");
    let exam = load_str(&text).exam.unwrap();
    let mut app = started(&exam, Lang::Fr);
    app.handle(Action::Help, at(1)).unwrap();
    let screen = draw(&app, 100, 30);
    assert!(screen.contains("sans retour possible"), "{screen}");
    assert!(!screen.contains("précédente"), "{screen}");
}

/// A numeric answer refuses a letter where it is typed, says why under
/// the field, and a French number comes back with its comma.
#[test]
fn a_numeric_answer_refuses_letters_at_the_field_and_echoes_the_comma() {
    let exam = demo();
    let mut app = started(&exam, Lang::Fr);
    go_to_kind(&mut app, &exam, "numeric");
    for c in "4x".chars() {
        app.handle(Action::Type(c), at(11)).unwrap();
    }
    assert_eq!(app.input().text(), "4");
    let screen = draw(&app, 80, 24);
    let lines: Vec<&str> = screen.lines().collect();
    let field = lines
        .iter()
        .position(|l| l.contains("> 4 MB"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(
        lines[field + 1].contains("Seul un nombre va ici"),
        "said under the field: {screen}"
    );
    // The next key that fits clears the message.
    app.handle(Action::Type(','), at(11)).unwrap();
    app.handle(Action::Type('5'), at(11)).unwrap();
    assert!(!draw(&app, 80, 24).contains("Seul un nombre"));
    app.handle(Action::Confirm, at(12)).unwrap();
    // Away and back: the answer reads as typed.
    app.handle(Action::Next, at(13)).unwrap();
    app.handle(Action::Previous, at(14)).unwrap();
    assert_eq!(app.input().text(), "4,5");
}

/// `g` (or F4) then a number goes to that question, keeping a typed
/// answer; a number out of range is said; a sequential exam refuses.
#[test]
fn a_question_is_reached_by_its_number() {
    let exam = demo();
    let mut app = started(&exam, Lang::En);
    go_to_kind(&mut app, &exam, "text");
    let from = app.session().unwrap().attempt().current();
    app.handle(Action::Type('x'), at(11)).unwrap();
    app.handle(Action::Jump, at(11)).unwrap();
    let n = app.session().unwrap().attempt().paper().len();
    assert!(draw(&app, 80, 24).contains(&format!("Go to question (1–{n}):")));
    app.handle(Action::Type('9'), at(11)).unwrap();
    app.handle(Action::Type('9'), at(11)).unwrap();
    app.handle(Action::Confirm, at(11)).unwrap();
    assert!(draw(&app, 80, 24).contains("No question has that number."));
    app.handle(Action::Backspace, at(11)).unwrap();
    app.handle(Action::Backspace, at(11)).unwrap();
    let to = if from == 0 { 2 } else { 1 };
    app.handle(Action::Type(char::from_digit(to, 10).unwrap()), at(11))
        .unwrap();
    app.handle(Action::Confirm, at(12)).unwrap();
    let attempt = app.session().unwrap().attempt();
    assert_eq!(attempt.current(), to as usize - 1);
    assert_eq!(
        attempt.response(from),
        Some(&brevet::attempt::Response::Text("x".into())),
        "the typed answer was saved on the way"
    );
    // Esc closes without moving.
    app.handle(Action::Jump, at(13)).unwrap();
    app.handle(Action::Back, at(13)).unwrap();
    assert_eq!(app.session().unwrap().attempt().current(), to as usize - 1);
    assert!(!draw(&app, 80, 24).contains("Go to question"));
    // Sequential: refused at once.
    let text = include_str!("../exams/demo.toml")
        .replace("navigation = \"free\"", "navigation = \"sequential\"");
    let exam = load_str(&text).exam.unwrap();
    let mut app = started(&exam, Lang::En);
    app.handle(Action::Jump, at(1)).unwrap();
    assert!(app.jump().is_none());
    assert!(draw(&app, 80, 24).contains("sequential"));
}

/// Below the navigator's width, the progress line shows every question's
/// state, the current one marked.
#[test]
fn a_narrow_terminal_shows_a_compact_navigator() {
    let exam = demo();
    let mut app = started(&exam, Lang::En);
    app.handle(Action::Pick(0), at(1)).unwrap();
    app.handle(Action::Flag, at(1)).unwrap();
    app.handle(Action::Next, at(2)).unwrap();
    let n = app.session().unwrap().attempt().paper().len();
    let screen = draw(&app, 80, 24);
    let strip: String = ["⚑", "○"]
        .into_iter()
        .chain(std::iter::repeat_n("○", n - 2))
        .collect();
    let strip = if n > 5 {
        format!(
            "{} {}",
            &strip[..strip.char_indices().nth(5).unwrap().0],
            &strip[strip.char_indices().nth(5).unwrap().0..]
        )
    } else {
        strip
    };
    assert!(screen.lines().nth(1).unwrap().contains(&strip), "{screen}");
    // Wide enough for the navigator beside the question: the bar again.
    assert!(draw(&app, 120, 40).lines().nth(1).unwrap().contains('░'));
}

/// Each review level adds to the one before: marks, then right answers,
/// then explanations.
#[test]
fn the_result_shows_what_the_review_level_allows() {
    let exam = demo();
    let screens: Vec<String> = [
        Review::ScoreOnly,
        Review::Marks,
        Review::Answers,
        Review::Full,
    ]
    .into_iter()
    .map(|level| {
        let mut app = started(&exam, Lang::En);
        app.set_review(level);
        app.handle(Action::Review, at(5)).unwrap();
        app.handle(Action::Submit, at(6)).unwrap();
        app.handle(Action::Yes, at(6)).unwrap();
        draw(&app, 120, 200)
    })
    .collect();
    let has = |i: usize, text: &str| screens[i].contains(text);
    assert!(has(0, "This exam shows the score only.") && !has(0, "Your answer:"));
    assert!(has(1, "Your answer:") && !has(1, "Right answer:") && !has(1, "Why:"));
    assert!(has(2, "Right answer:") && !has(2, "Why:"));
    assert!(has(3, "Right answer:") && has(3, "Why:"));
}
