//! The proctor PIN: stored as an argon2id hash (salted, slow), checked
//! without keeping the typed text longer than needed, and guarded against
//! guessing by delays that grow after three wrong tries.
//!
//! The guard takes the time as a value and never sleeps: while locked, the
//! kiosk refuses PIN input until the deadline the guard computed.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{DateTime, TimeDelta, Utc};
use zeroize::Zeroizing;

/// Wrong tries allowed before delays start.
pub const FREE_TRIES: u32 = 3;
/// The first delay, doubled at each further wrong try.
pub const FIRST_DELAY_SECS: i64 = 10;
/// The longest delay.
pub const MAX_DELAY_SECS: i64 = 600;

/// Why a PIN could not be hashed.
#[derive(Debug, thiserror::Error)]
pub enum PinError {
    /// Too short to be a PIN.
    #[error("the PIN must have at least {MIN_PIN_CHARS} characters")]
    TooShort,
    /// Easy to guess (one repeated character, a run of digits).
    #[error("the PIN is too easy to guess ({0}): choose one a learner would not try")]
    Weak(&'static str),
    /// The two entries differ.
    #[error("the two PINs differ")]
    Mismatch,
    /// The hashing library refused the input.
    #[error("cannot hash the PIN: {0}")]
    Hash(String),
}

/// The fewest characters a new PIN may have.
pub const MIN_PIN_CHARS: usize = 6;

/// Refuses a new PIN that a learner at the station would guess: shorter
/// than [`MIN_PIN_CHARS`], one character repeated, or a run of consecutive
/// digits (`123456`, `987654`).
///
/// # Errors
/// [`PinError::TooShort`] or [`PinError::Weak`].
pub fn check_new(pin: &str) -> Result<(), PinError> {
    let chars: Vec<char> = pin.chars().collect();
    if chars.len() < MIN_PIN_CHARS {
        return Err(PinError::TooShort);
    }
    if chars.iter().all(|c| *c == chars[0]) {
        return Err(PinError::Weak("one character repeated"));
    }
    let digits: Option<Vec<i32>> = chars
        .iter()
        .map(|c| c.to_digit(10).and_then(|d| i32::try_from(d).ok()))
        .collect();
    if let Some(d) = digits {
        let steps: Vec<i32> = d.windows(2).map(|w| w[1] - w[0]).collect();
        if steps.iter().all(|s| *s == 1) || steps.iter().all(|s| *s == -1) {
            return Err(PinError::Weak("a run of consecutive digits"));
        }
    }
    Ok(())
}

/// Hashes `pin` with argon2id (the crate's default cost) and `salt`.
///
/// # Errors
/// The PIN is too easy to guess (see [`check_new`]), or hashing failed.
pub fn hash(pin: &str, salt: [u8; 16]) -> Result<String, PinError> {
    hash_with(pin, salt, Params::default())
}

/// Hashes `pin` with explicit argon2id parameters (cheap ones in tests).
///
/// # Errors
/// The PIN is too easy to guess (see [`check_new`]), or hashing failed.
pub fn hash_with(pin: &str, salt: [u8; 16], params: Params) -> Result<String, PinError> {
    check_new(pin)?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| PinError::Hash(e.to_string()))?;
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| PinError::Hash(e.to_string()))
}

/// Whether `pin` matches the PHC string `phc` (false when `phc` is damaged).
pub fn matches(pin: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(pin.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A PIN as it is typed: never shown, wiped when dropped.
#[derive(Default)]
pub struct PinInput(Zeroizing<String>);

impl std::fmt::Debug for PinInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PinInput({} chars)", self.len())
    }
}

impl PinInput {
    /// Adds a character (at most 64 are kept).
    pub fn push(&mut self, c: char) {
        if self.0.chars().count() < 64 {
            self.0.push(c);
        }
    }
    /// Removes the last character.
    pub fn pop(&mut self) {
        self.0.pop();
    }
    /// Characters typed (the screen shows as many bullets).
    pub fn len(&self) -> usize {
        self.0.chars().count()
    }
    /// Whether nothing was typed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The text, to check it.
    pub fn text(&self) -> &str {
        &self.0
    }
}

/// What one PIN try gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The right PIN.
    Right,
    /// A wrong PIN; `locked_until` is set once the free tries are used up.
    Wrong {
        /// Wrong tries in a row so far.
        failures: u32,
        /// No input is taken before then.
        locked_until: Option<DateTime<Utc>>,
    },
    /// Input refused: still locked until then.
    Locked(DateTime<Utc>),
}

/// Counts wrong tries and computes the delays.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Guard {
    failures: u32,
    locked_until: Option<DateTime<Utc>>,
}

/// The delay after `failures` wrong tries in a row.
pub fn delay(failures: u32) -> Option<TimeDelta> {
    let over = failures.checked_sub(FREE_TRIES)?;
    let secs = FIRST_DELAY_SECS
        .saturating_mul(1_i64.checked_shl(over.min(30)).unwrap_or(i64::MAX))
        .min(MAX_DELAY_SECS);
    Some(TimeDelta::seconds(secs))
}

impl Guard {
    /// The guard as it was after `failures` wrong tries in a row, the last
    /// at `last_wrong` (rebuilt from the log when the station restarts, so
    /// that pulling the plug does not buy three more free guesses).
    pub fn after(failures: u32, last_wrong: DateTime<Utc>) -> Self {
        Self {
            failures,
            locked_until: delay(failures).map(|d| last_wrong + d),
        }
    }

    /// Until when input is refused, if it is at `now`.
    pub fn locked_until(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.locked_until.filter(|&t| t > now)
    }

