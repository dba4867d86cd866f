//! Inputs that are not files a person wrote: devices, named pipes with no
//! writer, empty folders. Every command refuses them at once, says why
//! once, and exits 2, instead of reading for ever or checking nothing.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a failed test

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;
use std::time::Duration;

fn brevet(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("brevet").unwrap();
    cmd.env("BREVET_DATA", data)
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(20))
        .write_stdin("");
    cmd
}

/// Each command that reads a file the user names, with `file` in its place.
fn commands(file: &str, out: &Path) -> Vec<Vec<String>> {
    let out = out.join("out.toml").display().to_string();
    [
        vec!["check", file],
        vec!["stats", file],
        vec!["import", "gift", file, "-o", &out],
        vec!["run", file, "--plain", "--learner", "Ada"],
        vec!["results", file],
        vec!["kiosk", file],
        vec!["paper", file, "--seed", "1"],
        vec!["verify", file],
    ]
    .into_iter()
    .map(|c| c.into_iter().map(str::to_owned).collect())
    .collect()
}

#[cfg(unix)]
#[test]
fn devices_and_pipes_are_refused_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for (file, kind) in [
        ("/dev/zero", "a device"),
        (fifo.to_str().unwrap(), "a named pipe"),
    ] {
        for args in commands(file, tmp.path()) {
            let assert = brevet(tmp.path()).args(&args).assert().code(2);
            let output = assert.get_output();
            let said = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(said.contains(kind), "{args:?}: {said}");
            assert_eq!(said.matches(file).count(), 1, "said once: {args:?}: {said}");
        }
    }
}

#[test]
fn an_empty_folder_is_an_error_not_a_success() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    for (command, ext) in [("check", "*.toml"), ("verify", "*.json")] {
        brevet(tmp.path())
            .arg(command)
            .arg(&empty)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!("holds no {ext} file")));
    }
}
