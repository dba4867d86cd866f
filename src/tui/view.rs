//! Drawing: a pure function of the app's state. Nothing here mutates.

use super::app::{App, Notice, Screen};
use super::strings::{self, Strings};
use crate::attempt::journal::Sink;
use crate::attempt::{Attempt, Refusal, Response, SubmitReason};
use crate::bank::{Exam, Kind, Navigation, NumericAnswer, Question, Review};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use std::time::Duration;

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
        Screen::Question => question(app, theme, area, frame),
        Screen::Review => review(app, theme, area, frame),
        Screen::Confirm => {
            review(app, theme, area, frame);
            confirm(app, theme, area, frame);
        }
        Screen::Result => result(app, theme, area, frame),
    }
    if app.help_open() {
        help(app.strings(), app.in_kiosk(), theme, area, frame);
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
    let rect = centered(area, 60, 12);
    let block = Block::bordered().title(Span::styled(
        format!(" {} ", app.exam().meta.title),
        theme.title(),
    ));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [title, _, l1, f1, _, l2, f2, _, notice, hint] =
        Layout::vertical([Constraint::Length(1); 10]).areas(inner);
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
    if app.notice() == Some(&Notice::NameRequired) {
        frame.render_widget(
            Paragraph::new(s.identify_name_required).style(theme.bad()),
            notice,
        );
    }
    frame.render_widget(Paragraph::new(s.identify_hint).style(theme.dim()), hint);
    let (input, row) = if form.focus == 0 {
        (&form.name, f1)
    } else {
        (&form.id, f2)
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
    let extra = app
        .session()
        .map_or(0, |s| s.attempt().header().options.extra_time_percent);
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
        strings::percent(rules.mastery_threshold)
    )));
    lines.push(Line::raw(""));
    lines.push(Line::raw(match rules.navigation {
        Navigation::Free => s.navigation_free,
        Navigation::Sequential => s.navigation_sequential,
    }));
    lines.push(Line::raw(""));
    for (k, v) in help_lines(s, app.in_kiosk()) {
        lines.push(Line::from(vec![
            Span::styled(
                format!("  {k:<18}"),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Span::raw(*v),
        ]));
    }
    lines.push(Line::raw(""));
    if app.demo_issuer() {
        lines.push(Line::styled(s.demo_issuer, theme.warn()));
    }
    if let Some(session) = app.session() {
        lines.push(Line::styled(s.resuming, theme.warn()));
        lines.push(Line::raw(format!(
            "{} {}",
            strings::clock(session.attempt().remaining(app.now())),
            s.time_left
        )));
        lines.push(Line::styled(s.press_enter_resume, theme.good()));
    } else {
        lines.push(Line::styled(s.press_enter_start, theme.good()));
    }
    let block = Block::bordered().title(Span::styled(
        format!(" {} ", s.instructions_title),
        theme.title(),
    ));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
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
    let title: String = exam.meta.title.chars().take(room).collect();
    let pad = (area.width as usize).saturating_sub(title.chars().count() + fixed);
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

fn progress(attempt: &Attempt, s: &Strings, theme: Theme, area: Rect, frame: &mut Frame<'_>) {
    let n = attempt.paper().len();
    let answered = n - attempt.unanswered();
    let width = (area.width as usize).saturating_sub(40).clamp(4, 40);
    let filled = (answered * width).checked_div(n).unwrap_or(0);
    let bar = format!("{}{}", "█".repeat(filled), "░".repeat(width - filled));
    frame.render_widget(
        Line::from(vec![
            Span::styled(bar, theme.fg(Color::Green)),
            Span::raw(format!(
                " {answered}/{n} {} · {} {}",
                s.answered,
                attempt.flagged_count(),
                s.flagged
            )),
        ]),
        area,
    );
}

fn question<S: Sink>(app: &App<'_, S>, theme: Theme, area: Rect, frame: &mut Frame<'_>) {
    let Some(session) = app.session() else { return };
    let attempt = session.attempt();
    let exam = app.exam();
    let s = app.strings();
    let [head, prog, body, notice, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(if area.width < 100 { 2 } else { 1 }),
    ])
    .areas(area);
    header(exam, attempt, app.now(), s, theme, head, frame);
    progress(attempt, s, theme, prog, frame);
    let (main, nav) = if area.width >= NAVIGATOR_WIDTH {
        let [m, n] = Layout::horizontal([Constraint::Min(40), Constraint::Length(18)]).areas(body);
        (m, Some(n))
    } else {
        (body, None)
    };
    if let Some(nav) = nav {
        navigator(attempt, s, theme, nav, frame);
    }
    let current = attempt.current();
    let item = &attempt.paper()[current];
    let q = &exam.questions[item.question];
    let flag = if attempt.flagged(current) {
        format!("  ⚑ {}", s.flag_on)
    } else {
        String::new()
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!("{}. ", current + 1),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::styled(format!("({} pt)", q.points), theme.dim()),
        Span::styled(flag, theme.warn()),
    ])];
    for l in q.prompt.lines() {
        lines.push(Line::raw(l.to_string()));
    }
    lines.push(Line::raw(""));
    let options_from = lines.len();
    let mut cursor_at = None;
    let response = attempt.response(current);
    match &q.kind {
        Kind::Single { choices } | Kind::Multiple { choices } => {
            let multiple = matches!(q.kind, Kind::Multiple { .. });
            for (pos, &c) in item.choices.iter().enumerate() {
                let chosen = match response {
                    Some(Response::Choice(x)) => *x == c,
                    Some(Response::Choices(v)) => v.contains(&c),
                    _ => false,
                };
                let mark = match (multiple, chosen) {
                    (false, true) => "(•)",
                    (false, false) => "( )",
                    (true, true) => "[x]",
                    (true, false) => "[ ]",
                };
                lines.push(option_line(
                    pos,
                    mark,
                    &choices[c].text,
                    pos == app.cursor(),
                    theme,
                ));
            }
        }
        Kind::TrueFalse { .. } => {
            for (pos, (label, value)) in
                [(s.true_, true), (s.false_, false)].into_iter().enumerate()
            {
                let mark = if response == Some(&Response::Bool(value)) {
                    "(•)"
                } else {
                    "( )"
                };
                lines.push(option_line(pos, mark, label, pos == app.cursor(), theme));
            }
        }
        Kind::Text { .. } | Kind::Numeric { .. } => {
            let unit = match &q.kind {
                Kind::Numeric { unit: Some(u), .. } => format!(" {u}"),
                _ => String::new(),
            };
            let state = if app.input_dirty() {
                s.not_saved
            } else if response.is_some() {
                s.saved
            } else {
                ""
            };
            lines.push(Line::styled(
                format!("{}{}", s.your_answer, s.colon.trim_end()),
                Style::new().add_modifier(Modifier::BOLD),
            ));
            lines.push(Line::from(vec![
                Span::raw("> "),
                Span::styled(
                    format!("{} ", app.input().text()),
                    Style::new().add_modifier(Modifier::UNDERLINED),
                ),
                Span::raw(unit),
            ]));
            lines.push(Line::styled(state.to_string(), theme.dim()));
            cursor_at = Some(lines.len() - 2);
        }
    }
    let para = Paragraph::new(Text::from(lines)).wrap(Wrap { trim: false });
    // Keep the answer area visible: scroll so the field stays on screen.
    let total = u16::try_from(para.line_count(main.width)).unwrap_or(u16::MAX);
    let max_scroll = total.saturating_sub(main.height);
    let mut scroll = app.scroll().min(max_scroll);
    if cursor_at.is_none() && options_from + app.cursor() < total as usize {
        // Keep the highlighted choice on screen, however long the prompt.
        let upto = Paragraph::new(Text::from(para_lines_prefix(
            q,
            s,
            current,
            item,
            app.cursor(),
            options_from,
        )))
        .wrap(Wrap { trim: false })
        .line_count(main.width);
        let bottom = i32::try_from(upto).unwrap_or(i32::MAX);
        let auto = (bottom - i32::from(main.height)).max(0);
        let wanted = (auto + app.nudge()).clamp(0, i32::from(max_scroll));
        scroll = u16::try_from(wanted).unwrap_or(0);
    }
    frame.render_widget(para.scroll((scroll, 0)), main);
    if let Some(row) = cursor_at {
        // The field line sits `row` logical lines down; with wrapping above it,
        // count wrapped lines of everything before it.
        let before = Paragraph::new(Text::from(field_prefix(q, s, current)))
            .wrap(Wrap { trim: false })
            .line_count(main.width);
        let _ = row;
        let y = main.y + u16::try_from(before).unwrap_or(0).saturating_sub(scroll);
        let x = main.x + 2 + u16::try_from(app.input().cursor()).unwrap_or(0);
        if y < main.bottom() {
            frame.set_cursor_position((x.min(main.right().saturating_sub(1)), y));
        }
    }
    if let Some(n) = app.notice() {
        frame.render_widget(Line::styled(notice_text(n, s), theme.warn()), notice);
    }
    let keys_text = if matches!(q.kind, Kind::Text { .. } | Kind::Numeric { .. }) {
        s.keys_text
    } else {
        s.keys_choice
    };
    let keys_text = if attempt.navigation() == Navigation::Sequential {
        format!("{keys_text} · {}", s.keys_sequential)
    } else {
        keys_text.to_string()
    };
    frame.render_widget(
        Paragraph::new(keys_text)
            .style(theme.dim())
            .wrap(Wrap { trim: true }),
        keys,
    );
}

