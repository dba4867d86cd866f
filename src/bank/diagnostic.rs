//! Author-facing problems: what is wrong, where, and how to fix it.
//!
//! A [`Diagnostic`] holds a byte span into the bank's source; rendering turns
//! it into rustc-style text (via `annotate-snippets`) or a JSON record for
//! editors and CI. Rendering is pure: it returns strings and prints nothing.

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use serde::Serialize;
use std::ops::Range;

/// How serious a problem is: errors make a bank unusable, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The bank cannot be used until this is fixed.
    Error,
    /// The bank works, but the author probably did not mean this.
    Warning,
}

/// One problem found in a bank (or an issuer file), anchored to a span.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable rule name, e.g. `duplicate-question-id` (listed in docs/exam-format.md).
    pub code: &'static str,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Byte range in the source the problem points at.
    pub span: Range<usize>,
    /// Short text printed under the caret.
    pub label: String,
    /// What would fix it, when there is something useful to say.
    pub help: Option<String>,
    /// A second place that explains the first (e.g. the earlier duplicate).
    pub related: Option<(Range<usize>, String)>,
}

impl Diagnostic {
    /// A new error at `span`.
    pub fn error(code: &'static str, message: impl Into<String>, span: Range<usize>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            span,
            label: String::new(),
            help: None,
            related: None,
        }
    }

    /// A new warning at `span`.
    pub fn warning(code: &'static str, message: impl Into<String>, span: Range<usize>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, message, span)
        }
    }

    /// Sets the text under the caret.
    #[must_use]
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Sets the fix suggestion.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Points at a second, related place.
    #[must_use]
    pub fn related(mut self, span: Range<usize>, label: impl Into<String>) -> Self {
        self.related = Some((span, label.into()));
        self
    }

    /// A file that is not the TOML its reader expects (syntax, unknown or
    /// missing field, wrong type): one error at the place `toml` names.
    pub fn from_toml(code: &'static str, e: &toml::de::Error) -> Self {
        Self::error(code, e.message().trim(), e.span().unwrap_or(0..0)).label("here")
    }

    /// Whether this problem makes the bank unusable.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A 1-based line and column (in characters), as editors count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in Unicode scalar values.
    pub column: usize,
}

/// Converts a byte offset to a line and column. Offsets past the end, or in
/// the middle of a character, are clamped to the nearest valid position.
pub fn position(source: &str, offset: usize) -> Position {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position {
        line: before.bytes().filter(|&b| b == b'\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

/// Clamps a span to the source so that rendering never indexes out of range.
fn clamp(source: &str, span: &Range<usize>) -> Range<usize> {
    let fix = |mut i: usize| {
        i = i.min(source.len());
        while !source.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = fix(span.start);
    start..fix(span.end).max(start)
}

/// Renders diagnostics as rustc does: header, `--> file:line:col`, the source
/// line, a caret under the span, then `= help:`. `color` adds ANSI styles.
pub fn render_text(path: &str, source: &str, diagnostics: &[Diagnostic], color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut snippet = Snippet::source(source).path(path).annotation(
            AnnotationKind::Primary
                .span(clamp(source, &d.span))
                .label(d.label.as_str()),
        );
        if let Some((span, label)) = &d.related {
            snippet = snippet.annotation(
                AnnotationKind::Context
                    .span(clamp(source, span))
                    .label(label.as_str()),
            );
        }
        let mut group = level
            .primary_title(d.message.as_str())
            .id(d.code)
            .element(snippet);
        if let Some(help) = &d.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    out
}

/// One diagnostic as a JSON-ready record for `check --format json`.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    /// File the problem is in.
    pub file: &'a str,
    /// `error` or `warning`.
    pub severity: Severity,
    /// Stable rule name.
    pub code: &'static str,
    /// What is wrong.
    pub message: &'a str,
    /// Where the span starts.
    pub start: Position,
    /// Where the span ends.
    pub end: Position,
    /// Text under the caret.
    pub label: &'a str,
    /// What would fix it.
    pub help: Option<&'a str>,
    /// A second place that explains the first (e.g. the earlier duplicate).
    pub related: Option<JsonRelated<'a>>,
}

/// The second place of a diagnostic, in JSON.
#[derive(Debug, Serialize)]
pub struct JsonRelated<'a> {
    /// Where it starts.
    pub start: Position,
    /// Where it ends.
    pub end: Position,
    /// What it is.
    pub label: &'a str,
}

impl<'a> JsonDiagnostic<'a> {
    /// Builds the record for `d`, found in `path` whose text is `source`.
    pub fn new(path: &'a str, source: &str, d: &'a Diagnostic) -> Self {
        Self {
            file: path,
            severity: d.severity,
            code: d.code,
            message: &d.message,
            start: position(source, d.span.start),
            end: position(source, d.span.end),
            label: &d.label,
            help: d.help.as_deref(),
            related: d.related.as_ref().map(|(span, label)| JsonRelated {
                start: position(source, span.start),
                end: position(source, span.end),
                label,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let src = "a = 1\né = \"x\"\n";
        assert_eq!(position(src, 0), Position { line: 1, column: 1 });
        assert_eq!(position(src, 6), Position { line: 2, column: 1 });
        // `=` after the two-byte `é` and a space is the third character.
        assert_eq!(position(src, 9), Position { line: 2, column: 3 });
        // Inside `é`: clamped back to its start.
        assert_eq!(position(src, 7), Position { line: 2, column: 1 });
        assert_eq!(position(src, 999).line, 3);
    }

    #[test]
    fn rendering_points_at_the_span() {
        let src = "[exam]\nid = \"bad id\"\n";
        let d = Diagnostic::error("bad-id", "id `bad id` has a space", 12..20)
            .label("not allowed here")
            .help("use letters, digits, `-`, `_` or `.`");
        let text = render_text("demo.toml", src, &[d], false);
        assert!(
            text.contains("error[bad-id]: id `bad id` has a space"),
            "{text}"
        );
        assert!(text.contains("--> demo.toml:2:6"), "{text}");
        assert!(text.contains("^^^^^^^^ not allowed here"), "{text}");
        assert!(text.contains("= help: use letters"), "{text}");
    }

    #[test]
    fn out_of_range_spans_do_not_panic() {
        let d = Diagnostic::error("x", "m", 50..80);
        let text = render_text("f.toml", "é", &[d], false);
        assert!(text.contains("error[x]"));
    }
}
