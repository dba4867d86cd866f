//! Credential benchmarks. Group `jcs`: RFC 8785 canonicalisation of a
//! credential-sized document (benches/data/credential-2k4.json), brevet's own
//! implementation against the two JCS crates, to justify the choice. Groups
//! `credential/SUITE`, for `eddsa-rdfc-2022` and `eddsa-jcs-2022`: issue one
//! credential; verify one from its bytes (and the strict Ed25519
//! verification alone, the floor it cannot go under).

#[path = "../tests/support/sample.rs"]
mod sample;

use brevet::credential::proof::Cryptosuite;
use brevet::credential::verify::{VerifyOptions, verify};
use brevet::credential::{jcs, ob, parse_datetime};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn credential_value() -> serde_json::Value {
    let text = include_str!("data/credential-2k4.json");
    jcs::parse_strict(text.as_bytes()).expect("bench fixture is valid JSON")
}

fn jcs_implementations(c: &mut Criterion) {
    let value = credential_value();
    let ours = jcs::canonicalize(&value);
    // Same bytes from all three, or the comparison means nothing.
    assert_eq!(serde_jcs::to_vec(&value).expect("serde_jcs"), ours);
    assert_eq!(
        serde_json_canonicalizer::to_vec(&value).expect("serde_json_canonicalizer"),
        ours
    );
    let mut group = c.benchmark_group("jcs");
    group.throughput(criterion::Throughput::Bytes(ours.len() as u64));
    group.bench_function("brevet", |b| {
        b.iter(|| jcs::canonicalize(black_box(&value)))
    });
    group.bench_function("serde_jcs", |b| {
        b.iter(|| serde_jcs::to_vec(black_box(&value)))
    });
    group.bench_function("serde_json_canonicalizer", |b| {
        b.iter(|| serde_json_canonicalizer::to_vec(black_box(&value)))
    });
    group.finish();
}

fn issue_and_verify(c: &mut Criterion) {
    for suite in [Cryptosuite::EddsaRdfc2022, Cryptosuite::EddsaJcs2022] {
        issue_and_verify_with(c, suite);
    }
}

fn issue_and_verify_with(c: &mut Criterion, suite: Cryptosuite) {
    let key = sample::key();
    let input = sample::input(key.did());
    let doc = ob::issue(&input, &key, suite).expect("sample issues");
    let bytes = serde_json::to_vec_pretty(&doc).expect("serialises");
    let options = VerifyOptions {
        now: parse_datetime("2025-06-01T00:00:00Z").expect("date"),
        knowledge: brevet::credential::verify::Knowledge::none(),
        require_trust: false,
        any_vc: false,
    };
    assert!(verify(&bytes, &options).verdict.is_valid());
    let mut group = c.benchmark_group(format!("credential/{}", suite.name()));
    group.bench_function("issue", |b| {
        b.iter(|| ob::issue(black_box(&input), &key, suite))
    });
    group.throughput(criterion::Throughput::Bytes(bytes.len() as u64));
    group.bench_function("verify_from_bytes", |b| {
        b.iter(|| verify(black_box(&bytes), &options))
    });
    // The floor: what any verifier of this suite must do (parse, take the
    // proof out, canonicalise and hash both parts, strict Ed25519), and
    // nothing else (no shape checks, no summary, no dates).
    let public = key.did().verifying_key();
    let floor = |bytes: &[u8]| {
        let serde_json::Value::Object(mut doc) = jcs::parse_strict(bytes).expect("JSON") else {
            unreachable!("an object")
        };
        let serde_json::Value::Array(mut proofs) = doc.remove("proof").expect("a proof") else {
            unreachable!("an array")
        };
        let serde_json::Value::Object(mut proof) = proofs.remove(0) else {
            unreachable!("an object")
        };
        let value = proof.remove("proofValue").expect("a value");
        let signature = brevet::credential::did::decode_base58btc(value.as_str().expect("text"))
            .expect("base58btc");
        let signature = ed25519_dalek::Signature::from_slice(&signature).expect("64 bytes");
        let data = brevet::credential::proof::hash_data(suite, &proof, &doc).expect("hashes");
        public.verify_strict(&data, &signature).is_ok()
    };
    assert!(floor(&bytes));
    group.bench_function("floor_parse_canonicalise_hash_verify", |b| {
        b.iter(|| floor(black_box(&bytes)))
    });
    // Two issuers in turn: each verification decodes its issuer's did:key
    // (the last one read is remembered per thread), as a lone verification
    // does. Two verifications per iteration.
    let other_key = brevet::credential::key::IssuerKey::from_seed(&[0x5b; 32]);
    let other = serde_json::to_vec_pretty(
        &ob::issue(&sample::input(other_key.did()), &other_key, suite).expect("sample issues"),
    )
    .expect("serialises");
    assert!(verify(&other, &options).verdict.is_valid());
    group.throughput(criterion::Throughput::Bytes(
        (bytes.len() + other.len()) as u64,
    ));
    group.bench_function("verify_from_bytes_two_issuers_in_turn", |b| {
        b.iter(|| {
            (
                verify(black_box(&bytes), &options),
                verify(black_box(&other), &options),
            )
        })
    });
    group.throughput(criterion::Throughput::Elements(1));
    let message = [7u8; 64];
    let signature =
        ed25519_dalek::Signer::sign(&ed25519_dalek::SigningKey::from_bytes(&[1; 32]), &message);
    let public = ed25519_dalek::SigningKey::from_bytes(&[1; 32]).verifying_key();
    group.bench_function("ed25519_verify_strict_alone", |b| {
        b.iter(|| public.verify_strict(black_box(&message), &signature))
    });
    group.finish();
}

