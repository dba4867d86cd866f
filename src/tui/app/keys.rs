//! How the exam screens react to the learner's actions: choosing, typing,
//! moving, reviewing, submitting.

use super::{App, Effect, Notice, Screen};
use crate::attempt::journal::Sink;
use crate::attempt::{Command, Learner, Response};
use crate::bank::Kind;
use crate::present::parse_number;
use crate::tui::input::TextInput;
use crate::tui::keymap::Action;

impl<S: Sink> App<'_, S> {
    /// Saves a typed answer if it changed. Returns false when it does not parse.
    pub(super) fn save_input(&mut self) -> std::io::Result<bool> {
        if !self.input_dirty {
            return Ok(true);
        }
        let Some(s) = self.session.as_ref() else {
            return Ok(true);
        };
        let item = s.attempt().current();
        let text = self.input.text().trim().to_string();
        let command = if text.is_empty() {
            Command::Clear { item }
        } else {
            match self.current_kind() {
                Some(Kind::Numeric { .. }) => match parse_number(&text) {
                    Some(n) => Command::Answer {
                        item,
                        response: Response::Number(n),
                    },
                    None => {
                        self.notice = Some(Notice::NotANumber);
                        return Ok(false);
                    }
                },
                _ => Command::Answer {
                    item,
                    response: Response::Text(text),
                },
            }
        };
        self.command(&command)?;
        self.input_dirty = false;
        Ok(true)
    }

    /// Saves a typed answer, then (if it was saved) runs `then`.
    pub(super) fn save_then(&mut self, then: Option<Command>) -> std::io::Result<Effect> {
        if !self.save_input()? {
            return Ok(Effect::None);
        }
        match then {
            Some(command) => self.command(&command),
            None => Ok(Effect::None),
        }
    }

    /// Number of options the current question offers (choices, or true/false).
    pub(super) fn option_count(&self) -> usize {
        match self.current_kind() {
            Some(Kind::Single { choices } | Kind::Multiple { choices }) => choices.len(),
            Some(Kind::TrueFalse { .. }) => 2,
            _ => 0,
        }
    }

    /// Chooses (or ticks) the option at display position `pos`.
    /// Chooses the choice at `pos`; with `again_clears`, choosing the
    /// single choice already chosen clears the answer (a digit or Space;
    /// Enter only confirms).
    pub(super) fn pick(&mut self, pos: usize, again_clears: bool) -> std::io::Result<Effect> {
        let Some(s) = self.session.as_ref() else {
            return Ok(Effect::None);
        };
        if pos >= self.option_count() {
            return Ok(Effect::None);
        }
        self.cursor = pos;
        let item = s.attempt().current();
        let paper_item = &s.attempt().paper()[item];
        let response = match self.current_kind() {
            Some(Kind::Single { .. }) => Response::Choice(paper_item.choices[pos]),
            Some(Kind::TrueFalse { .. }) => Response::Bool(pos == 0),
            Some(Kind::Multiple { .. }) => {
                let choice = paper_item.choices[pos];
                let mut set = match s.attempt().response(item) {
                    Some(Response::Choices(v)) => v.clone(),
                    _ => Vec::new(),
                };
                if let Some(i) = set.iter().position(|c| *c == choice) {
                    set.remove(i);
                } else {
                    set.push(choice);
                }
                if set.is_empty() {
                    return self.command(&Command::Clear { item });
                }
                Response::Choices(set)
            }
            _ => return Ok(Effect::None),
        };
        if again_clears && s.attempt().response(item) == Some(&response) {
            return self.command(&Command::Clear { item });
        }
        self.command(&Command::Answer { item, response })
    }

    pub(super) fn on_identify(&mut self, action: Action) -> Effect {
        /// Name, id, e-mail.
        const IDENTIFY_FIELDS: usize = 3;
        let field = match self.identify.focus {
            0 => &mut self.identify.name,
            1 => &mut self.identify.id,
            _ => &mut self.identify.email,
        };
        match action {
            Action::Type(c) => field.insert(c),
            Action::Backspace => field.backspace(),
            Action::Delete => field.delete(),
            Action::CursorLeft => field.left(),
            Action::CursorRight => field.right(),
            Action::Home => field.home(),
            Action::End => field.end(),
            Action::NextField | Action::Down => {
                self.identify.focus = (self.identify.focus + 1) % IDENTIFY_FIELDS
            }
            Action::Up => {
                self.identify.focus = (self.identify.focus + IDENTIFY_FIELDS - 1) % IDENTIFY_FIELDS
            }
            Action::Confirm => {
                let name = self
                    .identify
                    .name
                    .text()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                if name.is_empty() {
                    self.notice = Some(Notice::NameRequired);
                    self.identify.focus = 0;
                    return Effect::None;
                }
                let id = self.identify.id.text().trim();
                let Ok(email) = crate::present::optional_email(self.identify.email.text()) else {
                    self.notice = Some(Notice::EmailRefused);
                    self.identify.focus = 2;
                    return Effect::None;
                };
                let learner = Learner {
                    email,
                    name,
                    id: (!id.is_empty()).then(|| id.to_string()),
                };
                if let Err((id, why)) = crate::attempt::learner::check(&learner) {
                    self.notice = Some(Notice::NameRefused { id, why });
                    self.identify.focus = usize::from(id);
                    return Effect::None;
                }
                return Effect::Identify(learner);
            }
            Action::Quit | Action::Back => return Effect::Quit,
            _ => {}
        }
        Effect::None
    }

    pub(super) fn on_question(&mut self, action: Action) -> std::io::Result<Effect> {
        let Some(s) = self.session.as_ref() else {
            return Ok(Effect::None);
        };
        let item = s.attempt().current();
        let flagged = s.attempt().flagged(item);
        let sequential = s.attempt().navigation() == crate::bank::Navigation::Sequential;
        let typed = self.on_typed_answer();
        match action {
            // In a typed answer, and at the first or last choice, the
            // arrows scroll a long question, within its ends.
            Action::Up if typed || self.cursor == 0 => self.nudge_by(-1),
            Action::Up => {
                self.cursor -= 1;
                self.nudge = 0;
            }
            Action::Down if typed || self.cursor + 1 >= self.option_count() => self.nudge_by(1),
            Action::Down => {
                self.cursor += 1;
                self.nudge = 0;
            }
            Action::Pick(n) => return self.pick(usize::from(n), true),
            Action::Toggle => return self.pick(self.cursor, true),
            Action::Confirm if typed => {
                let next = if sequential {
                    Some(Command::Next)
                } else {
                    None
                };
                return self.save_then(next);
            }
            Action::Confirm if sequential && s.attempt().response(item).is_some() => {
                return self.command(&Command::Next);
            }
            Action::Confirm => return self.pick(self.cursor, false),
            Action::Next => return self.save_then(Some(Command::Next)),
            Action::Previous => return self.save_then(Some(Command::Previous)),
            Action::Flag => return self.command(&Command::Flag { item, on: !flagged }),
            Action::Review | Action::Submit => {
                let saved = self.save_then(None)?;
                if self.notice.is_none() {
                    self.review_cursor = item;
                    self.screen = Screen::Review;
                }
                return Ok(saved);
            }
            Action::Quit => {
                self.save_input()?;
                self.quitting = true;
            }
            // A numeric answer takes what a number is written with, and
            // says so at the field when a key is not.
            Action::Type(c)
                if matches!(self.current_kind(), Some(Kind::Numeric { .. }))
                    && !could_be_in_a_number(c) =>
            {
                self.notice = Some(Notice::NumberKeysOnly);
            }
            Action::Type(c) => {
                if self.notice == Some(Notice::NumberKeysOnly) {
                    self.notice = None;
                }
                self.input.insert(c);
                self.edited();
            }
            Action::Jump if sequential => {
                self.notice = Some(Notice::Refused(crate::attempt::Refusal::NoSkipping));
            }
            Action::Jump => self.jump = Some(TextInput::default()),
            Action::Backspace => {
                self.input.backspace();
                self.edited();
            }
            Action::Delete => {
                self.input.delete();
                self.edited();
            }
            Action::CursorLeft => self.input.left(),
            Action::CursorRight => self.input.right(),
            Action::Home => self.input.home(),
            Action::End => self.input.end(),
            _ => {}
        }
        Ok(Effect::None)
    }

    /// Keys while a question number is typed: digits, Enter to go there
    /// (the typed answer saved first), Esc to stay.
    pub(super) fn on_jump(&mut self, action: Action) -> std::io::Result<Effect> {
        let Some(jump) = self.jump.as_mut() else {
            return Ok(Effect::None);
        };
        match action {
            Action::Type(c) if c.is_ascii_digit() && jump.text().len() < 4 => jump.insert(c),
            Action::Backspace => jump.backspace(),
            Action::Delete => jump.delete(),
            Action::CursorLeft => jump.left(),
            Action::CursorRight => jump.right(),
            Action::Back | Action::Jump => self.jump = None,
            Action::Confirm => {
                let n = self
                    .session
                    .as_ref()
                    .map_or(0, |s| s.attempt().paper().len());
                let wanted = jump
                    .text()
                    .parse::<usize>()
                    .ok()
                    .filter(|k| (1..=n).contains(k));
                let Some(k) = wanted else {
                    self.notice = Some(Notice::NoSuchQuestion);
                    return Ok(Effect::None);
                };
                self.jump = None;
                return self.save_then(Some(Command::GoTo(k - 1)));
            }
            _ => {}
        }
        Ok(Effect::None)
    }

    pub(super) fn on_review(&mut self, action: Action) -> std::io::Result<Effect> {
        let n = self
            .session
            .as_ref()
            .map_or(0, |s| s.attempt().paper().len());
        match action {
            Action::Up => self.review_cursor = self.review_cursor.saturating_sub(1),
            Action::Down => self.review_cursor = (self.review_cursor + 1).min(n.saturating_sub(1)),
            Action::Confirm | Action::Toggle => {
                let effect = self.command(&Command::GoTo(self.review_cursor))?;
                if self.notice.is_none() {
                    self.screen = Screen::Question;
                }
                return Ok(effect);
            }
            Action::Submit => self.screen = Screen::Confirm,
            Action::Back | Action::Review => self.screen = Screen::Question,
            Action::Quit => self.quitting = true,
            _ => {}
        }
        Ok(Effect::None)
    }
}

/// Whether `c` can be part of a number as learners write one: digits, a
/// sign, a decimal point or comma, an exponent, spaces between thousands.
fn could_be_in_a_number(c: char) -> bool {
    c.is_ascii_digit()
        || matches!(
            c,
            '.' | ',' | '-' | '+' | 'e' | 'E' | ' ' | '\u{a0}' | '\u{202f}'
        )
}
