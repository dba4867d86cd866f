//! The floor a loader is measured against: `toml::from_str` deserializing a
//! whole bank into the loader's own raw structs in one serde pass, without
//! spans of tables, per-entry error recovery or any rule. Shared by
//! `benches/bank.rs` and `examples/load_ratio.rs` through `#[path]`.

use brevet::bank::raw::{RawMeta, RawQuestion, RawRules, RawSection};
use serde::Deserialize;
use toml::Spanned;

/// The whole file in one serde pass: what a naive loader would do.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // Built to be measured, never read.
pub struct Baseline {
    exam: RawMeta,
    rules: RawRules,
    sections: Vec<Spanned<RawSection>>,
    questions: Vec<Spanned<RawQuestion>>,
}

/// Deserializes `text` the baseline way; whether it succeeded.
pub fn load(text: &str) -> bool {
    toml::from_str::<Baseline>(text).is_ok()
}
