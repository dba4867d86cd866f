//! The bank as written: serde types that mirror the TOML file, with spans.
//!
//! These types accept anything that is well-typed so that the validation pass
//! (`validate.rs`) can report every semantic problem at once, pointing at the
//! exact value. Nothing here is trusted: `bank::Exam` is the validated model.

// Field meanings are documented for authors in docs/exam-format.md.
#![allow(missing_docs)]

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::fmt;
use toml::Spanned;

/// `[exam]`: what the exam certifies.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    pub id: Spanned<String>,
    pub version: Spanned<String>,
    pub title: Spanned<String>,
    #[serde(default)]
    pub skill_block: Option<Spanned<String>>,
    pub language: Spanned<String>,
    pub description: Spanned<String>,
    pub learning_outcomes: Spanned<Vec<Spanned<String>>>,
    pub workload_hours: Spanned<f64>,
    #[serde(default)]
    pub ects: Option<Spanned<f64>>,
    #[serde(default)]
    pub eqf_level: Option<Spanned<i64>>,
    #[serde(default)]
    pub prerequisites: Vec<Spanned<String>>,
    #[serde(default)]
    pub stackability: Option<Spanned<String>>,
    #[serde(default)]
    pub badge_image: Option<Spanned<String>>,
}

/// `[rules]`: how the exam is run and passed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRules {
    pub time_limit: Spanned<String>,
    pub mastery_threshold: Spanned<f64>,
    #[serde(default)]
    pub questions: Option<Spanned<i64>>,
    #[serde(default)]
    pub navigation: Option<Spanned<String>>,
    #[serde(default)]
    pub shuffle_questions: Option<bool>,
    #[serde(default)]
    pub shuffle_choices: Option<bool>,
    #[serde(default)]
    pub max_attempts: Option<Spanned<i64>>,
    #[serde(default)]
    pub attempt_delay: Option<Spanned<String>>,
    #[serde(default)]
    pub review: Option<Spanned<String>>,
    #[serde(default)]
    pub review_later: Option<Spanned<String>>,
    #[serde(default)]
    pub scoring: Option<Spanned<String>>,
    #[serde(default)]
    pub paste: Option<Spanned<String>>,
    #[serde(default)]
    pub warnings: Option<Spanned<Vec<Spanned<String>>>>,
}

/// One `[[sections]]` entry: a sub-competence with its own draw.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSection {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub draw: Spanned<i64>,
    #[serde(default)]
    pub min_score: Option<Spanned<f64>>,
}

/// One `[[questions]]` entry. Fields of every kind live side by side; the
/// validation pass says which ones do not belong to the declared kind.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub id: Spanned<String>,
    pub section: Spanned<String>,
    pub kind: Spanned<String>,
    #[serde(default)]
    pub points: Option<Spanned<f64>>,
    pub prompt: Spanned<String>,
    #[serde(default)]
    pub explanation: Option<Spanned<String>>,
    #[serde(default)]
    pub tags: Vec<Spanned<String>>,
    #[serde(default)]
    pub choices: Option<Spanned<Vec<Spanned<RawChoice>>>>,
    #[serde(default)]
    pub answer: Option<Spanned<AnswerValue>>,
    #[serde(default)]
    pub tolerance: Option<Spanned<f64>>,
    #[serde(default)]
    pub min: Option<Spanned<f64>>,
    #[serde(default)]
    pub max: Option<Spanned<f64>>,
    #[serde(default)]
    pub unit: Option<Spanned<String>>,
    #[serde(default)]
    pub accepted: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub ignore: Option<Spanned<Vec<Spanned<String>>>>,
}

/// One choice of a single-choice or multiple-response question.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChoice {
    #[serde(default)]
    pub id: Option<Spanned<String>>,
    pub text: Spanned<String>,
    #[serde(default)]
    pub correct: bool,
    #[serde(default)]
    pub pin: bool,
}

/// `answer = …`: a boolean for true/false questions, a number for numeric ones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AnswerValue {
    /// `answer = true` or `answer = false`.
    Bool(bool),
    /// `answer = 42` or `answer = 3.14`.
    Number(f64),
}

impl<'de> Deserialize<'de> for AnswerValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnswerVisitor;
        impl Visitor<'_> for AnswerVisitor {
            type Value = AnswerValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`true`/`false` (true-false question) or a number (numeric question)")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<AnswerValue, E> {
                #[allow(clippy::cast_precision_loss)]
                Ok(AnswerValue::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<AnswerValue, E> {
                #[allow(clippy::cast_precision_loss)]
                Ok(AnswerValue::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Number(v))
            }
        }
        deserializer.deserialize_any(AnswerVisitor)
    }
}
