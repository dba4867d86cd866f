//! The training-room loop: one learner after another at a station only the
//! proctor can leave.
//!
//! [`machine`] holds the state (welcome screen, the learner's
//! [`crate::tui::app::App`], the proctor's PIN and menu) and knows nothing of
//! terminals, clocks or files. This module is its edge: a front end of
//! [`crate::terminal`]'s runtime under its station policy (SIGTERM and
//! SIGHUP stop cleanly, every other signal is ignored and logged), it opens
//! attempts, issues credentials, and appends the event log and the room's
//! results.

pub mod config;
pub mod log;
pub mod machine;
pub mod pin;
pub mod view;

use crate::issuing::Signer;
use crate::launch::{Launch, LaunchError};
use crate::store::events::StoredEvent;
use crate::store::{Store, StoreSink};
use crate::terminal::{self, Flow, FrontEnd, Policy, Stop};
use crate::tui::view::Theme;
use chrono::{DateTime, Utc};
use crossterm::event::Event;
use machine::{Kiosk, Step};
use std::path::PathBuf;

/// How the kiosk stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// The proctor closed it.
    Proctor,
    /// SIGTERM, SIGHUP or a lost terminal (answers saved).
    Runtime(Stop),
}

/// The edge's resources: where attempts, credentials and records go.
pub struct Edge<'s> {
    /// The store: attempts, their journals.
    pub store: Store,
    /// Whether learner ids tell learners apart (the proctor checks each
    /// learner's identity); else names do.
    pub trust_ids: bool,
    /// A fixed seed for every draw (tests and audits), else random.
    pub seed: Option<u64>,
    /// Signs credentials; empty while the issuer key is locked.
    pub signer: &'s std::cell::OnceCell<Signer>,
    /// The issuer file, to open its key when the proctor types the passphrase.
    pub issuer_file: Option<PathBuf>,
    /// Where credentials are written.
    pub credentials: PathBuf,
    /// Where earlier versions appended `kiosk-log.jsonl`.
    pub results: PathBuf,
    /// This station's name (its machine's), in the room's event log.
    pub station: String,
    /// Colours or not.
    pub theme: Theme,
}

/// What the store records of a log line: its kind and the line as JSON.
///
/// # Errors
/// The line does not serialise (it always does).
pub fn event_of(
    line: &log::Line,
    station: &str,
) -> Result<crate::store::events::NewEvent, crate::store::StoreError> {
    let json = serde_json::to_string(line).map_err(|e| crate::store::StoreError::Database {
        path: PathBuf::from(station),
        why: e.to_string(),
    })?;
    let kind = serde_json::to_value(&line.event.kind)
        .ok()
        .and_then(|v| v.get("kind").and_then(|k| k.as_str().map(str::to_owned)))
        .unwrap_or_default();
    Ok(crate::store::events::NewEvent {
        at: line.time,
        room: line.room.clone(),
        station: station.to_owned(),
        kind,
        line: json,
    })
}

