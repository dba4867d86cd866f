//! Opening an attempt for a learner: resume the unfinished one, or check the
//! attempt rules and start a new one. Shared by the TUI, the plain mode and
//! the kiosk; the clock and the seed source are passed in.

use crate::attempt::{Learner, Options, ResumeError, Session, limits};
use crate::bank::Exam;
use crate::store::{DataDir, FileSink, StoreError};
use chrono::{DateTime, Utc};
use std::path::PathBuf;

/// Called once the attempt is submitted: issues the credential if earned.
pub type OnFinish<'f> = dyn FnMut(&Exam, &Session<FileSink>, &crate::scoring::Outcome) -> anyhow::Result<Option<PathBuf>>
    + 'f;

/// What is needed to open attempts at one exam.
#[derive(Debug, Clone)]
pub struct Launch {
    /// Where journals live.
    pub data: DataDir,
    /// A fixed seed (`--seed`), or `None` to draw one at random.
    pub seed: Option<u64>,
    /// Extra time and supervision.
    pub options: Options,
}

/// An attempt ready to be taken.
#[derive(Debug)]
pub struct Opened {
    /// The attempt and its journal.
    pub session: Session<FileSink>,
    /// Whether it was resumed rather than started.
    pub resumed: bool,
    /// The journal file.
    pub journal: PathBuf,
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
        let attempts = self.data.attempts(&exam.meta.id, learner)?;
        let Some(stored) = attempts
            .into_iter()
            .rev()
            .find(crate::store::StoredAttempt::is_unfinished)
        else {
            return Ok(None);
        };
        let sink = self.data.reopen(&stored)?;
        let session = Session::resume(exam, &stored.read, sink, now).map_err(|source| {
            LaunchError::Resume {
                path: stored.path.clone(),
                source,
            }
        })?;
        Ok(Some(Opened {
            session,
            resumed: true,
            journal: stored.path,
        }))
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
        let attempts = self.data.attempts(&exam.meta.id, &learner)?;
        let past: Vec<_> = attempts
            .iter()
            .map(crate::store::StoredAttempt::past)
            .collect();
        limits::may_start(&exam.rules, &past, now)?;
        let (path, sink) = self
            .data
            .new_journal(&exam.meta.id, &learner, attempts.len() + 1)?;
        let seed = self.seed.unwrap_or_else(random_seed);
        let session = Session::start(exam, seed, learner, now, self.options.clone(), sink)
            .map_err(|source| LaunchError::Io {
                path: path.clone(),
                source,
            })?;
        Ok(Opened {
            session,
            resumed: false,
            journal: path,
        })
    }
}