    /// Wrong tries in a row.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// Records a try at `now`: `right` says whether the PIN matched (the
    /// caller checks it only when [`Guard::locked_until`] is `None`).
    pub fn record(&mut self, right: bool, now: DateTime<Utc>) -> Verdict {
        if let Some(until) = self.locked_until(now) {
            return Verdict::Locked(until);
        }
        if right {
            *self = Self::default();
            return Verdict::Right;
        }
        self.failures = self.failures.saturating_add(1);
        self.locked_until = delay(self.failures).map(|d| now + d);
        Verdict::Wrong {
            failures: self.failures,
            locked_until: self.locked_until,
        }
    }
}

/// The station's two PIN guards, counted apart so that wrong tries at one
/// prompt cannot keep the proctor from the other: the proctor menu (F12,
/// which a learner can press too) and the prompts of the learner's flow
/// (confirming an identity, resuming an attempt), which the next learner
/// needs. A right PIN at either clears both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Guards {
    /// Opening the proctor menu.
    pub menu: Guard,
    /// Confirming an identity or a resumption.
    pub learner: Guard,
}

impl Guards {
    /// The guard of the prompt opened for `menu` (else the learner's flow).
    pub fn of(&mut self, menu: bool) -> &mut Guard {
        if menu {
            &mut self.menu
        } else {
            &mut self.learner
        }
    }

    /// Until when the prompt for `menu` (else the learner's flow) refuses
    /// input at `now`.
    pub fn locked_until(&self, menu: bool, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if menu { &self.menu } else { &self.learner }.locked_until(now)
    }
}

/// A secret typed at the station (the issuer key's passphrase), on its way
/// to the edge: compared by value, never shown by `Debug`, wiped when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// The secret's text.
    pub fn text(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl From<PinInput> for Secret {
    fn from(input: PinInput) -> Self {
        Secret(input.0)
    }
}

#[cfg(test)]
pub(crate) fn cheap_hash(pin: &str) -> String {
    #[allow(clippy::unwrap_used)]
    hash_with(pin, [7; 16], Params::new(8, 1, 1, None).unwrap()).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap()
    }

    #[test]
    fn a_hash_is_argon2id_salted_and_checks_only_its_pin() {
        let h = cheap_hash("246813");
        assert!(h.starts_with("$argon2id$v=19$"), "{h}");
        assert!(!h.contains("246813"));
        assert!(matches("246813", &h));
        assert!(!matches("246814", &h));
        assert!(!matches("246813", "not a hash"));
        let other_salt = hash_with("246813", [8; 16], Params::new(8, 1, 1, None).unwrap()).unwrap();
        assert_ne!(h, other_salt);
        assert!(matches!(hash("123", [0; 16]), Err(PinError::TooShort)));
    }

    #[test]
    fn new_pins_a_learner_would_guess_are_refused() {
        for weak in ["2468", "12345", "000000", "123456", "987654", "aaaaaa"] {
            assert!(check_new(weak).is_err(), "{weak}");
        }
        for fine in ["246813", "482916", "salle-2", "135790"] {
            assert!(check_new(fine).is_ok(), "{fine}");
        }
    }

    #[test]
    fn three_free_tries_then_doubling_delays_up_to_a_cap() {
        assert_eq!(delay(1), None);
        assert_eq!(delay(2), None);
        assert_eq!(delay(3), Some(TimeDelta::seconds(10)));
        assert_eq!(delay(4), Some(TimeDelta::seconds(20)));
        assert_eq!(delay(5), Some(TimeDelta::seconds(40)));
        assert_eq!(delay(40), Some(TimeDelta::seconds(MAX_DELAY_SECS)));
        assert_eq!(delay(u32::MAX), Some(TimeDelta::seconds(MAX_DELAY_SECS)));
    }

    #[test]
    fn the_guard_refuses_input_until_the_deadline_and_forgets_after_success() {
        let mut g = Guard::default();
        assert_eq!(
            g.record(false, t(0)),
            Verdict::Wrong {
                failures: 1,
                locked_until: None
            }
        );
        assert_eq!(
            g.record(false, t(1)),
            Verdict::Wrong {
                failures: 2,
                locked_until: None
            }
        );
        assert_eq!(
            g.record(false, t(2)),
            Verdict::Wrong {
                failures: 3,
                locked_until: Some(t(12))
            }
        );
        // Even the right PIN is refused while locked.
        assert_eq!(g.record(true, t(5)), Verdict::Locked(t(12)));
        assert_eq!(g.locked_until(t(11)), Some(t(12)));
        assert_eq!(g.locked_until(t(12)), None);
        assert_eq!(
            g.record(false, t(12)),
            Verdict::Wrong {
                failures: 4,
                locked_until: Some(t(32))
            }
        );
        assert_eq!(g.record(true, t(32)), Verdict::Right);
        assert_eq!(g.failures(), 0);
        assert_eq!(
            g.record(false, t(33)),
            Verdict::Wrong {
                failures: 1,
                locked_until: None
            }
        );
    }

    #[test]
    fn a_rebuilt_guard_keeps_counting_and_waiting() {
        let mut g = Guard::after(3, t(100));
        assert_eq!(g.locked_until(t(105)), Some(t(110)));
        assert_eq!(g.record(true, t(105)), Verdict::Locked(t(110)));
        assert_eq!(
            g.record(false, t(110)),
            Verdict::Wrong {
                failures: 4,
                locked_until: Some(t(130))
            }
        );
        assert_eq!(Guard::after(0, t(0)), Guard::default());
    }

    #[test]
    fn typed_pins_never_show_in_debug_output() {
        let mut p = PinInput::default();
        for c in "9753".chars() {
            p.push(c);
        }
        p.pop();
        assert_eq!(p.text(), "975");
        assert_eq!(format!("{p:?}"), "PinInput(3 chars)");
    }
}
