//! An attempt bound to its journal, and rebuilding one from a journal.

use super::journal::{self, Entry, JournalError, Sink, Writer};
use super::{Attempt, Command, Event, Learner, Options, Outcome, ProctorEvent, bank_hash};
use crate::bank::Exam;
use chrono::{DateTime, Utc};

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
    /// The header's deadline is not its start plus the time limit and the
    /// extra time it grants: the journal was made or edited by hand.
    #[error(
        "the journal's deadline ({written}) is not its start plus the time limit and extra time ({expected}): the journal was altered"
    )]
    Deadline {
        /// The deadline written in the header.
        written: DateTime<Utc>,
        /// The one the bank and the options give.
        expected: DateTime<Utc>,
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
        let mut session = Self::reopen(exam, read, sink)?;
        session.mark_resumed(exam, read.torn_bytes, now)?;
        Ok(session)
    }

    /// Rebuilds an attempt from a journal's bytes and writes nothing: for
    /// an attempt that may or may not be resumed (a proctor confirms it
    /// first), or whose journal holds only its start.
    ///
    /// # Errors
    /// A damaged or altered journal, or one for another bank.
    pub fn reopen(exam: &Exam, read: &journal::Read, sink: S) -> Result<Self, ResumeError> {
        Ok(Self {
            attempt: replay(exam, read)?,
            writer: Writer::resume(sink, read),
        })
    }

    /// Records that the attempt goes on after an interruption (`torn_bytes`
    /// of a torn last line were dropped): the clock is checked, and an
    /// attempt past its deadline is handed in.
    ///
    /// # Errors
    /// The journal could not be written.
    pub fn mark_resumed(
        &mut self,
        exam: &Exam,
        torn_bytes: usize,
        now: DateTime<Utc>,
    ) -> std::io::Result<()> {
        if !self.attempt.is_finished() {
            let event = ProctorEvent::Resumed { torn_bytes };
            self.apply(exam, &Command::Proctor(event), now)?;
        }
        Ok(())
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
            let entry = Entry::Event {
                event: event.clone(),
            };
            // A move needs no sync of its own (the next answer's covers
            // it): answering and moving on cost one durable write, and a
            // power cut loses nothing shown as saved.
            if matches!(event, Event::Moved { .. }) {
                self.writer.append_deferred(at, entry)?;
            } else {
                self.writer.append(at, entry)?;
            }
            self.attempt.apply_event(&event, at);
            // The submission is durable; a seal that cannot be written
            // only leaves a later cut of the journal unnoticed, and must
            // not turn the hand-in into a failure.
            if matches!(event, Event::Submitted { .. }) {
                let _ = self.writer.seal();
            }
        }
        self.attempt.observe(at);
        Ok(outcome)
    }

    /// Makes the moves not yet written durable (when the session ends).
    ///
    /// # Errors
    /// The journal could not be written.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
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
    let expected = super::deadline(exam, header.started_at, &header.options);
    if header.deadline != expected {
        return Err(ResumeError::Deadline {
            written: header.deadline,
            expected,
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
