//! Keys to actions. The keymap is data: one table per input mode, so it can
//! be read, tested and documented in one place.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use serde::{Deserialize, Serialize};

/// Everything a learner can ask for with the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Highlight the previous choice / scroll up.
    Up,
    /// Highlight the next choice / scroll down.
    Down,
    /// Previous question.
    Previous,
    /// Next question.
    Next,
    /// Choose or tick the n-th choice (0-based).
    Pick(u8),
    /// Choose or tick the highlighted choice.
    Toggle,
    /// Confirm: save a typed answer, open a question, continue.
    Confirm,
    /// Flag or unflag the question.
    Flag,
    /// Open the review screen.
    Review,
    /// Submit (from the review screen).
    Submit,
    /// Show or hide the help.
    Help,
    /// Go back / close.
    Back,
    /// Ask to quit.
    Quit,
    /// Answer yes to a question on screen.
    Yes,
    /// Answer no to a question on screen.
    No,
    /// Type a character into a text field.
    Type(char),
    /// Delete the character before the cursor.
    Backspace,
    /// Delete the character under the cursor.
    Delete,
    /// Move the cursor left in a text field.
    CursorLeft,
    /// Move the cursor right in a text field.
    CursorRight,
    /// Cursor to the start of the field.
    Home,
    /// Cursor to the end of the field.
    End,
    /// Next field (identification screen).
    NextField,
    /// Go to a question by its number.
    Jump,
}

/// What the keyboard is doing: choosing among things, or typing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Keys are commands.
    Command,
    /// Printable keys type text; commands move to function keys.
    Text,
}

/// Keys that work the same in both modes.
const COMMON: &[(KeyCode, KeyModifiers, Action)] = &[
    (KeyCode::Up, KeyModifiers::NONE, Action::Up),
    (KeyCode::Down, KeyModifiers::NONE, Action::Down),
    (KeyCode::PageUp, KeyModifiers::NONE, Action::Previous),
    (KeyCode::PageDown, KeyModifiers::NONE, Action::Next),
    (KeyCode::Enter, KeyModifiers::NONE, Action::Confirm),
    (KeyCode::Esc, KeyModifiers::NONE, Action::Back),
    (KeyCode::Tab, KeyModifiers::NONE, Action::NextField),
    (KeyCode::F(1), KeyModifiers::NONE, Action::Help),
    (KeyCode::F(2), KeyModifiers::NONE, Action::Flag),
    (KeyCode::F(3), KeyModifiers::NONE, Action::Review),
    (KeyCode::F(4), KeyModifiers::NONE, Action::Jump),
    (KeyCode::Char('c'), KeyModifiers::CONTROL, Action::Quit),
];

/// Command mode: letters and digits are shortcuts.
const COMMAND: &[(KeyCode, KeyModifiers, Action)] = &[
    (KeyCode::Left, KeyModifiers::NONE, Action::Previous),
    (KeyCode::Right, KeyModifiers::NONE, Action::Next),
    (KeyCode::Char('p'), KeyModifiers::NONE, Action::Previous),
    (KeyCode::Char('n'), KeyModifiers::NONE, Action::Next),
    (KeyCode::Char(' '), KeyModifiers::NONE, Action::Toggle),
    (KeyCode::Char('f'), KeyModifiers::NONE, Action::Flag),
    (KeyCode::Char('r'), KeyModifiers::NONE, Action::Review),
    (KeyCode::Char('g'), KeyModifiers::NONE, Action::Jump),
    (KeyCode::Char('s'), KeyModifiers::NONE, Action::Submit),
    (KeyCode::Char('?'), KeyModifiers::NONE, Action::Help),
    (KeyCode::Char('?'), KeyModifiers::SHIFT, Action::Help),
    (KeyCode::Char('q'), KeyModifiers::NONE, Action::Quit),
    (KeyCode::Char('y'), KeyModifiers::NONE, Action::Yes),
    (KeyCode::Char('o'), KeyModifiers::NONE, Action::Yes),
    (KeyCode::Char('k'), KeyModifiers::NONE, Action::Up),
    (KeyCode::Char('j'), KeyModifiers::NONE, Action::Down),
    (KeyCode::Home, KeyModifiers::NONE, Action::Home),
    (KeyCode::End, KeyModifiers::NONE, Action::End),
];

