//! Moodle's GIFT format, read the way Moodle's own importer reads it
//! (`question/format/gift/format.php`).
//!
//! A question is a block of lines between blank lines. Whole-line `//`
//! comments are set aside (their `[tag:…]` become tags). The escapes
//! `\~ \= \# \{ \} \: \\ \n` are replaced before anything else is read.
//! Then come an optional `::title::`, an optional format (`[html]`,
//! `[moodle]`, `[plain]`, `[markdown]`; `[moodle]` when none), and the
//! answer block between the first `{` and the first `}`: when words follow
//! it, the text keeps `_____` in its place (a missing-word question). The
//! block's last `####` starts the general feedback. The type is chosen as
//! Moodle chooses it: no braces → description, `{}` → essay, `{#…}` →
//! numerical, a `~` → multiple choice (single answer when a choice starts
//! with `=`), `=` with `->` → matching, `T`/`TRUE`/`F`/`FALSE` →
//! true/false, anything else → short answer.
//!
//! Two departures from Moodle, both reported: question text right after a
//! `$CATEGORY:` line (no blank line between) is read as a question, where
//! Moodle would fold it into the category's name; and a question with a
//! second answer block is skipped, where Moodle would show its braces as text.

mod choice;
mod typed;

use super::html::{self, Newlines, Rendered};
use super::{Draft, DraftKind, Level, Read, Report, explanation, subject};
use choice::{choices, true_false};
use typed::{numerical, short_answer};

/// Escaped characters and the placeholders that stand for them while the
/// structure is read (Unicode noncharacters, which no text should hold).
const PLACEHOLDERS: [(char, char); 7] = [
    (':', '\u{FDD0}'),
    ('#', '\u{FDD1}'),
    ('=', '\u{FDD2}'),
    ('{', '\u{FDD3}'),
    ('}', '\u{FDD4}'),
    ('~', '\u{FDD5}'),
    ('\n', '\u{FDD6}'),
];

/// How close two weights must be to count as equal (0.05 percentage
/// points: Moodle writes a third as `33.33333%`).
const EPS: f64 = 0.0005;

/// Reads a GIFT file.
pub(crate) fn read(source: &str) -> Read {
    let mut read = Read::default();
    let mut category: Option<(String, usize)> = None;
    for block in blocks(source) {
        read_block(&block, &mut category, &mut read);
    }
    read
}

/// One question's lines, escapes replaced, comments set aside.
struct Block {
    /// The non-comment lines, joined with `\n`.
    text: String,
    /// Where each line starts in `text`, with its line number.
    starts: Vec<(usize, usize)>,
    /// The comment lines.
    comments: String,
    first_line: usize,
}

impl Block {
    /// The line of the source where `sub`, a slice of `self.text`, starts.
    fn line_of(&self, sub: &str) -> usize {
        let at = (sub.as_ptr() as usize).wrapping_sub(self.text.as_ptr() as usize);
        if at > self.text.len() {
            return self.first_line;
        }
        match self.starts.binary_search_by_key(&at, |&(offset, _)| offset) {
            Ok(i) => self.starts[i].1,
            Err(0) => self.first_line,
            Err(i) => self.starts[i - 1].1,
        }
    }
}

/// Splits the source into blocks at blank lines, as Moodle does.
fn blocks(source: &str) -> Vec<Block> {
    // Old Mac files end lines with a lone CR.
    let lines: Vec<&str> = if !source.contains('\n') && source.contains('\r') {
        source.split('\r').collect()
    } else {
        source.split('\n').collect()
    };
    let mut out = Vec::new();
    let mut current: Vec<(usize, &str)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let line = php_trim(line);
        if line.is_empty() {
            if !current.is_empty() {
                out.push(block(&current));
                current.clear();
            }
        } else {
            current.push((i + 1, line));
        }
    }
    if !current.is_empty() {
        out.push(block(&current));
    }
    out
}

fn block(lines: &[(usize, &str)]) -> Block {
    let mut b = Block {
        text: String::new(),
        starts: Vec::new(),
        comments: String::new(),
        first_line: lines.first().map_or(0, |l| l.0),
    };
    for &(number, line) in lines {
        if line.starts_with("//") {
            b.comments.push_str(line);
            b.comments.push('\n');
            continue;
        }
        if !b.text.is_empty() {
            b.text.push('\n');
        }
        b.starts.push((b.text.len(), number));
        b.text.push_str(&escape(line));
    }
    if let Some(&(_, first)) = b.starts.first() {
        b.first_line = first;
    }
    b
}

