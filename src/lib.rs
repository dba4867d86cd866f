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
//! The core modules (`bank`, `attempt`, `scoring`, `credential`) take time,
//! randomness and bytes as parameters. The edges touch the terminal, the
//! clock and the disk: `cli`, `terminal` (the runtime of the full-screen
//! front ends), `tui`, `plain`, `kiosk`'s station loop, `launch`, `store`,
//! `issuing`, `atomic`, and `input`, through which every file a user names
//! is read (regular files only, never past a limit); `online` is the only
//! module that touches the network (HTTPS, when the user asks). `present`
//! holds what every front end says in the same words; `share` makes what a
//! learner shares of a credential (baked badges, a certificate, a LinkedIn
//! link), from its bytes. `tests/layering.rs`
//! checks that the arrows point down.

pub mod atomic;
pub mod attempt;
pub mod bank;
pub mod cli;
pub mod credential;
pub mod input;
pub mod issuing;
pub mod kiosk;
pub mod launch;
pub mod online;
pub mod plain;
pub mod present;
pub mod scoring;
pub mod share;
pub mod store;
pub mod terminal;
pub mod tui;
