//! A learner passes the demo exam and leaves with a credential that
//! `brevet verify` accepts, that the official Open Badges 3.0 schema accepts,
//! and that any edit breaks. A learner who fails gets none.
#![allow(clippy::unwrap_used)]

#[path = "support/data.rs"]
mod data;

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn demo() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/exams/demo.toml").to_string()
}

/// Takes the demo exam in plain mode with seed 4; returns stdout.
fn take(data: &Path, out: &Path, answers: &str) -> String {
    take_with(data, out, answers, &[])
}

/// [`take`] with more arguments for `brevet run`.
fn take_with(data: &Path, out: &Path, answers: &str, extra: &[&str]) -> String {
    let output = Command::cargo_bin("brevet")
        .unwrap()
        .args([
            "run",
            &demo(),
            "--seed",
            "4",
            "--lang",
            "en",
            "--learner",
            "Ada Lovelace",
            "--data",
        ])
        .arg(data)
        .arg("--out")
        .arg(out)
        .args(extra)
        .write_stdin(format!("\n{answers}"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(output).unwrap()
}

/// The credential files in `out` (their badges are beside them).
fn credentials(out: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn a_passed_attempt_leaves_a_valid_credential_and_an_edited_copy_is_invalid() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    // Seed 4: every answer right.
    let text = take(data.path(), out.path(), ALL_RIGHT);
    assert!(text.contains("== Result: PASSED =="), "{text}");
    let files = credentials(out.path());
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(
        text.contains(&files[0].display().to_string()),
        "the path is printed: {text}"
    );
    assert!(text.contains("Demo issuer"), "{text}");

    let verify = Command::cargo_bin("brevet")
        .unwrap()
        .arg("verify")
        .arg(&files[0])
        .assert()
        .success();
    let summary = String::from_utf8(verify.get_output().stdout.clone()).unwrap();
    assert!(summary.contains("VALID"), "{summary}");
    assert!(summary.contains("Ada Lovelace"), "{summary}");
    assert!(summary.contains("unsupervised"), "{summary}");
    assert!(summary.contains("DEMO ISSUER"), "{summary}");

    // The official schema accepts it.
    let doc: Value = serde_json::from_slice(&std::fs::read(&files[0]).unwrap()).unwrap();
    let validator = data::ob_schema_validator();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");

    // The evidence names the attempt: its seed and the journal's head.
    let evidence = doc["evidence"][0].to_string();
    assert!(evidence.contains("\"4\""), "the seed: {evidence}");

    // An edited copy (the learner's name) is invalid, and says why.
    let edited = out.path().join("edited.json");
    let text = std::fs::read_to_string(&files[0])
        .unwrap()
        .replace("Ada Lovelace", "Ada Lovelacf");
    std::fs::write(&edited, text).unwrap();
    let verdict = Command::cargo_bin("brevet")
        .unwrap()
        .arg("verify")
        .arg(&edited)
        .assert()
        .code(1);
    let summary = String::from_utf8(verdict.get_output().stdout.clone()).unwrap();
    assert!(summary.contains("INVALID"), "{summary}");
}

/// Seed 4: every answer right.
const ALL_RIGHT: &str = "1\n1\n3\n2 3\nexpiry\n4.5\nyes\n";

#[test]
fn the_credential_is_json_ld_that_loses_nothing_signed_with_rdfc_unless_asked() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    take(data.path(), out.path(), ALL_RIGHT);
    let doc: Value =
        serde_json::from_slice(&std::fs::read(&credentials(out.path())[0]).unwrap()).unwrap();
    assert_eq!(doc["proof"][0]["cryptosuite"], "eddsa-rdfc-2022");
    // Every property and type expands in safe mode (an error otherwise).
    let quads = brevet::credential::ld::to_rdf(&doc).unwrap();
    assert!(quads.len() > 40, "{} quads", quads.len());
    // The demo issuer claims no country; nothing of the accommodations.
    assert!(doc["issuer"].get("address").is_none(), "{}", doc["issuer"]);
    assert!(
        doc["evidence"][0]["examAttempt"]
            .get("extraTimePercent")
            .is_none()
    );
    assert_eq!(
        doc["credentialSubject"]["achievement"]["skillBlock"],
        "Demo skill block"
    );

    let out = tempfile::tempdir().unwrap();
    take_with(
        data.path(),
        out.path(),
        ALL_RIGHT,
        &["--cryptosuite", "eddsa-jcs-2022", "--learner-id", "second"],
    );
    let file = &credentials(out.path())[0];
    let doc: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
    assert_eq!(doc["proof"][0]["cryptosuite"], "eddsa-jcs-2022");
    Command::cargo_bin("brevet")
        .unwrap()
        .arg("verify")
        .arg(file)
        .assert()
        .success();
}

#[test]
fn a_failed_attempt_leaves_no_credential() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let text = take(data.path(), out.path(), ":submit\n");
    assert!(text.contains("== Result: NOT PASSED =="), "{text}");
    assert!(credentials(out.path()).is_empty());
}

