//! Counting what the terminal interface sends to a terminal, shared by the
//! byte-count tests and the interface benchmarks.

use brevet::attempt::{Learner, Options, Session};
use brevet::bank::load_str;
use brevet::present::strings::Lang;
use brevet::tui::app::App;
use brevet::tui::view::{self, Theme};
use chrono::{DateTime, Utc};
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

/// A fixed instant for the attempts these measure.
pub fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T09:00:00Z")
        .expect("a valid date")
        .with_timezone(&Utc)
}

/// Bytes of the first frame of the spreadsheet exam's first question at
/// 120x40, and of the frame after `change`.
pub fn frames(change: impl FnOnce(&mut App<'_, Vec<u8>>)) -> (usize, usize) {
    let exam = load_str(include_str!("../../exams/spreadsheet-essentials.toml"))
        .exam
        .expect("a valid bank");
    let learner = Learner {
        email: None,
        name: "Ada".into(),
        id: None,
    };
    let mut app = App::new(&exam, Lang::En.strings(), Some(learner.clone()), t0());
    let session = Session::start(&exam, 7, learner, t0(), Options::default(), Vec::new());
    app.started(session.expect("a memory journal"));
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, 120, 40)),
    };
    let counter = Counter::default();
    let mut terminal = Terminal::with_options(CrosstermBackend::new(counter.clone()), options)
        .expect("a terminal over a counter");
    let theme = Theme { color: true };
    terminal
        .draw(|f| view::render(&app, theme, f))
        .expect("drawn");
    let first = counter.0.load(Ordering::Relaxed);
    change(&mut app);
    terminal
        .draw(|f| view::render(&app, theme, f))
        .expect("drawn");
    (first, counter.0.load(Ordering::Relaxed) - first)
}
