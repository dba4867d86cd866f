//! Import of Moodle GIFT and Aiken question banks into brevet TOML.
//!
//! Authors already have banks in Moodle's text formats and should not retype
//! them. Each reader (`gift`, `aiken`) follows Moodle's own importer and
//! turns the text into drafts (plain-text prompts, choices, explanations)
//! plus a report of everything it could not carry over exactly. The
//! finishing pass here checks every draft against brevet's rules, gives
//! ids and sections, writes the bank ([`mod@write`]) and loads it back with
//! [`crate::bank::load_str`]: a bank that does not validate is a bug of the
//! importer and is never handed out.
//!
//! Nothing is silently changed: a question brevet cannot express exactly is
//! skipped, an answer whose partial credit brevet cannot give is dropped,
//! and each case is reported with its line. Multiple-response weights are
//! judged against brevet's `partial` scoring read as "each right choice
//! ticked earns an equal share of the points, each wrong one ticked costs
//! that same share, floored at 0".
//!
//! Nothing here touches the disk: bytes in, TOML text and a report out.

mod aiken;
mod gift;
pub mod html;
mod names;
pub mod write;

use super::{Diagnostic, NumericAnswer};
use names::{Ids, guess_language, section_names, slug, title_from, words};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::time::Duration;

/// The largest file `import` reads, the same bound as for banks.
pub const MAX_SOURCE_BYTES: usize = super::MAX_BANK_BYTES;

/// The question formats brevet imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Moodle's GIFT.
    Gift,
    /// The Aiken format (single-choice questions).
    Aiken,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Gift => "GIFT",
            Self::Aiken => "Aiken",
        })
    }
}

/// How much a reported item matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// A question was found but is not in the bank.
    Skipped,
    /// A line belongs to no question and was not read.
    Ignored,
    /// A question is in the bank without part of what the source said
    /// (a partly right answer, a penalty).
    Changed,
    /// A question is in the bank as the source has it; something is worth
    /// checking (an image the terminal cannot show, a scoring difference).
    Note,
}

impl Level {
    /// Whether something of the source is missing from the bank.
    pub fn is_loss(self) -> bool {
        !matches!(self, Self::Note)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Skipped => "skipped",
            Self::Ignored => "ignored",
            Self::Changed => "changed",
            Self::Note => "note",
        })
    }
}

/// One item of the import report, anchored to a line of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// 1-based line in the source file (0 when no line applies).
    pub line: usize,
    /// What kind of item it is.
    pub level: Level,
    /// What happened and why, in one sentence.
    pub message: String,
}

impl Report {
    pub(crate) fn new(line: usize, level: Level, message: impl Into<String>) -> Self {
        Self {
            line,
            level,
            message: message.into(),
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.level, self.message)
    }
}

/// A successful import: the bank's TOML text and what the report says.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The bank, a valid brevet TOML file with metadata marked `TODO`.
    pub toml: String,
    /// Everything skipped, changed or worth checking, in line order.
    pub report: Vec<Report>,
    /// Questions written to the bank.
    pub converted: usize,
    /// Sections written to the bank.
    pub sections: usize,
}

impl Imported {
    /// Questions found in the source but not written to the bank.
    pub fn skipped(&self) -> usize {
        count(&self.report, Level::Skipped)
    }

    /// Whether everything of the source made it into the bank unchanged.
    pub fn is_complete(&self) -> bool {
        !self.report.iter().any(|r| r.level.is_loss())
    }
}

fn count(report: &[Report], level: Level) -> usize {
    report.iter().filter(|r| r.level == level).count()
}

/// Why an import produced no bank.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file is not text in UTF-8.
    #[error("the file is not valid UTF-8 (byte {0} is not); save it as UTF-8 and try again")]
    NotUtf8(usize),
    /// The file is far too large to be a question bank.
    #[error("the file is {0} bytes; a bank to import may be at most {MAX_SOURCE_BYTES} bytes")]
    TooLarge(usize),
    /// Nothing in the file reads as a question.
    #[error("no {0} question found in the file")]
    NoQuestion(Format, Vec<Report>),
    /// Questions were found but none could be converted.
    #[error("none of the {found} questions found could be converted")]
    NothingConverted {
        /// How many questions the file holds.
        found: usize,
        /// Why each was skipped.
        report: Vec<Report>,
    },
    /// The bank written does not validate: a bug of the importer.
    #[error("the bank written does not validate, which is a bug in brevet import: {0}")]
    InvalidOutput(String),
}

