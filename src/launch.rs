//! Opening an attempt for a learner: resume the unfinished one, or check the
//! attempt rules and start a new one. Shared by the TUI, the plain mode and
//! the kiosk; the clock and the seed source are passed in.

use crate::attempt::learner::NameError;
use crate::attempt::{Learner, Options, ResumeError, Session, journal, limits};
use crate::bank::Exam;
use crate::present::Closed;
use crate::store::attempts::StartError;
use crate::store::{Store, StoreError, StoreSink};
use chrono::{DateTime, Utc};
use std::path::PathBuf;
use std::sync::Arc;

/// Called once the attempt is submitted: issues the credential if earned.
pub type OnFinish<'f> = dyn FnMut(
        &Exam,
        &Session<StoreSink>,
        &crate::scoring::Outcome,
    ) -> anyhow::Result<Option<crate::issuing::Issued>>
    + 'f;

/// What is needed to open attempts at one exam.
#[derive(Debug, Clone)]
pub struct Launch {
    /// Where attempts and their journals live.
    pub store: Store,
    /// Whether learner ids can be trusted to tell learners apart (a
    /// proctor checks identities); else the name is the key.
    pub trust_ids: bool,
    /// A fixed seed (`--seed`), or `None` to draw one at random.
    pub seed: Option<u64>,
    /// Extra time and supervision.
    pub options: Options,
    /// The kiosk's room (`None` for `brevet run`), recorded with each
    /// attempt it starts.
    pub room: Option<String>,
    /// Who signs, and where credentials go, to finish what an earlier run
    /// left undone (`None`: the caller does it).
    pub recovery: Option<Recovery>,
}

/// What finishing an earlier run's issuance needs.
#[derive(Debug, Clone)]
pub struct Recovery {
    /// The issuer.
    pub signer: std::sync::Arc<crate::issuing::Signer>,
    /// The credentials' folder.
    pub out: PathBuf,
}

/// An attempt ready to be taken.
#[derive(Debug)]
pub struct Opened {
    /// The attempt and its journal.
    pub session: Session<StoreSink>,
    /// Whether it was resumed rather than started.
    pub resumed: bool,
    /// The journal file.
    pub journal: PathBuf,
    /// When the bank changed after the attempt started: the version it
    /// was given, on which it goes on (`None`: the bank at hand).
    pub earlier: Option<Earlier>,
}

/// The version of the bank an attempt was given, when the bank has changed
/// since it started: the learner finishes the paper they were given, scored
/// as it was.
#[derive(Debug, Clone)]
pub struct Earlier {
    /// That version, as the store kept it.
    pub exam: Arc<Exam>,
    /// How many of the attempt's questions read otherwise in the bank at
    /// hand, or are gone from it.
    pub changed: usize,
}

impl Earlier {
    /// Compares the paper of `attempt`, drawn from `exam` (the version it
    /// was given), with the bank `now`.
    fn of(exam: Arc<Exam>, attempt: &crate::attempt::Attempt, now: &Exam) -> Self {
        let changed = attempt
            .paper()
            .iter()
            .filter(|item| {
                let given = &exam.questions[item.question];
                !now.questions.iter().any(|q| q == given)
            })
            .count();
        Self { exam, changed }
    }
}

/// A handed-in attempt, as the store keeps it.
#[derive(Debug)]
pub struct Finished {
    /// The version of the bank it was given, when the bank changed since
    /// (`None`: the bank at hand).
    pub given: Option<Arc<Exam>>,
    /// The attempt, replayed from its journal.
    pub attempt: crate::attempt::Attempt,
    /// Its score.
    pub result: crate::scoring::Outcome,
    /// Where its credential was written, if one was.
    pub credential: Option<PathBuf>,
    /// Why its badge and certificate could not all be written, when they
    /// were written just now.
    pub not_shared: Option<String>,
}

/// Why no attempt may start, with the last handed-in attempt's result, its
/// credential and, as its bank's `review_later` allows, its review: the
/// lines every front end shows (`exam`: the bank at hand).
pub fn refusal_text(
    why: &Closed,
    last: Option<&Finished>,
    exam: &Exam,
    s: &crate::present::strings::Strings,
) -> Vec<String> {
    let mut lines = crate::present::refusal_lines(
        why,
        last.map(|f| &f.result),
        last.and_then(|f| f.credential.as_deref()),
        s,
    );
    if let Some(f) = last {
        if let (Some(path), Some(why)) = (&f.credential, &f.not_shared) {
            lines.extend(crate::present::shared_lines(path, &[], Some(why), None, s));
        }
        let given = f.given.as_deref().unwrap_or(exam);
        lines.extend(crate::present::later_review_lines(
            given, &f.attempt, &f.result, s,
        ));
    }
    lines
}

