//! What a timer tick and a key cost on the wire: the terminal receives only
//! the cells that changed, not a full repaint.
#![allow(clippy::unwrap_used)]

use brevet::attempt::{Learner, Options, Session};
use brevet::bank::load_str;
use brevet::tui::app::App;
use brevet::tui::keymap::Action;
use brevet::tui::strings::Lang;
use brevet::tui::view::{self, Theme};
use chrono::{DateTime, TimeDelta, Utc};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A terminal output that only counts what it is sent.
#[derive(Clone, Default)]
struct Counter(Arc<AtomicUsize>);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.fetch_add(buf.len(), Ordering::Relaxed);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T09:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// Bytes of the first frame, and of the frame after `change`, at 120x40.
fn frames(change: impl FnOnce(&mut App<'_, Vec<u8>>)) -> (usize, usize) {
    let exam = load_str(include_str!("../exams/spreadsheet-essentials.toml"))
        .exam
        .unwrap();
    let learner = Learner {
        name: "Ada".into(),
        id: None,
    };
    let mut app = App::new(&exam, Lang::En.strings(), Some(learner.clone()), t0());
    app.started(Session::start(&exam, 7, learner, t0(), Options::default(), Vec::new()).unwrap());
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, 120, 40)),
    };
    let counter = Counter::default();
    let mut terminal =
        Terminal::with_options(CrosstermBackend::new(counter.clone()), options).unwrap();
    terminal
        .draw(|f| view::render(&app, Theme { color: true }, f))
        .unwrap();
    let first = counter.0.load(Ordering::Relaxed);
    change(&mut app);
    terminal
        .draw(|f| view::render(&app, Theme { color: true }, f))
        .unwrap();
    (first, counter.0.load(Ordering::Relaxed) - first)
}

#[test]
fn a_timer_tick_sends_under_100_bytes() {
    let (full, tick) = frames(|app| {
        app.tick(t0() + TimeDelta::seconds(1)).unwrap();
    });
    assert!(full > 2_000, "a full frame is a few kilobytes ({full})");
    assert!(tick < 100, "a tick sent {tick} bytes");
    assert!(tick > 0, "the countdown must change");
}

#[test]
fn moving_the_selection_sends_a_small_update() {
    let (full, moved) = frames(|app| {
        app.handle(Action::Down, t0()).unwrap();
    });
    assert!(moved < full / 4, "a move sent {moved} of {full} bytes");
}
