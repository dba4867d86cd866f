//! The attempt: one learner's paper, answers and clock, as a state machine.
//!
//! [`Attempt`] is pure: [`Attempt::decide`] turns a [`Command`] and the
//! current time into the [`Event`]s it causes and the [`Outcome`] to show,
//! and [`Attempt::apply_event`] folds an event into the state. Replaying a
//! journal's events therefore rebuilds exactly the live state. [`Session`]
//! ties the two to a journal: each event is written and synced before the
//! state changes and before the outcome is returned.

pub mod draw;
pub mod journal;
pub mod limits;

use crate::bank::{Exam, Kind, Navigation};
use chrono::{DateTime, TimeDelta, Utc};
use draw::Item;
pub use journal::Entry;
use journal::{JournalError, Sink, Writer};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// Who takes the attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Learner {
    /// Full name, as printed on the credential.
    pub name: String,
    /// The organisation's identifier for the learner, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
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
    /// Hex SHA-256 of the bank's canonical content (see [`bank_hash`]).
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

/// One attempt's state.
///
/// Equality compares what the journal records (paper, answers, flags,
/// position, status, deadline, counts), not the latest clock reading seen,
/// which ticks observe without journaling.
#[derive(Debug, Clone)]
pub struct Attempt {
    header: Header,
    paper: Vec<Item>,
    responses: Vec<Option<Response>>,
    flags: Vec<bool>,
    current: usize,
    status: Status,
    deadline: DateTime<Utc>,
    /// Latest time seen: a clock that jumps back never gives time back.
    last_seen: DateTime<Utc>,
    /// Warning marks already announced.
    warned: usize,
    warnings: Vec<Duration>,
    navigation: Navigation,
    counts: EventCounts,
}

impl PartialEq for Attempt {
    fn eq(&self, other: &Self) -> bool {
        self.header == other.header
            && self.paper == other.paper
            && self.responses == other.responses
            && self.flags == other.flags
            && self.current == other.current
            && self.status == other.status
            && self.deadline == other.deadline
            && self.counts == other.counts
    }
}

/// Hex SHA-256 of the bank's canonical content: the validated model as
/// JSON, so formatting and comments do not change it but any content does.
pub fn bank_hash(exam: &Exam) -> String {
    let mut h = Sha256::new();
    h.update(b"brevet bank v1\n");
    // Serialising the validated model cannot fail: it holds no maps with
    // non-string keys and no non-finite floats (validation refuses them).
    h.update(serde_json::to_vec(exam).unwrap_or_default());
    journal::hex(&h.finalize().into())
}

fn delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

impl Attempt {
    /// Starts an attempt: draws the paper and fixes the deadline.
    pub fn start(
        exam: &Exam,
        seed: u64,
        learner: Learner,
        now: DateTime<Utc>,
        options: Options,
    ) -> Self {
        let limit = exam.rules.time_limit;
        let extra = limit * options.extra_time_percent / 100;
        let header = Header {
            exam_id: exam.meta.id.clone(),
            exam_version: exam.meta.version.clone(),
            bank_hash: bank_hash(exam),
            seed,
            learner,
            options,
            started_at: now,
            deadline: now + delta(limit + extra),
        };
        Self::from_header(exam, header)
    }

    fn from_header(exam: &Exam, header: Header) -> Self {
        let paper = draw::draw(exam, header.seed);
        let n = paper.len();
        Self {
            deadline: header.deadline,
            last_seen: header.started_at,
            header,
            paper,
            responses: vec![None; n],
            flags: vec![false; n],
            current: 0,
            status: Status::InProgress,
            warned: 0,
            warnings: exam.rules.warnings.clone(),
            navigation: exam.rules.navigation,
            counts: EventCounts::default(),
        }
    }

    /// The header recorded at start.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The paper: questions in the order shown.
    pub fn paper(&self) -> &[Item] {
        &self.paper
    }

    /// The answer given to paper position `item`, if any.
    pub fn response(&self, item: usize) -> Option<&Response> {
        self.responses.get(item).and_then(Option::as_ref)
    }

    /// All answers, by paper position.
    pub fn responses(&self) -> &[Option<Response>] {
        &self.responses
    }

    /// Whether `item` is flagged for review.
    pub fn flagged(&self, item: usize) -> bool {
        self.flags.get(item).copied().unwrap_or(false)
    }

    /// The current paper position.
    pub fn current(&self) -> usize {
        self.current
    }

    /// In progress or submitted.
    pub fn status(&self) -> Status {
        self.status
    }

