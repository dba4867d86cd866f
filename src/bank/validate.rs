//! Semantic rules: from the raw bank to a trusted [`Exam`], reporting every
//! problem at once. Each rule has a stable name, listed with its message in
//! `docs/exam-format.md`.

use super::diagnostic::Diagnostic;
use super::parse::{self, RawBank};
use super::raw::{AnswerValue, RawChoice, RawMeta, RawQuestion, RawRules, RawSection};
use super::{
    Choice, Exam, Kind, Meta, Navigation, Normalisation, NumericAnswer, Paste, Question, Review,
    Rules, Scoring, Section, duration, lang,
};
use std::collections::HashMap;
use std::ops::Range;
use std::time::Duration;
use toml::Spanned;

/// Validates `source`; the exam is `Some` when the bank could be built (the
/// caller still discards it when any diagnostic is an error).
pub fn validate(source: &str) -> (Option<Exam>, Option<Range<usize>>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let Some(raw) = parse::parse(source, &mut out) else {
        return (None, None, out);
    };
    let id_span = raw.exam.as_ref().map(|e| e.id.span());
    let exam = Checker { out: &mut out }.exam(raw);
    (exam, id_span, out)
}

struct Checker<'a> {
    out: &'a mut Vec<Diagnostic>,
}

/// The kinds an author can write, as `kind = "…"`.
const KINDS: &[&str] = &["single", "multiple", "true-false", "text", "numeric"];

