//! The TOML writer for imported banks: readable strings, exact escaping.
//!
//! An imported bank is read and finished by a person, so it is written by
//! hand rather than serialised: keys in the order of the format's
//! documentation, long text as multi-line strings, LaTeX and paths as
//! literal strings where that needs no escape, and `# TODO:` comments on
//! everything the source could not say (the exam's metadata).

use super::{DraftKind, Format, Placed, PlacedSection, Report};
use crate::bank::{NumericAnswer, duration};
use std::fmt::Write as _;
use std::time::Duration;

/// Everything the writer needs to lay out one bank.
pub(crate) struct Plan<'a> {
    pub source_name: &'a str,
    pub format: Format,
    pub exam_id: String,
    pub title: String,
    /// The guessed language; `None` writes `en` as a placeholder.
    pub language: Option<&'static str>,
    pub time_limit: Duration,
    /// Questions found in the source, converted or not.
    pub found: usize,
    pub sections: &'a [PlacedSection],
    pub questions: &'a [Placed<'a>],
    /// The questions not converted, listed at the end.
    pub skipped: &'a [&'a Report],
}

/// Strings longer than this are written as multi-line strings.
const LONG: usize = 88;

/// A TOML string value for `s`, in its most readable exact form: a
/// multi-line string when the text is long or holds newlines, a literal
/// string when that spares escaping backslashes.
pub fn string(s: &str) -> String {
    let multiline = s.contains('\n') || s.chars().count() > LONG;
    match (multiline, s.contains('\\') && literal_ok(s, multiline)) {
        (false, true) => format!("'{s}'"),
        (false, false) => basic(s),
        (true, true) => format!("'''\n{s}'''"),
        (true, false) => multiline_basic(s),
    }
}

/// A one-line basic string (`"…"`), every special character escaped.
pub fn basic(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => escape(&mut out, c),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A multi-line basic string (`"""…"""`): newlines and tabs as they are,
/// a quote escaped where it would close the string.
fn multiline_basic(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let trailing_quotes = chars.iter().rev().take_while(|&&c| c == '"').count();
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str("\"\"\"\n");
    let mut run = 0;
    for (i, &c) in chars.iter().enumerate() {
        if c == '"' {
            if run == 2 || i >= chars.len() - trailing_quotes {
                out.push_str("\\\"");
                run = 0;
            } else {
                out.push('"');
                run += 1;
            }
            continue;
        }
        run = 0;
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' | '\t' => out.push(c),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => escape(&mut out, c),
            c => out.push(c),
        }
    }
    out.push_str("\"\"\"");
    out
}

/// Whether `s` can be written as a literal string, which has no escapes.
fn literal_ok(s: &str, multiline: bool) -> bool {
    let chars_ok = s
        .chars()
        .all(|c| c == '\t' || (multiline && c == '\n') || !c.is_control());
    chars_ok
        && if multiline {
            !s.contains("'''") && !s.ends_with('\'')
        } else {
            !s.contains('\'')
        }
}

fn escape(out: &mut String, c: char) {
    let _ = write!(out, "\\u{:04X}", u32::from(c));
}

/// A TOML number for a finite `v`: an integer when it is one.
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        #[allow(clippy::cast_possible_truncation)]
        let i = v as i64;
        format!("{i}")
    } else {
        format!("{v:?}")
    }
}

/// Text made safe for a one-line comment: no control characters, no newlines.
pub fn comment(s: &str) -> String {
    let flat: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    super::preview(&flat, 100)
}

/// Writes `text` as a `# - ` list item, wrapped at about 88 columns.
fn wrapped_comment(o: &mut String, text: &str) {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut line = String::from("# -");
    for word in flat.split_whitespace() {
        if line.chars().count() + 1 + word.chars().count() > 88 && line.len() > 4 {
            o.push_str(&line);
            o.push('\n');
            line = String::from("#  ");
        }
        line.push(' ');
        line.push_str(word);
    }
    o.push_str(&line);
    o.push('\n');
}

/// Writes the whole bank.
pub(crate) fn render(plan: &Plan<'_>) -> String {
    let mut o = String::new();
    header(&mut o, plan);
    exam(&mut o, plan);
    rules(&mut o, plan);
    sections(&mut o, plan);
    for q in plan.questions {
        question(&mut o, q);
    }
    if !plan.skipped.is_empty() {
        o.push_str("\n# Not converted (the import report gives the same list):\n");
        for r in plan.skipped {
            wrapped_comment(&mut o, &format!("line {}: {}", r.line, r.message));
        }
    }
    o
}