/// The lines down to the highlighted choice, to keep it on screen.
fn para_lines_prefix(
    q: &Question,
    s: &Strings,
    current: usize,
    item: &crate::attempt::draw::Item,
    cursor: usize,
    options_from: usize,
) -> Vec<Line<'static>> {
    let mut lines = vec![Line::raw(format!("{}. (pt)", current + 1))];
    lines.extend(q.prompt.lines().map(|l| Line::raw(l.to_string())));
    lines.push(Line::raw(""));
    debug_assert_eq!(lines.len(), options_from);
    let texts: Vec<String> = match &q.kind {
        Kind::Single { choices } | Kind::Multiple { choices } => item
            .choices
            .iter()
            .map(|&c| choices[c].text.clone())
            .collect(),
        _ => vec![s.true_.to_string(), s.false_.to_string()],
    };
    for (pos, text) in texts.iter().enumerate().take(cursor + 1) {
        lines.push(option_line(pos, "( )", text, false, Theme { color: false }));
    }
    lines
}

/// The lines above a typed-answer field, to place the cursor on it.
fn field_prefix(q: &Question, s: &Strings, current: usize) -> Vec<Line<'static>> {
    let mut lines = vec![Line::raw(format!("{}. ", current + 1))];
    lines.extend(q.prompt.lines().map(|l| Line::raw(l.to_string())));
    lines.push(Line::raw(""));
    lines.push(Line::raw(format!(
        "{}{}",
        s.your_answer,
        s.colon.trim_end()
    )));
    lines
}

