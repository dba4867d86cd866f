//! Reading a bank one top-level table at a time.
//!
//! The TOML parser lexes a whole document into tokens and events before it
//! builds anything: for a 10,000-question bank that is some 50 MiB held at
//! once. A bank written as the format describes is a run of `[exam]`,
//! `[rules]`, `[[sections]]` and `[[questions]]` tables (questions holding
//! their `[[questions.choices]]`), and TOML gives such a table the same meaning
//! whether it is read in its document or alone. So the file is cut at
//! table headers into runs of about 128 KiB, each run parsed on its own, its
//! spans moved to where it sits in the file, deserialized and dropped before
//! the next one is read.
//!
//! Only that shape is read here. Anything else — another header, keys before
//! the first header, `[exam]` twice, a syntax error anywhere — makes
//! [`parse`] return `None`, and the caller reads the whole document as one, so
//! the diagnostics are exactly those of a whole-document read.

use super::{RawBank, finish, many, one};
use crate::bank::diagnostic::Diagnostic;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The top-level headers a chunk may start with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Header {
    Exam,
    Rules,
    Sections,
    Questions,
    /// `[[questions.choices]]`: part of the current question's chunk.
    Choices,
}

const HEADERS: &[(&str, Header)] = &[
    ("[exam]", Header::Exam),
    ("[rules]", Header::Rules),
    ("[[sections]]", Header::Sections),
    ("[[questions]]", Header::Questions),
    ("[[questions.choices]]", Header::Choices),
];

/// Parses a bank laid out as the format describes, table by table; `None`
/// when the file has another shape or any error of TOML syntax, and then
/// nothing has been added to `out`.
pub(super) fn parse(source: &str, out: &mut Vec<Diagnostic>) -> Option<RawBank> {
    parse_in(source, out, CHUNK)
}

/// [`parse`], splitting every `chunk` bytes (tests split at every table).
fn parse_in(source: &str, out: &mut Vec<Diagnostic>, chunk: usize) -> Option<RawBank> {
    if source.len() <= chunk {
        // One run would be the whole file: no need to scan it first.
        return None;
    }
    let starts = split(source, chunk)?;
    let mut local = Vec::new();
    let mut bank = RawBank {
        complete: true,
        ..RawBank::default()
    };
    let mut seen = [false; 4];
    let ends = starts.iter().skip(1).copied().chain([source.len()]);
    for (start, end) in starts.iter().copied().zip(ends) {
        let (root, errors) = DeTable::parse_recoverable(&source[start..end]);
        if !errors.is_empty() {
            return None;
        }
        for (key, mut value) in root.into_inner() {
            move_spans(&mut value, start);
            match key.get_ref().as_ref() {
                "exam" if !seen[0] => {
                    seen[0] = true;
                    bank.exam = one(source, value, "exam", &mut local);
                }
                "rules" if !seen[1] => {
                    seen[1] = true;
                    bank.rules = one(source, value, "rules", &mut local);
                }
                "sections" if value.get_ref().is_array() => {
                    seen[2] = true;
                    bank.sections
                        .extend(many(source, value, "sections", &mut local));
                }
                "questions" if value.get_ref().is_array() => {
                    seen[3] = true;
                    bank.questions
                        .extend(many(source, value, "questions", &mut local));
                }
                // `[exam]` twice, or anything a header scan cannot vouch for.
                _ => return None,
            }
        }
    }
    out.append(&mut local);
    Some(finish(source, bank, seen, out))
}

/// About how many bytes of tables are parsed at once. One table at a time
/// would pay the parser's set-up cost per table (twice the time of a whole
/// read for a 100-question bank); 128 KiB keeps the parser's vectors near
/// 1 MiB while that cost disappears.
const CHUNK: usize = 128 * 1024;

/// Where each chunk starts: 0, then the start of the line of the first
/// top-level header past each `chunk` bytes. `None` when something other
/// than comments comes before the first header, a header other than those of
/// [`HEADERS`] appears, or `[[questions.choices]]` is outside a question.
fn split(source: &str, chunk: usize) -> Option<Vec<usize>> {
    let b = source.as_bytes();
    let mut starts = vec![0];
    let mut any_header = false;
    let mut i = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let mut line = 0;
    let mut at_line_start = true;
    // Open `[` and `{` of values: a `[` at a line's start inside a
    // multi-line array is a value, not a header.
    let mut depth = 0_usize;
    let mut in_question = false;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                i += 1;
                line = i;
                at_line_start = true;
            }
            b' ' | b'\t' | b'\r' => i += 1,
            b'#' => {
                i = b[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(b.len(), |p| i + p)
            }
            // Keys and values before the first header would be top-level
            // keys: only a whole read can tell what they mean.
            _ if !any_header && b[i] != b'[' => return None,
            b'"' | b'\'' => {
                i = skip_string(b, i);
                at_line_start = false;
            }
            b'[' if at_line_start && depth == 0 => {
                let (text, header) = HEADERS
                    .iter()
                    .find(|(text, _)| source[i..].starts_with(text))?;
                i += text.len();
                // Only blanks or a comment may follow a header on its line.
                while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\r') {
                    i += 1;
                }
                if i < b.len() && !matches!(b[i], b'\n' | b'#') {
                    return None;
                }
                match header {
                    Header::Choices if !in_question => return None,
                    Header::Choices => {}
                    other => {
                        if line - starts.last().copied().unwrap_or(0) >= chunk {
                            starts.push(line);
                        }
                        in_question = *other == Header::Questions;
                    }
                }
                any_header = true;
                at_line_start = false;
            }
            b'[' | b'{' => {
                depth += 1;
                at_line_start = false;
                i += 1;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                at_line_start = false;
                i += 1;
            }
            _ => {
                at_line_start = false;
                i += 1;
            }
        }
    }
    Some(starts)
}