/// The name of this machine, which names its station in the room's log.
pub fn station_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "station".to_owned())
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

    fn log(&self, kiosk: &mut Kiosk<'_, StoreSink>) -> anyhow::Result<()> {
        let room = kiosk.settings().room.clone();
        for event in kiosk.take_log() {
            let line = log::Line {
                time: Utc::now(),
                room: room.clone(),
                event,
            };
            self.store
                .with(|db| db.record_event(&event_of(&line, &self.station)?))?;
        }
        Ok(())
    }

    fn launch(&self, room: &str, options: crate::attempt::Options) -> Launch {
        Launch {
            store: self.store.clone(),
            trust_ids: self.trust_ids,
            seed: self.seed,
            options,
            room: Some(room.to_owned()),
            // The station writes what an earlier run left undone on its
            // own, into the room's folder, when the learner is identified.
            recovery: None,
        }
    }

    /// Issues the credential if earned. (The result was recorded with the
    /// hand-in, in the store.)
    fn finish(&self, kiosk: &mut Kiosk<'_, StoreSink>) -> anyhow::Result<()> {
        let Some(seat) = kiosk.seat() else {
            return Ok(());
        };
        // The version the attempt ran on (the bank may have changed since
        // it started).
        let exam = seat.app.exam();
        let (Some(session), Some(result)) = (seat.app.session(), seat.app.result()) else {
            return Ok(());
        };
        if session.attempt().status() == crate::attempt::Status::InProgress {
            return Ok(());
        }
        if !result.passed {
            kiosk.finished();
            return Ok(());
        }
        // Exams cannot start while the key is locked, so it is open here.
        let signer = self
            .signer
            .get()
            .ok_or_else(|| anyhow::anyhow!("the issuer key is locked"))?;
        let path = crate::issuing::issue_recorded(
            &self.store,
            signer,
            exam,
            session.sink().attempt_id(),
            session.attempt(),
            &session.head_hash(),
            result,
            &self.credentials,
            Utc::now(),
        )?;
        // The badge is beside it in the room's folder; a kiosk shows no
        // link a learner could not follow there.
        if let Some(reason) = &path.not_shared {
            kiosk.badge_not_written(&path.json, reason);
        }
        kiosk.credential_written(path.json);
        kiosk.finished();
        Ok(())
    }

    /// Carries out one step of the machine.
    fn step(&self, kiosk: &mut Kiosk<'_, StoreSink>, step: Step) -> anyhow::Result<Flow<Stopped>> {
        match step {
            Step::None => {}
            Step::Cleared => return Ok(Flow::Wipe),
            Step::Exit => return Ok(Flow::End(Stopped::Proctor)),
            Step::Unlock { passphrase } => {
                let opened = self.unlock(&passphrase);
                kiosk.key_unlocked(opened);
            }
            Step::Identify { exam, learner } => {
                if let Some(offer) = kiosk.offers().get(exam).copied() {
                    let launch =
                        self.launch(&kiosk.settings().room, crate::attempt::Options::default());
                    let now = Utc::now();
                    // Found, not resumed: nothing is written to someone's
                    // attempt before the proctor confirms who is here.
                    let found = launch
                        .find_unconfirmed(offer.exam, &learner)
                        .and_then(|opened| match opened {
                            Some(o) => Ok((Some(o), None)),
                            None => Ok((None, launch.refusal(offer.exam, &learner, now)?)),
                        });
                    // A credential an earlier run of this station recorded
                    // but could not write (killed, disk full) is written
                    // now, into the room's folder; nothing is shown.
                    if let (Some(signer), Ok(key)) = (
                        self.signer.get(),
                        crate::store::store_key(&learner, self.trust_ids),
                    ) {
                        // Still recorded if it fails again: said, and the
                        // station goes on.
                        if let Err(e) = crate::issuing::recover(
                            &self.store,
                            signer,
                            offer.exam,
                            &key,
                            &self.credentials,
                            now,
                        ) {
                            kiosk.refused(&crate::present::error_text(&e));
                        }
                    }
                    match found {
                        Ok((opened, refused)) => {
                            if let Some(e) = opened.as_ref().and_then(|o| o.earlier.as_ref()) {
                                kiosk.runs_on(e.exam.clone(), e.changed);
                            }
                            kiosk.identified(learner, opened.map(|o| o.session))?;
                            // Only why: anyone can type a name at a station,
                            // and a result is its learner's alone. (Empty
                            // when the learner may start: nothing is left of
                            // an earlier name.)
                            kiosk.set_refused(refused.map_or_else(Vec::new, |(why, _)| {
                                crate::present::refusal_lines(&why, None, None, offer.strings)
                            }));
                        }
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
                    match self.launch(&kiosk.settings().room, options).start(
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
                    let launch =
                        self.launch(&kiosk.settings().room, crate::attempt::Options::default());
                    match launch.find_unfinished(offer.exam, &learner, Utc::now()) {
                        Ok(Some(opened)) => {
                            let earlier = opened.earlier.map(|e| (e.exam, e.changed));
                            kiosk.resumed(exam, opened.session, earlier);
                            return Ok(Flow::Wipe);
                        }
                        Ok(None) => {}
                        Err(e) => kiosk.refused(&refusal(e)?),
                    }
                }
            }
            Step::Finished { .. } => self.finish(kiosk)?,
        }
        Ok(Flow::Go)
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
        | LaunchError::StillOpen
        | LaunchError::Name { .. }
        | LaunchError::Resume { .. }
        | LaunchError::Store(
            crate::store::StoreError::Journal { .. }
            | crate::store::StoreError::SubmittedCut { .. },
        ) => Ok(e.to_string()),
        other => Err(other.into()),
    }
}

/// Runs the station until the proctor closes it or the runtime stops it
/// (SIGTERM, SIGHUP, a lost terminal; every other signal is ignored and
/// logged).
///
/// # Errors
/// The terminal, the data folder, the journal or a log failed; answers
/// recorded so far are on disk.
pub fn run(kiosk: &mut Kiosk<'_, StoreSink>, edge: &Edge<'_>) -> anyhow::Result<Stopped> {
    edge.log(kiosk)?;
    // Should the process have to end from the runtime's watcher (the event
    // loop stuck on a terminal that is gone), the log still says why: if
    // the store is free within a second (the stuck loop may hold it).
    let (store, station) = (edge.store.clone(), edge.station.clone());
    let room = kiosk.settings().room.clone();
    let last_words = Box::new(move |why: Stop| {
        let (by, signal) = stop_entry(why);
        let line = log::Line {
            time: Utc::now(),
            room,
            event: log::Event {
                kind: log::Kind::KioskStopped {
                    by: by.into(),
                    signal: signal.map(Into::into),
                },
                learner: None,
            },
        };
        if let Ok(event) = event_of(&line, &station) {
            let _ = store.try_with(std::time::Duration::from_secs(1), |db| {
                db.record_event(&event)
            });
        }
    });
    // What the log already held when the station started (taken into
    // account by the delays it rebuilt): not to be taken up again.
    let mut log_seen = Seen::at(Utc::now().timestamp_micros());
    log_seen.look(&edge.store, &kiosk.settings().room, &edge.station);
    let mut station = Station {
        kiosk,
        edge,
        log_seen,
        last_look: std::time::Instant::now(),
    };
    let stopped = terminal::run(&mut station, Policy::Station, last_words);
    edge.log(station.kiosk)?;
    stopped
}

/// How a stop from outside is logged: `by` and the signal's name.
fn stop_entry(why: Stop) -> (&'static str, Option<&'static str>) {
    match why {
        Stop::Signal(name) => ("signal", Some(name)),
        Stop::TerminalLost => ("terminal_lost", None),
    }
}

/// The station as a front end of the terminal runtime.
struct Station<'k, 'a, 'e, 's> {
    kiosk: &'k mut Kiosk<'a, StoreSink>,
    edge: &'e Edge<'s>,
    /// The events of the log read so far, for a cleared lock-out.
    log_seen: Seen,
    /// When it was last read.
    last_look: std::time::Instant,
}

/// How often a station whose PIN prompt is delayed looks for a lock-out
/// cleared from the command line.
const LOCKOUT_LOOK: std::time::Duration = std::time::Duration::from_secs(1);

/// How far back a station reads the log each time, before the newest
/// event it has seen: an event is dated by the clock of the machine that
/// recorded it (a proctor's laptop on the room's server may run behind the
/// station), so that a later event can bear an earlier time (µs).
const LOOK_BACK_US: i64 = 10 * 60 * 1_000_000;

/// The events of the room's log a station has read: those of the last
/// [`LOOK_BACK_US`] by id, so that each is taken up once, whatever time it
/// bears.
#[derive(Debug)]
struct Seen {
    /// Each event's id, and its time.
    ids: std::collections::HashMap<String, i64>,
    /// The newest time seen (or the station's start).
    newest: i64,
}

impl Seen {
    /// Nothing seen yet, from `now_us` on.
    fn at(now_us: i64) -> Self {
        Seen {
            ids: std::collections::HashMap::new(),
            newest: now_us,
        }
    }

    /// From when to read the log.
    fn since(&self) -> i64 {
        self.newest.saturating_sub(LOOK_BACK_US)
    }

    /// The events of `station` in `room` not seen before, now remembered
    /// (none when the store cannot be read: the next look reads them).
    fn look(&mut self, store: &Store, room: &str, station: &str) -> Vec<StoredEvent> {
        let since = self.since();
        match store.with(|db| db.events(room, Some(station), Some(since))) {
            Ok(read) => self.fresh(read),
            Err(_) => Vec::new(),
        }
    }

    /// Of `events` (read from [`Seen::since`]), those not seen before, now
    /// remembered; the ones too old to be read again are forgotten.
    fn fresh(&mut self, events: Vec<StoredEvent>) -> Vec<StoredEvent> {
        let fresh: Vec<_> = events
            .into_iter()
            .filter(|e| self.ids.insert(e.id.clone(), e.at_us).is_none())
            .collect();
        self.newest = fresh.iter().map(|e| e.at_us).fold(self.newest, i64::max);
        let since = self.since();
        self.ids.retain(|_, at| *at >= since);
        fresh
    }
}

impl Station<'_, '_, '_, '_> {
    /// While a PIN prompt is delayed: whether the proctor cleared the
    /// delays (`brevet kiosk --clear-lockout`) since the last look. Only
    /// the events of the last minutes are read.
    fn lockout_cleared(&mut self) -> bool {
        if !self.kiosk.any_locked() || self.last_look.elapsed() < LOCKOUT_LOOK {
            return false;
        }
        self.last_look = std::time::Instant::now();
        self.log_seen
            .look(
                &self.edge.store,
                &self.kiosk.settings().room,
                &self.edge.station,
            )
            .iter()
            .any(|e| e.kind == "lockout_cleared")
    }

    fn carry_out(&mut self, step: Step) -> anyhow::Result<Flow<Stopped>> {
        let flow = self.edge.step(self.kiosk, step)?;
        self.edge.log(self.kiosk)?;
        Ok(flow)
    }
}

impl FrontEnd for Station<'_, '_, '_, '_> {
    type Ended = Stopped;

    fn tick(&mut self, now: DateTime<Utc>) -> anyhow::Result<Flow<Stopped>> {
        if self.lockout_cleared() {
            self.kiosk.set_guards(pin::Guards::default());
        }
        let step = self.kiosk.tick(now)?;
        self.carry_out(step)
    }

    fn event(&mut self, event: Event, now: DateTime<Utc>) -> anyhow::Result<Flow<Stopped>> {
        let step = match event {
            Event::Key(key) => self.kiosk.key(key, now)?,
            Event::Paste(text) => self.kiosk.paste(&text, now)?,
            Event::FocusGained => self.kiosk.terminal_event(Some(true), None, now)?,
            Event::FocusLost => self.kiosk.terminal_event(Some(false), None, now)?,
            Event::Resize(w, h) => self.kiosk.terminal_event(None, Some((w, h)), now)?,
            _ => Step::None,
        };
        self.carry_out(step)
    }

    fn render(&self, frame: &mut ratatui::Frame<'_>) {
        view::render(self.kiosk, self.edge.theme, frame);
    }

    fn ignored_signal(&mut self, name: &'static str) {
        self.kiosk.ignored_signal(name);
    }

    fn stopped(&mut self, why: Stop) -> anyhow::Result<Stopped> {
        let (by, signal) = stop_entry(why);
        self.kiosk.stopped(by, signal);
        self.edge.log(self.kiosk)?;
        Ok(Stopped::Runtime(why))
    }
}

#[cfg(test)]
mod tests {
    use super::{LOOK_BACK_US, Seen, StoredEvent};

    fn event(id: &str, at_us: i64) -> StoredEvent {
        StoredEvent {
            id: id.into(),
            at_us,
            station: "pc-1".into(),
            kind: "lockout_cleared".into(),
            line: String::new(),
        }
    }

    #[test]
    fn an_event_dated_by_a_clock_behind_is_taken_up_once() {
        let start = 1_000 * LOOK_BACK_US;
        let mut seen = Seen::at(start);
        assert_eq!(seen.since(), start - LOOK_BACK_US);
        let ids = |v: Vec<StoredEvent>| -> Vec<String> { v.into_iter().map(|e| e.id).collect() };
        // What the log held at the start is not taken up again.
        assert_eq!(ids(seen.fresh(vec![event("old", start - 5)])), ["old"]);
        assert!(seen.fresh(vec![event("old", start - 5)]).is_empty());
        let a = event("a", start + 100);
        assert_eq!(ids(seen.fresh(vec![a.clone()])), ["a"]);
        // Recorded after `a` by a machine whose clock is 60 s behind.
        let late = event("late", start + 100 - 60_000_000);
        assert!(late.at_us > seen.since());
        assert_eq!(ids(seen.fresh(vec![late.clone(), a.clone()])), ["late"]);
        assert!(seen.fresh(vec![late, a]).is_empty());
        // Much later, the old ones are forgotten, as they are no longer read.
        let b = event("b", start + 2 * LOOK_BACK_US);
        assert_eq!(ids(seen.fresh(vec![b])), ["b"]);
        assert_eq!(seen.ids.len(), 1);
    }
}
