//! The plain mode: the same exam as a dialogue of lines, for screen readers,
//! dumb terminals and scripts. The format is documented in
//! `docs/plain-mode.md` and kept stable.
//!
//! Input lines arrive on a channel (a thread reads stdin at the edge), so the
//! clock keeps being checked while the learner thinks: warnings are printed
//! at the marks and the attempt is submitted at the deadline.

use crate::attempt::journal::Sink;
use crate::attempt::{Command, Learner, Outcome, Refusal, Response, Session, Status, SubmitReason};
use crate::bank::{Exam, Kind, Navigation};
use crate::launch::Launch;
use crate::present::parse_number;
use crate::present::strings::{self, Strings};
use crate::present::{describe, right_answer};
use crate::scoring;
use crate::store::FileSink;
use chrono::{DateTime, Utc};
use std::io::Write;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

/// How a plain session ended.
#[derive(Debug)]
pub enum Ended {
    /// Submitted; the result was printed.
    Finished {
        /// The score.
        result: scoring::Outcome,
    },
    /// Input ended or `:quit` before submission (answers saved).
    Quit,
}

/// What the dialogue needs.
pub struct Context<'a, 'f> {
    /// The exam.
    pub exam: &'a Exam,
    /// How attempts are opened.
    pub launch: &'a Launch,
    /// The learner, when given on the command line.
    pub learner: Option<Learner>,
    /// Interface text.
    pub strings: &'static Strings,
    /// Issues the credential once submitted.
    pub on_finish: &'f mut crate::launch::OnFinish<'f>,
    /// Whether the issuer is the local demo issuer (said in the dialogue).
    pub demo_issuer: bool,
}

/// One line of input, or the end of it.
enum Input {
    Line(String),
    End,
}

struct Dialogue<'a, W> {
    exam: &'a Exam,
    s: &'static Strings,
    out: W,
    lines: Receiver<String>,
    clock: &'a mut dyn FnMut() -> DateTime<Utc>,
}

impl<W: Write> Dialogue<'_, W> {
    fn say(&mut self, text: impl AsRef<str>) -> std::io::Result<()> {
        writeln!(self.out, "{}", text.as_ref())
    }

    fn ask(&mut self, prompt: &str) -> std::io::Result<()> {
        write!(self.out, "{prompt}")?;
        self.out.flush()
    }

    /// Waits for a line without a clock to watch.
    fn read(&mut self) -> Input {
        match self.lines.recv() {
            Ok(line) => Input::Line(line),
            Err(_) => Input::End,
        }
    }
}

/// Runs the dialogue until submission or the end of input.
///
/// # Errors
/// Output, the data folder or the journal failed; answers recorded so far are on disk.
pub fn run<W: Write>(
    ctx: Context<'_, '_>,
    lines: Receiver<String>,
    out: W,
    clock: &mut dyn FnMut() -> DateTime<Utc>,
) -> anyhow::Result<Ended> {
    let Context {
        exam,
        launch,
        learner,
        strings: s,
        on_finish,
        demo_issuer,
    } = ctx;
    let mut d = Dialogue {
        exam,
        s,
        out,
        lines,
        clock,
    };
    let learner = match learner {
        Some(l) => l,
        None => loop {
            d.ask(&format!("{}{}", s.identify_name, s.colon))?;
            let Input::Line(name) = d.read() else {
                return Ok(Ended::Quit);
            };
            let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
            if name.is_empty() {
                d.say(s.identify_name_required)?;
                continue;
            }
            d.ask(&format!("{}{}", s.identify_id, s.colon))?;
            let id = match d.read() {
                Input::Line(id) if !id.trim().is_empty() => Some(id.trim().to_string()),
                _ => None,
            };
            break Learner { name, id };
        },
    };
    let now = (d.clock)();
    let resumed = launch.find_unfinished(exam, &learner, now)?;
    instructions(&mut d, resumed.as_ref().map(|o| &o.session))?;
    if demo_issuer {
        d.say(s.demo_issuer)?;
    }
    if let Input::End = d.read() {
        return Ok(Ended::Quit);
    }
    let mut session = match resumed {
        Some(opened) => opened.session,
        None => {
            launch
                .start(exam, learner, (d.clock)(), rand::random::<u64>)?
                .session
        }
    };
    let ended = exam_loop(&mut d, &mut session)?;
    if !ended {
        d.say(s.plain_saved_quit)?;
        return Ok(Ended::Quit);
    }
    let result = scoring::score(exam, session.attempt());
    print_result(&mut d, &session, &result)?;
    if let Some(path) = on_finish(exam, &session, &result)? {
        d.say(format!("{} {}", s.credential_written, path.display()))?;
        d.say(s.credential_purpose)?;
        if demo_issuer {
            d.say(s.demo_issuer)?;
        }
    }
    Ok(Ended::Finished { result })
}

