//! The plain mode: the same exam as a dialogue of lines, for screen readers,
//! dumb terminals and scripts. The format is documented in
//! `docs/plain-mode.md` and kept stable.
//!
//! [`Plain`] is the dialogue as a state machine over the attempt engine:
//! lines and clock ticks in, text and effects out, no I/O of its own (it is
//! tested in memory, with the clock as a parameter). [`run`] is its edge:
//! it reads lines from a channel (a thread reads stdin), ticks every second
//! while the learner thinks (warnings at the marks, submission at the
//! deadline), prints, and carries out the effects (find or open the
//! attempt, issue the credential).

use crate::attempt::journal::Sink;
use crate::attempt::{Command, Learner, Outcome, Refusal, Response, Session, Status, SubmitReason};
use crate::bank::{Exam, Kind, Navigation};
use crate::launch::Launch;
use crate::present::describe;
use crate::present::parse_number;
use crate::present::strings::{self, Strings};
use crate::scoring;
use chrono::{DateTime, Utc};
use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

/// How a plain session ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Ended {
    /// Submitted; the result was printed.
    Finished {
        /// The score.
        result: scoring::Outcome,
    },
    /// Input ended or `:quit` before submission (answers saved).
    Quit,
}

/// What the dialogue asks of its edge.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Look for this learner's unfinished attempt, then call
    /// [`Plain::found`].
    Identify(Learner),
    /// Open a new attempt for this learner, then call [`Plain::started`].
    Start(Learner),
    /// The attempt was submitted and the result printed: issue the
    /// credential if earned ([`Plain::session`], [`Plain::result`]), then
    /// call [`Plain::issued`].
    Finished,
    /// The dialogue is over.
    Done(Ended),
}

/// Where the dialogue is.
enum Stage<S> {
    /// Asking the learner's name.
    Name,
    /// Asking their id.
    Id { name: String },
    /// Asking their e-mail address (optional).
    Email { name: String, id: Option<String> },
    /// Waiting for the edge (a lookup, an attempt being opened).
    Waiting,
    /// The instructions are shown; a line starts the clock (or resumes).
    Instructions {
        learner: Learner,
        resumed: Option<Session<S>>,
    },
    /// The questions.
    Exam {
        session: Session<S>,
        /// Show the current question before the next prompt.
        show_question: bool,
        /// The last line asked to submit: `yes` hands in.
        confirming: bool,
    },
    /// Submitted, the result printed.
    Result {
        session: Session<S>,
        result: scoring::Outcome,
    },
    /// Over.
    Done,
}

/// The plain dialogue: lines and ticks in, text and effects out.
pub struct Plain<'a, S> {
    exam: &'a Exam,
    s: &'static Strings,
    demo_issuer: bool,
    /// Extra time the attempt will get, shown before it starts.
    extra_time_percent: u32,
    stage: Stage<S>,
    out: String,
}

impl<'a, S: Sink> Plain<'a, S> {
    /// Starts the dialogue: asks who takes the exam or, when `learner` is
    /// known, asks the edge to look for their unfinished attempt.
    pub fn new(
        exam: &'a Exam,
        s: &'static Strings,
        learner: Option<Learner>,
        demo_issuer: bool,
    ) -> (Self, Option<Effect>) {
        let mut plain = Self {
            exam,
            s,
            demo_issuer,
            extra_time_percent: 0,
            stage: Stage::Name,
            out: String::new(),
        };
        let effect = match learner {
            Some(l) => {
                plain.stage = Stage::Waiting;
                Some(Effect::Identify(l))
            }
            None => {
                plain.ask(&format!("{}{}", s.identify_name, s.colon));
                None
            }
        };
        (plain, effect)
    }

    /// The extra time the attempt will be granted (`--extra-time`), so
    /// that the instructions show the time the learner will have.
    pub fn set_extra_time(&mut self, percent: u32) {
        self.extra_time_percent = percent;
    }

