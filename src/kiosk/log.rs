//! What the kiosk records: the event log (one JSON line per PIN try,
//! proctor action, learner change, start and stop) and the room's results
//! (one JSON line per finished attempt). The types are pure; the kiosk's
//! edge adds the time and appends the lines.

use crate::attempt::Learner;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// File name of the event log, in the results folder.
pub const LOG_FILE: &str = "kiosk-log.jsonl";
/// File name of the results log, in the results folder.
pub const RESULTS_FILE: &str = "results.jsonl";

/// Why the proctor PIN was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// To open the proctor menu.
    Menu,
    /// To vouch for a learner's identity.
    Identity,
    /// To let a learner resume their unfinished attempt.
    Resume,
}

/// One thing that happened at the kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Kind {
    /// The kiosk started.
    KioskStarted,
    /// The kiosk stopped (proctor exit or signal).
    KioskStopped {
        /// `proctor` or `signal`.
        by: String,
    },
    /// The right PIN was typed.
    PinRight {
        /// What it was for.
        purpose: Purpose,
    },
    /// A wrong PIN was typed.
    PinWrong {
        /// What it was for.
        purpose: Purpose,
        /// Wrong tries in a row.
        failures: u32,
        /// Input refused until then, when a delay started.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        locked_until: Option<DateTime<Utc>>,
    },
    /// A PIN was typed while input was refused (not checked).
    PinRefused {
        /// Refused until then.
        locked_until: DateTime<Utc>,
    },
    /// The proctor confirmed the learner's identity.
    IdentityConfirmed,
    /// An attempt started.
    AttemptStarted {
        /// The exam's id.
        exam: String,
    },
    /// At start, an attempt left unfinished (crash, kill) was found.
    InterruptedFound {
        /// The exam's id.
        exam: String,
    },
    /// An interrupted attempt was resumed.
    AttemptResumed {
        /// The exam's id.
        exam: String,
    },
    /// The exam's attempt rules refused a new attempt.
    AttemptRefused {
        /// Why, as shown.
        reason: String,
    },
    /// The proctor added time to the running attempt.
    ExtraTime {
        /// Seconds added.
        seconds: u64,
    },
    /// The proctor ended the running attempt.
    EndedByProctor,
    /// An attempt finished (any reason).
    AttemptFinished {
        /// The exam's id.
        exam: String,
        /// Whether it was passed.
        passed: bool,
    },
    /// The screen went back to the welcome screen (the learner's state dropped).
    LearnerCleared {
        /// `key` or `idle`.
        by: String,
    },
}

/// A log line without its time (the edge stamps it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// What happened.
    #[serde(flatten)]
    pub kind: Kind,
    /// The learner concerned, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learner: Option<Learner>,
}

/// A log line as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// When.
    pub time: DateTime<Utc>,
    /// The room.
    pub room: String,
    /// What.
    #[serde(flatten)]
    pub event: Event,
}

/// One finished attempt in the room's results log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultLine {
    /// The room.
    pub room: String,
    /// The learner's name.
    pub learner: String,
    /// The learner's id, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learner_id: Option<String>,
    /// The exam's id.
    pub exam_id: String,
    /// The bank's version.
    pub exam_version: String,
    /// When the clock started.
    pub started_at: DateTime<Utc>,
    /// When it was submitted.
    pub ended_at: DateTime<Utc>,
    /// Why it ended (`learner`, `time_up`, `proctor`).
    pub reason: String,
    /// Overall score in percent.
    pub score: f64,
    /// Whether the exam was passed.
    pub passed: bool,
    /// Whether a proctor confirmed the learner's identity.
    pub identity_verified: bool,
    /// The credential file, when one was issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
    /// Hash of the journal's last record.
    pub journal_head: String,
}
