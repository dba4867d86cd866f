//! The learner's exam in the terminal: lifecycle and event loop.
//!
//! [`app::App`] holds the state and [`view::render`] (a pure function) shows
//! it; this module makes them a front end of [`crate::terminal`]'s runtime,
//! which owns the terminal, the clock, the keyboard and the signals, and
//! carries out what the app asks for (open an attempt, issue).

pub mod app;
pub mod input;
pub mod keymap;
pub mod view;

use crate::attempt::Learner;
use crate::bank::Exam;
use crate::launch::{Launch, LaunchError, OnFinish};
use crate::store::StoreSink;
use crate::terminal::{self, Flow, FrontEnd, Policy, Stop};
use app::{App, Effect};
use chrono::{DateTime, Utc};
use crossterm::event::Event;
use std::path::PathBuf;
use std::time::Duration;

/// How a TUI session ended.
#[derive(Debug)]
pub enum Ended {
    /// The attempt was submitted and the result shown.
    Finished {
        /// The score.
        result: crate::scoring::Outcome,
        /// Where the credential went, if one was issued.
        credential: Option<PathBuf>,
        /// What the result said under it: its badge and certificate, the
        /// LinkedIn link (said again once the screen is gone, where a link
        /// can be clicked and copied whole).
        shared: Vec<String>,
    },
    /// The learner quit before the end (answers saved).
    Quit,
    /// The learner left before starting: no attempt, no clock.
    NotStarted,
    /// Nothing could open (the exam's rules, or a last attempt handed in
    /// just before brevet stopped): what the learner was told.
    Closed(Vec<String>),
    /// A signal or a lost terminal ended it (answers saved).
    Stopped(Stop),
}

/// What the TUI needs to run one learner's exam.
pub struct Context<'a, 'f> {
    /// The exam.
    pub exam: &'a Exam,
    /// How attempts are opened.
    pub launch: &'a Launch,
    /// The learner, when given on the command line.
    pub learner: Option<Learner>,
    /// Interface text.
    pub strings: &'static crate::present::strings::Strings,
    /// Colours or not.
    pub theme: view::Theme,
    /// Issues the credential.
    pub on_finish: &'f mut OnFinish<'f>,
    /// Whether the issuer is the local demo issuer (said on screen).
    pub demo_issuer: bool,
}

/// Runs the exam in the terminal until the learner quits or the result is
/// left, on the runtime of [`crate::terminal`] (every catchable signal
/// ends it, the terminal restored).
///
/// # Errors
/// The terminal, the data folder or the journal failed; answers recorded so
/// far are on disk.
pub fn run(ctx: Context<'_, '_>) -> anyhow::Result<Ended> {
    let Context {
        exam,
        launch,
        learner,
        strings,
        theme,
        on_finish,
        demo_issuer,
    } = ctx;
    let now = Utc::now();
    let mut app: App<'_, StoreSink> = App::new(exam, strings, learner.clone(), now);
    app.set_demo_issuer(demo_issuer);
    app.set_extra_time(launch.options.extra_time_percent);
    if let Some(l) = learner {
        identify(&mut app, launch, exam, l)?;
    }
    let mut screen = ExamScreen {
        app,
        exam,
        launch,
        theme,
        on_finish,
    };
    terminal::run(&mut screen, Policy::Personal, Box::new(|_| {}))
}

/// The learner's exam as a front end of the terminal runtime.
struct ExamScreen<'a, 'f> {
    app: App<'a, StoreSink>,
    exam: &'a Exam,
    launch: &'a Launch,
    theme: view::Theme,
    on_finish: &'f mut OnFinish<'f>,
}

