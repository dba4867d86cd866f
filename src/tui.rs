//! The learner's exam in the terminal: lifecycle and event loop.
//!
//! This is the edge: it owns the terminal, reads the clock and the keyboard,
//! and turns signals into a clean exit. Everything it shows comes from
//! [`app::App`] (state) through [`view::render`] (a pure function).

pub mod app;
pub mod input;
pub mod keymap;
pub mod strings;
pub mod view;

use crate::attempt::{Learner, Session};
use crate::bank::Exam;
use crate::launch::{Launch, LaunchError};
use crate::store::FileSink;
use app::{App, Effect};
use chrono::Utc;
use crossterm::event::{
    self, DisableBracketedPaste, DisableFocusChange, EnableBracketedPaste, EnableFocusChange, Event,
};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
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
    },
    /// The learner quit before the end (answers saved).
    Quit,
    /// SIGTERM or SIGHUP (answers saved).
    Signal,
}

/// Called once the attempt is submitted: issues the credential if earned.
pub type OnFinish<'f> = dyn FnMut(&Exam, &Session<FileSink>, &crate::scoring::Outcome) -> anyhow::Result<Option<PathBuf>>
    + 'f;

/// What the TUI needs to run one learner's exam.
pub struct Context<'a, 'f> {
    /// The exam.
    pub exam: &'a Exam,
    /// How attempts are opened.
    pub launch: &'a Launch,
    /// The learner, when given on the command line.
    pub learner: Option<Learner>,
    /// Interface text.
    pub strings: &'static strings::Strings,
    /// Colours or not.
    pub theme: view::Theme,
    /// Issues the credential.
    pub on_finish: &'f mut OnFinish<'f>,
    /// Whether the issuer is the local demo issuer (said on screen).
    pub demo_issuer: bool,
}

/// Runs the exam in the terminal until the learner quits or the result is left.
///
/// # Errors
/// The terminal, the data folder or the journal failed; answers recorded so
/// far are on disk.
pub fn run(ctx: Context<'_, '_>) -> anyhow::Result<Ended> {
    let stop = Arc::new(AtomicBool::new(false));
    let watchdog = stop_on_signal(Arc::clone(&stop))?;
    let mut terminal = ratatui::init();
    let _ = crossterm::execute!(std::io::stdout(), EnableFocusChange, EnableBracketedPaste);
    let result = event_loop(&mut terminal, ctx, &stop);
    let _ = crossterm::execute!(std::io::stdout(), DisableBracketedPaste, DisableFocusChange);
    ratatui::restore();
    watchdog.close();
    result
}

/// SIGTERM and SIGHUP set `stop`; the event loop sees it within 250 ms and
/// restores the terminal. But when the terminal itself hung up, crossterm's
/// read retries the closed terminal forever and the loop never comes back:
/// then, after two seconds, the signal's default action ends the process.
/// Nothing is lost by it: every answer is already synced to its journal,
/// and the next start resumes the attempt.
///
/// # Errors
/// The signal handlers cannot be installed.
pub fn stop_on_signal(stop: Arc<AtomicBool>) -> std::io::Result<signal_hook::iterator::Handle> {
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ])?;
    let handle = signals.handle();
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            stop.store(true, Ordering::Relaxed);
            std::thread::sleep(Duration::from_secs(2));
            let _ = signal_hook::low_level::emulate_default_handler(signal);
        }
    });
    Ok(handle)
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    ctx: Context<'_, '_>,
    stop: &AtomicBool,
) -> anyhow::Result<Ended> {
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
    let mut app: App<'_, FileSink> = App::new(exam, strings, learner.clone(), now);
    app.set_demo_issuer(demo_issuer);
    if let Some(l) = learner {
        let resumed = launch.find_unfinished(exam, &l, now)?;
        app.identified(l, resumed.map(|o| o.session));
    }
    let mut dirty = true;
    let mut shown_second = None;
    loop {
        if stop.load(Ordering::Relaxed) {
            return Ok(Ended::Signal);
        }
        let now = Utc::now();
        let mut effect = app.tick(now)?;
        let left = app.session().map(|s| s.attempt().remaining(now));
        let second = left.map(|d| d.as_secs());
        if second != shown_second {
            shown_second = second;
            dirty = true;
        }
        if effect == Effect::None && dirty {
            terminal.draw(|f| view::render(&app, theme, f))?;
            dirty = false;
        }
        if effect == Effect::None {
            // Wake at the next change of the displayed second, or soon.
            let wait = left
                .map_or(Duration::from_millis(250), |d| {
                    Duration::from_nanos(u64::from(d.subsec_nanos()) + 1_000_000)
                })
                .min(Duration::from_millis(250));
            if !event::poll(wait)? {
                continue;
            }
            let now = Utc::now();
            effect = match event::read()? {
                Event::Key(key) => match keymap::action(key, app.mode()) {
                    Some(action) => app.handle(action, now)?,
                    None => Effect::None,
                },
                Event::Paste(text) => app.paste(&text, now)?,
                Event::FocusGained => app.focus(true, now)?,
                Event::FocusLost => app.focus(false, now)?,
                Event::Resize(w, h) => app.resized(w, h, now)?,
                _ => Effect::None,
            };
        }
        match effect {
            Effect::None => {}
            Effect::Identify(l) => {
                let resumed = launch.find_unfinished(exam, &l, Utc::now())?;
                app.identified(l, resumed.map(|o| o.session));
            }
            Effect::Start(l) => {
                let opened = launch
                    .start(exam, l, Utc::now(), rand::random::<u64>)
                    .map_err(refusal)?;
                app.started(opened.session);
            }
            Effect::Finished => {
                if let (Some(session), Some(result)) = (app.session(), app.result())
                    && let Some(path) = on_finish(exam, session, result)?
                {
                    app.credential_written(path);
                }
            }
            Effect::Quit => {
                return Ok(match app.result() {
                    Some(result) => Ended::Finished {
                        result: result.clone(),
                        credential: app.credential().cloned(),
                    },
                    None => Ended::Quit,
                });
            }
        }
        dirty = true;
    }
}

fn refusal(e: LaunchError) -> anyhow::Error {
    anyhow::Error::new(e)
}
