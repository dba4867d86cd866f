//! Writes N distinct signed credentials like the sample of
//! `tests/support/sample.rs` (each with its own id and learner id) into a
//! folder, for measuring `brevet verify` over many files:
//!
//! ```sh
//! cargo run --release --example gen_credentials -- /tmp/brevet-10k 10000 [jcs]
//! ```
//!
//! The credentials are signed with `eddsa-rdfc-2022`, or `eddsa-jcs-2022`
//! when the third argument is `jcs`.

#![allow(clippy::unwrap_used)] // a tool: a panic is a clear failure

#[path = "../tests/support/sample.rs"]
mod sample;

use brevet::credential::ob::{self, credential_id};
use brevet::credential::proof::Cryptosuite;

fn main() {
    let mut args = std::env::args().skip(1);
    let folder = std::path::PathBuf::from(args.next().expect("usage: gen_credentials FOLDER N"));
    let n: u32 = args
        .next()
        .map_or(10_000, |n| n.parse().expect("N is a number"));
    let suite = match args.next().as_deref() {
        Some("jcs") => Cryptosuite::EddsaJcs2022,
        _ => Cryptosuite::EddsaRdfc2022,
    };
    std::fs::create_dir_all(&folder).unwrap();
    let key = sample::key();
    let mut input = sample::input(key.did());
    for i in 0..n {
        let mut id = [0x3f; 16];
        id[..4].copy_from_slice(&i.to_be_bytes());
        input.id = credential_id(id);
        input.learner.id = Some(format!("A-2025-{i:05}"));
        let doc = ob::issue(&input, &key, suite).unwrap();
        let bytes = serde_json::to_vec_pretty(&doc).unwrap();
        std::fs::write(folder.join(format!("c{i:05}.json")), bytes).unwrap();
    }
    println!("{n} credentials in {}", folder.display());
}
