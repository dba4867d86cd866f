//! `brevet run` as a learner uses it: the real binary in a pseudo-terminal,
//! and the plain mode through a pipe.
#![allow(clippy::unwrap_used)]

#[path = "support/store.rs"]
mod store;

use assert_cmd::cargo::cargo_bin;
use rexpect::session::{PtySession, spawn_command};
use std::process::Command;

/// A pattern for `text` as a terminal shows it: ratatui moves the cursor over
/// blank cells instead of writing spaces, so words may be separated by
/// cursor-movement sequences.
fn loose(text: &str) -> String {
    text.split(' ')
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join(r"(?:\s|\x1b\[[0-9;?]*[A-Za-z])+")
}

/// Waits until the screen shows `text`.
fn see(p: &mut PtySession, text: &str) {
    if let Err(e) = p.exp_regex(&loose(text)) {
        panic!("did not see {text:?}: {e}");
    }
}

/// Types `keys` (rexpect buffers input until flushed).
fn key(p: &mut PtySession, keys: &str) {
    p.send(keys).unwrap();
    p.flush().unwrap();
}

/// Waits (up to 20 s) until some journal record in the store of `data`
/// contains `needle`.
fn wait_for_journal(data: &std::path::Path, needle: &str) {
    for _ in 0..2000 {
        if store::journals(data).contains(needle) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("no journal recorded {needle}");
}

/// Runs the demo with seed 4 through a pipe (plain mode), with journals and
/// credentials in `data`; returns what it printed.
fn plain(data: &std::path::Path, args: &[&str], input: &str) -> String {
    let out = assert_cmd::Command::cargo_bin("brevet")
        .unwrap()
        .args(["run", &demo(), "--seed", "4"])
        .args(args)
        .arg("--data")
        .arg(data)
        .arg("--out")
        .arg(data)
        .write_stdin(input)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

fn demo() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/exams/demo.toml").to_string()
}

/// `brevet run BANK` in the plain mode, in English, with seed 4, as
/// `learner`, its store and credentials in `data`, `input` on stdin: what
/// it wrote on stdout, then on stderr, whatever its exit.
fn plain_as(bank: &std::path::Path, learner: &str, data: &std::path::Path, input: &str) -> String {
    let out = assert_cmd::Command::cargo_bin("brevet")
        .unwrap()
        .args(["run", bank.to_str().unwrap(), "--seed", "4", "--lang", "en"])
        .args(["--plain", "--learner", learner])
        .arg("--data")
        .arg(data)
        .arg("--out")
        .arg(data)
        .write_stdin(input.to_owned())
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap()
}

fn tui(data: &std::path::Path, extra: &[&str]) -> PtySession {
    tui_seeded(data, "3", extra)
}

/// The demo in the terminal, drawn with `seed`.
fn tui_seeded(data: &std::path::Path, seed: &str, extra: &[&str]) -> PtySession {
    // A new pseudo-terminal has no size: give it 80x24 before brevet starts.
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "stty cols 80 rows 24 && exec \"$0\" \"$@\""])
        .arg(cargo_bin("brevet"))
        .args(["run", &demo(), "--seed", seed, "--lang", "en", "--data"])
        .arg(data)
        .arg("--out")
        .arg(data)
        .args(extra)
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1");
    spawn_command(cmd, Some(20_000)).unwrap()
}

#[test]
fn a_learner_goes_from_identification_to_the_result_in_a_terminal() {
    let data = tempfile::tempdir().unwrap();
    let mut p = tui(data.path(), &[]);
    see(&mut p, "Who is taking the exam?");
    key(&mut p, "Ada Lovelace");
    key(&mut p, "\r");
    see(&mut p, "Before you start");
    key(&mut p, "\r");
    see(&mut p, "Question 1 of 6");
    key(&mut p, "1");
    key(&mut p, "f");
    see(&mut p, "flagged");
    key(&mut p, "r");
    see(&mut p, "Review");
    key(&mut p, "s");
    see(&mut p, "Submit your answers?");
    key(&mut p, "y");
    see(&mut p, "Result");
    key(&mut p, "q");
    see(&mut p, "NOT PASSED");
    p.exp_eof().unwrap();
}