/// Text mode: arrows move the cursor.
const TEXT: &[(KeyCode, KeyModifiers, Action)] = &[
    (KeyCode::Left, KeyModifiers::NONE, Action::CursorLeft),
    (KeyCode::Right, KeyModifiers::NONE, Action::CursorRight),
    (KeyCode::Home, KeyModifiers::NONE, Action::Home),
    (KeyCode::End, KeyModifiers::NONE, Action::End),
    (KeyCode::Backspace, KeyModifiers::NONE, Action::Backspace),
    (KeyCode::Delete, KeyModifiers::NONE, Action::Delete),
];

/// The action for `key` in `mode`, if any.
pub fn action(key: KeyEvent, mode: Mode) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let find = |table: &[(KeyCode, KeyModifiers, Action)]| {
        table
            .iter()
            .find(|(code, mods, _)| *code == key.code && *mods == key.modifiers)
            .map(|(_, _, a)| *a)
    };
    let specific = match mode {
        Mode::Command => COMMAND,
        Mode::Text => TEXT,
    };
    if let Some(a) = find(specific).or_else(|| find(COMMON)) {
        return Some(a);
    }
    match (mode, key.code) {
        (Mode::Command, KeyCode::Char(c @ '1'..='9')) =>
        {
            #[allow(clippy::cast_possible_truncation)]
            Some(Action::Pick(c as u8 - b'1'))
        }
        (Mode::Command, KeyCode::Char('N' | 'n')) => Some(Action::No),
        (Mode::Text, KeyCode::Char(c))
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(Action::Type(c))
        }
        _ => None,
    }
}

/// What an action does, in a few English words (for `brevet run --help`
/// and the manual page; the screens have their own translated help).
fn describe(action: Action) -> &'static str {
    match action {
        Action::Up => "highlight the previous choice, scroll up",
        Action::Down => "highlight the next choice, scroll down",
        Action::Previous => "previous question",
        Action::Next => "next question",
        Action::Pick(_) => "choose or tick that choice",
        Action::Toggle => "choose or tick the highlighted choice",
        Action::Confirm => "confirm: save a typed answer, open, continue",
        Action::Flag => "flag or unflag the question",
        Action::Review => "review the paper, then submit",
        Action::Submit => "submit (on the review screen)",
        Action::Help => "show or hide the help",
        Action::Back => "go back, close",
        Action::Quit => "quit (answers are saved; the clock keeps running)",
        Action::Yes => "yes, to a question on screen",
        Action::No => "no, to a question on screen",
        Action::Type(_) => "type",
        Action::Backspace => "delete the character before the cursor",
        Action::Delete => "delete the character under the cursor",
        Action::CursorLeft => "cursor left",
        Action::CursorRight => "cursor right",
        Action::Home => "cursor to the start; the top of the result",
        Action::End => "cursor to the end; the end of the result",
        Action::NextField => "next field",
        Action::Jump => "go to a question by its number",
    }
}

fn key_name(code: KeyCode, mods: KeyModifiers) -> String {
    let base = match code {
        KeyCode::Up => "Up".to_owned(),
        KeyCode::Down => "Down".to_owned(),
        KeyCode::Left => "Left".to_owned(),
        KeyCode::Right => "Right".to_owned(),
        KeyCode::PageUp => "PgUp".to_owned(),
        KeyCode::PageDown => "PgDn".to_owned(),
        KeyCode::Home => "Home".to_owned(),
        KeyCode::End => "End".to_owned(),
        KeyCode::Enter => "Enter".to_owned(),
        KeyCode::Esc => "Esc".to_owned(),
        KeyCode::Tab => "Tab".to_owned(),
        KeyCode::Backspace => "Backspace".to_owned(),
        KeyCode::Delete => "Delete".to_owned(),
        KeyCode::F(n) => format!("F{n}"),
        KeyCode::Char(' ') => "Space".to_owned(),
        KeyCode::Char(c) => c.to_string(),
        other => format!("{other:?}"),
    };
    if mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{}", base.to_uppercase())
    } else {
        base
    }
}