    /// Whether the attempt is over.
    pub fn is_finished(&self) -> bool {
        matches!(self.status, Status::Submitted { .. })
    }

    /// When the attempt ends (extra time included).
    pub fn deadline(&self) -> DateTime<Utc> {
        self.deadline
    }

    /// Proctoring event counts so far.
    pub fn counts(&self) -> EventCounts {
        self.counts
    }

    /// Free or sequential navigation.
    pub fn navigation(&self) -> Navigation {
        self.navigation
    }

    /// Time left at `now` (never more than at the latest time seen).
    pub fn remaining(&self, now: DateTime<Utc>) -> Duration {
        let now = now.max(self.last_seen);
        (self.deadline - now).to_std().unwrap_or(Duration::ZERO)
    }

    /// Number of questions not answered.
    pub fn unanswered(&self) -> usize {
        self.responses.iter().filter(|r| r.is_none()).count()
    }

    /// Number of questions flagged.
    pub fn flagged_count(&self) -> usize {
        self.flags.iter().filter(|&&f| f).count()
    }

    /// The events `command` causes at `now`, and what to tell the learner.
    /// Pure: the state is not changed (see [`Attempt::apply_event`]).
    pub fn decide(
        &self,
        exam: &Exam,
        command: &Command,
        now: DateTime<Utc>,
    ) -> (Vec<Event>, Outcome) {
        if self.is_finished() {
            return match command {
                Command::Proctor(_) | Command::Tick => (Vec::new(), Outcome::Nothing),
                _ => (Vec::new(), Outcome::Refused(Refusal::Finished)),
            };
        }
        let now = now.max(self.last_seen);
        if now >= self.deadline {
            // Time is up: whatever was asked, the attempt is handed in as it is.
            let submit = Event::Submitted {
                reason: SubmitReason::TimeUp,
            };
            return (vec![submit], Outcome::Submitted(SubmitReason::TimeUp));
        }
        let sequential = self.navigation == Navigation::Sequential;
        let refuse = |r| (Vec::new(), Outcome::Refused(r));
        match command {
            Command::Answer { item, response } => {
                if *item >= self.paper.len() {
                    return refuse(Refusal::NoSuchItem);
                }
                if sequential && *item != self.current {
                    return refuse(Refusal::NoSkipping);
                }
                match self.normalise(exam, *item, response) {
                    Some(response) => (
                        vec![Event::Answered {
                            item: *item,
                            response,
                        }],
                        Outcome::Recorded,
                    ),
                    None => refuse(Refusal::WrongAnswerKind),
                }
            }
            Command::Clear { item } | Command::Flag { item, .. } if *item >= self.paper.len() => {
                refuse(Refusal::NoSuchItem)
            }
            Command::Clear { item } => {
                if sequential && *item != self.current {
                    return refuse(Refusal::NoSkipping);
                }
                (vec![Event::Cleared { item: *item }], Outcome::Recorded)
            }
            Command::Flag { item, on } => (
                vec![Event::Flagged {
                    item: *item,
                    on: *on,
                }],
                Outcome::Recorded,
            ),
            Command::GoTo(to) => self.go(*to),
            Command::Next => {
                if self.current + 1 >= self.paper.len() {
                    refuse(Refusal::AtEdge)
                } else {
                    self.go(self.current + 1)
                }
            }
            Command::Previous => {
                if self.current == 0 {
                    refuse(Refusal::AtEdge)
                } else {
                    self.go(self.current - 1)
                }
            }
            Command::Submit => (
                vec![Event::Submitted {
                    reason: SubmitReason::Learner,
                }],
                Outcome::Submitted(SubmitReason::Learner),
            ),
            Command::EndByProctor => (
                vec![Event::Submitted {
                    reason: SubmitReason::Proctor,
                }],
                Outcome::Submitted(SubmitReason::Proctor),
            ),
            Command::Tick => {
                let left = self.deadline - now;
                let due = self
                    .warnings
                    .iter()
                    .skip(self.warned)
                    .any(|mark| left <= delta(*mark));
                if due {
                    (
                        Vec::new(),
                        Outcome::Warning(left.to_std().unwrap_or_default()),
                    )
                } else {
                    (Vec::new(), Outcome::Nothing)
                }
            }
            Command::Proctor(event) => (
                vec![Event::Proctor {
                    event: event.clone(),
                }],
                Outcome::Recorded,
            ),
        }
    }

