//! The store when something is wrong around it: held by another program, in
//! a folder that cannot be written, damaged. Each gets one clear message
//! naming the file and what to do, and nothing is lost or changed.
#![allow(clippy::unwrap_used)]

#[path = "support/store.rs"]
mod store;

use std::path::Path;

fn demo() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/exams/demo.toml").to_owned()
}

/// The seed-4 demo answered right, in plain mode.
const PASS: &str = "\n1\n1\n3\n2 3\nexpiry\n4.5\nyes\n";

/// `brevet run` of the demo for `learner` in plain mode: exit code, stdout,
/// stderr.
fn run(data: &Path, learner: &str, input: &str) -> (i32, String, String) {
    let out = assert_cmd::Command::cargo_bin("brevet")
        .unwrap()
        .args([
            "run",
            &demo(),
            "--seed",
            "4",
            "--plain",
            "--learner",
            learner,
        ])
        .arg("--data")
        .arg(data)
        .arg("--out")
        .arg(data)
        .write_stdin(input)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_store_held_by_another_program_is_said_so_and_nothing_starts() {
    let data = tempfile::tempdir().unwrap();
    let (code, out, _) = run(data.path(), "Ada Lovelace", PASS);
    assert_eq!(code, 0, "{out}");
    // Another program writes and does not let go.
    let other = rusqlite::Connection::open(data.path().join("brevet.db")).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let (code, out, err) = run(data.path(), "Alan Turing", "\n");
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("brevet.db"), "{err}");
    assert!(
        err.contains("another program holds it") && err.contains("try again"),
        "{err}"
    );
    assert_eq!(
        err.matches("another program").count(),
        1,
        "said once: {err}"
    );
    other.execute_batch("ROLLBACK").unwrap();
    // Let go: Alan starts, and Ada's attempt is still there.
    let (code, out, err) = run(data.path(), "Alan Turing", "\n:quit\n");
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(store::journals(data.path()).matches("\"start\"").count(), 2);
}

#[test]
fn a_damaged_store_is_said_so_and_left_as_it_is() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("brevet.db");
    // A store whose pages were overwritten (a failing disk, a bad copy).
    std::fs::write(&file, vec![0x5a; 64 * 1024]).unwrap();
    let (code, out, err) = run(data.path(), "Ada Lovelace", "\n");
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("brevet.db") && err.contains("restore the last backup"),
        "{err}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), vec![0x5a; 64 * 1024]);
}

/// Runs `brevet` as an unprivileged user when the tests run as root (root
/// writes anywhere, so a read-only folder would test nothing).
#[cfg(unix)]
fn as_unprivileged(cmd: &mut std::process::Command) {
    use std::os::unix::process::CommandExt as _;
    if rustix::process::getuid().is_root() {
        cmd.uid(65534).gid(65534);
    }
}

#[cfg(unix)]
#[test]
fn a_data_folder_that_cannot_be_written_is_said_so() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    // The binary where any user may run it.
    let brevet = dir.path().join("brevet");
    std::fs::copy(assert_cmd::cargo::cargo_bin("brevet"), &brevet).unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o555)).unwrap();
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    std::fs::set_permissions(&out_dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let exam = dir.path().join("demo.toml");
    std::fs::copy(demo(), &exam).unwrap();
    let mut cmd = std::process::Command::new(&brevet);
    cmd.args(["run", "--plain", "--learner", "Ada Lovelace", "--data"])
        .arg(&data)
        .arg("--out")
        .arg(&out_dir)
        .arg(&exam)
        .env("HOME", dir.path())
        .stdin(std::process::Stdio::null());
    as_unprivileged(&mut cmd);
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(&*data.to_string_lossy()), "{err}");
    assert!(err.contains("cannot be written"), "{err}");
    assert_eq!(std::fs::read_dir(&data).unwrap().count(), 0, "nothing made");
}