impl ExamScreen<'_, '_> {
    /// Carries out what the app asked for.
    fn apply(&mut self, effect: Effect) -> anyhow::Result<Flow<Ended>> {
        let exam = self.exam;
        match effect {
            Effect::None => {}
            Effect::Identify(l) => identify(&mut self.app, self.launch, exam, l)?,
            Effect::Start(l) => {
                let opened = self
                    .launch
                    .start(exam, l, Utc::now(), rand::random::<u64>)
                    .map_err(refusal)?;
                self.app.started(opened.session);
            }
            Effect::Finished => {
                // On the version of the bank the attempt ran on.
                if let (Some(session), Some(result)) = (self.app.session(), self.app.result())
                    && let Some(issued) = (self.on_finish)(self.app.exam(), session, result)?
                {
                    self.app.set_shared(crate::present::shared_lines(
                        &issued.json,
                        &issued.shared,
                        issued.not_shared.as_deref(),
                        issued.linkedin.as_deref(),
                        self.app.strings(),
                    ));
                    self.app.credential_written(issued.json);
                }
                // A failed attempt: say whether, and when, another may start.
                if let (Some(session), Some(result)) = (self.app.session(), self.app.result())
                    && let Some(line) = self.launch.retake_line(
                        self.app.exam(),
                        session.attempt(),
                        result,
                        self.app.strings(),
                        Utc::now(),
                    )?
                {
                    self.app.set_retake(line);
                }
            }
            Effect::Quit => {
                return Ok(Flow::End(match self.app.result() {
                    Some(result) => Ended::Finished {
                        result: result.clone(),
                        credential: self.app.credential().cloned(),
                        shared: self.app.shared().to_vec(),
                    },
                    None if !self.app.refused().is_empty() => {
                        Ended::Closed(self.app.refused().to_vec())
                    }
                    None if self.app.session().is_none() => Ended::NotStarted,
                    None => Ended::Quit,
                }));
            }
        }
        Ok(Flow::Go)
    }
}

impl FrontEnd for ExamScreen<'_, '_> {
    type Ended = Ended;

    fn tick(&mut self, now: DateTime<Utc>) -> anyhow::Result<Flow<Ended>> {
        let effect = self.app.tick(now)?;
        self.apply(effect)
    }

    fn event(&mut self, event: Event, now: DateTime<Utc>) -> anyhow::Result<Flow<Ended>> {
        let effect = match event {
            Event::Key(key) => match keymap::action(key, self.app.mode()) {
                Some(action) => self.app.handle(action, now)?,
                None => Effect::None,
            },
            Event::Paste(text) => self.app.paste(&text, now)?,
            Event::FocusGained => self.app.focus(true, now)?,
            Event::FocusLost => self.app.focus(false, now)?,
            Event::Resize(w, h) => self.app.resized(w, h, now)?,
            _ => Effect::None,
        };
        self.apply(effect)
    }

    fn render(&self, frame: &mut ratatui::Frame<'_>) {
        view::render(&self.app, self.theme, frame);
    }

    fn wake_after(&self, now: DateTime<Utc>) -> Duration {
        // At the next change of the displayed second.
        self.app.session().map_or(terminal::MAX_WAIT, |s| {
            let left = s.attempt().remaining(now);
            Duration::from_nanos(u64::from(left.subsec_nanos()) + 1_000_000)
        })
    }

    fn stopped(&mut self, why: Stop) -> anyhow::Result<Ended> {
        Ok(Ended::Stopped(why))
    }
}

/// The learner's unfinished attempt, or why none may start (said on the
/// instructions screen, before anything starts).
fn identify(
    app: &mut App<'_, StoreSink>,
    launch: &Launch,
    exam: &Exam,
    learner: crate::attempt::Learner,
) -> anyhow::Result<()> {
    let now = Utc::now();
    let resumed = launch.find_unfinished(exam, &learner, now)?;
    let refused = match resumed {
        None => launch.refusal(exam, &learner, now)?,
        Some(_) => None,
    };
    if let Some(e) = resumed.as_ref().and_then(|o| o.earlier.as_ref()) {
        app.runs_on(e.exam.clone(), e.changed);
    }
    app.identified(learner, resumed.map(|o| o.session));
    if let Some((why, last)) = refused {
        let lines = crate::launch::refusal_text(&why, last.as_ref(), exam, app.strings());
        app.set_refused(lines);
    }
    Ok(())
}

fn refusal(e: LaunchError) -> anyhow::Error {
    anyhow::Error::new(e)
}