#[test]
fn killing_the_process_mid_exam_and_running_again_resumes() {
    let data = tempfile::tempdir().unwrap();
    let mut p = tui(data.path(), &["--learner", "Grace Hopper"]);
    see(&mut p, "Before you start");
    key(&mut p, "\r");
    see(&mut p, "Question 1 of 6");
    key(&mut p, "2");
    key(&mut p, "n");
    // The screen is redrawn cell by cell; the journal says when the move is
    // on disk, which is what a kill must not lose.
    wait_for_journal(data.path(), r#""type":"moved""#);
    p.process_mut()
        .kill(rexpect::process::Signal::SIGKILL)
        .unwrap();
    drop(p);

    let mut again = tui(data.path(), &["--learner", "grace  hopper"]);
    see(&mut again, "interrupted");
    key(&mut again, "\r");
    see(&mut again, "Question 2 of 6");
    see(&mut again, "1/6 answered");
    // SIGTERM leaves cleanly, answers saved.
    again
        .process_mut()
        .signal(rexpect::process::Signal::SIGTERM)
        .unwrap();
    see(&mut again, "Answers saved");
    again.exp_eof().unwrap();
}

#[test]
fn the_plain_mode_takes_a_whole_exam_through_a_pipe() {
    let data = tempfile::tempdir().unwrap();
    // With seed 4 the paper is: true-false, true-false, single (3rd right),
    // multiple (2 and 3 right), text, numeric range.
    let input = "Ada Lovelace\n\n\n\n1\n1\n3\n2 3\nexpiry\n4.5\nyes\n";
    let text = plain(data.path(), &["--lang", "en"], input);
    assert!(text.contains("Question 6 of 6"), "{text}");
    assert!(text.contains("== Result: PASSED =="), "{text}");
    assert!(text.contains("Score: 100 % (required 60 %)"), "{text}");
    assert!(
        text.contains("  File sizes: 100 % (minimum 50 %) ✓"),
        "{text}"
    );
    // A section without a minimum is neither met nor missed.
    assert!(text.contains("  Sharing files: 100 %\n"), "{text}");
}

#[test]
fn the_plain_mode_in_french_and_sequential_refusals() {
    let data = tempfile::tempdir().unwrap();
    let text = plain(
        data.path(),
        &["--lang", "fr", "--learner", "Marie Curie"],
        "\n:flag\n:time\n:goto 9\n:bogus\n:quit\n",
    );
    assert!(text.contains("Question 1 sur 6"), "{text}");
    assert!(text.contains("Enregistré."), "{text}");
    assert!(text.contains("restant"), "{text}");
    assert!(
        text.contains("Il n’y a pas de question dans cette direction."),
        "{text}"
    );
    assert!(text.contains("Commande inconnue"), "{text}");
    assert!(text.contains("Réponses enregistrées"), "{text}");
}

#[test]
fn every_stopping_signal_restores_the_terminal_and_says_so() {
    use rexpect::process::{Signal, WaitStatus};
    for (signal, status) in [
        (Signal::SIGINT, 130),
        (Signal::SIGUSR1, 138),
        (Signal::SIGALRM, 142),
        (Signal::SIGTTIN, 149),
    ] {
        let data = tempfile::tempdir().unwrap();
        let mut p = tui(data.path(), &["--learner", "Ada Lovelace"]);
        see(&mut p, "Before you start");
        p.process_mut().signal(signal).unwrap();
        // Bracketed paste and focus reporting off, the alternate screen
        // left, raw mode off, then one line that says why.
        for sequence in ["\x1b[?2004l", "\x1b[?1004l", "\x1b[?1049l"] {
            if let Err(e) = p.exp_string(sequence) {
                panic!("{signal}: no {sequence:?}: {e}");
            }
        }
        see(&mut p, &format!("stopped by {signal}."));
        see(&mut p, "Answers saved");
        p.exp_eof().unwrap();
        match p.process_mut().wait().unwrap() {
            WaitStatus::Exited(_, code) => assert_eq!(code, status, "{signal}"),
            other => panic!("{signal}: {other:?}"),
        }
    }
}

/// The pids of the processes whose command line contains `needle`.
#[cfg(target_os = "linux")]
fn processes_with(needle: &str) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let pid: u32 = e.file_name().to_str()?.parse().ok()?;
            let cmdline = std::fs::read(e.path().join("cmdline")).ok()?;
            String::from_utf8_lossy(&cmdline)
                .contains(needle)
                .then_some(pid)
        })
        .collect()
}

