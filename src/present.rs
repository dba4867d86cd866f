//! What the front ends (the full-screen exam, the plain dialogue, the
//! kiosk) say in the same words: the interface text of each language
//! ([`strings`]), answers and right answers in words, and numbers as a
//! learner types them. It knows no terminal and no command line.

pub mod prose;
pub mod strings;

use crate::attempt::Response;
use crate::bank::{Kind, NumericAnswer, Question, Review};
use strings::Strings;

/// One question of a handed-in paper, as a review at some level shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewItem<'e> {
    /// Its number on the paper, from 1.
    pub number: usize,
    /// Whether the learner's answer earned every point.
    pub right: bool,
    /// The question.
    pub prompt: &'e str,
    /// The learner's answer, in words.
    pub answer: String,
    /// The right answer, where theirs was wrong and the level shows it.
    pub right_answer: Option<String>,
    /// The explanation, where the bank has one and the level shows it.
    pub explanation: Option<&'e str>,
}

/// The questions of a handed-in `attempt` as a review at `level` shows
/// them (none at [`Review::ScoreOnly`]).
pub fn review_items<'e>(
    exam: &'e crate::bank::Exam,
    attempt: &crate::attempt::Attempt,
    outcome: &crate::scoring::Outcome,
    level: Review,
    s: &Strings,
) -> Vec<ReviewItem<'e>> {
    if level == Review::ScoreOnly {
        return Vec::new();
    }
    outcome
        .items
        .iter()
        .map(|item| {
            let q = &exam.questions[item.question];
            ReviewItem {
                number: item.item + 1,
                right: item.is_right(),
                prompt: &q.prompt,
                answer: describe(q, attempt.response(item.item), s),
                right_answer: (level >= Review::Answers && !item.is_right())
                    .then(|| right_answer(q, s)),
                explanation: q.explanation.as_deref().filter(|_| level == Review::Full),
            }
        })
        .collect()
}

