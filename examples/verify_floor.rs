//! The floor of `brevet verify FOLDER`, as a process measured beside it:
//! list the folder, read every file, and per file only what any verifier of
//! its suite must do (parse, take the proof out, canonicalise and hash both
//! parts, strict Ed25519), on every core. No shape checks, no summary, no
//! dates, no report.
//!
//! ```sh
//! cargo run --release --example gen_credentials -- /tmp/v10kj 10000 jcs
//! cargo build --release --example verify_floor
//! hyperfine -N --warmup 1 --runs 10 \
//!   'target/release/examples/verify_floor /tmp/v10kj' \
//!   'target/release/brevet verify /tmp/v10kj'
//! ```
//!
//! The issuer's key is decoded from the first file once: every file of the
//! folder has the same issuer, and `brevet verify` remembers the last key
//! each thread decoded.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a tool: a panic is a clear failure

use brevet::credential::did::{DidKey, decode_base58btc};
use brevet::credential::jcs;
use brevet::credential::proof::{Cryptosuite, hash_data};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};

fn verify(bytes: &[u8], key: &DidKey) -> bool {
    let Value::Object(mut doc) = jcs::parse_strict(bytes).expect("JSON") else {
        panic!("not an object")
    };
    let Value::Array(mut proofs) = doc.remove("proof").expect("a proof") else {
        panic!("not a proof set")
    };
    let Value::Object(mut proof) = proofs.remove(0) else {
        panic!("not a proof")
    };
    let suite = match proof["cryptosuite"].as_str() {
        Some("eddsa-jcs-2022") => Cryptosuite::EddsaJcs2022,
        _ => Cryptosuite::EddsaRdfc2022,
    };
    let value = proof.remove("proofValue").expect("a value");
    let signature = decode_base58btc(value.as_str().expect("text")).expect("base58btc");
    let signature = ed25519_dalek::Signature::from_slice(&signature).expect("64 bytes");
    let data = hash_data(suite, &proof, &doc).expect("hashes");
    key.verifying_key().verify_strict(&data, &signature).is_ok()
}

fn main() {
    let folder = std::env::args().nth(1).expect("usage: verify_floor FOLDER");
    let files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let first: Value = serde_json::from_slice(&std::fs::read(&files[0]).unwrap()).unwrap();
    let issuer = first["issuer"]["id"]
        .as_str()
        .or(first["issuer"].as_str())
        .expect("an issuer");
    let key = DidKey::parse(issuer).expect("a did:key issuer");
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let next = AtomicUsize::new(0);
    let valid = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some(file) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                    if verify(&std::fs::read(file).unwrap(), &key) {
                        valid.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let valid = valid.into_inner();
    assert_eq!(valid, files.len(), "every file of the folder verifies");
    println!("{valid} valid");
}
