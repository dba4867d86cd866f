//! Drawing: a pure function of the app's state. Nothing here mutates.

use super::app::{App, Notice, Screen};
use crate::attempt::Attempt;
use crate::attempt::journal::Sink;
use crate::bank::{Exam, Navigation};
use crate::present::strings::{self, Strings};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use std::time::Duration;

mod paper;
mod result;
mod wrap;

pub use result::bar;

/// Below this size, a "please enlarge" screen replaces everything else.
pub const MIN_WIDTH: u16 = 40;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u16 = 12;
/// From this width on, a navigator shows every question's state.
pub const NAVIGATOR_WIDTH: u16 = 100;

/// Colours when allowed; every meaning is also carried by text or symbols.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    /// Whether colours may be used (`NO_COLOR` unset).
    pub color: bool,
}

impl Theme {
    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }
    fn title(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    fn dim(self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }
    fn good(self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }
    fn bad(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    fn warn(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
}

/// Draws the whole screen.
pub fn render<S: Sink>(app: &App<'_, S>, theme: Theme, frame: &mut Frame<'_>) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(app, area, frame);
        return;
    }
    match app.screen() {
        Screen::Identify => identify(app, theme, area, frame),
        Screen::Instructions => instructions(app, theme, area, frame),
        Screen::Question => paper::question(app, theme, area, frame),
        Screen::Review => paper::review(app, theme, area, frame),
        Screen::Confirm => {
            paper::review(app, theme, area, frame);
            paper::confirm(app, theme, area, frame);
        }
        Screen::Result => result::result(app, theme, area, frame),
    }
    if app.help_open() {
        help(app, theme, area, frame);
    }
    if app.quitting() {
        popup(app.strings().quit_confirm, theme, area, frame);
    }
}