    /// The text to print since the last call.
    pub fn take_output(&mut self) -> String {
        std::mem::take(&mut self.out)
    }

    /// The attempt, once opened.
    pub fn session(&self) -> Option<&Session<S>> {
        match &self.stage {
            Stage::Exam { session, .. } | Stage::Result { session, .. } => Some(session),
            _ => None,
        }
    }

    /// The result, once submitted.
    pub fn result(&self) -> Option<&scoring::Outcome> {
        match &self.stage {
            Stage::Result { result, .. } => Some(result),
            _ => None,
        }
    }

    fn say(&mut self, text: impl AsRef<str>) {
        self.out.push_str(text.as_ref());
        self.out.push('\n');
    }

    fn ask(&mut self, prompt: &str) {
        self.out.push_str(prompt);
    }

    /// After [`Effect::Identify`]: the learner's unfinished attempt, if
    /// any. Shows the instructions.
    pub fn found(&mut self, learner: Learner, resumed: Option<Session<S>>, now: DateTime<Utc>) {
        self.instructions(resumed.as_ref(), now);
        if self.demo_issuer {
            self.say(self.s.demo_issuer);
        }
        self.stage = Stage::Instructions { learner, resumed };
    }

    /// The unfinished attempt goes on with `exam`, the version of the bank
    /// it was given (the bank changed since it started): says so (`lines`,
    /// from [`crate::present::bank_changed_lines`]). Before [`Plain::found`].
    pub fn runs_on(&mut self, exam: &'a Exam, lines: &[String]) {
        self.exam = exam;
        self.out.push('\n');
        for line in lines {
            self.say(line);
        }
    }

    /// After [`Effect::Identify`], when no attempt may start: says why (the
    /// lines of [`crate::present::refusal_lines`]) and ends the dialogue.
    pub fn refused(&mut self, lines: &[String]) -> Effect {
        self.out.push('\n');
        for line in lines {
            self.say(line);
        }
        self.stage = Stage::Done;
        Effect::Done(Ended::Quit)
    }

    /// After [`Effect::Start`]: the new attempt. Shows the first question.
    pub fn started(&mut self, session: Session<S>, now: DateTime<Utc>) -> Option<Effect> {
        self.enter_exam(session, now)
    }

    /// Says one more line (what the edge adds to the result).
    pub fn say_line(&mut self, line: String) {
        self.say(line);
    }

    /// After [`Effect::Finished`]: where the credential went, if one was
    /// issued. The dialogue is then over.
    pub fn issued(&mut self, credential: Option<PathBuf>, shared: &[String]) -> Effect {
        let s = self.s;
        if let Some(path) = credential {
            self.say(format!("{} {}", s.credential_written, path.display()));
            self.say(s.credential_purpose);
            for line in shared {
                self.say(line);
            }
            if self.demo_issuer {
                self.say(s.demo_issuer);
            }
        }
        match self.result() {
            Some(result) => Effect::Done(Ended::Finished {
                result: result.clone(),
            }),
            None => Effect::Done(Ended::Quit),
        }
    }

    /// The input ended: what was answered is saved.
    pub fn end_of_input(&mut self) -> Effect {
        if let Stage::Exam { .. } = self.stage {
            self.say(self.s.plain_saved_quit);
        }
        self.stage = Stage::Done;
        Effect::Done(Ended::Quit)
    }

    /// Whether the attempt is in progress and its time is up at `now`: the
    /// edge then takes what the learner typed on a line not yet sent (see
    /// [`Plain::time_up`]).
    pub fn is_time_up(&self, now: DateTime<Utc>) -> bool {
        match &self.stage {
            Stage::Exam { session, .. } => session.attempt().is_time_up(now),
            _ => false,
        }
    }

