//! Semantic rules: from the raw bank to a trusted [`Exam`], reporting every
//! problem at once. Each rule has a stable name, listed with its message in
//! `docs/exam-format.md`.

use super::diagnostic::Diagnostic;
use super::parse::{self, RawBank};
use super::raw::{RawMeta, RawRules, RawSection};
use super::{Exam, Meta, Navigation, Paste, Review, Rules, Scoring, Section, duration, lang};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::time::Duration;
use toml::Spanned;

mod kind;
mod question;

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
            badge_image: m.badge_image.and_then(|image| {
                let name = image.get_ref();
                let lower = name.to_ascii_lowercase();
                let beside = !name.starts_with('/')
                    && !name.split(['/', '\\']).any(|part| part == "..");
                if beside && (lower.ends_with(".png") || lower.ends_with(".svg")) {
                    return Some(image.into_inner());
                }
                self.error(
                    Diagnostic::error(
                        "badge-image",
                        format!("`{name}` is not a PNG or SVG file beside the bank"),
                        image.span(),
                    )
                    .label("expected a .png or .svg path, relative to the bank")
                    .help("e.g. badge_image = \"badges/cybersecurity.png\"; leave it out for the picture brevet draws"),
                );
                None
            }),
            badge_picture: None,
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
            review: self.choice("review", r.review, &Review::NAMES, Review::Full),
            review_later: r
                .review_later
                .is_some()
                .then(|| self.choice("review_later", r.review_later, &Review::NAMES, Review::Full)),
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
    ) -> (Vec<(Section, RawSectionInfo)>, Map<String, usize>) {
        let mut ids: Map<String, usize> = Map::default();
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
}

struct RawSectionInfo {
    id_span: Range<usize>,
    draw_span: Range<usize>,
}

/// The maps that find duplicates (ids, prompts, choice texts).
///
/// std's SipHash guards servers against keys chosen to collide; a bank is the
/// author's own file, and hashing every 250-byte prompt with SipHash was a
/// fifth of the validation time of a large bank. Iteration order is never
/// relied on (the one listing of keys is sorted).
type Map<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// A multiply-rotate hasher over 8-byte words (the `FxHash` scheme) with a
/// final mix, so that hashbrown's high and low bits both vary.
#[derive(Default, Clone, Copy)]
struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut buf = [0; 8];
            buf.copy_from_slice(word);
            self.add(u64::from_le_bytes(buf));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut buf = [0; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        // The splitmix64 finalizer.
        let mut h = self.0;
        h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        h ^ (h >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::Map;

    #[test]
    fn the_fast_map_tells_keys_apart() {
        let mut map: Map<String, usize> = Map::default();
        let keys = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "abcdefgh",
            "abcdefghi",
            "abcdefgh\0",
        ];
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(map.insert((*k).to_string(), i), None, "{k:?}");
        }
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(map.get(*k), Some(&i));
        }
        for i in 0..10_000 {
            map.insert(format!("q{i}"), i);
        }
        assert_eq!(map.len(), keys.len() + 10_000);
    }
}
