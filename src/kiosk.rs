//! The training-room loop: one learner after another at a station only the
//! proctor can leave.
//!
//! [`machine`] holds the state (welcome screen, the learner's
//! [`crate::tui::app::App`], the proctor's PIN and menu) and knows nothing of
//! terminals, clocks or files. This module is its edge: it owns the
//! terminal, ignores the signals that would stop or suspend the station,
//! turns SIGTERM and SIGHUP into a clean stop, opens attempts, issues
//! credentials, and appends the event log and the room's results.

pub mod config;
pub mod log;
pub mod machine;
pub mod pin;
pub mod view;

use crate::issuing::{Signer, write_credential};
use crate::launch::{Launch, LaunchError};
use crate::store::{DataDir, FileSink};
use crate::tui::view::Theme;
use chrono::Utc;
use crossterm::event::{
    self, DisableBracketedPaste, DisableFocusChange, EnableBracketedPaste, EnableFocusChange, Event,
};
use machine::{Kiosk, Step};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How the kiosk stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// The proctor closed it.
    Proctor,
    /// SIGTERM or SIGHUP (answers saved).
    Signal,
}

/// The edge's resources: where attempts, credentials and records go.
pub struct Edge<'s> {
    /// The data folder (journals).
    pub data: DataDir,
    /// A fixed seed for every draw (tests and audits), else random.
    pub seed: Option<u64>,
    /// Signs credentials; empty while the issuer key is locked.
    pub signer: &'s std::cell::OnceCell<Signer>,
    /// The issuer file, to open its key when the proctor types the passphrase.
    pub issuer_file: Option<PathBuf>,
    /// Where credentials are written.
    pub credentials: PathBuf,
    /// Where `results.jsonl` and `kiosk-log.jsonl` are appended.
    pub results: PathBuf,
    /// Colours or not.
    pub theme: Theme,
}

/// Appends one JSON line to `path`, synced before returning.
///
/// # Errors
/// The file cannot be opened or written.
pub fn append_line(path: &Path, value: &impl serde::Serialize) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let mut line = serde_json::to_vec(value)?;
    line.push(b'\n');
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    file.write_all(&line)
        .and_then(|()| file.sync_data())
        .with_context(|| format!("cannot write {}", path.display()))
}