/// Group `status`: publishing a 131,072-entry status list (encode, build,
/// sign with `eddsa-rdfc-2022`) against issuing one credential; and a run
/// of 100 credentials verified with their status checked (the list read and
/// checked once for the run) against the same run without it.
fn status_lists(c: &mut Criterion) {
    use brevet::credential::proof;
    use brevet::credential::status::{self, Bitstring, Entry, MIN_ENTRIES, Purpose};
    use brevet::credential::verify::{Knowledge, check_list};
    let key = sample::key();
    let now = parse_datetime("2025-06-01T00:00:00Z").expect("date");
    let url = "https://example.org/status/revocation-1.json";
    // One place in a hundred revoked, spread over the list.
    let mut bits = Bitstring::new(MIN_ENTRIES);
    for i in (0..MIN_ENTRIES as u64).step_by(97) {
        bits.set(i, true);
    }
    let publish = |bits: &Bitstring| {
        let list =
            status::list_credential(url, &key.did().to_string(), Purpose::Revocation, now, bits);
        proof::sign(list, &key, now, Cryptosuite::EddsaRdfc2022).expect("signs")
    };
    let list_bytes = serde_json::to_vec_pretty(&publish(&bits)).expect("serialises");
    let input = sample::input(key.did());
    let mut group = c.benchmark_group("status");
    group.bench_function("publish_131072_entries", |b| {
        b.iter(|| publish(black_box(&bits)))
    });
    group.bench_function("issue_one_credential", |b| {
        b.iter(|| ob::issue(black_box(&input), &key, Cryptosuite::EddsaRdfc2022))
    });
    // 100 credentials, none revoked (index 1 + 97k is never set).
    let credentials: Vec<Vec<u8>> = (0..100u64)
        .map(|i| {
            let mut input = sample::input(key.did());
            input.id = ob::credential_id([i as u8; 16]);
            input.status = vec![Entry {
                purpose: Purpose::Revocation,
                index: 1 + 97 * i,
                list: url.to_owned(),
            }];
            serde_json::to_vec_pretty(
                &ob::issue(&input, &key, Cryptosuite::EddsaRdfc2022).expect("issues"),
            )
            .expect("serialises")
        })
        .collect();
    let without = VerifyOptions::at(now);
    let run_without = || {
        credentials
            .iter()
            .filter(|c| verify(c, &without).verdict.is_valid())
            .count()
    };
    let run_with = || {
        let mut knowledge = Knowledge::default();
        let list = check_list(&list_bytes, &VerifyOptions::at(now));
        knowledge.lists.insert(url.to_owned(), list);
        let options = VerifyOptions {
            knowledge: &knowledge,
            ..VerifyOptions::at(now)
        };
        credentials
            .iter()
            .filter(|c| {
                matches!(
                    verify(c, &options).verdict,
                    brevet::credential::verify::Verdict::Valid {
                        status: brevet::credential::verify::Status::Clear { .. },
                        ..
                    }
                )
            })
            .count()
    };
    assert_eq!(run_without(), 100);
    assert_eq!(run_with(), 100, "every status checked and clear");
    group.throughput(criterion::Throughput::Elements(100));
    group.bench_function("verify_100_without_status", |b| b.iter(run_without));
    group.bench_function("verify_100_with_status", |b| b.iter(run_with));
    group.finish();
}

/// What a learner shares: the badge drawn and baked (PNG, SVG), the
/// certificate (PDF), against issuing the credential, in the same run.
fn share(c: &mut Criterion) {
    let key = sample::key();
    let input = sample::input(key.did());
    let doc = ob::issue(&input, &key, Cryptosuite::EddsaRdfc2022).expect("issues");
    let json = serde_json::to_string_pretty(&doc).expect("serialises");
    let mut group = c.benchmark_group("share");
    group.bench_function("issue_one_credential", |b| {
        b.iter(|| ob::issue(black_box(&input), &key, Cryptosuite::EddsaRdfc2022))
    });
    group.bench_function("baked_png", |b| {
        b.iter(|| brevet::share::baked_png(black_box(&json)))
    });
    group.bench_function("baked_svg", |b| {
        b.iter(|| brevet::share::baked_svg(black_box(&json)))
    });
    group.bench_function("certificate_pdf", |b| {
        let utc = chrono::FixedOffset::east_opt(0).expect("UTC");
        b.iter(|| brevet::share::certificate(black_box(&json), None, utc))
    });
    group.finish();
}

criterion_group!(
    benches,
    jcs_implementations,
    issue_and_verify,
    status_lists,
    share
);
criterion_main!(benches);