    fn go(&self, to: usize) -> (Vec<Event>, Outcome) {
        if to >= self.paper.len() {
            return (Vec::new(), Outcome::Refused(Refusal::NoSuchItem));
        }
        if self.navigation == Navigation::Sequential {
            if to < self.current {
                return (Vec::new(), Outcome::Refused(Refusal::NoGoingBack));
            }
            if to > self.current + 1 {
                return (Vec::new(), Outcome::Refused(Refusal::NoSkipping));
            }
        }
        if to == self.current {
            return (Vec::new(), Outcome::Moved(to));
        }
        (vec![Event::Moved { to }], Outcome::Moved(to))
    }

    /// Checks that `response` fits the question at `item`, and puts it in
    /// canonical form (sorted, deduplicated choices; trimmed text).
    fn normalise(&self, exam: &Exam, item: usize, response: &Response) -> Option<Response> {
        let question = exam.questions.get(self.paper[item].question)?;
        match (&question.kind, response) {
            (Kind::Single { choices }, Response::Choice(c)) if *c < choices.len() => {
                Some(response.clone())
            }
            (Kind::Multiple { choices }, Response::Choices(cs))
                if cs.iter().all(|c| *c < choices.len()) =>
            {
                let mut cs = cs.clone();
                cs.sort_unstable();
                cs.dedup();
                Some(Response::Choices(cs))
            }
            (Kind::TrueFalse { .. }, Response::Bool(_)) => Some(response.clone()),
            (Kind::Text { .. }, Response::Text(t)) if !t.trim().is_empty() => {
                Some(Response::Text(t.trim().to_string()))
            }
            (Kind::Numeric { .. }, Response::Number(n)) if n.is_finite() => Some(response.clone()),
            _ => None,
        }
    }

    /// Folds one event, which happened at `at`, into the state.
    pub fn apply_event(&mut self, event: &Event, at: DateTime<Utc>) {
        self.last_seen = self.last_seen.max(at);
        match event {
            Event::Answered { item, response } => {
                if let Some(slot) = self.responses.get_mut(*item) {
                    *slot = Some(response.clone());
                }
            }
            Event::Cleared { item } => {
                if let Some(slot) = self.responses.get_mut(*item) {
                    *slot = None;
                }
            }
            Event::Flagged { item, on } => {
                if let Some(slot) = self.flags.get_mut(*item) {
                    *slot = *on;
                }
            }
            Event::Moved { to } => self.current = (*to).min(self.paper.len().saturating_sub(1)),
            Event::Submitted { reason } => {
                if *reason == SubmitReason::Proctor {
                    self.counts.ended_by_proctor += 1;
                }
                self.status = Status::Submitted {
                    at: at.min(self.deadline),
                    reason: *reason,
                };
            }
            Event::Proctor { event } => match event {
                ProctorEvent::FocusLost => self.counts.focus_lost += 1,
                ProctorEvent::FocusGained => {}
                ProctorEvent::PasteRefused { .. } => self.counts.paste_refused += 1,
                ProctorEvent::PasteAllowed { .. } => self.counts.paste_allowed += 1,
                ProctorEvent::Resized { .. } => self.counts.resized += 1,
                ProctorEvent::Resumed { .. } => self.counts.resumed += 1,
                ProctorEvent::ExtraTime { seconds } => {
                    self.counts.extra_time_grants += 1;
                    self.deadline += delta(Duration::from_secs(*seconds));
                }
            },
        }
        self.sync_warnings();
    }

    /// Marks as announced every warning already passed at the latest time seen.
    fn sync_warnings(&mut self) {
        let left = self.deadline - self.last_seen;
        while self.warned < self.warnings.len() && left <= delta(self.warnings[self.warned]) {
            self.warned += 1;
        }
    }

    /// Notes that time `at` was seen without any event (a tick).
    fn observe(&mut self, at: DateTime<Utc>) {
        self.last_seen = self.last_seen.max(at);
        self.sync_warnings();
    }
}

/// Why an attempt cannot be resumed from its journal.
#[derive(Debug, thiserror::Error)]
pub enum ResumeError {
    /// The journal itself is damaged or altered.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// The journal belongs to another exam or another version of the bank.
    #[error(
        "this journal is for exam `{exam_id}` version {version} (bank {hash}); the bank given is different"
    )]
    OtherBank {
        /// Exam id in the journal.
        exam_id: String,
        /// Version in the journal.
        version: String,
        /// Bank hash in the journal (first 12 hex digits).
        hash: String,
    },
    /// A record refers to a question the paper does not have.
    #[error("journal record {seq} does not fit the paper")]
    Inconsistent {
        /// The record's sequence number.
        seq: u64,
    },
    /// Writing the resume record failed.
    #[error("cannot write to the journal: {0}")]
    Io(#[from] std::io::Error),
}

