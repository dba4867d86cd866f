//! The kiosk's state machine without a terminal: lock-down keys, the PIN
//! and its delays, identity confirmation, the proctor menu, and the hand-over
//! from one learner to the next.
#![allow(clippy::unwrap_used)]

use brevet::attempt::{Learner, Options, Session, SubmitReason};
use brevet::bank::{Exam, load_str};
use brevet::kiosk::log::{Kind, Purpose};
use brevet::kiosk::machine::{
    Ask, EXTRA_TIME_SECS, Kiosk, MenuItem, Offer, Overlay, Settings, Stage, Step,
};
use brevet::kiosk::pin;
use brevet::present::strings::Lang;
use brevet::tui::app::Screen;
use brevet::tui::view::Theme;
use chrono::{DateTime, TimeDelta, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::Duration;

const PIN: &str = "246813";

fn t(secs: i64) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T09:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
        + TimeDelta::seconds(secs)
}

fn demo() -> Exam {
    load_str(include_str!("../exams/demo.toml")).exam.unwrap()
}

fn kiosk(exam: &Exam, require_identity_check: bool) -> Kiosk<'_, Vec<u8>> {
    kiosk_in(exam, require_identity_check, Lang::En)
}

/// A room's settings, with the test PIN.
fn settings(room: &str, require_identity_check: bool, demo_issuer: bool) -> Settings {
    // Cheap argon2id parameters: the verification reads them from the hash.
    let params = argon2::Params::new(8, 1, 1, None).unwrap();
    Settings {
        room: room.into(),
        pin_hash: pin::hash_with(PIN, [5; 16], params).unwrap(),
        require_identity_check,
        idle_timeout: Duration::from_secs(60),
        demo_issuer,
        review: None,
    }
}

fn kiosk_in(exam: &Exam, require_identity_check: bool, lang: Lang) -> Kiosk<'_, Vec<u8>> {
    Kiosk::new(
        vec![Offer {
            exam,
            strings: lang.strings(),
        }],
        lang.strings(),
        settings("Salle 2", require_identity_check, true),
        t(0),
    )
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn typed(k: &mut Kiosk<'_, Vec<u8>>, text: &str, now: DateTime<Utc>) {
    for c in text.chars() {
        assert_eq!(k.key(key(KeyCode::Char(c)), now).unwrap(), Step::None);
    }
}

fn enter(k: &mut Kiosk<'_, Vec<u8>>, now: DateTime<Utc>) -> Step {
    k.key(key(KeyCode::Enter), now).unwrap()
}

fn kinds(k: &mut Kiosk<'_, Vec<u8>>) -> Vec<Kind> {
    k.take_log().into_iter().map(|e| e.kind).collect()
}

fn screen(k: &Kiosk<'_, Vec<u8>>) -> Option<Screen> {
    k.seat().map(|s| s.app.screen())
}

fn learner() -> Learner {
    Learner {
        email: None,
        name: "Ada Lovelace".into(),
        id: Some("A-17".into()),
    }
}

/// From the welcome screen to the identification screen, name typed.
fn identify<'a>(k: &mut Kiosk<'a, Vec<u8>>, now: DateTime<Utc>) -> Step {
    assert_eq!(enter(k, now), Step::Cleared);
    assert_eq!(screen(k), Some(Screen::Identify));
    typed(k, "Ada Lovelace", now);
    k.key(key(KeyCode::Tab), now).unwrap();
    typed(k, "A-17", now);
    enter(k, now)
}

/// Takes the learner to the first question, with the options the kiosk
/// asks for.
fn start<'a>(k: &mut Kiosk<'a, Vec<u8>>, exam: &Exam, now: DateTime<Utc>) -> Options {
    assert_eq!(
        identify(k, now),
        Step::Identify {
            exam: 0,
            learner: learner()
        }
    );
    k.identified(learner(), None).unwrap();
    if k.overlay().is_some() {
        // The identity check.
        typed(k, PIN, now);
        assert_eq!(enter(k, now), Step::None);
    }
    let Step::Start {
        exam: 0,
        learner: l,
        options,
    } = enter(k, now)
    else {
        panic!("no start");
    };
    assert_eq!(l, learner());
    k.started(Session::start(exam, 3, l, now, options.clone(), Vec::new()).unwrap());
    assert_eq!(screen(k), Some(Screen::Question));
    options
}

fn draw(k: &Kiosk<'_, Vec<u8>>) -> String {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|f| brevet::kiosk::view::render(k, Theme { color: false }, f))
        .unwrap();
    terminal.backend().to_string()
}

