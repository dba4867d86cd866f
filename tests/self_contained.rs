//! The test suite needs nothing beside the repository: every third-party file
//! it reads is under `tests/data/`, listed with its SHA-256 in
//! `tests/data/README.md`, and no test, benchmark, example or fuzz target
//! names a path that climbs out of the checkout.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a failed test

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn files_below(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            files_below(&entry, out);
        } else {
            out.push(entry);
        }
    }
}

/// The rows of the table in `tests/data/README.md`: file → sha256.
fn listed() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(root().join("tests/data/README.md")).unwrap();
    text.lines()
        .filter(|l| l.starts_with("| `"))
        .map(|row| {
            let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
            let file = cells[0].trim_matches('`').to_owned();
            let sum = cells.last().unwrap().trim_matches('`').to_owned();
            (file, sum)
        })
        .collect()
}

#[test]
fn every_test_data_file_is_listed_with_its_checksum() {
    let data = root().join("tests/data");
    let mut on_disk = Vec::new();
    files_below(&data, &mut on_disk);
    let listed = listed();
    let mut seen = Vec::new();
    for file in on_disk {
        let name = file
            .strip_prefix(&data)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if name == "README.md" {
            continue;
        }
        let expected = listed
            .get(&name)
            .unwrap_or_else(|| panic!("tests/data/{name} is not listed in tests/data/README.md"));
        let actual: String = Sha256::digest(std::fs::read(&file).unwrap())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            &actual, expected,
            "tests/data/{name} differs from the copy listed in tests/data/README.md"
        );
        seen.push(name);
    }
    for name in listed.keys() {
        assert!(
            seen.contains(name),
            "tests/data/README.md lists {name}, which is not in tests/data/"
        );
    }
}

/// Lexically resolves `relative` against `dir` (no file system access).
fn resolve(dir: &Path, relative: &str) -> PathBuf {
    let mut out = dir.to_path_buf();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            _ => out.push(part),
        }
    }
    out
}

/// Why a source file in `dir` reaches outside the checkout, if it does.
fn escapes(source: &str, dir: &Path) -> Option<String> {
    // A path built from the manifest folder that climbs out of it
    // (`[env!("CARGO_MANIFEST_DIR"), "..", "shared", …]`, `.join("..")`,
    // `concat!(env!("CARGO_MANIFEST_DIR"), "/../x")`), up to the end of the
    // statement; the project's reference folder by name.
    let patterns = [
        r#"CARGO_MANIFEST_DIR[^;]*"(\.\."|/\.\./)"#,
        r#"CARGO_MANIFEST_DIR[^;]*join\("\.\."#,
        r"\.\./shared",
    ];
    let line_of = |at: usize| source[..at].lines().count().max(1);
    for pattern in patterns {
        let re = regex::Regex::new(pattern).unwrap();
        if let Some(m) = re.find(source) {
            return Some(format!("line {}: {}", line_of(m.start()), m.as_str()));
        }
    }
    // A literal relative to the source file (`include_str!("../x")`,
    // `#[path = "../x"]`) that lands outside the checkout.
    let relative = regex::Regex::new(r#""((\.\./)+[^"]*)""#).unwrap();
    for c in relative.captures_iter(source) {
        let target = resolve(dir, &c[1]);
        if !target.starts_with(root()) {
            let at = c.get(0).unwrap().start();
            return Some(format!("line {}: {}", line_of(at), &c[0]));
        }
    }
    None
}

#[test]
fn the_escape_detector_sees_the_old_ways() {
    let old = r#"let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "shared",
        "schemas",
    ].iter().collect();"#;
    let tests = root().join("tests");
    assert!(escapes(old, &tests).is_some());
    assert!(escapes(r#"root().join("../shared/fixtures")"#, &tests).is_some());
    let joined = r#"Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("x")"#;
    assert!(escapes(joined, &tests).is_some());
    let concat = r#"concat!(env!("CARGO_MANIFEST_DIR"), "/../other/x")"#;
    assert!(escapes(concat, &tests).is_some());
    assert!(escapes(r#"include_str!("../../elsewhere.toml")"#, &tests).is_some());
    // What the suite does write: paths inside, and ".." as data.
    assert!(
        escapes(
            r#"data::path("fixtures"); let tokens = ["..", "1"];"#,
            &tests
        )
        .is_none()
    );
    let inside = r#"concat!(env!("CARGO_MANIFEST_DIR"), "/exams/demo.toml");"#;
    assert!(escapes(inside, &tests).is_none());
    assert!(escapes(r#"include_str!("../exams/demo.toml")"#, &tests).is_none());
}

#[test]
fn no_test_reads_outside_the_repository() {
    let mut files = Vec::new();
    for dir in ["tests", "benches", "examples", "fuzz", "src"] {
        let dir = root().join(dir);
        if dir.is_dir() {
            files_below(&dir, &mut files);
        }
    }
    let this = root().join("tests/self_contained.rs");
    let mut problems = Vec::new();
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "rs") && **f != this)
    {
        let source = std::fs::read_to_string(file).unwrap();
        if let Some(why) = escapes(&source, file.parent().unwrap()) {
            problems.push(format!("{}: {why}", file.display()));
        }
    }
    assert!(
        problems.is_empty(),
        "these read outside the repository (copy the file into tests/data/):\n{}",
        problems.join("\n")
    );
}
