//! Lines wrapped by the view itself, so that wrapped lines keep their
//! indentation (a choice's text hangs under its first word, "Why:" under
//! its text) and so that the view knows exactly where each line lands.

use crate::present::prose;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Width of `text` in terminal columns.
pub(super) fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `text` in lines of at most `width` columns: `lead` starts the first
/// line, and the lines after it start with `hang` spaces. Words stay
/// whole unless one alone is wider than a line; spaces inside a line are
/// kept as written.
pub(super) fn hanging(
    lead: Vec<Span<'static>>,
    text: &str,
    style: Style,
    hang: usize,
    width: usize,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut spans = lead;
    let mut used: usize = spans.iter().map(|s| s.width()).sum();
    let mut line = String::new();
    let flush =
        |spans: &mut Vec<Span<'static>>, line: &mut String, lines: &mut Vec<Line<'static>>| {
            let text = std::mem::take(line);
            let text = text.trim_end();
            if !text.is_empty() {
                spans.push(Span::styled(text.to_owned(), style));
            }
            lines.push(Line::from(std::mem::take(spans)));
        };
    for word in words(text) {
        let bare = word.trim_end_matches(' ');
        if used + self::width(bare) > width && !(line.is_empty() && used <= hang) {
            flush(&mut spans, &mut line, &mut lines);
            spans.push(Span::raw(" ".repeat(hang)));
            used = hang;
        }
        if used + self::width(bare) > width {
            // Wider than a whole line: cut it where the line ends.
            for c in bare.chars() {
                let w = c.width().unwrap_or(0);
                if used + w > width && used > hang {
                    flush(&mut spans, &mut line, &mut lines);
                    spans.push(Span::raw(" ".repeat(hang)));
                    used = hang;
                }
                line.push(c);
                used += w;
            }
            line.push_str(&word[bare.len()..]);
            used += word.len() - bare.len();
        } else {
            line.push_str(word);
            used += self::width(word);
        }
    }
    flush(&mut spans, &mut line, &mut lines);
    lines
}

/// Bank text (a prompt, a choice, an explanation) as lines of at most
/// `width` columns: paragraphs joined and wrapped (see
/// [`prose::paragraphs`]), the first after `lead`, every line after it
/// indented by `indent` columns more than its paragraph's own lead.
pub(super) fn prose(
    lead: Vec<Span<'static>>,
    text: &str,
    style: Style,
    indent: usize,
    width: usize,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut lead = Some(lead);
    for p in prose::paragraphs(text) {
        if p.after_blank {
            lines.push(Line::raw(""));
        }
        let mut first = lead
            .take()
            .unwrap_or_else(|| vec![Span::raw(" ".repeat(indent))]);
        let hang = indent + self::width(&p.lead);
        if !p.lead.is_empty() {
            first.push(Span::styled(p.lead.clone(), style));
        }
        lines.extend(hanging(first, &p.text, style, hang, width));
    }
    if let Some(lead) = lead {
        lines.push(Line::from(lead));
    }
    lines
}

/// A typed answer's field, cut into lines of `width` columns by
/// characters (what is typed is not prose), the lines after the first
/// indented by `hang`; and the line and column of the character at
/// `cursor` (a character index).
pub(super) fn field(
    lead: &str,
    text: &str,
    cursor: usize,
    style: Style,
    hang: usize,
    width: usize,
) -> (Vec<Line<'static>>, (usize, usize)) {
    let mut lines = Vec::new();
    let mut spans = vec![Span::raw(lead.to_owned())];
    let mut used = self::width(lead);
    let mut chunk = String::new();
    let mut at = (0, used);
    // One column more for the cursor after the last character.
    for (i, c) in text.chars().chain(std::iter::once(' ')).enumerate() {
        let w = c.width().unwrap_or(0);
        if used + w > width && used > hang {
            spans.push(Span::styled(std::mem::take(&mut chunk), style));
            lines.push(Line::from(std::mem::take(&mut spans)));
            spans.push(Span::raw(" ".repeat(hang)));
            used = hang;
        }
        if i == cursor {
            at = (lines.len(), used);
        }
        chunk.push(c);
        used += w;
    }
    spans.push(Span::styled(chunk, style));
    lines.push(Line::from(spans));
    (lines, at)
}

/// The words of `text`, each with the spaces that follow it.
fn words(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let word_end = rest.find(' ').unwrap_or(rest.len());
        let spaces = rest[word_end..].len() - rest[word_end..].trim_start_matches(' ').len();
        let (word, after) = rest.split_at(word_end + spaces);
        rest = after;
        Some(word)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn wrapped_lines_hang_under_the_text() {
        let lines = hanging(
            vec![Span::raw("  ( ) 1. ")],
            "Ne pas cliquer et signaler le message au service informatique",
            Style::new(),
            9,
            30,
        );
        assert_eq!(
            plain(&lines),
            [
                "  ( ) 1. Ne pas cliquer et",
                "         signaler le message",
                "         au service",
                "         informatique",
            ]
        );
        assert!(lines.iter().all(|l| l.width() <= 30));
    }

    #[test]
    fn a_word_wider_than_a_line_is_cut_and_spaces_inside_are_kept() {
        let lines = hanging(
            vec![Span::raw("> ")],
            "a  https://example.org/very/long",
            Style::new(),
            2,
            12,
        );
        assert_eq!(
            plain(&lines),
            ["> a", "  https://ex", "  ample.org/", "  very/long"]
        );
        let lines = hanging(vec![], "x  =  1", Style::new(), 0, 20);
        assert_eq!(plain(&lines), ["x  =  1"]);
        // Nothing to wrap: the lead alone.
        assert_eq!(
            plain(&hanging(vec![Span::raw("1. ")], "", Style::new(), 3, 20)),
            ["1. "]
        );
    }

    #[test]
    fn wide_characters_count_twice() {
        let lines = hanging(vec![], "日本語 日本語", Style::new(), 0, 7);
        assert_eq!(plain(&lines), ["日本語", "日本語"]);
    }

    #[test]
    fn prose_joins_what_the_author_wrapped_and_keeps_paragraphs() {
        let lines = prose(
            vec![Span::raw("✗ 3. ")],
            "Which of these\nare signs?\n\n- urgency and\n  threats\n- a domain",
            Style::new(),
            5,
            24,
        );
        assert_eq!(
            plain(&lines),
            [
                "✗ 3. Which of these are",
                "     signs?",
                "",
                "     - urgency and",
                "       threats",
                "     - a domain",
            ]
        );
    }

    #[test]
    fn the_field_wraps_by_characters_and_places_the_cursor() {
        let (lines, at) = field("> ", "abcdefgh", 8, Style::new(), 2, 6);
        assert_eq!(plain(&lines), ["> abcd", "  efgh", "   "]);
        assert_eq!(at, (2, 2));
        let (lines, at) = field("> ", "abc", 1, Style::new(), 2, 20);
        assert_eq!(plain(&lines), ["> abc "]);
        assert_eq!(at, (0, 3));
    }
}