fn too_small<S: Sink>(app: &App<'_, S>, area: Rect, frame: &mut Frame<'_>) {
    let s = app.strings();
    let mut lines = vec![
        Line::raw(s.enlarge),
        Line::raw(format!(
            "{}x{} → {MIN_WIDTH}x{MIN_HEIGHT}",
            area.width, area.height
        )),
    ];
    if let Some(session) = app.session().filter(|s| !s.attempt().is_finished()) {
        let left = session.attempt().remaining(app.now());
        lines.push(Line::raw(format!(
            "{} {}",
            strings::clock(left),
            s.time_left
        )));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn popup(text: &str, theme: Theme, area: Rect, frame: &mut Frame<'_>) {
    let width = (area.width * 3 / 4).max(30);
    let inner_width = width.saturating_sub(4).max(1) as usize;
    let height = u16::try_from(text.chars().count() / inner_width + 3).unwrap_or(u16::MAX);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered().border_style(theme.warn());
    frame.render_widget(
        Paragraph::new(text).wrap(Wrap { trim: true }).block(block),
        rect,
    );
}

fn identify<S: Sink>(app: &App<'_, S>, theme: Theme, area: Rect, frame: &mut Frame<'_>) {
    let s = app.strings();
    let form = app.identify_form();
    let rect = centered(area, 60, 15);
    let block = Block::bordered().title(Span::styled(
        format!(" {} ", app.exam().meta.title),
        theme.title(),
    ));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [title, _, l1, f1, _, l2, f2, _, l3, f3, _, notice, hint] =
        Layout::vertical([Constraint::Length(1); 13]).areas(inner);
    frame.render_widget(Paragraph::new(s.identify_title).style(theme.title()), title);
    let field = |label: &str, text: &str, focused: bool| {
        let marker = if focused { "› " } else { "  " };
        (
            Line::raw(format!("{marker}{label}")),
            Line::from(vec![
                Span::raw("  "),
                Span::styled(
                    format!("{text}▁"),
                    Style::new().add_modifier(if focused {
                        Modifier::UNDERLINED
                    } else {
                        Modifier::empty()
                    }),
                ),
            ]),
        )
    };
    let (a, b) = field(s.identify_name, form.name.text(), form.focus == 0);
    frame.render_widget(a, l1);
    frame.render_widget(b, f1);
    let (a, b) = field(s.identify_id, form.id.text(), form.focus == 1);
    frame.render_widget(a, l2);
    frame.render_widget(b, f2);
    let (a, b) = field(s.identify_email, form.email.text(), form.focus == 2);
    frame.render_widget(a, l3);
    frame.render_widget(b, f3);
    let refused = match app.notice() {
        Some(Notice::NameRequired) => Some(s.identify_name_required),
        Some(Notice::NameRefused { why, .. }) => Some(crate::present::name_refused(why, s)),
        Some(Notice::EmailRefused) => Some(s.identify_email_refused),
        _ => None,
    };
    if let Some(text) = refused {
        frame.render_widget(
            Paragraph::new(text)
                .style(theme.bad())
                .wrap(ratatui::widgets::Wrap { trim: true }),
            notice,
        );
    }
    frame.render_widget(Paragraph::new(s.identify_hint).style(theme.dim()), hint);
    let (input, row) = match form.focus {
        0 => (&form.name, f1),
        1 => (&form.id, f2),
        _ => (&form.email, f3),
    };
    let x = row.x + 2 + u16::try_from(input.cursor()).unwrap_or(u16::MAX);
    frame.set_cursor_position((x.min(row.right().saturating_sub(1)), row.y));
}

fn instructions<S: Sink>(app: &App<'_, S>, theme: Theme, area: Rect, frame: &mut Frame<'_>) {
    let s = app.strings();
    let exam = app.exam();
    let rules = &exam.rules;
    let mut lines = vec![
        Line::styled(exam.meta.title.clone(), theme.title()),
        Line::raw(format!(
            "{}{}{}",
            s.skill_block, s.colon, exam.meta.skill_block
        )),
        Line::raw(""),
    ];
    // The bank changed since the attempt started: said first.
    for line in app.changed() {
        lines.push(Line::styled(line.clone(), theme.warn()));
    }
    if !app.changed().is_empty() {
        lines.push(Line::raw(""));
    }
    if !app.refused().is_empty() {
        // Why, marked; then the last result and its review, as text.
        for (i, line) in app.refused().iter().enumerate() {
            let style = if i == 0 { theme.warn() } else { Style::new() };
            lines.push(Line::styled(line.clone(), style));
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(s.refused_leave, theme.good()));
    }
    let extra = app.extra_time();
    let limit = rules.time_limit + rules.time_limit * extra / 100;
    lines.push(Line::raw(format!(
        "{}{}{}",
        s.questions,
        s.colon,
        exam.draw_count()
    )));
    let mut time = format!("{}{}{}", s.time_limit, s.colon, strings::span(limit));
    if extra > 0 {
        time.push_str(&format!(" ({} {} %)", s.extra_time, extra));
    }
    lines.push(Line::raw(time));
    lines.push(Line::raw(format!(
        "{}{}{}",
        s.threshold,
        s.colon,
        strings::percent(rules.mastery_threshold, s)
    )));
    lines.push(Line::raw(""));
    lines.push(Line::raw(match rules.navigation {
        Navigation::Free => s.navigation_free,
        Navigation::Sequential => s.navigation_sequential,
    }));
    lines.push(Line::raw(""));
    lines.extend(key_rows(
        &help_rows(app),
        "  ",
        usize::from(area.width.saturating_sub(2)),
    ));
    lines.push(Line::raw(""));
    if app.demo_issuer() {
        lines.push(Line::styled(s.demo_issuer, theme.warn()));
    }
    // What to do next stays at the bottom, always in view; the rest
    // scrolls when the terminal is too small for it.
    let mut footer: Vec<Line<'_>> = Vec::new();
    if !app.refused().is_empty() {
        // Said at the top, where it cannot be cut off.
    } else if let Some(session) = app.session() {
        footer.push(Line::styled(s.resuming, theme.warn()));
        footer.push(Line::raw(format!(
            "{} {}",
            strings::clock(session.attempt().remaining(app.now())),
            s.time_left
        )));
        footer.push(Line::styled(s.press_enter_resume, theme.good()));
    } else {
        footer.push(Line::styled(s.press_enter_start, theme.good()));
    }
    let block = Block::bordered().title(Span::styled(
        format!(" {} ", s.instructions_title),
        theme.title(),
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let footer = Paragraph::new(footer).wrap(Wrap { trim: false });
    let footer_height = u16::try_from(footer.line_count(inner.width)).unwrap_or(u16::MAX);
    let body = Paragraph::new(lines).wrap(Wrap { trim: false });
    let total = body.line_count(inner.width);
    let room = inner.height.saturating_sub(footer_height);
    let overflows = total > usize::from(room);
    // One more line says that there is more, and how to see it.
    let room = if overflows {
        room.saturating_sub(1)
    } else {
        room
    };
    let max = u16::try_from(total.saturating_sub(usize::from(room))).unwrap_or(u16::MAX);
    app.note_page_max_scroll(max);
    let [body_area, more_area, footer_area] = Layout::vertical([
        Constraint::Length(room),
        Constraint::Length(u16::from(overflows)),
        Constraint::Min(0),
    ])
    .areas(inner);
    frame.render_widget(body.scroll((app.scroll().min(max), 0)), body_area);
    if overflows {
        let at = app.scroll().min(max);
        let hint = match (at > 0, at < max) {
            (true, true) => s.more_above_below,
            (false, _) => s.more_below,
            (true, false) => s.more_above,
        };
        frame.render_widget(Paragraph::new(hint).style(theme.dim()), more_area);
    }
    frame.render_widget(footer, footer_area);
}

/// The countdown's text and style: warnings change both (not colour alone).
fn countdown(left: Duration, warnings: &[Duration], s: &Strings, theme: Theme) -> Span<'static> {
    let last = warnings.last().copied().unwrap_or(Duration::ZERO);
    let first = warnings.first().copied().unwrap_or(Duration::ZERO);
    let text = format!("{} {}", strings::clock(left), s.time_left);
    if left <= last {
        Span::styled(
            format!(" ⚠ {text} "),
            theme.bad().add_modifier(Modifier::REVERSED),
        )
    } else if left <= first {
        Span::styled(format!(" ⚠ {text} "), theme.warn())
    } else {
        Span::styled(
            format!(" ⏱ {text} "),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }
}

fn header(
    exam: &Exam,
    attempt: &Attempt,
    now: chrono::DateTime<chrono::Utc>,
    s: &Strings,
    theme: Theme,
    area: Rect,
    frame: &mut Frame<'_>,
) {
    let n = attempt.paper().len();
    let position = format!(" {} {} {} {} ", s.question, attempt.current() + 1, s.of, n);
    let clock = countdown(attempt.remaining(now), &exam.rules.warnings, s, theme);
    let fixed = position.chars().count() + clock.content.chars().count();
    let room = (area.width as usize).saturating_sub(fixed + 1);
    let title = first_line(&exam.meta.title, room);
    let pad = (area.width as usize).saturating_sub(wrap::width(&title) + fixed);
    frame.render_widget(
        Line::from(vec![
            Span::styled(title, theme.title()),
            Span::raw(" ".repeat(pad)),
            Span::raw(position),
            clock,
        ]),
        area,
    );
}

/// The progress line. Where the navigator beside the question does not
/// fit, every question's state in one strip (`●` answered, `○` not, `⚑`
/// flagged, the current one reversed), in groups of five; else a bar.
fn progress(attempt: &Attempt, s: &Strings, theme: Theme, area: Rect, frame: &mut Frame<'_>) {
    let n = attempt.paper().len();
    let answered = n - attempt.unanswered();
    let counts = format!(
        " {answered}/{n} {} · {}",
        strings::word(answered, s.answered_one, s.answered, s),
        strings::counted(attempt.flagged_count(), s.flagged_one, s.flagged, s)
    );
    let strip_width = n + n.saturating_sub(1) / 5;
    let mut spans = Vec::new();
    if area.width < NAVIGATOR_WIDTH && strip_width + wrap::width(&counts) <= usize::from(area.width)
    {
        for i in 0..n {
            if i > 0 && i % 5 == 0 {
                spans.push(Span::raw(" "));
            }
            let symbol = match (attempt.flagged(i), attempt.response(i).is_some()) {
                (true, _) => "⚑",
                (false, true) => "●",
                (false, false) => "○",
            };
            let style = if i == attempt.current() {
                Style::new().add_modifier(Modifier::REVERSED)
            } else if attempt.flagged(i) {
                theme.warn()
            } else {
                theme.fg(Color::Green)
            };
            spans.push(Span::styled(symbol, style));
        }
    } else {
        let width = (area.width as usize).saturating_sub(40).clamp(4, 40);
        let filled = (answered * width).checked_div(n).unwrap_or(0);
        let bar = format!("{}{}", "█".repeat(filled), "░".repeat(width - filled));
        spans.push(Span::styled(bar, theme.fg(Color::Green)));
    }
    spans.push(Span::raw(counts));
    frame.render_widget(Line::from(spans), area);
}

/// A text on one line of at most `width` columns, for a list or a title:
/// its lines joined, and `…` at the end when it had to be cut.
fn first_line(text: &str, width: usize) -> String {
    let one = crate::present::prompt_one_line(text);
    if wrap::width(&one) <= width {
        return one;
    }
    let mut out = String::new();
    let mut used = 0;
    for c in one.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    let mut out = out.trim_end().to_owned();
    out.push('…');
    out
}

/// The keys that work where the learner is, for the help: on a typed
/// answer letters are letters, in a sequential exam there is no way back;
/// the last line says how to quit, or in the kiosk how to call the proctor.
fn help_rows<S: Sink>(app: &App<'_, S>) -> Vec<(&'static str, &'static str)> {
    let s = app.strings();
    let sequential = app.exam().rules.navigation == Navigation::Sequential;
    let typed = app.screen() == Screen::Question && app.on_typed_answer();
    let hint_rows = |hint: &'static str| -> Vec<(&'static str, &'static str)> {
        hint.split(" · ").map(|pair| (pair, "")).collect()
    };
    let mut rows: Vec<(&'static str, &'static str)> = match app.screen() {
        Screen::Question if typed && sequential => s.help_text_sequential.to_vec(),
        Screen::Question if typed => s.help_text.to_vec(),
        Screen::Question if sequential => s.help_choice_sequential.to_vec(),
        Screen::Question => s.help_choice.to_vec(),
        Screen::Review | Screen::Confirm => s.help_review.to_vec(),
        Screen::Identify => hint_rows(s.identify_hint),
        Screen::Result if app.in_kiosk() => hint_rows(s.kiosk_result_hint),
        Screen::Result => hint_rows(s.result_hint),
        Screen::Instructions => instruction_rows(s, sequential),
    };
    if app.in_kiosk() {
        rows.push(s.kiosk_help_proctor);
    } else if typed || app.screen() == Screen::Identify {
        rows.push(s.help_quit_text);
    } else if app.screen() != Screen::Result {
        rows.push(s.help_quit);
    }
    rows
}

/// The keys the instructions list before the start: a choice question's,
/// and typed answers in one line.
fn instruction_rows(s: &Strings, sequential: bool) -> Vec<(&'static str, &'static str)> {
    let mut rows = if sequential {
        s.help_choice_sequential.to_vec()
    } else {
        s.help_choice.to_vec()
    };
    rows.push(s.help_typed_summary);
    rows
}

fn help<S: Sink>(app: &App<'_, S>, theme: Theme, area: Rect, frame: &mut Frame<'_>) {
    let s = app.strings();
    let rect_width = 76.min(area.width);
    let inner = usize::from(rect_width.saturating_sub(2));
    let mut lines = key_rows(&help_rows(app), "", inner);
    lines.push(Line::raw(""));
    lines.extend(wrap::hanging(
        Vec::new(),
        s.help_close,
        theme.dim(),
        0,
        inner,
    ));
    // Taller than the screen: the close line still shows, the list is cut.
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = centered(area, rect_width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered().title(Span::styled(format!(" {} ", s.help_title), theme.title()));
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

/// Rows of keys and what they do, after `indent`, the keys in bold in a
/// column of 18, the words wrapped under the words.
fn key_rows(rows: &[(&str, &str)], indent: &str, width: usize) -> Vec<Line<'static>> {
    rows.iter()
        .flat_map(|(k, v)| {
            let lead = vec![
                Span::raw(indent.to_owned()),
                Span::styled(
                    format!("{k:<18}"),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
            ];
            let hang = wrap::width(indent) + 18.max(wrap::width(k));
            wrap::hanging(lead, v, Style::new(), hang, width)
        })
        .collect()
}