#[cfg(target_os = "linux")]
#[test]
fn a_lost_terminal_ends_the_session_at_once() {
    // brevet in a session of its own (no SIGHUP will come), then the
    // terminal closed under it, as when a tmux session is killed.
    let data = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "stty cols 80 rows 24 && exec setsid -w \"$0\" \"$@\""])
        .arg(cargo_bin("brevet"))
        .args(["run", &demo(), "--learner", "Ada", "--lang", "en", "--data"])
        .arg(data.path())
        .arg("--out")
        .arg(data.path())
        .env("TERM", "xterm-256color");
    let mut p = spawn_command(cmd, Some(20_000)).unwrap();
    see(&mut p, "Before you start");
    let needle = data.path().to_str().unwrap().to_owned();
    let brevet: Vec<u32> = processes_with(&needle)
        .into_iter()
        .filter(|pid| {
            std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe.ends_with("brevet"))
        })
        .collect();
    assert_eq!(brevet.len(), 1, "{brevet:?}");
    // Closing the terminal: `setsid` is stopped and the pseudo-terminal's
    // other end closed with it.
    drop(p);
    let alive = || std::path::Path::new(&format!("/proc/{}", brevet[0])).exists();
    for _ in 0..100 {
        if !alive() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("brevet still runs 5 s after its terminal was closed");
}

#[test]
fn a_handed_in_attempt_whose_journal_lost_its_end_is_not_reopened() {
    let data = tempfile::tempdir().unwrap();
    let input = "\n1\n1\n3\n2 3\nexpiry\n4.5\nyes\n";
    let text = plain(data.path(), &["--learner", "Ada Lovelace"], input);
    assert!(text.contains("== Result: PASSED =="), "{text}");
    // The last record (the hand-in) removed from the store.
    store::drop_last_records(data.path());
    let out = assert_cmd::Command::cargo_bin("brevet")
        .unwrap()
        .args(["run", &demo(), "--seed", "4", "--learner", "Ada Lovelace"])
        .arg("--data")
        .arg(data.path())
        .arg("--out")
        .arg(data.path())
        .write_stdin("\n")
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("this attempt was handed in") && stderr.contains("cut or removed"),
        "{stderr}"
    );
    assert!(!String::from_utf8(out.stdout).unwrap().contains("Question"));
}

#[test]
fn a_learner_name_that_mixes_alphabets_is_refused_before_anything_starts() {
    let data = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("brevet")
        .unwrap()
        .args(["run", &demo(), "--learner", "\u{0430}da Lovelace", "--data"])
        .arg(data.path())
        .write_stdin("\n")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "mixes letters of several alphabets",
        ));
    assert!(!data.path().join("brevet.db").exists());
}

