//! The W3C test vectors of `eddsa-jcs-2022` (tests/data/vectors/eddsa-jcs-2022,
//! see SOURCES.md there): every intermediate value, byte for byte.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a failed test

#[path = "support/data.rs"]
mod data;

use brevet::credential::did::{DidKey, decode_base58btc};
use brevet::credential::key::IssuerKey;
use brevet::credential::verify::{Invalid, Verdict, VerifyOptions, verify};
use brevet::credential::{jcs, parse_datetime, proof};
use serde_json::{Map, Value};

const JCS: proof::Cryptosuite = proof::Cryptosuite::EddsaJcs2022;
use sha2::{Digest, Sha256};

fn vector(name: &str) -> Vec<u8> {
    data::read(&format!("vectors/eddsa-jcs-2022/{name}"))
}

fn vector_text(name: &str) -> String {
    String::from_utf8(vector(name))
        .unwrap()
        .trim_end()
        .to_owned()
}

fn object(name: &str) -> Map<String, Value> {
    match jcs::parse_strict(&vector(name)).unwrap() {
        Value::Object(map) => map,
        other => panic!("{name} is not an object: {other}"),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn vector_key() -> IssuerKey {
    let pair = object("keyPair.json");
    let secret = decode_base58btc(pair["privateKeyMultibase"].as_str().unwrap()).unwrap();
    assert_eq!(
        &secret[..2],
        &[0x80, 0x26],
        "ed25519-priv multicodec header"
    );
    IssuerKey::from_seed(&secret[2..].try_into().unwrap())
}

#[test]
fn did_key_of_the_vector_key() {
    let pair = object("keyPair.json");
    let public = pair["publicKeyMultibase"].as_str().unwrap();
    assert_eq!(vector_key().did().to_string(), format!("did:key:{public}"));
    assert_eq!(DidKey::from_multibase(public).unwrap(), *vector_key().did());
}

#[test]
fn canonical_document_and_its_hash() {
    let canonical = jcs::canonicalize_object(&object("unsigned.json"));
    assert_eq!(canonical, vector("canonDocJCS.txt"));
    assert_eq!(
        hex(&Sha256::digest(&canonical)),
        vector_text("docHashJCS.txt")
    );
}

#[test]
fn canonical_proof_config_and_its_hash() {
    let canonical = jcs::canonicalize_object(&object("proofConfigJCS.json"));
    assert_eq!(canonical, vector("proofCanonJCS.txt"));
    assert_eq!(
        hex(&Sha256::digest(&canonical)),
        vector_text("proofHashJCS.txt")
    );
}

#[test]
fn proof_options_and_hash_data_match() {
    let unsigned = object("unsigned.json");
    let config = object("proofConfigJCS.json");
    let created = parse_datetime(config["created"].as_str().unwrap()).unwrap();
    let options = proof::proof_options(
        &unsigned,
        &vector_key().did().verification_method(),
        created,
        JCS,
    );
    assert_eq!(options, config);
    let data = proof::hash_data(JCS, &options, &unsigned).unwrap();
    assert_eq!(hex(&data[..32]), vector_text("proofHashJCS.txt"));
    assert_eq!(hex(&data[32..]), vector_text("docHashJCS.txt"));
    assert_eq!(hex(&data), vector_text("combinedHashJCS.txt"));
}

#[test]
fn signing_reproduces_the_proof_value() {
    let config = object("proofConfigJCS.json");
    let created = parse_datetime(config["created"].as_str().unwrap()).unwrap();
    let signed = proof::sign(object("unsigned.json"), &vector_key(), created, JCS).unwrap();
    let proofs = signed["proof"].as_array().unwrap();
    assert_eq!(proofs.len(), 1, "proof is written as an array");
    let proof_value = proofs[0]["proofValue"].as_str().unwrap();
    assert_eq!(proof_value, vector_text("sigBTC58JCS.txt"));
    assert_eq!(
        hex(&decode_base58btc(proof_value).unwrap()),
        vector_text("sigHexJCS.txt")
    );
    // Apart from `proof` being an array, the signed document is the vector's.
    let mut expected = object("signedJCS.json");
    expected.insert(
        "proof".into(),
        Value::Array(vec![expected["proof"].clone()]),
    );
    assert_eq!(signed, expected);
}

#[test]
fn signed_vector_verifies() {
    let mut signed = object("signedJCS.json");
    let now = parse_datetime("2024-01-01T00:00:00Z").unwrap();
    let signer = proof::verify_proof(&mut signed, now).unwrap();
    assert_eq!(signer, *vector_key().did());
    assert_eq!(signed, object("unsigned.json"));
}

#[test]
fn signed_vector_is_refused_for_its_context_before_anything_else() {
    // It uses the W3C examples context, which brevet does not ship (its
    // proof holds: see `verify_proof` above). Even as any VC, the context
    // is refused with its reason.
    let now = parse_datetime("2024-01-01T00:00:00Z").unwrap();
    let report = verify(
        &vector("signedJCS.json"),
        &VerifyOptions {
            now,
            knowledge: brevet::credential::verify::Knowledge::none(),
            require_trust: false,
            any_vc: true,
        },
    );
    match report.verdict {
        Verdict::Invalid(Invalid::UnknownContext(why)) => {
            assert!(
                why.contains("https://www.w3.org/ns/credentials/examples/v2"),
                "{why}"
            );
        }
        other => panic!("{other:?}"),
    }
}
