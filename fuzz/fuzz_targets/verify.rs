//! Fuzzes the credential verifier: any bytes give a verdict, never a panic,
//! and only a credential whose proof holds is ever called valid.
//!
//! ```sh
//! cargo +nightly fuzz run verify fuzz/corpus/verify tests/data/vectors/eddsa-jcs-2022
//! ```

#![no_main]

use brevet::credential::verify::{VerifyOptions, verify};
use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let now = Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).single().expect("a valid date");
    let report = verify(data, &VerifyOptions { now, trusted: &[], any_vc: false });
    if report.verdict.is_valid() {
        // A valid verdict must come from a real proof: bytes that are not
        // even JSON can never be valid.
        assert!(serde_json::from_slice::<serde_json::Value>(data).is_ok());
    }
});
