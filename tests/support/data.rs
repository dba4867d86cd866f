//! The files under `tests/data/` (copies of third-party vectors, schemas and
//! banks; see `tests/data/README.md`): the only way tests reach them, so
//! that no test reads anything outside the repository.

#![allow(dead_code)] // each test crate uses the part it needs

use std::path::{Component, Path, PathBuf};

/// The path of `relative` inside `tests/data/`.
///
/// # Panics
/// When `relative` is absolute or climbs out with `..`: test data lives in
/// the repository.
pub fn path(relative: &str) -> PathBuf {
    let rel = Path::new(relative);
    assert!(
        rel.components().all(|c| matches!(c, Component::Normal(_))),
        "test data must be named inside tests/data/: {relative}"
    );
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
        .join(rel)
}

/// The bytes of `tests/data/RELATIVE`.
///
/// # Panics
/// When the file cannot be read (the message names it).
pub fn read(relative: &str) -> Vec<u8> {
    let path = path(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The official Open Badges 3.0 JSON Schema (draft 2019-09), as a
/// validator that checks formats too.
pub fn ob_schema_validator() -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_slice(&read("schemas/ob_v3p0_achievementcredential_schema.json"))
            .expect("the schema is JSON");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft201909)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the official schema compiles")
}
