//! `brevet import` as an author runs it: exit codes, the report on stderr,
//! the bank on disk, and OUT never overwritten without `--force`.

// Helpers outside #[test] functions unwrap too: a panic is the failure message.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn brevet() -> Command {
    Command::cargo_bin("brevet").expect("the brevet binary")
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/import")
        .join(name)
        .display()
        .to_string()
}

/// The names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn everything_converted_exits_0_and_the_bank_checks() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("formats.toml");
    brevet()
        .args(["import", "gift", &fixture("formats.gift"), "-o"])
        .arg(&out)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "5 questions in 1 section; 0 skipped",
        ))
        .stderr(predicate::str::is_empty());
    assert_eq!(listing(dir.path()), ["formats.toml"]);
    brevet()
        .arg("check")
        .arg(&out)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 errors, 0 warnings"));
}

#[test]
fn something_skipped_exits_1_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("aiken.toml");
    let file = fixture("aiken_errors.txt");
    brevet()
        .args(["import", "aiken", &file, "-o"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "{file}:1: skipped: question “A question with too few answers”"
        )))
        .stderr(predicate::str::contains(format!(
            "{file}:5: ignored: choice"
        )))
        .stderr(predicate::str::contains(format!(
            "{file}:19: note: choice `A)Incorrect"
        )));
    brevet().arg("check").arg(&out).assert().code(0);
}

#[test]
fn a_changed_answer_alone_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("partial.gift");
    std::fs::write(&file, "::p::Capital of France?\n{=Paris =%50%Lyon}\n").unwrap();
    let out = dir.path().join("p.toml");
    brevet()
        .args(["import", "gift"])
        .arg(&file)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "1 question in 1 section; 0 skipped",
        ))
        .stderr(predicate::str::contains(
            "partial.gift:2: changed: question “p”: answer “Lyon” earned 50%",
        ));
    brevet().arg("check").arg(&out).assert().code(0);
}

#[test]
fn nothing_readable_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.toml");
    let only_essay = dir.path().join("essay.gift");
    std::fs::write(&only_essay, "::e::Write an essay. {}\n").unwrap();
    brevet()
        .args(["import", "gift"])
        .arg(&only_essay)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("essay.gift:1: skipped: essay “e”"))
        .stderr(predicate::str::contains(
            "none of the 1 questions found could be converted",
        ));
    let latin1 = dir.path().join("latin1.txt");
    std::fs::write(&latin1, b"Caf\xe9?\nA) oui\nB) non\nANSWER: A\n").unwrap();
    brevet()
        .args(["import", "aiken"])
        .arg(&latin1)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not valid UTF-8"));
    brevet()
        .args(["import", "gift", "no-such-file.gift", "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read no-such-file.gift"));
    assert_eq!(listing(dir.path()), ["essay.gift", "latin1.txt"]);
}

#[test]
fn out_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bank.toml");
    std::fs::write(&out, "precious").unwrap();
    brevet()
        .args(["import", "gift", &fixture("true_false.gift"), "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists; pass --force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "precious");
    brevet()
        .args([
            "import",
            "gift",
            &fixture("true_false.gift"),
            "--force",
            "-o",
        ])
        .arg(&out)
        .assert()
        .code(0);
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("# Imported by `brevet import`")
    );
    assert_eq!(listing(dir.path()), ["bank.toml"]);
}

#[test]
fn a_missing_output_folder_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    brevet()
        .args(["import", "gift", &fixture("true_false.gift"), "-o"])
        .arg(dir.path().join("missing/bank.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot write"));
    assert!(listing(dir.path()).is_empty());
}