    /// Time is up with `unsent` typed on the answer line but not sent
    /// (Enter not pressed): it is recorded as the current question's
    /// answer as it stood at the deadline, when it reads as one (a command
    /// is not carried out), then the attempt is handed in, as a paper is
    /// collected with what is written on it.
    ///
    /// # Errors
    /// The journal could not be written (what was recorded before stays).
    pub fn time_up(&mut self, unsent: &str, now: DateTime<Utc>) -> std::io::Result<Option<Effect>> {
        let exam = self.exam;
        if let Stage::Exam { session, .. } = &mut self.stage
            && !session.attempt().is_finished()
            && !unsent.trim().starts_with(':')
            && let Some(response) = parse(exam, session, unsent.trim())
        {
            let item = session.attempt().current();
            let at = session.attempt().deadline() - chrono::TimeDelta::microseconds(1);
            session.apply(exam, &Command::Answer { item, response }, at)?;
        }
        self.tick(now)
    }

    /// The clock moved: warnings at the marks, submission at the deadline.
    ///
    /// # Errors
    /// The journal could not be written (what was recorded before stays).
    pub fn tick(&mut self, now: DateTime<Utc>) -> std::io::Result<Option<Effect>> {
        let (exam, s) = (self.exam, self.s);
        let Stage::Exam { session, .. } = &mut self.stage else {
            return Ok(None);
        };
        match session.apply(exam, &Command::Tick, now)? {
            Outcome::Warning(left) => {
                self.say("");
                self.say(format!("⚠ {}", strings::time_left(left, s)));
                self.ask(s.plain_prompt);
                Ok(None)
            }
            Outcome::Submitted(_) => {
                self.say("");
                Ok(Some(self.finish()))
            }
            _ => Ok(None),
        }
    }

    /// One line of input.
    ///
    /// # Errors
    /// The journal could not be written (what was recorded before stays).
    pub fn line(&mut self, line: &str, now: DateTime<Utc>) -> std::io::Result<Option<Effect>> {
        let s = self.s;
        match std::mem::replace(&mut self.stage, Stage::Waiting) {
            Stage::Name => {
                let name = line.split_whitespace().collect::<Vec<_>>().join(" ");
                if name.is_empty() {
                    self.say(s.identify_name_required);
                    self.ask(&format!("{}{}", s.identify_name, s.colon));
                    self.stage = Stage::Name;
                } else {
                    self.ask(&format!("{}{}", s.identify_id, s.colon));
                    self.stage = Stage::Id { name };
                }
                Ok(None)
            }
            Stage::Id { name } => {
                let id = Some(line.trim().to_string()).filter(|id| !id.is_empty());
                let learner = Learner {
                    email: None,
                    name,
                    id,
                };
                match crate::attempt::learner::check(&learner) {
                    Ok(()) => {
                        self.ask(&format!("{}{}", s.identify_email, s.colon));
                        self.stage = Stage::Email {
                            name: learner.name,
                            id: learner.id,
                        };
                        Ok(None)
                    }
                    Err((false, why)) => {
                        self.say(crate::present::name_refused(&why, s));
                        self.ask(&format!("{}{}", s.identify_name, s.colon));
                        self.stage = Stage::Name;
                        Ok(None)
                    }
                    Err((true, why)) => {
                        self.say(crate::present::name_refused(&why, s));
                        self.ask(&format!("{}{}", s.identify_id, s.colon));
                        self.stage = Stage::Id { name: learner.name };
                        Ok(None)
                    }
                }
            }
            Stage::Email { name, id } => {
                let Ok(email) = crate::present::optional_email(line) else {
                    self.say(s.identify_email_refused);
                    self.ask(&format!("{}{}", s.identify_email, s.colon));
                    self.stage = Stage::Email { name, id };
                    return Ok(None);
                };
                Ok(Some(Effect::Identify(Learner { name, id, email })))
            }
            // Any line starts the clock (or resumes).
            Stage::Instructions { learner, resumed } => match resumed {
                Some(session) => Ok(self.enter_exam(session, now)),
                None => Ok(Some(Effect::Start(learner))),
            },
            Stage::Exam {
                mut session,
                mut show_question,
                mut confirming,
            } => {
                let stop =
                    self.exam_line(&mut session, line, now, &mut show_question, &mut confirming);
                self.stage = Stage::Exam {
                    session,
                    show_question,
                    confirming,
                };
                if let Some(effect) = stop? {
                    self.stage = Stage::Done;
                    return Ok(Some(effect));
                }
                Ok(self.next_prompt(now))
            }
            other => {
                self.stage = other;
                Ok(None)
            }
        }
    }

