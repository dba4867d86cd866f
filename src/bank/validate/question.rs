//! The rules every question follows, whatever its kind: ids, sections,
//! prompts, points; then the kind's own checks (`kind.rs`).

use super::kind::{KINDS, Rest};
use super::{Checker, Map};
use crate::bank::Question;
use crate::bank::diagnostic::Diagnostic;
use crate::bank::raw::RawQuestion;
use std::ops::Range;
use toml::Spanned;

impl Checker<'_> {
    pub(super) fn questions(
        &mut self,
        raw: Vec<(RawQuestion, Range<usize>)>,
        sections: &Map<String, usize>,
        complete: bool,
    ) -> Vec<Question> {
        let mut ids: Map<String, Range<usize>> = Map::default();
        ids.reserve(raw.len());
        let mut prompts: Map<String, (String, Range<usize>)> = Map::default();
        prompts.reserve(raw.len());
        let mut questions = Vec::with_capacity(raw.len());
        for (q, _) in raw {
            let (q, rest) = q.split();
            let id_span = q.id.span();
            let id = self.id("question", q.id);
            if let Some(first) = ids.get(&id) {
                self.error(
                    Diagnostic::error(
                        "duplicate-question-id",
                        format!("question id `{id}` is used twice"),
                        id_span.clone(),
                    )
                    .label("second use")
                    .related(first.clone(), "first used here")
                    .help("give each question its own id: attempts and journals refer to it"),
                );
            } else {
                ids.insert(id.clone(), id_span.clone());
            }
            let section = match sections.get(q.section.get_ref()) {
                Some(&s) => Some(s),
                None => {
                    if complete || !sections.is_empty() {
                        let mut known: Vec<&String> = sections.keys().collect();
                        known.sort();
                        let known: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
                        self.error(
                            Diagnostic::error(
                                "unknown-section",
                                format!(
                                    "question `{id}` is in section `{}`, which does not exist",
                                    q.section.get_ref()
                                ),
                                q.section.span(),
                            )
                            .label("no such section")
                            .help(if known.is_empty() {
                                "declare the section in a `[[sections]]` table".to_string()
                            } else {
                                format!("known sections: {}", known.join(", "))
                            }),
                        );
                    }
                    None
                }
            };
            let prompt_span = q.prompt.span();
            if q.prompt.get_ref().trim().is_empty() {
                self.error(
                    Diagnostic::error(
                        "empty-prompt",
                        format!("question `{id}` has an empty prompt"),
                        prompt_span.clone(),
                    )
                    .label("nothing to ask"),
                );
            } else {
                let key = normalized(q.prompt.get_ref());
                if let Some((other, first)) = prompts.get(&key) {
                    self.error(
                        Diagnostic::warning("duplicate-prompt", format!("questions `{other}` and `{id}` have the same prompt"), prompt_span.clone())
                            .label("same prompt")
                            .related(first.clone(), "first asked here")
                            .help("a learner could be asked the same thing twice; reword one or remove it"),
                    );
                } else {
                    prompts.insert(key, (id.clone(), prompt_span.clone()));
                }
            }
            let points = match q.points {
                None => 1.0,
                Some(p) => {
                    let v = *p.get_ref();
                    if !(v > 0.0 && v.is_finite()) {
                        self.error(
                            Diagnostic::error(
                                "not-positive",
                                format!("question `{id}` is worth {v} points"),
                                p.span(),
                            )
                            .label("points must be positive")
                            .help("leave `points` out for 1 point, or give a number above 0"),
                        );
                    }
                    v
                }
            };
            let explanation = q.explanation.map(|e| self.text("explanation", e));
            let tags = q.tags.into_iter().map(Spanned::into_inner).collect();
            let kind_span = q.kind.span();
            let kind_name = q.kind.get_ref().clone();
            let kind = match kind_name.as_str() {
                "single" | "multiple" => {
                    self.choice_kind(&id, kind_name == "single", rest, kind_span)
                }
                "true-false" => self.true_false(&id, rest, kind_span),
                "text" => self.text_kind(&id, rest, kind_span),
                "numeric" => self.numeric(&id, rest, kind_span),
                other => {
                    let names: Vec<String> = KINDS.iter().map(|k| format!("`\"{k}\"`")).collect();
                    self.error(
                        Diagnostic::error(
                            "unknown-kind",
                            format!("`{other}` is not a question kind"),
                            kind_span,
                        )
                        .label("unknown kind")
                        .help(format!("expected one of {}", names.join(", "))),
                    );
                    None
                }
            };
            if let (Some(section), Some(kind)) = (section, kind) {
                questions.push(Question {
                    id,
                    section,
                    points,
                    prompt: q.prompt.into_inner(),
                    explanation,
                    tags,
                    kind,
                });
            }
        }
        questions
    }
}

/// The fields every question has.
struct Common {
    id: Spanned<String>,
    section: Spanned<String>,
    kind: Spanned<String>,
    points: Option<Spanned<f64>>,
    prompt: Spanned<String>,
    explanation: Option<Spanned<String>>,
    tags: Vec<Spanned<String>>,
}

impl RawQuestion {
    fn split(self) -> (Common, Rest) {
        let common = Common {
            id: self.id,
            section: self.section,
            kind: self.kind,
            points: self.points,
            prompt: self.prompt,
            explanation: self.explanation,
            tags: self.tags,
        };
        let rest = Rest {
            choices: self.choices,
            answer: self.answer,
            tolerance: self.tolerance.as_ref().map(Spanned::span),
            tolerance_value: self.tolerance.map(Spanned::into_inner),
            min: self.min.as_ref().map(Spanned::span),
            min_value: self.min.map(Spanned::into_inner),
            max: self.max.as_ref().map(Spanned::span),
            max_value: self.max.map(Spanned::into_inner),
            unit: self.unit,
            accepted: self.accepted,
            ignore: self.ignore,
        };
        (common, rest)
    }
}

/// How prompts are compared: words joined by one space, in lower case; the
/// same as `split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()`,
/// in one pass.
fn normalized(prompt: &str) -> String {
    if prompt.contains('Σ') {
        // `str::to_lowercase` lowers a capital sigma by its context (`ς` at
        // the end of a word): leave that to it.
        return prompt
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
    }
    let mut key = String::with_capacity(prompt.len());
    let mut space = false;
    for c in prompt.chars() {
        if c.is_whitespace() {
            space = !key.is_empty();
        } else {
            if space {
                key.push(' ');
                space = false;
            }
            if c.is_ascii() {
                key.push(c.to_ascii_lowercase());
            } else {
                key.extend(c.to_lowercase());
            }
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::normalized;

    #[test]
    fn prompts_compare_as_lower_case_words() {
        for prompt in [
            "",
            "   ",
            "Plain ASCII prompt?",
            "  Leading,\ttabs\r\nand  repeated   spaces  ",
            "Ça coûte 12\u{a0}€ ? ÉTÉ",
            "ΟΔΟΣ Σ ΣΑΣ σ",
            "İstanbul ǅ ß ﬁ",
        ] {
            let reference = prompt
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            assert_eq!(normalized(prompt), reference, "{prompt:?}");
        }
    }
}
