//! The store's logic on both engines: every scenario runs on the embedded
//! store (SQLite) and on a real PostgreSQL server that the test starts from
//! the machine's binaries (a database of its own per scenario).
#![allow(clippy::unwrap_used)]

#[path = "support/pg.rs"]
mod pg;

use brevet::attempt::journal::{self, Entry, Writer};
use brevet::attempt::{Attempt, Command, Header, Learner, Options, Response, Session};
use brevet::bank::Exam;
use brevet::store::attempts::StartError;
use brevet::store::postgres::Target;
use brevet::store::results::ResultFilter;
use brevet::store::sqlite::Db;
use chrono::{DateTime, Utc};

/// A scenario: what it checks, run on a fresh store made by `open` (which
/// may be called again for more connections to the same store).
type Scenario = fn(&dyn Fn() -> Db);

const SCENARIOS: &[(&str, Scenario)] = &[
    ("the schema is made once", schema_once),
    ("the attempt rules hold", rules_hold),
    ("concurrent starts take one attempt", concurrent_starts),
    ("a journal reads back byte for byte", journal_round_trip),
    ("the hand-in records the result", hand_in_result),
    ("credentials are recorded and found", credentials),
    ("a move is written without its own sync", lazy_move),
    ("a whole store checks clean", check_clean),
    ("a room's events are kept in order", events),
    ("a journal file is imported once", import_once),
];

fn exam(max_attempts: Option<u32>) -> Exam {
    let mut exam = brevet::bank::load_str(include_str!("../exams/demo.toml"))
        .exam
        .unwrap();
    exam.rules.max_attempts = max_attempts;
    exam
}

fn t(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap()
}

fn header(exam: &Exam, name: &str, at: DateTime<Utc>) -> Header {
    let learner = Learner {
        email: None,
        name: name.into(),
        id: None,
    };
    Attempt::start(exam, 4, learner, at, Options::default())
        .header()
        .clone()
}

fn start_line(h: &Header) -> Vec<u8> {
    let mut w = Writer::new(Vec::new());
    w.append(h.started_at, Entry::Start(h.clone())).unwrap();
    w.sink().clone()
}

fn start(db: &mut Db, exam: &Exam, key: &str, id: &str, at: i64) -> Result<u32, StartError> {
    let h = header(exam, "Ada Lovelace", t(at));
    db.start_attempt(exam, key, &h, id, &start_line(&h), Some("Salle 2"))
        .map(|row| row.number)
}

/// A sink into the store that scores at the hand-in, as the edges' sink.
struct Rows<'d> {
    db: &'d mut Db,
    id: String,
    exam: &'d Exam,
}

impl journal::Sink for Rows<'_> {
    fn append(&mut self, line: &[u8]) -> std::io::Result<()> {
        self.db
            .append_line(&self.id, line, Some(self.exam))
            .map_err(std::io::Error::other)
    }

    fn defer(&mut self, line: &[u8]) -> std::io::Result<()> {
        self.db
            .append_line_lazily(&self.id, line)
            .map_err(std::io::Error::other)
    }
}

/// `name` takes the demo: one right answer (or none), a move, the hand-in.
fn take(db: &mut Db, exam: &Exam, id: &str, name: &str, at: i64, answer: bool) {
    let h = header(exam, name, t(at));
    let key = format!(
        "name:{}",
        brevet::attempt::learner::normalise(name).unwrap()
    );
    db.start_attempt(exam, &key, &h, id, &start_line(&h), Some("Salle 2"))
        .unwrap();
    let sink = Rows {
        db,
        id: id.into(),
        exam,
    };
    let mut s = Session::start(exam, 4, h.learner, t(at), Options::default(), sink).unwrap();
    let mut commands = Vec::new();
    if answer {
        commands.push(Command::Answer {
            item: 0,
            response: Response::Bool(true),
        });
    }
    commands.extend([Command::Next, Command::Submit]);
    for (i, c) in commands.iter().enumerate() {
        s.apply(exam, c, t(at + 1 + i as i64)).unwrap();
    }
}

fn schema_once(open: &dyn Fn() -> Db) {
    let mut a = open();
    let mut b = open();
    let latest = brevet::store::schema::LATEST;
    assert_eq!(a.version().unwrap(), latest);
    assert_eq!(b.version().unwrap(), latest);
}

