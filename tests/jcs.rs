//! Property tests of the JCS implementation: the same bytes as an
//! independent RFC 8785 crate on arbitrary JSON, and stable under re-reading.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a failed test

use brevet::credential::jcs;
use proptest::prelude::*;
use serde_json::{Number, Value};

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        (-1e25f64..1e25).prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn same_bytes_as_serde_json_canonicalizer(value in arb_json()) {
        let ours = jcs::canonicalize(&value);
        let theirs = serde_json_canonicalizer::to_vec(&value).unwrap();
        prop_assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&theirs));
    }

    #[test]
    fn canonical_form_is_a_fixed_point(value in arb_json()) {
        let once = jcs::canonicalize(&value);
        let reread = jcs::parse_strict(&once).unwrap();
        prop_assert_eq!(jcs::canonicalize(&reread), once);
    }

    #[test]
    fn pretty_printing_does_not_change_the_canonical_form(value in arb_json()) {
        let pretty = serde_json::to_vec_pretty(&value).unwrap();
        let reread = jcs::parse_strict(&pretty).unwrap();
        prop_assert_eq!(jcs::canonicalize(&reread), jcs::canonicalize(&value));
    }
}