/// A review as lines of text (the plain dialogue, the last result shown
/// again): each question's mark, number and whole prompt, its paragraphs on
/// lines of their own, then the answers, indented. At
/// [`Review::ScoreOnly`], one line that says so.
pub fn review_lines(items: &[ReviewItem<'_>], level: Review, s: &Strings) -> Vec<String> {
    if level == Review::ScoreOnly {
        return vec![s.review_score_only.to_owned()];
    }
    let mut lines = Vec::new();
    for item in items {
        let mark = if item.right { "✓" } else { "✗" };
        for (n, p) in prose::paragraphs(item.prompt).into_iter().enumerate() {
            lines.push(if n == 0 {
                format!("{mark} {}. {}{}", item.number, p.lead, p.text)
            } else {
                format!("   {}{}", p.lead, p.text)
            });
        }
        lines.push(format!("   {}{}{}", s.your_answer, s.colon, item.answer));
        if let Some(right) = &item.right_answer {
            lines.push(format!("   {}{}{right}", s.right_answer, s.colon));
        }
        if let Some(e) = item.explanation {
            lines.push(format!(
                "   {}{}{}",
                s.explanation,
                s.colon,
                prompt_one_line(e)
            ));
        }
    }
    lines
}

/// The review of a handed-in attempt shown again later (when the learner
/// comes back and no attempt may start), at the level the bank's
/// `review_later` allows; nothing at [`Review::ScoreOnly`] (the score is
/// said already). `exam` is the version the attempt was given.
pub fn later_review_lines(
    exam: &crate::bank::Exam,
    attempt: &crate::attempt::Attempt,
    outcome: &crate::scoring::Outcome,
    s: &Strings,
) -> Vec<String> {
    let level = exam.rules.later_review();
    if level == Review::ScoreOnly {
        return Vec::new();
    }
    let items = review_items(exam, attempt, outcome, level, s);
    let mut lines = vec![String::new()];
    lines.extend(review_lines(&items, level, s));
    lines
}

/// What the result says under the credential's path: the badge's files
/// beside it (or why they could not be written, and how to make them
/// again), and the LinkedIn link.
pub fn shared_lines(
    json: &std::path::Path,
    shared: &[std::path::PathBuf],
    not_shared: Option<&str>,
    linkedin: Option<&str>,
    s: &Strings,
) -> Vec<String> {
    let mut lines = Vec::new();
    if !shared.is_empty() {
        let names: Vec<String> = shared
            .iter()
            .map(|p| {
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        lines.push(format!("{} {}", s.shared_beside, names.join(", ")));
    }
    if let Some(why) = not_shared {
        lines.push(format!(
            "{} ({why}){}{} brevet share '{}'",
            s.not_shared,
            s.list_separator,
            s.share_again,
            json.display().to_string().replace('\'', "'\\''")
        ));
    }
    if let Some(link) = linkedin {
        lines.push(format!("{} {link}", s.linkedin_add));
    }
    lines
}

/// What the resume screen says when the bank changed after the attempt
/// started: what changed, and that the learner finishes the paper they
/// were given.
pub fn bank_changed_lines(
    given: &crate::bank::Exam,
    now: &crate::bank::Exam,
    changed: usize,
    s: &Strings,
) -> Vec<String> {
    let mut what = Vec::new();
    if given.meta.version != now.meta.version {
        what.push(format!(
            "{} {} → {}",
            s.bank_changed_version, given.meta.version, now.meta.version
        ));
    }
    what.push(strings::counted(
        changed,
        s.bank_changed_questions_one,
        s.bank_changed_questions,
        s,
    ));
    vec![
        format!("{} ({}).", s.bank_changed, what.join(" · ")),
        s.bank_changed_keep.to_owned(),
    ]
}

/// A prompt on one line (its lines joined by a space), for a list that a
/// screen reader reads in one go.
pub fn prompt_one_line(prompt: &str) -> String {
    prompt.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The optional e-mail field of the identification, as typed: `None`
/// when empty, the address in its one form, or an error when it is not one.
///
/// # Errors
/// Not an e-mail address.
pub fn optional_email(
    typed: &str,
) -> Result<Option<String>, crate::credential::identity::EmailError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    crate::credential::identity::normalise_email(typed).map(Some)
}

/// The learner's answer, in words.
pub fn describe(q: &Question, response: Option<&Response>, s: &Strings) -> String {
    let Some(r) = response else {
        return s.no_answer.to_string();
    };
    match (&q.kind, r) {
        (Kind::Single { choices }, Response::Choice(c)) => {
            choices.get(*c).map_or_else(String::new, |c| c.text.clone())
        }
        (Kind::Multiple { choices }, Response::Choices(v)) => v
            .iter()
            .filter_map(|c| choices.get(*c))
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join(s.list_separator),
        (_, Response::Bool(b)) => (if *b { s.true_ } else { s.false_ }).to_string(),
        (_, Response::Text(t)) => t.clone(),
        (_, Response::Number(n)) => {
            let unit = match &q.kind {
                Kind::Numeric { unit: Some(u), .. } => format!(" {u}"),
                _ => String::new(),
            };
            format!("{}{unit}", strings::number(*n, s))
        }
        _ => String::new(),
    }
}

/// The right answer, in words.
pub fn right_answer(q: &Question, s: &Strings) -> String {
    match &q.kind {
        Kind::Single { choices } | Kind::Multiple { choices } => choices
            .iter()
            .filter(|c| c.correct)
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join(s.list_separator),
        Kind::TrueFalse { answer } => (if *answer { s.true_ } else { s.false_ }).to_string(),
        // Each accepted answer once: spellings the comparison does not tell
        // apart (`Paris`, `paris`) are one.
        Kind::Text { accepted, ignore } => {
            let mut seen: Vec<String> = Vec::new();
            let mut shown: Vec<&str> = Vec::new();
            for answer in accepted {
                let key = crate::scoring::normalise(answer, *ignore);
                if !seen.contains(&key) {
                    seen.push(key);
                    shown.push(answer);
                }
            }
            shown.join(" / ")
        }
        Kind::Numeric {
            answer: NumericAnswer::Tolerance { value, tolerance },
            unit,
        } => {
            let u = unit.as_deref().map_or(String::new(), |u| format!(" {u}"));
            let value = strings::number(*value, s);
            if *tolerance > 0.0 {
                format!("{value} ± {}{u}", strings::number(*tolerance, s))
            } else {
                format!("{value}{u}")
            }
        }
        Kind::Numeric {
            answer: NumericAnswer::Range { min, max },
            unit,
        } => {
            let u = unit.as_deref().map_or(String::new(), |u| format!(" {u}"));
            format!(
                "{} {} {} {}{u}",
                s.between,
                strings::number(*min, s),
                s.and,
                strings::number(*max, s)
            )
        }
    }
}

/// Reads a number as a learner types it: `3.5`, `3,5`, ` 1 000 `.
pub fn parse_number(text: &str) -> Option<f64> {
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202f}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    cleaned.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Why a name or id was refused, in the interface's language.
pub fn name_refused(why: &crate::attempt::learner::NameError, s: &Strings) -> &'static str {
    use crate::attempt::learner::NameError;
    match why {
        NameError::Empty => s.identify_name_required,
        NameError::TooLong => s.identify_too_long,
        NameError::MixedScripts => s.identify_mixed_scripts,
    }
}

/// Why no attempt may start, in the interface's language, with the last
/// result and where its credential is: the lines every front end shows.
pub fn refusal_lines(
    why: &Closed,
    last: Option<&crate::scoring::Outcome>,
    credential: Option<&std::path::Path>,
    s: &Strings,
) -> Vec<String> {
    let mut lines = vec![match why {
        Closed::Rules(crate::attempt::limits::Refused::NoAttemptsLeft { .. }) => {
            s.refused_attempts_used.to_owned()
        }
        Closed::Rules(crate::attempt::limits::Refused::TooSoon { from }) => format!(
            "{} {}",
            s.refused_next_attempt,
            from.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M")
        ),
        Closed::HandedIn => s.handed_in_before.to_owned(),
    }];
    if let Some(result) = last {
        lines.push(verdict_line(s.last_result, result, s));
    }
    if let Some(path) = credential {
        lines.push(format!("{} {}", s.credential_written, path.display()));
    }
    lines
}

/// After a failed attempt: may the learner try again?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retake {
    /// Now; with the attempts left when the exam counts them.
    Now {
        /// Attempts left, when limited.
        left: Option<u32>,
    },
    /// Not before this time.
    From(chrono::DateTime<chrono::Utc>),
    /// Never: every attempt was used.
    NoneLeft,
}

/// What a failed result says of a retake, in the interface's language
/// (dates in local time).
pub fn retake_line(retake: Retake, s: &Strings) -> String {
    match retake {
        Retake::Now { left: None } => s.retake_now.to_owned(),
        Retake::Now { left: Some(n) } => {
            format!("{} {}{}{n}", s.retake_now, s.attempts_left, s.colon)
        }
        Retake::From(from) => format!(
            "{} {}",
            s.refused_next_attempt,
            from.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M")
        ),
        Retake::NoneLeft => s.refused_attempts_used.to_owned(),
    }
}

/// Why no attempt opens for the learner now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Closed {
    /// The exam's attempt rules say no.
    Rules(crate::attempt::limits::Refused),
    /// Their last attempt was handed in just before brevet stopped, and its
    /// credential was written only now: its result is what they see.
    HandedIn,
}