/// An attempt bound to its journal: every change is durable before it shows.
#[derive(Debug)]
pub struct Session<S> {
    attempt: Attempt,
    writer: Writer<S>,
}

impl<S: Sink> Session<S> {
    /// Starts an attempt and writes its header to a new journal.
    ///
    /// # Errors
    /// The journal could not be written.
    pub fn start(
        exam: &Exam,
        seed: u64,
        learner: Learner,
        now: DateTime<Utc>,
        options: Options,
        sink: S,
    ) -> std::io::Result<Self> {
        let attempt = Attempt::start(exam, seed, learner, now, options);
        let mut writer = Writer::new(sink);
        writer.append(now, Entry::Start(attempt.header.clone()))?;
        Ok(Self { attempt, writer })
    }

    /// Rebuilds an attempt from a journal's bytes, then records the resume.
    /// `sink` must append after the journal's intact prefix
    /// ([`journal::Read::valid_len`]); the edge cuts a torn tail first.
    ///
    /// # Errors
    /// A damaged or altered journal, or one for another bank.
    pub fn resume(
        exam: &Exam,
        read: &journal::Read,
        sink: S,
        now: DateTime<Utc>,
    ) -> Result<Self, ResumeError> {
        let attempt = replay(exam, read)?;
        let mut session = Self {
            attempt,
            writer: Writer::resume(sink, read),
        };
        if !session.attempt.is_finished() {
            let event = ProctorEvent::Resumed {
                torn_bytes: read.torn_bytes,
            };
            session.apply(exam, &Command::Proctor(event), now)?;
        }
        Ok(session)
    }

    /// Applies `command` at `now`: its events are journaled (synced), then
    /// folded into the state, then the outcome is returned.
    ///
    /// # Errors
    /// The journal could not be written; the state is then unchanged.
    pub fn apply(
        &mut self,
        exam: &Exam,
        command: &Command,
        now: DateTime<Utc>,
    ) -> std::io::Result<Outcome> {
        let (events, outcome) = self.attempt.decide(exam, command, now);
        let at = now.max(self.attempt.last_seen);
        for event in events {
            self.writer.append(
                at,
                Entry::Event {
                    event: event.clone(),
                },
            )?;
            self.attempt.apply_event(&event, at);
        }
        self.attempt.observe(at);
        Ok(outcome)
    }

    /// The attempt's state.
    pub fn attempt(&self) -> &Attempt {
        &self.attempt
    }

    /// Hash of the journal's last record, as hex.
    pub fn head_hash(&self) -> String {
        journal::hex(&self.writer.head())
    }

    /// The journal sink.
    pub fn sink(&self) -> &S {
        self.writer.sink()
    }
}

/// Rebuilds the attempt a journal describes, checking it against the bank.
///
/// # Errors
/// A journal for another bank, or records that do not fit the paper.
pub fn replay(exam: &Exam, read: &journal::Read) -> Result<Attempt, ResumeError> {
    let mut records = read.records.iter();
    let Some(journal::Record {
        entry: Entry::Start(header),
        ..
    }) = records.next()
    else {
        return Err(JournalError::Empty.into());
    };
    if header.bank_hash != bank_hash(exam) || header.exam_id != exam.meta.id {
        return Err(ResumeError::OtherBank {
            exam_id: header.exam_id.clone(),
            version: header.exam_version.clone(),
            hash: header.bank_hash.chars().take(12).collect(),
        });
    }
    let mut attempt = Attempt::from_header(exam, header.clone());
    for record in records {
        let Entry::Event { event } = &record.entry else {
            return Err(ResumeError::Inconsistent { seq: record.seq });
        };
        let fits = match event {
            Event::Answered { item, response } => {
                attempt.normalise(exam, *item, response).as_ref() == Some(response)
            }
            Event::Cleared { item } | Event::Flagged { item, .. } | Event::Moved { to: item } => {
                *item < attempt.paper.len()
            }
            Event::Submitted { .. } | Event::Proctor { .. } => true,
        };
        if !fits || attempt.is_finished() && !matches!(event, Event::Proctor { .. }) {
            return Err(ResumeError::Inconsistent { seq: record.seq });
        }
        attempt.apply_event(event, record.at);
    }
    Ok(attempt)
}
