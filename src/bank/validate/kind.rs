//! The rules of each question kind: choices, true/false, text, numeric.

use super::{Checker, Map};
use crate::bank::diagnostic::Diagnostic;
use crate::bank::raw::{AnswerValue, RawChoice};
use crate::bank::{Choice, Kind, Normalisation, NumericAnswer};
use std::ops::Range;
use toml::Spanned;

/// The kinds an author can write, as `kind = "…"`.
pub(super) const KINDS: &[&str] = &["single", "multiple", "true-false", "text", "numeric"];

impl Checker<'_> {
    /// Reports fields that the question's kind does not use.
    fn unused(&mut self, id: &str, kind: &str, rest: &Rest) {
        for (name, span, kinds) in rest.present() {
            if !kinds.contains(&kind) {
                self.error(
                    Diagnostic::error(
                        "field-not-for-kind",
                        format!("`{name}` does not apply to {kind} question `{id}`"),
                        span,
                    )
                    .label(format!("not used by `kind = \"{kind}\"`"))
                    .help("remove it, or change `kind`"),
                );
            }
        }
    }

    pub(super) fn choice_kind(
        &mut self,
        id: &str,
        single: bool,
        rest: Rest,
        kind_span: Range<usize>,
    ) -> Option<Kind> {
        let kind = if single { "single" } else { "multiple" };
        self.unused(id, kind, &rest);
        let Some(list) = rest.choices else {
            self.error(
                Diagnostic::error("missing-field", format!("{kind} question `{id}` has no `choices`"), kind_span)
                    .label("needs choices")
                    .help("add `[[questions.choices]]` tables with `text` and `correct = true` on the right ones"),
            );
            return None;
        };
        let list_span = list.span();
        let raw: Vec<Spanned<RawChoice>> = list.into_inner();
        if raw.len() < 2 {
            self.error(
                Diagnostic::error(
                    "too-few-choices",
                    format!("question `{id}` has {} choice(s)", raw.len()),
                    list_span.clone(),
                )
                .label("at least two choices are needed")
                .help("add choices, or use `kind = \"true-false\"` or `\"text\"`"),
            );
        }
        let mut texts: Map<String, Range<usize>> = Map::default();
        let mut choice_ids: Map<String, Range<usize>> = Map::default();
        let mut choices = Vec::with_capacity(raw.len());
        for (i, c) in raw.into_iter().enumerate() {
            let span = c.span();
            let c = c.into_inner();
            let (cid, cid_span) = match c.id {
                Some(given) => {
                    let s = given.span();
                    (self.id("choice", given), s)
                }
                None => (letter(i), span.clone()),
            };
            if let Some(first) = choice_ids.get(&cid) {
                self.error(
                    Diagnostic::error(
                        "duplicate-choice-id",
                        format!("choice id `{cid}` is used twice in question `{id}`"),
                        cid_span.clone(),
                    )
                    .label("second use")
                    .related(first.clone(), "first used here")
                    .help(
                        "choices without an `id` take their letter (`a`, `b`, …): pick another id",
                    ),
                );
            } else {
                choice_ids.insert(cid.clone(), cid_span);
            }
            let text_span = c.text.span();
            let text = self.text("text", c.text);
            let key = text.trim().to_lowercase();
            if let Some(first) = texts.get(&key) {
                if !key.is_empty() {
                    self.error(
                        Diagnostic::error(
                            "duplicate-choice-text",
                            format!("question `{id}` offers the same choice twice"),
                            text_span,
                        )
                        .label("same text as another choice")
                        .related(first.clone(), "first offered here"),
                    );
                }
            } else {
                texts.insert(key, text_span);
            }
            choices.push(Choice {
                id: cid,
                text,
                correct: c.correct,
                pinned: c.pin,
            });
        }
        let correct = choices.iter().filter(|c| c.correct).count();
        if single && correct != 1 && choices.len() >= 2 {
            self.error(
                Diagnostic::error(
                    "single-needs-one-correct",
                    format!("single-choice question `{id}` has {correct} correct choices"),
                    list_span,
                )
                .label("exactly one choice must have `correct = true`")
                .help(if correct > 1 {
                    "keep one correct choice, or use `kind = \"multiple\"`"
                } else {
                    "mark the right choice with `correct = true`"
                }),
            );
        } else if !single && correct == 0 && choices.len() >= 2 {
            self.error(
                Diagnostic::error(
                    "multiple-needs-correct",
                    format!("multiple-response question `{id}` has no correct choice"),
                    list_span,
                )
                .label("no choice has `correct = true`")
                .help("mark at least one choice with `correct = true`"),
            );
        }
        Some(if single {
            Kind::Single { choices }
        } else {
            Kind::Multiple { choices }
        })
    }

    pub(super) fn true_false(
        &mut self,
        id: &str,
        rest: Rest,
        kind_span: Range<usize>,
    ) -> Option<Kind> {
        self.unused(id, "true-false", &rest);
        match rest.answer.map(|a| (*a.get_ref(), a.span())) {
            Some((AnswerValue::Bool(answer), _)) => Some(Kind::TrueFalse { answer }),
            Some((AnswerValue::Number(_), span)) => {
                self.error(
                    Diagnostic::error(
                        "wrong-type",
                        format!(
                            "true-false question `{id}` needs `answer = true` or `answer = false`"
                        ),
                        span,
                    )
                    .label("a number, not true or false"),
                );
                None
            }
            None => {
                self.error(
                    Diagnostic::error(
                        "missing-answer",
                        format!("true-false question `{id}` has no `answer`"),
                        kind_span,
                    )
                    .label("needs `answer = true` or `answer = false`"),
                );
                None
            }
        }
    }

    pub(super) fn text_kind(
        &mut self,
        id: &str,
        rest: Rest,
        kind_span: Range<usize>,
    ) -> Option<Kind> {
        self.unused(id, "text", &rest);
        let accepted: Vec<String> = match rest.accepted {
            Some(list) => {
                let span = list.span();
                let values: Vec<String> = list
                    .into_inner()
                    .into_iter()
                    .filter_map(|a| {
                        if a.get_ref().trim().is_empty() {
                            self.error(
                                Diagnostic::error(
                                    "empty-text",
                                    "an accepted answer is empty",
                                    a.span(),
                                )
                                .label("empty answer"),
                            );
                            None
                        } else {
                            Some(a.into_inner())
                        }
                    })
                    .collect();
                if values.is_empty() {
                    self.error(
                        Diagnostic::error(
                            "text-needs-accepted",
                            format!("text question `{id}` accepts no answer"),
                            span,
                        )
                        .label("empty list")
                        .help("list the accepted answers: `accepted = [\"Paris\"]`"),
                    );
                }
                values
            }
            None => {
                self.error(
                    Diagnostic::error(
                        "text-needs-accepted",
                        format!("text question `{id}` has no `accepted` answers"),
                        kind_span,
                    )
                    .label("needs `accepted = [\"…\"]`")
                    .help("list the accepted answers: `accepted = [\"Paris\"]`"),
                );
                Vec::new()
            }
        };
        let mut ignore = Normalisation::default();
        if let Some(list) = rest.ignore {
            ignore = Normalisation {
                case: false,
                accents: false,
                whitespace: false,
            };
            for item in list.into_inner() {
                match item.get_ref().as_str() {
                    "case" => ignore.case = true,
                    "accents" => ignore.accents = true,
                    "whitespace" => ignore.whitespace = true,
                    other => self.error(
                        Diagnostic::error(
                            "unknown-value",
                            format!("`ignore` cannot hold `\"{other}\"`"),
                            item.span(),
                        )
                        .label("unknown value")
                        .help("expected any of `\"case\"`, `\"accents\"`, `\"whitespace\"`"),
                    ),
                }
            }
        }
        (!accepted.is_empty()).then_some(Kind::Text { accepted, ignore })
    }

    pub(super) fn numeric(
        &mut self,
        id: &str,
        rest: Rest,
        kind_span: Range<usize>,
    ) -> Option<Kind> {
        self.unused(id, "numeric", &rest);
        let unit = rest.unit.map(Spanned::into_inner);
        let finite = |me: &mut Self, name: &str, v: f64, span: &Range<usize>| {
            if !v.is_finite() {
                me.error(
                    Diagnostic::error(
                        "not-finite",
                        format!("`{name}` must be a finite number"),
                        span.clone(),
                    )
                    .label("not finite"),
                );
            }
        };
        match (
            rest.answer.map(|a| (*a.get_ref(), a.span())),
            rest.min_value,
            rest.max_value,
        ) {
            (Some((AnswerValue::Number(value), vspan)), None, None) => {
                finite(self, "answer", value, &vspan);
                let tolerance = match (rest.tolerance_value, rest.tolerance) {
                    (Some(t), Some(span)) => {
                        finite(self, "tolerance", t, &span);
                        if t < 0.0 {
                            self.error(
                                Diagnostic::error("negative-tolerance", format!("question `{id}` has a negative tolerance"), span)
                                    .label("below zero")
                                    .help("a tolerance is a distance: write it as a positive number, or 0 for an exact answer"),
                            );
                        }
                        t
                    }
                    _ => 0.0,
                };
                Some(Kind::Numeric {
                    answer: NumericAnswer::Tolerance { value, tolerance },
                    unit,
                })
            }
            (Some((AnswerValue::Bool(_), span)), _, _) => {
                self.error(
                    Diagnostic::error(
                        "wrong-type",
                        format!("numeric question `{id}` needs a number as `answer`"),
                        span,
                    )
                    .label("true or false, not a number"),
                );
                None
            }
            (None, Some(min), Some(max)) => {
                let (min_span, max_span) =
                    (rest.min.unwrap_or_default(), rest.max.unwrap_or_default());
                finite(self, "min", min, &min_span);
                finite(self, "max", max, &max_span);
                if let Some(span) = rest.tolerance {
                    self.error(
                        Diagnostic::error(
                            "field-not-for-kind",
                            "`tolerance` does not apply to a range",
                            span,
                        )
                        .label("a range has no tolerance")
                        .help("widen `min` and `max` instead"),
                    );
                }
                if min > max {
                    self.error(
                        Diagnostic::error("empty-range", format!("question `{id}` accepts nothing: `min` ({min}) is above `max` ({max})"), max_span)
                            .label("below `min`")
                            .related(min_span, "`min` is here")
                            .help("swap `min` and `max`"),
                    );
                }
                Some(Kind::Numeric {
                    answer: NumericAnswer::Range { min, max },
                    unit,
                })
            }
            (Some((_, vspan)), _, _) => {
                self.error(
                    Diagnostic::error(
                        "answer-and-range",
                        format!("numeric question `{id}` has both `answer` and `min`/`max`"),
                        vspan,
                    )
                    .label("one or the other")
                    .help(
                        "use `answer` (with an optional `tolerance`) or `min` and `max`, not both",
                    ),
                );
                None
            }
            (None, min, max) => {
                let span = rest.min.or(rest.max).unwrap_or(kind_span);
                self.error(
                    Diagnostic::error("missing-answer", format!("numeric question `{id}` has no answer"), span)
                        .label(if min.is_some() || max.is_some() { "a range needs both `min` and `max`" } else { "needs `answer` or `min` and `max`" })
                        .help("write `answer = 42` (with an optional `tolerance = 0.5`) or `min = 40` and `max = 45`"),
                );
                None
            }
        }
    }
}