#[test]
fn the_demo_issuer_key_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    take(data.path(), out.path(), ":quit\n");
    let mode = std::fs::metadata(data.path().join("demo-issuer.key"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn an_unwritable_credential_folder_is_refused_before_the_exam() {
    let data = tempfile::tempdir().unwrap();
    let blocked = data.path().join("file-not-folder");
    std::fs::write(&blocked, "x").unwrap();
    Command::cargo_bin("brevet")
        .unwrap()
        .args(["run", &demo(), "--learner", "Ada", "--data"])
        .arg(data.path())
        .arg("--out")
        .arg(&blocked)
        .write_stdin("\n")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("credential folder"));
}

#[test]
fn an_auditor_re_derives_the_paper_from_the_bank_and_the_credential() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    take(data.path(), out.path(), ALL_RIGHT);
    let credential = &credentials(out.path())[0];
    let paper = Command::cargo_bin("brevet")
        .unwrap()
        .args(["paper", &demo(), "--json", "--credential"])
        .arg(credential)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let paper: Value = serde_json::from_slice(&paper).unwrap();
    assert_eq!(paper["seed"], "4");
    assert_eq!(paper["checksPassed"], true);
    // The same paper as the engine draws for seed 4.
    let exam = brevet::bank::load_str(&std::fs::read_to_string(demo()).unwrap())
        .exam
        .unwrap();
    let drawn: Vec<&str> = brevet::attempt::draw::draw(&exam, 4)
        .iter()
        .map(|i| exam.questions[i.question].id.as_str())
        .collect();
    let listed: Vec<&str> = paper["paper"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["question"].as_str().unwrap())
        .collect();
    assert_eq!(listed, drawn);
    // A bank changed since (an explanation reworded): said, exit 1.
    let edited = out.path().join("edited.toml");
    std::fs::write(
        &edited,
        std::fs::read_to_string(demo())
            .unwrap()
            .replace("Expiry dates and named", "Reworded: expiry dates and named"),
    )
    .unwrap();
    Command::cargo_bin("brevet")
        .unwrap()
        .arg("paper")
        .arg(&edited)
        .arg("--credential")
        .arg(credential)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("bank: DIFFERENT"));
    // Without a credential, from a seed.
    Command::cargo_bin("brevet")
        .unwrap()
        .args(["paper", &demo(), "--seed", "4"])
        .assert()
        .success()
        .stdout(predicates::str::contains("seed 4: 6 questions"));
}

#[test]
fn an_employer_checks_the_learners_email_without_reading_it() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    take_with(
        data.path(),
        out.path(),
        ALL_RIGHT,
        &["--learner-email", " Ada.Lovelace@Example.org"],
    );
    let file = &credentials(out.path())[0];
    let text = std::fs::read_to_string(file).unwrap();
    assert!(
        !text.to_lowercase().contains("ada.lovelace@example.org"),
        "the address is not readable: {text}"
    );
    let doc: Value = serde_json::from_str(&text).unwrap();
    let email = doc["credentialSubject"]["identifier"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["identityType"] == "emailAddress")
        .unwrap();
    assert_eq!(email["hashed"], true);
    assert!(
        email["identityHash"]
            .as_str()
            .unwrap()
            .starts_with("sha256$")
    );
    assert_eq!(email["salt"].as_str().unwrap().len(), 32);
    let errors: Vec<String> = data::ob_schema_validator()
        .iter_errors(&doc)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let check = |address: &str, code: i32, says: &str| {
        let output = Command::cargo_bin("brevet")
            .unwrap()
            .args(["verify", "--learner-email", address])
            .arg(file)
            .env("BREVET_DATA", data.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        assert_eq!(output.status.code(), Some(code), "{text}");
        assert!(text.contains(says), "{address}: {text}");
    };
    check(
        "ada.lovelace@example.org",
        0,
        "the learner's hashed e-mail is this address",
    );
    check("grace@example.org", 1, "DOES NOT MATCH");
    // A credential without an address cannot confirm one.
    let other = tempfile::tempdir().unwrap();
    take(data.path(), other.path(), ALL_RIGHT);
    let output = Command::cargo_bin("brevet")
        .unwrap()
        .args(["verify", "--learner-email", "ada.lovelace@example.org"])
        .arg(&credentials(other.path())[0])
        .env("BREVET_DATA", data.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .contains("holds no e-mail address")
    );
    // A malformed address is refused before anything runs.
    Command::cargo_bin("brevet")
        .unwrap()
        .args([
            "run",
            &demo(),
            "--learner",
            "Ada",
            "--learner-email",
            "ada at example",
            "--plain",
        ])
        .env("BREVET_DATA", data.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--learner-email"));
}
