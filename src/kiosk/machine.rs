//! The kiosk's state machine: the welcome screen, one learner's [`App`] at a
//! time, the proctor's PIN prompt and menu, and the lock-down of every key
//! that would leave. No terminal, no clock, no files: keys and time come in,
//! a [`Step`] for the edge and log events go out.

use super::log::{Event, Kind};
use super::pin::{Guards, PinInput, Secret};
use crate::attempt::journal::Sink;
use crate::attempt::{Learner, Options, Session};
use crate::bank::{Exam, Review};
use crate::present::strings::Strings;
use crate::tui::app::{App, Effect, Screen};
use crate::tui::keymap::{self, Action};
use chrono::{DateTime, TimeDelta, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::path::PathBuf;

mod proctor;
pub use proctor::{Ask, MenuItem, Overlay, is_proctor_key};

/// Seconds the proctor menu adds to the running attempt.
pub const EXTRA_TIME_SECS: u64 = 300;

/// Extra time, in percent of the limit, the proctor may grant before the
/// clock starts (the French "tiers-temps": a third more).
pub const TIERS_TEMPS_PERCENT: u32 = 33;

/// One exam on offer and the language of its screens.
#[derive(Debug, Clone, Copy)]
pub struct Offer<'a> {
    /// The exam.
    pub exam: &'a Exam,
    /// Its interface text.
    pub strings: &'static Strings,
}

/// What the kiosk is set to do (from `kiosk.toml`).
#[derive(Clone)]
pub struct Settings {
    /// The room's name.
    pub room: String,
    /// The proctor PIN's argon2id hash.
    pub pin_hash: String,
    /// Whether the proctor confirms each learner's identity.
    pub require_identity_check: bool,
    /// Back to the welcome screen after this long without a key on a
    /// screen where no attempt runs.
    pub idle_timeout: std::time::Duration,
    /// Whether credentials come from the local demo issuer.
    pub demo_issuer: bool,
    /// What result screens show, whatever the banks say (`None`: as each
    /// bank says).
    pub review: Option<Review>,
}

// By hand: even the PIN's hash stays out of debug output and logs.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("room", &self.room)
            .field("pin_hash", &"<argon2id>")
            .field("require_identity_check", &self.require_identity_check)
            .field("idle_timeout", &self.idle_timeout)
            .field("demo_issuer", &self.demo_issuer)
            .field("review", &self.review)
            .finish()
    }
}

/// The learner at the station: their exam and their app.
#[derive(Debug)]
pub struct Seat<'a, S> {
    /// Index of the exam in the offer.
    pub exam: usize,
    /// The learner's screens and attempt.
    pub app: App<'a, S>,
    /// Whether the proctor confirmed who they are.
    pub identity_verified: bool,
    /// Extra time granted by the proctor before the start, in percent.
    pub extra_time_percent: u32,
    /// Their unfinished attempt, found when they identified, held until the
    /// proctor confirms it may be resumed.
    pub pending: Option<Session<S>>,
}

/// What the station shows under any proctor overlay.
#[derive(Debug)]
pub enum Stage<'a, S> {
    /// The list of exams.
    Welcome {
        /// The highlighted exam.
        cursor: usize,
    },
    /// A learner's exam (boxed: an app is large, the welcome screen is not).
    Seat(Box<Seat<'a, S>>),
}

/// What the edge must do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Nothing but redraw.
    None,
    /// Look for the learner's unfinished attempt, then call [`Kiosk::identified`].
    Identify {
        /// The exam.
        exam: usize,
        /// Who.
        learner: Learner,
    },
    /// Open a new attempt with these options, then call [`Kiosk::started`].
    Start {
        /// The exam.
        exam: usize,
        /// Who.
        learner: Learner,
        /// Supervision and identity.
        options: Options,
    },
    /// Reopen the interrupted attempt, then call [`Kiosk::resumed`].
    Resume {
        /// The exam.
        exam: usize,
        /// Whose.
        learner: Learner,
    },
    /// The attempt ended: issue the credential if earned, record the
    /// result, then call [`Kiosk::credential_written`] if one was written.
    Finished {
        /// The exam.
        exam: usize,
    },
    /// The screen changed wholesale: clear the terminal.
    Cleared,
    /// The proctor closed the station.
    Exit,
    /// Try this passphrase on the issuer key, then call [`Kiosk::key_unlocked`].
    Unlock {
        /// What the proctor typed.
        passphrase: Secret,
    },
}