impl Checker<'_> {
    fn error(&mut self, d: Diagnostic) {
        self.out.push(d);
    }

    fn exam(&mut self, raw: RawBank) -> Option<Exam> {
        let complete = raw.complete;
        let meta = raw.exam.map(|m| self.meta(m));
        let rules = raw.rules.map(|r| self.rules(r));
        let (sections, section_ids) = self.sections(raw.sections);
        let questions = self.questions(raw.questions, &section_ids, complete);
        let mut sections = sections;
        for (i, q) in questions.iter().enumerate() {
            sections[q.section].0.pool.push(i);
        }
        if complete {
            self.draws(&sections, rules.as_ref().and_then(|r| r.1.as_ref()));
        }
        let (meta, rules) = (meta?, rules?);
        Some(Exam {
            meta,
            rules: rules.0,
            sections: sections.into_iter().map(|(s, _)| s).collect(),
            questions,
        })
    }

    fn text(&mut self, field: &str, value: Spanned<String>) -> String {
        if value.get_ref().trim().is_empty() {
            self.error(
                Diagnostic::error("empty-text", format!("`{field}` is empty"), value.span())
                    .label("write something here"),
            );
        }
        value.into_inner()
    }

    fn id(&mut self, what: &str, value: Spanned<String>) -> String {
        let id = value.get_ref();
        let ok = !id.is_empty()
            && id.len() <= 64
            && id.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if !ok {
            self.error(
                Diagnostic::error("bad-id", format!("{what} id `{id}` is not a valid id"), value.span())
                    .label("invalid id")
                    .help("an id starts with a letter or digit and holds only letters, digits, `-`, `_` and `.` (64 at most)"),
            );
        }
        value.into_inner()
    }

    fn meta(&mut self, m: RawMeta) -> Meta {
        let id = self.id("exam", m.id);
        let version = self.text("version", m.version);
        let title = self.text("title", m.title);
        let skill_block = m
            .skill_block
            .map_or_else(|| title.clone(), |s| self.text("skill_block", s));
        if let Err(why) = lang::check(m.language.get_ref()) {
            self.error(
                Diagnostic::error("unknown-language", why, m.language.span())
                    .label("unknown language")
                    .help("use an ISO 639-1 code such as `en` or `fr`, optionally with a region: `fr-CA`"),
            );
        }
        let description = self.text("description", m.description);
        let outcomes_span = m.learning_outcomes.span();
        let learning_outcomes: Vec<String> = m
            .learning_outcomes
            .into_inner()
            .into_iter()
            .map(|o| self.text("learning_outcomes", o))
            .collect();
        if learning_outcomes.is_empty() {
            self.error(
                Diagnostic::error(
                    "no-learning-outcomes",
                    "`learning_outcomes` is empty",
                    outcomes_span,
                )
                .label("no outcome")
                .help("list what a learner who passes can do: credentials carry these outcomes"),
            );
        }
        let workload_hours = *m.workload_hours.get_ref();
        if !(workload_hours > 0.0 && workload_hours.is_finite()) {
            self.error(
                Diagnostic::error(
                    "not-positive",
                    "`workload_hours` must be a positive number of hours",
                    m.workload_hours.span(),
                )
                .label("not positive"),
            );
        }
        let ects = m.ects.map(|e| {
            if !(*e.get_ref() > 0.0 && e.get_ref().is_finite()) {
                self.error(
                    Diagnostic::error(
                        "not-positive",
                        "`ects` must be a positive number of credits",
                        e.span(),
                    )
                    .label("not positive"),
                );
            }
            e.into_inner()
        });
        let eqf_level = m.eqf_level.and_then(|l| match u8::try_from(*l.get_ref()) {
            Ok(v @ 1..=8) => Some(v),
            _ => {
                self.error(
                    Diagnostic::error("bad-eqf-level", format!("EQF level {} does not exist", l.get_ref()), l.span())
                        .label("expected 1 to 8")
                        .help("the European Qualifications Framework has levels 1 to 8; leave `eqf_level` out when none applies"),
                );
                None
            }
        });
        Meta {
            id,
            version,
            title,
            skill_block,
            language: m.language.into_inner(),
            description,
            learning_outcomes,
            workload_hours,
            ects,
            eqf_level,
            prerequisites: m
                .prerequisites
                .into_iter()
                .map(Spanned::into_inner)
                .collect(),
            stackability: m.stackability.map(Spanned::into_inner),
        }
    }

    fn duration(&mut self, field: &str, value: &Spanned<String>) -> Option<Duration> {
        match duration::parse(value.get_ref()) {
            Ok(d) => Some(d),
            Err(why) => {
                self.error(
                    Diagnostic::error(
                        "bad-duration",
                        format!("`{field}` is not a duration: {why}"),
                        value.span(),
                    )
                    .label("expected e.g. \"45m\" or \"1h30m\""),
                );
                None
            }
        }
    }

    fn choice<T: Copy>(
        &mut self,
        field: &str,
        value: Option<Spanned<String>>,
        options: &[(&str, T)],
        default: T,
    ) -> T {
        let Some(value) = value else { return default };
        if let Some((_, v)) = options.iter().find(|(name, _)| name == value.get_ref()) {
            return *v;
        }
        let names: Vec<String> = options.iter().map(|(n, _)| format!("`\"{n}\"`")).collect();
        self.error(
            Diagnostic::error(
                "unknown-value",
                format!("`{field}` cannot be `\"{}\"`", value.get_ref()),
                value.span(),
            )
            .label("unknown value")
            .help(format!("expected one of {}", names.join(", "))),
        );
        default
    }

    /// Returns the rules and the span of `questions = N` with its value, if given.
    fn rules(&mut self, r: RawRules) -> (Rules, Option<(i64, Range<usize>)>) {
        let limit_span = r.time_limit.span();
        let time_limit = self
            .duration("time_limit", &r.time_limit)
            .unwrap_or(Duration::from_secs(60));
        if time_limit.is_zero() {
            self.error(
                Diagnostic::error(
                    "bad-duration",
                    "`time_limit` must be longer than zero",
                    limit_span.clone(),
                )
                .label("zero"),
            );
        }
        let threshold = *r.mastery_threshold.get_ref();
        self.percent("mastery_threshold", threshold, r.mastery_threshold.span());
        let max_attempts = r
            .max_attempts
            .and_then(|a| match u32::try_from(*a.get_ref()) {
                Ok(v) if v > 0 => Some(v),
                _ => {
                    self.error(
                        Diagnostic::error(
                            "not-positive",
                            "`max_attempts` must be at least 1",
                            a.span(),
                        )
                        .label("not positive")
                        .help("leave `max_attempts` out to allow any number of attempts"),
                    );
                    None
                }
            });
        let attempt_delay = r
            .attempt_delay
            .and_then(|d| self.duration("attempt_delay", &d))
            .unwrap_or(Duration::ZERO);
        let mut warnings = Vec::new();
        if let Some(list) = r.warnings {
            for w in list.into_inner() {
                if let Some(d) = self.duration("warnings", &w) {
                    if d >= time_limit && !time_limit.is_zero() {
                        self.error(
                            Diagnostic::warning(
                                "warning-after-limit",
                                "this warning mark is not shorter than the time limit",
                                w.span(),
                            )
                            .label("never shown")
                            .related(limit_span.clone(), "the time limit"),
                        );
                    }
                    warnings.push(d);
                }
            }
        } else {
            warnings = vec![Duration::from_secs(300), Duration::from_secs(60)];
        }
        warnings.sort_unstable_by(|a, b| b.cmp(a));
        warnings.dedup();
        let rules = Rules {
            time_limit,
            mastery_threshold: threshold,
            navigation: self.choice(
                "navigation",
                r.navigation,
                &[
                    ("free", Navigation::Free),
                    ("sequential", Navigation::Sequential),
                ],
                Navigation::Free,
            ),
            shuffle_questions: r.shuffle_questions.unwrap_or(true),
            shuffle_choices: r.shuffle_choices.unwrap_or(true),
            max_attempts,
            attempt_delay,
            review: self.choice(
                "review",
                r.review,
                &[("full", Review::Full), ("score-only", Review::ScoreOnly)],
                Review::Full,
            ),
            scoring: self.choice(
                "scoring",
                r.scoring,
                &[
                    ("all-or-nothing", Scoring::AllOrNothing),
                    ("partial", Scoring::Partial),
                ],
                Scoring::AllOrNothing,
            ),
            paste: self.choice(
                "paste",
                r.paste,
                &[("refuse", Paste::Refuse), ("allow", Paste::Allow)],
                Paste::Refuse,
            ),
            warnings,
        };
        (rules, r.questions.map(|q| (*q.get_ref(), q.span())))
    }

    fn percent(&mut self, field: &str, value: f64, span: Range<usize>) {
        if !(0.0..=100.0).contains(&value) {
            self.error(
                Diagnostic::error(
                    "percent-out-of-range",
                    format!("`{field}` is {value}, outside 0 to 100"),
                    span,
                )
                .label("not a percentage")
                .help("scores are percentages of the points: write a number from 0 to 100"),
            );
        }
    }

    #[allow(clippy::type_complexity)]
    fn sections(
        &mut self,
        raw: Vec<(RawSection, Range<usize>)>,
    ) -> (Vec<(Section, RawSectionInfo)>, HashMap<String, usize>) {
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut first_span: Vec<Range<usize>> = Vec::new();
        let mut sections = Vec::with_capacity(raw.len());
        for (s, _) in raw {
            let id_span = s.id.span();
            let id = self.id("section", s.id);
            if let Some(&prev) = ids.get(&id) {
                self.error(
                    Diagnostic::error(
                        "duplicate-section-id",
                        format!("section id `{id}` is used twice"),
                        id_span.clone(),
                    )
                    .label("second use")
                    .related(first_span[prev].clone(), "first used here")
                    .help("give each section its own id"),
                );
            } else {
                ids.insert(id.clone(), sections.len());
            }
            first_span.push(id_span.clone());
            let title = self.text("title", s.title);
            let draw = match u32::try_from(*s.draw.get_ref()) {
                Ok(d) => d,
                Err(_) => {
                    self.error(
                        Diagnostic::error(
                            "negative-draw",
                            "`draw` cannot be negative",
                            s.draw.span(),
                        )
                        .label("negative"),
                    );
                    0
                }
            };
            let min_score = s.min_score.map(|m| {
                self.percent("min_score", *m.get_ref(), m.span());
                m.into_inner()
            });
            sections.push((
                Section {
                    id,
                    title,
                    description: s.description,
                    draw,
                    min_score,
                    pool: Vec::new(),
                },
                RawSectionInfo {
                    id_span,
                    draw_span: s.draw.span(),
                },
            ));
        }
        (sections, ids)
    }

    fn draws(
        &mut self,
        sections: &[(Section, RawSectionInfo)],
        total: Option<&(i64, Range<usize>)>,
    ) {
        let mut sum: u64 = 0;
        for (s, info) in sections {
            sum += u64::from(s.draw);
            if s.draw as usize > s.pool.len() {
                self.error(
                    Diagnostic::error(
                        "draw-exceeds-pool",
                        format!(
                            "section `{}` draws {} questions but its pool holds {}",
                            s.id,
                            s.draw,
                            s.pool.len()
                        ),
                        info.draw_span.clone(),
                    )
                    .label("more than the pool holds")
                    .help(format!(
                        "add questions to `{}` or lower `draw` to at most {}",
                        s.id,
                        s.pool.len()
                    )),
                );
            } else if s.draw == 0 && s.pool.is_empty() {
                self.error(
                    Diagnostic::warning(
                        "empty-section",
                        format!("section `{}` has no questions and draws none", s.id),
                        info.id_span.clone(),
                    )
                    .label("unused section"),
                );
            }
        }
        if sum == 0 {
            let span = sections.first().map_or(0..0, |(_, i)| i.draw_span.clone());
            self.error(
                Diagnostic::error("zero-draw", "the sections draw no question at all", span)
                    .label("every `draw` is 0")
                    .help("set `draw` in at least one `[[sections]]` to the number of questions to ask"),
            );
        }
        if let Some((n, span)) = total
            && u64::try_from(*n).ok() != Some(sum)
        {
            self.error(
                Diagnostic::error("draw-total-mismatch", format!("`questions` says {n} but the sections draw {sum}"), span.clone())
                    .label(format!("the sections' draws add up to {sum}"))
                    .help("`questions` is optional: remove it, or make it the sum of the sections' `draw`"),
            );
        }
    }

    fn questions(
        &mut self,
        raw: Vec<(RawQuestion, Range<usize>)>,
        sections: &HashMap<String, usize>,
        complete: bool,
    ) -> Vec<Question> {
        let mut ids: HashMap<String, Range<usize>> = HashMap::new();
        let mut prompts: HashMap<String, (String, Range<usize>)> = HashMap::new();
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
                let key = q
                    .prompt
                    .get_ref()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase();
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

    /// Reports fields that the question's kind does not use.
    fn unused(&mut self, id: &str, kind: &str, fields: &[(&str, Option<Range<usize>>)]) {
        for (name, span) in fields {
            if let Some(span) = span {
                self.error(
                    Diagnostic::error(
                        "field-not-for-kind",
                        format!("`{name}` does not apply to {kind} question `{id}`"),
                        span.clone(),
                    )
                    .label(format!("not used by `kind = \"{kind}\"`"))
                    .help("remove it, or change `kind`"),
                );
            }
        }
    }

    fn choice_kind(
        &mut self,
        id: &str,
        single: bool,
        rest: Rest,
        kind_span: Range<usize>,
    ) -> Option<Kind> {
        let kind = if single { "single" } else { "multiple" };
        self.unused(
            id,
            kind,
            &[
                ("answer", rest.answer.as_ref().map(Spanned::span)),
                ("tolerance", rest.tolerance),
                ("min", rest.min),
                ("max", rest.max),
                ("unit", rest.unit.as_ref().map(Spanned::span)),
                ("accepted", rest.accepted.as_ref().map(Spanned::span)),
                ("ignore", rest.ignore.as_ref().map(Spanned::span)),
            ],
        );
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
        let mut texts: HashMap<String, Range<usize>> = HashMap::new();
        let mut choice_ids: HashMap<String, Range<usize>> = HashMap::new();
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

    fn true_false(&mut self, id: &str, rest: Rest, kind_span: Range<usize>) -> Option<Kind> {
        self.unused(
            id,
            "true-false",
            &[
                ("choices", rest.choices.as_ref().map(Spanned::span)),
                ("tolerance", rest.tolerance),
                ("min", rest.min),
                ("max", rest.max),
                ("unit", rest.unit.as_ref().map(Spanned::span)),
                ("accepted", rest.accepted.as_ref().map(Spanned::span)),
                ("ignore", rest.ignore.as_ref().map(Spanned::span)),
            ],
        );
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

    fn text_kind(&mut self, id: &str, rest: Rest, kind_span: Range<usize>) -> Option<Kind> {
        self.unused(
            id,
            "text",
            &[
                ("choices", rest.choices.as_ref().map(Spanned::span)),
                ("answer", rest.answer.as_ref().map(Spanned::span)),
                ("tolerance", rest.tolerance),
                ("min", rest.min),
                ("max", rest.max),
                ("unit", rest.unit.as_ref().map(Spanned::span)),
            ],
        );
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

    fn numeric(&mut self, id: &str, rest: Rest, kind_span: Range<usize>) -> Option<Kind> {
        self.unused(
            id,
            "numeric",
            &[
                ("choices", rest.choices.as_ref().map(Spanned::span)),
                ("accepted", rest.accepted.as_ref().map(Spanned::span)),
                ("ignore", rest.ignore.as_ref().map(Spanned::span)),
            ],
        );
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

struct RawSectionInfo {
    id_span: Range<usize>,
    draw_span: Range<usize>,
}

/// The kind-specific fields of a question, split off for the kind checks.
struct Rest {
    choices: Option<Spanned<Vec<Spanned<RawChoice>>>>,
    answer: Option<Spanned<AnswerValue>>,
    tolerance: Option<Range<usize>>,
    tolerance_value: Option<f64>,
    min: Option<Range<usize>>,
    min_value: Option<f64>,
    max: Option<Range<usize>>,
    max_value: Option<f64>,
    unit: Option<Spanned<String>>,
    accepted: Option<Spanned<Vec<Spanned<String>>>>,
    ignore: Option<Spanned<Vec<Spanned<String>>>>,
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
