//! `brevet stats` on real banks: the table, the warnings, the exit codes.

// Helpers outside #[test] functions unwrap too: a panic is the failure message.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use predicates::prelude::*;

fn brevet() -> Command {
    Command::cargo_bin("brevet").unwrap()
}

#[test]
fn the_demo_bank_warns_about_its_small_pools() {
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/exams/demo.toml");
    brevet()
        .args(["stats", demo])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("6 of 8 questions drawn"))
        .stdout(
            predicate::str::is_match(
                r"sharing +5 +4 +80% +2 single, 1 multiple, 1 true-false, 1 text +1 ",
            )
            .unwrap(),
        )
        .stdout(predicate::str::contains(
            "warning: section `sharing` draws 4 of 5",
        ))
        .stdout(predicate::str::contains(
            "warning: section `sizes` draws 2 of 3",
        ));
    // For CI: warnings fail only when asked.
    brevet()
        .args(["stats", "--deny-warnings", demo])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("warning: section `sharing`"));
}

#[test]
fn big_pools_give_no_warning_and_an_invalid_bank_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let mut bank = String::from(
        "[exam]\nid = \"p\"\nversion = \"1\"\ntitle = \"P\"\nlanguage = \"en\"\ndescription = \"d\"\n\
         learning_outcomes = [\"o\"]\nworkload_hours = 1\n[rules]\ntime_limit = \"10m\"\nmastery_threshold = 50\n\
         [[sections]]\nid = \"s\"\ntitle = \"S\"\ndraw = 2\n",
    );
    for i in 0..4 {
        bank.push_str(&format!(
            "[[questions]]\nid = \"q{i}\"\nsection = \"s\"\nkind = \"true-false\"\nprompt = \"Statement {i}\"\nanswer = true\n"
        ));
    }
    let good = dir.path().join("good.toml");
    std::fs::write(&good, &bank).unwrap();
    brevet()
        .arg("stats")
        .arg(&good)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("2 of 4 questions drawn"))
        .stdout(predicate::str::is_match(r"s +4 +2 +50% +4 true-false +1 ").unwrap())
        .stdout(predicate::str::contains("warning").not());
    brevet()
        .args(["stats", "--deny-warnings"])
        .arg(&good)
        .assert()
        .code(0);
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, bank.replace("draw = 2", "draw = 9")).unwrap();
    brevet()
        .arg("stats")
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("run `brevet check"));
}