/// The index just past the string that starts at `i` (any of TOML's four
/// kinds). An unterminated string runs to the end of its line (one-line
/// kinds) or of the file (multi-line kinds); the parser then reports it.
fn skip_string(b: &[u8], i: usize) -> usize {
    let quote = b[i];
    let triple = [quote; 3];
    if b[i..].starts_with(&triple) {
        let mut j = i + 3;
        while j < b.len() {
            if quote == b'"' && b[j] == b'\\' {
                j += 2;
            } else if b[j..].starts_with(&triple) {
                j += 3;
                // `""""` ends the string with a quote inside it (two at most).
                let mut extra = 0;
                while extra < 2 && j < b.len() && b[j] == quote {
                    j += 1;
                    extra += 1;
                }
                return j;
            } else {
                j += 1;
            }
        }
        return b.len();
    }
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' if quote == b'"' => j += 2,
            b'\n' => return j,
            c if c == quote => return j + 1,
            _ => j += 1,
        }
    }
    b.len()
}

/// Moves every span in `value` (its own, its keys', its items') `by` bytes.
fn move_spans(value: &mut Spanned<DeValue<'_>>, by: usize) {
    if by == 0 {
        return;
    }
    let span = value.span();
    let inner = std::mem::replace(value.get_mut(), DeValue::Boolean(false));
    let inner = match inner {
        DeValue::Array(mut items) => {
            for item in items.iter_mut() {
                move_spans(item, by);
            }
            DeValue::Array(items)
        }
        DeValue::Table(table) => {
            let mut moved = DeTable::new();
            for (key, mut item) in table {
                move_spans(&mut item, by);
                let key_span = key.span();
                moved.insert(
                    Spanned::new(key_span.start + by..key_span.end + by, key.into_inner()),
                    item,
                );
            }
            DeValue::Table(moved)
        }
        scalar => scalar,
    };
    *value = Spanned::new(span.start + by..span.end + by, inner);
}

#[cfg(test)]
mod tests {
    use super::super::parse_whole;
    use super::*;
    use proptest::prelude::*;
    use std::path::Path;

    /// Reads `source` table by table (when it can) and whole; both readings
    /// must give the same raw bank and the same diagnostics.
    fn same_as_whole(source: &str) -> Result<bool, String> {
        // By default a file under CHUNK bytes is read whole; split at every
        // table, the same file exercises the chunked reading.
        same_when_split_every(source, CHUNK)?;
        same_when_split_every(source, 1)
    }

    fn same_when_split_every(source: &str, chunk: usize) -> Result<bool, String> {
        let mut by_chunk = Vec::new();
        let Some(chunked) = parse_in(source, &mut by_chunk, chunk) else {
            return Ok(false);
        };
        let mut whole_out = Vec::new();
        let whole = parse_whole(source, &mut whole_out);
        // Tables are visited in another order (the whole document's map is
        // sorted by key); `load` sorts diagnostics by place, as here.
        by_chunk.sort_by_key(|d| (d.span.start, d.severity));
        whole_out.sort_by_key(|d| (d.span.start, d.severity));
        let (a, b) = (
            format!("{:#?}\n{by_chunk:#?}", Some(chunked)),
            format!("{whole:#?}\n{whole_out:#?}"),
        );
        if a == b {
            Ok(true)
        } else {
            Err(format!("chunked:\n{a}\nwhole:\n{b}"))
        }
    }

