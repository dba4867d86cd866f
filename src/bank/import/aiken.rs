//! The Aiken format, read the way Moodle's own importer reads it
//! (`question/format/aiken/format.php`).
//!
//! Each line, trimmed, is one of three things. A capital letter followed by
//! `)` or `.` starts a choice (the space after it is optional, as in
//! Moodle: `A)Text` is a choice). A line starting `ANSWER:` ends the
//! question, its first letter naming the right choice. Anything else starts
//! a new question. Lines shorter than two characters are skipped. Moodle's
//! error cases are each reported with their line, and the good questions
//! around them are still imported: a question with fewer than two choices,
//! a choice or `ANSWER:` line before any question, a question that never
//! gets its `ANSWER:` line.
//!
//! Aiken text is plain text: Moodle escapes it rather than reading HTML.

use super::html;
use super::{Draft, DraftChoice, DraftKind, Level, Read, Report, preview, subject};

/// A question whose `ANSWER:` line has not come yet.
struct Open {
    line: usize,
    prompt: String,
    choices: Vec<String>,
}

/// Reads an Aiken file.
pub(crate) fn read(source: &str) -> Read {
    let mut read = Read::default();
    read.section(None, 0);
    let lines: Vec<&str> = if !source.contains('\n') && source.contains('\r') {
        source.split('\r').collect()
    } else {
        source.split('\n').collect()
    };
    let mut open: Option<Open> = None;
    for (i, raw) in lines.iter().enumerate() {
        let number = i + 1;
        let line = raw.trim_matches([' ', '\t', '\n', '\r', '\0', '\u{b}']);
        if line.len() < 2 {
            continue;
        }
        let bytes = line.as_bytes();
        if bytes[0].is_ascii_uppercase() && matches!(bytes[1], b')' | b'.') {
            choice(&mut read, open.as_mut(), number, line);
        } else if let Some(rest) = line.strip_prefix("ANSWER:") {
            match open.take() {
                Some(q) => answer(&mut read, q, number, rest),
                None => read.report.push(Report::new(
                    number,
                    Level::Ignored,
                    format!("`{}` comes before any question", preview(line, 40)),
                )),
            }
        } else {
            if let Some(q) = open.take() {
                let hint = hint(line);
                read.report.push(Report::new(
                    q.line,
                    Level::Skipped,
                    format!(
                        "question {}: it has no `ANSWER:` line before the next question starts \
                         on line {number}{hint}",
                        subject(None, &q.prompt)
                    ),
                ));
            }
            open = Some(Open {
                line: number,
                prompt: html::plain(line),
                choices: Vec::new(),
            });
        }
    }
    if let Some(q) = open {
        read.report.push(Report::new(
            q.line,
            Level::Skipped,
            format!(
                "question {}: the file ends before its `ANSWER:` line",
                subject(None, &q.prompt)
            ),
        ));
    }
    read
}

fn choice(read: &mut Read, open: Option<&mut Open>, number: usize, line: &str) {
    let Some(q) = open else {
        read.report.push(Report::new(
            number,
            Level::Ignored,
            format!("choice `{}` comes before any question", preview(line, 40)),
        ));
        return;
    };
    let after = &line[2..];
    if !after.starts_with([' ', '\t']) && !after.is_empty() {
        read.report.push(Report::new(
            number,
            Level::Note,
            format!(
                "choice `{}` has no space after `{}`; it is read as a choice, as Moodle reads it",
                preview(line, 40),
                &line[..2]
            ),
        ));
    }
    q.choices.push(html::plain(after));
}

fn answer(read: &mut Read, q: Open, number: usize, rest: &str) {
    let rest = rest.trim_matches([' ', '\t', '\n', '\r', '\0', '\u{b}']);
    let who = subject(None, &q.prompt);
    if q.choices.len() < 2 {
        read.report.push(Report::new(
            q.line,
            Level::Skipped,
            format!(
                "question {who}: it has {} choice before its `ANSWER:` line (line {number}), \
                 and a question needs at least two",
                q.choices.len()
            ),
        ));
        return;
    }
    let letter = rest.chars().next();
    let index = letter
        .filter(char::is_ascii_uppercase)
        .map(|c| (c as usize) - ('A' as usize))
        .filter(|&i| i < q.choices.len());
    let Some(index) = index else {
        let last = char::from(b'A' + u8::try_from(q.choices.len().min(26) - 1).unwrap_or(25));
        let why = match letter {
            None => "names no letter".to_string(),
            Some(c) if c.is_ascii_lowercase() => {
                format!("names `{c}`, and Aiken letters are capitals")
            }
            Some(c) => format!("names `{c}`, which is not one of its choices A to {last}"),
        };
        read.report.push(Report::new(
            q.line,
            Level::Skipped,
            format!("question {who}: its `ANSWER:` line (line {number}) {why}"),
        ));
        return;
    };
    let extra = rest[1..].trim();
    if !extra.is_empty() {
        read.report.push(Report::new(
            number,
            Level::Note,
            format!(
                "question {who}: `ANSWER: {rest}` — Moodle reads only the first letter, so {} is \
                 the right choice",
                &rest[..1]
            ),
        ));
    }
    let draft = Draft {
        line: q.line,
        name: None,
        prompt: q.prompt,
        explanation: None,
        tags: Vec::new(),
        kind: DraftKind::Single(
            q.choices
                .into_iter()
                .enumerate()
                .map(|(i, text)| DraftChoice {
                    text,
                    correct: i == index,
                })
                .collect(),
        ),
    };
    read.section(None, 0).questions.push(draft);
}

/// Why a line meant as a choice or an answer was read as a new question.
fn hint(line: &str) -> String {
    let mut chars = line.chars();
    let (first, second) = (chars.next(), chars.next());
    if line
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("answer:"))
    {
        format!(
            " (`{}` is read as a question: write `ANSWER:` in capitals)",
            preview(line, 20)
        )
    } else if first.is_some_and(|c| c.is_ascii_lowercase()) && matches!(second, Some(')' | '.')) {
        format!(
            " (`{}` is read as a question: choice letters are capitals)",
            preview(line, 20)
        )
    } else {
        String::new()
    }
}
