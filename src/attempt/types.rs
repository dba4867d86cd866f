//! The values an attempt is made of and talks in: who, how, answers,
//! commands, events and outcomes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Who takes the attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Learner {
    /// Full name, as printed on the credential.
    pub name: String,
    /// The organisation's identifier for the learner, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The learner's e-mail address, when given: the credential carries it
    /// only hashed (salted), so that a verifier who is told the address can
    /// check it, and nobody can read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// How an attempt is run, beyond the exam's own rules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Options {
    /// Extra time in percent of the limit (`33` for the French "tiers-temps").
    pub extra_time_percent: u32,
    /// Whether a proctor supervises the attempt (kiosk mode).
    pub supervised: bool,
    /// Whether a proctor checked the learner's identity.
    pub identity_verified: bool,
}

/// The first journal record: everything needed to rebuild the paper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// The exam's id.
    pub exam_id: String,
    /// The bank's version.
    pub exam_version: String,
    /// Hex SHA-256 of the bank's canonical content (see [`crate::attempt::bank_hash`]).
    pub bank_hash: String,
    /// The seed the paper was drawn from.
    pub seed: u64,
    /// Who takes it.
    pub learner: Learner,
    /// Options it runs with.
    pub options: Options,
    /// When the clock started.
    pub started_at: DateTime<Utc>,
    /// When it ends, extra time included; fixed at start.
    pub deadline: DateTime<Utc>,
}

/// A learner's answer to one question, in terms of the bank (choice indices
/// are the bank's, not the display order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum Response {
    /// One choice (single-choice questions).
    Choice(usize),
    /// Any set of choices, sorted (multiple-response questions).
    Choices(Vec<usize>),
    /// True or false.
    Bool(bool),
    /// Typed text.
    Text(String),
    /// A number.
    Number(f64),
}

/// Why an attempt was submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmitReason {
    /// The learner submitted it.
    Learner,
    /// The time ran out.
    TimeUp,
    /// A proctor ended it.
    Proctor,
}

/// Things a proctor (or the kiosk) wants on record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ProctorEvent {
    /// The terminal lost focus.
    FocusLost,
    /// The terminal got focus back.
    FocusGained,
    /// A paste was refused (its length in characters).
    PasteRefused {
        /// Characters in the refused paste.
        chars: usize,
    },
    /// A paste was allowed into a text answer.
    PasteAllowed {
        /// Characters pasted.
        chars: usize,
    },
    /// The terminal was resized.
    Resized {
        /// New width in columns.
        width: u16,
        /// New height in rows.
        height: u16,
    },
    /// The attempt was resumed after an interruption.
    Resumed {
        /// Bytes of a torn journal line dropped on resume.
        torn_bytes: usize,
    },
    /// A proctor granted extra time.
    ExtraTime {
        /// Seconds added to the deadline.
        seconds: u64,
    },
}

/// A change to an attempt, as journaled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Event {
    /// An answer was given or changed.
    Answered {
        /// Paper position.
        item: usize,
        /// The answer.
        response: Response,
    },
    /// An answer was removed.
    Cleared {
        /// Paper position.
        item: usize,
    },
    /// A question was flagged or unflagged for review.
    Flagged {
        /// Paper position.
        item: usize,
        /// Flag on or off.
        on: bool,
    },
    /// The learner moved to another question.
    Moved {
        /// Paper position.
        to: usize,
    },
    /// The attempt was submitted; nothing changes after this.
    Submitted {
        /// Why.
        reason: SubmitReason,
    },
    /// A proctoring event.
    Proctor {
        /// What happened.
        event: ProctorEvent,
    },
}

/// What the learner (or the edge) asks of the attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Answer question `item`.
    Answer {
        /// Paper position.
        item: usize,
        /// The answer.
        response: Response,
    },
    /// Remove the answer to `item`.
    Clear {
        /// Paper position.
        item: usize,
    },
    /// Flag or unflag `item`.
    Flag {
        /// Paper position.
        item: usize,
        /// On or off.
        on: bool,
    },
    /// Go to a paper position.
    GoTo(usize),
    /// Go to the next question.
    Next,
    /// Go to the previous question.
    Previous,
    /// Hand the attempt in.
    Submit,
    /// End the attempt on a proctor's decision.
    EndByProctor,
    /// Nothing but the passing of time: check warnings and the deadline.
    Tick,
    /// Record a proctoring event.
    Proctor(ProctorEvent),
}

/// Why a command was refused. The state is unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// The attempt is already submitted.
    Finished,
    /// There is no question at that position.
    NoSuchItem,
    /// Sequential navigation: going back is not allowed.
    NoGoingBack,
    /// Sequential navigation: only the current question can be answered, and
    /// only the next one reached.
    NoSkipping,
    /// The answer does not fit the question's kind (or names no such choice).
    WrongAnswerKind,
    /// Already at the first or last question.
    AtEdge,
}

/// What a command did, for the screen to show.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The change was recorded.
    Recorded,
    /// Now at this paper position.
    Moved(usize),
    /// Nothing to do (e.g. a tick with nothing to report).
    Nothing,
    /// A warning mark was passed: this much time is left.
    Warning(Duration),
    /// The attempt is over.
    Submitted(SubmitReason),
    /// The command was refused, state unchanged.
    Refused(Refusal),
}

/// Where the attempt stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Answers are being taken.
    InProgress,
    /// Handed in (at that time, for that reason).
    Submitted {
        /// When.
        at: DateTime<Utc>,
        /// Why.
        reason: SubmitReason,
    },
}

/// Counts of proctoring events, carried into results and credentials.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventCounts {
    /// Times the terminal lost focus.
    pub focus_lost: u32,
    /// Pastes refused.
    pub paste_refused: u32,
    /// Pastes allowed.
    pub paste_allowed: u32,
    /// Resizes.
    pub resized: u32,
    /// Resumes after an interruption.
    pub resumed: u32,
    /// Extra-time grants by a proctor.
    pub extra_time_grants: u32,
    /// Attempts ended by a proctor.
    pub ended_by_proctor: u32,
}
