//! The proctor's side of the kiosk: the PIN prompt (with its delays), the
//! menu, and what each entry does. Split from the machine so that each file
//! holds one concern; it works on the same state.

use super::{EXTRA_TIME_SECS, Kiosk, Step, TIERS_TEMPS_PERCENT, event};
use crate::attempt::journal::Sink;
use crate::attempt::{Command, Learner, ProctorEvent};
use crate::kiosk::log::{Kind, Purpose};
use crate::kiosk::pin::{self, PinInput, Secret, Verdict};
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a PIN prompt is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    /// Open the proctor menu.
    Menu,
    /// Vouch for this learner's identity.
    Identity(Learner),
    /// Let this learner resume their unfinished attempt (anyone could type
    /// their name: the proctor confirms it is them).
    Resume(Learner),
}

/// An entry of the proctor menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuItem {
    /// Resume the interrupted attempt found at start.
    Resume,
    /// Before the clock starts: the learner is entitled to extra time
    /// ([`TIERS_TEMPS_PERCENT`], the French "tiers-temps").
    TiersTemps,
    /// Add [`EXTRA_TIME_SECS`] to the running attempt.
    ExtraTime,
    /// End the running attempt.
    EndAttempt,
    /// Open the issuer key with its passphrase.
    UnlockKey,
    /// Leave the kiosk: asks for confirmation first.
    Exit,
    /// Leave the kiosk, confirmed.
    ConfirmExit,
    /// Close the menu.
    Close,
}

/// A proctor window over the stage.
#[derive(Debug)]
pub enum Overlay {
    /// The PIN prompt.
    Pin {
        /// What for.
        ask: Ask,
        /// What was typed (shown as bullets).
        input: PinInput,
        /// The last try was wrong.
        wrong: bool,
    },
    /// The issuer key's passphrase prompt.
    Passphrase {
        /// What was typed (shown as bullets).
        input: PinInput,
        /// The last try did not open the key.
        wrong: bool,
    },
    /// The proctor menu.
    Menu {
        /// The entries.
        items: Vec<MenuItem>,
        /// The highlighted one.
        cursor: usize,
    },
}

/// Whether `key` opens the proctor prompt (F12, or Ctrl-P where function
/// keys are taken by the terminal).
pub fn is_proctor_key(key: &KeyEvent) -> bool {
    matches!(
        (key.code, key.modifiers),
        (KeyCode::F(12), _) | (KeyCode::Char('p' | 'P'), KeyModifiers::CONTROL)
    )
}