impl Edge<'_> {
    /// Opens the issuer key with `passphrase`; whether it worked. The key
    /// stays in memory only.
    fn unlock(&self, passphrase: &pin::Secret) -> bool {
        let Some(file) = &self.issuer_file else {
            return false;
        };
        let Ok(passphrase) = crate::credential::key::Passphrase::new(passphrase.text().to_string())
        else {
            return false;
        };
        match Signer::from_file(file, Some(&passphrase)) {
            Ok(signer) => self.signer.set(signer).is_ok() || self.signer.get().is_some(),
            Err(_) => false,
        }
    }

    fn log(&self, kiosk: &mut Kiosk<'_, FileSink>) -> anyhow::Result<()> {
        let room = kiosk.settings().room.clone();
        for event in kiosk.take_log() {
            append_line(
                &self.results.join(log::LOG_FILE),
                &log::Line {
                    time: Utc::now(),
                    room: room.clone(),
                    event,
                },
            )?;
        }
        Ok(())
    }

    fn launch(&self, options: crate::attempt::Options) -> Launch {
        Launch {
            data: self.data.clone(),
            seed: self.seed,
            options,
        }
    }

    /// Issues the credential if earned and appends the result line.
    fn finish(&self, kiosk: &mut Kiosk<'_, FileSink>, exam_index: usize) -> anyhow::Result<()> {
        let Some(offer) = kiosk.offers().get(exam_index).copied() else {
            return Ok(());
        };
        let exam = offer.exam;
        let Some(seat) = kiosk.seat() else {
            return Ok(());
        };
        let (Some(session), Some(result)) = (seat.app.session(), seat.app.result()) else {
            return Ok(());
        };
        let attempt = session.attempt();
        let header = attempt.header();
        let (ended_at, reason) = match attempt.status() {
            crate::attempt::Status::Submitted { at, reason } => (at, reason),
            crate::attempt::Status::InProgress => return Ok(()),
        };
        let now = Utc::now();
        let issued = if result.passed {
            // Exams cannot start while the key is locked, so it is open here.
            self.signer
                .get()
                .ok_or_else(|| anyhow::anyhow!("the issuer key is locked"))
                .and_then(|signer| {
                    signer
                        .issue(
                            exam,
                            attempt,
                            &session.head_hash(),
                            result,
                            now,
                            rand::random(),
                        )
                        .map_err(anyhow::Error::from)
                })
                .and_then(|doc| {
                    Ok(write_credential(
                        &self.credentials,
                        &exam.meta.id,
                        &header.learner.name,
                        now,
                        &doc,
                    )?)
                })
                .map(Some)
        } else {
            Ok(None)
        };
        // The result goes on record even when the credential could not be
        // written (the error then stops the station, with its reason).
        let credential = issued.as_ref().ok().cloned().flatten();
        let line = log::ResultLine {
            room: kiosk.settings().room.clone(),
            learner: header.learner.name.clone(),
            learner_id: header.learner.id.clone(),
            exam_id: header.exam_id.clone(),
            exam_version: header.exam_version.clone(),
            started_at: header.started_at,
            ended_at,
            reason: serde_json::to_value(reason)?
                .as_str()
                .unwrap_or_default()
                .to_string(),
            score: (result.percent * 100.0).round() / 100.0,
            passed: result.passed,
            identity_verified: header.options.identity_verified,
            credential: credential.as_ref().map(|p| p.display().to_string()),
            journal_head: session.head_hash(),
        };
        append_line(&self.results.join(log::RESULTS_FILE), &line)?;
        issued?;
        if let Some(path) = credential {
            kiosk.credential_written(path);
        }
        kiosk.finished();
        Ok(())
    }

    /// Carries out one step of the machine.
    fn step(
        &self,
        kiosk: &mut Kiosk<'_, FileSink>,
        step: Step,
        terminal: &mut ratatui::DefaultTerminal,
    ) -> anyhow::Result<Option<Stopped>> {
        match step {
            Step::None => {}
            Step::Cleared => wipe(terminal)?,
            Step::Exit => return Ok(Some(Stopped::Proctor)),
            Step::Unlock { passphrase } => {
                let opened = self.unlock(&passphrase);
                kiosk.key_unlocked(opened);
            }
            Step::Identify { exam, learner } => {
                if let Some(offer) = kiosk.offers().get(exam).copied() {
                    let launch = self.launch(crate::attempt::Options::default());
                    match launch.find_unfinished(offer.exam, &learner, Utc::now()) {
                        Ok(opened) => kiosk.identified(learner, opened.map(|o| o.session)),
                        Err(e) => kiosk.refused(&refusal(e)?),
                    }
                }
            }
            Step::Start {
                exam,
                learner,
                options,
            } => {
                if let Some(offer) = kiosk.offers().get(exam).copied() {
                    match self.launch(options).start(
                        offer.exam,
                        learner,
                        Utc::now(),
                        rand::random::<u64>,
                    ) {
                        Ok(opened) => kiosk.started(opened.session),
                        Err(e) => kiosk.refused(&refusal(e)?),
                    }
                }
            }
            Step::Resume { exam, learner } => {
                if let Some(offer) = kiosk.offers().get(exam).copied() {
                    let launch = self.launch(crate::attempt::Options::default());
                    match launch.find_unfinished(offer.exam, &learner, Utc::now()) {
                        Ok(Some(opened)) => {
                            kiosk.resumed(exam, opened.session);
                            wipe(terminal)?;
                        }
                        Ok(None) => {}
                        Err(e) => kiosk.refused(&refusal(e)?),
                    }
                }
            }
            Step::Finished { exam } => self.finish(kiosk, exam)?,
        }
        Ok(None)
    }
}