fn header(o: &mut String, plan: &Plan<'_>) {
    let n = plan.questions.len();
    let _ = writeln!(
        o,
        "# Imported by `brevet import` from the {} file `{}`.",
        plan.format,
        comment(plan.source_name)
    );
    if plan.found == n {
        let _ = writeln!(o, "# All {n} questions found were converted.");
    } else {
        let _ = writeln!(
            o,
            "# {n} of the {} questions found were converted; the others are listed at\n# the end of this file, with why.",
            plan.found
        );
    }
    o.push_str("# Complete every line marked TODO, then run `brevet check` on this file.\n\n");
}

fn exam(o: &mut String, plan: &Plan<'_>) {
    o.push_str("[exam]\n");
    o.push_str("# TODO: a stable id for this exam: letters, digits, `-`, `_` and `.`.\n");
    let _ = writeln!(o, "id = {}", basic(&plan.exam_id));
    o.push_str("version = \"1.0.0\"\n");
    o.push_str("# TODO: the exam's real title.\n");
    let _ = writeln!(o, "title = {}", string(&plan.title));
    match plan.language {
        Some(lang) => {
            o.push_str("# TODO: check the language (guessed from the questions' words).\n");
            let _ = writeln!(o, "language = {}", basic(lang));
        }
        None => {
            o.push_str("# TODO: the questions' language (it could not be guessed; \"en\" is a placeholder).\n");
            o.push_str("language = \"en\"\n");
        }
    }
    o.push_str("# TODO: what the exam covers.\n");
    let description = format!(
        "Questions imported from {} ({}).",
        comment(plan.source_name),
        plan.format
    );
    let _ = writeln!(o, "description = {}", string(&description));
    o.push_str("# TODO: what a learner who passes can do: 3 to 6 outcomes (\"Identify ...\").\n");
    o.push_str("learning_outcomes = [\"TODO: what a learner who passes can do\"]\n");
    o.push_str("# TODO: the notional learning workload, in hours.\n");
    o.push_str("workload_hours = 1\n\n");
}

fn rules(o: &mut String, plan: &Plan<'_>) {
    let asked: usize = plan.sections.iter().map(|s| s.draw).sum();
    o.push_str("[rules]\n");
    let _ = writeln!(
        o,
        "# TODO: check the time: 1.5 minutes per question asked ({asked} questions)."
    );
    let _ = writeln!(
        o,
        "time_limit = {}",
        basic(&duration::format(plan.time_limit))
    );
    o.push_str("# TODO: the percentage of the points needed to pass.\n");
    o.push_str("mastery_threshold = 70\n");
    o.push_str("navigation = \"free\"\n");
    o.push_str("review = \"full\"\n");
    o.push_str(
        "# Multiple-response questions give credit per right choice, as Moodle's weights do.\n",
    );
    o.push_str("scoring = \"partial\"\n");
}

fn sections(o: &mut String, plan: &Plan<'_>) {
    let from = match plan.format {
        Format::Gift => "GIFT category",
        Format::Aiken => "file",
    };
    let _ = write!(
        o,
        "\n# One section per {from}. Each draws its whole pool, so every question is asked.\n\
         # TODO: lower `draw` where a pool is big enough for attempts to differ.\n"
    );
    for s in plan.sections {
        o.push_str("\n[[sections]]\n");
        match &s.origin {
            Some((name, line)) => {
                let _ = writeln!(o, "# From `$CATEGORY: {}` (line {line}).", comment(name));
            }
            None => o.push_str("# TODO: name this section after the competence it assesses.\n"),
        }
        let _ = writeln!(o, "id = {}", basic(&s.id));
        let _ = writeln!(o, "title = {}", string(&s.title));
        let _ = writeln!(o, "draw = {}", s.draw);
    }
}

