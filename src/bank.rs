//! The exam bank: a validated, trusted model of one skill block's exam.
//!
//! A bank is read from TOML text in two steps: `raw` mirrors the file with
//! spans, then `validate` checks every rule and builds an [`Exam`], reporting
//! *all* problems as [`Diagnostic`]s. Nothing here reads files: callers pass
//! the bytes in (see [`load`]).

pub mod diagnostic;
pub mod duration;
pub mod import;
pub mod lang;
mod parse;
pub mod raw;
pub mod stats;
mod validate;

pub use diagnostic::{Diagnostic, Severity};

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The largest bank `load` accepts. A 10,000-question bank is about 9 MB;
/// anything far bigger is a mistake (a wrong file), not an exam.
pub const MAX_BANK_BYTES: usize = 32 * 1024 * 1024;

/// A validated exam: metadata, rules, sections and the question pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exam {
    /// What the exam certifies.
    pub meta: Meta,
    /// How it runs and how it is passed.
    pub rules: Rules,
    /// Sub-competences, each drawing from its own pool.
    pub sections: Vec<Section>,
    /// Every question of every pool, in file order.
    pub questions: Vec<Question>,
}

/// Exam metadata, including the EU micro-credential elements it carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// Stable identifier (letters, digits, `-`, `_`, `.`).
    pub id: String,
    /// The bank's version, recorded in attempts and credentials.
    pub version: String,
    /// Human title of the exam.
    pub title: String,
    /// The skill block certified; the title when not given.
    pub skill_block: String,
    /// Language tag of the content (`fr`, `en-GB`…).
    pub language: String,
    /// What the exam covers.
    pub description: String,
    /// What a learner who passes can do.
    pub learning_outcomes: Vec<String>,
    /// Notional workload in hours.
    pub workload_hours: f64,
    /// ECTS credits, where the course awards them.
    pub ects: Option<f64>,
    /// European Qualifications Framework level (1 to 8), where it applies.
    pub eqf_level: Option<u8>,
    /// What a learner should know or hold before taking it.
    pub prerequisites: Vec<String>,
    /// How this credential stacks into larger ones, in the issuer's words.
    pub stackability: Option<String>,
    /// The exam's own picture for its badges: a PNG or SVG file beside the
    /// bank, as written. (Left out of the model's JSON when `None`, so that
    /// banks without it keep their hash.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub badge_image: Option<String>,
    /// That picture, read by whoever read the bank, as a `data:` address;
    /// not part of the model (see [`Meta::badge_image`]).
    #[serde(skip)]
    pub badge_picture: Option<String>,
}

/// Whether learners may move freely between questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Navigation {
    /// Any question, in any order, as often as wanted.
    Free,
    /// One question after the other, never back.
    Sequential,
}

/// What a learner sees of their handed-in attempt, each level adding to
/// the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Review {
    /// Score and per-section bars only.
    ScoreOnly,
    /// Also each question, the learner's answer, and whether it was right.
    Marks,
    /// Also the right answer where theirs was wrong.
    Answers,
    /// Also each question's explanation.
    Full,
}

impl Review {
    /// The words a bank or a kiosk file uses, with their level.
    pub const NAMES: [(&'static str, Review); 4] = [
        ("full", Review::Full),
        ("answers", Review::Answers),
        ("marks", Review::Marks),
        ("score-only", Review::ScoreOnly),
    ];
}

/// How multiple-response questions earn points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scoring {
    /// Full points only when exactly the correct choices are ticked.
    AllOrNothing,
    /// Credit per correct choice ticked, penalty per wrong one, floored at 0.
    Partial,
}

/// What happens when a learner pastes into a text answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Paste {
    /// The paste is ignored and recorded as a proctoring event.
    Refuse,
    /// The pasted text is inserted (and still recorded).
    Allow,
}

/// The exam's rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rules {
    /// Time allowed, before any extra time.
    pub time_limit: Duration,
    /// Overall score needed to pass, in percent (0 to 100).
    pub mastery_threshold: f64,
    /// Free or sequential navigation.
    pub navigation: Navigation,
    /// Whether drawn questions are presented in random order.
    pub shuffle_questions: bool,
    /// Whether choices are presented in random order (pinned ones stay put).
    pub shuffle_choices: bool,
    /// Attempts a learner may start; `None` means no limit.
    pub max_attempts: Option<u32>,
    /// Time a learner waits between two attempts.
    pub attempt_delay: Duration,
    /// What the result screen reveals right after the hand-in.
    pub review: Review,
    /// What the learner sees of their last attempt when it is shown again
    /// later (on coming back when no attempt may start); `None`: as right
    /// after. (Left out of the model's JSON when `None`, so that banks
    /// without it keep their hash.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_later: Option<Review>,
    /// How multiple-response questions score.
    pub scoring: Scoring,
    /// What pasting into a text answer does.
    pub paste: Paste,
    /// Time-left marks at which the learner is warned, largest first.
    pub warnings: Vec<Duration>,
}

impl Rules {
    /// What the learner sees of a handed-in attempt shown again later.
    pub fn later_review(&self) -> Review {
        self.review_later.unwrap_or(self.review)
    }
}

/// A section: a sub-competence with its pool, its draw and an optional minimum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Stable identifier, referenced by questions.
    pub id: String,
    /// Human title, shown on the result screen.
    pub title: String,
    /// Optional longer description.
    pub description: Option<String>,
    /// How many questions each attempt draws from this pool.
    pub draw: u32,
    /// Minimum score in this section, in percent, for mastery.
    pub min_score: Option<f64>,
    /// Indices into [`Exam::questions`] of this section's pool, in file order.
    pub pool: Vec<usize>,
}

