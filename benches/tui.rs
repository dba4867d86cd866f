//! Rendering: a question screen at 120x40 and 240x70, the bytes a timer tick
//! and a selection move send to the terminal, and start to first frame.
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "synth.rs"]
mod synth;
#[path = "../tests/support/wire.rs"]
mod wire;

use brevet::attempt::{Learner, Options, Session};
use brevet::bank::{Exam, load_str};
use brevet::present::strings::Lang;
use brevet::tui::app::App;
use brevet::tui::keymap::Action;
use brevet::tui::view::{self, Theme};
use chrono::{DateTime, TimeDelta, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T09:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn learner() -> Learner {
    Learner {
        email: None,
        name: "Ada Lovelace".into(),
        id: None,
    }
}

fn app(exam: &Exam) -> App<'_, Vec<u8>> {
    let mut app = App::new(exam, Lang::En.strings(), Some(learner()), t0());
    let session = Session::start(exam, 7, learner(), t0(), Options::default(), Vec::new()).unwrap();
    app.started(session);
    app
}

fn render(c: &mut Criterion) {
    let exam = load_str(include_str!("../exams/spreadsheet-essentials.toml"))
        .exam
        .unwrap();
    let app = app(&exam);
    for (w, h) in [(120, 40), (240, 70)] {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        c.bench_function(&format!("render_question/{w}x{h}"), |b| {
            b.iter(|| {
                terminal
                    .draw(|f| view::render(&app, Theme { color: true }, f))
                    .unwrap()
                    .area
            })
        });
    }
}

fn bytes(c: &mut Criterion) {
    let (_, full) = wire::frames(|_| {});
    let (_, tick) = wire::frames(|app| {
        app.tick(t0() + TimeDelta::seconds(1)).unwrap();
    });
    let (_, moved) = wire::frames(|app| {
        app.handle(Action::Down, t0()).unwrap();
    });
    println!("bytes: identical frame {full}, timer tick {tick}, selection move {moved}");
    c.bench_function("frame_after_tick/120x40", |b| {
        b.iter(|| {
            wire::frames(|app| {
                app.tick(t0() + TimeDelta::seconds(1)).unwrap();
            })
        })
    });
}

fn first_frame(c: &mut Criterion) {
    let text = synth::bank(100);
    c.bench_function("start_to_first_frame/100_questions", |b| {
        b.iter(|| {
            let exam = load_str(&text).exam.unwrap();
            let app = app(&exam);
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
            terminal
                .draw(|f| view::render(&app, Theme { color: true }, f))
                .unwrap()
                .area
        })
    });
}

criterion_group!(benches, render, bytes, first_frame);
criterion_main!(benches);