    fn files(dir: &str) -> Vec<(String, String)> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&dir).expect("a test folder") {
            let path = entry.expect("entry").path();
            if let Ok(text) = std::fs::read_to_string(&path) {
                out.push((path.display().to_string(), text));
            }
        }
        out
    }

    #[test]
    fn sample_exams_are_read_by_chunk_as_they_are_whole() {
        for (name, text) in files("exams") {
            assert_eq!(same_as_whole(&text), Ok(true), "{name}");
        }
    }

    #[test]
    fn fixtures_are_read_by_chunk_as_they_are_whole() {
        let mut chunked = 0;
        for (name, text) in files("tests/invalid") {
            if same_as_whole(&text).unwrap_or_else(|e| panic!("{name}: {e}")) {
                chunked += 1;
            }
        }
        // Most fixtures are well-shaped banks with semantic problems.
        assert!(chunked >= 40, "only {chunked} fixtures read by chunk");
    }

    const BANK: &str = "[exam]\nid = \"x\"\n\n[rules]\ntime_limit = \"1m\"\n\n\
        [[sections]]\nid = \"s\"\n\n[[questions]]\nid = \"q\"\nprompt = \"p\"\n\n\
        [[questions.choices]]\ntext = \"a\"\n";

    #[test]
    fn odd_shapes_fall_back_or_agree() {
        let cases = [
            BANK.to_string(),
            format!("\u{feff}# comment\n{BANK}"),
            BANK.replace('\n', "\r\n"),
            BANK.replace("[[questions]]", "  [[questions]]  # indented"),
            BANK.replace(
                "prompt = \"p\"",
                "prompt = \"\"\"\n[[questions]]\nid = \"inside\"\n\"\"\"",
            ),
            BANK.replace("prompt = \"p\"", "prompt = '''\n[exam]\n'''"),
            BANK.replace("prompt = \"p\"", "prompt = \"a \\\" [[sections]]\""),
            BANK.replace("prompt = \"p\"", "prompt = \"\"\"quoted\"\"\"\"\""),
            BANK.replace("prompt = \"p\"", "tags = [\n[\"nested\"],\n]"),
            BANK.replace("prompt = \"p\"", "x = { a = [1,\n2] }"),
            format!("title = \"before\"\n{BANK}"),
            format!("{BANK}\n[exam]\nid = \"again\"\n"),
            format!("{BANK}\n[extras]\n"),
            format!("{BANK}\n[exam.more]\nx = 1\n"),
            format!("[[questions.choices]]\ntext = \"orphan\"\n{BANK}"),
            BANK.replace(
                "[[sections]]\nid = \"s\"",
                "[[sections]]\nid = \"s\"\n[[questions.choices]]\ntext = \"z\"",
            ),
            BANK.replace("[rules]", "[ rules ]"),
            BANK.replace("[rules]", "[rules] x = 1"),
            BANK.replace("time_limit = \"1m\"", "time_limit = \"1m"),
            BANK.replace("text = \"a\"", "text = [\"a\""),
            format!("{BANK}\n[[questions]]\nid = \"r\"\n[[sections]]\nid = \"t\"\n"),
            format!("sections = [{{ id = \"inline\" }}]\n{BANK}"),
        ];
        for (i, case) in cases.iter().enumerate() {
            if let Err(e) = same_as_whole(case) {
                panic!("case {i}:\n{case}\n{e}");
            }
        }
        // The well-shaped ones do take the chunked path.
        for i in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20] {
            assert_eq!(same_as_whole(&cases[i]), Ok(true), "case {i}");
        }
    }

    #[test]
    fn a_long_bank_is_read_in_several_runs() {
        let mut text = BANK.to_string();
        for i in 0..3_000 {
            text.push_str(&format!(
                "\n[[questions]]\nid = \"q{i}\"\nsection = \"s\"\nprompt = \"Question {i}?\"\n\
                 \n  [[questions.choices]]\n  text = \"yes\"\n"
            ));
        }
        let starts = split(&text, CHUNK).expect("a well-shaped bank");
        assert!(starts.len() >= 2, "{} bytes in one run", text.len());
        assert!(starts.windows(2).all(|w| w[1] - w[0] >= CHUNK));
        assert_eq!(same_as_whole(&text), Ok(true));
    }

    const TOKENS: &[&str] = &[
        "[",
        "]",
        "[[",
        "]]",
        "{",
        "}",
        "\"",
        "'",
        "\"\"\"",
        "'''",
        "\\",
        "=",
        "\n",
        "#",
        "[exam]\n",
        "[rules]\n",
        "[[sections]]\n",
        "[[questions]]\n",
        "[[questions.choices]]\n",
        "[exam.x]\n",
        "x = 1\n",
        "\r\n",
        "\u{feff}",
    ];

    proptest! {
        #[test]
        fn mutated_banks_are_read_by_chunk_as_they_are_whole(
            edits in prop::collection::vec((any::<usize>(), prop::sample::select(TOKENS)), 1..5)
        ) {
            let mut text = include_str!("../../../exams/demo.toml").to_string();
            for (at, token) in edits {
                let mut at = at % (text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.insert_str(at, token);
            }
            prop_assert!(same_as_whole(&text).is_ok(), "{}", same_as_whole(&text).unwrap_err());
        }
    }
}
