//! Verifying many credentials with their signatures checked in batches
//! (`verify::verify_many`) gives, for each, exactly the report of
//! `verify::verify` alone: tampered credentials among valid ones, crafted
//! signatures with a small-order key or `R` (which a plain batch equation
//! accepts and strict verification rejects), and random mixes.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a failed test

#[path = "support/sample.rs"]
mod sample;

use brevet::credential::did::{DidKey, encode_base58btc};
use brevet::credential::ob::{self, credential_id};
use brevet::credential::verify::{Report, VerifyOptions, verify, verify_many};
use brevet::credential::{parse_datetime, proof};
use curve25519_dalek::constants::{ED25519_BASEPOINT_POINT, EIGHT_TORSION};
use curve25519_dalek::edwards::EdwardsPoint;
use curve25519_dalek::scalar::Scalar;
use ed25519_dalek::{SigningKey, VerifyingKey};
use proptest::prelude::*;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha512};
use std::sync::OnceLock;

fn options() -> VerifyOptions<'static> {
    VerifyOptions {
        now: parse_datetime("2025-06-01T00:00:00Z").unwrap(),
        trusted: &[],
    }
}

/// `n` distinct valid credentials like the sample, as file bytes.
fn credentials(n: u32) -> Vec<Vec<u8>> {
    let key = sample::key();
    let mut input = sample::input(key.did());
    (0..n)
        .map(|i| {
            let mut id = [0x3f; 16];
            id[..4].copy_from_slice(&i.to_be_bytes());
            input.id = credential_id(id);
            serde_json::to_vec_pretty(&ob::issue(&input, &key).unwrap()).unwrap()
        })
        .collect()
}

fn base() -> &'static [Vec<u8>] {
    static BASE: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    BASE.get_or_init(|| credentials(24))
}

/// Ways to spoil a credential: each gives a different verdict.
const TAMPERINGS: usize = 7;

fn tamper(bytes: &[u8], how: usize) -> Vec<u8> {
    let mut doc: Value = serde_json::from_slice(bytes).unwrap();
    match how {
        0 => doc["credentialSubject"]["result"][0]["value"] = json!("99"),
        1 => doc["credentialSubject"]["name"] = json!("Eve"),
        2 => {
            // Another valid-looking signature: the last character changed.
            let value = doc["proof"][0]["proofValue"].as_str().unwrap().to_owned();
            let last = if value.ends_with('2') { '3' } else { '2' };
            doc["proof"][0]["proofValue"] = json!(format!("{}{last}", &value[..value.len() - 1]));
        }
        3 => doc["proof"][0]["cryptosuite"] = json!("eddsa-rdfc-2022"),
        4 => {
            doc.as_object_mut().unwrap().remove("proof");
        }
        5 => return b"{\"not\": \"closed\"".to_vec(),
        _ => doc["proof"][0]["proofPurpose"] = json!("authentication"),
    }
    serde_json::to_vec(&doc).unwrap()
}

fn one_by_one(files: &[Vec<u8>]) -> Vec<Report> {
    files.iter().map(|f| verify(f, &options())).collect()
}

fn batched(files: &[Vec<u8>]) -> Vec<Report> {
    let slices: Vec<&[u8]> = files.iter().map(Vec::as_slice).collect();
    verify_many(&slices, &options())
}

fn codes(reports: &[Report]) -> Vec<&'static str> {
    reports
        .iter()
        .map(|r| match &r.verdict {
            brevet::credential::verify::Verdict::Valid { .. } => "valid",
            brevet::credential::verify::Verdict::Invalid(why) => why.code(),
        })
        .collect()
}

#[test]
fn one_tampered_credential_among_valid_ones() {
    for how in 0..TAMPERINGS {
        let mut files = base().to_vec();
        files[7] = tamper(&files[7], how);
        let alone = one_by_one(&files);
        let together = batched(&files);
        assert_eq!(together, alone, "tampering {how}");
        let expected: Vec<&str> = (0..files.len())
            .map(|i| if i == 7 { codes(&alone)[7] } else { "valid" })
            .collect();
        assert_eq!(codes(&together), expected, "tampering {how}");
        assert_ne!(codes(&together)[7], "valid", "tampering {how}");
    }
}

/// `k = H(R || A || M)` as a scalar.
fn challenge(r: &[u8; 32], key: &VerifyingKey, message: &[u8]) -> Scalar {
    let mut h = Sha512::new();
    h.update(r);
    h.update(key.as_bytes());
    h.update(message);
    Scalar::from_bytes_mod_order_wide(&h.finalize().into())
}