/// The kiosk's whole state.
#[derive(Debug)]
pub struct Kiosk<'a, S> {
    offers: Vec<Offer<'a>>,
    strings: &'static Strings,
    settings: Settings,
    stage: Stage<'a, S>,
    overlay: Option<Overlay>,
    guards: Guards,
    interrupted: Option<(usize, Learner)>,
    /// The issuer key is still encrypted: no exam may start.
    key_locked: bool,
    notice: Option<String>,
    last_input: DateTime<Utc>,
    now: DateTime<Utc>,
    log: Vec<Event>,
}

fn event(kind: Kind, learner: Option<&Learner>) -> Event {
    Event {
        kind,
        learner: learner.cloned(),
    }
}

impl<'a, S: Sink> Kiosk<'a, S> {
    /// A station at the welcome screen.
    pub fn new(
        offers: Vec<Offer<'a>>,
        strings: &'static Strings,
        settings: Settings,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            offers,
            strings,
            settings,
            stage: Stage::Welcome { cursor: 0 },
            overlay: None,
            guards: Guards::default(),
            interrupted: None,
            key_locked: false,
            notice: None,
            last_input: now,
            now,
            log: vec![event(Kind::KioskStarted, None)],
        }
    }

    /// The exams on offer.
    pub fn offers(&self) -> &[Offer<'a>] {
        &self.offers
    }

    /// The kiosk's own interface text.
    pub fn strings(&self) -> &'static Strings {
        self.strings
    }

    /// The settings.
    pub fn key_locked(&self) -> bool {
        self.key_locked
    }

    /// Says that the issuer key is still locked (the station started without
    /// its passphrase): exams wait until the proctor unlocks it.
    pub fn set_key_locked(&mut self, locked: bool) {
        self.key_locked = locked;
        if locked {
            self.log.push(event(Kind::KeyLocked, None));
        }
    }

    /// After [`Step::Unlock`]: whether the passphrase opened the key.
    pub fn key_unlocked(&mut self, opened: bool) {
        if opened {
            self.key_locked = false;
            self.log.push(event(Kind::KeyUnlocked, None));
        } else {
            self.log.push(event(Kind::KeyUnlockFailed, None));
            self.overlay = Some(Overlay::Passphrase {
                input: PinInput::default(),
                wrong: true,
            });
        }
    }

    /// The station's settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// What is shown under any overlay.
    pub fn stage(&self) -> &Stage<'a, S> {
        &self.stage
    }

    /// The learner's seat, when one is taken.
    pub fn seat(&self) -> Option<&Seat<'a, S>> {
        match &self.stage {
            Stage::Seat(seat) => Some(seat),
            Stage::Welcome { .. } => None,
        }
    }

    fn seat_mut(&mut self) -> Option<&mut Seat<'a, S>> {
        match &mut self.stage {
            Stage::Seat(seat) => Some(seat),
            Stage::Welcome { .. } => None,
        }
    }

    /// A learner's app at this station.
    fn new_app(&self, offer: Offer<'a>, now: DateTime<Utc>) -> App<'a, S> {
        let mut app = App::new(offer.exam, offer.strings, None, now);
        app.set_demo_issuer(self.settings.demo_issuer);
        app.set_kiosk(true);
        if let Some(review) = self.settings.review {
            app.set_review(review);
        }
        app
    }

    /// The proctor window, if open.
    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }

    /// Until when the open PIN prompt refuses input.
    pub fn locked_until(&self) -> Option<DateTime<Utc>> {
        match &self.overlay {
            Some(Overlay::Pin { ask, .. }) => self.guards.locked_until(*ask == Ask::Menu, self.now),
            _ => None,
        }
    }

    /// Whether some PIN prompt refuses input now.
    pub fn any_locked(&self) -> bool {
        self.guards.locked_until(true, self.now).is_some()
            || self.guards.locked_until(false, self.now).is_some()
    }

    /// The time the screen shows.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// The interrupted attempt waiting for the proctor, if any.
    pub fn interrupted(&self) -> Option<(usize, &Learner)> {
        self.interrupted.as_ref().map(|(e, l)| (*e, l))
    }

    /// A message for the welcome screen (why an attempt was refused).
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// When the edge cannot carry out a step (the exam's attempt rules
    /// refuse a new attempt, a journal is damaged): logged, then back to the
    /// welcome screen, which shows the reason until the next key.
    pub fn refused(&mut self, reason: &str) {
        self.note(Kind::AttemptRefused {
            reason: reason.to_string(),
        });
        self.clear("refused");
        self.notice = Some(reason.to_string());
    }

    /// Carries over the PIN guards of the previous run, or takes those of
    /// a log the proctor cleared (see [`super::log::guards_from_log`]).
    pub fn set_guards(&mut self, guards: Guards) {
        self.guards = guards;
    }

    /// Says an unfinished attempt was found at start: the proctor may resume it.
    pub fn set_interrupted(&mut self, exam: usize, learner: Learner) {
        if let Some(offer) = self.offers.get(exam) {
            let exam_id = offer.exam.meta.id.clone();
            self.log.push(event(
                Kind::InterruptedFound { exam: exam_id },
                Some(&learner),
            ));
        }
        self.interrupted = Some((exam, learner));
    }

    /// Log events since the last call, oldest first.
    pub fn take_log(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.log)
    }

    fn learner(&self) -> Option<&Learner> {
        self.seat().and_then(|s| s.app.learner())
    }

    fn attempt_running(&self) -> bool {
        self.seat()
            .and_then(|s| s.app.session())
            .is_some_and(|s| !s.attempt().is_finished())
    }

    fn note(&mut self, kind: Kind) {
        let e = event(kind, self.learner());
        self.log.push(e);
    }

    /// Back to the welcome screen: the learner's app (name, answers,
    /// result, open journal) is dropped here.
    fn clear(&mut self, by: &str) -> Step {
        if self.seat().is_none() {
            return Step::None;
        }
        let overlay = self.overlay.take();
        self.drop_pending(overlay.as_ref().and_then(overlay_ask));
        self.note(Kind::LearnerCleared { by: by.into() });
        self.stage = Stage::Welcome { cursor: 0 };
        self.overlay = None;
        Step::Cleared
    }

    /// Reacts to a key at time `now`.
    ///
    /// # Errors
    /// The journal could not be written: the edge must stop, answers so far are safe.
    pub fn key(&mut self, key: KeyEvent, now: DateTime<Utc>) -> std::io::Result<Step> {
        self.now = now;
        if key.kind == KeyEventKind::Release {
            return Ok(Step::None);
        }
        self.last_input = now;
        self.notice = None;
        if is_proctor_key(&key) {
            self.overlay = match self.overlay {
                None => Some(Overlay::Pin {
                    ask: Ask::Menu,
                    input: PinInput::default(),
                    wrong: false,
                }),
                // The same key closes any proctor window.
                Some(ref overlay) => {
                    let overlay = overlay_ask(overlay).cloned();
                    self.drop_pending(overlay.as_ref());
                    None
                }
            };
            return Ok(Step::None);
        }
        match self.overlay.take() {
            Some(Overlay::Pin { ask, input, wrong }) => self.on_pin(key, ask, input, wrong),
            Some(Overlay::Menu { items, cursor }) => self.on_menu(key, items, cursor),
            Some(Overlay::Passphrase { input, wrong }) => Ok(self.on_passphrase(key, input, wrong)),
            None => self.on_stage(key),
        }
    }

    /// Turns the app's effect into the kiosk's step.
    fn follow(&mut self, effect: Effect) -> Step {
        let Some(seat) = self.seat_mut() else {
            return Step::None;
        };
        let exam = seat.exam;
        match effect {
            Effect::None => Step::None,
            // The unfinished attempt is looked up first, so that the
            // identity prompt can say that it will be resumed.
            Effect::Identify(learner) => Step::Identify { exam, learner },
            Effect::Start(learner) => Step::Start {
                exam,
                options: Options {
                    extra_time_percent: seat.extra_time_percent,
                    supervised: true,
                    identity_verified: seat.identity_verified,
                },
                learner,
            },
            Effect::Finished => Step::Finished { exam },
            // Leaving the result, or backing out before any attempt, ends the
            // turn; during an attempt nothing leaves.
            Effect::Quit => {
                let done = seat.app.session().is_none() || seat.app.screen() == Screen::Result;
                if done { self.clear("key") } else { Step::None }
            }
        }
    }

    fn on_stage(&mut self, key: KeyEvent) -> std::io::Result<Step> {
        // Lock-down: Ctrl-C, Ctrl-Z, Ctrl-\, Ctrl-D and every other control
        // or Alt chord mean nothing here.
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return Ok(Step::None);
        }
        if self.key_locked
            && key.code == KeyCode::Enter
            && matches!(self.stage, Stage::Welcome { .. })
        {
            self.notice = Some(self.strings().kiosk_key_locked.to_string());
            return Ok(Step::None);
        }
        let now = self.now;
        let count = self.offers.len();
        match &mut self.stage {
            Stage::Welcome { cursor } => {
                match key.code {
                    KeyCode::Up | KeyCode::Char('k') => *cursor = cursor.saturating_sub(1),
                    KeyCode::Down | KeyCode::Char('j') => {
                        *cursor = (*cursor + 1).min(count.saturating_sub(1));
                    }
                    KeyCode::Char(c @ '1'..='9') => {
                        let n = c as usize - '1' as usize;
                        if n < count {
                            *cursor = n;
                        }
                    }
                    KeyCode::Enter => {
                        let exam = *cursor;
                        if let Some(offer) = self.offers.get(exam).copied() {
                            let app = self.new_app(offer, now);
                            self.stage = Stage::Seat(Box::new(Seat {
                                exam,
                                app,
                                identity_verified: false,
                                extra_time_percent: 0,
                                pending: None,
                            }));
                            return Ok(Step::Cleared);
                        }
                    }
                    _ => {}
                }
                Ok(Step::None)
            }
            Stage::Seat(seat) => {
                let action = keymap::action(key, seat.app.mode());
                let effect = match action {
                    // `q` and Esc-to-quit never leave: quitting is the proctor's.
                    None | Some(Action::Quit) => return Ok(Step::None),
                    Some(action) => seat.app.handle(action, now)?,
                };
                Ok(self.follow(effect))
            }
        }
    }

    /// The clock moved on: the attempt's deadline, the idle timeout.
    ///
    /// # Errors
    /// The journal could not be written.
    pub fn tick(&mut self, now: DateTime<Utc>) -> std::io::Result<Step> {
        self.now = now;
        let idle = TimeDelta::from_std(self.settings.idle_timeout).unwrap_or(TimeDelta::MAX);
        // A proctor window left open times out like every screen: with the
        // learner when no attempt runs (nothing of theirs stays behind it),
        // alone while one runs.
        if self.overlay.is_some() && now - self.last_input >= idle {
            if self.attempt_running() {
                self.overlay = None;
                self.last_input = now;
                return Ok(Step::None);
            }
            if self.seat().is_some() {
                return Ok(self.clear("idle"));
            }
            self.overlay = None;
            return Ok(Step::None);
        }
        let Some(seat) = self.seat_mut() else {
            return Ok(Step::None);
        };
        let effect = seat.app.tick(now)?;
        if effect != Effect::None {
            return Ok(self.follow(effect));
        }
        if self.overlay.is_none() && !self.attempt_running() && now - self.last_input >= idle {
            return Ok(self.clear("idle"));
        }
        Ok(Step::None)
    }

    /// Pasted text: into the learner's app only (never into a PIN).
    ///
    /// # Errors
    /// The journal could not be written.
    pub fn paste(&mut self, text: &str, now: DateTime<Utc>) -> std::io::Result<Step> {
        self.now = now;
        self.last_input = now;
        if self.overlay.is_some() {
            return Ok(Step::None);
        }
        let Some(seat) = self.seat_mut() else {
            return Ok(Step::None);
        };
        let effect = seat.app.paste(text, now)?;
        Ok(self.follow(effect))
    }

    /// Focus or size changes, recorded in the running attempt.
    ///
    /// # Errors
    /// The journal could not be written.
    pub fn terminal_event(
        &mut self,
        focus: Option<bool>,
        size: Option<(u16, u16)>,
        now: DateTime<Utc>,
    ) -> std::io::Result<Step> {
        self.now = now;
        let Some(seat) = self.seat_mut() else {
            return Ok(Step::None);
        };
        let effect = match (focus, size) {
            (Some(gained), _) => seat.app.focus(gained, now)?,
            (None, Some((w, h))) => seat.app.resized(w, h, now)?,
            (None, None) => Effect::None,
        };
        Ok(self.follow(effect))
    }

    /// After [`Step::Identify`]: the learner's unfinished attempt, if any.
    /// Unless the proctor already vouched for the learner, resuming it waits
    /// for the PIN: a name is not proof of who sits at the station.
    ///
    /// `resumed` was found but not yet written to (see
    /// [`crate::launch::Launch::find_unconfirmed`]): nothing is written to
    /// it until the proctor confirms, when a confirmation is due.
    ///
    /// # Errors
    /// The journal could not be written.
    pub fn identified(
        &mut self,
        learner: Learner,
        resumed: Option<Session<S>>,
    ) -> std::io::Result<()> {
        let require = self.settings.require_identity_check;
        let now = self.now;
        let Some(seat) = self.seat_mut() else {
            return Ok(());
        };
        // The proctor confirms who it is before anything starts (with the
        // identity check) or before an attempt is resumed (anyone can type
        // a name): the prompt says whose attempt it would resume.
        let ask = if require && !seat.identity_verified {
            Some(Ask::Identity(learner.clone()))
        } else if resumed.is_some() && !seat.identity_verified {
            Some(Ask::Resume(learner.clone()))
        } else {
            None
        };
        if let Some(ask) = ask {
            seat.pending = resumed;
            self.overlay = Some(Overlay::Pin {
                ask,
                input: PinInput::default(),
                wrong: false,
            });
            return Ok(());
        }
        let mut resumed = resumed;
        if let Some(session) = resumed.as_mut() {
            session.mark_resumed(seat.app.exam(), 0, now)?;
        }
        seat.app.identified(learner.clone(), resumed);
        if let Some(s) = seat.app.session() {
            let exam = s.attempt().header().exam_id.clone();
            self.log
                .push(event(Kind::AttemptResumed { exam }, Some(&learner)));
            self.forget_interrupted(&learner);
        }
        Ok(())
    }

    /// The seated learner's attempt goes on with `earlier`, the version of
    /// the bank it was given (see [`App::runs_on`]). Before
    /// [`Kiosk::identified`] or [`Kiosk::resumed`]'s attempt is attached.
    pub fn runs_on(&mut self, earlier: std::sync::Arc<crate::bank::Exam>, changed: usize) {
        if let Some(seat) = self.seat_mut() {
            seat.app.runs_on(earlier, changed);
        }
    }

    /// No attempt may start for the seated learner: their instructions
    /// screen says why (`lines`), and Enter hands over.
    pub fn set_refused(&mut self, lines: Vec<String>) {
        if let Some(seat) = self.seat_mut() {
            seat.app.set_refused(lines);
        }
    }

    /// The interrupted attempt found at start was resumed another way (its
    /// learner identified again): the menu no longer offers it.
    fn forget_interrupted(&mut self, learner: &Learner) {
        let seat_exam = self.seat().map(|s| s.exam);
        // The same key the store counts attempts by.
        let trust = self.settings.require_identity_check;
        let key = |l: &Learner| crate::store::store_key(l, trust).ok();
        let mine = key(learner);
        if self
            .interrupted
            .as_ref()
            .is_some_and(|(e, l)| Some(*e) == seat_exam && mine.is_some() && key(l) == mine)
        {
            self.interrupted = None;
        }
    }

    /// After [`Step::Start`]: the new attempt.
    pub fn started(&mut self, session: Session<S>) {
        let exam = session.attempt().header().exam_id.clone();
        if let Some(seat) = self.seat_mut() {
            seat.app.started(session);
            self.note(Kind::AttemptStarted { exam });
        }
    }

    /// After [`Step::Resume`]: the interrupted attempt, reopened.
    pub fn resumed(
        &mut self,
        exam: usize,
        session: Session<S>,
        earlier: Option<(std::sync::Arc<crate::bank::Exam>, usize)>,
    ) -> Step {
        let Some(offer) = self.offers.get(exam).copied() else {
            return Step::None;
        };
        let header = session.attempt().header().clone();
        let mut app = self.new_app(offer, self.now);
        if let Some((version, changed)) = earlier {
            app.runs_on(version, changed);
        }
        app.identified(header.learner.clone(), Some(session));
        self.stage = Stage::Seat(Box::new(Seat {
            exam,
            app,
            identity_verified: header.options.identity_verified,
            extra_time_percent: header.options.extra_time_percent,
            pending: None,
        }));
        self.log.push(event(
            Kind::AttemptResumed {
                exam: header.exam_id,
            },
            Some(&header.learner),
        ));
        Step::Cleared
    }

    /// The credential's badge or certificate could not be written beside
    /// it: logged for the proctor (the learner's screen is about their
    /// result; the credential itself is safe).
    pub fn badge_not_written(&mut self, credential: &std::path::Path, reason: &str) {
        self.note(Kind::BadgeNotWritten {
            credential: credential.display().to_string(),
            reason: reason.to_owned(),
        });
    }

    /// After [`Step::Finished`]: where the credential went.
    pub fn credential_written(&mut self, path: PathBuf) {
        if let Some(seat) = self.seat_mut() {
            seat.app.credential_written(path);
        }
    }

    /// Records the end of the attempt in the log (called by the edge once
    /// the result is saved).
    pub fn finished(&mut self) {
        let Some(seat) = self.seat() else {
            return;
        };
        let exam = seat.app.exam().meta.id.clone();
        let passed = seat.app.result().is_some_and(|r| r.passed);
        self.note(Kind::AttemptFinished { exam, passed });
    }

    /// Records a stop from outside: `by` a `signal` (named) or because the
    /// `terminal_lost`.
    pub fn stopped(&mut self, by: &str, signal: Option<&str>) {
        self.note(Kind::KioskStopped {
            by: by.into(),
            signal: signal.map(Into::into),
        });
    }

    /// The unfinished attempt the open PIN prompt would resume: whose (as
    /// its journal names them) and since when.
    pub fn pending_attempt(&self) -> Option<(&Learner, DateTime<Utc>)> {
        let header = self.seat()?.pending.as_ref()?.attempt().header();
        Some((&header.learner, header.started_at))
    }

    /// Records a signal the station ignored.
    pub fn ignored_signal(&mut self, name: &str) {
        self.note(Kind::SignalIgnored {
            signal: name.into(),
        });
    }
}

/// The PIN prompt's question, if `overlay` is a PIN prompt.
fn overlay_ask(overlay: &Overlay) -> Option<&Ask> {
    match overlay {
        Overlay::Pin { ask, .. } => Some(ask),
        _ => None,
    }
}