/// The demo with one attempt allowed, written into `dir`.
fn one_attempt_demo(dir: &std::path::Path) -> String {
    let text = std::fs::read_to_string(demo())
        .unwrap()
        .replace("[rules]\n", "[rules]\nmax_attempts = 1\n");
    let path = dir.join("demo-once.toml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn one_allowed_attempt_is_one_however_the_name_or_id_is_typed() {
    let data = tempfile::tempdir().unwrap();
    let bank = one_attempt_demo(data.path());
    let run = |learner: &str, id: Option<&str>| {
        let mut cmd = assert_cmd::Command::cargo_bin("brevet").unwrap();
        cmd.args(["run", &bank, "--seed", "4", "--learner", learner]);
        if let Some(id) = id {
            cmd.args(["--learner-id", id]);
        }
        cmd.arg("--data")
            .arg(data.path())
            .arg("--out")
            .arg(data.path())
            .write_stdin("\n1\n1\n3\n2 3\nexpiry\n4.5\nyes\n")
            .output()
            .unwrap()
    };
    let first = run("Ada Lovelace", None);
    assert!(String::from_utf8_lossy(&first.stdout).contains("== Result: PASSED =="));
    for (name, id) in [
        ("Ada Lovelace", None),
        ("ADA  lovelace", None),
        ("Ada Lovelace\u{200B}", None),
        ("Ada Lovelace", Some("other-id")),
    ] {
        let again = run(name, id);
        let stderr = String::from_utf8_lossy(&again.stderr);
        let stdout = String::from_utf8_lossy(&again.stdout);
        assert_eq!(again.status.code(), Some(1));
        // Said before anything starts, with the last result and where its
        // credential is.
        assert_eq!(
            stderr.trim(),
            "brevet: Every attempt this exam allows has been used.",
            "{name:?} {id:?}"
        );
        assert!(
            stdout.starts_with("Your last attempt: PASSED · Score: 100 %")
                && stdout.contains("Your credential was saved to")
                && !stdout.contains("Question"),
            "{name:?} {id:?}: {stdout}"
        );
    }
}

#[test]
fn a_learner_who_identifies_in_the_dialogue_is_told_before_the_instructions() {
    let data = tempfile::tempdir().unwrap();
    let bank = one_attempt_demo(data.path());
    let run = |input: &str| {
        assert_cmd::Command::cargo_bin("brevet")
            .unwrap()
            .args(["run", &bank, "--seed", "4", "--lang", "en", "--plain"])
            .arg("--data")
            .arg(data.path())
            .arg("--out")
            .arg(data.path())
            .write_stdin(input)
            .output()
            .unwrap()
    };
    let first = run("Ada Lovelace\n\n\n\n1\n1\n3\n2 3\nexpiry\n4.5\nyes\n");
    assert!(String::from_utf8_lossy(&first.stdout).contains("PASSED"));
    let again = String::from_utf8(run("ada lovelace\n\n\n\n").stdout).unwrap();
    assert!(
        again.contains("Every attempt this exam allows has been used.")
            && again.contains("Your last attempt: PASSED")
            && !again.contains("Press Enter to start"),
        "{again}"
    );
}

/// A journal file in `data` as earlier versions wrote it: Grace Hopper's
/// attempt at the demo (seed 4), the first question answered right, then
/// `then`. Its path.
fn earlier_journal(
    data: &std::path::Path,
    then: &[brevet::attempt::Command],
) -> std::path::PathBuf {
    use brevet::attempt::{Command, Learner, Options, Response, Session};
    let exam = brevet::bank::load_str(&std::fs::read_to_string(demo()).unwrap())
        .exam
        .unwrap();
    let learner = Learner {
        email: None,
        name: "Grace Hopper".into(),
        id: None,
    };
    let (path, sink) = brevet::store::DataDir::at(data)
        .new_journal(&exam.meta.id, &learner, 1)
        .unwrap();
    let now = chrono::Utc::now();
    let mut session = Session::start(&exam, 4, learner, now, Options::default(), sink).unwrap();
    let answer = Command::Answer {
        item: 0,
        response: Response::Bool(true),
    };
    for c in std::iter::once(&answer).chain(then) {
        session.apply(&exam, c, now).unwrap();
    }
    path
}

#[test]
fn journals_of_an_earlier_version_are_imported_and_resumed() {
    let data = tempfile::tempdir().unwrap();
    // An interrupted attempt as earlier versions wrote it: a journal file.
    let path = earlier_journal(data.path(), &[]);
    let before = std::fs::read(&path).unwrap();
    let resume = || {
        assert_cmd::Command::cargo_bin("brevet")
            .unwrap()
            .args(["run", &demo(), "--learner", "grace hopper", "--lang", "en"])
            .arg("--data")
            .arg(data.path())
            .write_stdin("\n")
            .output()
            .unwrap()
    };
    let out = String::from_utf8(resume().stdout).unwrap();
    assert!(out.contains("Press Enter to continue."), "{out}");
    assert!(out.contains("Your answer: True"), "{out}");
    // The file is left as it was; the store has it once.
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let out = String::from_utf8(resume().stdout).unwrap();
    assert!(out.contains("Your answer: True"), "{out}");
    assert_eq!(store::journals(data.path()).matches("\"start\"").count(), 1);
}

#[test]
fn a_handed_in_journal_of_an_earlier_version_gets_its_result_at_the_next_run() {
    let data = tempfile::tempdir().unwrap();
    earlier_journal(data.path(), &[brevet::attempt::Command::Submit]);
    let brevet = |args: &[&str]| {
        let out = assert_cmd::Command::cargo_bin("brevet")
            .unwrap()
            .args(args)
            .arg("--data")
            .arg(data.path())
            .write_stdin("")
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    // Another learner opens the exam: the bank is at hand, the imported
    // attempt is scored.
    brevet(&["run", &demo(), "--learner", "Alan Turing", "--plain"]);
    let rows: serde_json::Value = serde_json::from_str(&brevet(&["results", "--json"])).unwrap();
    let grace = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["learner"] == "Grace Hopper")
        .unwrap_or_else(|| panic!("{rows}"));
    assert_eq!(grace["reason"], "learner");
    assert!(grace["score"].as_f64().unwrap() > 0.0, "{grace}");
    assert_eq!(grace["passed"], false);
}

#[test]
fn a_credential_lost_after_the_hand_in_is_written_on_the_next_run() {
    let data = tempfile::tempdir().unwrap();
    let out = data.path().join("out");
    let input = "\n1\n1\n3\n2 3\nexpiry\n4.5\nyes\n";
    let run = || {
        assert_cmd::Command::cargo_bin("brevet")
            .unwrap()
            .args(["run", &demo(), "--seed", "4", "--learner", "Ada Lovelace"])
            .arg("--data")
            .arg(data.path())
            .arg("--out")
            .arg(&out)
            .write_stdin(input)
            .output()
            .unwrap()
    };
    // Every file written, sorted: the credential, then its badge.
    let all = || {
        let mut f: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        f.sort();
        f
    };
    let files = || {
        all()
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect::<Vec<_>>()
    };
    assert!(String::from_utf8_lossy(&run().stdout).contains("PASSED"));
    let first = files();
    assert_eq!(first.len(), 1);
    assert_eq!(
        all().len(),
        4,
        "the credential, its badge and its certificate"
    );
    let bytes = std::fs::read(&first[0]).unwrap();
    // Killed after the credential was recorded, before its files: the
    // same bytes are written on the next run, and the badge with them.
    for f in all() {
        std::fs::remove_file(f).unwrap();
    }
    store::execute(
        data.path(),
        "UPDATE credentials SET written_us = NULL, file_name = NULL;",
    );
    // The same command gives back the result and the credential, and
    // starts nothing.
    let given_back = || {
        let again = run();
        let stdout = String::from_utf8_lossy(&again.stdout).into_owned();
        assert!(again.status.success(), "{stdout}");
        assert!(
            stdout.contains("handed in before brevet stopped")
                && stdout.contains("Your last attempt: PASSED")
                && stdout.contains(&*out.to_string_lossy()),
            "{stdout}"
        );
        assert!(!stdout.contains("Question 1"), "{stdout}");
        // What the credential is for, right under where it is.
        let lines: Vec<&str> = stdout.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.starts_with("Your credential was saved to"))
            .unwrap_or_else(|| panic!("{stdout}"));
        assert!(lines[at + 1].starts_with("It is your signed"), "{stdout}");
    };
    given_back();
    let now = files();
    assert!(
        now.iter().any(|f| std::fs::read(f).unwrap() == bytes),
        "{now:?}"
    );
    assert_eq!(
        all().len(),
        4,
        "the badge and certificate written again: {:?}",
        all()
    );
    // Killed right after the hand-in, before anything was signed: the
    // passed attempt is issued on the next run.
    for f in all() {
        std::fs::remove_file(f).unwrap();
    }
    store::execute(data.path(), "DELETE FROM credentials;");
    given_back();
    assert!(
        files()
            .iter()
            .any(|f| std::fs::read_to_string(f).unwrap().contains("Ada Lovelace")),
        "{:?}",
        files()
    );
    assert_eq!(store::journals(data.path()).matches("\"start\"").count(), 1);
}

