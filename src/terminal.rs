//! The one terminal runtime of the full-screen front ends: `brevet run`'s
//! exam and the training-room station.
//!
//! A front end ([`FrontEnd`]) holds the state and draws it; this module is
//! the edge they share. It sets the terminal up and restores it on every
//! way out (an error, a panic, a signal: raw mode, the alternate screen,
//! bracketed paste and focus reporting all switched off), handles signals
//! by a [`Policy`], notices a terminal that is gone, reads the clock and
//! the keyboard, handles the events already waiting before each frame, and
//! draws.
//!
//! A terminal that hangs up can leave the input library reading an endless
//! end of file and never coming back. A watcher thread sees the hang-up on
//! its own (a `poll` on the terminal), and a stop that the event loop has
//! not taken up within [`GRACE`] ends the process from that thread, once
//! the event loop is between two events (answers are synced to their
//! journal as they are given, so nothing is lost).

use chrono::{DateTime, Utc};
use crossterm::event::{
    self, DisableBracketedPaste, DisableFocusChange, EnableBracketedPaste, EnableFocusChange, Event,
};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::Frame;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// What a front end asks of the runtime after a tick or an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flow<E> {
    /// Go on.
    Go,
    /// Blank the screen and repaint every cell (nothing of a previous
    /// learner may survive on it).
    Wipe,
    /// The front end is done.
    End(E),
}

/// Why the runtime stopped a front end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// A signal, by name (`SIGTERM`).
    Signal(&'static str),
    /// The terminal hung up or its input ended.
    TerminalLost,
}

impl Stop {
    /// The exit status that says it: 128 + the signal's number, 129 (as
    /// for SIGHUP) for a lost terminal.
    #[must_use]
    pub fn exit_status(self) -> u8 {
        match self {
            Stop::Signal(name) => SIGNALS
                .iter()
                .find(|(_, n)| *n == name)
                .and_then(|(s, _)| u8::try_from(128 + s).ok())
                .unwrap_or(1),
            Stop::TerminalLost => 129,
        }
    }
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stop::Signal(name) => write!(f, "stopped by {name}"),
            Stop::TerminalLost => f.write_str("the terminal was lost"),
        }
    }
}

/// A full-screen front end on the runtime.
pub trait FrontEnd {
    /// What the front end ends with.
    type Ended;

    /// The clock moved.
    ///
    /// # Errors
    /// A failure that ends the front end (a journal that cannot be
    /// written); what was recorded before is on disk.
    fn tick(&mut self, now: DateTime<Utc>) -> anyhow::Result<Flow<Self::Ended>>;

    /// A key, a paste, a focus change or a resize.
    ///
    /// # Errors
    /// As [`FrontEnd::tick`].
    fn event(&mut self, event: Event, now: DateTime<Utc>) -> anyhow::Result<Flow<Self::Ended>>;

    /// Draws the current state.
    fn render(&self, frame: &mut Frame<'_>);

    /// How long the runtime may wait for input before the next tick (the
    /// countdown's next second); at most [`MAX_WAIT`] is used.
    fn wake_after(&self, now: DateTime<Utc>) -> Duration {
        let _ = now;
        MAX_WAIT
    }

    /// A signal the policy ignores arrived (a station logs it).
    fn ignored_signal(&mut self, name: &'static str) {
        let _ = name;
    }

    /// The runtime stops the front end: record why, and say what it ended
    /// as. Called on the event loop, with the terminal already restored.
    ///
    /// # Errors
    /// Recording failed.
    fn stopped(&mut self, why: Stop) -> anyhow::Result<Self::Ended>;
}

/// What signals do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// A learner's own terminal: every catchable signal ends the session,
    /// the terminal restored.
    Personal,
    /// A training-room station that only the proctor can leave: SIGTERM
    /// and SIGHUP stop it cleanly (a shutdown, a closed terminal); every
    /// other catchable signal is ignored and reported to the front end.
    Station,
}