impl<S: Sink> Kiosk<'_, S> {
    pub(super) fn on_pin(
        &mut self,
        key: KeyEvent,
        ask: Ask,
        mut input: PinInput,
        mut wrong: bool,
    ) -> std::io::Result<Step> {
        let purpose = match ask {
            Ask::Menu => Purpose::Menu,
            Ask::Identity(_) => Purpose::Identity,
            Ask::Resume(_) => Purpose::Resume,
        };
        let menu = purpose == Purpose::Menu;
        match key.code {
            KeyCode::Esc => {
                self.drop_pending(Some(&ask));
                return Ok(Step::None);
            }
            KeyCode::Backspace => input.pop(),
            // While locked, typed characters are dropped.
            KeyCode::Char(c)
                if !key.modifiers.contains(KeyModifiers::CONTROL)
                    && self.guards.locked_until(menu, self.now).is_none() =>
            {
                input.push(c);
            }
            KeyCode::Enter => {
                // The slow hash is computed only when input is taken.
                let right = self.guards.locked_until(menu, self.now).is_none()
                    && pin::matches(input.text(), &self.settings.pin_hash);
                input = PinInput::default();
                match self.guards.of(menu).record(right, self.now) {
                    Verdict::Right => {
                        self.guards = pin::Guards::default();
                        self.note(Kind::PinRight { purpose });
                        return self.unlocked(ask);
                    }
                    Verdict::Wrong {
                        failures,
                        locked_until,
                    } => {
                        wrong = true;
                        self.note(Kind::PinWrong {
                            purpose,
                            failures,
                            locked_until,
                        });
                    }
                    Verdict::Locked(until) => self.note(Kind::PinRefused {
                        locked_until: until,
                    }),
                }
            }
            _ => {}
        }
        self.overlay = Some(Overlay::Pin { ask, input, wrong });
        Ok(Step::None)
    }

    /// Typing the issuer key's passphrase (it reaches the edge only on Enter).
    pub(super) fn on_passphrase(
        &mut self,
        key: KeyEvent,
        mut input: PinInput,
        wrong: bool,
    ) -> Step {
        match key.code {
            KeyCode::Esc => return Step::None,
            KeyCode::Backspace => input.pop(),
            KeyCode::Char(c)
                if !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                input.push(c);
            }
            KeyCode::Enter if !input.is_empty() => {
                return Step::Unlock {
                    passphrase: Secret::from(input),
                };
            }
            _ => {}
        }
        self.overlay = Some(Overlay::Passphrase { input, wrong });
        Step::None
    }

    /// Forgets an attempt found for a learner the proctor did not confirm,
    /// and logs the take-over that did not happen, with the name that was
    /// typed (from the prompt `ask`).
    pub(super) fn drop_pending(&mut self, ask: Option<&Ask>) {
        let Some(pending) = self.seat_mut().and_then(|seat| seat.pending.take()) else {
            return;
        };
        let header = pending.attempt().header();
        let kind = Kind::ResumeCancelled {
            exam: header.exam_id.clone(),
            owner: header.learner.clone(),
            started_at: header.started_at,
        };
        let typed = match ask {
            Some(Ask::Identity(l) | Ask::Resume(l)) => Some(l),
            _ => None,
        };
        self.log.push(event(kind, typed));
    }

    fn unlocked(&mut self, ask: Ask) -> std::io::Result<Step> {
        let identity = matches!(ask, Ask::Identity(_));
        match ask {
            Ask::Resume(learner) | Ask::Identity(learner) => {
                let Some(seat) = self.seat_mut() else {
                    return Ok(Step::None);
                };
                if identity {
                    seat.identity_verified = true;
                    self.log
                        .push(event(Kind::IdentityConfirmed, Some(&learner)));
                }
                let now = self.now;
                let Some(seat) = self.seat_mut() else {
                    return Ok(Step::None);
                };
                let mut pending = seat.pending.take();
                // Confirmed: only now does the attempt go on (on the
                // version of the bank it was given).
                if let Some(session) = pending.as_mut() {
                    session.mark_resumed(seat.app.exam(), 0, now)?;
                }
                let exam = pending
                    .as_ref()
                    .map(|s| s.attempt().header().exam_id.clone());
                seat.app.identified(learner.clone(), pending);
                if let Some(exam) = exam {
                    self.log
                        .push(event(Kind::AttemptResumed { exam }, Some(&learner)));
                    self.forget_interrupted(&learner);
                }
                Ok(Step::None)
            }
            Ask::Menu => {
                let mut items = Vec::new();
                if self.key_locked {
                    items.push(MenuItem::UnlockKey);
                }
                if self.interrupted.is_some() && self.seat().is_none() {
                    items.push(MenuItem::Resume);
                }
                if self.seat().is_some_and(|s| {
                    s.app.learner().is_some()
                        && s.app.session().is_none()
                        && s.extra_time_percent == 0
                }) {
                    items.push(MenuItem::TiersTemps);
                }
                if self.attempt_running() {
                    items.extend([MenuItem::ExtraTime, MenuItem::EndAttempt]);
                }
                // Closing the station asks again (its confirmation menu
                // starts on "Back"): a stray Enter never closes it.
                items.extend([MenuItem::Exit, MenuItem::Close]);
                self.overlay = Some(Overlay::Menu { items, cursor: 0 });
                Ok(Step::None)
            }
        }
    }

    pub(super) fn on_menu(
        &mut self,
        key: KeyEvent,
        items: Vec<MenuItem>,
        mut cursor: usize,
    ) -> std::io::Result<Step> {
        let chosen = match key.code {
            KeyCode::Esc => return Ok(Step::None),
            KeyCode::Up => {
                cursor = cursor.saturating_sub(1);
                None
            }
            KeyCode::Down => {
                cursor = (cursor + 1).min(items.len().saturating_sub(1));
                None
            }
            KeyCode::Enter => items.get(cursor).copied(),
            // A digit alone chooses; with Alt or Ctrl held it is no choice.
            KeyCode::Char(c @ '1'..='9')
                if !key
                    .modifiers
                    .intersects(KeyModifiers::ALT | KeyModifiers::CONTROL) =>
            {
                c.to_digit(10)
                    .and_then(|d| items.get(d as usize - 1))
                    .copied()
            }
            _ => None,
        };
        let Some(item) = chosen else {
            self.overlay = Some(Overlay::Menu { items, cursor });
            return Ok(Step::None);
        };
        let now = self.now;
        match item {
            MenuItem::Close => Ok(Step::None),
            MenuItem::UnlockKey => {
                self.overlay = Some(Overlay::Passphrase {
                    input: PinInput::default(),
                    wrong: false,
                });
                Ok(Step::None)
            }
            MenuItem::Exit => {
                self.overlay = Some(Overlay::Menu {
                    items: vec![MenuItem::Close, MenuItem::ConfirmExit],
                    cursor: 0,
                });
                Ok(Step::None)
            }
            MenuItem::ConfirmExit => {
                self.note(Kind::KioskStopped {
                    by: "proctor".into(),
                    signal: None,
                });
                Ok(Step::Exit)
            }
            MenuItem::Resume => Ok(match self.interrupted.take() {
                Some((exam, learner)) => Step::Resume { exam, learner },
                None => Step::None,
            }),
            MenuItem::ExtraTime => {
                self.note(Kind::ExtraTime {
                    seconds: EXTRA_TIME_SECS,
                });
                let command = Command::Proctor(ProctorEvent::ExtraTime {
                    seconds: EXTRA_TIME_SECS,
                });
                self.proctor(&command, now)
            }
            MenuItem::TiersTemps => {
                if let Some(seat) = self.seat_mut() {
                    seat.extra_time_percent = TIERS_TEMPS_PERCENT;
                }
                self.note(Kind::ExtraTimePercent {
                    percent: TIERS_TEMPS_PERCENT,
                });
                Ok(Step::None)
            }
            MenuItem::EndAttempt => {
                self.note(Kind::EndedByProctor);
                self.proctor(&Command::EndByProctor, now)
            }
        }
    }

    pub(super) fn proctor(
        &mut self,
        command: &Command,
        now: DateTime<Utc>,
    ) -> std::io::Result<Step> {
        let Some(seat) = self.seat_mut() else {
            return Ok(Step::None);
        };
        let effect = seat.app.proctor(command, now)?;
        Ok(self.follow(effect))
    }
}