fn option_line(
    pos: usize,
    mark: &str,
    text: &str,
    highlighted: bool,
    theme: Theme,
) -> Line<'static> {
    let pointer = if highlighted { "›" } else { " " };
    let style = if highlighted {
        Style::new().add_modifier(Modifier::REVERSED)
    } else {
        Style::new()
    };
    Line::from(vec![
        Span::styled(pointer.to_string(), theme.title()),
        Span::styled(format!(" {mark} {}. {text}", pos + 1), style),
    ])
}

fn notice_text(n: &Notice, s: &Strings) -> String {
    match n {
        Notice::Refused(Refusal::NoGoingBack) => s.refused_back.into(),
        Notice::Refused(Refusal::NoSkipping) => s.refused_skip.into(),
        Notice::Refused(Refusal::AtEdge | Refusal::NoSuchItem) => s.refused_edge.into(),
        Notice::Refused(Refusal::Finished) => s.refused_finished.into(),
        Notice::Refused(Refusal::WrongAnswerKind) | Notice::NotANumber => s.not_a_number.into(),
        Notice::TimeWarning(left) => format!("⚠ {} {}", strings::span(*left), s.warning_left),
        Notice::PasteRefused => s.paste_refused.into(),
        Notice::NameRequired => s.identify_name_required.into(),
        Notice::ExtraTimeGranted => s.kiosk_extra_time_granted.into(),
    }
}