fn escape_keys() -> Vec<KeyEvent> {
    vec![
        ctrl('c'),
        ctrl('z'),
        ctrl('\\'),
        ctrl('4'),
        ctrl('d'),
        KeyEvent::new(
            KeyCode::Char('c'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        ),
        KeyEvent::new(KeyCode::F(4), KeyModifiers::ALT),
        key(KeyCode::Char('q')),
    ]
}

#[test]
fn no_escape_key_leaves_the_welcome_screen_or_a_running_attempt() {
    let exam = demo();
    let mut k = kiosk(&exam, false);
    for e in escape_keys().into_iter().chain([key(KeyCode::Esc)]) {
        assert_eq!(k.key(e, t(1)).unwrap(), Step::None, "{e:?}");
        assert!(matches!(k.stage(), Stage::Welcome { .. }), "{e:?}");
    }
    start(&mut k, &exam, t(2));
    for e in escape_keys().into_iter().chain([key(KeyCode::Esc)]) {
        assert_eq!(k.key(e, t(3)).unwrap(), Step::None, "{e:?}");
        assert_eq!(screen(&k), Some(Screen::Question), "{e:?}");
        assert!(!k.seat().unwrap().app.quitting(), "{e:?}");
    }
    // The review screen, where `q` used to ask to quit, holds too.
    k.key(key(KeyCode::F(3)), t(4)).unwrap();
    assert_eq!(screen(&k), Some(Screen::Review));
    for e in escape_keys() {
        assert_eq!(k.key(e, t(5)).unwrap(), Step::None, "{e:?}");
        assert_eq!(screen(&k), Some(Screen::Review), "{e:?}");
    }
}

#[test]
fn wrong_pins_are_logged_then_delayed_and_the_right_one_opens_the_menu() {
    let exam = demo();
    let mut k = kiosk(&exam, false);
    k.take_log();
    assert_eq!(k.key(key(KeyCode::F(12)), t(0)).unwrap(), Step::None);
    assert!(matches!(
        k.overlay(),
        Some(Overlay::Pin { ask: Ask::Menu, .. })
    ));
    for (i, wrong) in ["1111", "2222", "3333"].iter().enumerate() {
        typed(&mut k, wrong, t(i as i64));
        assert_eq!(enter(&mut k, t(i as i64)), Step::None);
    }
    assert_eq!(
        kinds(&mut k),
        [
            Kind::PinWrong {
                purpose: Purpose::Menu,
                failures: 1,
                locked_until: None
            },
            Kind::PinWrong {
                purpose: Purpose::Menu,
                failures: 2,
                locked_until: None
            },
            Kind::PinWrong {
                purpose: Purpose::Menu,
                failures: 3,
                locked_until: Some(t(12))
            },
        ]
    );
    // Locked: what is typed is dropped, even the right PIN, and the try is logged.
    typed(&mut k, PIN, t(5));
    assert!(matches!(k.overlay(), Some(Overlay::Pin { input, .. }) if input.is_empty()));
    assert_eq!(enter(&mut k, t(5)), Step::None);
    assert_eq!(
        kinds(&mut k),
        [Kind::PinRefused {
            locked_until: t(12)
        }]
    );
    assert!(draw(&k).contains("wait until 09:00:12 UTC"));
    // After the deadline, the right PIN opens the menu.
    typed(&mut k, PIN, t(12));
    assert!(draw(&k).contains("> ••••"));
    assert!(!draw(&k).contains(PIN));
    assert_eq!(enter(&mut k, t(12)), Step::None);
    let Some(Overlay::Menu { items, .. }) = k.overlay() else {
        panic!("no menu");
    };
    assert_eq!(items, &[MenuItem::Exit, MenuItem::Close]);
    assert_eq!(
        kinds(&mut k),
        [Kind::PinRight {
            purpose: Purpose::Menu
        }]
    );
    // Closing asks again, "Back" highlighted: Enter alone goes back.
    assert_eq!(enter(&mut k, t(13)), Step::None);
    let Some(Overlay::Menu { items, cursor }) = k.overlay() else {
        panic!("no confirmation");
    };
    assert_eq!(items, &[MenuItem::Close, MenuItem::ConfirmExit]);
    assert_eq!(*cursor, 0);
    // A digit with Alt held chooses nothing.
    let alt_two = KeyEvent::new(KeyCode::Char('2'), KeyModifiers::ALT);
    assert_eq!(k.key(alt_two, t(13)).unwrap(), Step::None);
    assert!(k.overlay().is_some());
    assert_eq!(k.key(key(KeyCode::Char('2')), t(13)).unwrap(), Step::Exit);
    assert_eq!(
        kinds(&mut k),
        [Kind::KioskStopped {
            by: "proctor".into(),
            signal: None,
        }]
    );
}

#[test]
fn neither_the_pin_nor_its_hash_shows_in_debug_output() {
    let exam = demo();
    let mut k = kiosk(&exam, false);
    k.key(key(KeyCode::F(12)), t(0)).unwrap();
    typed(&mut k, PIN, t(0));
    let debug = format!("{k:?}");
    assert!(
        !debug.contains(PIN) && !debug.contains("$argon2id$"),
        "{debug}"
    );
    assert!(debug.contains("PinInput(6 chars)"), "{debug}");
}

#[test]
fn the_proctor_key_toggles_the_prompt_and_esc_cancels_it() {
    let exam = demo();
    let mut k = kiosk(&exam, false);
    k.key(ctrl('p'), t(0)).unwrap();
    assert!(k.overlay().is_some());
    k.key(ctrl('p'), t(0)).unwrap();
    assert!(k.overlay().is_none());
    k.key(key(KeyCode::F(12)), t(0)).unwrap();
    typed(&mut k, "12", t(0));
    k.key(key(KeyCode::Esc), t(0)).unwrap();
    assert!(k.overlay().is_none());
    assert!(matches!(k.stage(), Stage::Welcome { .. }));
}

#[test]
fn without_the_identity_check_the_attempt_is_supervised_but_not_verified() {
    let exam = demo();
    let mut k = kiosk(&exam, false);
    let options = start(&mut k, &exam, t(0));
    assert_eq!(
        options,
        Options {
            extra_time_percent: 0,
            supervised: true,
            identity_verified: false
        }
    );
}

#[test]
fn with_the_identity_check_only_the_right_pin_vouches_for_the_learner() {
    let exam = demo();
    let mut k = kiosk(&exam, true);
    assert!(matches!(identify(&mut k, t(0)), Step::Identify { .. }));
    k.identified(learner(), None).unwrap();
    assert!(matches!(
        k.overlay(),
        Some(Overlay::Pin { ask: Ask::Identity(l), .. }) if *l == learner()
    ));
    assert!(draw(&k).contains("Ada Lovelace (A-17)"));
    typed(&mut k, "0000", t(1));
    assert_eq!(enter(&mut k, t(1)), Step::None);
    assert!(!k.seat().unwrap().identity_verified);
    // Esc gives up: back at the form, nothing vouched for.
    k.key(key(KeyCode::Esc), t(2)).unwrap();
    assert_eq!(screen(&k), Some(Screen::Identify));
    assert!(matches!(enter(&mut k, t(3)), Step::Identify { .. }));
    k.identified(learner(), None).unwrap();
    typed(&mut k, PIN, t(3));
    assert_eq!(enter(&mut k, t(3)), Step::None);
    assert!(k.seat().unwrap().identity_verified);
    let log = kinds(&mut k);
    assert!(log.contains(&Kind::IdentityConfirmed), "{log:?}");
    let Step::Start { options, .. } = enter(&mut k, t(4)) else {
        panic!("no start");
    };
    assert!(options.supervised && options.identity_verified);
}

#[test]
fn the_menu_grants_extra_time_and_ends_the_attempt_on_record() {
    let exam = demo();
    let mut k = kiosk(&exam, false);
    start(&mut k, &exam, t(0));
    let deadline = k
        .seat()
        .unwrap()
        .app
        .session()
        .unwrap()
        .attempt()
        .deadline();
    k.key(key(KeyCode::F(12)), t(1)).unwrap();
    typed(&mut k, PIN, t(1));
    enter(&mut k, t(1));
    let Some(Overlay::Menu { items, .. }) = k.overlay() else {
        panic!("no menu");
    };
    assert_eq!(
        items,
        &[
            MenuItem::ExtraTime,
            MenuItem::EndAttempt,
            MenuItem::Exit,
            MenuItem::Close
        ]
    );
    assert_eq!(enter(&mut k, t(2)), Step::None);
    let session = k.seat().unwrap().app.session().unwrap();
    assert_eq!(
        session.attempt().deadline(),
        deadline + TimeDelta::seconds(EXTRA_TIME_SECS as i64)
    );
    let journal = String::from_utf8(session.sink().clone()).unwrap();
    assert!(
        journal.contains(r#""kind":"extra_time","seconds":300"#),
        "{journal}"
    );
    assert!(draw(&k).contains("The proctor granted extra time."));
    k.key(key(KeyCode::F(12)), t(3)).unwrap();
    typed(&mut k, PIN, t(3));
    enter(&mut k, t(3));
    k.key(key(KeyCode::Down), t(4)).unwrap();
    assert_eq!(enter(&mut k, t(4)), Step::Finished { exam: 0 });
    assert_eq!(screen(&k), Some(Screen::Result));
    assert_eq!(
        k.seat().unwrap().app.end_reason(),
        Some(SubmitReason::Proctor)
    );
    let log = kinds(&mut k);
    assert!(
        log.contains(&Kind::ExtraTime { seconds: 300 }) && log.contains(&Kind::EndedByProctor),
        "{log:?}"
    );
    // The credential's evidence counts the proctor's actions.
    let data = tempfile::tempdir().unwrap();
    let signer = brevet::issuing::Signer::demo(&brevet::store::DataDir::at(data.path())).unwrap();
    let app = &k.seat().unwrap().app;
    let session = app.session().unwrap();
    let issue = |signer: &brevet::issuing::Signer| {
        signer
            .issue(
                &exam,
                session.attempt(),
                &session.head_hash(),
                app.result().unwrap(),
                t(5),
                [1; 16],
                Vec::new(),
            )
            .unwrap()
    };
    // By default the credential keeps accommodations and proctor actions
    // to the journal and the room's records.
    let doc = issue(&signer);
    assert!(
        doc["evidence"][0]["examAttempt"]
            .get("proctoringEvents")
            .is_none(),
        "{}",
        doc["evidence"][0]
    );
    // An issuer that asks for them gets them, counted.
    let doc = issue(&signer.with_accommodations(true));
    let events = &doc["evidence"][0]["examAttempt"]["proctoringEvents"];
    assert_eq!(events["extraTime"], 1, "{events}");
    assert_eq!(events["endedByProctor"], 1, "{events}");
}

#[test]
fn the_next_learner_sees_nothing_of_the_previous_one() {
    let exam = demo();
    let mut k = kiosk(&exam, false);
    start(&mut k, &exam, t(0));
    k.key(key(KeyCode::Char('1')), t(1)).unwrap();
    k.key(key(KeyCode::Char('r')), t(2)).unwrap();
    k.key(key(KeyCode::Char('s')), t(3)).unwrap();
    assert_eq!(
        k.key(key(KeyCode::Char('y')), t(4)).unwrap(),
        Step::Finished { exam: 0 }
    );
    k.finished();
    assert!(draw(&k).contains("Result"));
    // A key while reading the result scrolls; Enter hands over.
    assert_eq!(k.key(key(KeyCode::Down), t(5)).unwrap(), Step::None);
    assert_eq!(enter(&mut k, t(6)), Step::Cleared);
    assert!(k.seat().is_none());
    let screen = draw(&k);
    assert!(screen.contains("Exam station — Salle 2"), "{screen}");
    assert!(
        !screen.contains("Ada") && !screen.contains("A-17"),
        "{screen}"
    );
    // The second learner's form is empty.
    enter(&mut k, t(7));
    assert_eq!(k.seat().unwrap().app.identify_form().name.text(), "");
    assert!(!draw(&k).contains("Ada"));
}

#[test]
fn an_unattended_result_goes_back_to_the_welcome_screen_after_the_idle_timeout() {
    let exam = demo();
    let mut k = kiosk(&exam, false);
    start(&mut k, &exam, t(0));
    // A running attempt is never cut short by the idle timeout.
    assert_eq!(k.tick(t(200)).unwrap(), Step::None);
    assert_eq!(screen(&k), Some(Screen::Question));
    k.key(key(KeyCode::Char('r')), t(201)).unwrap();
    k.key(key(KeyCode::Char('s')), t(201)).unwrap();
    k.key(key(KeyCode::Char('y')), t(201)).unwrap();
    assert_eq!(k.tick(t(260)).unwrap(), Step::None);
    assert_eq!(k.tick(t(261)).unwrap(), Step::Cleared);
    assert!(k.seat().is_none());
    let log = kinds(&mut k);
    assert_eq!(
        log.last(),
        Some(&Kind::LearnerCleared { by: "idle".into() })
    );
}

#[test]
fn a_proctor_window_left_open_times_out_with_the_learner() {
    let exam = demo();
    let mut k = kiosk(&exam, false);
    // On the welcome screen: the PIN prompt closes after the idle timeout.
    k.key(key(KeyCode::F(12)), t(0)).unwrap();
    assert!(k.overlay().is_some());
    assert_eq!(k.tick(t(59)).unwrap(), Step::None);
    assert!(k.overlay().is_some());
    k.tick(t(61)).unwrap();
    assert!(k.overlay().is_none());
    // Over a result: the prompt goes, and the learner with it.
    start(&mut k, &exam, t(100));
    for c in ['r', 's', 'y'] {
        k.key(key(KeyCode::Char(c)), t(101)).unwrap();
    }
    k.key(key(KeyCode::F(12)), t(102)).unwrap();
    assert_eq!(k.tick(t(170)).unwrap(), Step::Cleared);
    assert!(k.overlay().is_none() && k.seat().is_none());
    // During an attempt: the menu closes, the attempt goes on.
    start(&mut k, &exam, t(200));
    k.key(key(KeyCode::F(12)), t(201)).unwrap();
    typed(&mut k, PIN, t(201));
    enter(&mut k, t(201));
    assert!(matches!(k.overlay(), Some(Overlay::Menu { .. })));
    k.tick(t(270)).unwrap();
    assert!(k.overlay().is_none());
    assert_eq!(screen(&k), Some(Screen::Question));
}

#[test]
fn an_interrupted_attempt_is_offered_to_the_proctor_only() {
    let exam = demo();
    let mut k = kiosk(&exam, false);
    k.set_interrupted(0, learner());
    assert!(draw(&k).contains("interrupted attempt"));
    k.key(key(KeyCode::F(12)), t(0)).unwrap();
    typed(&mut k, PIN, t(0));
    enter(&mut k, t(0));
    assert!(draw(&k).contains("Resume the interrupted attempt of Ada Lovelace"));
    assert_eq!(
        enter(&mut k, t(1)),
        Step::Resume {
            exam: 0,
            learner: learner()
        }
    );
    let options = Options {
        extra_time_percent: 0,
        supervised: true,
        identity_verified: true,
    };
    let session = Session::start(&exam, 3, learner(), t(0), options, Vec::new()).unwrap();
    assert_eq!(k.resumed(0, session, None), Step::Cleared);
    assert_eq!(screen(&k), Some(Screen::Instructions));
    let seat = k.seat().unwrap();
    assert!(seat.identity_verified && seat.app.resumed());
}

#[test]
fn typing_someone_elses_name_does_not_resume_their_attempt_without_the_pin() {
    let exam = demo();
    let mut k = kiosk(&exam, false);
    k.set_interrupted(0, learner());
    let earlier = || {
        let options = Options {
            extra_time_percent: 0,
            supervised: true,
            identity_verified: false,
        };
        Session::start(&exam, 3, learner(), t(0), options, Vec::new()).unwrap()
    };
    assert_eq!(
        identify(&mut k, t(1)),
        Step::Identify {
            exam: 0,
            learner: learner()
        }
    );
    k.identified(learner(), Some(earlier())).unwrap();
    assert!(matches!(
        k.overlay(),
        Some(Overlay::Pin { ask: Ask::Resume(l), .. }) if *l == learner()
    ));
    let seat = k.seat().unwrap();
    assert!(seat.pending.is_some() && seat.app.session().is_none());
    assert_eq!(screen(&k), Some(Screen::Identify));
    // Esc: the found attempt is let go, nothing is attached.
    k.key(key(KeyCode::Esc), t(2)).unwrap();
    assert!(k.seat().unwrap().pending.is_none());
    assert!(k.seat().unwrap().app.session().is_none());
    // Again, and the proctor confirms.
    assert!(matches!(enter(&mut k, t(3)), Step::Identify { .. }));
    k.identified(learner(), Some(earlier())).unwrap();
    typed(&mut k, PIN, t(4));
    assert_eq!(enter(&mut k, t(4)), Step::None);
    assert!(k.overlay().is_none());
    assert_eq!(screen(&k), Some(Screen::Instructions));
    assert!(k.seat().unwrap().app.resumed());
    // Resumed this way, it is no longer offered in the proctor menu.
    assert!(k.interrupted().is_none());
    let log = kinds(&mut k);
    assert!(
        log.contains(&Kind::PinRight {
            purpose: Purpose::Resume
        }) && log.contains(&Kind::AttemptResumed {
            exam: "brevet-demo".into()
        }),
        "{log:?}"
    );
}

/// The kiosk's own screens, in both languages, as a proctor and a learner
/// see them at 80x24.
#[test]
fn snapshots_of_the_kiosk_screens() {
    let exam = demo();
    for lang in [Lang::En, Lang::Fr] {
        let name =
            |screen: &str| format!("{}-{screen}", if lang == Lang::En { "en" } else { "fr" });
        let mut k = kiosk_in(&exam, true, lang);
        k.set_interrupted(0, learner());
        insta::assert_snapshot!(name("welcome"), draw(&k));
        k.key(key(KeyCode::F(12)), t(0)).unwrap();
        for wrong in ["1", "2", "3"] {
            typed(&mut k, wrong, t(0));
            enter(&mut k, t(0));
        }
        typed(&mut k, "12", t(1));
        insta::assert_snapshot!(name("pin-locked"), draw(&k));
        typed(&mut k, PIN, t(30));
        enter(&mut k, t(30));
        insta::assert_snapshot!(name("menu"), draw(&k));
        k.key(key(KeyCode::Esc), t(31)).unwrap();
        identify(&mut k, t(32));
        k.identified(learner(), None).unwrap();
        insta::assert_snapshot!(name("identity-check"), draw(&k));
    }
}

#[test]
fn a_long_offer_scrolls_to_keep_the_chosen_exam_in_view() {
    let exam = demo();
    let offers = (0..30)
        .map(|_| Offer {
            exam: &exam,
            strings: Lang::En.strings(),
        })
        .collect();
    let mut k: Kiosk<'_, Vec<u8>> = Kiosk::new(
        offers,
        Lang::En.strings(),
        settings("R", false, false),
        t(0),
    );
    assert!(draw(&k).contains("▶ 1. brevet demo"));
    for _ in 0..25 {
        k.key(key(KeyCode::Down), t(1)).unwrap();
    }
    let screen = draw(&k);
    assert!(screen.contains("▶ 26. brevet demo"), "{screen}");
    assert!(!screen.contains(" 1. brevet demo"), "{screen}");
    // The last exam is the last one reachable.
    for _ in 0..10 {
        k.key(key(KeyCode::Down), t(1)).unwrap();
    }
    assert!(draw(&k).contains("▶ 30. brevet demo"));
}

#[test]
fn a_refused_attempt_sends_the_station_back_with_the_reason() {
    let exam = demo();
    let mut k = kiosk(&exam, false);
    assert!(matches!(identify(&mut k, t(0)), Step::Identify { .. }));
    k.identified(learner(), None).unwrap();
    assert!(matches!(enter(&mut k, t(1)), Step::Start { .. }));
    k.take_log();
    k.refused("no attempt left");
    assert!(k.seat().is_none());
    assert!(draw(&k).contains("⚠ no attempt left"));
    assert_eq!(
        kinds(&mut k),
        [
            Kind::AttemptRefused {
                reason: "no attempt left".into()
            },
            Kind::LearnerCleared {
                by: "refused".into()
            }
        ]
    );
    k.key(key(KeyCode::Down), t(2)).unwrap();
    assert!(!draw(&k).contains("no attempt left"));
}

/// A badge that could not be written beside its credential is logged for
/// the proctor.
#[test]
fn a_badge_not_written_is_logged() {
    let exam = demo();
    let mut k = kiosk(&exam, false);
    k.take_log();
    k.badge_not_written(std::path::Path::new("credentials/c.json"), "disk full");
    assert_eq!(
        kinds(&mut k),
        [Kind::BadgeNotWritten {
            credential: "credentials/c.json".into(),
            reason: "disk full".into()
        }]
    );
}

#[test]
fn before_the_start_the_proctor_can_grant_the_tiers_temps() {
    let exam = demo();
    let mut k = kiosk(&exam, false);
    assert!(matches!(identify(&mut k, t(0)), Step::Identify { .. }));
    k.identified(learner(), None).unwrap();
    assert_eq!(screen(&k), Some(Screen::Instructions));
    k.key(key(KeyCode::F(12)), t(1)).unwrap();
    typed(&mut k, PIN, t(1));
    enter(&mut k, t(1));
    let Some(Overlay::Menu { items, .. }) = k.overlay() else {
        panic!("no menu");
    };
    assert_eq!(
        items,
        &[MenuItem::TiersTemps, MenuItem::Exit, MenuItem::Close]
    );
    assert_eq!(enter(&mut k, t(2)), Step::None);
    assert!(kinds(&mut k).contains(&Kind::ExtraTimePercent { percent: 33 }));
    // Granted once: the menu no longer offers it.
    k.key(key(KeyCode::F(12)), t(3)).unwrap();
    typed(&mut k, PIN, t(3));
    enter(&mut k, t(3));
    let Some(Overlay::Menu { items, .. }) = k.overlay() else {
        panic!("no menu");
    };
    assert_eq!(items, &[MenuItem::Exit, MenuItem::Close]);
    k.key(key(KeyCode::Esc), t(4)).unwrap();
    let Step::Start { options, .. } = enter(&mut k, t(4)) else {
        panic!("no start");
    };
    assert_eq!(options.extra_time_percent, 33);
    assert!(options.supervised && !options.identity_verified);
}

#[test]
fn a_station_started_locked_waits_for_the_proctor_to_unlock_the_issuer_key() {
    use brevet::kiosk::machine::MenuItem;
    let exam = demo();
    let mut k = kiosk(&exam, false);
    k.set_key_locked(true);
    assert_eq!(kinds(&mut k), [Kind::KioskStarted, Kind::KeyLocked]);
    // No exam starts while the key is locked, and the screen says why.
    assert_eq!(enter(&mut k, t(1)), Step::None);
    assert_eq!(screen(&k), None, "still on the welcome screen");
    assert!(
        draw(&k).contains("The issuer key is locked"),
        "{}",
        draw(&k)
    );
    // The proctor menu offers to unlock it, first.
    k.key(key(KeyCode::F(12)), t(2)).unwrap();
    typed(&mut k, PIN, t(2));
    enter(&mut k, t(2));
    match k.overlay() {
        Some(Overlay::Menu { items, .. }) => assert_eq!(items[0], MenuItem::UnlockKey),
        other => panic!("{other:?}"),
    }
    enter(&mut k, t(3));
    assert!(matches!(
        k.overlay(),
        Some(Overlay::Passphrase { wrong: false, .. })
    ));
    typed(&mut k, "correct horse", t(3));
    let text = draw(&k);
    assert!(
        !text.contains("correct horse"),
        "the passphrase is never shown: {text}"
    );
    let step = enter(&mut k, t(4));
    let Step::Unlock { passphrase } = step else {
        panic!("{step:?}")
    };
    assert_eq!(passphrase.text(), "correct horse");
    assert!(
        !format!("{passphrase:?}").contains("horse"),
        "not in Debug output"
    );
    // A wrong passphrase: the prompt comes back, and it is logged.
    k.take_log();
    k.key_unlocked(false);
    assert!(matches!(
        k.overlay(),
        Some(Overlay::Passphrase { wrong: true, .. })
    ));
    assert_eq!(kinds(&mut k), [Kind::KeyUnlockFailed]);
    k.key(key(KeyCode::Esc), t(5)).unwrap();
    // The right one: exams can start.
    k.key_unlocked(true);
    assert!(!k.key_locked());
    assert_eq!(kinds(&mut k), [Kind::KeyUnlocked]);
    assert_eq!(enter(&mut k, t(6)), Step::Cleared);
    assert!(screen(&k).is_some());
}

#[test]
fn the_identity_prompt_says_whose_attempt_it_would_resume_and_a_cancel_is_logged() {
    let exam = demo();
    let mut k = kiosk(&exam, true);
    // Grace Hopper's attempt, interrupted; someone types her name.
    let grace = Learner {
        email: None,
        name: "Grace Hopper".into(),
        id: Some("G-1".into()),
    };
    let earlier = || {
        let options = Options {
            extra_time_percent: 0,
            supervised: true,
            identity_verified: true,
        };
        Session::start(&exam, 3, grace.clone(), t(0), options, Vec::new()).unwrap()
    };
    let typed_name = Learner {
        email: None,
        name: "grace hopper".into(),
        id: None,
    };
    assert!(matches!(identify(&mut k, t(60)), Step::Identify { .. }));
    k.identified(typed_name.clone(), Some(earlier())).unwrap();
    assert!(matches!(
        k.overlay(),
        Some(Overlay::Pin {
            ask: Ask::Identity(_),
            ..
        })
    ));
    let screen_text = draw(&k);
    assert!(
        screen_text.contains("The PIN resumes the unfinished attempt of Grace Hopper (G-1)")
            && screen_text.contains("2026-03-01 09:00 UTC"),
        "{screen_text}"
    );
    // The proctor sees it is not her: Esc, and the log says so.
    k.key(key(KeyCode::Esc), t(61)).unwrap();
    assert!(k.seat().unwrap().pending.is_none());
    assert!(!k.seat().unwrap().identity_verified);
    let log = k.take_log();
    assert!(
        log.iter().any(|e| e.kind
            == Kind::ResumeCancelled {
                exam: "brevet-demo".into(),
                owner: grace.clone(),
                started_at: t(0),
            }
            && e.learner.as_ref() == Some(&typed_name)),
        "{log:?}"
    );
    // The same when the prompt is left to time out.
    assert!(matches!(enter(&mut k, t(62)), Step::Identify { .. }));
    k.identified(typed_name, Some(earlier())).unwrap();
    k.tick(t(62 + 3600)).unwrap();
    let log = kinds(&mut k);
    assert!(
        log.iter()
            .any(|kind| matches!(kind, Kind::ResumeCancelled { .. })),
        "{log:?}"
    );
}

#[test]
fn wrong_pins_at_the_proctor_key_do_not_lock_the_next_learners_identity_check() {
    let exam = demo();
    let mut k = kiosk(&exam, true);
    // A learner hammers F12 with wrong PINs, as long as they like.
    k.key(key(KeyCode::F(12)), t(0)).unwrap();
    for i in 0..10 {
        typed(&mut k, "999999", t(i * 700));
        enter(&mut k, t(i * 700));
    }
    assert!(k.locked_until().is_some());
    k.key(key(KeyCode::Esc), t(7000)).unwrap();
    // The next learner's identity check takes the proctor's PIN at once.
    assert!(matches!(identify(&mut k, t(7001)), Step::Identify { .. }));
    k.identified(learner(), None).unwrap();
    assert_eq!(k.locked_until(), None);
    typed(&mut k, PIN, t(7001));
    assert_eq!(enter(&mut k, t(7001)), Step::None);
    assert!(k.seat().unwrap().identity_verified);
    // And the right PIN cleared the menu's delay too.
    assert!(!k.any_locked());
}

#[test]
fn delays_are_rebuilt_per_prompt_and_cleared_by_the_proctors_command() {
    use brevet::kiosk::log::{Event, Line, guards_from_log};
    let line = |kind: Kind, secs: i64| {
        serde_json::to_string(&Line {
            time: t(secs),
            room: "R".into(),
            event: Event {
                kind,
                learner: None,
            },
        })
        .unwrap()
    };
    let wrong = |purpose, failures| Kind::PinWrong {
        purpose,
        failures,
        locked_until: None,
    };
    let log = (1..=10)
        .map(|n| line(wrong(Purpose::Menu, n), i64::from(n)))
        .collect::<Vec<_>>()
        .join("\n");
    let exam = demo();
    let mut k = kiosk(&exam, true);
    k.set_guards(guards_from_log(&log));
    k.key(key(KeyCode::F(12)), t(20)).unwrap();
    assert!(k.locked_until().is_some(), "the menu stays delayed");
    k.key(key(KeyCode::Esc), t(20)).unwrap();
    identify(&mut k, t(21));
    k.identified(learner(), None).unwrap();
    assert_eq!(k.locked_until(), None, "the identity check is not");
    let cleared = format!("{log}\n{}", line(Kind::LockoutCleared, 30));
    assert_eq!(guards_from_log(&cleared), pin::Guards::default());
}

#[test]
fn the_room_can_keep_the_right_answers_off_the_result_screen() {
    let exam = demo();
    assert_eq!(exam.rules.review, brevet::bank::Review::Full);
    let result_screen = |review| {
        let mut k: Kiosk<'_, Vec<u8>> = Kiosk::new(
            vec![Offer {
                exam: &exam,
                strings: Lang::En.strings(),
            }],
            Lang::En.strings(),
            Settings {
                review,
                ..settings("R", false, false)
            },
            t(0),
        );
        start(&mut k, &exam, t(0));
        for c in ['1', 'r', 's'] {
            k.key(key(KeyCode::Char(c)), t(1)).unwrap();
        }
        assert_eq!(
            k.key(key(KeyCode::Char('y')), t(2)).unwrap(),
            Step::Finished { exam: 0 }
        );
        k.finished();
        draw(&k)
    };
    let bank = result_screen(None);
    assert!(bank.contains("Right answer"), "{bank}");
    let room = result_screen(Some(brevet::bank::Review::ScoreOnly));
    assert!(
        room.contains("Result") && !room.contains("Right answer"),
        "{room}"
    );
}