    fn enter_exam(&mut self, session: Session<S>, now: DateTime<Utc>) -> Option<Effect> {
        self.stage = Stage::Exam {
            session,
            show_question: true,
            confirming: false,
        };
        self.next_prompt(now)
    }

    /// Before waiting for the next line: the result when the attempt is
    /// over, else the question (when it changed) and the prompt.
    fn next_prompt(&mut self, now: DateTime<Utc>) -> Option<Effect> {
        let (exam, s) = (self.exam, self.s);
        let Stage::Exam {
            session,
            show_question,
            ..
        } = &mut self.stage
        else {
            return None;
        };
        if session.attempt().is_finished() {
            return Some(self.finish());
        }
        if std::mem::take(show_question) {
            let text = question_text(exam, s, session, now);
            self.out.push_str(&text);
        }
        self.ask(s.plain_prompt);
        None
    }

    /// How long to wait for a line at `now`: a second, or less when the
    /// deadline comes sooner.
    pub fn wait(&self, now: DateTime<Utc>) -> Duration {
        let second = Duration::from_secs(1);
        match &self.stage {
            Stage::Exam { session, .. } if !session.attempt().is_finished() => {
                let left = session.attempt().remaining(now);
                if left.is_zero() {
                    Duration::from_millis(1)
                } else {
                    left.min(second)
                }
            }
            _ => second,
        }
    }

    /// Scores the submitted attempt and prints the result.
    fn finish(&mut self) -> Effect {
        let Stage::Exam { session, .. } = std::mem::replace(&mut self.stage, Stage::Done) else {
            return Effect::Done(Ended::Quit);
        };
        let result = scoring::score(self.exam, session.attempt());
        let text = result_text(self.exam, self.s, &session, &result);
        self.out.push_str(&text);
        self.stage = Stage::Result { session, result };
        Effect::Finished
    }