/// A credential issued by `did`, with the proof value `sign` makes from the
/// data to sign.
fn with_proof(did: &DidKey, sign: impl FnOnce(&[u8; 64]) -> [u8; 64]) -> Vec<u8> {
    let Value::Object(mut doc) = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": {"id": did.to_string()},
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {"name": "Ada"}
    }) else {
        unreachable!()
    };
    let created = parse_datetime("2025-01-01T00:00:00Z").unwrap();
    let mut options: Map<String, Value> = proof::proof_options(&doc, did, created);
    let signature = sign(&proof::hash_data(&options, &doc));
    options.insert("proofValue".into(), encode_base58btc(&signature).into());
    doc.insert("proof".into(), json!([options]));
    serde_json::to_vec(&doc).unwrap()
}

/// Signed by `key` with the nonce point `R = [r]B + extra` and
/// `s = r + k·a`: the equation holds but for `extra`.
fn crafted(key: &SigningKey, r: Scalar, extra: EdwardsPoint) -> Vec<u8> {
    let did = DidKey::from_key(key.verifying_key());
    with_proof(&did, |message| {
        let big_r = (ED25519_BASEPOINT_POINT * r + extra).compress();
        let k = challenge(big_r.as_bytes(), &key.verifying_key(), message);
        let s = r + k * key.to_scalar();
        let mut signature = [0u8; 64];
        signature[..32].copy_from_slice(big_r.as_bytes());
        signature[32..].copy_from_slice(s.as_bytes());
        signature
    })
}

fn assert_same_among_valid(odd: Vec<u8>) {
    let alone = verify(&odd, &options());
    assert_eq!(
        codes(std::slice::from_ref(&alone)),
        ["bad-signature"],
        "{:?}",
        alone.verdict
    );
    for at in [0, 5, 12] {
        let mut files = base()[..12].to_vec();
        files.insert(at, odd.clone());
        assert_eq!(batched(&files), one_by_one(&files));
        assert_eq!(codes(&batched(&files))[at], "bad-signature");
    }
}

#[test]
fn a_small_order_key_is_judged_as_alone() {
    // The identity as the key: [1]B = R with R = B satisfies the
    // cofactorless equation for every message; strict verification
    // rejects the weak key.
    let identity =
        VerifyingKey::from_bytes(&EdwardsPoint::default().compress().to_bytes()).unwrap();
    let did = DidKey::from_key(identity);
    let odd = with_proof(&did, |_| {
        let mut signature = [0u8; 64];
        signature[..32].copy_from_slice(ED25519_BASEPOINT_POINT.compress().as_bytes());
        signature[32..].copy_from_slice(Scalar::ONE.as_bytes());
        signature
    });
    assert_same_among_valid(odd);
}

#[test]
fn a_small_order_r_is_judged_as_alone() {
    // R = the identity, s = k·a: the equation holds, R is of small order.
    let key = SigningKey::from_bytes(&[7; 32]);
    assert_same_among_valid(crafted(&key, Scalar::ZERO, EdwardsPoint::default()));
    // R = a point of order 8.
    assert_same_among_valid(crafted(&key, Scalar::ZERO, EIGHT_TORSION[1]));
}

#[test]
fn an_r_with_a_torsion_component_is_judged_as_alone() {
    // R = [r]B + T, T of order 2 or 8: a batch equation alone would accept
    // it for some coefficients; strict verification never does.
    let key = SigningKey::from_bytes(&[8; 32]);
    for (r, t) in [(11u64, 4usize), (12, 4), (13, 1), (14, 2)] {
        assert_same_among_valid(crafted(&key, Scalar::from(r), EIGHT_TORSION[t]));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn random_tamperings_get_the_verdicts_of_one_by_one(
        n in 1usize..24,
        spoiled in prop::collection::vec((any::<bool>(), 0..TAMPERINGS), 24),
    ) {
        let files: Vec<Vec<u8>> = base()[..n]
            .iter()
            .zip(&spoiled)
            .map(|(f, &(spoil, how))| if spoil { tamper(f, how) } else { f.clone() })
            .collect();
        let alone = one_by_one(&files);
        prop_assert_eq!(batched(&files), alone.clone());
        for (i, (spoil, _)) in spoiled.iter().take(n).enumerate() {
            prop_assert_eq!(alone[i].verdict.is_valid(), !spoil);
        }
    }
}
