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

/// A folder any user may enter, with the binary where any user may run it
/// and an empty `data` folder: (the folder, the binary, `data`).
#[cfg(unix)]
fn open_to_all() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let brevet = dir.path().join("brevet");
    std::fs::copy(assert_cmd::cargo::cargo_bin("brevet"), &brevet).unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    (dir, brevet, data)
}

#[cfg(unix)]
#[test]
fn a_data_folder_that_cannot_be_written_is_said_so() {
    use std::os::unix::fs::PermissionsExt as _;
    let (dir, brevet, data) = open_to_all();
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

#[cfg(unix)]
#[test]
fn a_store_that_cannot_be_written_is_listed_and_checked_as_it_is() {
    use std::os::unix::fs::PermissionsExt as _;
    let (dir, brevet, data) = open_to_all();
    let (code, out, err) = run(&data, "Ada Lovelace", PASS);
    assert_eq!(code, 0, "{out}{err}");
    // A copy of the store alone (no log beside it), in a folder its reader
    // cannot write: the user the command runs as owns it, read only.
    let copy = dir.path().join("copy");
    std::fs::create_dir(&copy).unwrap();
    std::fs::copy(data.join("brevet.db"), copy.join("brevet.db")).unwrap();
    if rustix::process::getuid().is_root() {
        for path in [&copy, &copy.join("brevet.db")] {
            std::os::unix::fs::chown(path, Some(65534), Some(65534)).unwrap();
        }
    }
    std::fs::set_permissions(
        copy.join("brevet.db"),
        std::fs::Permissions::from_mode(0o400),
    )
    .unwrap();
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o555)).unwrap();
    let brevet_on_copy = |args: &[&str]| {
        let mut cmd = std::process::Command::new(&brevet);
        cmd.args(args)
            .arg("--data")
            .arg(&copy)
            .env("HOME", dir.path());
        as_unprivileged(&mut cmd);
        let out = cmd.output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, listed, err) = brevet_on_copy(&["results", "--csv"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(listed.contains("\"Ada Lovelace\""), "{listed}");
    assert_eq!(
        err.matches("read as it is, since it cannot be written")
            .count(),
        1,
        "{err}"
    );
    let (code, report, err) = brevet_on_copy(&["store", "check"]);
    assert_eq!(code, Some(0), "{report}{err}");
    assert!(report.contains("no problem found"), "{report}");
    // Nothing was made beside it.
    let names: Vec<_> = std::fs::read_dir(&copy)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["brevet.db"]);
}

#[test]
fn a_server_out_of_reach_at_start_is_named_without_its_password() {
    let data = tempfile::tempdir().unwrap();
    let socket = data.path().join("no-server-here");
    std::fs::create_dir(&socket).unwrap();
    let out = assert_cmd::Command::cargo_bin("brevet")
        .unwrap()
        .args([
            "run",
            &demo(),
            "--plain",
            "--learner",
            "Ada Lovelace",
            "--data",
        ])
        .arg(data.path())
        .arg("--store")
        .arg(format!("host={} user=brevet dbname=room", socket.display()))
        .env("BREVET_STORE_PASSWORD", "s3cret-passw0rd")
        .write_stdin("\n")
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "postgresql://brevet@{}:5432/room",
            socket.display()
        )),
        "{err}"
    );
    assert!(err.contains("cannot reach the store"), "{err}");
    assert!(!err.contains("s3cret"), "{err}");
    assert_eq!(err.matches("cannot reach").count(), 1, "said once: {err}");
    // Nothing was made in the data folder for it.
    assert!(!data.path().join("brevet.db").exists());
}

/// Kills `brevet run` (plain mode, answers coming through a pipe) at
/// moments spread over the exam, again and again: every answer the learner
/// saw acknowledged ("Recorded.") is in the store, and the store checks
/// clean.
#[test]
fn killed_at_any_moment_no_acknowledged_answer_is_lost() {
    use std::io::{Read as _, Write as _};
    let answers = ["1", "1", "3", "2 3", "expiry", "4.5"];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for round in 0..24 {
        let data = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("brevet"))
            .args(["run", &demo(), "--seed", "4", "--plain", "--learner"])
            .arg(format!("Learner {round}"))
            .arg("--data")
            .arg(data.path())
            .arg("--out")
            .arg(data.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let seen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let reader = std::thread::spawn({
            let seen = seen.clone();
            move || {
                let mut chunk = [0u8; 4096];
                while let Ok(n) = stdout.read(&mut chunk) {
                    if n == 0 {
                        break;
                    }
                    seen.lock()
                        .unwrap()
                        .push_str(&String::from_utf8_lossy(&chunk[..n]));
                }
            }
        });
        let mut stdin = child.stdin.take().unwrap();
        let _ = stdin.write_all(b"\n");
        // The first question is on screen: the exam is running.
        for _ in 0..2000 {
            if seen.lock().unwrap().contains("Question 1 of 6") {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        // The kill comes after 0 to 6 answers typed at once, 0 to 4 ms after
        // the last: often while an answer is being written.
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let sent = (seed >> 33) as usize % (answers.len() + 1);
        let wait = (seed >> 13) % 5;
        let typed: String = answers[..sent].iter().map(|a| format!("{a}\n")).collect();
        let _ = stdin.write_all(typed.as_bytes());
        std::thread::sleep(std::time::Duration::from_millis(wait));
        child.kill().unwrap();
        child.wait().unwrap();
        reader.join().unwrap();
        let shown = seen.lock().unwrap().clone();
        let acknowledged = shown.matches("Recorded.").count();
        let stored = store::journals(data.path()).matches("\"answered\"").count();
        eprintln!("round {round}: sent {sent}, acknowledged {acknowledged}, stored {stored}");
        assert!(
            stored >= acknowledged,
            "round {round}: {acknowledged} acknowledged, {stored} stored"
        );
        if data.path().join("brevet.db").exists() {
            let out = assert_cmd::Command::cargo_bin("brevet")
                .unwrap()
                .args(["store", "check", "--data"])
                .arg(data.path())
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
    }
}