/// One question's state as a symbol: answered, unanswered, flagged.
fn state_symbol(attempt: &Attempt, i: usize) -> &'static str {
    match (attempt.response(i).is_some(), attempt.flagged(i)) {
        (true, true) => "●⚑",
        (false, true) => "○⚑",
        (true, false) => "● ",
        (false, false) => "○ ",
    }
}

fn navigator(attempt: &Attempt, s: &Strings, theme: Theme, area: Rect, frame: &mut Frame<'_>) {
    let mut lines = Vec::new();
    for i in 0..attempt.paper().len() {
        let current = i == attempt.current();
        let text = format!(
            "{}{:>3} {}",
            if current { "▶" } else { " " },
            i + 1,
            state_symbol(attempt, i)
        );
        let style = if current {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        lines.push(Line::styled(text, style));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(format!("● {}", s.answered), theme.dim()));
    lines.push(Line::styled(format!("○ {}", s.unanswered), theme.dim()));
    lines.push(Line::styled(format!("⚑ {}", s.flagged), theme.dim()));
    let visible = area.height.saturating_sub(2) as usize;
    let scroll = attempt
        .current()
        .saturating_sub(visible.saturating_sub(5).max(1));
    let block = Block::bordered().border_style(theme.dim());
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((u16::try_from(scroll).unwrap_or(0), 0))
            .block(block),
        area,
    );
}

fn first_line(text: &str, width: usize) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if line.chars().count() > width {
        format!(
            "{}…",
            line.chars()
                .take(width.saturating_sub(1))
                .collect::<String>()
        )
    } else {
        line.to_string()
    }
}

fn review<S: Sink>(app: &App<'_, S>, theme: Theme, area: Rect, frame: &mut Frame<'_>) {
    let Some(session) = app.session() else { return };
    let attempt = session.attempt();
    let exam = app.exam();
    let s = app.strings();
    let [head, body, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    header(exam, attempt, app.now(), s, theme, head, frame);
    let width = body.width.saturating_sub(12) as usize;
    let lines: Vec<Line<'_>> = (0..attempt.paper().len())
        .map(|i| {
            let q = &exam.questions[attempt.paper()[i].question];
            let selected = i == app.review_cursor();
            let text = format!(
                "{}{:>3} {} {}",
                if selected { "›" } else { " " },
                i + 1,
                state_symbol(attempt, i),
                first_line(&q.prompt, width)
            );
            Line::styled(
                text,
                if selected {
                    Style::new().add_modifier(Modifier::REVERSED)
                } else {
                    Style::new()
                },
            )
        })
        .collect();
    let summary = format!(
        " {} · {} {} · {} {} ",
        s.review_title,
        attempt.unanswered(),
        s.unanswered,
        attempt.flagged_count(),
        s.flagged
    );
    let visible = body.height.saturating_sub(2) as usize;
    let scroll = app
        .review_cursor()
        .saturating_sub(visible.saturating_sub(1));
    let block = Block::bordered().title(Span::styled(summary, theme.title()));
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((u16::try_from(scroll).unwrap_or(0), 0))
            .block(block),
        body,
    );
    frame.render_widget(Paragraph::new(s.review_hint).style(theme.dim()), keys);
}

fn confirm<S: Sink>(app: &App<'_, S>, theme: Theme, area: Rect, frame: &mut Frame<'_>) {
    let Some(session) = app.session() else { return };
    let attempt = session.attempt();
    let s = app.strings();
    let status = if attempt.unanswered() == 0 && attempt.flagged_count() == 0 {
        s.confirm_all_answered.to_string()
    } else {
        format!(
            "{} {} · {} {}",
            attempt.unanswered(),
            s.unanswered,
            attempt.flagged_count(),
            s.flagged
        )
    };
    let text = vec![
        Line::styled(s.confirm_title, theme.title()),
        Line::raw(""),
        Line::styled(status, theme.warn()),
        Line::raw(""),
        Line::raw(s.confirm_hint),
    ];
    let rect = centered(area, 60, 7);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .block(Block::bordered()),
        rect,
    );
}