impl ImportError {
    /// The report gathered before the import gave up (may be empty).
    pub fn report(&self) -> &[Report] {
        match self {
            Self::NoQuestion(_, report) | Self::NothingConverted { report, .. } => report,
            _ => &[],
        }
    }
}

/// Imports a GIFT or Aiken file.
///
/// `source_name` is the file's name, used for the placeholder exam id and
/// title and in the bank's header comment.
///
/// # Errors
/// Input that is not UTF-8 or too large, a file with no convertible
/// question, and (a bug) a written bank that does not validate.
pub fn import(format: Format, bytes: &[u8], source_name: &str) -> Result<Imported, ImportError> {
    if bytes.len() > MAX_SOURCE_BYTES {
        return Err(ImportError::TooLarge(bytes.len()));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| ImportError::NotUtf8(e.valid_up_to()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let read = match format {
        Format::Gift => gift::read(text),
        Format::Aiken => aiken::read(text),
    };
    finish(format, read, source_name)
}

/// A question as a reader understood it, before checks, ids and sections.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Draft {
    /// Line where the question starts.
    pub line: usize,
    /// The source's own name for it (GIFT's `::title::`).
    pub name: Option<String>,
    pub prompt: String,
    pub explanation: Option<String>,
    pub tags: Vec<String>,
    pub kind: DraftKind,
}

/// What a drafted question expects.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum DraftKind {
    Single(Vec<DraftChoice>),
    Multiple(Vec<DraftChoice>),
    TrueFalse(bool),
    Text(Vec<String>),
    Numeric(NumericAnswer),
}

/// One choice of a drafted choice question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DraftChoice {
    pub text: String,
    pub correct: bool,
}

/// A group of drafts: a GIFT `$CATEGORY`, or the whole file.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct DraftSection {
    /// The category path as written; `None` before any `$CATEGORY`.
    pub name: Option<String>,
    /// Line of the `$CATEGORY` (0 for the unnamed group).
    pub line: usize,
    pub questions: Vec<Draft>,
    /// Questions of this group the reader skipped.
    pub skipped: usize,
}

/// What a reader found.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Read {
    pub sections: Vec<DraftSection>,
    pub report: Vec<Report>,
}

impl Read {
    /// The group for `name`, created at `line` when new.
    pub fn section(&mut self, name: Option<String>, line: usize) -> &mut DraftSection {
        let index = match self.sections.iter().position(|s| s.name == name) {
            Some(i) => i,
            None => {
                self.sections.push(DraftSection {
                    name,
                    line,
                    questions: Vec::new(),
                    skipped: 0,
                });
                self.sections.len() - 1
            }
        };
        &mut self.sections[index]
    }
}

/// How a question is named in the report: its title, or the start of its text.
pub(crate) fn subject(name: Option<&str>, prompt: &str) -> String {
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => format!("“{}”", preview(n, 60)),
        None if prompt.trim().is_empty() => "(no text)".into(),
        None => format!("“{}”", preview(prompt, 60)),
    }
}

