//! TOML text to raw bank types, reporting every structural problem.
//!
//! serde stops at the first error of a value, so each top-level table and
//! each `[[sections]]` / `[[questions]]` entry is deserialized on its own:
//! one broken question does not hide the problems of the next one.

use super::diagnostic::Diagnostic;
use super::raw::{RawMeta, RawQuestion, RawRules, RawSection};
use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

mod chunks;

/// Everything the file holds, as far as it could be read.
#[derive(Debug, Default)]
pub struct RawBank {
    pub exam: Option<RawMeta>,
    pub rules: Option<RawRules>,
    /// Sections that deserialized, with the span of their table.
    pub sections: Vec<(RawSection, Range<usize>)>,
    /// Questions that deserialized, with the span of their table.
    pub questions: Vec<(RawQuestion, Range<usize>)>,
    /// Whether every part deserialized: only then are cross-references
    /// (unknown section, pool sizes) worth checking.
    pub complete: bool,
}

const TOP_LEVEL: &[&str] = &["exam", "rules", "sections", "questions"];

/// Parses `source` into raw types; `None` when the TOML itself is broken.
///
/// A bank laid out as the format describes is read one top-level table at a
/// time (see `chunks`), which keeps memory small; anything else, including
/// every broken file, is read whole, so that its diagnostics are the ones the
/// TOML parser gives for the whole document.
pub fn parse(source: &str, out: &mut Vec<Diagnostic>) -> Option<RawBank> {
    if source.trim().is_empty() {
        out.push(
            Diagnostic::error("empty-bank", "the bank is empty", 0..0)
                .help("a bank starts with an `[exam]` table; see docs/exam-format.md"),
        );
        return None;
    }
    if let Some(bank) = chunks::parse(source, out) {
        return Some(bank);
    }
    parse_whole(source, out)
}

/// Parses `source` as one TOML document.
fn parse_whole(source: &str, out: &mut Vec<Diagnostic>) -> Option<RawBank> {
    let (root, errors) = DeTable::parse_recoverable(source);
    if !errors.is_empty() {
        for e in errors {
            let span = e.span().unwrap_or(0..0);
            out.push(
                Diagnostic::error(
                    "toml-syntax",
                    format!("invalid TOML: {}", e.message()),
                    span,
                )
                .label("here"),
            );
        }
        return None;
    }
    let mut bank = RawBank {
        complete: true,
        ..RawBank::default()
    };
    let mut seen = [false; 4];
    for (key, value) in root.into_inner() {
        let key_span = key.span();
        match key.get_ref().as_ref() {
            "exam" => {
                seen[0] = true;
                bank.exam = one(source, value, "exam", out);
            }
            "rules" => {
                seen[1] = true;
                bank.rules = one(source, value, "rules", out);
            }
            "sections" => {
                seen[2] = true;
                bank.sections = many(source, value, "sections", out);
            }
            "questions" => {
                seen[3] = true;
                bank.questions = many(source, value, "questions", out);
            }
            other => out.push(
                Diagnostic::error(
                    "unknown-field",
                    format!("unknown top-level table `{other}`"),
                    key_span,
                )
                .label("not part of a bank")
                .help(format!("a bank holds {}", list(TOP_LEVEL))),
            ),
        }
    }
    Some(finish(source, bank, seen, out))
}

/// Reports the top-level tables not `seen` and says whether the bank is complete.
fn finish(source: &str, mut bank: RawBank, seen: [bool; 4], out: &mut Vec<Diagnostic>) -> RawBank {
    let end = source.len();
    for (name, seen) in TOP_LEVEL.iter().zip(seen) {
        if !seen {
            let table = if *name == "sections" || *name == "questions" {
                format!("[[{name}]]")
            } else {
                format!("[{name}]")
            };
            out.push(
                Diagnostic::error(
                    "missing-field",
                    format!("the bank has no `{table}` table"),
                    end..end,
                )
                .label(format!("expected `{table}` before the end of the file"))
                .help("see the complete example in docs/exam-format.md"),
            );
        }
    }
    bank.complete =
        bank.exam.is_some() && bank.rules.is_some() && !out.iter().any(Diagnostic::is_error);
    bank
}

