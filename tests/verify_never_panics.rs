//! The verifier gives a verdict on any input and never panics: arbitrary
//! bytes, arbitrary JSON, and a signed credential with any one value replaced.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a failed test

#[path = "support/json_paths.rs"]
mod json_paths;

use brevet::credential::key::IssuerKey;
use brevet::credential::verify::{VerifyOptions, verify};
use brevet::credential::{parse_datetime, proof};
use proptest::prelude::*;
use serde_json::{Number, Value, json};

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        any::<String>().prop_map(Value::String),
        "(did:key:z6Mk|z|u|eddsa-jcs-2022|DataIntegrityProof|assertionMethod)[a-zA-Z0-9#]{0,60}"
            .prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("proof".to_owned()),
                    Just("@context".to_owned()),
                    Just("issuer".to_owned()),
                    any::<String>()
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn signed() -> Value {
    let key = IssuerKey::from_seed(&[5; 32]);
    let doc = json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": key.did().to_string(), "type": ["Profile"]},
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {"result": [{"value": "80"}]}
    });
    let Value::Object(map) = doc else {
        unreachable!()
    };
    Value::Object(
        proof::sign(
            map,
            &key,
            parse_datetime("2025-01-01T00:00:00Z").unwrap(),
            proof::Cryptosuite::EddsaJcs2022,
        )
        .unwrap(),
    )
}

fn check(bytes: &[u8]) -> bool {
    let now = parse_datetime("2025-06-01T00:00:00Z").unwrap();
    verify(
        bytes,
        &VerifyOptions {
            now,
            knowledge: brevet::credential::verify::Knowledge::none(),
            require_trust: false,
            any_vc: false,
        },
    )
    .verdict
    .is_valid()
}

#[test]
fn the_base_credential_is_valid() {
    assert!(check(&serde_json::to_vec(&signed()).unwrap()));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        prop_assert!(!check(&bytes));
    }

    #[test]
    fn arbitrary_json(value in arb_json()) {
        prop_assert!(!check(&serde_json::to_vec(&value).unwrap()));
    }

    #[test]
    fn one_value_replaced(index in any::<prop::sample::Index>(), replacement in arb_json()) {
        let original = signed();
        let all = json_paths::pointers(&original, false);
        let path = index.get(&all);
        let mut edited = original.clone();
        *edited.pointer_mut(path).unwrap() = replacement;
        let valid = check(&serde_json::to_vec(&edited).unwrap());
        // Only a no-op replacement keeps it valid.
        prop_assert_eq!(valid, edited == original, "path {:?}", path);
    }

    #[test]
    fn truncated_or_bit_flipped(cut in any::<prop::sample::Index>(), flip in any::<prop::sample::Index>(), bit in 0u8..8) {
        let bytes = serde_json::to_vec_pretty(&signed()).unwrap();
        let cut = cut.index(bytes.len());
        prop_assert!(!check(&bytes[..cut]));
        let mut flipped = bytes.clone();
        let at = flip.index(bytes.len());
        flipped[at] ^= 1 << bit;
        // A flipped bit in insignificant whitespace may keep it valid; a
        // flipped bit must never panic, and never validate changed content.
        if check(&flipped) {
            let a: Value = serde_json::from_slice(&flipped).unwrap();
            prop_assert_eq!(a, signed());
        }
    }
}