/// The plain result and review give whole prompts.
#[test]
fn the_plain_result_and_review_give_whole_prompts() {
    let data = tempfile::tempdir().unwrap();
    let bank = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/exams/spreadsheet-essentials.toml"
    );
    let output = assert_cmd::Command::cargo_bin("brevet")
        .unwrap()
        .args([
            "run",
            bank,
            "--seed",
            "3",
            "--lang",
            "en",
            "--plain",
            "--learner",
            "Ada Lovelace",
        ])
        .arg("--data")
        .arg(data.path())
        .arg("--out")
        .arg(data.path())
        .write_stdin("\n:review\n:submit\nyes\n")
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let exam = brevet::bank::load_str(&std::fs::read_to_string(bank).unwrap())
        .exam
        .unwrap();
    let mut checked = 0;
    for q in &exam.questions {
        let lines: Vec<&str> = q.prompt.trim().lines().map(str::trim).collect();
        if lines.len() < 2 || !text.contains(lines[0]) {
            continue;
        }
        // The review and the result: the whole prompt, its lines joined
        // again into one paragraph (a screen reader reads it in one go).
        let whole = lines.join(" ");
        assert!(
            text.matches(&whole).count() >= 2,
            "{whole:?} twice in:\n{text}"
        );
        checked += 1;
    }
    assert!(checked > 0, "no prompt of several lines drawn:\n{text}");
}

