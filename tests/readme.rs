//! Every command of the README, run as written, in document order, in an
//! empty folder with an empty home: what a newcomer who copies the blocks
//! one after the other gets. `brevet` is the binary under test, found on
//! `PATH`; `cargo run --release --` is read as `brevet` (the README says
//! they are the same). A command the test does not know fails the test, so
//! a new README command needs a line here.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a failed test

#[path = "support/data.rs"]
mod data;

use brevet::bank::{self, Exam, Kind, NumericAnswer};
use rexpect::session::PtySession;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fenced block of the README: its language and lines, unindented.
struct Block {
    lang: String,
    lines: Vec<String>,
}

fn blocks(readme: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<(usize, Block)> = None;
    for line in readme.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match (&mut open, trimmed.strip_prefix("```")) {
            (None, Some(lang)) => {
                open = Some((
                    indent,
                    Block {
                        lang: lang.trim().to_owned(),
                        lines: Vec::new(),
                    },
                ));
            }
            (Some(_), Some("")) => out.push(open.take().unwrap().1),
            (Some((indent, block)), _) => {
                let text = line.get(*indent..).unwrap_or(line.trim_start());
                block.lines.push(text.to_owned());
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "a README block is not closed");
    out
}

/// A shell line without its trailing `# comment`.
fn command(line: &str) -> Option<String> {
    let cut = line.find("  #").or_else(|| line.find(" # "));
    let cmd = cut.map_or(line, |i| &line[..i]).trim();
    (!cmd.is_empty() && !cmd.starts_with('#')).then(|| cmd.to_owned())
}

/// The folder a newcomer works in.
struct Workspace {
    _tmp: tempfile::TempDir,
    work: PathBuf,
    home: PathBuf,
    path: String,
}

impl Workspace {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let work = tmp.path().join("work");
        let home = tmp.path().join("home");
        let bin = tmp.path().join("bin");
        for dir in [&work, &home, &bin] {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_brevet"), bin.join("brevet")).unwrap();
        // What the README's commands read: the shipped banks and files,
        // and a GIFT file of the user's for the import example.
        copy_dir(&root().join("exams"), &work.join("exams"));
        std::fs::copy(
            root().join("kiosk.example.toml"),
            work.join("kiosk.example.toml"),
        )
        .unwrap();
        std::fs::write(
            work.join("questions.gift"),
            data::read("fixtures/gift/pegjs_numerical1.gift"),
        )
        .unwrap();
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        Workspace {
            _tmp: tmp,
            work,
            home,
            path,
        }
    }

    fn shell(&self, cmd: &str) -> Command {
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(cmd)
            .current_dir(&self.work)
            .env("HOME", &self.home)
            .env("PATH", &self.path)
            .env("NO_COLOR", "1")
            .env("TERM", "xterm-256color")
            .env_remove("BREVET_DATA")
            .env_remove("BREVET_KEY_PASSPHRASE")
            .env_remove("XDG_DATA_HOME");
        c
    }

    /// Runs `cmd` with `stdin`; returns (status, stdout, stderr).
    fn run(&self, cmd: &str, stdin: &str) -> (i32, String, String) {
        let mut child = self
            .shell(cmd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn files(&self, dir: &str, prefix: &str) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(self.work.join(dir)) else {
            return Vec::new();
        };
        let mut out: Vec<PathBuf> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
            .collect();
        out.sort();
        out
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// The passphrase the newcomer chooses for every key.
const PASSPHRASE: &str = "trois mots au hasard";
/// The proctor PIN the newcomer chooses.
const PIN: &str = "482916";

/// Reads a child's output as it comes, in chunks.
fn reader(mut out: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = out.read(&mut buf) {
            if n == 0
                || tx
                    .send(String::from_utf8_lossy(&buf[..n]).into_owned())
                    .is_err()
            {
                break;
            }
        }
    });
    rx
}

/// Waits until the output since `from` contains one of `needles`; returns
/// which, the text from `from` to the end of it, and where that end is.
fn wait_for(
    rx: &Receiver<String>,
    seen: &mut String,
    from: usize,
    needles: &[&str],
) -> (usize, String, usize) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some((i, at)) = needles
            .iter()
            .enumerate()
            .filter_map(|(i, n)| seen[from..].find(n).map(|at| (i, from + at + n.len())))
            .min_by_key(|(_, at)| *at)
        {
            return (i, seen[from..at].to_owned(), at);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(chunk) => seen.push_str(&chunk),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                panic!("never saw any of {needles:?}; the output was:\n{seen}")
            }
        }
    }
}