fn rules_hold(open: &dyn Fn() -> Db) {
    let mut db = open();
    let exam = exam(Some(2));
    assert_eq!(start(&mut db, &exam, "k", "a1", 0).unwrap(), 1);
    // Open: resumed, never doubled.
    assert!(matches!(
        start(&mut db, &exam, "k", "a2", 10),
        Err(StartError::StillOpen)
    ));
    take_over(&mut db, "a1");
    assert_eq!(start(&mut db, &exam, "k", "a2", 20).unwrap(), 2);
    take_over(&mut db, "a2");
    assert!(matches!(
        start(&mut db, &exam, "k", "a3", 30),
        Err(StartError::Refused(_))
    ));
    let rows = db.attempts(&exam.meta.id, "k").unwrap();
    assert_eq!(rows.len(), 2);
}

/// Marks an attempt handed in, as its last journal line would.
fn take_over(db: &mut Db, id: &str) {
    let bytes = db.journal_bytes(id).unwrap();
    let read = journal::read(&bytes).unwrap();
    let mut w = Writer::resume(Vec::new(), &read);
    let at = read.records.last().unwrap().at;
    w.append(
        at,
        Entry::Event {
            event: brevet::attempt::Event::Submitted {
                reason: brevet::attempt::SubmitReason::Learner,
            },
        },
    )
    .unwrap();
    db.append_line(id, w.sink(), None).unwrap();
}

