//! The TUI's state and its reaction to actions and time. No terminal here:
//! key handling is tested as plain functions on this state, and the view
//! (`view.rs`) only reads it.

mod keys;

use super::input::TextInput;
use super::keymap::{Action, Mode};
use crate::attempt::journal::Sink;
use crate::attempt::{
    Command, Learner, Outcome, ProctorEvent, Refusal, Response, Session, SubmitReason,
};
use crate::bank::{Exam, Kind, Paste, Review};
use crate::present::strings::Strings;
use crate::scoring;
use chrono::{DateTime, Utc};
use std::path::PathBuf;
use std::time::Duration;

/// Which screen is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Name and learner id.
    Identify,
    /// Exam facts and rules, before the clock starts.
    Instructions,
    /// One question.
    Question,
    /// Every question's state.
    Review,
    /// "Submit your answers?"
    Confirm,
    /// The result.
    Result,
}

/// What the edge must do after an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Nothing: redraw if needed.
    None,
    /// The learner identified: look for an unfinished attempt, then call
    /// [`App::identified`].
    Identify(Learner),
    /// Start the clock: open a new attempt, then call [`App::started`].
    Start(Learner),
    /// The attempt was just submitted: issue what follows (credential), then
    /// call [`App::credential_written`] if one was written.
    Finished,
    /// Leave the program (answers are saved).
    Quit,
}

/// A short message under the question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A command was refused.
    Refused(Refusal),
    /// A time warning, with the time left.
    TimeWarning(Duration),
    /// A typed number did not parse.
    NotANumber,
    /// A key that cannot be part of a number, typed in a numeric answer.
    NumberKeysOnly,
    /// No question has the number asked for.
    NoSuchQuestion,
    /// A paste was refused and recorded.
    PasteRefused,
    /// The name is missing on the identification screen.
    NameRequired,
    /// The name (or, when `id`, the id) cannot identify a learner.
    NameRefused {
        /// The id field, else the name.
        id: bool,
        /// Why.
        why: crate::attempt::learner::NameError,
    },
    /// The e-mail field holds something that is not an address.
    EmailRefused,
    /// A proctor added time (kiosk).
    ExtraTimeGranted,
}

/// The identification form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identify {
    /// Full name.
    pub name: TextInput,
    /// Optional learner id.
    pub id: TextInput,
    /// Optional e-mail address (hashed in the credential).
    pub email: TextInput,
    /// 0: name, 1: id, 2: e-mail.
    pub focus: usize,
}

/// The TUI's state.
#[derive(Debug)]
pub struct App<'a, S> {
    exam: &'a Exam,
    strings: &'static Strings,
    screen: Screen,
    identify: Identify,
    learner: Option<Learner>,
    session: Option<Session<S>>,
    resumed: bool,
    help: bool,
    quitting: bool,
    cursor: usize,
    input: TextInput,
    input_dirty: bool,
    /// When the typed answer was last changed: at the deadline, what is
    /// typed is handed in as it stood then.
    input_edited_at: DateTime<Utc>,
    review_cursor: usize,
    scroll: u16,
    /// How far the page (instructions, result) scrolls at the last size
    /// drawn (the view measures it).
    page_max_scroll: std::cell::Cell<u16>,
    /// The version of the bank the attempt was given, when the bank has
    /// changed since it started; else the attempt runs on `exam`.
    earlier: Option<std::sync::Arc<Exam>>,
    /// What the resume screen says of that change.
    changed: Vec<String>,
    /// The question number being typed after `g` or F4, when open.
    jump: Option<TextInput>,
    /// Lines scrolled away from where the highlighted choice is in view.
    nudge: i32,
    /// How far the question can be scrolled up and down from there, as
    /// the view last measured it.
    nudge_range: std::cell::Cell<(i32, i32)>,
    notice: Option<Notice>,
    result: Option<scoring::Outcome>,
    credential: Option<PathBuf>,
    /// Under the credential's path: its badge, the LinkedIn link.
    shared: Vec<String>,
    demo_issuer: bool,
    /// Extra time the attempt will get, shown before it starts.
    extra_time_percent: u32,
    /// After a failed attempt: whether and when another may start.
    retake: Option<String>,
    review: Review,
    refused: Vec<String>,
    kiosk: bool,
    now: DateTime<Utc>,
}