/// One question of a pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable identifier, unique in the bank.
    pub id: String,
    /// Index into [`Exam::sections`].
    pub section: usize,
    /// Points earned by a fully right answer.
    pub points: f64,
    /// The question as shown to the learner.
    pub prompt: String,
    /// Shown at review when the policy allows it.
    pub explanation: Option<String>,
    /// Free labels for statistics and authoring.
    pub tags: Vec<String>,
    /// The kind of answer expected, with the key.
    pub kind: Kind,
}

/// A question's kind, with what it takes to be right.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Kind {
    /// Exactly one correct choice.
    Single {
        /// The choices, in file order.
        choices: Vec<Choice>,
    },
    /// One or more correct choices.
    Multiple {
        /// The choices, in file order.
        choices: Vec<Choice>,
    },
    /// A statement that is true or false.
    TrueFalse {
        /// Whether the statement is true.
        answer: bool,
    },
    /// A short typed answer compared after normalisation.
    Text {
        /// Accepted answers.
        accepted: Vec<String>,
        /// What the comparison ignores.
        ignore: Normalisation,
    },
    /// A number, exact within a tolerance or inside a range.
    Numeric {
        /// The accepted values.
        answer: NumericAnswer,
        /// Unit shown beside the field (`€`, `cm`…).
        unit: Option<String>,
    },
}

/// One choice of a choice question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    /// Stable identifier within the question: given by the author, or its
    /// letter in file order (`a`, `b`, …).
    pub id: String,
    /// The choice as shown.
    pub text: String,
    /// Whether ticking it is right.
    pub correct: bool,
    /// Kept at its place when choices are shuffled ("All of the above").
    pub pinned: bool,
}

/// What a short-text comparison ignores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::struct_excessive_bools)]
pub struct Normalisation {
    /// `Paris` equals `paris`.
    pub case: bool,
    /// `éte` equals `ete`.
    pub accents: bool,
    /// Leading, trailing and repeated whitespace.
    pub whitespace: bool,
}

impl Default for Normalisation {
    fn default() -> Self {
        Self {
            case: true,
            accents: false,
            whitespace: true,
        }
    }
}

/// The accepted values of a numeric question.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "type")]
pub enum NumericAnswer {
    /// `value ± tolerance` (inclusive).
    Tolerance {
        /// The expected value.
        value: f64,
        /// How far from it an answer may be.
        tolerance: f64,
    },
    /// Any value in `min..=max`.
    Range {
        /// Smallest accepted value.
        min: f64,
        /// Largest accepted value.
        max: f64,
    },
}

impl Exam {
    /// How many questions an attempt draws: the sum of the sections' draws.
    pub fn draw_count(&self) -> usize {
        self.sections.iter().map(|s| s.draw as usize).sum()
    }

    /// The largest share of a section's pool that one paper draws (1.0:
    /// every paper shows that whole pool). With full review, a learner who
    /// reads one paper's right answers knows that share of the pool.
    pub fn largest_share_drawn(&self) -> f64 {
        self.sections
            .iter()
            .filter(|s| !s.pool.is_empty())
            .map(|s| f64::from(s.draw) / s.pool.len() as f64)
            .fold(0.0, f64::max)
    }
}

/// What loading a bank produced: the exam when there was no error, and every
/// problem found (errors and warnings, in source order).
#[derive(Debug)]
pub struct Loaded {
    /// The validated exam; `None` when any error was found.
    pub exam: Option<Exam>,
    /// Every problem, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Where the exam id is written, when the `[exam]` table could be read
    /// (to point at it when two banks share an id).
    pub id_span: Option<std::ops::Range<usize>>,
}

impl Loaded {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Loads and validates a bank from its bytes.
///
/// Never panics on any input: bytes that are not UTF-8, empty, too large,
/// or not TOML give a diagnostic saying so.
pub fn load(bytes: &[u8]) -> (Loaded, std::borrow::Cow<'_, str>) {
    if bytes.len() > MAX_BANK_BYTES {
        let d = Diagnostic::error(
            "too-large",
            // Readers stop one byte past the limit: the size is "more".
            format!(
                "the bank is larger than {} MiB, the most a bank may be",
                MAX_BANK_BYTES / (1024 * 1024)
            ),
            0..0,
        )
        .help("check that this is the bank you meant; split very large pools into several exams");
        return (failed(d), "".into());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (load_str(text), text.into()),
        Err(e) => {
            // Point at the first bad byte inside the valid prefix's text.
            let valid = e.valid_up_to();
            let text = String::from_utf8_lossy(bytes);
            let at = text
                .char_indices()
                .find(|(_, c)| *c == char::REPLACEMENT_CHARACTER)
                .map_or(valid, |(i, _)| i);
            let d = Diagnostic::error(
                "not-utf8",
                format!("the bank is not valid UTF-8 (byte {valid} is not)"),
                at..at + char::REPLACEMENT_CHARACTER.len_utf8(),
            )
            .label("invalid byte here")
            .help("save the file as UTF-8 (most editors have an encoding option)");
            (failed(d), text)
        }
    }
}

/// Loads and validates a bank from text.
pub fn load_str(source: &str) -> Loaded {
    let (exam, id_span, mut diagnostics) = validate::validate(source);
    diagnostics.sort_by_key(|d| (d.span.start, d.severity));
    let exam = if diagnostics.iter().any(Diagnostic::is_error) {
        None
    } else {
        exam
    };
    Loaded {
        exam,
        diagnostics,
        id_span,
    }
}

fn failed(d: Diagnostic) -> Loaded {
    Loaded {
        exam: None,
        diagnostics: vec![d],
        id_span: None,
    }
}