/// Why an attempt could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    /// The data folder failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The unfinished attempt's journal does not fit this bank.
    #[error("{path}: {source}")]
    Resume {
        /// The journal.
        path: PathBuf,
        /// Why.
        source: ResumeError,
    },
    /// The exam's attempt rules say no.
    #[error("{0}")]
    Refused(#[from] limits::Refused),
    /// Another attempt of this learner is open (another process or
    /// station took it between the look and the start).
    #[error("an attempt of this learner at this exam is already open elsewhere")]
    StillOpen,
    /// The name cannot identify a learner.
    #[error("{name:?} cannot name a learner: {why}")]
    Name {
        /// The name.
        name: String,
        /// Why.
        why: NameError,
    },
    /// A credential an earlier run left unwritten could not be written.
    #[error("{0:#}")]
    Recover(anyhow::Error),
    /// The new journal could not be written.
    #[error("cannot write the journal {path}: {source}")]
    Io {
        /// The journal.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

impl Launch {
    /// The learner's key in the store.
    fn key(&self, learner: &Learner) -> Result<String, LaunchError> {
        crate::store::store_key(learner, self.trust_ids).map_err(|why| LaunchError::Name {
            name: learner.name.clone(),
            why,
        })
    }

    /// Resumes `learner`'s unfinished attempt at `exam`, if there is one.
    ///
    /// # Errors
    /// See [`LaunchError`].
    pub fn find_unfinished(
        &self,
        exam: &Exam,
        learner: &Learner,
        now: DateTime<Utc>,
    ) -> Result<Option<Opened>, LaunchError> {
        let Some(mut opened) = self.find_unconfirmed(exam, learner)? else {
            return Ok(None);
        };
        let runs_on = opened.earlier.as_ref().map_or(exam, |e| &*e.exam);
        opened
            .session
            .mark_resumed(runs_on, 0, now)
            .map_err(|source| LaunchError::Io {
                path: opened.journal.clone(),
                source,
            })?;
        Ok(Some(opened))
    }

    /// [`Launch::find_unfinished`] without writing anything to it: for an
    /// attempt a proctor must confirm before it goes on (the edge calls
    /// [`Session::mark_resumed`] then).
    ///
    /// # Errors
    /// See [`LaunchError`].
    pub fn find_unconfirmed(
        &self,
        exam: &Exam,
        learner: &Learner,
    ) -> Result<Option<Opened>, LaunchError> {
        let key = self.key(learner)?;
        let rows = self.store.with(|db| db.attempts(&exam.meta.id, &key))?;
        // A handed-in attempt whose last rows were removed would look
        // unfinished: say so rather than reopen it.
        for row in rows.iter().filter(|r| r.state == "submitted") {
            if !self
                .store
                .with(|db| db.ends_with_hand_in(&row.attempt_id))?
            {
                return Err(StoreError::SubmittedCut {
                    path: self.place(&row.attempt_id),
                }
                .into());
            }
        }
        let Some(open) = rows.into_iter().find(|r| r.state == "open") else {
            return Ok(None);
        };
        let bytes = self.store.with(|db| db.journal_bytes(&open.attempt_id))?;
        if bytes.is_empty() {
            // Registered, then stopped before its first record: nothing
            // was given in it.
            self.store.with(|db| db.abandon(&open.attempt_id))?;
            return Ok(None);
        }
        let place = self.place(&open.attempt_id);
        let read = journal::read(&bytes).map_err(|source| StoreError::Journal {
            path: place.clone(),
            source,
        })?;
        // A bank changed since the attempt started (a typo fixed): the
        // attempt goes on with the version it was given.
        let earlier = match read.header() {
            Some(h) => self.store.version_of(exam, &h.bank_hash)?,
            None => None,
        };
        let runs_on = earlier.as_deref().unwrap_or(exam);
        let sink = self.store.sink(&open.attempt_id, runs_on);
        let session =
            Session::reopen(runs_on, &read, sink).map_err(|source| LaunchError::Resume {
                path: place.clone(),
                source,
            })?;
        let earlier = earlier.map(|e| Earlier::of(e, session.attempt(), exam));
        Ok(Some(Opened {
            session,
            resumed: true,
            journal: place,
            earlier,
        }))
    }

    /// When `learner` has no open attempt at `exam` and none may open now:
    /// the exam's rules refuse it at `now`, or (with [`Launch::recovery`])
    /// their last attempt was handed in just before brevet stopped and its
    /// credential is written now. Why, and their last handed-in attempt
    /// (replayed, with the file of its credential if one was written).
    ///
    /// # Errors
    /// See [`LaunchError`].
    pub fn refusal(
        &self,
        exam: &Exam,
        learner: &Learner,
        now: DateTime<Utc>,
    ) -> Result<Option<(Closed, Option<Finished>)>, LaunchError> {
        let key = self.key(learner)?;
        // What an earlier run left undone (a kill right after the hand-in,
        // a full disk): the credential written now, and the result shown.
        if let Some(r) = &self.recovery {
            let recovered =
                crate::issuing::recover(&self.store, &r.signer, exam, &key, &r.out, now)
                    .map_err(LaunchError::Recover)?;
            if let Some(last) = recovered.into_iter().last() {
                return Ok(Some((
                    Closed::HandedIn,
                    Some(Finished {
                        given: None,
                        attempt: last.attempt,
                        result: last.result,
                        credential: Some(last.path),
                        not_shared: last.not_shared,
                    }),
                )));
            }
        }
        let rows = self.store.with(|db| db.attempts(&exam.meta.id, &key))?;
        if rows.iter().any(|r| r.state == "open") {
            return Ok(None);
        }
        let past = crate::store::attempts::AttemptRow::counted(&rows);
        let Err(why) = limits::may_start(&exam.rules, &past, now) else {
            return Ok(None);
        };
        let last = match rows.iter().rev().find(|r| r.state == "submitted") {
            None => None,
            Some(row) => {
                let credential = self.store.with(|db| db.credential_file(&row.attempt_id))?;
                self.store
                    .replay_as_given(&row.attempt_id, exam)?
                    .map(|r| Finished {
                        not_shared: None,
                        result: crate::scoring::score(
                            r.given.as_deref().unwrap_or(exam),
                            &r.attempt,
                        ),
                        given: r.given,
                        attempt: r.attempt,
                        credential,
                    })
            }
        };
        Ok(Some((Closed::Rules(why), last)))
    }

    /// After a failed attempt: whether, and when, `learner` may try `exam`
    /// again under its attempt rules (counted in the store).
    ///
    /// # Errors
    /// See [`LaunchError`].
    pub fn retake(
        &self,
        exam: &Exam,
        learner: &Learner,
        now: DateTime<Utc>,
    ) -> Result<crate::present::Retake, LaunchError> {
        use crate::present::Retake;
        let key = self.key(learner)?;
        let rows = self.store.with(|db| db.attempts(&exam.meta.id, &key))?;
        let past = crate::store::attempts::AttemptRow::counted(&rows);
        Ok(match limits::may_start(&exam.rules, &past, now) {
            Ok(()) => Retake::Now {
                left: exam
                    .rules
                    .max_attempts
                    .map(|max| max.saturating_sub(u32::try_from(past.len()).unwrap_or(u32::MAX))),
            },
            Err(limits::Refused::TooSoon { from }) => Retake::From(from),
            Err(limits::Refused::NoAttemptsLeft { .. }) => Retake::NoneLeft,
        })
    }

    /// After a handed-in `attempt` scored `result`: what to say of another
    /// attempt (`None` when it passed), in the interface's language.
    ///
    /// # Errors
    /// See [`LaunchError`].
    pub fn retake_line(
        &self,
        exam: &Exam,
        attempt: &crate::attempt::Attempt,
        result: &crate::scoring::Outcome,
        s: &crate::present::strings::Strings,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, LaunchError> {
        if result.passed {
            return Ok(None);
        }
        let retake = self.retake(exam, &attempt.header().learner, now)?;
        Ok(Some(crate::present::retake_line(retake, s)))
    }

    /// Where an attempt is, for messages: the store's file and the
    /// attempt's id.
    fn place(&self, attempt_id: &str) -> PathBuf {
        PathBuf::from(format!("{}#{attempt_id}", self.store.path().display()))
    }

    /// Starts a new attempt, if the exam's attempt rules allow it.
    /// `random_seed` is called only when no seed was fixed.
    ///
    /// # Errors
    /// See [`LaunchError`].
    pub fn start(
        &self,
        exam: &Exam,
        learner: Learner,
        now: DateTime<Utc>,
        random_seed: impl FnOnce() -> u64,
    ) -> Result<Opened, LaunchError> {
        let key = self.key(&learner)?;
        let seed = self.seed.unwrap_or_else(random_seed);
        let header =
            crate::attempt::Attempt::start(exam, seed, learner.clone(), now, self.options.clone())
                .header()
                .clone();
        let id = crate::store::embedded::new_id();
        let mut first = journal::Writer::new(Vec::new());
        let place = self.place(&id);
        let io = |source| LaunchError::Io {
            path: place.clone(),
            source,
        };
        first
            .append(now, journal::Entry::Start(header.clone()))
            .map_err(io)?;
        self.store
            .with(|db| {
                db.start_attempt(exam, &key, &header, &id, first.sink(), self.room.as_deref())
            })
            .map_err(|e| match e {
                StartError::Refused(r) => LaunchError::Refused(r),
                StartError::StillOpen => LaunchError::StillOpen,
                StartError::Store(e) => LaunchError::Store(e),
            })?;
        let read = journal::read(first.sink()).map_err(|source| StoreError::Journal {
            path: place.clone(),
            source,
        })?;
        let session =
            Session::reopen(exam, &read, self.store.sink(&id, exam)).map_err(|source| {
                LaunchError::Resume {
                    path: place.clone(),
                    source,
                }
            })?;
        Ok(Opened {
            session,
            resumed: false,
            earlier: None,
            journal: place,
        })
    }
}