/// Deserializes one table (`[exam]`, `[rules]`).
fn one<T: for<'de> Deserialize<'de>>(
    source: &str,
    value: Spanned<DeValue<'_>>,
    name: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<T> {
    let span = value.span();
    if !value.get_ref().is_table() {
        out.push(
            Diagnostic::error(
                "wrong-type",
                format!(
                    "`{name}` must be a table, found {}",
                    value.get_ref().type_str()
                ),
                span,
            )
            .help(format!("write it as a `[{name}]` table")),
        );
        return None;
    }
    match T::deserialize(ValueDeserializer::from(value)) {
        Ok(v) => Some(v),
        Err(e) => {
            out.push(from_serde(source, &e, span, &format!("[{name}]")));
            None
        }
    }
}

/// Deserializes each entry of an array of tables on its own.
fn many<T: for<'de> Deserialize<'de>>(
    source: &str,
    value: Spanned<DeValue<'_>>,
    name: &str,
    out: &mut Vec<Diagnostic>,
) -> Vec<(T, Range<usize>)> {
    let span = value.span();
    let DeValue::Array(mut items) = value.into_inner() else {
        out.push(
            Diagnostic::error(
                "wrong-type",
                format!("`{name}` must be an array of tables"),
                span,
            )
            .help(format!(
                "write each entry under its own `[[{name}]]` header"
            )),
        );
        return Vec::new();
    };
    let mut parsed = Vec::with_capacity(items.len());
    for item in items.iter_mut() {
        // Take the entry out so its parsed form is freed as soon as it is read.
        let item = std::mem::replace(item, Spanned::new(0..0, DeValue::Boolean(false)));
        let span = item.span();
        if !item.get_ref().is_table() {
            out.push(
                Diagnostic::error(
                    "wrong-type",
                    format!(
                        "each entry of `{name}` must be a table, found {}",
                        item.get_ref().type_str()
                    ),
                    span,
                )
                .help(format!(
                    "write each entry under its own `[[{name}]]` header"
                )),
            );
            continue;
        }
        match T::deserialize(ValueDeserializer::from(item)) {
            Ok(v) => parsed.push((v, span)),
            Err(e) => out.push(from_serde(source, &e, span, &format!("[[{name}]]"))),
        }
    }
    parsed
}

/// Turns a serde error into a diagnostic with a rule name and a helpful hint.
fn from_serde(
    source: &str,
    e: &toml::de::Error,
    fallback: Range<usize>,
    table: &str,
) -> Diagnostic {
    let span = e.span().unwrap_or_else(|| fallback.clone());
    let message = e.message().trim_end_matches('\n');
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (field, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let mut d = Diagnostic::error(
            "unknown-field",
            format!("unknown field {field} in `{table}`"),
            span,
        )
        .label("unknown field");
        if let Some(close) = closest(field.trim_matches('`'), expected) {
            d = d.help(format!("did you mean `{close}`?"));
        } else if !expected.is_empty() {
            d = d.help(format!("expected {expected}"));
        }
        d
    } else if let Some(field) = message.strip_prefix("missing field ") {
        Diagnostic::error(
            "missing-field",
            format!("missing field {field} in `{table}`"),
            first_line(source, fallback),
        )
        .label(format!("this table needs {field}"))
        .help("see docs/exam-format.md for the fields of each table")
    } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
        Diagnostic::error(
            "wrong-type",
            message.replace("invalid type: ", "wrong type: "),
            span,
        )
        .label("wrong type")
    } else {
        Diagnostic::error("wrong-type", message.to_string(), span).label("here")
    }
}

/// The first line of a table's span: its `[header]`, or its first key.
fn first_line(source: &str, span: Range<usize>) -> Range<usize> {
    let start = span.start.min(source.len());
    let line = source[start..].lines().next().unwrap_or("").trim_end();
    start..start + line.len()
}

/// The expected field closest to a misspelt one, when one is close enough.
fn closest(field: &str, expected: &str) -> Option<String> {
    expected
        .split(", ")
        .map(|s| s.trim_start_matches("one of ").trim_matches('`'))
        .filter(|s| !s.is_empty())
        .map(|s| (edit_distance(field, s), s))
        .filter(|(d, s)| *d <= 2.max(s.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, s)| s.to_string())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_field() {
        assert_eq!(
            closest("titel", "one of `id`, `title`, `version`"),
            Some("title".into())
        );
        assert_eq!(closest("zzzzzzzz", "one of `id`, `title`"), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