/// What a learner who knows the bank types for the question shown in
/// `shown` (the plain dialogue's question block).
fn right_answer(exam: &Exam, shown: &str) -> String {
    let q = exam
        .questions
        .iter()
        .find(|q| shown.contains(q.prompt.trim().lines().next().unwrap()))
        .unwrap_or_else(|| panic!("no question of the bank is shown in:\n{shown}"));
    // The choices as drawn for this attempt: `  N) text`.
    let shown_choice = |text: &str| -> usize {
        let needle = format!(") {text}");
        shown
            .lines()
            .find_map(|l| {
                let l = l.trim_start();
                let (n, rest) = l.split_once(')')?;
                (format!("){rest}") == needle).then(|| n.parse::<usize>().ok())?
            })
            .unwrap_or_else(|| panic!("choice {text:?} is not shown in:\n{shown}"))
    };
    match &q.kind {
        Kind::Single { choices } | Kind::Multiple { choices } => choices
            .iter()
            .filter(|c| c.correct)
            .map(|c| shown_choice(&c.text).to_string())
            .collect::<Vec<_>>()
            .join(" "),
        Kind::TrueFalse { answer } => if *answer { "1" } else { "2" }.to_owned(),
        Kind::Text { accepted, .. } => accepted[0].clone(),
        Kind::Numeric { answer, .. } => match answer {
            NumericAnswer::Tolerance { value, .. } => value.to_string(),
            NumericAnswer::Range { min, .. } => min.to_string(),
        },
    }
}

/// Takes `exam_file` in the plain dialogue as a learner who knows every
/// answer; returns everything printed.
fn pass_exam(ws: &Workspace, cmd: &str, exam_file: &str) -> String {
    let exam = bank::load_str(&std::fs::read_to_string(ws.work.join(exam_file)).unwrap())
        .exam
        .unwrap();
    let mut child = ws
        .shell(cmd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let rx = reader(child.stdout.take().unwrap());
    let mut seen = String::new();
    let mut say = |line: &str| writeln!(stdin, "{line}").unwrap();
    wait_for(&rx, &mut seen, 0, &["Full name: "]);
    say("Ada Lovelace");
    wait_for(&rx, &mut seen, 0, &["Learner id (optional): "]);
    say("");
    wait_for(
        &rx,
        &mut seen,
        0,
        &["E-mail (optional, unreadable in the credential): "],
    );
    say("");
    let (_, _, mut from) = wait_for(&rx, &mut seen, 0, &["Press Enter to start the clock."]);
    say("");
    loop {
        let (which, text, end) =
            wait_for(&rx, &mut seen, from, &["Answer> ", "Type yes to hand in"]);
        from = end;
        if which == 1 {
            wait_for(&rx, &mut seen, from, &["Answer> "]);
            say("yes");
            break;
        }
        say(&right_answer(&exam, &text));
    }
    drop(stdin);
    let status = child.wait().unwrap();
    while let Ok(chunk) = rx.recv_timeout(Duration::from_secs(5)) {
        seen.push_str(&chunk);
    }
    assert!(status.success(), "{cmd}: {status}\n{seen}");
    seen
}

/// Starts the station in a terminal as the README says, types the key's
/// passphrase, sees the welcome screen, and stops it with SIGTERM.
fn start_kiosk(ws: &Workspace, cmd: &str) {
    // A terminal of 80x24 (a new pseudo-terminal has no size).
    let mut shell = ws.shell(&format!("stty cols 80 rows 24 && exec {cmd}"));
    shell.env("LANG", "C.UTF-8");
    let mut p: PtySession = rexpect::session::spawn_command(shell, Some(30_000)).unwrap();
    p.exp_string("passphrase").unwrap();
    p.send(&format!("{PASSPHRASE}\r")).unwrap();
    p.flush().unwrap();
    // The welcome screen, with the room's name (ratatui moves the cursor
    // over blank cells instead of writing spaces).
    p.exp_regex(r"Salle(?:\s|\x1b\[[0-9;?]*[A-Za-z])+2")
        .unwrap();
    p.process_mut()
        .signal(rexpect::process::Signal::SIGTERM)
        .unwrap();
    p.exp_string("stopped by SIGTERM").unwrap();
}

#[test]
fn every_readme_command_works_as_written_in_an_empty_folder() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let ws = Workspace::new();
    let mut ran = Vec::new();
    for block in blocks(&readme) {
        match block.lang.as_str() {
            "toml" => {
                // `# issuer.toml` on the first line: the file the reader writes.
                let first = block.lines.first().map(String::as_str).unwrap_or("");
                if let Some(name) = first.strip_prefix("# ") {
                    std::fs::write(ws.work.join(name.trim()), block.lines.join("\n")).unwrap();
                }
            }
            "sh" => {
                for line in &block.lines {
                    let Some(cmd) = command(line) else { continue };
                    step(&ws, &cmd);
                    ran.push(cmd);
                }
            }
            _ => {}
        }
    }
    // The README still shows the main job and the tests.
    for needed in ["cargo run --release -- run exams/demo.toml", "cargo test"] {
        assert!(
            ran.iter().any(|c| c == needed),
            "the README lost `{needed}`"
        );
    }
}