/// A section bar: filled to the score, with `|` at the section's minimum.
pub fn bar(percent: f64, minimum: Option<f64>, width: usize) -> String {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let at = |p: f64| {
        ((p / 100.0) * width as f64)
            .round()
            .clamp(0.0, width as f64) as usize
    };
    let filled = at(percent);
    let mut cells: Vec<char> = (0..width)
        .map(|i| if i < filled { '█' } else { '░' })
        .collect();
    if let Some(m) = minimum {
        let i = at(m).min(width.saturating_sub(1));
        if let Some(c) = cells.get_mut(i) {
            *c = '|';
        }
    }
    cells.into_iter().collect()
}

/// The learner's answer, in words.
pub fn describe(q: &Question, response: Option<&Response>, s: &Strings) -> String {
    let Some(r) = response else {
        return s.no_answer.to_string();
    };
    match (&q.kind, r) {
        (Kind::Single { choices }, Response::Choice(c)) => {
            choices.get(*c).map_or_else(String::new, |c| c.text.clone())
        }
        (Kind::Multiple { choices }, Response::Choices(v)) => v
            .iter()
            .filter_map(|c| choices.get(*c))
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join(" ; "),
        (_, Response::Bool(b)) => (if *b { s.true_ } else { s.false_ }).to_string(),
        (_, Response::Text(t)) => t.clone(),
        (_, Response::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The right answer, in words.
pub fn right_answer(q: &Question, s: &Strings) -> String {
    match &q.kind {
        Kind::Single { choices } | Kind::Multiple { choices } => choices
            .iter()
            .filter(|c| c.correct)
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join(" ; "),
        Kind::TrueFalse { answer } => (if *answer { s.true_ } else { s.false_ }).to_string(),
        Kind::Text { accepted, .. } => accepted.join(" / "),
        Kind::Numeric {
            answer: NumericAnswer::Tolerance { value, tolerance },
            unit,
        } => {
            let u = unit.as_deref().map_or(String::new(), |u| format!(" {u}"));
            if *tolerance > 0.0 {
                format!("{value} ± {tolerance}{u}")
            } else {
                format!("{value}{u}")
            }
        }
        Kind::Numeric {
            answer: NumericAnswer::Range { min, max },
            unit,
        } => {
            let u = unit.as_deref().map_or(String::new(), |u| format!(" {u}"));
            format!("{min} … {max}{u}")
        }
    }
}

fn result<S: Sink>(app: &App<'_, S>, theme: Theme, area: Rect, frame: &mut Frame<'_>) {
    let (Some(session), Some(outcome)) = (app.session(), app.result()) else {
        return;
    };
    let attempt = session.attempt();
    let exam = app.exam();
    let s = app.strings();
    let mut lines = Vec::new();
    match app.end_reason() {
        Some(SubmitReason::TimeUp) => lines.push(Line::styled(s.time_up_submitted, theme.warn())),
        Some(SubmitReason::Proctor) => lines.push(Line::styled(s.ended_by_proctor, theme.warn())),
        _ => {}
    }
    let verdict = if outcome.passed {
        Span::styled(format!("✓ {}", s.passed), theme.good())
    } else {
        Span::styled(format!("✗ {}", s.not_passed), theme.bad())
    };
    lines.push(Line::from(vec![verdict]));
    lines.push(Line::raw(format!(
        "{}{}{} ({} {}) · {}/{} pt",
        s.score,
        s.colon,
        strings::percent(outcome.percent),
        s.required,
        strings::percent(outcome.threshold),
        trim(outcome.earned),
        trim(outcome.max)
    )));
    if let crate::attempt::Status::Submitted { at, .. } = attempt.status() {
        let used = (at - attempt.header().started_at)
            .to_std()
            .unwrap_or_default();
        lines.push(Line::raw(format!(
            "{}{}{}",
            s.time_used,
            s.colon,
            strings::span(used)
        )));
    }
    lines.push(Line::raw(""));
    let name_width = outcome
        .sections
        .iter()
        .map(|x| x.title.chars().count())
        .max()
        .unwrap_or(0)
        .min(30);
    let bar_width = (area.width as usize)
        .saturating_sub(name_width + 30)
        .clamp(10, 40);
    for sec in &outcome.sections {
        let title: String = sec.title.chars().take(name_width).collect();
        let mark = if sec.met { "✓" } else { "✗" };
        let min = sec.min_score.map_or(String::new(), |m| {
            format!(" ({} {})", s.section_minimum, strings::percent(m))
        });
        lines.push(Line::from(vec![
            Span::raw(format!("{title:<name_width$} ")),
            Span::styled(
                bar(sec.percent, sec.min_score, bar_width),
                if sec.met {
                    theme.fg(Color::Green)
                } else {
                    theme.fg(Color::Red)
                },
            ),
            Span::raw(format!(" {:>7} {mark}{min}", strings::percent(sec.percent))),
        ]));
    }
    if let Some(path) = app.credential() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!("{} {}", s.credential_written, path.display()),
            theme.good(),
        ));
        if app.demo_issuer() {
            lines.push(Line::styled(s.demo_issuer, theme.warn()));
        }
    }
    lines.push(Line::raw(""));
    match exam.rules.review {
        Review::ScoreOnly => lines.push(Line::styled(s.review_score_only, theme.dim())),
        Review::Full => {
            for item in &outcome.items {
                let q = &exam.questions[item.question];
                let mark = if item.is_right() {
                    Span::styled("✓", theme.good())
                } else {
                    Span::styled("✗", theme.bad())
                };
                lines.push(Line::from(vec![
                    mark,
                    Span::styled(
                        format!(" {}. ", item.item + 1),
                        Style::new().add_modifier(Modifier::BOLD),
                    ),
                    Span::raw(first_line(&q.prompt, 200)),
                ]));
                lines.push(Line::raw(format!(
                    "   {}{}{}",
                    s.your_answer,
                    s.colon,
                    describe(q, attempt.response(item.item), s)
                )));
                if !item.is_right() {
                    lines.push(Line::raw(format!(
                        "   {}{}{}",
                        s.right_answer,
                        s.colon,
                        right_answer(q, s)
                    )));
                }
                if let Some(e) = &q.explanation {
                    lines.push(Line::styled(
                        format!(
                            "   {}{}{}",
                            s.explanation,
                            s.colon,
                            e.split_whitespace().collect::<Vec<_>>().join(" ")
                        ),
                        theme.dim(),
                    ));
                }
            }
        }
    }
    let [body, keys] = Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(area);
    let block = Block::bordered().title(Span::styled(
        format!(" {} · {} ", s.result_title, exam.meta.title),
        theme.title(),
    ));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((app.scroll(), 0))
            .block(block),
        body,
    );
    let hint = if app.in_kiosk() {
        s.kiosk_result_hint
    } else {
        s.result_hint
    };
    frame.render_widget(Paragraph::new(hint).style(theme.dim()), keys);
}