/// A failed result says whether, and when, the learner may try again.
#[test]
fn a_failed_result_says_whether_and_when_to_try_again() {
    let data = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(demo()).unwrap();
    let fail = |rules: &str, name: &str| {
        let path = data.path().join(format!("{name}.toml"));
        std::fs::write(
            &path,
            text.replace("[rules]\n", &format!("[rules]\n{rules}")),
        )
        .unwrap();
        plain_as(&path, name, data.path(), "\n:submit\nyes\n")
    };
    let out = fail("max_attempts = 3\n", "Ada");
    assert!(out.contains("NOT PASSED"), "{out}");
    assert!(
        out.contains("You may take the exam again now. Attempts left: 2"),
        "{out}"
    );
    let out = fail("max_attempts = 1\n", "Grace");
    assert!(
        out.contains("Every attempt this exam allows has been used."),
        "{out}"
    );
    let out = fail("attempt_delay = \"1d\"\n", "Alan");
    assert!(out.contains("The next attempt may start on 20"), "{out}");
    let out = fail("", "Katherine");
    assert!(out.contains("You may take the exam again now.\n"), "{out}");
}

/// Leaving on the instructions screen says nothing started (no "the clock
/// keeps running").
#[test]
fn leaving_before_the_start_says_nothing_started() {
    let data = tempfile::tempdir().unwrap();
    let mut p = tui(data.path(), &["--learner", "Ada Lovelace"]);
    see(&mut p, "Before you start");
    key(&mut p, "q");
    see(
        &mut p,
        "Left before the start: no attempt was opened, no clock runs.",
    );
    p.exp_eof().unwrap();
}

/// A bank edited while an attempt is open (a typo fixed in an
/// explanation): the learner finishes the paper they were given, told
/// what changed, and their result is scored on it.
#[test]
fn an_attempt_open_when_its_bank_changed_goes_on_with_the_paper_it_was_given() {
    let data = tempfile::tempdir().unwrap();
    let bank = data.path().join("demo.toml");
    let text = std::fs::read_to_string(demo()).unwrap();
    std::fs::write(&bank, &text).unwrap();
    let run = |input: &str| plain_as(&bank, "Ada Lovelace", data.path(), input);
    // The first answer, then the learner is gone (end of input).
    let first = run("\n1\n");
    assert!(first.contains("Question 2 of 6"), "{first}");
    let fixed = text.replace("does not stay open for ever", "does not stay open forever");
    assert_ne!(fixed, text, "the demo has the explanation this test edits");
    std::fs::write(&bank, &fixed).unwrap();
    let out = run("\n1\n3\n2 3\nexpiry\n4.5\nyes\n");
    assert!(
        out.contains(
            "This exam's file was changed after your attempt started (1 question of your paper changed)."
        ),
        "{out}"
    );
    assert!(
        out.contains("You finish the paper you were given, and it is scored as it was."),
        "{out}"
    );
    assert!(out.contains("PASSED"), "{out}");
    // The review shows the explanation as the learner's paper had it.
    assert!(out.contains("open for ever"), "{out}");
    // The next attempt draws from the bank as it is now.
    let again = run("");
    assert!(!again.contains("was changed after"), "{again}");
}