/// Runs one README command and checks what a newcomer would see.
fn step(ws: &Workspace, cmd: &str) {
    let run = |stdin: &str, code: i32| -> (String, String) {
        let (status, out, err) = ws.run(cmd, stdin);
        assert_eq!(
            status, code,
            "`{cmd}` exited {status}\nstdout:\n{out}\nstderr:\n{err}"
        );
        (out, err)
    };
    let twice = format!("{PASSPHRASE}\n{PASSPHRASE}\n");
    match cmd {
        // This test is `cargo test`; installing builds the binary it runs.
        "cargo test" | "cargo install --path ." => {}
        "cargo run --release -- run exams/demo.toml" => {
            let text = pass_exam(ws, "brevet run exams/demo.toml", "exams/demo.toml");
            assert!(text.contains("== Result: PASSED =="), "{text}");
            assert!(
                text.contains("brevet verify"),
                "says what the file is for: {text}"
            );
            let written = ws.files(".", "brevet-demo_ada-lovelace_");
            let mut kinds: Vec<String> = written
                .iter()
                .map(|p| {
                    p.extension()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect();
            kinds.sort();
            assert_eq!(
                kinds,
                ["json", "pdf", "png", "svg"],
                "the credential, its badge and its certificate, beside each other in the current folder"
            );
        }
        "brevet run exams/spreadsheet-essentials.toml --learner \"Ada Lovelace\" --lang en" => {
            let (out, _) = run("\n:quit\n", 0);
            assert!(out.contains("Answers saved"), "{out}");
        }
        "brevet check exams/" | "brevet check --format json exams/" => {
            run("", 0);
        }
        "brevet stats exams/demo.toml" => {
            let (out, _) = run("", 0);
            assert!(out.contains("questions drawn"), "{out}");
        }
        "brevet import gift questions.gift -o my-exam.toml" => {
            let (status, _, err) = ws.run(cmd, "");
            assert!(matches!(status, 0 | 1), "{cmd}: {status}\n{err}");
            assert!(ws.work.join("my-exam.toml").is_file());
        }
        "brevet check my-exam.toml" => {
            let (status, out, _) = ws.run(cmd, "");
            assert!(matches!(status, 0 | 1), "{cmd}: {status}\n{out}");
        }
        "brevet keygen --out keys/issuer.key" | "brevet keygen -o keys/room.key" => {
            let (out, err) = run(&twice, 0);
            assert!(out.starts_with("did:key:z6Mk"), "{out}");
            assert!(!err.contains(PASSPHRASE), "{err}");
            let file = cmd.split_whitespace().last().unwrap();
            let pem = std::fs::read_to_string(ws.work.join(file)).unwrap();
            assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        }
        "brevet verify brevet-demo_*.json" => {
            let (out, _) = run("", 0);
            assert!(out.contains("VALID"), "{out}");
        }
        "brevet verify brevet-demo_*.png" => {
            let (out, _) = run("", 0);
            assert!(out.contains(".png: VALID"), "{out}");
        }
        "brevet share brevet-demo_*.json" => {
            let (out, _) = run("", 0);
            assert!(out.contains(".svg\n") && out.contains(".pdf\n"), "{out}");
            // The demo issuer's: no LinkedIn link.
            assert!(!out.contains("LinkedIn"), "{out}");
        }
        "brevet verify --json brevet-demo_*.json" => {
            let (out, _) = run("", 0);
            let _: serde_json::Value = serde_json::from_str(&out).unwrap();
        }
        "brevet issuer publish --out site/" => {
            // The key of the README is encrypted: its passphrase is asked.
            let (_, err) = run(&format!("{PASSPHRASE}\n"), 0);
            assert!(
                err.contains("serve it at https://formation.example.org/.well-known/did.json"),
                "{err}"
            );
            let did: serde_json::Value = serde_json::from_slice(
                &std::fs::read(ws.work.join("site/.well-known/did.json")).unwrap(),
            )
            .unwrap();
            assert_eq!(did["id"], "did:web:formation.example.org");
            assert!(ws.work.join("site/status/revocation-1.json").is_file());
        }
        "brevet paper exams/demo.toml --credential brevet-demo_*.json" => {
            let (out, err) = run("", 0);
            assert!(
                out.contains("seed ") && out.contains("6 questions"),
                "{out}"
            );
            assert!(
                err.contains("credential: valid") && err.contains("bank: the one"),
                "{err}"
            );
        }
        c if c.starts_with("brevet verify --trust did:key:") && c.ends_with(" .") => {
            // Another issuer than the demo's: refused, and said why.
            let (out, _) = run("", 1);
            assert!(out.contains("INVALID"), "{out}");
        }
        "cp kiosk.example.toml kiosk.toml" => {
            run("", 0);
            // The room the README describes: its issuer (step 2).
            let path = ws.work.join("kiosk.toml");
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(
                &path,
                text.replace("# issuer = \"issuer.toml\"", "issuer = \"issuer.toml\""),
            )
            .unwrap();
        }
        "brevet kiosk --set-pin kiosk.toml" => {
            run(&format!("{PIN}\n{PIN}\n"), 0);
            let text = std::fs::read_to_string(ws.work.join("kiosk.toml")).unwrap();
            assert!(text.contains("$argon2id$"), "{text}");
        }
        "brevet kiosk kiosk.toml" => {
            start_kiosk(ws, cmd);
            // A learner passed at the station (the kiosk's own tests take
            // learners through it): their credential is where the room's
            // credentials go.
            let credentials = ws.work.join("credentials");
            std::fs::create_dir_all(&credentials).unwrap();
            let demo = &ws.files(".", "brevet-demo_")[0];
            std::fs::copy(demo, credentials.join(demo.file_name().unwrap())).unwrap();
        }
        "brevet kiosk --clear-lockout kiosk.toml" => {
            run(&format!("{PIN}\n"), 0);
        }
        "brevet kiosk --log kiosk.toml" => {
            let (log, _) = run("", 0);
            assert!(log.contains(r#""kind":"lockout_cleared""#), "{log}");
            assert!(log.contains(r#""kind":"kiosk_started""#), "{log}");
        }
        "brevet results" => {
            // The demo passed at the start of this README is in the store.
            let (out, _) = run("", 0);
            assert!(
                out.lines()
                    .any(|l| l.contains("brevet-demo") && l.contains("  passed")),
                "{out}"
            );
        }
        "brevet results --csv > salle2.csv" => {
            run("", 0);
            let csv = std::fs::read_to_string(ws.work.join("salle2.csv")).unwrap();
            assert!(csv.starts_with("\"room\",\"learner\","), "{csv}");
            assert!(csv.contains("\"brevet-demo\""), "{csv}");
        }
        "brevet store check" => {
            let (out, _) = run("", 0);
            assert!(out.contains("no problem found"), "{out}");
        }
        "brevet store backup brevet-backup.db" => {
            run("", 0);
            assert!(ws.work.join("brevet-backup.db").is_file());
        }
        "brevet verify credentials/" => {
            let (out, _) = run("", 0);
            assert!(out.contains("VALID"), "{out}");
        }
        c if c.starts_with("mkdir -p ") => {
            run("", 0);
        }
        "brevet completions bash > ~/.local/share/bash-completion/completions/brevet" => {
            run("", 0);
            let script = std::fs::read_to_string(
                ws.home
                    .join(".local/share/bash-completion/completions/brevet"),
            )
            .unwrap();
            assert!(script.contains("complete -F _brevet"), "{script}");
        }
        "brevet man --out ~/.local/share/man/man1" => {
            run("", 0);
            let dir = ws.home.join(".local/share/man/man1");
            for page in ["brevet.1", "brevet-run.1", "brevet-verify.1"] {
                let text = std::fs::read_to_string(dir.join(page)).unwrap();
                assert!(text.contains(".TH"), "{page}");
            }
        }
        other => panic!(
            "the README shows `{other}`, which tests/readme.rs does not know: add it to `step`"
        ),
    }
}

#[test]
fn the_block_reader_sees_indented_blocks_and_drops_comments() {
    let text = "a\n```sh\nbrevet check exams/   # why\n# only a comment\n```\n1. x\n\n   ```toml\n   # issuer.toml\n   name = \"n\"\n   ```\n";
    let b = blocks(text);
    assert_eq!(b.len(), 2);
    assert_eq!(
        command(&b[0].lines[0]).as_deref(),
        Some("brevet check exams/")
    );
    assert_eq!(command(&b[0].lines[1]), None);
    assert_eq!(b[1].lang, "toml");
    assert_eq!(b[1].lines, ["# issuer.toml", "name = \"n\""]);
}
