//! brevet: proctored, timed exams in the terminal, and signed micro-credentials.
//!
//! The data flows in one direction:
//!
//! 1. [`bank`] reads an exam bank (TOML) into a validated [`bank::Exam`], with
//!    rustc-style diagnostics for authors;
//! 2. the attempt engine draws a paper from a seed and applies the learner's
//!    commands, journaling each one;
//! 3. scoring turns the answers into a result per section and a mastery verdict;
//! 4. on mastery, the credential module issues a signed Open Badges 3.0 credential.
//!
//! The core modules take time, randomness and bytes as parameters; only the
//! command-line edges (`cli`) touch the terminal, the clock and the disk.

pub mod attempt;
pub mod bank;
pub mod cli;
pub mod credential;
pub mod input;
pub mod issuing;
pub mod kiosk;
pub mod launch;
pub mod plain;
pub mod scoring;
pub mod store;
pub mod tui;