    /// One line during the exam: a command or an answer. `Some` when the
    /// dialogue stops (`:quit`).
    fn exam_line(
        &mut self,
        session: &mut Session<S>,
        line: &str,
        now: DateTime<Utc>,
        show_question: &mut bool,
        confirming: &mut bool,
    ) -> std::io::Result<Option<Effect>> {
        let (exam, s) = (self.exam, self.s);
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
                let text = review_text(exam, s, session);
                self.out.push_str(&text);
                return Ok(None);
            }
            (":time", _) => {
                let left = session.attempt().remaining(now);
                self.say(format!("{} {}", strings::clock(left), s.time_left));
                return Ok(None);
            }
            (":help", _) => {
                self.commands();
                return Ok(None);
            }
            (":quit" | ":q", _) => {
                self.say(s.plain_saved_quit);
                return Ok(Some(Effect::Done(Ended::Quit)));
            }
            (cmd, _) if cmd.starts_with(':') => (None, s.plain_unknown_command),
            _ if *confirming
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
        *confirming = false;
        let Some(command) = command else {
            self.say(verb);
            return Ok(None);
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
                self.say(verb);
                if is_answer {
                    if last {
                        self.say(s.plain_end_of_paper);
                        self.say(s.plain_submit_confirm);
                        *confirming = true;
                    } else if session.apply(exam, &Command::Next, now)?
                        == Outcome::Moved(current + 1)
                    {
                        *show_question = true;
                    }
                }
            }
            Outcome::Moved(_) => *show_question = true,
            Outcome::Refused(Refusal::AtEdge) if is_next => {
                self.say(s.plain_end_of_paper);
                self.say(s.plain_submit_confirm);
                *confirming = true;
            }
            Outcome::Refused(r) => self.say(refusal(r, s)),
            Outcome::Warning(left) => {
                self.say(format!("⚠ {}", strings::time_left(left, s)));
            }
            // The next prompt sees that the attempt is over and prints the
            // result.
            Outcome::Submitted(_) | Outcome::Nothing => {}
        }
        Ok(None)
    }

    fn commands(&mut self) {
        for (cmd, what) in self.s.plain_commands {
            self.say(format!("  {cmd:<28} {what}"));
        }
    }

    fn instructions(&mut self, resumed: Option<&Session<S>>, now: DateTime<Utc>) {
        let (exam, s) = (self.exam, self.s);
        let rules = &exam.rules;
        let extra = resumed.map_or(self.extra_time_percent, |r| {
            r.attempt().header().options.extra_time_percent
        });
        self.say(format!("== {} ==", exam.meta.title));
        self.say(format!(
            "{}{}{}",
            s.skill_block, s.colon, exam.meta.skill_block
        ));
        self.say(format!("{}{}{}", s.questions, s.colon, exam.draw_count()));
        let mut time = format!(
            "{}{}{}",
            s.time_limit,
            s.colon,
            strings::span(rules.time_limit + rules.time_limit * extra / 100)
        );
        if extra > 0 {
            time.push_str(&format!(" ({} {} %)", s.extra_time, extra));
        }
        self.say(time);
        self.say(format!(
            "{}{}{}",
            s.threshold,
            s.colon,
            strings::percent(rules.mastery_threshold, s)
        ));
        self.say(match rules.navigation {
            Navigation::Free => s.navigation_free,
            Navigation::Sequential => s.navigation_sequential,
        });
        self.commands();
        match resumed {
            Some(session) => {
                self.say(s.resuming);
                let left = session.attempt().remaining(now);
                self.say(format!("{} {}", strings::clock(left), s.time_left));
                self.ask(&format!("{}\n", s.plain_resume));
            }
            None => self.ask(&format!("{}\n", s.plain_start)),
        }
    }
}

/// Appends `text` and a line break.
fn push_line(out: &mut String, text: impl AsRef<str>) {
    out.push_str(text.as_ref());
    out.push('\n');
}

/// The current question, preceded by an empty line.
fn question_text<S: Sink>(
    exam: &Exam,
    s: &Strings,
    session: &Session<S>,
    now: DateTime<Utc>,
) -> String {
    let mut out = String::new();
    let a = session.attempt();
    let i = a.current();
    let item = &a.paper()[i];
    let q = &exam.questions[item.question];
    let left = a.remaining(now);
    let flag = if a.flagged(i) {
        format!(" · ⚑ {}", s.flag_on)
    } else {
        String::new()
    };
    push_line(&mut out, "");
    push_line(
        &mut out,
        format!(
            "{} {} {} {} · {} {}{flag} · {} pt",
            s.question,
            i + 1,
            s.of,
            a.paper().len(),
            strings::clock(left),
            s.time_left,
            q.points
        ),
    );
    for p in crate::present::prose::paragraphs(&q.prompt) {
        if p.after_blank {
            push_line(&mut out, "");
        }
        push_line(&mut out, format!("{}{}", p.lead, p.text));
    }
    let hint = match &q.kind {
        Kind::Single { choices } | Kind::Multiple { choices } => {
            for (pos, c) in item.choices.iter().enumerate() {
                push_line(
                    &mut out,
                    format!(
                        "  {}) {}",
                        pos + 1,
                        crate::present::prompt_one_line(&choices[*c].text)
                    ),
                );
            }
            if matches!(q.kind, Kind::Multiple { .. }) {
                s.plain_several
            } else {
                s.plain_choose_one
            }
        }
        Kind::TrueFalse { .. } => {
            push_line(&mut out, format!("  1) {}", s.true_));
            push_line(&mut out, format!("  2) {}", s.false_));
            s.plain_choose_one
        }
        Kind::Text { .. } => s.plain_type_answer,
        Kind::Numeric { unit, .. } => {
            if let Some(u) = unit {
                push_line(&mut out, format!("({u})"));
            }
            s.plain_type_number
        }
    };
    push_line(&mut out, hint);
    if a.response(i).is_some() {
        push_line(
            &mut out,
            format!(
                "{}{}{}",
                s.your_answer,
                s.colon,
                describe(q, a.response(i), s)
            ),
        );
    }
    out
}