fn concurrent_starts(open: &dyn Fn() -> Db) {
    let exam = exam(Some(1));
    let mut dbs: Vec<Db> = (0..6).map(|_| open()).collect();
    let started: Vec<bool> = std::thread::scope(|s| {
        let handles: Vec<_> = dbs
            .iter_mut()
            .enumerate()
            .map(|(i, db)| {
                let exam = &exam;
                s.spawn(move || start(db, exam, "k", &format!("a{i}"), 0).is_ok())
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(started.iter().filter(|ok| **ok).count(), 1, "{started:?}");
}

fn journal_round_trip(open: &dyn Fn() -> Db) {
    let mut db = open();
    let exam = exam(None);
    take(&mut db, &exam, "a1", "Ada Lovelace", 0, true);
    let bytes = db.journal_bytes("a1").unwrap();
    let read = journal::read(&bytes).unwrap();
    assert_eq!(read.valid_len, bytes.len());
    assert!(db.ends_with_hand_in("a1").unwrap());
    // The same line again is kept once; another at its place is refused.
    let last: &[u8] = bytes.split_inclusive(|&b| b == b'\n').next_back().unwrap();
    db.append_line("a1", last, None).unwrap();
    assert_eq!(db.journal_bytes("a1").unwrap(), bytes);
    let mut other = last.to_vec();
    other[0] = if other[0] == b'0' { b'1' } else { b'0' };
    let e = db.append_line("a1", &other, None).unwrap_err().to_string();
    assert!(e.contains("open elsewhere"), "{e}");
}

fn hand_in_result(open: &dyn Fn() -> Db) {
    let mut db = open();
    let exam = exam(None);
    take(&mut db, &exam, "a1", "Ada Lovelace", 0, true);
    take(&mut db, &exam, "a2", "Alan Turing", 100, false);
    let all = db.results(&ResultFilter::default()).unwrap();
    let names: Vec<&str> = all.iter().map(|r| r.learner.as_str()).collect();
    assert_eq!(names, ["Ada Lovelace", "Alan Turing"]);
    assert!(all[0].score > 0.0 && all[1].score == 0.0, "{all:?}");
    assert_eq!(all[0].room.as_deref(), Some("Salle 2"));
    assert_eq!(all[0].reason, "learner");
    let alan = db
        .results(&ResultFilter {
            learner: brevet::attempt::learner::normalise("ALAN turing").ok(),
            from: Some(t(50)),
            room: Some("Salle 2".into()),
            ..ResultFilter::default()
        })
        .unwrap();
    assert_eq!(alan.len(), 1);
    assert!(
        db.unscored(&brevet::attempt::bank_hash(&exam))
            .unwrap()
            .is_empty()
    );
}

fn credentials(open: &dyn Fn() -> Db) {
    let mut db = open();
    let exam = exam(None);
    take(&mut db, &exam, "a1", "Ada Lovelace", 0, true);
    take(&mut db, &exam, "a2", "Alan Turing", 100, false);
    let key = "name:ada lovelace";
    assert_eq!(
        db.submitted_without_credential(&exam.meta.id, key).unwrap(),
        ["a1"]
    );
    db.record_credential(&brevet::store::credentials::NewCredential {
        credential_id: "urn:uuid:1",
        attempt_id: "a1",
        issuer_did: "did:key:z",
        issued_at: t(5),
        bytes: b"{}",
        out_dir: std::path::Path::new("/out"),
    })
    .unwrap();
    let unwritten = db.unwritten_credentials(&exam.meta.id, key).unwrap();
    assert_eq!(unwritten.len(), 1);
    assert_eq!(unwritten[0].bytes, b"{}");
    assert_eq!(unwritten[0].issued_at, t(5));
    db.credential_written("urn:uuid:1", std::path::Path::new("/out/a.json"), t(6))
        .unwrap();
    assert!(
        db.unwritten_credentials(&exam.meta.id, key)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        db.credential_file("a1").unwrap().unwrap(),
        std::path::Path::new("/out/a.json")
    );
    let listed = db.results(&ResultFilter::default()).unwrap();
    assert_eq!(listed[0].credential.as_deref(), Some("/out/a.json"));
    // One credential per attempt.
    assert!(
        db.record_credential(&brevet::store::credentials::NewCredential {
            credential_id: "urn:uuid:2",
            attempt_id: "a1",
            issuer_did: "did:key:z",
            issued_at: t(7),
            bytes: b"{}",
            out_dir: std::path::Path::new("/out"),
        })
        .is_err()
    );
}

fn lazy_move(open: &dyn Fn() -> Db) {
    let mut db = open();
    let exam = exam(None);
    let h = header(&exam, "Ada Lovelace", t(0));
    db.start_attempt(&exam, "k", &h, "a1", &start_line(&h), None)
        .unwrap();
    let mut w = Writer::new(Vec::new());
    w.append(t(0), Entry::Start(h)).unwrap();
    w.append(
        t(1),
        Entry::Event {
            event: brevet::attempt::Event::Moved { to: 1 },
        },
    )
    .unwrap();
    let line = w
        .sink()
        .split_inclusive(|&b| b == b'\n')
        .next_back()
        .unwrap();
    db.append_line_lazily("a1", line).unwrap();
    // Seen by another connection at once.
    let mut other = open();
    assert_eq!(other.journal_bytes("a1").unwrap(), *w.sink());
}

fn check_clean(open: &dyn Fn() -> Db) {
    let mut db = open();
    let exam = exam(None);
    take(&mut db, &exam, "a1", "Ada Lovelace", 0, true);
    let mut found = Vec::new();
    let checked = db.check(&mut |f| found.push(f)).unwrap();
    assert_eq!(found, []);
    assert_eq!(checked.attempts, 1);
}

fn events(open: &dyn Fn() -> Db) {
    use brevet::store::events::NewEvent;
    let mut db = open();
    let event = |secs: i64, station: &str, kind: &str| NewEvent {
        at: t(secs),
        room: "Salle 2".into(),
        station: station.into(),
        kind: kind.into(),
        line: format!("{{\"kind\":\"{kind}\",\"at\":{secs}}}"),
    };
    for e in [
        event(2, "pc-1", "pin_wrong"),
        event(1, "pc-1", "kiosk_started"),
        event(3, "pc-2", "kiosk_started"),
    ] {
        db.record_event(&e).unwrap();
    }
    let kinds = |db: &mut Db, station: Option<&str>, after: Option<i64>| -> Vec<String> {
        db.events("Salle 2", station, after)
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect()
    };
    assert_eq!(
        kinds(&mut db, None, None),
        ["kiosk_started", "pin_wrong", "kiosk_started"]
    );
    assert_eq!(
        kinds(&mut db, Some("pc-1"), None),
        ["kiosk_started", "pin_wrong"]
    );
    let after = Some(t(1).timestamp_micros());
    assert_eq!(kinds(&mut db, Some("pc-1"), after), ["pin_wrong"]);
    assert!(db.events("Salle 3", None, None).unwrap().is_empty());
    // An earlier version's log file, imported once.
    let old = [event(0, "pc-1", "pin_wrong")];
    assert!(
        db.import_events("kiosk-log:pc-1:/r/kiosk-log.jsonl", b"x", &old)
            .unwrap()
    );
    assert!(
        !db.import_events("kiosk-log:pc-1:/r/kiosk-log.jsonl", b"x", &old)
            .unwrap()
    );
    assert_eq!(kinds(&mut db, Some("pc-1"), None).len(), 3);
    let mut found = Vec::new();
    db.check(&mut |f| found.push(f)).unwrap();
    assert_eq!(found, [], "an imported log is not a failed import");
}

fn import_once(open: &dyn Fn() -> Db) {
    let mut db = open();
    let exam = exam(None);
    let h = header(&exam, "Grace Hopper", t(0));
    let bytes = start_line(&h);
    let lines: Vec<&[u8]> = vec![&bytes];
    for (source, id) in [
        ("journals/demo/x/attempt-1.journal", "i1"),
        ("pc-1:/srv/data/journals/demo/x/attempt-1.journal", "i2"),
    ] {
        db.import_attempt((source, &bytes), id, "name:grace hopper", &h, &lines, false)
            .unwrap();
    }
    let rows = db.attempts(&exam.meta.id, "name:grace hopper").unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
}

#[test]
fn every_scenario_on_sqlite() {
    for (name, scenario) in SCENARIOS {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("brevet.db");
        eprintln!("sqlite: {name}");
        scenario(&|| Db::open(&path, "test", 0).unwrap());
    }
}

#[test]
fn every_scenario_on_postgresql() {
    let Some(server) = pg::Pg::start() else {
        return;
    };
    for (i, (name, scenario)) in SCENARIOS.iter().enumerate() {
        let address = server.database(&format!("scenario_{i}"));
        eprintln!("postgresql: {name}");
        let target = Target::new(&address, None).unwrap();
        scenario(&|| Db::open_postgres(&target, "test", 0).unwrap());
    }
}

#[test]
fn a_server_that_goes_away_loses_nothing_confirmed() {
    let Some(server) = pg::Pg::start() else {
        return;
    };
    let target = Target::new(&server.database("going_away"), None).unwrap();
    let mut db = Db::open_postgres(&target, "test", 0).unwrap();
    let exam = exam(None);
    let h = header(&exam, "Ada Lovelace", t(0));
    db.start_attempt(&exam, "k", &h, "a1", &start_line(&h), None)
        .unwrap();
    let mut w = Writer::new(Vec::new());
    w.append(t(0), Entry::Start(h)).unwrap();
    let answer = |w: &mut Writer<Vec<u8>>, item: usize| -> Vec<u8> {
        let before = w.sink().len();
        w.append(
            t(1 + item as i64),
            Entry::Event {
                event: brevet::attempt::Event::Answered {
                    item,
                    response: Response::Bool(true),
                },
            },
        )
        .unwrap();
        w.sink()[before..].to_vec()
    };
    let first = answer(&mut w, 0);
    db.append_line("a1", &first, None).unwrap();

    // Gone for a moment (a restart, a cable): the next answer waits for it
    // and is saved once, with nothing lost.
    server.crash();
    let second = answer(&mut w, 1);
    std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(std::time::Duration::from_secs(2));
            server.resume();
        });
        db.append_line("a1", &second, None).unwrap();
    });
    assert_eq!(db.journal_bytes("a1").unwrap(), *w.sink());

    // Gone for good: the answer is refused (so not shown as saved), and the
    // message says what happened.
    server.crash();
    let third = answer(&mut w, 2);
    let e = db.append_line("a1", &third, None).unwrap_err().to_string();
    assert!(e.contains("cannot reach the store"), "{e}");
    assert!(e.contains("postgresql://postgres@"), "names the store: {e}");
    // Back: everything confirmed is there, the refused answer is not.
    server.resume();
    let mut again = Db::open_postgres(&target, "test", 0).unwrap();
    let bytes = again.journal_bytes("a1").unwrap();
    let read = journal::read(&bytes).unwrap();
    assert_eq!(read.records.len(), 3, "start and two answers");
}