/// Every signal the runtime takes over, with its name. Left to their
/// default: the faults (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP,
/// SIGSYS: a crash, after which the attempt resumes), the signals nothing
/// can catch (SIGKILL, SIGSTOP), those ignored by default (SIGCHLD,
/// SIGURG) and SIGWINCH, which the input library reads as a resize.
/// SIGCONT is taken over to set the terminal up again after a stop.
pub const SIGNALS: &[(i32, &str)] = {
    use signal_hook::consts::signal::{
        SIGALRM, SIGCONT, SIGHUP, SIGINT, SIGIO, SIGPIPE, SIGPROF, SIGQUIT, SIGTERM, SIGTSTP,
        SIGTTIN, SIGTTOU, SIGUSR1, SIGUSR2, SIGVTALRM, SIGXCPU, SIGXFSZ,
    };
    &[
        (SIGHUP, "SIGHUP"),
        (SIGINT, "SIGINT"),
        (SIGQUIT, "SIGQUIT"),
        (SIGTERM, "SIGTERM"),
        (SIGUSR1, "SIGUSR1"),
        (SIGUSR2, "SIGUSR2"),
        (SIGALRM, "SIGALRM"),
        (SIGPIPE, "SIGPIPE"),
        (SIGTSTP, "SIGTSTP"),
        (SIGTTIN, "SIGTTIN"),
        (SIGTTOU, "SIGTTOU"),
        (SIGXCPU, "SIGXCPU"),
        (SIGXFSZ, "SIGXFSZ"),
        (SIGVTALRM, "SIGVTALRM"),
        (SIGPROF, "SIGPROF"),
        (SIGIO, "SIGIO"),
        (SIGCONT, "SIGCONT"),
    ]
};

/// What the signal `name` does under `policy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The front end stops, the terminal restored.
    Stop,
    /// Nothing but a word to the front end.
    Ignore,
    /// Set the terminal up again and repaint (after a stop by SIGSTOP).
    Resume,
}

impl Policy {
    /// What the signal `name` does.
    #[must_use]
    pub fn action(self, name: &str) -> Action {
        match (self, name) {
            (_, "SIGCONT") => Action::Resume,
            (Policy::Personal, _) | (Policy::Station, "SIGTERM" | "SIGHUP") => Action::Stop,
            (Policy::Station, _) => Action::Ignore,
        }
    }
}

/// The longest wait for input between two ticks.
pub const MAX_WAIT: Duration = Duration::from_millis(250);
/// At most this many events are handled between two frames, so that a held
/// key cannot starve the clock; a frame shows all that was typed before it.
pub const EVENTS_PER_FRAME: usize = 64;
/// How long a stop may wait for the event loop before the process ends
/// from the watcher thread.
pub const GRACE: Duration = Duration::from_secs(2);

/// [`GRACE`] for a lost terminal.
pub const LOST_GRACE: Duration = Duration::from_millis(100);

/// What the event loop and the watcher threads share.
#[derive(Default)]
struct Shared {
    /// A stop not yet taken up.
    stop: Option<Stop>,
    /// Signals ignored since the last look.
    ignored: Vec<&'static str>,
    /// SIGCONT came.
    resumed: bool,
    /// The runtime returned: watchers do nothing any more.
    done: bool,
}

type SharedState = Arc<Mutex<Shared>>;