/// Reads an answer line for the current question.
fn parse<S: Sink>(exam: &Exam, session: &Session<S>, line: &str) -> Option<Response> {
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

fn refusal(r: Refusal, s: &Strings) -> &'static str {
    match r {
        Refusal::NoGoingBack => s.refused_back,
        Refusal::NoSkipping => s.refused_skip,
        Refusal::AtEdge | Refusal::NoSuchItem => s.refused_edge,
        Refusal::Finished => s.refused_finished,
        Refusal::WrongAnswerKind => s.plain_bad_choice,
    }
}

/// The review list: every question, answered or not, flagged or not.
fn review_text<S: Sink>(exam: &Exam, s: &Strings, session: &Session<S>) -> String {
    let mut out = String::new();
    let a = session.attempt();
    push_line(
        &mut out,
        format!(
            "{}{}{} {} · {}",
            s.review_title,
            s.colon,
            a.unanswered(),
            s.unanswered,
            strings::counted(a.flagged_count(), s.flagged_one, s.flagged, s)
        ),
    );
    for (i, item) in a.paper().iter().enumerate() {
        let q = &exam.questions[item.question];
        let state = if a.response(i).is_some() {
            s.answered_one
        } else {
            s.unanswered
        };
        let flag = if a.flagged(i) {
            format!(" · ⚑ {}", s.flag_on)
        } else {
            String::new()
        };
        let prompt = crate::present::prompt_one_line(&q.prompt);
        push_line(
            &mut out,
            format!("  {:>3}. [{state}{flag}] {prompt}", i + 1),
        );
    }
    out
}

/// The result: verdict, score, time used, sections, and the questions as
/// the review policy allows.
fn result_text<S: Sink>(
    exam: &Exam,
    s: &Strings,
    session: &Session<S>,
    result: &scoring::Outcome,
) -> String {
    let mut out = String::new();
    let a = session.attempt();
    push_line(&mut out, "");
    if let Status::Submitted { at, reason } = a.status() {
        match reason {
            SubmitReason::TimeUp => push_line(&mut out, s.time_up_submitted),
            SubmitReason::Proctor => push_line(&mut out, s.ended_by_proctor),
            SubmitReason::Learner => {}
        }
        push_line(
            &mut out,
            format!(
                "== {}{}{} ==",
                s.result_title,
                s.colon,
                if result.passed {
                    s.passed
                } else {
                    s.not_passed
                }
            ),
        );
        push_line(
            &mut out,
            format!(
                "{}{}{} ({} {})",
                s.score,
                s.colon,
                strings::percent(result.percent, s),
                s.required,
                strings::percent(result.threshold, s)
            ),
        );
        let used = (at - a.header().started_at).to_std().unwrap_or_default();
        push_line(
            &mut out,
            format!("{}{}{}", s.time_used, s.colon, strings::span(used)),
        );
    }
    push_line(
        &mut out,
        format!("{}{}", s.plain_sections, s.colon.trim_end()),
    );
    for sec in &result.sections {
        let min = sec.min_score.map_or(String::new(), |m| {
            format!(" ({} {})", s.section_minimum, strings::percent(m, s))
        });
        // Met or not only where the section has a minimum.
        let mark = match (sec.min_score, sec.met) {
            (None, _) => "",
            (Some(_), true) => " ✓",
            (Some(_), false) => " ✗",
        };
        push_line(
            &mut out,
            format!(
                "  {}{}{}{min}{mark}",
                sec.title,
                s.colon,
                strings::percent(sec.percent, s)
            ),
        );
    }
    let level = exam.rules.review;
    let items = crate::present::review_items(exam, a, result, level, s);
    for line in crate::present::review_lines(&items, level, s) {
        push_line(&mut out, line);
    }
    out
}