/// The first `max` characters of `text` on one line, with `…` when cut.
pub(crate) fn preview(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Formats a fraction (0.5) as a percentage (`50%`), without noise digits.
pub(crate) fn percent(fraction: f64) -> String {
    let p = fraction * 100.0;
    // Adding 0.0 turns -0 into 0.
    let rounded = (p * 100.0).round() / 100.0 + 0.0;
    format!("{rounded}%")
}

/// Builds an explanation from general feedback and per-answer feedback.
pub(crate) fn explanation(general: &str, per_answer: &[(String, String)]) -> Option<String> {
    let mut out = String::new();
    if !general.trim().is_empty() {
        out.push_str(general.trim());
    }
    let lines: Vec<&(String, String)> = per_answer
        .iter()
        .filter(|(_, fb)| !fb.trim().is_empty())
        .collect();
    if !lines.is_empty() {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str("Feedback on the answers:");
        for (label, fb) in lines {
            out.push_str("\n- ");
            out.push_str(&preview(label, 60));
            out.push_str(": ");
            out.push_str(&fb.trim().replace('\n', "\n  "));
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Why a draft cannot become a valid brevet question, if it cannot: the
/// same rules `brevet check` enforces, said in the importer's words.
fn unfit(draft: &Draft) -> Option<String> {
    if draft.prompt.trim().is_empty() {
        return Some("its question text is empty".into());
    }
    match &draft.kind {
        DraftKind::Single(choices) | DraftKind::Multiple(choices) => {
            if choices.len() < 2 {
                return Some(format!(
                    "it has {} choice, and a choice question needs at least two",
                    choices.len()
                ));
            }
            if let Some(i) = choices.iter().position(|c| c.text.trim().is_empty()) {
                return Some(format!("its choice {} is empty", i + 1));
            }
            let mut seen = HashSet::new();
            for c in choices {
                if !seen.insert(c.text.trim().to_lowercase()) {
                    return Some(format!(
                        "two of its choices read the same (“{}”), so a learner could not tell them apart",
                        preview(&c.text, 40)
                    ));
                }
            }
            let right = choices.iter().filter(|c| c.correct).count();
            match (&draft.kind, right) {
                (DraftKind::Single(_), 1) | (DraftKind::Multiple(_), 1..) => None,
                (DraftKind::Single(_), n) => Some(format!(
                    "it has {n} right choices, and a single-choice question has exactly one"
                )),
                _ => Some("none of its choices is right".into()),
            }
        }
        DraftKind::Text(accepted) => {
            if accepted.is_empty() {
                Some("it accepts no answer".into())
            } else if accepted.iter().any(|a| a.trim().is_empty()) {
                Some("one of its accepted answers is empty".into())
            } else {
                None
            }
        }
        DraftKind::Numeric(NumericAnswer::Tolerance { value, tolerance }) => {
            if !value.is_finite() || !tolerance.is_finite() {
                Some("its answer is not a finite number".into())
            } else if *tolerance < 0.0 {
                Some("its tolerance is negative".into())
            } else {
                None
            }
        }
        DraftKind::Numeric(NumericAnswer::Range { min, max }) => {
            if !min.is_finite() || !max.is_finite() {
                Some("its range is not made of finite numbers".into())
            } else if min > max {
                Some(format!("its range {min}..{max} is empty"))
            } else {
                None
            }
        }
        DraftKind::TrueFalse(_) => None,
    }
}

/// A question ready to be written: its draft, id and section id.
pub(crate) struct Placed<'a> {
    pub id: String,
    pub section: String,
    pub draft: &'a Draft,
}

/// A section ready to be written.
pub(crate) struct PlacedSection {
    pub id: String,
    pub title: String,
    pub draw: usize,
    /// The category it comes from and that category's line.
    pub origin: Option<(String, usize)>,
}

/// Checks the drafts, places them in sections, writes the bank and makes
/// sure it validates.
fn finish(format: Format, read: Read, source_name: &str) -> Result<Imported, ImportError> {
    let Read {
        sections,
        mut report,
    } = read;
    let found =
        sections.iter().map(|s| s.questions.len()).sum::<usize>() + count(&report, Level::Skipped);
    let mut ids = Ids(HashSet::new());
    let mut section_ids = Ids(HashSet::new());
    let mut placed_sections = Vec::new();
    let mut placed: Vec<Placed<'_>> = Vec::new();
    for section in &sections {
        let fit: Vec<&Draft> = section
            .questions
            .iter()
            .filter(|d| match unfit(d) {
                Some(why) => {
                    report.push(Report::new(
                        d.line,
                        Level::Skipped,
                        format!("question {}: {why}", subject(d.name.as_deref(), &d.prompt)),
                    ));
                    false
                }
                None => true,
            })
            .collect();
        if fit.is_empty() {
            if let Some(name) = &section.name {
                let why = if section.questions.is_empty() && section.skipped == 0 {
                    "holds no question"
                } else {
                    "holds no question that could be converted"
                };
                report.push(Report::new(
                    section.line,
                    Level::Note,
                    format!("category “{name}” {why}: no section was made for it"),
                ));
            }
            continue;
        }
        let (id, title) = match &section.name {
            Some(name) => section_names(name),
            None => ("general".to_string(), "General".to_string()),
        };
        let id = section_ids.unique(if id.is_empty() { "section" } else { &id });
        for d in &fit {
            let base = d
                .name
                .as_deref()
                .map(|n| slug(n, 40))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| slug(&words(&d.prompt, 8), 40));
            let base = if base.is_empty() {
                "question".to_string()
            } else {
                base
            };
            placed.push(Placed {
                id: ids.unique(&base),
                section: id.clone(),
                draft: d,
            });
        }
        placed_sections.push(PlacedSection {
            id,
            title,
            draw: fit.len(),
            origin: section.name.clone().map(|n| (n, section.line)),
        });
    }
    if placed.is_empty() {
        report.sort_by_key(|r| r.line);
        return Err(if found == 0 {
            ImportError::NoQuestion(format, report)
        } else {
            ImportError::NothingConverted { found, report }
        });
    }
    same_prompts(&placed, &mut report);
    let language = guess_language(placed.iter().map(|p| p.draft.prompt.as_str()));
    let stem = source_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(source_name);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    let exam_id = Some(slug(stem, 48))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "imported-exam".into());
    report.sort_by_key(|r| r.line);
    let lost: Vec<&Report> = report
        .iter()
        .filter(|r| r.level == Level::Skipped)
        .collect();
    let plan = write::Plan {
        source_name,
        format,
        exam_id,
        title: title_from(stem),
        language,
        time_limit: time_limit(placed.len()),
        found,
        sections: &placed_sections,
        questions: &placed,
        skipped: &lost,
    };
    let toml = write::render(&plan);
    let loaded = super::load_str(&toml);
    let errors: Vec<&Diagnostic> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() || loaded.exam.as_ref().map(|e| e.questions.len()) != Some(placed.len()) {
        let what: Vec<String> = errors
            .iter()
            .take(3)
            .map(|d| format!("[{}] {}", d.code, d.message))
            .collect();
        return Err(ImportError::InvalidOutput(if what.is_empty() {
            "the question count differs".into()
        } else {
            what.join("; ")
        }));
    }
    for d in loaded
        .diagnostics
        .iter()
        .filter(|d| !d.is_error() && d.code != "duplicate-prompt")
    {
        report.push(Report::new(
            0,
            Level::Note,
            format!("`brevet check` warns: {}", d.message),
        ));
    }
    Ok(Imported {
        toml,
        report,
        converted: placed.len(),
        sections: placed_sections.len(),
    })
}

/// The rule of thumb for the time limit: 1.5 minutes per question asked,
/// rounded up to whole minutes.
fn time_limit(questions: usize) -> Duration {
    let seconds = u64::try_from(questions)
        .unwrap_or(u64::MAX / 90)
        .saturating_mul(90);
    Duration::from_secs(seconds.div_ceil(60).max(1) * 60)
}

/// Notes questions whose prompts read the same, as `brevet check` warns.
fn same_prompts(placed: &[Placed<'_>], report: &mut Vec<Report>) {
    let mut first: HashMap<String, &Placed<'_>> = HashMap::new();
    for p in placed {
        let key = p
            .draft
            .prompt
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        if let Some(other) = first.get(&key) {
            report.push(Report::new(
                p.draft.line,
                Level::Note,
                format!(
                    "question `{}` has the same text as `{}` (line {}); `brevet check` will warn, so reword one",
                    p.id, other.id, other.draft.line
                ),
            ));
        } else {
            first.insert(key, p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_limit_is_a_minute_and_a_half_per_question() {
        assert_eq!(time_limit(1), Duration::from_secs(120));
        assert_eq!(time_limit(2), Duration::from_secs(180));
        assert_eq!(time_limit(15), Duration::from_secs(23 * 60));
    }

    #[test]
    fn explanations_fold_feedback() {
        let e = explanation(
            "General.",
            &[
                ("Paris".into(), "Yes!\nWell done.".into()),
                ("Lyon".into(), String::new()),
            ],
        );
        assert_eq!(
            e.as_deref(),
            Some("General.\n\nFeedback on the answers:\n- Paris: Yes!\n  Well done.")
        );
        assert_eq!(explanation(" ", &[("a".into(), " ".into())]), None);
    }

    #[test]
    fn percentages_read_well() {
        assert_eq!(percent(0.5), "50%");
        assert_eq!(percent(-0.333_333_3), "-33.33%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(-0.0), "0%");
    }
}
