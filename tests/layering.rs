//! The arrows point down: the core (bank, attempt engine, scoring,
//! credentials) knows no edge, the screens know no command line, the
//! terminal runtime knows no front end. Read from the sources' `crate::`
//! paths and `use` lines, so that a new import against the grain fails here.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::Path;

/// The modules of `src/` each module (file or folder) names.
fn imports(module: &str) -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let file = root.join(format!("{module}.rs"));
    if file.exists() {
        files.push(file);
    }
    let mut dirs = vec![root.join(module)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    assert!(!files.is_empty(), "no module {module}");
    let mut names = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, _) in text.match_indices("crate::") {
            let rest = &text[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name != module {
                names.insert(name);
            }
        }
        if text.contains("clap::") || text.contains("use clap") {
            names.insert("clap".into());
        }
    }
    names
}

fn assert_never(module: &str, forbidden: &[&str]) {
    let found = imports(module);
    for f in forbidden {
        assert!(
            !found.contains(*f),
            "{module} imports {f}, against the layering (it imports {found:?})"
        );
    }
}

const EDGES: &[&str] = &[
    "cli", "tui", "plain", "kiosk", "terminal", "launch", "issuing", "clap", "online", "ureq",
];

#[test]
fn the_core_knows_no_edge() {
    for core in [
        "bank",
        "attempt",
        "scoring",
        "credential",
        "present",
        "share",
    ] {
        assert_never(core, EDGES);
    }
}

#[test]
fn screens_know_no_command_line_and_the_runtime_no_front_end() {
    for screen in [
        "tui", "plain", "kiosk", "issuing", "launch", "store", "input", "atomic", "online",
    ] {
        assert_never(screen, &["cli", "clap"]);
    }
    assert_never("tui", &["plain", "kiosk"]);
    assert_never("plain", &["tui", "kiosk", "terminal"]);
    assert_never("terminal", &["tui", "plain", "kiosk", "cli"]);
}

#[test]
fn signing_does_not_import_verification() {
    let proof = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src/credential/proof.rs"),
    )
    .unwrap();
    assert!(
        !proof.contains("verify::"),
        "credential::proof imports verify"
    );
}