fn instructions<W: Write>(
    d: &mut Dialogue<'_, W>,
    resumed: Option<&Session<FileSink>>,
) -> std::io::Result<()> {
    let (exam, s) = (d.exam, d.s);
    let rules = &exam.rules;
    let extra = resumed.map_or(0, |r| r.attempt().header().options.extra_time_percent);
    d.say(format!("== {} ==", exam.meta.title))?;
    d.say(format!(
        "{}{}{}",
        s.skill_block, s.colon, exam.meta.skill_block
    ))?;
    d.say(format!("{}{}{}", s.questions, s.colon, exam.draw_count()))?;
    d.say(format!(
        "{}{}{}",
        s.time_limit,
        s.colon,
        strings::span(rules.time_limit + rules.time_limit * extra / 100)
    ))?;
    d.say(format!(
        "{}{}{}",
        s.threshold,
        s.colon,
        strings::percent(rules.mastery_threshold)
    ))?;
    d.say(match rules.navigation {
        Navigation::Free => s.navigation_free,
        Navigation::Sequential => s.navigation_sequential,
    })?;
    commands(d)?;
    match resumed {
        Some(session) => {
            d.say(s.resuming)?;
            let left = session.attempt().remaining((d.clock)());
            d.say(format!("{} {}", strings::clock(left), s.time_left))?;
            d.ask(&format!("{}\n", s.plain_resume))
        }
        None => d.ask(&format!("{}\n", s.plain_start)),
    }
}

fn commands<W: Write>(d: &mut Dialogue<'_, W>) -> std::io::Result<()> {
    for (cmd, what) in d.s.plain_commands {
        d.say(format!("  {cmd:<28} {what}"))?;
    }
    Ok(())
}

/// Shows the current question. Returns nothing; the prompt follows.
fn show<W: Write>(d: &mut Dialogue<'_, W>, session: &Session<FileSink>) -> std::io::Result<()> {
    let (exam, s) = (d.exam, d.s);
    let a = session.attempt();
    let i = a.current();
    let item = &a.paper()[i];
    let q = &exam.questions[item.question];
    let left = a.remaining((d.clock)());
    let flag = if a.flagged(i) {
        format!(" · ⚑ {}", s.flag_on)
    } else {
        String::new()
    };
    d.say("")?;
    d.say(format!(
        "{} {} {} {} · {} {}{flag} · {} pt",
        s.question,
        i + 1,
        s.of,
        a.paper().len(),
        strings::clock(left),
        s.time_left,
        q.points
    ))?;
    for line in q.prompt.trim().lines() {
        d.say(line)?;
    }
    let hint = match &q.kind {
        Kind::Single { choices } | Kind::Multiple { choices } => {
            for (pos, c) in item.choices.iter().enumerate() {
                d.say(format!("  {}) {}", pos + 1, choices[*c].text))?;
            }
            if matches!(q.kind, Kind::Multiple { .. }) {
                s.plain_several
            } else {
                s.plain_choose_one
            }
        }
        Kind::TrueFalse { .. } => {
            d.say(format!("  1) {}", s.true_))?;
            d.say(format!("  2) {}", s.false_))?;
            s.plain_choose_one
        }
        Kind::Text { .. } => s.plain_type_answer,
        Kind::Numeric { unit, .. } => {
            if let Some(u) = unit {
                d.say(format!("({u})"))?;
            }
            s.plain_type_number
        }
    };
    d.say(hint)?;
    if a.response(i).is_some() {
        d.say(format!(
            "{}{}{}",
            s.your_answer,
            s.colon,
            describe(q, a.response(i), s)
        ))?;
    }
    Ok(())
}

/// Reads an answer line for the current question.
fn parse(exam: &Exam, session: &Session<FileSink>, line: &str) -> Option<Response> {
    let a = session.attempt();
    let item = &a.paper()[a.current()];
    let q = &exam.questions[item.question];
    let numbers = || -> Option<Vec<usize>> {
        line.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
            .filter(|t| !t.is_empty())
            .map(|t| {
                t.parse::<usize>()
                    .ok()
                    .filter(|n| (1..=item.choices.len()).contains(n))
                    .map(|n| item.choices[n - 1])
            })
            .collect()
    };
    match &q.kind {
        Kind::Single { .. } => match numbers()?.as_slice() {
            [one] => Some(Response::Choice(*one)),
            _ => None,
        },
        Kind::Multiple { .. } => numbers().filter(|v| !v.is_empty()).map(Response::Choices),
        Kind::TrueFalse { .. } => match line.trim().to_lowercase().as_str() {
            "1" | "true" | "vrai" | "t" | "v" | "yes" | "oui" => Some(Response::Bool(true)),
            "2" | "false" | "faux" | "f" | "no" | "non" => Some(Response::Bool(false)),
            _ => None,
        },
        Kind::Text { .. } => Some(Response::Text(line.trim().to_string())),
        Kind::Numeric { .. } => parse_number(line).map(Response::Number),
    }
}

