//! JSON-LD to canonical N-Quads (RDFC-1.0) on the published vectors: the
//! 1EdTech Open Badges 3.0 vector (tests/data/vectors/ob3-rdfc) and the W3C
//! `eddsa-rdfc-2022` vectors (tests/data/vectors/eddsa-rdfc-2022).

#![allow(clippy::unwrap_used)] // test helpers: a panic is a failed test

#[path = "support/data.rs"]
mod data;

use brevet::credential::did::{DidKey, decode_base58btc};
use brevet::credential::key::IssuerKey;
use brevet::credential::proof::{self, Cryptosuite};
use brevet::credential::verify::{VerifyOptions, verify};
use brevet::credential::{ld, parse_datetime, rdfc};
use serde_json::Value;

fn json(name: &str) -> Value {
    serde_json::from_slice(&data::read(name)).unwrap()
}

fn text(name: &str) -> String {
    String::from_utf8(data::read(name)).unwrap()
}

fn canonical(doc: &Value) -> String {
    let quads = ld::to_rdf(doc).unwrap_or_else(|e| panic!("{e}"));
    rdfc::canonicalize(&quads).unwrap()
}

#[test]
fn the_open_badges_vector_canonicalises_byte_for_byte() {
    let doc = json("vectors/ob3-rdfc/credential.json");
    let got = canonical(&doc);
    let want = text("vectors/ob3-rdfc/document-canon.txt");
    if got != want {
        for (g, w) in got.lines().zip(want.lines()) {
            if g != w {
                panic!("first difference:\n got {g}\nwant {w}");
            }
        }
        panic!(
            "{} lines, want {}",
            got.lines().count(),
            want.lines().count()
        );
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(bytes))
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// The 1EdTech vector's proof options: its proof without `proofValue`,
/// with the credential's `@context`.
fn ob_proof_options() -> serde_json::Map<String, Value> {
    let vector = json("vectors/ob3-rdfc/vector.json");
    let mut options = vector["proof"].as_object().unwrap().clone();
    options.remove("proofValue");
    options.insert(
        "@context".into(),
        json("vectors/ob3-rdfc/credential.json")["@context"].clone(),
    );
    options
}

#[test]
fn the_open_badges_vector_hashes_and_signs_byte_for_byte() {
    let vector = json("vectors/ob3-rdfc/vector.json");
    let options = ob_proof_options();
    let proof_canon = canonical(&Value::Object(options.clone()));
    assert_eq!(proof_canon, text("vectors/ob3-rdfc/proof-canon.txt"));
    assert_eq!(sha256_hex(proof_canon.as_bytes()), vector["proofHashHex"]);
    let credential = json("vectors/ob3-rdfc/credential.json");
    let data = proof::hash_data(
        Cryptosuite::EddsaRdfc2022,
        &options,
        credential.as_object().unwrap(),
    )
    .unwrap();
    assert_eq!(hex(&data), vector["dataToSignHex"]);
    let private = unhex(vector["privateKeyHex"].as_str().unwrap());
    let key = IssuerKey::from_seed(private[..32].try_into().unwrap());
    assert_eq!(hex(&key.sign(&data).to_bytes()), vector["signatureHex"]);
}

/// `doc` with the W3C examples context, which brevet does not ship (it
/// never loads a context from outside the binary), written inline: JSON-LD
/// gives a context URL the meaning of its document's `@context`, so the
/// canonical form is the same.
fn with_examples_context_inline(mut doc: Value) -> Value {
    const EXAMPLES: &str = "https://www.w3.org/ns/credentials/examples/v2";
    let inline = json("contexts/credentials-examples-v2.jsonld")["@context"].clone();
    for context in doc["@context"].as_array_mut().unwrap() {
        if context == EXAMPLES {
            *context = inline.clone();
        }
    }
    doc
}

#[test]
fn the_w3c_vector_canonicalises_hashes_and_signs_byte_for_byte() {
    let unsigned = with_examples_context_inline(json("vectors/eddsa-rdfc-2022/unsigned.json"));
    let config =
        with_examples_context_inline(json("vectors/eddsa-rdfc-2022/proofConfigDataInt.json"));
    let doc_canon = canonical(&unsigned);
    let proof_canon = canonical(&config);
    assert_eq!(
        doc_canon,
        text("vectors/eddsa-rdfc-2022/canonDocDataInt.txt")
    );
    assert_eq!(
        proof_canon,
        text("vectors/eddsa-rdfc-2022/proofCanonDataInt.txt")
    );
    let doc_hash = sha256_hex(doc_canon.as_bytes());
    let proof_hash = sha256_hex(proof_canon.as_bytes());
    assert_eq!(
        doc_hash,
        text("vectors/eddsa-rdfc-2022/docHashDataInt.txt").trim()
    );
    assert_eq!(
        proof_hash,
        text("vectors/eddsa-rdfc-2022/proofHashDataInt.txt").trim()
    );
    let data = proof::hash_data(
        Cryptosuite::EddsaRdfc2022,
        config.as_object().unwrap(),
        unsigned.as_object().unwrap(),
    )
    .unwrap();
    assert_eq!(
        hex(&data),
        text("vectors/eddsa-rdfc-2022/combinedHashDataInt.txt").trim()
    );
    let pair = json("vectors/eddsa-rdfc-2022/keyPair.json");
    let secret = decode_base58btc(pair["privateKeyMultibase"].as_str().unwrap()).unwrap();
    // Multikey: a two-byte header (0x8026), then the 32-byte seed.
    let key = IssuerKey::from_seed(secret[2..].try_into().unwrap());
    assert_eq!(
        format!("did:key:{}", pair["publicKeyMultibase"].as_str().unwrap()),
        key.did().to_string()
    );
    let signature = key.sign(&data);
    assert_eq!(
        hex(&signature.to_bytes()),
        text("vectors/eddsa-rdfc-2022/sigHexDataInt.txt").trim()
    );
    let signed = json("vectors/eddsa-rdfc-2022/signedDataInt.json");
    assert_eq!(
        signed["proof"]["proofValue"],
        text("vectors/eddsa-rdfc-2022/sigBTC58DataInt.txt").trim()
    );
}

#[test]
fn the_signed_w3c_vector_verifies_and_an_edit_breaks_it() {
    // Its issuer (`https://vc.example/issuers/5678`) is not the key's
    // controller, which `brevet verify` requires: the proof itself is
    // checked here, as a verifier of the suite would.
    let check = |signed: Value| {
        let mut doc = with_examples_context_inline(signed);
        let mut proof = doc.as_object_mut().unwrap().remove("proof").unwrap();
        proof["@context"] = doc["@context"].clone();
        let value = proof.as_object_mut().unwrap().remove("proofValue").unwrap();
        let signature = decode_base58btc(value.as_str().unwrap()).unwrap();
        let signature = ed25519_dalek::Signature::from_slice(&signature).unwrap();
        let method = proof["verificationMethod"].as_str().unwrap();
        let did = DidKey::parse(method.split('#').next().unwrap()).unwrap();
        let data = proof::hash_data(
            Cryptosuite::EddsaRdfc2022,
            proof.as_object().unwrap(),
            doc.as_object().unwrap(),
        )
        .unwrap();
        did.verifying_key().verify_strict(&data, &signature).is_ok()
    };
    let signed = json("vectors/eddsa-rdfc-2022/signedDataInt.json");
    assert!(check(signed.clone()));
    let mut edited = signed.clone();
    edited["credentialSubject"]["alumniOf"] = "The School of Others".into();
    assert!(!check(edited));
    let mut edited = signed;
    edited["proof"]["created"] = "2023-02-24T23:36:39Z".into();
    assert!(!check(edited));
}

#[test]
fn the_canonical_form_does_not_depend_on_member_order_or_blank_node_labels() {
    let doc = json("vectors/ob3-rdfc/credential.json");
    let reversed: serde_json::Map<String, Value> = doc
        .as_object()
        .unwrap()
        .iter()
        .rev()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    assert_eq!(canonical(&Value::Object(reversed)), canonical(&doc));
}

#[test]
fn a_credential_of_brevet_0_1_still_verifies() {
    // The eddsa-jcs-2022 credential brevet 0.1 issued for the sample input
    // (docs/credential.md of that version), kept as it was.
    let report = keeps_verifying("brevet-0.1-credential.json");
    assert_eq!(
        report.summary.supervision.as_deref(),
        Some("supervised-onsite")
    );
}

/// The kept credential `name` verifies (in June 2025), and an edit of its
/// score does not.
fn keeps_verifying(name: &str) -> brevet::credential::verify::Report {
    let bytes = data::read(name);
    let options = VerifyOptions {
        now: parse_datetime("2025-06-01T00:00:00Z").unwrap(),
        knowledge: brevet::credential::verify::Knowledge::none(),
        require_trust: false,
        any_vc: false,
    };
    let report = verify(&bytes, &options);
    assert!(report.verdict.is_valid(), "{name}: {:?}", report.verdict);
    let edited = String::from_utf8(bytes).unwrap().replace("82.5", "92.5");
    assert!(!verify(edited.as_bytes(), &options).verdict.is_valid());
    report
}

#[test]
fn a_credential_with_an_earlier_inline_context_still_verifies() {
    // Issued for the sample input with version 1 of brevet's inline
    // context, kept as it was: a new version of the context must not make
    // it unreadable.
    let bytes = data::read("brevet-context-1-credential.json");
    let doc: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(
        doc["@context"][3],
        serde_json::from_str::<Value>(brevet::credential::ob::BREVET_CONTEXTS[0]).unwrap()
    );
    keeps_verifying("brevet-context-1-credential.json");
}

#[test]
fn symmetric_blank_nodes_are_refused_in_bounded_time() {
    // Twelve blank nodes, each linked to every other: canonical labelling
    // would try billions of permutations.
    let mut quads = Vec::new();
    for a in 0..12 {
        for b in 0..12 {
            if a != b {
                quads.push(rdfc::Quad {
                    subject: rdfc::Term::Blank(format!("n{a}")),
                    predicate: "urn:ex:knows".into(),
                    object: rdfc::Term::Blank(format!("n{b}")),
                    graph: None,
                });
            }
        }
    }
    assert_eq!(
        rdfc::canonicalize(&quads),
        Err(rdfc::CanonError::TooComplex)
    );
}

#[test]
fn a_ring_of_many_alike_blank_nodes_is_refused_at_once() {
    // Every node of a ring has the same first-degree hash: the N-degree step
    // would take cubic time and recurse as deep as the ring is long.
    let n = 2000;
    let quads: Vec<rdfc::Quad> = (0..n)
        .map(|i| rdfc::Quad {
            subject: rdfc::Term::Blank(format!("r{i}")),
            predicate: "urn:ex:next".into(),
            object: rdfc::Term::Blank(format!("r{}", (i + 1) % n)),
            graph: None,
        })
        .collect();
    assert_eq!(
        rdfc::canonicalize(&quads),
        Err(rdfc::CanonError::TooComplex)
    );
}