/// What the dialogue needs from the command line.
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

/// Runs the dialogue until submission or the end of input: the edge of
/// [`Plain`].
///
/// # Errors
/// Output, the data folder or the journal failed; answers recorded so far are on disk.
pub fn run<W: Write>(
    ctx: Context<'_, '_>,
    input: Input,
    mut out: W,
    clock: &mut dyn FnMut() -> DateTime<Utc>,
) -> anyhow::Result<Ended> {
    let Input { lines, mut unsent } = input;
    let Context {
        exam,
        launch,
        learner,
        strings,
        on_finish,
        demo_issuer,
    } = ctx;
    // The version of the bank an unfinished attempt was given, when the
    // bank changed since it started: the rest of the dialogue runs on it.
    let kept = std::cell::OnceCell::new();
    let mut exam = exam;
    let (mut plain, mut effect) = Plain::new(exam, strings, learner, demo_issuer);
    plain.set_extra_time(launch.options.extra_time_percent);
    loop {
        out.write_all(plain.take_output().as_bytes())?;
        out.flush()?;
        effect = match effect.take() {
            Some(Effect::Identify(learner)) => {
                let now = clock();
                let resumed = launch.find_unfinished(exam, &learner, now)?;
                let refused = match resumed {
                    None => launch.refusal(exam, &learner, now)?,
                    Some(_) => None,
                };
                match refused {
                    // Said before the instructions: nothing may start.
                    Some((why, last)) => Some(plain.refused(&crate::launch::refusal_text(
                        &why,
                        last.as_ref(),
                        exam,
                        strings,
                    ))),
                    None => {
                        if let Some(e) = resumed.as_ref().and_then(|o| o.earlier.as_ref()) {
                            let lines = crate::present::bank_changed_lines(
                                &e.exam, exam, e.changed, strings,
                            );
                            exam = kept.get_or_init(|| e.exam.clone());
                            plain.runs_on(exam, &lines);
                        }
                        plain.found(learner, resumed.map(|o| o.session), now);
                        None
                    }
                }
            }
            Some(Effect::Start(learner)) => {
                let now = clock();
                let opened = launch.start(exam, learner, now, rand::random::<u64>)?;
                plain.started(opened.session, now)
            }
            Some(Effect::Finished) => {
                let issued = match (plain.session(), plain.result()) {
                    (Some(session), Some(result)) => on_finish(exam, session, result)?,
                    _ => None,
                };
                let shared = issued.as_ref().map_or_else(Vec::new, |i| {
                    crate::present::shared_lines(
                        &i.json,
                        &i.shared,
                        i.not_shared.as_deref(),
                        i.linkedin.as_deref(),
                        strings,
                    )
                });
                let credential = issued.map(|i| i.json);
                // A failed attempt: say whether, and when, another may start.
                if let (Some(session), Some(result)) = (plain.session(), plain.result())
                    && let Some(line) =
                        launch.retake_line(exam, session.attempt(), result, strings, clock())?
                {
                    plain.say_line(line);
                }
                Some(plain.issued(credential, &shared))
            }
            Some(Effect::Done(ended)) => return Ok(ended),
            // Wait for a line, checking the clock every second and at the
            // deadline, where what is typed but not sent is taken.
            None => match lines.recv_timeout(plain.wait(clock())) {
                Ok(line) => plain.line(&line, clock())?,
                Err(RecvTimeoutError::Timeout) => {
                    let now = clock();
                    if plain.is_time_up(now) {
                        let typed = unsent();
                        plain.time_up(typed.as_deref().unwrap_or(""), now)?
                    } else {
                        plain.tick(now)?
                    }
                }
                Err(RecvTimeoutError::Disconnected) => Some(plain.end_of_input()),
            },
        };
    }
}

