//! What the store's unit tests share: the demo exam, taken through the
//! store as the edges take it.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a failed test

use super::sqlite::Db;
use crate::attempt::journal::{self, Entry};
use crate::attempt::{Command, Learner, Options, Session};
use crate::bank::Exam;
use chrono::{DateTime, Utc};

/// The demo exam of `exams/`.
pub fn demo() -> Exam {
    crate::bank::load_str(include_str!("../../exams/demo.toml"))
        .exam
        .unwrap()
}

/// A sink that writes to the store and scores at the hand-in, as the
/// edges' sink does.
pub struct Rows<'d> {
    db: &'d mut Db,
    attempt: String,
    exam: &'d Exam,
}

impl journal::Sink for Rows<'_> {
    fn append(&mut self, line: &[u8]) -> std::io::Result<()> {
        self.db
            .append_line(&self.attempt, line, Some(self.exam))
            .map_err(std::io::Error::other)
    }
}

/// `secs` seconds after a fixed instant (2027-01-15 08:00 UTC).
pub fn t(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap()
}

/// `name` takes the demo from `t(at)`: `commands`, then the hand-in.
pub fn take(db: &mut Db, exam: &Exam, id: &str, name: &str, at: i64, commands: &[Command]) {
    let learner = Learner {
        email: None,
        name: name.into(),
        id: None,
    };
    let header =
        crate::attempt::Attempt::start(exam, 4, learner.clone(), t(at), Options::default())
            .header()
            .clone();
    let mut first = journal::Writer::new(Vec::new());
    first.append(t(at), Entry::Start(header.clone())).unwrap();
    let key = format!("name:{}", crate::attempt::learner::normalise(name).unwrap());
    db.start_attempt(exam, &key, &header, id, first.sink(), Some("Salle 2"))
        .unwrap();
    let sink = Rows {
        db,
        attempt: id.into(),
        exam,
    };
    let mut s = Session::start(exam, 4, learner, t(at), Options::default(), sink).unwrap();
    for (i, c) in commands.iter().chain([&Command::Submit]).enumerate() {
        s.apply(exam, c, t(at + 1 + i as i64)).unwrap();
    }
}