fn question(o: &mut String, q: &Placed<'_>) {
    let d = q.draft;
    o.push_str("\n[[questions]]\n");
    match &d.name {
        Some(name) if !name.trim().is_empty() => {
            let _ = writeln!(o, "# Line {}: “{}”.", d.line, comment(name));
        }
        _ => {
            let _ = writeln!(o, "# Line {}.", d.line);
        }
    }
    let _ = writeln!(o, "id = {}", basic(&q.id));
    let _ = writeln!(o, "section = {}", basic(&q.section));
    let kind = match &d.kind {
        DraftKind::Single(_) => "single",
        DraftKind::Multiple(_) => "multiple",
        DraftKind::TrueFalse(_) => "true-false",
        DraftKind::Text(_) => "text",
        DraftKind::Numeric(_) => "numeric",
    };
    let _ = writeln!(o, "kind = {}", basic(kind));
    let _ = writeln!(o, "prompt = {}", string(&d.prompt));
    match &d.kind {
        DraftKind::TrueFalse(answer) => {
            let _ = writeln!(o, "answer = {answer}");
        }
        DraftKind::Text(accepted) => {
            let list: Vec<String> = accepted.iter().map(|a| basic(a)).collect();
            let _ = writeln!(o, "accepted = [{}]", list.join(", "));
            o.push_str("ignore = [\"case\", \"whitespace\"]\n");
        }
        DraftKind::Numeric(NumericAnswer::Tolerance { value, tolerance }) => {
            let _ = writeln!(o, "answer = {}", number(*value));
            if *tolerance != 0.0 {
                let _ = writeln!(o, "tolerance = {}", number(*tolerance));
            }
        }
        DraftKind::Numeric(NumericAnswer::Range { min, max }) => {
            let _ = writeln!(o, "min = {}", number(*min));
            let _ = writeln!(o, "max = {}", number(*max));
        }
        DraftKind::Single(_) | DraftKind::Multiple(_) => {}
    }
    if let Some(e) = &d.explanation {
        let _ = writeln!(o, "explanation = {}", string(e));
    }
    if !d.tags.is_empty() {
        let tags: Vec<String> = d.tags.iter().map(|t| basic(t)).collect();
        let _ = writeln!(o, "tags = [{}]", tags.join(", "));
    }
    if let DraftKind::Single(choices) | DraftKind::Multiple(choices) = &d.kind {
        for c in choices {
            o.push_str("\n  [[questions.choices]]\n");
            let _ = writeln!(o, "  text = {}", string(&c.text));
            if c.correct {
                o.push_str("  correct = true\n");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `value = <written>` and returns the string read back.
    fn round_trip(written: &str) -> String {
        let doc = format!("value = {written}\n");
        let table: toml::Table = toml::from_str(&doc).unwrap_or_else(|e| panic!("{doc}\n{e}"));
        table["value"].as_str().unwrap().to_string()
    }

    #[test]
    fn strings_round_trip_exactly() {
        for s in [
            "plain",
            "say \"hi\"",
            "ends with a quote\"",
            "three \"\"\" quotes and four \"\"\"\" and more \"\"\"\"\"\"",
            "\"\"",
            "back\\slash \\frac{1}{2}",
            "it's \\LaTeX",
            "tab\tand control \u{1}\u{7f}\u{1b}[2J and \r carriage",
            "line one\nline two\n\nline four",
            "a long text that goes on and on well past the eighty-eight character mark of the writer, and on",
            "multi-line with a backslash \\ and a quote ' at the end'",
            "multi-line literal with backslashes \\n \\t and newlines\nhere",
            "\nleading newline",
            "trailing newline\n",
            "''' triple single quotes \\ and\nnewline",
            "",
        ] {
            assert_eq!(
                round_trip(&string(s)),
                s,
                "{s:?} was written as {}",
                string(s)
            );
            assert_eq!(round_trip(&basic(s)), s);
        }
    }

    #[test]
    fn long_text_uses_multiline_strings_and_latex_literals() {
        assert!(string("a\nb").starts_with("\"\"\"\n"));
        assert_eq!(string("$$\\frac{1}{2}$$"), "'$$\\frac{1}{2}$$'");
        assert_eq!(string("short"), "\"short\"");
    }

    #[test]
    fn numbers_are_valid_toml() {
        for (v, text) in [
            (1822.0, "1822"),
            (-7.0, "-7"),
            (3.25, "3.25"),
            (0.0005, "0.0005"),
            (1e300, "1e300"),
            (1e-9, "1e-9"),
        ] {
            assert_eq!(number(v), text);
            let table: toml::Table = toml::from_str(&format!("v = {}", number(v))).unwrap();
            let back = table["v"]
                .as_float()
                .or_else(|| table["v"].as_integer().map(|i| i as f64));
            assert_eq!(back, Some(v));
        }
    }

    #[test]
    fn comments_stay_on_one_line() {
        assert_eq!(comment("a\nb\u{1b}c"), "a b c");
    }
}