/// Replaces GIFT's escapes with placeholders (`\\` is a plain backslash).
fn escape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if ('\u{FDD0}'..='\u{FDEF}').contains(&c) {
            out.push('\u{FFFD}');
            continue;
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let next = chars.peek().copied();
        let escaped = match next {
            Some('\\') => Some('\\'),
            Some('n') => Some('\u{FDD6}'),
            Some(n) => PLACEHOLDERS
                .iter()
                .find(|(ch, _)| *ch == n && n != '\n')
                .map(|p| p.1),
            None => None,
        };
        match escaped {
            Some(e) => {
                out.push(e);
                chars.next();
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Puts the escaped characters back.
fn unescape(s: &str) -> String {
    s.chars()
        .map(|c| PLACEHOLDERS.iter().find(|p| p.1 == c).map_or(c, |p| p.0))
        .collect()
}

/// PHP's `trim`: spaces, tabs, newlines, NUL and vertical tabs only.
fn php_trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\n', '\r', '\0', '\u{b}'])
}

fn read_block(b: &Block, category: &mut Option<(String, usize)>, read: &mut Read) {
    let mut text = php_trim(&b.text);
    if text.is_empty() {
        return;
    }
    if let Some(rest) = text.strip_prefix("$CATEGORY:") {
        let (name, after) = match rest.split_once('\n') {
            Some((name, after)) => (name, php_trim(after)),
            None => (rest, ""),
        };
        let line = b.line_of(text);
        let name = html::tidy(&unescape(php_trim(name)));
        read.section(Some(name.clone()), line);
        *category = Some((name, line));
        if after.is_empty() {
            return;
        }
        read.report.push(Report::new(
            b.line_of(after),
            Level::Note,
            "no blank line after `$CATEGORY:`: the text that follows is read as a question, \
             where Moodle would make it part of the category's name",
        ));
        text = after;
    }
    let tags = tags_in(&b.comments);
    let (draft, mut reports) = question(b, text, tags);
    read.report.append(&mut reports);
    let (name, line) = match category {
        Some((name, line)) => (Some(name.clone()), *line),
        None => (None, 0),
    };
    let section = read.section(name, line);
    match draft {
        Some(draft) => section.questions.push(draft),
        None => section.skipped += 1,
    }
}

/// Moodle's `[tag:…]` markers in a question's comments (`\]` is a `]`).
fn tags_in(comments: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    let mut rest = comments;
    while let Some(i) = rest.find("[tag:") {
        rest = &rest[i + 5..];
        let mut tag = String::new();
        let mut chars = rest.char_indices();
        let mut end = rest.len();
        while let Some((j, c)) = chars.next() {
            match c {
                '\\' if rest[j + 1..].starts_with(']') => {
                    tag.push(']');
                    chars.next();
                }
                ']' => {
                    end = j + 1;
                    break;
                }
                '\n' => {
                    end = j;
                    tag.clear();
                    break;
                }
                c => tag.push(c),
            }
        }
        rest = &rest[end..];
        let tag = html::tidy(tag.trim());
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

/// The formats GIFT text can declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextFormat {
    Moodle,
    Html,
    Plain,
    Markdown,
}

/// A leading `[format]` tag, and the text after it.
fn format_tag(s: &str, default: TextFormat) -> (TextFormat, &str) {
    let s = php_trim(s);
    if let Some(rest) = s.strip_prefix('[')
        && let Some(end) = rest.find(']')
    {
        let format = match &rest[..end] {
            "moodle" => TextFormat::Moodle,
            "html" => TextFormat::Html,
            "plain" => TextFormat::Plain,
            "markdown" => TextFormat::Markdown,
            _ => return (default, s),
        };
        return (format, &rest[end + 1..]);
    }
    (default, s)
}

/// Renders a piece of GIFT text (its own format tag, else `default`) as
/// plain text for the terminal.
fn render(piece: &str, default: TextFormat) -> Rendered {
    let (format, body) = format_tag(piece, default);
    let body = unescape(body);
    let body = php_trim(&body);
    match format {
        TextFormat::Html => html::to_text(body, Newlines::Space),
        TextFormat::Moodle => html::to_text(body, Newlines::Break),
        TextFormat::Plain | TextFormat::Markdown => Rendered {
            text: html::plain(body),
            media: Vec::new(),
        },
    }
}

/// An answer as typed by a learner (short answer, number): its format tag
/// dropped and escapes put back, but no HTML rendering (Moodle compares
/// these as written).
fn answer_text(piece: &str) -> String {
    let (_, body) = format_tag(piece, TextFormat::Plain);
    html::plain(&unescape(body))
}

/// A leading `%weight%` (Moodle's `/^%\-*([0-9]{1,2})\.?([0-9]*)%/`): the
/// weight as a fraction and the text after it; `None` when there is none.
fn weight(s: &str) -> Result<Option<(f64, &str)>, String> {
    let Some(body) = s.strip_prefix('%') else {
        return Ok(None);
    };
    let Some(end) = body.find('%') else {
        return Ok(None);
    };
    let number = &body[..end];
    let digits = number.trim_start_matches('-');
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let shape = (1..=2).contains(&int.len())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        || int.len() > 2 && int.bytes().all(|b| b.is_ascii_digit()) && !digits.contains('.');
    if !shape {
        return Ok(None);
    }
    match number.parse::<f64>() {
        Ok(w) if w.is_finite() => Ok(Some((w / 100.0, &body[end + 1..]))),
        _ => Err(format!("its weight `%{number}%` is not a number")),
    }
}

/// Splits `text#feedback` at the first `#`.
fn feedback(s: &str) -> (&str, &str) {
    s.split_once('#').unwrap_or((s, ""))
}

/// Splits at every character `marker` maps to `Some(keep)`: the marker is
/// dropped (`false`) or starts the next piece (`true`).
fn split_at_markers(s: &str, marker: impl Fn(char) -> Option<bool>) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if let Some(keep) = marker(c) {
            out.push(&s[start..i]);
            start = if keep { i } else { i + c.len_utf8() };
        }
    }
    out.push(&s[start..]);
    if out.first().is_some_and(|p| php_trim(p).is_empty()) {
        out.remove(0);
    }
    out
}

/// What is built while one question is read.
struct Ctx<'b> {
    block: &'b Block,
    subject: String,
    format: TextFormat,
    media: Vec<String>,
    reports: Vec<Report>,
}