impl<'a, S: Sink> App<'a, S> {
    /// A new app at the identification screen, or at the instructions when
    /// the learner is known.
    pub fn new(
        exam: &'a Exam,
        strings: &'static Strings,
        learner: Option<Learner>,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            exam,
            strings,
            screen: if learner.is_some() {
                Screen::Instructions
            } else {
                Screen::Identify
            },
            identify: Identify::default(),
            learner,
            session: None,
            resumed: false,
            help: false,
            quitting: false,
            cursor: 0,
            input: TextInput::default(),
            input_dirty: false,
            input_edited_at: now,
            review_cursor: 0,
            scroll: 0,
            page_max_scroll: std::cell::Cell::new(u16::MAX),
            earlier: None,
            changed: Vec::new(),
            jump: None,
            nudge: 0,
            nudge_range: std::cell::Cell::new((500, 500)),
            notice: None,
            result: None,
            credential: None,
            shared: Vec::new(),
            retake: None,
            extra_time_percent: 0,
            demo_issuer: false,
            review: exam.rules.review,
            refused: Vec::new(),
            kiosk: false,
            now,
        }
    }

    /// The exam, in the version the attempt runs on.
    pub fn exam(&self) -> &Exam {
        self.earlier.as_deref().unwrap_or(self.exam)
    }

    /// The attempt goes on with `earlier`, the version of the bank it was
    /// given (the bank changed since it started; `changed` of its questions
    /// read otherwise now): the resume screen says so.
    pub fn runs_on(&mut self, earlier: std::sync::Arc<Exam>, changed: usize) {
        self.changed =
            crate::present::bank_changed_lines(&earlier, self.exam, changed, self.strings);
        self.review = earlier.rules.review;
        self.earlier = Some(earlier);
    }

    /// What the resume screen says of a bank changed since the attempt
    /// started (empty when it did not change).
    pub fn changed(&self) -> &[String] {
        &self.changed
    }

    /// Interface text.
    pub fn strings(&self) -> &'static Strings {
        self.strings
    }

    /// The screen shown.
    pub fn screen(&self) -> Screen {
        self.screen
    }

    /// The identification form.
    pub fn identify_form(&self) -> &Identify {
        &self.identify
    }

    /// The running (or finished) attempt, once started.
    pub fn session(&self) -> Option<&Session<S>> {
        self.session.as_ref()
    }

    /// Whether the attempt was resumed after an interruption.
    pub fn resumed(&self) -> bool {
        self.resumed
    }

    /// Whether the help overlay is open.
    pub fn help_open(&self) -> bool {
        self.help
    }

    /// Whether the quit confirmation is open.
    pub fn quitting(&self) -> bool {
        self.quitting
    }

    /// The highlighted choice (display position).
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The text being typed for the current question.
    pub fn input(&self) -> &TextInput {
        &self.input
    }

    /// Whether the typed text differs from the saved answer.
    pub fn input_dirty(&self) -> bool {
        self.input_dirty
    }

    /// The highlighted row of the review screen.
    pub fn review_cursor(&self) -> usize {
        self.review_cursor
    }

    /// The view measured how far the result can scroll at its width.
    pub fn note_page_max_scroll(&self, max: u16) {
        self.page_max_scroll.set(max);
    }

    /// Vertical scroll of the prompt or the result.
    pub fn scroll(&self) -> u16 {
        self.scroll
    }

    /// The view measured how far the question can scroll away from where
    /// it sits by itself: `up` lines towards its start, `down` towards its end.
    pub fn note_nudge_range(&self, up: i32, down: i32) {
        self.nudge_range.set((up, down));
    }

    /// Scrolls the question by `by` lines, within its ends.
    fn nudge_by(&mut self, by: i32) {
        let (up, down) = self.nudge_range.get();
        self.nudge = (self.nudge + by).clamp(-up, down.max(-up));
    }

    /// Lines the learner scrolled a choice question away from the position
    /// that shows the highlighted choice (negative: towards the prompt's start).
    pub fn nudge(&self) -> i32 {
        self.nudge
    }

    /// The question number being typed to go to it, when asked for.
    pub fn jump(&self) -> Option<&TextInput> {
        self.jump.as_ref()
    }

    /// The message to show, if any.
    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// The score, once submitted.
    pub fn result(&self) -> Option<&scoring::Outcome> {
        self.result.as_ref()
    }

    /// Where the credential was written, if one was.
    pub fn credential(&self) -> Option<&PathBuf> {
        self.credential.as_ref()
    }

    /// No attempt may start (the exam's rules): the instructions screen
    /// says why, in `lines`, and Enter leaves.
    pub fn set_refused(&mut self, lines: Vec<String>) {
        self.refused = lines;
    }

    /// Why no attempt may start, if none may.
    pub fn refused(&self) -> &[String] {
        &self.refused
    }

    /// Shows `review` on the result screen instead of what the bank says
    /// (a room where the next learner sits the same pool).
    pub fn set_review(&mut self, review: Review) {
        self.review = review;
    }

    /// What the result screen shows.
    pub fn review(&self) -> Review {
        self.review
    }

    /// Says that credentials come from the local demo issuer (shown on screen).
    pub fn set_demo_issuer(&mut self, demo: bool) {
        self.demo_issuer = demo;
    }

    /// After a failed attempt, what the result says of another one.
    pub fn set_retake(&mut self, line: String) {
        self.retake = Some(line);
    }

    /// What the result says of another attempt, if anything.
    pub fn retake(&self) -> Option<&str> {
        self.retake.as_deref()
    }

    /// The extra time the attempt will be granted (`--extra-time`), so
    /// that the instructions show the time the learner will have.
    pub fn set_extra_time(&mut self, percent: u32) {
        self.extra_time_percent = percent;
    }

    /// The extra time of the attempt: its own once started, else the one it
    /// will be granted.
    pub fn extra_time(&self) -> u32 {
        self.session.as_ref().map_or(self.extra_time_percent, |s| {
            s.attempt().header().options.extra_time_percent
        })
    }

    /// Whether credentials come from the local demo issuer.
    pub fn demo_issuer(&self) -> bool {
        self.demo_issuer
    }

    /// Says that the app runs inside the kiosk (hints name the kiosk's keys).
    pub fn set_kiosk(&mut self, kiosk: bool) {
        self.kiosk = kiosk;
    }

    /// Whether the app runs inside the kiosk.
    pub fn in_kiosk(&self) -> bool {
        self.kiosk
    }

    /// A proctor's command (extra time, ending the attempt), applied like the
    /// learner's own: journaled first, then shown. Ignored once finished.
    ///
    /// # Errors
    /// The journal could not be written.
    pub fn proctor(&mut self, command: &Command, now: DateTime<Utc>) -> std::io::Result<Effect> {
        self.now = now;
        if self
            .session
            .as_ref()
            .is_none_or(|s| s.attempt().is_finished())
        {
            return Ok(Effect::None);
        }
        let effect = self.command(command)?;
        if matches!(command, Command::Proctor(ProctorEvent::ExtraTime { .. })) {
            self.notice = Some(Notice::ExtraTimeGranted);
        }
        Ok(effect)
    }

    /// The time the screen shows.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// The learner, once known.
    pub fn learner(&self) -> Option<&Learner> {
        self.learner.as_ref()
    }

    /// How keys are read right now.
    pub fn mode(&self) -> Mode {
        match self.screen {
            Screen::Identify => Mode::Text,
            Screen::Question
                if !self.help
                    && !self.quitting
                    && (self.jump.is_some() || self.on_typed_answer()) =>
            {
                Mode::Text
            }
            _ => Mode::Command,
        }
    }

    fn current_kind(&self) -> Option<&Kind> {
        let s = self.session.as_ref()?;
        let item = s.attempt().paper().get(s.attempt().current())?;
        Some(&self.exam().questions[item.question].kind)
    }

    /// Whether the current question takes a typed answer (letters are
    /// letters there, not commands).
    pub fn on_typed_answer(&self) -> bool {
        matches!(
            self.current_kind(),
            Some(Kind::Text { .. } | Kind::Numeric { .. })
        )
    }

    /// After [`Effect::Identify`]: the learner, and their unfinished attempt if any.
    pub fn identified(&mut self, learner: Learner, resumed: Option<Session<S>>) {
        self.learner = Some(learner);
        if let Some(session) = resumed {
            self.attach(session, true);
        }
        self.screen = Screen::Instructions;
    }

    /// A resumed or started attempt; `resumed` says which.
    pub fn attach(&mut self, session: Session<S>, resumed: bool) {
        self.resumed = resumed;
        self.session = Some(session);
        self.load_current();
        if self
            .session
            .as_ref()
            .is_some_and(|s| s.attempt().is_finished())
        {
            self.finish();
        }
    }

    /// After [`Effect::Start`]: the new attempt.
    pub fn started(&mut self, session: Session<S>) {
        self.attach(session, false);
        self.screen = Screen::Question;
    }

    /// After [`Effect::Finished`]: where the credential was written.
    pub fn credential_written(&mut self, path: PathBuf) {
        self.credential = Some(path);
    }

    /// What the result says under the credential's path: its badge, the
    /// LinkedIn link (see [`crate::present::shared_lines`]).
    pub fn set_shared(&mut self, lines: Vec<String>) {
        self.shared = lines;
    }

    /// See [`App::set_shared`].
    pub fn shared(&self) -> &[String] {
        &self.shared
    }

    /// Applies a command to the engine and turns its outcome into screen state.
    fn command(&mut self, command: &Command) -> std::io::Result<Effect> {
        let exam = self.earlier.as_deref().unwrap_or(self.exam);
        let Some(session) = self.session.as_mut() else {
            return Ok(Effect::None);
        };
        let before = session.attempt().current();
        let outcome = session.apply(exam, command, self.now)?;
        Ok(match outcome {
            Outcome::Refused(r) => {
                self.notice = Some(Notice::Refused(r));
                Effect::None
            }
            Outcome::Warning(left) => {
                self.notice = Some(Notice::TimeWarning(left));
                Effect::None
            }
            Outcome::Submitted(_) => self.finish(),
            Outcome::Moved(_) | Outcome::Recorded | Outcome::Nothing => {
                if self
                    .session
                    .as_ref()
                    .is_some_and(|s| s.attempt().current() != before)
                {
                    self.load_current();
                }
                Effect::None
            }
        })
    }

    fn finish(&mut self) -> Effect {
        let Some(session) = self.session.as_ref() else {
            return Effect::None;
        };
        self.result = Some(scoring::score(self.exam(), session.attempt()));
        self.screen = Screen::Result;
        self.help = false;
        self.quitting = false;
        self.scroll = 0;
        Effect::Finished
    }

    /// Resets the per-question state for the current question.
    fn load_current(&mut self) {
        self.cursor = 0;
        self.scroll = 0;
        self.nudge = 0;
        self.input_dirty = false;
        let Some(s) = self.session.as_ref() else {
            return;
        };
        let current = s.attempt().current();
        self.input = match s.attempt().response(current) {
            Some(Response::Text(t)) => TextInput::with(t),
            // As the learner typed it: `4,5` in French.
            Some(Response::Number(n)) => {
                TextInput::with(&crate::present::strings::number(*n, self.strings))
            }
            _ => TextInput::default(),
        };
        // Highlight the chosen answer, if any.
        if let (Some(item), Some(r)) = (
            s.attempt().paper().get(current),
            s.attempt().response(current),
        ) {
            self.cursor = match r {
                Response::Choice(c) => item.choices.iter().position(|x| x == c).unwrap_or(0),
                Response::Bool(b) => usize::from(!*b),
                _ => 0,
            };
        }
    }

    /// Reacts to one action at time `now`.
    ///
    /// # Errors
    /// The journal could not be written: the edge must stop, answers so far are safe.
    pub fn handle(&mut self, action: Action, now: DateTime<Utc>) -> std::io::Result<Effect> {
        self.now = now;
        if self.help {
            self.help = false;
            return Ok(Effect::None);
        }
        if self.quitting {
            return Ok(match action {
                Action::Yes | Action::Quit => Effect::Quit,
                _ => {
                    self.quitting = false;
                    Effect::None
                }
            });
        }
        if matches!(action, Action::Help) {
            self.help = true;
            return Ok(Effect::None);
        }
        if !matches!(action, Action::Type(_) | Action::Backspace | Action::Delete) {
            self.notice = None;
        }
        if self.jump.is_some() && self.screen == Screen::Question {
            return self.on_jump(action);
        }
        match self.screen {
            Screen::Identify => Ok(self.on_identify(action)),
            Screen::Instructions => Ok(match action {
                _ if self.scroll_page(action) => Effect::None,
                Action::Confirm if !self.refused.is_empty() => Effect::Quit,
                Action::Confirm => {
                    self.scroll = 0;
                    match (&self.session, &self.learner) {
                        (Some(_), _) => {
                            self.screen = Screen::Question;
                            Effect::None
                        }
                        (None, Some(l)) => Effect::Start(l.clone()),
                        (None, None) => Effect::None,
                    }
                }
                Action::Quit => Effect::Quit,
                _ => Effect::None,
            }),
            Screen::Question => self.on_question(action),
            Screen::Review => self.on_review(action),
            Screen::Confirm => Ok(match action {
                Action::Yes | Action::Confirm => self.command(&Command::Submit)?,
                Action::No | Action::Back => {
                    self.screen = Screen::Review;
                    Effect::None
                }
                _ => Effect::None,
            }),
            Screen::Result => Ok(match action {
                _ if self.scroll_page(action) => Effect::None,
                Action::Quit | Action::Back | Action::Confirm => Effect::Quit,
                _ => Effect::None,
            }),
        }
    }

    /// Scrolls a page (instructions, result) for `action`, within its
    /// text: whether the action was a scroll.
    fn scroll_page(&mut self, action: Action) -> bool {
        let max = self.page_max_scroll.get();
        let at = self.scroll.min(max);
        self.scroll = match action {
            Action::Up => at.saturating_sub(1),
            Action::Down => at.saturating_add(1).min(max),
            Action::Previous => at.saturating_sub(10),
            Action::Next => at.saturating_add(10).min(max),
            Action::Home => 0,
            Action::End => max,
            _ => return false,
        };
        true
    }

    /// The typed answer changed, now.
    fn edited(&mut self) {
        self.input_dirty = true;
        self.input_edited_at = self.now;
    }

    /// The clock moved on: warnings and the deadline.
    ///
    /// # Errors
    /// The journal could not be written.
    pub fn tick(&mut self, now: DateTime<Utc>) -> std::io::Result<Effect> {
        self.now = now;
        // Time is up with an answer typed and not yet confirmed: it is
        // recorded as it stood when last typed (before the deadline), then
        // the attempt is handed in with it, as a paper is collected with
        // what is written on it.
        let time_up = self
            .session
            .as_ref()
            .is_some_and(|s| s.attempt().is_time_up(now));
        if time_up && self.input_dirty && self.screen == Screen::Question {
            self.now = self.input_edited_at;
            let saved = self.save_input();
            self.now = now;
            saved?;
        }
        match &self.session {
            Some(s) if !s.attempt().is_finished() => self.command(&Command::Tick),
            _ => Ok(Effect::None),
        }
    }

    /// Text was pasted (bracketed paste): typed in if the bank allows it,
    /// else refused; recorded either way.
    ///
    /// # Errors
    /// The journal could not be written.
    pub fn paste(&mut self, text: &str, now: DateTime<Utc>) -> std::io::Result<Effect> {
        self.now = now;
        if self.screen == Screen::Identify {
            for c in text.chars() {
                self.on_identify(Action::Type(c));
            }
            return Ok(Effect::None);
        }
        let in_progress = self
            .session
            .as_ref()
            .is_some_and(|s| !s.attempt().is_finished());
        if !in_progress {
            return Ok(Effect::None);
        }
        let chars = text.chars().count();
        let allowed = self.exam().rules.paste == Paste::Allow
            && self.screen == Screen::Question
            && self.on_typed_answer();
        if allowed {
            for c in text.chars() {
                self.input.insert(c);
            }
            self.edited();
            self.command(&Command::Proctor(ProctorEvent::PasteAllowed { chars }))
        } else {
            let effect = self.command(&Command::Proctor(ProctorEvent::PasteRefused { chars }))?;
            self.notice = Some(Notice::PasteRefused);
            Ok(effect)
        }
    }

    /// The terminal gained or lost focus.
    ///
    /// # Errors
    /// The journal could not be written.
    pub fn focus(&mut self, gained: bool, now: DateTime<Utc>) -> std::io::Result<Effect> {
        self.now = now;
        let event = if gained {
            ProctorEvent::FocusGained
        } else {
            ProctorEvent::FocusLost
        };
        match &self.session {
            Some(s) if !s.attempt().is_finished() => self.command(&Command::Proctor(event)),
            _ => Ok(Effect::None),
        }
    }

    /// The terminal was resized.
    ///
    /// # Errors
    /// The journal could not be written.
    pub fn resized(
        &mut self,
        width: u16,
        height: u16,
        now: DateTime<Utc>,
    ) -> std::io::Result<Effect> {
        self.now = now;
        match &self.session {
            Some(s) if !s.attempt().is_finished() => {
                self.command(&Command::Proctor(ProctorEvent::Resized { width, height }))
            }
            _ => Ok(Effect::None),
        }
    }

    /// Why the attempt ended, once it has.
    pub fn end_reason(&self) -> Option<SubmitReason> {
        match self.session.as_ref()?.attempt().status() {
            crate::attempt::Status::Submitted { reason, .. } => Some(reason),
            crate::attempt::Status::InProgress => None,
        }
    }
}
