//! Prints the RDFC-1.0 canonical N-Quads of a JSON-LD document (as
//! `eddsa-rdfc-2022` hashes it), and how long that took per document:
//!
//! ```sh
//! cargo run --release --example canonical -- credential.json [ROUNDS]
//! ```
//!
//! For comparing brevet's JSON-LD and RDFC with other implementations.

#![allow(clippy::unwrap_used)] // a tool: a panic is a clear failure

use brevet::credential::{ld, rdfc};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: canonical FILE.json [ROUNDS]");
    let rounds: u32 = args
        .next()
        .map_or(1, |n| n.parse().expect("ROUNDS is a number"));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    if let Some(map) = doc.as_object_mut() {
        map.remove("proof");
    }
    let start = std::time::Instant::now();
    let mut out = String::new();
    for _ in 0..rounds {
        out = rdfc::canonicalize(&ld::to_rdf(&doc).unwrap()).unwrap();
    }
    eprintln!("{:?} per document", start.elapsed() / rounds);
    print!("{out}");
}