impl Ctx<'_> {
    /// Renders a piece of text in the question's format, noting its media.
    fn rich(&mut self, piece: &str) -> String {
        let r = render(piece, self.format);
        for m in r.media {
            if !self.media.contains(&m) {
                self.media.push(m);
            }
        }
        r.text
    }

    fn report(&mut self, at: &str, level: Level, message: String) {
        self.reports.push(Report::new(
            self.block.line_of(at),
            level,
            format!("question {}: {message}", self.subject),
        ));
    }
}

/// A question's kind with its per-answer feedback, or why it is skipped.
type Built = Result<(DraftKind, Vec<(String, String)>), String>;

/// Reads one question; returns the draft (or `None` when skipped) and what
/// to report.
fn question(b: &Block, mut text: &str, tags: Vec<String>) -> (Option<Draft>, Vec<Report>) {
    let line = b.line_of(text);
    let mut name = None;
    if let Some(after) = text.strip_prefix("::") {
        text = after;
        if let Some(end) = text.find("::") {
            name = Some(html::to_text(&unescape(&text[..end]), Newlines::Space).text)
                .filter(|n| !n.is_empty());
            text = php_trim(&text[end + 2..]);
        }
    }
    let skip = |what: &str, prompt: &str, why: String| {
        let message = format!("{what} {}: {why}", subject(name.as_deref(), prompt));
        (None, vec![Report::new(line, Level::Skipped, message)])
    };
    let (open, close) = (text.find('{'), text.find('}'));
    let (question_text, answer) = match (open, close) {
        (None, None) => (text.to_string(), None),
        (Some(o), Some(c)) if o < c => {
            let (before, after) = (&text[..o], &text[c + 1..]);
            let blank = if text.ends_with('}') { "" } else { "_____" };
            (
                format!("{before}{blank}{after}"),
                Some(php_trim(&text[o + 1..c])),
            )
        }
        _ => {
            let preview_text = unescape(text);
            return skip(
                "question",
                &preview_text,
                "its braces do not pair: a `{` or `}` is missing (write `\\{` and `\\}` for braces in text)".into(),
            );
        }
    };
    let (format, _) = format_tag(&question_text, TextFormat::Moodle);
    let mut ctx = Ctx {
        block: b,
        subject: String::new(),
        format,
        media: Vec::new(),
        reports: Vec::new(),
    };
    let prompt = ctx.rich(&question_text);
    ctx.subject = subject(name.as_deref(), &prompt);
    if question_text.contains(['{', '}']) {
        return skip(
            "question",
            &prompt,
            "it has more than one answer block `{…}`, and a brevet question has one answer \
             (write `\\{` and `\\}` for braces in text)"
                .into(),
        );
    }
    let Some(answer) = answer else {
        return skip(
            "description",
            &prompt,
            "text with no answer, and brevet has no question kind without one".into(),
        );
    };
    let (answer, general) = match answer.rfind("####") {
        Some(i) => (php_trim(&answer[..i]), &answer[i + 4..]),
        None => (answer, ""),
    };
    let general = ctx.rich(general);
    let (what, built) = if answer.is_empty() {
        return skip(
            "essay",
            &prompt,
            "brevet has no essay kind (essays are graded by hand)".into(),
        );
    } else if answer.starts_with('#') {
        ("numerical question", numerical(&mut ctx, answer))
    } else if answer.contains('~') {
        ("multiple-choice question", choices(&mut ctx, answer))
    } else if answer.contains('=') && answer.contains("->") {
        return skip(
            "matching question",
            &prompt,
            "brevet has no matching kind".into(),
        );
    } else {
        let check = match answer.find('#') {
            Some(i) if i > 0 => php_trim(&answer[..i]),
            _ => answer,
        };
        if matches!(check, "T" | "TRUE" | "F" | "FALSE") {
            ("true/false question", Ok(true_false(&mut ctx, answer)))
        } else {
            if matches!(check.to_lowercase().as_str(), "t" | "true" | "f" | "false") {
                ctx.report(
                    answer,
                    Level::Note,
                    format!(
                        "`{{{check}}}` is read as a short answer accepting “{check}”, as Moodle reads it; \
                         a true/false question is written `{{T}}`, `{{TRUE}}`, `{{F}}` or `{{FALSE}}`"
                    ),
                );
            }
            ("short-answer question", short_answer(&mut ctx, answer))
        }
    };
    let (kind, per_answer) = match built {
        Ok(k) => k,
        Err(why) => return skip(what, &prompt, why),
    };
    if !ctx.media.is_empty() {
        let list = ctx.media.join(", ");
        ctx.reports.push(Report::new(
            line,
            Level::Note,
            format!(
                "question {}: it shows {list}, which a terminal cannot display; \
                 its text says `[image: …]` in its place",
                ctx.subject
            ),
        ));
    }
    let draft = Draft {
        line,
        name,
        prompt,
        explanation: explanation(&general, &per_answer),
        tags,
        kind,
    };
    (Some(draft), ctx.reports)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_become_characters_again() {
        let e = escape(r"a\:b\#c\=d\{e\}f\~g\\h\ni\*j\");
        assert!(!e.contains([':', '#', '=', '{', '}', '~']), "{e}");
        assert_eq!(unescape(&e), "a:b#c=d{e}f~g\\h\ni\\*j\\");
        assert_eq!(unescape(&escape(r"\\:")), "\\:");
        assert_eq!(escape("\u{FDD0}"), "\u{FFFD}");
    }

    #[test]
    fn weights_follow_moodles_pattern() {
        assert_eq!(weight("%50%x"), Ok(Some((0.5, "x"))));
        assert_eq!(weight("%-25%x"), Ok(Some((-0.25, "x"))));
        assert_eq!(weight("%33.5%x"), Ok(Some((0.335, "x"))));
        assert_eq!(weight("%100%x"), Ok(Some((1.0, "x"))));
        assert_eq!(weight("%abc%x"), Ok(None));
        assert_eq!(weight("%.5%x"), Ok(None));
        assert_eq!(weight("x"), Ok(None));
        assert!(weight("%--5%x").is_err());
    }

    #[test]
    fn tags_come_from_comments() {
        assert_eq!(
            tags_in("// [id:432] [tag:Advanced] [tag:ad]\n// [tag:with \\] bracket]\n"),
            vec!["Advanced".to_string(), "ad".into(), "with ] bracket".into()]
        );
    }
}