/// The kind-specific fields of a question, split off for the kind checks.
pub(super) struct Rest {
    pub(super) choices: Option<Spanned<Vec<Spanned<RawChoice>>>>,
    pub(super) answer: Option<Spanned<AnswerValue>>,
    pub(super) tolerance: Option<Range<usize>>,
    pub(super) tolerance_value: Option<f64>,
    pub(super) min: Option<Range<usize>>,
    pub(super) min_value: Option<f64>,
    pub(super) max: Option<Range<usize>>,
    pub(super) max_value: Option<f64>,
    pub(super) unit: Option<Spanned<String>>,
    pub(super) accepted: Option<Spanned<Vec<Spanned<String>>>>,
    pub(super) ignore: Option<Spanned<Vec<Spanned<String>>>>,
}

impl Rest {
    /// The kind-specific fields written, each with its span and the kinds
    /// it belongs to.
    fn present(&self) -> Vec<(&'static str, Range<usize>, &'static [&'static str])> {
        const CHOICES: &[&str] = &["single", "multiple"];
        const ANSWER: &[&str] = &["true-false", "numeric"];
        const NUMERIC: &[&str] = &["numeric"];
        const TEXT: &[&str] = &["text"];
        [
            ("choices", self.choices.as_ref().map(Spanned::span), CHOICES),
            ("answer", self.answer.as_ref().map(Spanned::span), ANSWER),
            ("tolerance", self.tolerance.clone(), NUMERIC),
            ("min", self.min.clone(), NUMERIC),
            ("max", self.max.clone(), NUMERIC),
            ("unit", self.unit.as_ref().map(Spanned::span), NUMERIC),
            ("accepted", self.accepted.as_ref().map(Spanned::span), TEXT),
            ("ignore", self.ignore.as_ref().map(Spanned::span), TEXT),
        ]
        .into_iter()
        .filter_map(|(name, span, kinds)| span.map(|span| (name, span, kinds)))
        .collect()
    }
}

/// `a`, `b`, … `z`, `aa`, `ab`…: the default id of the `i`-th choice.
fn letter(i: usize) -> String {
    let mut n = i;
    let mut out = Vec::new();
    loop {
        #[allow(clippy::cast_possible_truncation)]
        out.push(b'a' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::letter;

    #[test]
    fn default_choice_ids_are_letters() {
        assert_eq!(letter(0), "a");
        assert_eq!(letter(25), "z");
        assert_eq!(letter(26), "aa");
        assert_eq!(letter(27), "ab");
    }
}
