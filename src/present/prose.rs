//! Bank text (prompts, choices, explanations) as paragraphs.
//!
//! Authors wrap long strings in their TOML files at whatever width their
//! editor has; a screen wraps at its own. So lines next to each other are
//! one paragraph, joined again with a space, and the screen wraps them,
//! while what an author laid out on purpose keeps its shape:
//!
//! - a blank line starts a new paragraph, with a blank line before it;
//! - a line that starts with a list marker (`- `, `* `, `• `, `1. `,
//!   `1) `) starts a new paragraph whose wrapped lines hang under the
//!   item's text; the lines after it that are not indented, or indented
//!   as far as the item's text, continue the item;
//! - a line that starts with spaces is a paragraph of its own (code, a
//!   table, an address), wrapped lines hanging at its indentation.

/// One paragraph of bank text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// What starts the paragraph's first line: its indentation and list
    /// marker, if any (`"  "`, `"- "`, `"2. "`). Wrapped lines hang at its
    /// width.
    pub lead: String,
    /// The paragraph's words, its lines joined by one space.
    pub text: String,
    /// Whether a blank line separates it from the paragraph before.
    pub after_blank: bool,
}

/// The paragraphs of `text`, in order; none for a blank text.
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    // Whether the last paragraph takes the next line without a marker,
    // and at which indentation besides none (a list item's text).
    let mut open: Option<usize> = None;
    let mut blank = false;
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank = !out.is_empty();
            open = None;
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let rest = &line[indent..];
        let marker = list_marker(rest);
        if marker.is_none() && open.is_some_and(|hang| indent == 0 || indent == hang) {
            if let Some(last) = out.last_mut() {
                last.text.push(' ');
                last.text.push_str(rest);
            }
            continue;
        }
        let (lead, text): (String, &str) = match marker {
            Some(m) => (line[..indent + m].to_owned(), rest[m..].trim_start()),
            None => (line[..indent].to_owned(), rest),
        };
        // An indented line keeps its own line; a list item or a plain
        // line takes the lines after it.
        open = (indent == 0).then(|| lead.chars().count());
        out.push(Paragraph {
            lead,
            text: text.to_owned(),
            after_blank: blank,
        });
        blank = false;
    }
    out
}

/// The length in bytes of the list marker at the start of `line`, with
/// the spaces after it, if it starts with one.
fn list_marker(line: &str) -> Option<usize> {
    let spaces_after = |from: usize| {
        let rest = &line[from..];
        let n = rest.len() - rest.trim_start_matches(' ').len();
        // A marker is followed by a space and then by text.
        (n > 0 && n < rest.len()).then_some(from + n)
    };
    let first = line.chars().next()?;
    if matches!(first, '-' | '*' | '•' | '–') {
        return spaces_after(first.len_utf8());
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) && matches!(line.as_bytes().get(digits), Some(b'.' | b')')) {
        return spaces_after(digits + 1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lead: &str, text: &str, after_blank: bool) -> Paragraph {
        Paragraph {
            lead: lead.into(),
            text: text.into(),
            after_blank,
        }
    }

    #[test]
    fn lines_an_author_wrapped_are_one_paragraph() {
        assert_eq!(
            paragraphs("Vous recevez un e-mail\nsigné « Service » :\nque faire ?"),
            [p(
                "",
                "Vous recevez un e-mail signé « Service » : que faire ?",
                false
            )]
        );
        assert_eq!(paragraphs("   \n\n"), []);
        assert_eq!(paragraphs("One line."), [p("", "One line.", false)]);
    }

    #[test]
    fn a_blank_line_starts_a_paragraph_after_a_gap() {
        assert_eq!(
            paragraphs("First\nparagraph.\n\nSecond\none.\n"),
            [p("", "First paragraph.", false), p("", "Second one.", true)]
        );
        // Blank lines at the start do not make a gap.
        assert_eq!(paragraphs("\n\nText"), [p("", "Text", false)]);
    }

    #[test]
    fn list_items_hang_and_take_their_continuations() {
        assert_eq!(
            paragraphs("Which?\n- a long\n  item\n- b\ncontinued\n2) c\n10. d\n      code"),
            [
                p("", "Which?", false),
                p("- ", "a long item", false),
                p("- ", "b continued", false),
                p("2) ", "c", false),
                p("10. ", "d", false),
                p("      ", "code", false),
            ]
        );
        // Not markers: a number without a space, a dash inside a word.
        assert_eq!(paragraphs("3.5 MB\n-x"), [p("", "3.5 MB -x", false)]);
        assert_eq!(paragraphs("-"), [p("", "-", false)]);
    }

    #[test]
    fn indented_lines_keep_their_own_lines() {
        assert_eq!(
            paragraphs("Run:\n    cargo test\n    cargo run\nThen look."),
            [
                p("", "Run:", false),
                p("    ", "cargo test", false),
                p("    ", "cargo run", false),
                p("", "Then look.", false),
            ]
        );
    }
}
