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
pub mod learner;
pub mod limits;
mod session;
mod types;

pub use journal::Entry;
pub use session::{ResumeError, Session, replay};
pub use types::{
    Command, Event, EventCounts, Header, Learner, Options, Outcome, ProctorEvent, Refusal,
    Response, Status, SubmitReason,
};

use crate::bank::{Exam, Kind, Navigation};
use chrono::{DateTime, TimeDelta, Utc};
use draw::Item;
use sha2::{Digest, Sha256};
use std::time::Duration;

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

/// The deadline of an attempt of `exam` started at `started_at`: the time
/// limit, plus the extra time `options` grant.
pub fn deadline(exam: &Exam, started_at: DateTime<Utc>, options: &Options) -> DateTime<Utc> {
    let limit = exam.rules.time_limit;
    let extra = limit * options.extra_time_percent / 100;
    started_at + delta(limit + extra)
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
        let deadline = deadline(exam, now, &options);
        let header = Header {
            exam_id: exam.meta.id.clone(),
            exam_version: exam.meta.version.clone(),
            bank_hash: bank_hash(exam),
            seed,
            learner,
            options,
            started_at: now,
            deadline,
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

    /// Whether the time is up at `now` on an attempt still open.
    pub fn is_time_up(&self, now: DateTime<Utc>) -> bool {
        !self.is_finished() && now >= self.deadline
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