fn lock(shared: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Said when the process must end from a watcher thread: what the front
/// end leaves on record (a station's log line). Runs while the event loop
/// is between two events.
pub type LastWords = Box<dyn FnOnce(Stop) + Send>;

/// Runs `front` until it ends or the runtime stops it.
///
/// # Errors
/// The terminal cannot be set up or drawn on, or the front end failed;
/// the terminal is restored either way.
pub fn run<F: FrontEnd>(
    front: &mut F,
    policy: Policy,
    last_words: LastWords,
) -> anyhow::Result<F::Ended> {
    let shared: SharedState = Arc::default();
    // Held by the event loop whenever it is not waiting for input: a stop
    // from a watcher thread takes it, so it never cuts a write in two.
    let work = Arc::new(Mutex::new(()));
    let last_words = Arc::new(Mutex::new(Some(last_words)));
    let signals = watch_signals(policy, &shared, &work, &last_words)?;
    watch_hang_up(&shared, &work, &last_words);
    let result = match Screen::enter() {
        Ok(mut screen) => event_loop(front, &mut screen, &shared, &work),
        Err(e) => Err(Stopping::Failed(e.into())),
    };
    // Whatever happened, the watchers stand down.
    lock(&shared).done = true;
    signals.close();
    match result {
        Ok(ended) => Ok(ended),
        Err(Stopping::Stop(why)) => front.stopped(why),
        Err(Stopping::Failed(e)) => Err(e),
    }
}

enum Stopping {
    Stop(Stop),
    Failed(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for Stopping {
    fn from(e: E) -> Self {
        Stopping::Failed(e.into())
    }
}

fn event_loop<F: FrontEnd>(
    front: &mut F,
    screen: &mut Screen,
    shared: &Mutex<Shared>,
    work: &Mutex<()>,
) -> Result<F::Ended, Stopping> {
    loop {
        let busy = work.lock().unwrap_or_else(PoisonError::into_inner);
        let (stop, ignored, resumed) = {
            let mut s = lock(shared);
            (
                s.stop,
                std::mem::take(&mut s.ignored),
                std::mem::take(&mut s.resumed),
            )
        };
        if let Some(why) = stop {
            return Err(Stopping::Stop(why));
        }
        for name in ignored {
            front.ignored_signal(name);
        }
        if resumed {
            screen.set_up_again()?;
        }
        match front.tick(Utc::now())? {
            Flow::Go => {}
            Flow::Wipe => screen.wipe()?,
            Flow::End(ended) => return Ok(ended),
        }
        let wait = front.wake_after(Utc::now()).min(MAX_WAIT);
        // Drawing writes to the terminal only, and may block on a stalled
        // one: a stop must not wait for it.
        drop(busy);
        screen.terminal.draw(|f| front.render(f)).map_err(lost)?;
        let mut ready = event::poll(wait).map_err(lost)?;
        let mut handled = 0;
        while ready && handled < EVENTS_PER_FRAME {
            let read = event::read().map_err(lost)?;
            let _busy = work.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(why) = lock(shared).stop {
                return Err(Stopping::Stop(why));
            }
            match front.event(read, Utc::now())? {
                Flow::Go => {}
                Flow::Wipe => screen.wipe()?,
                Flow::End(ended) => return Ok(ended),
            }
            handled += 1;
            ready = event::poll(Duration::ZERO).map_err(lost)?;
        }
    }
}

/// A read error on the terminal: the session ends at once (answers are
/// already durable).
fn lost(e: std::io::Error) -> Stopping {
    let _ = e;
    Stopping::Stop(Stop::TerminalLost)
}

/// The terminal in the state the front ends need, restored when dropped
/// and on a panic.
struct Screen {
    terminal: ratatui::DefaultTerminal,
}

impl Screen {
    fn enter() -> std::io::Result<Screen> {
        if !in_foreground() {
            return Err(std::io::Error::other(
                "the terminal is not brevet's: run it in the foreground",
            ));
        }
        install_panic_hook();
        set_up()?;
        let terminal =
            ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(std::io::stdout()));
        match terminal {
            Ok(terminal) => Ok(Screen { terminal }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }

    /// After SIGCONT: the shell may have reset the terminal while the
    /// process was stopped.
    fn set_up_again(&mut self) -> std::io::Result<()> {
        // The input library skips enabling raw mode when it believes it is
        // on: switched off first, so that it is set again for real.
        let _ = crossterm::terminal::disable_raw_mode();
        set_up()?;
        self.wipe()
    }

    /// Blanks the screen and makes the next draw repaint every cell.
    /// (`Terminal::clear` would do this too, but first asks the terminal
    /// for the cursor position, which some terminals never answer.)
    fn wipe(&mut self) -> std::io::Result<()> {
        crossterm::execute!(
            std::io::stdout(),
            crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
        )?;
        // Both buffers blank: the next draw is diffed against an empty
        // screen.
        self.terminal.swap_buffers();
        Ok(())
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        restore();
    }
}

fn set_up() -> std::io::Result<()> {
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(
        std::io::stdout(),
        EnterAlternateScreen,
        EnableFocusChange,
        EnableBracketedPaste,
        crossterm::cursor::Hide
    )
}

/// Puts the terminal back as the shell had it. Every step is tried, each
/// on its own: a terminal that is gone fails them all, quietly.
fn restore() {
    let mut out = std::io::stdout();
    let _ = crossterm::execute!(out, DisableBracketedPaste);
    let _ = crossterm::execute!(out, DisableFocusChange);
    let _ = crossterm::execute!(out, LeaveAlternateScreen);
    let _ = crossterm::execute!(out, crossterm::cursor::Show);
    let _ = crossterm::terminal::disable_raw_mode();
}

fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

/// The signal thread: ignored signals are passed on, a stop is recorded
/// and, if the event loop has not taken it up within [`GRACE`], ends the
/// process.
fn watch_signals(
    policy: Policy,
    shared: &SharedState,
    work: &Arc<Mutex<()>>,
    last_words: &Arc<Mutex<Option<LastWords>>>,
) -> std::io::Result<signal_hook::iterator::Handle> {
    let mut signals = signal_hook::iterator::Signals::new(SIGNALS.iter().map(|(s, _)| *s))?;
    let handle = signals.handle();
    let (shared, work, last_words) = (shared.clone(), work.clone(), last_words.clone());
    std::thread::spawn(move || {
        for signal in signals.forever() {
            let Some(&(_, name)) = SIGNALS.iter().find(|(s, _)| *s == signal) else {
                continue;
            };
            match policy.action(name) {
                Action::Ignore => lock(&shared).ignored.push(name),
                Action::Resume => lock(&shared).resumed = true,
                Action::Stop => {
                    let why = Stop::Signal(name);
                    stop(&shared, &work, &last_words, why);
                }
            }
        }
    });
    Ok(handle)
}

/// Records `why` and waits for the event loop to take it up; when it does
/// not (it is stuck reading a terminal that is gone), ends the process
/// between two events.
fn stop(shared: &SharedState, work: &Mutex<()>, last_words: &Mutex<Option<LastWords>>, why: Stop) {
    {
        let mut s = lock(shared);
        if s.done {
            return;
        }
        s.stop.get_or_insert(why);
    }
    // A signal is normally taken up within one wait for input, and the
    // front end then stops in its own way. A lost terminal is not: the
    // input library may be reading its end without end, burning a CPU.
    std::thread::sleep(match why {
        Stop::Signal(_) => GRACE,
        Stop::TerminalLost => LOST_GRACE,
    });
    let _busy = work.lock().unwrap_or_else(PoisonError::into_inner);
    if lock(shared).done {
        return;
    }
    let why = lock(shared).stop.unwrap_or(why);
    if let Some(words) = last_words
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take()
    {
        words(why);
    }
    // In the background, setting the terminal would stop the process.
    if in_foreground() {
        restore();
    }
    std::process::exit(i32::from(why.exit_status()));
}

/// The hang-up thread: waits, without using the CPU, for the terminal to
/// hang up (the window closed, the SSH connection dropped, the tmux session
/// killed), then stops as for a signal. A process in a session of its own
/// gets no SIGHUP, and only this sees it.
fn watch_hang_up(
    shared: &SharedState,
    work: &Arc<Mutex<()>>,
    last_words: &Arc<Mutex<Option<LastWords>>>,
) {
    let (shared, work, last_words) = (shared.clone(), work.clone(), last_words.clone());
    std::thread::spawn(move || {
        if wait_for_hang_up().is_ok() {
            stop(&shared, &work, &last_words, Stop::TerminalLost);
        }
    });
}

/// Returns when the terminal hangs up; an error when it cannot be watched
/// (then only signals and read errors end the session).
#[cfg(unix)]
fn wait_for_hang_up() -> std::io::Result<()> {
    use rustix::event::{PollFd, PollFlags, poll};
    use std::io::IsTerminal;
    use std::os::fd::AsFd;
    // The terminal the input library reads: standard input when it is one,
    // else the controlling terminal.
    let tty;
    let stdin = std::io::stdin();
    let fd = if stdin.is_terminal() {
        stdin.as_fd()
    } else {
        tty = std::fs::File::open("/dev/tty")?;
        tty.as_fd()
    };
    loop {
        // No event asked for: only a hang-up, an error or a closed
        // descriptor wakes the thread.
        let mut fds = [PollFd::from_borrowed_fd(fd, PollFlags::empty())];
        match poll(&mut fds, None) {
            Ok(_) => {
                let got = fds[0].revents();
                if got.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
                    return Ok(());
                }
            }
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
}

/// Whether the process is the terminal's foreground: only then may it read
/// the keyboard or set the terminal up (else the kernel stops it, or sends
/// signals that a handler turns into a busy loop). True when it cannot
/// be told.
#[cfg(unix)]
fn in_foreground() -> bool {
    use std::io::IsTerminal;
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return true;
    }
    rustix::termios::tcgetpgrp(&stdin).map_or(true, |group| group == rustix::process::getpgrp())
}

#[cfg(not(unix))]
fn in_foreground() -> bool {
    true
}

#[cfg(not(unix))]
fn wait_for_hang_up() -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_station_ignores_all_but_a_shutdown_and_a_hang_up() {
        for (_, name) in SIGNALS {
            let station = Policy::Station.action(name);
            let personal = Policy::Personal.action(name);
            match *name {
                "SIGCONT" => {
                    assert_eq!(station, Action::Resume);
                    assert_eq!(personal, Action::Resume);
                }
                "SIGTERM" | "SIGHUP" => {
                    assert_eq!(station, Action::Stop);
                    assert_eq!(personal, Action::Stop);
                }
                _ => {
                    assert_eq!(station, Action::Ignore, "{name}");
                    assert_eq!(personal, Action::Stop, "{name}");
                }
            }
        }
    }

    #[test]
    fn exit_statuses_say_the_signal() {
        assert_eq!(Stop::Signal("SIGTERM").exit_status(), 143);
        assert_eq!(Stop::Signal("SIGINT").exit_status(), 130);
        assert_eq!(Stop::TerminalLost.exit_status(), 129);
        assert_eq!(Stop::Signal("SIGUSR1").to_string(), "stopped by SIGUSR1");
    }
}