/// A number of points without a useless `.0`.
fn trim(x: f64) -> String {
    let r = (x * 100.0).round() / 100.0;
    if (r - r.round()).abs() < 1e-9 {
        format!("{r:.0}")
    } else {
        format!("{r}")
    }
}

/// The keys to list: in the kiosk, the learner cannot quit; the last line
/// names the proctor key instead.
fn help_lines(s: &Strings, kiosk: bool) -> impl Iterator<Item = &(&'static str, &'static str)> {
    let last = if kiosk {
        &s.kiosk_help_proctor
    } else {
        &s.help_quit
    };
    s.help_lines.iter().chain(std::iter::once(last))
}

fn help(s: &Strings, kiosk: bool, theme: Theme, area: Rect, frame: &mut Frame<'_>) {
    let mut lines: Vec<Line<'_>> = help_lines(s, kiosk)
        .map(|(k, v)| {
            Line::from(vec![
                Span::styled(
                    format!("{k:<18}"),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                Span::raw(*v),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(s.help_close, theme.dim()));
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = centered(area, 76, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered().title(Span::styled(format!(" {} ", s.help_title), theme.title()));
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(block),
        rect,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_mark_the_minimum() {
        assert_eq!(bar(50.0, None, 10), "█████░░░░░");
        assert_eq!(bar(80.0, Some(50.0), 10), "█████|██░░");
        assert_eq!(bar(0.0, Some(100.0), 4), "░░░|");
        assert_eq!(bar(100.0, None, 0), "");
    }
}