/// In the plain mode at a real terminal, an answer typed but not sent when
/// time runs out is handed in with the paper (the terminal holds the line
/// until Enter: brevet asks for it at the deadline).
#[test]
fn plain_mode_time_up_keeps_the_line_being_typed() {
    let data = tempfile::tempdir().unwrap();
    let bank = data.path().join("short.toml");
    std::fs::write(
        &bank,
        "[exam]\nid = \"short\"\nversion = \"1\"\ntitle = \"Short\"\nlanguage = \"en\"\n\
         description = \"d\"\nlearning_outcomes = [\"o\"]\nworkload_hours = 1\n\
         [rules]\ntime_limit = \"3s\"\nmastery_threshold = 50\nwarnings = []\n\
         [[sections]]\nid = \"s\"\ntitle = \"S\"\ndraw = 1\n\
         [[questions]]\nid = \"q\"\nsection = \"s\"\nkind = \"text\"\n\
         prompt = \"Type expiry.\"\naccepted = [\"expiry\"]\n",
    )
    .unwrap();
    let mut cmd = Command::new(cargo_bin("brevet"));
    cmd.args(["run", bank.to_str().unwrap(), "--plain", "--lang", "en"])
        .args(["--learner", "Ada Lovelace", "--data"])
        .arg(data.path())
        .arg("--out")
        .arg(data.path());
    let mut p = spawn_command(cmd, Some(20_000)).unwrap();
    p.exp_string("Press Enter to start the clock.").unwrap();
    key(&mut p, "\n");
    p.exp_string("Answer> ").unwrap();
    // Typed, never sent.
    key(&mut p, "expiry");
    p.exp_string("Time is up: your answers were submitted.")
        .unwrap();
    p.exp_string("== Result: PASSED ==").unwrap();
    p.exp_string("Your answer: expiry").unwrap();
    p.exp_eof().unwrap();
}

/// Coming back when no attempt may start, the learner sees their last
/// result again, reviewed as the bank's `review_later` allows.
#[test]
fn the_last_result_is_shown_again_as_review_later_allows() {
    let data = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(demo()).unwrap();
    let run = |later: &str, name: &str| {
        let path = data.path().join(format!("{name}.toml"));
        std::fs::write(
            &path,
            text.replace(
                "[rules]\n",
                &format!("[rules]\nmax_attempts = 1\nreview_later = \"{later}\"\n"),
            ),
        )
        .unwrap();
        let go = |input: &str| plain_as(&path, name, data.path(), input);
        // Right after: the bank's `review` (full).
        let first = go("\n1\n:submit\nyes\n");
        assert!(first.contains("Why:"), "{first}");
        go("")
    };
    let marks = run("marks", "Ada");
    assert!(
        marks.contains("Every attempt this exam allows has been used."),
        "{marks}"
    );
    assert!(marks.contains("Your answer: True"), "{marks}");
    assert!(!marks.contains("Right answer:"), "{marks}");
    assert!(!marks.contains("Why:"), "{marks}");
    let score = run("score-only", "Grace");
    assert!(
        score.contains("Every attempt this exam allows has been used."),
        "{score}"
    );
    assert!(!score.contains("Your answer:"), "{score}");
    let full = run("full", "Alan");
    assert!(
        full.contains("Right answer:") && full.contains("Why:"),
        "{full}"
    );
}

/// A learner who passes in the terminal finds, once the screen is gone,
/// where their credential, badge and certificate are, on lines a terminal
/// does not cut (the LinkedIn link, for a real issuer's, goes there too).
#[test]
fn a_pass_in_the_terminal_leaves_the_links_on_the_screen_after_it() {
    let data = tempfile::tempdir().unwrap();
    let mut p = tui_seeded(data.path(), "4", &["--learner", "Ada Lovelace"]);
    see(&mut p, "Before you start");
    key(&mut p, "\r");
    see(&mut p, "Question 1 of 6");
    // Seed 4: true, true, the third, the second and third, a word, a number.
    for keys in ["1", "n", "1", "n", "3", "n", "2", "3", "n"] {
        key(&mut p, keys);
    }
    // Only what changed is drawn again: the prompts tell the questions.
    see(&mut p, "Complete with one word");
    key(&mut p, "expiry\r");
    key(&mut p, "\x1b[6~");
    see(&mut p, "megapixels");
    key(&mut p, "4.5\r");
    key(&mut p, "\x1bOR");
    see(&mut p, "Review");
    key(&mut p, "s");
    see(&mut p, "Submit your answers?");
    key(&mut p, "y");
    see(&mut p, "PASSED");
    key(&mut p, "q");
    p.exp_string("Your credential was saved to").unwrap();
    p.exp_string("its certificate to print (PDF):").unwrap();
    let rest = p.exp_eof().unwrap();
    // The demo issuer's credential: no LinkedIn link.
    assert!(
        rest.contains(".pdf") && !rest.contains("LinkedIn"),
        "{rest}"
    );
}