/// `LABEL: PASSED · Score: 83.3 % (required 60 %)`.
pub fn verdict_line(label: &str, result: &crate::scoring::Outcome, s: &Strings) -> String {
    format!(
        "{label}{}{} · {}{}{} ({} {})",
        s.colon,
        if result.passed {
            s.passed
        } else {
            s.not_passed
        },
        s.score,
        s.colon,
        strings::percent(result.percent, s),
        s.required,
        strings::percent(result.threshold, s)
    )
}

/// An error as one line: each cause once. (A message that already quotes
/// its cause, such as "kiosk.toml: permission denied", is not followed by
/// the cause again.)
pub fn error_text(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store;

    #[test]
    fn a_cause_already_quoted_is_not_said_twice() {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "permission denied");
        let quoting = anyhow::Error::new(store::StoreError::Io {
            path: "d/x.journal".into(),
            source: io,
        });
        assert_eq!(error_text(&quoting), "d/x.journal: permission denied");
        let wrapped = anyhow::anyhow!("disk full").context("cannot write o/c.json");
        assert_eq!(error_text(&wrapped), "cannot write o/c.json: disk full");
    }

    fn question(toml_kind: &str) -> Question {
        let bank = format!(
            "[exam]\nid = \"t\"\nversion = \"1\"\ntitle = \"T\"\nskill_block = \"B\"\nlanguage = \"en\"\ndescription = \"D\"\nlearning_outcomes = [\"O\"]\nworkload_hours = 1\n\n[rules]\ntime_limit = \"5m\"\nmastery_threshold = 50\n\n[[sections]]\nid = \"s\"\ntitle = \"S\"\ndraw = 1\n\n[[questions]]\nid = \"q\"\nsection = \"s\"\nprompt = \"P\"\n{toml_kind}\n"
        );
        let loaded = crate::bank::load_str(&bank);
        let exam = loaded
            .exam
            .unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
        exam.questions[0].clone()
    }

    #[test]
    fn right_answers_say_each_variant_once_and_ranges_in_words() {
        let en = strings::Lang::En.strings();
        let fr = strings::Lang::Fr.strings();
        let text =
            question("kind = \"text\"\naccepted = [\"Paris\", \"paris\", \"PARIS \", \"Lutèce\"]");
        assert_eq!(right_answer(&text, en), "Paris / Lutèce");
        let range = question("kind = \"numeric\"\nmin = 4\nmax = 5.5\nunit = \"MB\"");
        assert_eq!(right_answer(&range, en), "between 4 and 5.5 MB");
        assert_eq!(right_answer(&range, fr), "entre 4 et 5,5 MB");
        let exact = question("kind = \"numeric\"\nanswer = 2\ntolerance = 0.1\nunit = \"kB\"");
        assert_eq!(right_answer(&exact, fr), "2 ± 0,1 kB");
        assert_eq!(describe(&exact, Some(&Response::Number(4.5)), fr), "4,5 kB");
        assert_eq!(describe(&exact, Some(&Response::Number(4.5)), en), "4.5 kB");
    }
}
