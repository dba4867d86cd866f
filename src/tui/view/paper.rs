//! The exam itself: the question screen with its navigator, the review
//! list and the submit confirmation.

use super::{NAVIGATOR_WIDTH, Theme, centered, first_line, header, progress, wrap};
use crate::attempt::journal::Sink;
use crate::attempt::{Attempt, Refusal, Response};
use crate::bank::{Kind, Navigation, Question};
use crate::present::strings::{self, Strings};
use crate::tui::app::{App, Notice};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

pub(super) fn question<S: Sink>(app: &App<'_, S>, theme: Theme, area: Rect, frame: &mut Frame<'_>) {
    let Some(session) = app.session() else { return };
    let attempt = session.attempt();
    let exam = app.exam();
    let s = app.strings();
    let current = attempt.current();
    let item = &attempt.paper()[current];
    let q = &exam.questions[item.question];
    // Only the keys that work here: no "previous" in a sequential exam.
    let typed = matches!(q.kind, Kind::Text { .. } | Kind::Numeric { .. });
    let keys_text = match (typed, attempt.navigation() == Navigation::Sequential) {
        (true, false) => s.keys_text,
        (false, false) => s.keys_choice,
        (true, true) => s.keys_text_sequential,
        (false, true) => s.keys_choice_sequential,
    };
    let footer = pairs_wrapped(keys_text, usize::from(area.width));
    let [head, prog, body, notice, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(u16::try_from(footer.len()).unwrap_or(u16::MAX)),
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
    let page = question_lines(app, q, item, theme, usize::from(main.width));
    // What does not fit scrolls, and a last line says that there is more.
    let total = page.lines.len();
    let overflows = total > usize::from(main.height);
    let room = usize::from(main.height) - usize::from(overflows);
    let max = total.saturating_sub(room);
    // Where the page sits by itself: the highlighted choice, or the field
    // and the line under it, in view. The learner's arrows move it from there.
    let auto = page
        .keep_in_view
        .map_or(0, |bottom| (bottom + 1).saturating_sub(room));
    let auto = auto.min(max);
    app.note_nudge_range(to_i32(auto), to_i32(max - auto));
    let scroll = usize::try_from((to_i32(auto) + app.nudge()).clamp(0, to_i32(max))).unwrap_or(0);
    let [page_area, more_area] = Layout::vertical([
        Constraint::Length(u16::try_from(room).unwrap_or(u16::MAX)),
        Constraint::Length(u16::from(overflows)),
    ])
    .areas(main);
    frame.render_widget(
        Paragraph::new(page.lines).scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)),
        page_area,
    );
    if overflows {
        let hint = match (scroll > 0, scroll < max) {
            (true, true) => s.more_above_below,
            (false, _) => s.more_below,
            (true, false) => s.more_above,
        };
        frame.render_widget(Paragraph::new(hint).style(theme.dim()), more_area);
    }
    if let Some((row, col)) = page.cursor
        && (scroll..scroll + room).contains(&row)
    {
        let y = page_area.y + u16::try_from(row - scroll).unwrap_or(0);
        let x = page_area.x + u16::try_from(col).unwrap_or(u16::MAX);
        frame.set_cursor_position((x.min(page_area.right().saturating_sub(1)), y));
    }
    if let Some(jump) = app.jump() {
        let lead = format!("{} (1–{}){}", s.jump_prompt, attempt.paper().len(), s.colon);
        let line = Line::from(vec![
            Span::styled(lead.clone(), theme.warn()),
            Span::styled(
                format!("{} ", jump.text()),
                Style::new().add_modifier(Modifier::UNDERLINED),
            ),
            match app.notice() {
                Some(n @ Notice::NoSuchQuestion) => {
                    Span::styled(format!("  {}", notice_text(n, s)), theme.bad())
                }
                _ => Span::styled(format!("  {}", s.jump_keys), theme.dim()),
            },
        ]);
        frame.render_widget(line, notice);
        let x = notice.x + u16::try_from(wrap::width(&lead) + jump.cursor()).unwrap_or(u16::MAX);
        frame.set_cursor_position((x.min(notice.right().saturating_sub(1)), notice.y));
    } else if let Some(n) = app
        .notice()
        .filter(|n| !(typed && matches!(n, Notice::NotANumber | Notice::NumberKeysOnly)))
    {
        frame.render_widget(Line::styled(notice_text(n, s), theme.warn()), notice);
    }
    let lines: Vec<Line<'_>> = footer.into_iter().map(Line::raw).collect();
    frame.render_widget(Paragraph::new(lines).style(theme.dim()), keys);
}

fn to_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A question laid out at a width: its lines, already wrapped.
struct Page {
    lines: Vec<Line<'static>>,
    /// The last line that should be in view without scrolling: the
    /// highlighted choice's, or the line under a typed answer's field.
    keep_in_view: Option<usize>,
    /// Where the text cursor goes: line and column.
    cursor: Option<(usize, usize)>,
}

