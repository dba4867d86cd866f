//! Drawing the kiosk: the welcome screen, or the learner's screens (drawn
//! by the TUI's own view), with the proctor's PIN prompt or menu on top.
//! A pure function of the state, like the TUI's view.

use super::machine::{Ask, Kiosk, MenuItem, Overlay, Stage};
use crate::attempt::journal::Sink;
use crate::tui::view::{self, Theme};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

/// Draws the whole screen.
pub fn render<S: Sink>(kiosk: &Kiosk<'_, S>, theme: Theme, frame: &mut Frame<'_>) {
    let area = frame.area();
    match kiosk.stage() {
        Stage::Welcome { cursor } => welcome(kiosk, *cursor, area, frame),
        Stage::Seat(seat) => view::render(&seat.app, theme, frame),
    }
    match kiosk.overlay() {
        None => {}
        Some(Overlay::Pin { ask, input, wrong }) => {
            pin(kiosk, ask, input.len(), *wrong, area, frame);
        }
        Some(Overlay::Menu { items, cursor }) => menu(kiosk, items, *cursor, area, frame),
        Some(Overlay::Passphrase { input, wrong }) => {
            passphrase(kiosk, input.len(), *wrong, area, frame);
        }
    }
}

fn welcome<S: Sink>(kiosk: &Kiosk<'_, S>, cursor: usize, area: Rect, frame: &mut Frame<'_>) {
    let s = kiosk.strings();
    let [body, keys] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let block = Block::bordered();
    let inner = block.inner(body);
    frame.render_widget(block, body);
    frame.render_widget(Paragraph::new(s.kiosk_keys), keys);
    let head = Paragraph::new(vec![
        Line::styled(
            format!("{} — {}", s.kiosk_title, kiosk.settings().room),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Line::raw(""),
        Line::raw(s.kiosk_choose),
    ])
    .wrap(Wrap { trim: false });
    let mut notes = Vec::new();
    if let Some(notice) = kiosk.notice() {
        notes.push(Line::raw(format!("⚠ {notice}")));
    }
    if kiosk.interrupted().is_some() {
        notes.push(Line::raw(s.kiosk_interrupted));
    }
    if kiosk.settings().demo_issuer {
        notes.push(Line::raw(s.demo_issuer));
    }
    let notes = Paragraph::new(notes).wrap(Wrap { trim: false });
    let height = |p: &Paragraph<'_>| u16::try_from(p.line_count(inner.width)).unwrap_or(u16::MAX);
    let [head_area, list_area, notes_area] = Layout::vertical([
        Constraint::Length(height(&head) + 1),
        Constraint::Min(1),
        Constraint::Length(height(&notes)),
    ])
    .areas(inner);
    frame.render_widget(head, head_area);
    frame.render_widget(notes, notes_area);
    // A long offer scrolls so that the highlighted exam stays in view.
    let rows = usize::from(list_area.height).max(1);
    let first = cursor.saturating_sub(rows - 1);
    let list: Vec<Line<'_>> = kiosk
        .offers()
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(i, offer)| {
            let mark = if i == cursor { "▶" } else { " " };
            let line = format!(
                "{mark} {}. {} ({})",
                i + 1,
                offer.exam.meta.title,
                offer.exam.meta.id
            );
            if i == cursor {
                Line::styled(line, Style::new().add_modifier(Modifier::REVERSED))
            } else {
                Line::raw(line)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(list), list_area);
}

/// The issuer key's passphrase prompt: bullets only.
fn passphrase<S: Sink>(
    kiosk: &Kiosk<'_, S>,
    typed: usize,
    wrong: bool,
    area: Rect,
    frame: &mut Frame<'_>,
) {
    let s = kiosk.strings();
    let mut lines = vec![
        Line::raw(s.kiosk_passphrase_hint),
        Line::raw(""),
        Line::raw(format!("> {}", "•".repeat(typed))),
    ];
    if wrong {
        lines.push(Line::raw(s.kiosk_passphrase_wrong));
    }
    window(
        Paragraph::new(lines).wrap(Wrap { trim: false }),
        s.kiosk_passphrase_title,
        area,
        frame,
    );
}

/// Draws a bordered window in the middle of `area`, as tall as its text
/// once wrapped (so that no line, the key hint least of all, is cut).
fn window(paragraph: Paragraph<'_>, title: &str, area: Rect, frame: &mut Frame<'_>) {
    let width = area.width.saturating_sub(8).clamp(20, 72).min(area.width);
    let paragraph = paragraph.block(Block::bordered().title(title.to_string()));
    let height = u16::try_from(paragraph.line_count(width))
        .unwrap_or(u16::MAX)
        .min(area.height);
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, rect);
    frame.render_widget(paragraph, rect);
}

fn pin<S: Sink>(
    kiosk: &Kiosk<'_, S>,
    ask: &Ask,
    typed: usize,
    wrong: bool,
    area: Rect,
    frame: &mut Frame<'_>,
) {
    let s = kiosk.strings();
    let mut lines = Vec::new();
    if let Ask::Identity(learner) | Ask::Resume(learner) = ask {
        let intro = if matches!(ask, Ask::Resume(_)) {
            s.kiosk_pin_resume
        } else {
            s.kiosk_pin_identity
        };
        lines.push(Line::raw(format!("{intro} {}", who(learner))));
        lines.push(Line::raw(""));
        if let Some((owner, since)) = kiosk.pending_attempt() {
            lines.push(Line::styled(
                format!(
                    "{} {}, {} {} UTC",
                    s.kiosk_pending_attempt,
                    who(owner),
                    s.kiosk_pending_since,
                    since.format("%Y-%m-%d %H:%M")
                ),
                Style::new().add_modifier(Modifier::BOLD),
            ));
            lines.push(Line::raw(""));
        }
    }
    lines.push(Line::raw(format!("> {}", "•".repeat(typed))));
    if let Some(until) = kiosk.locked_until() {
        lines.push(Line::raw(format!(
            "{} {} UTC",
            s.kiosk_pin_wait,
            until.format("%H:%M:%S")
        )));
    } else if wrong {
        lines.push(Line::raw(s.kiosk_pin_wrong));
    }
    lines.push(Line::raw(s.kiosk_pin_hint));
    window(
        Paragraph::new(lines).wrap(Wrap { trim: true }),
        s.kiosk_pin_title,
        area,
        frame,
    );
}

fn menu<S: Sink>(
    kiosk: &Kiosk<'_, S>,
    items: &[MenuItem],
    cursor: usize,
    area: Rect,
    frame: &mut Frame<'_>,
) {
    let s = kiosk.strings();
    let lines: Vec<Line<'_>> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let text = match item {
                MenuItem::Resume => format!(
                    "{} {}",
                    s.kiosk_menu_resume,
                    kiosk.interrupted().map_or("", |(_, l)| l.name.as_str())
                ),
                MenuItem::TiersTemps => s.kiosk_menu_tiers_temps.into(),
                MenuItem::ExtraTime => s.kiosk_menu_extra_time.into(),
                MenuItem::EndAttempt => s.kiosk_menu_end.into(),
                MenuItem::UnlockKey => s.kiosk_menu_unlock_key.into(),
                MenuItem::Exit => s.kiosk_menu_exit.into(),
                MenuItem::ConfirmExit => s.kiosk_menu_exit_confirm.into(),
                MenuItem::Close => s.kiosk_menu_close.into(),
            };
            let line = format!("{} {}. {text}", if i == cursor { "▶" } else { " " }, i + 1);
            if i == cursor {
                Line::styled(line, Style::new().add_modifier(Modifier::REVERSED))
            } else {
                Line::raw(line)
            }
        })
        .collect();
    window(
        Paragraph::new(lines).wrap(Wrap { trim: false }),
        s.kiosk_menu_title,
        area,
        frame,
    );
}

/// A learner as the proctor reads them: the name, and the id when given.
fn who(learner: &crate::attempt::Learner) -> String {
    match &learner.id {
        Some(id) => format!("{} ({id})", learner.name),
        None => learner.name.clone(),
    }
}