/// What the dialogue reads: the lines the learner sends, and what they
/// typed on a line not sent yet, asked for once when time is up.
pub struct Input {
    /// Lines as sent (Enter), without their end; closed at the end of input.
    pub lines: Receiver<String>,
    /// What is typed on the current line, not sent.
    pub unsent: Box<dyn FnMut() -> Option<String> + Send>,
}

/// Starts a thread that reads stdin into lines on a channel (closed at
/// EOF), keeping a line's bytes until its end arrives. A terminal holds a
/// line being typed until Enter; when time is up, [`Input::unsent`] asks
/// the terminal to hand it over (line editing off for a moment), and
/// takes it.
pub fn stdin_input() -> Input {
    use std::io::Read;
    let (tx, rx) = std::sync::mpsc::channel();
    let pending: std::sync::Arc<std::sync::Mutex<Vec<u8>>> = std::sync::Arc::default();
    let buffer = std::sync::Arc::clone(&pending);
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        let mut chunk = [0u8; 4096];
        loop {
            let n = match stdin.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let mut lines = Vec::new();
            {
                let mut pending = buffer
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                pending.extend_from_slice(&chunk[..n]);
                while let Some(end) = pending.iter().position(|&b| b == b'\n') {
                    let line: Vec<u8> = pending.drain(..=end).collect();
                    let text = String::from_utf8_lossy(&line);
                    lines.push(text.trim_end_matches(['\n', '\r']).to_owned());
                }
            }
            for line in lines {
                if tx.send(line).is_err() {
                    return;
                }
            }
        }
    });
    Input {
        lines: rx,
        unsent: Box::new(move || take_unsent_line(&pending)),
    }
}
/// What is typed on the terminal's current line and not sent, from the
/// reading thread's `pending` bytes. A terminal keeps a line being typed
/// to itself until Enter; with line editing (`ICANON`) off for a moment it
/// hands the line to the thread blocked reading it. Restored at once. When
/// stdin is not a terminal, what `pending` holds is all there is.
fn take_unsent_line(pending: &std::sync::Mutex<Vec<u8>>) -> Option<String> {
    use rustix::termios::{self, LocalModes, OptionalActions, SpecialCodeIndex};
    let lock = || {
        pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    };
    let stdin = std::io::stdin();
    if let Ok(saved) = termios::tcgetattr(&stdin) {
        let mut handing = saved.clone();
        handing.local_modes.remove(LocalModes::ICANON);
        handing.special_codes[SpecialCodeIndex::VMIN] = 1;
        handing.special_codes[SpecialCodeIndex::VTIME] = 0;
        if termios::tcsetattr(&stdin, OptionalActions::Now, &handing).is_ok() {
            let until = std::time::Instant::now() + Duration::from_millis(200);
            while std::time::Instant::now() < until && lock().is_empty() {
                std::thread::sleep(Duration::from_millis(5));
            }
            // Best effort: the terminal was in this state a moment ago.
            let _ = termios::tcsetattr(&stdin, OptionalActions::Now, &saved);
        }
    }
    let bytes = std::mem::take(&mut *lock());
    let text = String::from_utf8_lossy(&bytes)
        .trim_end_matches(['\r', '\n'])
        .to_owned();
    (!text.trim().is_empty()).then_some(text)
}