/// What the station can live with: the exam's attempt rules say no, or a
/// learner's journal is damaged or does not fit the bank any more. The
/// station shows why and goes on with the next learner; the journal is left
/// as it is for the proctor to look at. Any other failure (a full disk, a
/// folder that cannot be written) stops the station.
fn refusal(e: LaunchError) -> anyhow::Result<String> {
    match e {
        LaunchError::Refused(_)
        | LaunchError::Resume { .. }
        | LaunchError::Store(crate::store::StoreError::Journal { .. }) => Ok(e.to_string()),
        other => Err(other.into()),
    }
}

/// Blanks the screen and makes the next draw repaint every cell, so that
/// nothing of the previous learner can survive on screen. (`Terminal::clear`
/// would do this too, but first asks the terminal for the cursor position,
/// which some terminals never answer.)
fn wipe(terminal: &mut ratatui::DefaultTerminal) -> std::io::Result<()> {
    crossterm::execute!(
        std::io::stdout(),
        crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
    )?;
    // Both buffers blank: the next draw is diffed against an empty screen.
    terminal.swap_buffers();
    Ok(())
}

/// Runs the station until the proctor closes it or a signal stops it.
///
/// # Errors
/// The terminal, the data folder, the journal or a log failed; answers
/// recorded so far are on disk.
pub fn run(kiosk: &mut Kiosk<'_, FileSink>, edge: &Edge<'_>) -> anyhow::Result<Stopped> {
    let stop = Arc::new(AtomicBool::new(false));
    let watchdog = crate::tui::stop_on_signal(Arc::clone(&stop))?;
    // A handler that only sets an unread flag: the signals that would
    // interrupt, quit or suspend the station do nothing (raw mode already
    // keeps the keyboard from sending them; `kill` still could).
    let ignored = Arc::new(AtomicBool::new(false));
    for signal in [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGQUIT,
        signal_hook::consts::SIGTSTP,
    ] {
        signal_hook::flag::register(signal, Arc::clone(&ignored))?;
    }
    edge.log(kiosk)?;
    let mut terminal = ratatui::init();
    let _ = crossterm::execute!(std::io::stdout(), EnableFocusChange, EnableBracketedPaste);
    let result = event_loop(kiosk, edge, &mut terminal, &stop);
    let _ = crossterm::execute!(std::io::stdout(), DisableBracketedPaste, DisableFocusChange);
    ratatui::restore();
    if matches!(result, Ok(Stopped::Signal)) {
        kiosk.stopped_by_signal();
    }
    watchdog.close();
    edge.log(kiosk)?;
    result
}

fn event_loop(
    kiosk: &mut Kiosk<'_, FileSink>,
    edge: &Edge<'_>,
    terminal: &mut ratatui::DefaultTerminal,
    stop: &AtomicBool,
) -> anyhow::Result<Stopped> {
    loop {
        if stop.load(Ordering::Relaxed) {
            return Ok(Stopped::Signal);
        }
        let step = kiosk.tick(Utc::now())?;
        if let Some(stopped) = edge.step(kiosk, step, terminal)? {
            return Ok(stopped);
        }
        edge.log(kiosk)?;
        terminal.draw(|f| view::render(kiosk, edge.theme, f))?;
        // Every event already waiting is handled before the next frame (up
        // to a bound, so that a held key cannot starve the clock): a frame
        // then shows all that was typed before it.
        let mut ready = event::poll(Duration::from_millis(250))?;
        let mut handled = 0;
        while ready && handled < EVENTS_PER_FRAME {
            let now = Utc::now();
            let step = match event::read()? {
                Event::Key(key) => kiosk.key(key, now)?,
                Event::Paste(text) => kiosk.paste(&text, now)?,
                Event::FocusGained => kiosk.terminal_event(Some(true), None, now)?,
                Event::FocusLost => kiosk.terminal_event(Some(false), None, now)?,
                Event::Resize(w, h) => kiosk.terminal_event(None, Some((w, h)), now)?,
                _ => Step::None,
            };
            let stopped = edge.step(kiosk, step, terminal)?;
            edge.log(kiosk)?;
            if let Some(stopped) = stopped {
                return Ok(stopped);
            }
            handled += 1;
            ready = event::poll(Duration::ZERO)?;
        }
    }
}

/// At most this many events are handled between two frames.
const EVENTS_PER_FRAME: usize = 64;
