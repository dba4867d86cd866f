//! `brevet check` end to end: its output is stable (snapshots) and its exit
//! status follows the contract: 0 valid, 1 problems, 2 could not run.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `brevet` run from the crate root, so that paths in its output are relative.
fn brevet() -> Command {
    let mut cmd = Command::cargo_bin("brevet").expect("the brevet binary");
    cmd.current_dir(root()).env("NO_COLOR", "1");
    cmd
}

const MANY: &str = "tests/cli/many-problems.toml";

#[test]
fn text_output_is_stable() {
    let out = brevet().args(["check", MANY]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8 output");
    assert!(!text.contains('\u{1b}'), "no colour with NO_COLOR");
    insta::assert_snapshot!("check_text", text);
}

#[test]
fn json_output_is_stable() {
    let out = brevet()
        .args(["check", "--format", "json", MANY])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).expect("UTF-8 output");
    let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(value["errors"], 9);
    assert_eq!(value["warnings"], 2);
    assert_eq!(value["diagnostics"].as_array().map(Vec::len), Some(11));
    insta::assert_snapshot!("check_json", text);
}

#[test]
fn a_valid_bank_exits_0() {
    brevet()
        .args(["check", "exams/demo.toml"])
        .assert()
        .code(0)
        .stdout("checked 1 bank: 2 sections, 8 questions; 0 errors, 0 warnings\n")
        .stderr("");
}

#[test]
fn the_sample_exams_folder_exits_0() {
    brevet()
        .args(["check", "--deny-warnings", "exams/"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("; 0 errors, 0 warnings\n"));
}

#[test]
fn problems_exit_1() {
    brevet()
        .args(["check", "tests/invalid/bad-id.toml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "--> tests/invalid/bad-id.toml:22:6",
        ))
        .stdout(predicate::str::ends_with(
            "checked 1 bank: 0 sections, 0 questions; 1 error, 0 warnings\n",
        ));
}

#[test]
fn an_unreadable_path_exits_2() {
    brevet()
        .args(["check", "exams/demo.toml", "no/such/bank.toml"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("cannot read no/such/bank.toml"));
}

#[test]
fn no_path_exits_2() {
    brevet()
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("PATH"));
}

#[test]
fn warnings_fail_only_when_denied() {
    let fixture = "tests/invalid/empty-section.toml";
    brevet()
        .args(["check", fixture])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("warning[empty-section]"))
        .stdout(predicate::str::ends_with("; 0 errors, 1 warning\n"));
    brevet()
        .args(["check", "--deny-warnings", fixture])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("warning[empty-section]"));
    // Denying warnings changes nothing for a clean bank.
    brevet()
        .args(["check", "--deny-warnings", "exams/demo.toml"])
        .assert()
        .code(0);
}

#[test]
fn folders_are_searched_recursively_for_toml_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("nested")).expect("mkdir");
    std::fs::copy(root().join("exams/demo.toml"), dir.path().join("a.toml")).expect("copy");
    std::fs::copy(
        root().join("tests/invalid/zero-draw.toml"),
        dir.path().join("nested/b.toml"),
    )
    .expect("copy");
    std::fs::write(dir.path().join("notes.txt"), "not a bank").expect("write");
    let out = Command::cargo_bin("brevet")
        .expect("binary")
        .env("NO_COLOR", "1")
        .current_dir(dir.path())
        .args(["check", "."])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("error[zero-draw]"), "{text}");
    assert!(text.contains("nested/b.toml:19:8"), "{text}");
    assert!(
        text.ends_with("checked 2 banks: 2 sections, 8 questions; 1 error, 0 warnings\n"),
        "{text}"
    );
}

#[test]
fn a_huge_file_is_refused_clearly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge.toml");
    // 50 MB of comments: well-formed TOML, far above the 32 MiB limit.
    let line = format!("# {}\n", "x".repeat(97));
    std::fs::write(&path, line.repeat(500_000)).expect("write 50 MB");
    let out = Command::cargo_bin("brevet")
        .expect("binary")
        .env("NO_COLOR", "1")
        .arg("check")
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("error[too-large]: the bank is larger than 32 MiB, the most a bank may be"),
        "{text}"
    );
    assert!(out.stderr.is_empty());
}

#[test]
fn bytes_that_are_not_text_are_refused_clearly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("photo.toml");
    // The start of a JPEG file, renamed by mistake.
    std::fs::write(
        &path,
        [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F'],
    )
    .expect("write");
    brevet()
        .arg("check")
        .arg(&path)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "error[not-utf8]: the bank is not valid UTF-8 (byte 0 is not)",
        ));
}