/// Runs questions until submission (`true`) or the end of input / `:quit` (`false`).
fn exam_loop<W: Write>(
    d: &mut Dialogue<'_, W>,
    session: &mut Session<FileSink>,
) -> anyhow::Result<bool> {
    let exam = d.exam;
    let s = d.s;
    let mut show_question = true;
    let mut confirming = false;
    loop {
        if session.attempt().is_finished() {
            return Ok(true);
        }
        if show_question {
            show(d, session)?;
            show_question = false;
        }
        d.ask(s.plain_prompt)?;
        // Wait for a line, checking the clock every second.
        let line = loop {
            match d.lines.recv_timeout(Duration::from_secs(1)) {
                Ok(line) => break Some(line),
                Err(RecvTimeoutError::Timeout) => {
                    let now = (d.clock)();
                    match session.apply(exam, &Command::Tick, now)? {
                        Outcome::Warning(left) => {
                            d.say("")?;
                            d.say(format!("⚠ {} {}", strings::span(left), s.warning_left))?;
                            d.ask(s.plain_prompt)?;
                        }
                        Outcome::Submitted(_) => {
                            d.say("")?;
                            return Ok(true);
                        }
                        _ => {}
                    }
                }
                Err(RecvTimeoutError::Disconnected) => break None,
            }
        };
        let Some(line) = line else { return Ok(false) };
        let now = (d.clock)();
        let trimmed = line.trim();
        let current = session.attempt().current();
        let last = current + 1 == session.attempt().paper().len();
        let (command, verb) = match trimmed
            .split_once(' ')
            .map_or((trimmed, ""), |(a, b)| (a, b.trim()))
        {
            ("" | ":next" | ":n", _) => (Some(Command::Next), ""),
            (":prev" | ":p", _) => (Some(Command::Previous), ""),
            (":goto" | ":g", n) => match n.parse::<usize>() {
                Ok(n) if n >= 1 => (Some(Command::GoTo(n - 1)), ""),
                _ => (None, s.plain_unknown_command),
            },
            (":flag", _) => (
                Some(Command::Flag {
                    item: current,
                    on: true,
                }),
                s.plain_recorded,
            ),
            (":unflag", _) => (
                Some(Command::Flag {
                    item: current,
                    on: false,
                }),
                s.plain_recorded,
            ),
            (":clear", _) => (Some(Command::Clear { item: current }), s.plain_cleared),
            (":submit", _) => (Some(Command::Submit), ""),
            (":review", _) => {
                review(d, session)?;
                continue;
            }
            (":time", _) => {
                let left = session.attempt().remaining(now);
                d.say(format!("{} {}", strings::clock(left), s.time_left))?;
                continue;
            }
            (":help", _) => {
                commands(d)?;
                continue;
            }
            (":quit" | ":q", _) => return Ok(false),
            (cmd, _) if cmd.starts_with(':') => (None, s.plain_unknown_command),
            _ if confirming
                && matches!(trimmed.to_lowercase().as_str(), "yes" | "oui" | "y" | "o") =>
            {
                (Some(Command::Submit), "")
            }
            _ => match parse(exam, session, trimmed) {
                Some(response) => (
                    Some(Command::Answer {
                        item: current,
                        response,
                    }),
                    s.plain_recorded,
                ),
                None => (None, s.plain_bad_choice),
            },
        };
        confirming = false;
        let Some(command) = command else {
            d.say(verb)?;
            continue;
        };
        let is_answer = matches!(command, Command::Answer { .. });
        let is_next = command == Command::Next;
        let outcome = if is_next && last {
            Outcome::Refused(Refusal::AtEdge)
        } else {
            session.apply(exam, &command, now)?
        };
        match outcome {
            Outcome::Recorded => {
                d.say(verb)?;
                if is_answer {
                    if last {
                        d.say(s.plain_end_of_paper)?;
                        d.say(s.plain_submit_confirm)?;
                        confirming = true;
                    } else if session.apply(exam, &Command::Next, now)?
                        == Outcome::Moved(current + 1)
                    {
                        show_question = true;
                    }
                }
            }
            Outcome::Moved(_) => show_question = true,
            Outcome::Refused(Refusal::AtEdge) if is_next => {
                d.say(s.plain_end_of_paper)?;
                d.say(s.plain_submit_confirm)?;
                confirming = true;
            }
            Outcome::Refused(r) => d.say(refusal(r, s))?,
            Outcome::Warning(left) => {
                d.say(format!("⚠ {} {}", strings::span(left), s.warning_left))?
            }
            Outcome::Submitted(_) => return Ok(true),
            Outcome::Nothing => {}
        }
    }
}

