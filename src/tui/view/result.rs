//! The result screen.

use super::{Theme, first_line, wrap};
use crate::attempt::SubmitReason;
use crate::attempt::journal::Sink;
use crate::bank::Review;
use crate::present::strings;
use crate::tui::app::App;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

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

pub(super) fn result<S: Sink>(app: &App<'_, S>, theme: Theme, area: Rect, frame: &mut Frame<'_>) {
    let (Some(session), Some(outcome)) = (app.session(), app.result()) else {
        return;
    };
    let attempt = session.attempt();
    let exam = app.exam();
    let s = app.strings();
    let mut lines = Vec::new();
    // The text's width inside the box.
    let width = usize::from(area.width.saturating_sub(2));
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
        strings::percent(outcome.percent, s),
        s.required,
        strings::percent(outcome.threshold, s),
        trim(outcome.earned),
        trim(outcome.max)
    )));
    if let Some(retake) = app.retake() {
        lines.push(Line::styled(retake.to_owned(), theme.warn()));
    }
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
        let title = first_line(&sec.title, name_width);
        // Met or not only where the section has a minimum.
        let (mark, style) = match (sec.min_score, sec.met) {
            (None, _) => (" ", theme.dim()),
            (Some(_), true) => ("✓", theme.fg(Color::Green)),
            (Some(_), false) => ("✗", theme.fg(Color::Red)),
        };
        let min = sec.min_score.map_or(String::new(), |m| {
            format!(" ({} {})", s.section_minimum, strings::percent(m, s))
        });
        lines.push(Line::from(vec![
            Span::raw(format!("{title:<name_width$} ")),
            Span::styled(bar(sec.percent, sec.min_score, bar_width), style),
            Span::raw(format!(
                " {:>7} {mark}{min}",
                strings::percent(sec.percent, s)
            )),
        ]));
    }
    if outcome.sections.iter().any(|x| x.min_score.is_some()) {
        lines.push(Line::styled(s.minimum_mark_legend, theme.dim()));
    }
    if let Some(path) = app.credential() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!("{} {}", s.credential_written, path.display()),
            theme.good(),
        ));
        lines.push(Line::raw(s.credential_purpose));
        for line in app.shared() {
            lines.push(Line::raw(line.clone()));
        }
        if app.demo_issuer() {
            lines.push(Line::styled(s.demo_issuer, theme.warn()));
        }
    }
    lines.push(Line::raw(""));
    let level = app.review();
    if level == Review::ScoreOnly {
        lines.push(Line::styled(s.review_score_only, theme.dim()));
    }
    for item in crate::present::review_items(exam, attempt, outcome, level, s) {
        let mark = if item.right {
            Span::styled("✓", theme.good())
        } else {
            Span::styled("✗", theme.bad())
        };
        // The whole prompt after the number, then the answers, each
        // wrapped under its own text.
        let lead = vec![
            mark,
            Span::styled(
                format!(" {}. ", item.number),
                Style::new().add_modifier(Modifier::BOLD),
            ),
        ];
        let hang = 4 + wrap::width(&item.number.to_string());
        lines.extend(wrap::prose(lead, item.prompt, Style::new(), hang, width));
        let labelled = |label: &str, text: &str, style: Style| {
            let lead = format!("{}{label}{}", " ".repeat(hang), s.colon);
            // Under the text, unless the label takes a third of the
            // line: then a little in from the label.
            let at = match wrap::width(&lead) {
                w if w * 3 > width => hang + 2,
                w => w,
            };
            wrap::prose(vec![Span::styled(lead, style)], text, style, at, width)
        };
        lines.extend(labelled(s.your_answer, &item.answer, Style::new()));
        if let Some(right) = &item.right_answer {
            lines.extend(labelled(s.right_answer, right, Style::new()));
        }
        if let Some(e) = item.explanation {
            lines.extend(labelled(s.explanation, e, theme.dim()));
        }
    }
    let [body, keys] = Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(area);
    let block = Block::bordered().title(Span::styled(
        format!(" {} · {} ", s.result_title, exam.meta.title),
        theme.title(),
    ));
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    // Scrolling stops at the last line: the view tells the app how far
    // the text goes at this width.
    let total = paragraph.line_count(body.width.saturating_sub(2));
    let visible = usize::from(body.height.saturating_sub(2));
    let max = u16::try_from(total.saturating_sub(visible)).unwrap_or(u16::MAX);
    app.note_page_max_scroll(max);
    frame.render_widget(
        paragraph.scroll((app.scroll().min(max), 0)).block(block),
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

    #[test]
    fn long_titles_are_cut_with_an_ellipsis() {
        assert_eq!(first_line("Short", 30), "Short");
        assert_eq!(first_line("Abcdef", 4), "Abc…");
        assert_eq!(first_line("Abcd", 4), "Abcd");
    }
}
