//! Reading a secret (a passphrase, a PIN) from the person at the terminal:
//! without echo when stdin is a terminal, else one line of stdin (for
//! scripts and tests). What is typed is zeroized when dropped.

use std::io::{BufRead, IsTerminal};
use zeroize::Zeroizing;

/// Reads a secret after printing `prompt` on stderr.
///
/// # Errors
/// Ctrl-C or Ctrl-D at the prompt ("cancelled"), or a terminal or stdin
/// that cannot be read.
pub fn read(prompt: &str) -> anyhow::Result<Zeroizing<String>> {
    use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
    eprint!("{prompt}");
    let mut text = Zeroizing::new(String::new());
    if !std::io::stdin().is_terminal() {
        std::io::stdin().lock().read_line(&mut text)?;
        let trimmed = text.trim_end_matches(['\r', '\n']).len();
        text.truncate(trimmed);
        eprintln!();
        return Ok(text);
    }
    crossterm::terminal::enable_raw_mode()?;
    let read = (|| -> anyhow::Result<bool> {
        loop {
            if let Event::Key(key) = event::read()? {
                if key.kind == KeyEventKind::Release {
                    continue;
                }
                match key.code {
                    KeyCode::Enter => return Ok(true),
                    KeyCode::Backspace => {
                        text.pop();
                    }
                    KeyCode::Char('c' | 'd') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                        return Ok(false);
                    }
                    KeyCode::Char(c) => text.push(c),
                    _ => {}
                }
            }
        }
    })();
    let _ = crossterm::terminal::disable_raw_mode();
    eprintln!();
    if !read? {
        anyhow::bail!("cancelled");
    }
    Ok(text)
}

/// Reads a new secret twice; `None` when the two differ.
///
/// # Errors
/// As [`read`].
pub fn read_twice(prompt: &str, again: &str) -> anyhow::Result<Option<Zeroizing<String>>> {
    let first = read(prompt)?;
    let second = read(again)?;
    Ok((*first == *second).then_some(first))
}
