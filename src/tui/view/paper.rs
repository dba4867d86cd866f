//! The exam itself: the question screen with its navigator, the review
//! list and the submit confirmation.

use super::{NAVIGATOR_WIDTH, Theme, centered, first_line, header, progress};
use crate::attempt::journal::Sink;
use crate::attempt::{Attempt, Refusal, Response};
use crate::bank::{Kind, Navigation, Question};
use crate::present::strings::{self, Strings};
use crate::tui::app::{App, Notice};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

pub(super) fn question<S: Sink>(app: &App<'_, S>, theme: Theme, area: Rect, frame: &mut Frame<'_>) {
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
    // Only the keys that work here: no "previous" in a sequential exam.
    let typed = matches!(q.kind, Kind::Text { .. } | Kind::Numeric { .. });
    let keys_text = match (typed, attempt.navigation() == Navigation::Sequential) {
        (true, false) => s.keys_text,
        (false, false) => s.keys_choice,
        (true, true) => s.keys_text_sequential,
        (false, true) => s.keys_choice_sequential,
    };
    let lines: Vec<Line<'_>> = pairs_wrapped(keys_text, usize::from(keys.width))
        .into_iter()
        .map(Line::raw)
        .collect();
    frame.render_widget(Paragraph::new(lines).style(theme.dim()), keys);
}

/// A footer of `key action · key action …` in lines of at most `width`
/// columns, broken between pairs, never inside one (a pair longer than a
/// line gets a line of its own, cut by the terminal).
pub(super) fn pairs_wrapped(text: &str, width: usize) -> Vec<String> {
    let width_of = |t: &str| Line::raw(t).width();
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for pair in text.split(" · ") {
        if line.is_empty() {
            line.push_str(pair);
        } else if width_of(&line) + 3 + width_of(pair) <= width {
            line.push_str(" · ");
            line.push_str(pair);
        } else {
            lines.push(std::mem::take(&mut line));
            line.push_str(pair);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
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
        Notice::TimeWarning(left) => format!("⚠ {}", strings::time_left(*left, s)),
        Notice::PasteRefused => s.paste_refused.into(),
        Notice::NameRequired => s.identify_name_required.into(),
        Notice::NameRefused { why, .. } => crate::present::name_refused(why, s).into(),
        Notice::EmailRefused => s.identify_email_refused.into(),
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

pub(super) fn review<S: Sink>(app: &App<'_, S>, theme: Theme, area: Rect, frame: &mut Frame<'_>) {
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
        " {} · {} {} · {} ",
        s.review_title,
        attempt.unanswered(),
        s.unanswered,
        strings::counted(attempt.flagged_count(), s.flagged_one, s.flagged, s)
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

pub(super) fn confirm<S: Sink>(app: &App<'_, S>, theme: Theme, area: Rect, frame: &mut Frame<'_>) {
    let Some(session) = app.session() else { return };
    let attempt = session.attempt();
    let s = app.strings();
    let status = if attempt.unanswered() == 0 && attempt.flagged_count() == 0 {
        s.confirm_all_answered.to_string()
    } else {
        format!(
            "{} {} · {}",
            attempt.unanswered(),
            s.unanswered,
            strings::counted(attempt.flagged_count(), s.flagged_one, s.flagged, s)
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

#[cfg(test)]
mod tests {
    use super::pairs_wrapped;

    #[test]
    fn footers_break_between_pairs() {
        let text = "↑↓ move · 1-9 choose · f flag · r review · ? help";
        assert_eq!(
            pairs_wrapped(text, 30),
            ["↑↓ move · 1-9 choose · f flag", "r review · ? help"]
        );
        assert_eq!(pairs_wrapped(text, 200), [text]);
        assert_eq!(pairs_wrapped("a very long pair", 4), ["a very long pair"]);
    }
}
