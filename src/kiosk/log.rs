//! What the kiosk records: the event log (one JSON line per PIN try,
//! proctor action, learner change, start and stop; results are in the
//! store). The types are pure; the kiosk's edge adds the time and appends
//! the lines.

use crate::attempt::Learner;
use crate::kiosk::pin::{Guard, Guards};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// File name of the event log, in the results folder.
pub const LOG_FILE: &str = "kiosk-log.jsonl";

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
    /// The kiosk stopped (proctor exit, signal, lost terminal).
    KioskStopped {
        /// `proctor`, `signal` or `terminal_lost`.
        by: String,
        /// The signal's name, when one stopped it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        signal: Option<String>,
    },
    /// A PIN prompt that would have resumed an unfinished attempt was
    /// cancelled or timed out: someone typed the name of a learner whose
    /// attempt it is, and the proctor did not confirm them.
    ResumeCancelled {
        /// The exam's id.
        exam: String,
        /// The learner the attempt belongs to, as its journal names them.
        owner: Learner,
        /// When that attempt started.
        started_at: DateTime<Utc>,
    },
    /// The proctor cleared the PIN delays from the command line
    /// (`brevet kiosk --clear-lockout`, which asks the PIN).
    LockoutCleared,
    /// A signal that would have stopped or suspended the station came, and
    /// was ignored.
    SignalIgnored {
        /// Its name (`SIGUSR1`).
        signal: String,
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
    /// The station started with the issuer key locked.
    KeyLocked,
    /// The proctor unlocked the issuer key.
    KeyUnlocked,
    /// A passphrase did not open the issuer key.
    KeyUnlockFailed,
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
    /// A credential was written, but its badge or certificate could not
    /// be (the credential is safe; `brevet share` makes them again).
    BadgeNotWritten {
        /// The credential's file.
        credential: String,
        /// Why.
        reason: String,
    },
    /// Before the start, the proctor granted extra time in percent.
    ExtraTimePercent {
        /// Percent of the limit.
        percent: u32,
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

/// The PIN guards as the event log leaves them: for each prompt, the
/// wrong tries since the last right PIN or cleared lock-out (lines that do
/// not parse are skipped: a torn last line after a crash costs nothing).
pub fn guards_from_log(text: &str) -> Guards {
    let mut guards = Guards::default();
    for line in text.lines() {
        let Ok(line) = serde_json::from_str::<Line>(line) else {
            continue;
        };
        match line.event.kind {
            Kind::PinRight { .. } | Kind::LockoutCleared => guards = Guards::default(),
            Kind::PinWrong {
                purpose, failures, ..
            } => *guards.of(purpose == Purpose::Menu) = Guard::after(failures, line.time),
            _ => {}
        }
    }
    guards
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(kind: Kind, secs: i64) -> String {
        let time = DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap_or_default();
        let line = Line {
            time,
            room: "R".into(),
            event: Event {
                kind,
                learner: None,
            },
        };
        serde_json::to_string(&line).unwrap_or_default()
    }

    fn wrong(failures: u32) -> Kind {
        Kind::PinWrong {
            purpose: Purpose::Menu,
            failures,
            locked_until: None,
        }
    }

    #[test]
    fn the_guard_is_rebuilt_from_the_wrong_tries_since_the_last_right_one() {
        let t = |s: i64| DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap_or_default();
        let log = [
            line(wrong(1), 0),
            line(
                Kind::PinRight {
                    purpose: Purpose::Menu,
                },
                1,
            ),
            line(Kind::KioskStarted, 2),
            line(wrong(1), 3),
            line(wrong(2), 4),
            line(wrong(3), 5),
            "{\"time\":\"torn".to_string(),
        ]
        .join("\n");
        let guards = guards_from_log(&log);
        assert_eq!(guards.menu.failures(), 3);
        assert_eq!(guards.menu.locked_until(t(6)), Some(t(15)));
        // The learner's prompts are counted apart.
        assert_eq!(guards.learner, Guard::default());
        assert_eq!(guards_from_log(""), Guards::default());
        let identity = Kind::PinWrong {
            purpose: Purpose::Identity,
            failures: 1,
            locked_until: None,
        };
        let both = format!("{log}\n{}", line(identity, 7));
        assert_eq!(guards_from_log(&both).learner.failures(), 1);
        assert_eq!(guards_from_log(&both).menu.failures(), 3);
        let cleared = format!("{both}\n{}", line(Kind::LockoutCleared, 8));
        assert_eq!(guards_from_log(&cleared), Guards::default());
        let right_last = format!(
            "{log}\n{}",
            line(
                Kind::PinRight {
                    purpose: Purpose::Identity
                },
                20
            )
        );
        assert_eq!(guards_from_log(&right_last), Guards::default());
    }
}