#[test]
fn learners_on_two_machines_share_one_limit_through_the_server() {
    let Some(server) = pg::Pg::start() else {
        return;
    };
    let address = server.database("room");
    let work = tempfile::tempdir().unwrap();
    let bank = work.path().join("once.toml");
    std::fs::write(
        &bank,
        include_str!("../exams/demo.toml").replace("[rules]\n", "[rules]\nmax_attempts = 1\n"),
    )
    .unwrap();
    // Two machines: two data folders, one store.
    let brevet = |machine: &str, args: &[&str], input: &str| {
        let out = assert_cmd::Command::cargo_bin("brevet")
            .unwrap()
            .args(args)
            .arg("--data")
            .arg(work.path().join(machine))
            .env("BREVET_STORE", &address)
            .env_remove("BREVET_STORE_PASSWORD")
            .current_dir(work.path())
            .write_stdin(input)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let bank = bank.to_str().unwrap();
    let run = ["run", bank, "--plain", "--seed", "4", "--learner"];
    let (code, out, err) = brevet(
        "one",
        &[&run[..], &["Ada Lovelace"]].concat(),
        "\n1\n1\n3\n2 3\nexpiry\n4.5\nyes\n",
    );
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("PASSED"), "{out}");
    // The other machine, the name typed otherwise: no second attempt.
    let (code, out, err) = brevet("two", &[&run[..], &["ADA  lovelace"]].concat(), "\n");
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(err.contains("attempt"), "{err}");
    // Results from either machine.
    let (code, out, err) = brevet("two", &["results", "--csv"], "");
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.contains("\"Ada Lovelace\""), "{out}");
    let (code, out, _) = brevet("one", &["store", "check"], "");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("no problem found"), "{out}");
}