/// The keys of both modes as a reference table, made from the keymap
/// itself so that it cannot drift from what the keys do.
pub fn reference() -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for (title, specific, extra) in [
        (
            "Keys on choice questions and other screens:",
            COMMAND,
            "  1-9               choose or tick that choice; n: no, to a question on screen\n",
        ),
        (
            "Keys in a text or numeric answer (letters and digits type):",
            TEXT,
            "",
        ),
    ] {
        let _ = writeln!(out, "{title}");
        let mut rows: Vec<(Action, Vec<String>)> = Vec::new();
        // Common keys first, in their order; a key of the mode's own table
        // shadows the common one (as `action` does).
        let mut seen = Vec::new();
        for (code, mods, _) in COMMON.iter().chain(specific) {
            if seen.contains(&(*code, *mods)) || *mods == KeyModifiers::SHIFT {
                continue; // listed already, or `?` typed with Shift: the same key
            }
            seen.push((*code, *mods));
            let Some((_, _, action)) = specific
                .iter()
                .chain(COMMON)
                .find(|(c, m, _)| c == code && m == mods)
            else {
                continue;
            };
            let name = key_name(*code, *mods);
            match rows.iter_mut().find(|(a, _)| a == action) {
                Some((_, keys)) => keys.push(name),
                None => rows.push((*action, vec![name])),
            }
        }
        for (action, keys) in rows {
            let _ = writeln!(out, "  {:<18}{}", keys.join(", "), describe(action));
        }
        out.push_str(extra);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_names_every_key_of_the_tables() {
        let text = reference();
        for (code, mods, action) in COMMON.iter().chain(COMMAND).chain(TEXT) {
            if *mods == KeyModifiers::SHIFT {
                continue;
            }
            assert!(text.contains(&key_name(*code, *mods)), "{code:?}\n{text}");
            assert!(text.contains(describe(*action)), "{action:?}\n{text}");
        }
        // In text answers, letters are not commands.
        let text_part = text.split("text or numeric").nth(1).unwrap();
        assert!(!text_part.contains("  f "), "{text_part}");
        assert!(text_part.contains("Left"), "{text_part}");
    }

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn the_keys_the_text_help_names_do_what_it_says() {
        // Every key of `help_text` but letters: in text mode.
        for (code, wanted) in [
            (KeyCode::F(1), Action::Help),
            (KeyCode::F(2), Action::Flag),
            (KeyCode::F(3), Action::Review),
            (KeyCode::F(4), Action::Jump),
            (KeyCode::PageUp, Action::Previous),
            (KeyCode::PageDown, Action::Next),
            (KeyCode::Left, Action::CursorLeft),
            (KeyCode::Right, Action::CursorRight),
            (KeyCode::Home, Action::Home),
            (KeyCode::End, Action::End),
            (KeyCode::Enter, Action::Confirm),
            (KeyCode::Up, Action::Up),
            (KeyCode::Backspace, Action::Backspace),
            (KeyCode::Delete, Action::Delete),
        ] {
            assert_eq!(action(key(code), Mode::Text), Some(wanted), "{code:?}");
        }
        assert_eq!(
            action(
                KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
                Mode::Text
            ),
            Some(Action::Quit)
        );
        for c in ['f', 'r', 'q', 'g', 'p', 'n'] {
            assert_eq!(
                action(key(KeyCode::Char(c)), Mode::Text),
                Some(Action::Type(c))
            );
        }
        assert_eq!(
            action(key(KeyCode::Char('g')), Mode::Command),
            Some(Action::Jump)
        );
    }

    #[test]
    fn digits_pick_choices_in_command_mode_and_type_in_text_mode() {
        assert_eq!(
            action(key(KeyCode::Char('1')), Mode::Command),
            Some(Action::Pick(0))
        );
        assert_eq!(
            action(key(KeyCode::Char('9')), Mode::Command),
            Some(Action::Pick(8))
        );
        assert_eq!(
            action(key(KeyCode::Char('1')), Mode::Text),
            Some(Action::Type('1'))
        );
        assert_eq!(
            action(key(KeyCode::Char('f')), Mode::Text),
            Some(Action::Type('f'))
        );
        assert_eq!(
            action(key(KeyCode::Char('f')), Mode::Command),
            Some(Action::Flag)
        );
    }

    #[test]
    fn function_keys_and_ctrl_c_work_everywhere() {
        for mode in [Mode::Command, Mode::Text] {
            assert_eq!(action(key(KeyCode::F(2)), mode), Some(Action::Flag));
            assert_eq!(action(key(KeyCode::PageDown), mode), Some(Action::Next));
            let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
            assert_eq!(action(ctrl_c, mode), Some(Action::Quit));
        }
    }

    #[test]
    fn arrows_move_the_cursor_only_in_text_mode() {
        assert_eq!(
            action(key(KeyCode::Left), Mode::Text),
            Some(Action::CursorLeft)
        );
        assert_eq!(
            action(key(KeyCode::Left), Mode::Command),
            Some(Action::Previous)
        );
    }

    #[test]
    fn key_releases_are_ignored() {
        let mut k = key(KeyCode::Enter);
        k.kind = KeyEventKind::Release;
        assert_eq!(action(k, Mode::Command), None);
    }
}
