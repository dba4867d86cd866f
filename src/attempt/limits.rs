//! May this learner start another attempt? Counted from their past attempts.

use crate::bank::Rules;
use chrono::{DateTime, TimeDelta, Utc};

/// What the data folder knows of one earlier attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Past {
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it was submitted; `None` while unfinished.
    pub finished_at: Option<DateTime<Utc>>,
}

/// Why a new attempt cannot start now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// Every allowed attempt was used.
    #[error("all {allowed} allowed attempts have been used")]
    NoAttemptsLeft {
        /// Attempts the exam allows.
        allowed: u32,
    },
    /// The delay between attempts has not passed.
    #[error("the next attempt may start at {from} (UTC)")]
    TooSoon {
        /// Earliest start of the next attempt.
        from: DateTime<Utc>,
    },
}

/// Checks the exam's attempt rules against the learner's past attempts.
/// Unfinished attempts are resumed, not counted here: callers resume them.
///
/// # Errors
/// See [`Refused`].
pub fn may_start(rules: &Rules, past: &[Past], now: DateTime<Utc>) -> Result<(), Refused> {
    if let Some(allowed) = rules.max_attempts
        && past.len() >= allowed as usize
    {
        return Err(Refused::NoAttemptsLeft { allowed });
    }
    let last_end = past.iter().filter_map(|p| p.finished_at).max();
    if let Some(end) = last_end {
        let from = end + TimeDelta::from_std(rules.attempt_delay).unwrap_or(TimeDelta::MAX);
        if now < from {
            return Err(Refused::TooSoon { from });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::time::Duration;

    fn rules(max: Option<u32>, delay_hours: u64) -> Rules {
        let exam = crate::bank::load_str(include_str!("../../exams/demo.toml"))
            .exam
            .expect("demo is valid");
        Rules {
            max_attempts: max,
            attempt_delay: Duration::from_secs(delay_hours * 3600),
            ..exam.rules
        }
    }

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, 4, hour, 0, 0)
            .single()
            .expect("valid date")
    }

    #[test]
    fn counts_attempts_and_waits_the_delay() {
        let done = |s, e| Past {
            started_at: at(s),
            finished_at: Some(at(e)),
        };
        assert_eq!(may_start(&rules(Some(2), 0), &[], at(8)), Ok(()));
        assert_eq!(may_start(&rules(Some(2), 0), &[done(8, 9)], at(10)), Ok(()));
        assert_eq!(
            may_start(&rules(Some(2), 0), &[done(8, 9), done(9, 10)], at(11)),
            Err(Refused::NoAttemptsLeft { allowed: 2 })
        );
        assert_eq!(
            may_start(&rules(None, 0), &[done(8, 9), done(9, 10)], at(11)),
            Ok(())
        );
        assert_eq!(
            may_start(&rules(None, 4), &[done(8, 9)], at(12)),
            Err(Refused::TooSoon { from: at(13) })
        );
        assert_eq!(may_start(&rules(None, 4), &[done(8, 9)], at(13)), Ok(()));
    }
}