fn question_lines<S: Sink>(
    app: &App<'_, S>,
    q: &Question,
    item: &crate::attempt::draw::Item,
    theme: Theme,
    width: usize,
) -> Page {
    let s = app.strings();
    let Some(session) = app.session() else {
        return Page {
            lines: Vec::new(),
            keep_in_view: None,
            cursor: None,
        };
    };
    let attempt = session.attempt();
    let current = attempt.current();
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
    lines.extend(wrap::prose(Vec::new(), &q.prompt, Style::new(), 0, width));
    lines.push(Line::raw(""));
    let mut keep_in_view = None;
    let mut cursor = None;
    let response = attempt.response(current);
    let mut option = |lines: &mut Vec<Line<'static>>, pos: usize, mark: &str, text: &str| {
        let highlighted = pos == app.cursor();
        lines.extend(option_lines(pos, mark, text, highlighted, theme, width));
        if highlighted {
            keep_in_view = Some(lines.len() - 1);
        }
    };
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
                option(&mut lines, pos, mark, &choices[c].text);
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
                option(&mut lines, pos, mark, label);
            }
        }
        Kind::Text { .. } | Kind::Numeric { .. } => {
            // What is wrong with the answer is said under it, where the
            // learner is looking.
            let (state, state_style) = match app.notice() {
                Some(n @ (Notice::NotANumber | Notice::NumberKeysOnly)) => {
                    (notice_text(n, s), theme.warn())
                }
                _ if app.input_dirty() => (s.not_saved.to_owned(), theme.dim()),
                _ if response.is_some() => (s.saved.to_owned(), theme.dim()),
                _ => (String::new(), theme.dim()),
            };
            lines.push(Line::styled(
                format!("{}{}", s.your_answer, s.colon.trim_end()),
                Style::new().add_modifier(Modifier::BOLD),
            ));
            let (mut field, (row, col)) = wrap::field(
                "> ",
                app.input().text(),
                app.input().cursor(),
                Style::new().add_modifier(Modifier::UNDERLINED),
                2,
                width,
            );
            if let Kind::Numeric { unit: Some(u), .. } = &q.kind {
                // The field ends with a cell for the cursor: the unit
                // follows it.
                let unit = u.clone();
                match field.last_mut() {
                    Some(last) if last.width() + wrap::width(&unit) <= width => {
                        last.spans.push(Span::raw(unit));
                    }
                    _ => field.push(Line::raw(format!("  {}", unit.trim_start()))),
                }
            }
            cursor = Some((lines.len() + row, col));
            lines.extend(field);
            lines.extend(wrap::hanging(Vec::new(), &state, state_style, 0, width));
            keep_in_view = Some(lines.len() - 1);
        }
    }
    Page {
        lines,
        keep_in_view,
        cursor,
    }
}

/// A footer of `key action · key action …` in lines of at most `width`
/// columns, broken between pairs, never inside one (a pair longer than a
/// line gets a line of its own, cut by the terminal).
pub(super) fn pairs_wrapped(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for pair in text.split(" · ") {
        if line.is_empty() {
            line.push_str(pair);
        } else if wrap::width(&line) + 3 + wrap::width(pair) <= width {
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

/// A choice's lines: the pointer, the mark and the number, then its
/// text, wrapped lines hanging under the text.
fn option_lines(
    pos: usize,
    mark: &str,
    text: &str,
    highlighted: bool,
    theme: Theme,
    width: usize,
) -> Vec<Line<'static>> {
    let pointer = if highlighted { "›" } else { " " };
    let style = if highlighted {
        Style::new().add_modifier(Modifier::REVERSED)
    } else {
        Style::new()
    };
    let label = format!(" {mark} {}. ", pos + 1);
    let hang = 1 + wrap::width(&label);
    let lead = vec![
        Span::styled(pointer.to_string(), theme.title()),
        Span::styled(label, style),
    ];
    wrap::prose(lead, text, style, hang, width)
}

fn notice_text(n: &Notice, s: &Strings) -> String {
    match n {
        Notice::Refused(Refusal::NoGoingBack) => s.refused_back.into(),
        Notice::Refused(Refusal::NoSkipping) => s.refused_skip.into(),
        Notice::Refused(Refusal::AtEdge | Refusal::NoSuchItem) => s.refused_edge.into(),
        Notice::Refused(Refusal::Finished) => s.refused_finished.into(),
        Notice::Refused(Refusal::WrongAnswerKind) | Notice::NotANumber => s.not_a_number.into(),
        Notice::NumberKeysOnly => s.number_keys_only.into(),
        Notice::NoSuchQuestion => s.no_such_question.into(),
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