fn refusal(r: Refusal, s: &Strings) -> &'static str {
    match r {
        Refusal::NoGoingBack => s.refused_back,
        Refusal::NoSkipping => s.refused_skip,
        Refusal::AtEdge | Refusal::NoSuchItem => s.refused_edge,
        Refusal::Finished => s.refused_finished,
        Refusal::WrongAnswerKind => s.plain_bad_choice,
    }
}

fn review<W: Write>(d: &mut Dialogue<'_, W>, session: &Session<FileSink>) -> std::io::Result<()> {
    let (exam, s) = (d.exam, d.s);
    let a = session.attempt();
    d.say(format!(
        "{}{}{} {} · {} {}",
        s.review_title,
        s.colon,
        a.unanswered(),
        s.unanswered,
        a.flagged_count(),
        s.flagged
    ))?;
    for (i, item) in a.paper().iter().enumerate() {
        let q = &exam.questions[item.question];
        let state = if a.response(i).is_some() {
            s.answered
        } else {
            s.unanswered
        };
        let flag = if a.flagged(i) {
            format!(" · ⚑ {}", s.flag_on)
        } else {
            String::new()
        };
        let first = q.prompt.trim().lines().next().unwrap_or("");
        d.say(format!("  {:>3}. [{state}{flag}] {first}", i + 1))?;
    }
    Ok(())
}

fn print_result<W: Write, S: Sink>(
    d: &mut Dialogue<'_, W>,
    session: &Session<S>,
    result: &scoring::Outcome,
) -> std::io::Result<()> {
    let (exam, s) = (d.exam, d.s);
    let a = session.attempt();
    d.say("")?;
    if let Status::Submitted { at, reason } = a.status() {
        match reason {
            SubmitReason::TimeUp => d.say(s.time_up_submitted)?,
            SubmitReason::Proctor => d.say(s.ended_by_proctor)?,
            SubmitReason::Learner => {}
        }
        d.say(format!(
            "== {}{}{} ==",
            s.result_title,
            s.colon,
            if result.passed {
                s.passed
            } else {
                s.not_passed
            }
        ))?;
        d.say(format!(
            "{}{}{} ({} {})",
            s.score,
            s.colon,
            strings::percent(result.percent),
            s.required,
            strings::percent(result.threshold)
        ))?;
        let used = (at - a.header().started_at).to_std().unwrap_or_default();
        d.say(format!("{}{}{}", s.time_used, s.colon, strings::span(used)))?;
    }
    d.say(format!("{}{}", s.plain_sections, s.colon.trim_end()))?;
    for sec in &result.sections {
        let min = sec.min_score.map_or(String::new(), |m| {
            format!(" ({} {})", s.section_minimum, strings::percent(m))
        });
        let mark = if sec.met { "✓" } else { "✗" };
        d.say(format!(
            "  {}{}{}{min} {mark}",
            sec.title,
            s.colon,
            strings::percent(sec.percent)
        ))?;
    }
    match exam.rules.review {
        crate::bank::Review::ScoreOnly => d.say(s.review_score_only)?,
        crate::bank::Review::Full => {
            for item in &result.items {
                let q = &exam.questions[item.question];
                let mark = if item.is_right() { "✓" } else { "✗" };
                d.say(format!(
                    "{mark} {}. {}",
                    item.item + 1,
                    q.prompt.trim().lines().next().unwrap_or("")
                ))?;
                d.say(format!(
                    "   {}{}{}",
                    s.your_answer,
                    s.colon,
                    describe(q, a.response(item.item), s)
                ))?;
                if !item.is_right() {
                    d.say(format!(
                        "   {}{}{}",
                        s.right_answer,
                        s.colon,
                        right_answer(q, s)
                    ))?;
                }
                if let Some(e) = &q.explanation {
                    d.say(format!(
                        "   {}{}{}",
                        s.explanation,
                        s.colon,
                        e.split_whitespace().collect::<Vec<_>>().join(" ")
                    ))?;
                }
            }
        }
    }
    Ok(())
}

/// Starts a thread that reads stdin lines into a channel (closed at EOF).
pub fn stdin_lines() -> Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut line = String::new();
        loop {
            line.clear();
            match std::io::BufRead::read_line(&mut stdin.lock(), &mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    if tx
                        .send(line.trim_end_matches(['\n', '\r']).to_string())
                        .is_err()
                    {
                        break;
                    }
                }
            }
        }
    });
    rx
}
