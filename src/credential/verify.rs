//! Verifying a credential file: from bytes to a verdict that says exactly
//! why a credential is not valid, and never panics, whatever the bytes.
//!
//! The checks, in order: size, strict JSON, the `eddsa-jcs-2022` proof (see
//! [`proof::verify_proof`]), issuer binding (the issuer is the key that
//! signed), the trusted issuers when some are pinned, then `validFrom` and
//! `validUntil` against the verifier's `now`.

use super::did::DidKey;
use super::summary::Summary;
use super::{format_datetime, jcs, parse_datetime, proof};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// The largest credential file read. A brevet credential is about 4 KB;
/// anything far bigger is not one.
pub const MAX_CREDENTIAL_BYTES: u64 = 1024 * 1024;

pub use super::invalid::Invalid;

/// What the verifier knows and wants: the time to check validity at, and,
/// when not empty, the only issuers it accepts.
#[derive(Debug, Clone, Copy)]
pub struct VerifyOptions<'a> {
    /// The time validity is checked at.
    pub now: DateTime<Utc>,
    /// Accepted issuers; empty accepts any issuer whose proof holds.
    pub trusted: &'a [DidKey],
    /// Accept Verifiable Credentials that are not Open Badges.
    pub any_vc: bool,
}

/// The outcome of verifying one credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Genuine, issued by this key, and valid at the given time.
    Valid {
        /// The issuer's key.
        issuer: DidKey,
    },
    /// Not valid, and exactly why.
    Invalid(Invalid),
}

impl Verdict {
    /// Whether the credential is valid.
    pub fn is_valid(&self) -> bool {
        matches!(self, Verdict::Valid { .. })
    }
}

/// A verdict with what the credential says (read even when it is invalid,
/// so a report can show what was claimed), and a verdict per proof.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Valid, or why not.
    pub verdict: Verdict,
    /// What the credential claims; empty when it is not readable JSON.
    pub summary: Summary,
    /// Each proof of the credential, in order, once they could be read.
    pub proofs: Vec<ProofVerdict>,
}

/// One proof of a proof set: who made it, with which suite, whether it
/// holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProofVerdict {
    /// The key that made it (`did:key:…`).
    pub signer: String,
    /// Its cryptosuite.
    pub cryptosuite: &'static str,
    /// Whether its signature holds.
    pub valid: bool,
    /// Whether it is the issuer's proof.
    pub issuer: bool,
}

/// Verifies a credential file's bytes: size, JSON, the contexts and shape,
/// every proof of its proof set (the issuer's must be among them, and each
/// must hold), then the issuer's trust and the dates.
pub fn verify(bytes: &[u8], options: &VerifyOptions<'_>) -> Report {
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > MAX_CREDENTIAL_BYTES {
        return invalid_unread(Invalid::TooLarge {
            size,
            max: MAX_CREDENTIAL_BYTES,
        });
    }
    let mut document = match jcs::parse_strict(bytes) {
        Ok(Value::Object(map)) => map,
        Ok(_) => {
            return invalid_unread(Invalid::NotACredential("the JSON is not an object".into()));
        }
        Err(e) => return invalid_unread(Invalid::MalformedJson(e.to_string())),
    };
    let summary = Summary::read(&document);
    let report = |verdict: Verdict, proofs: Vec<ProofVerdict>| Report {
        verdict,
        summary: summary.clone(),
        proofs,
    };
    if let Err(why) = shape(&document, options.any_vc) {
        return report(Verdict::Invalid(why), Vec::new());
    }
    let signed = match proof::prepare_proofs(&mut document, options.now) {
        Ok(signed) => signed,
        Err(why) => return report(Verdict::Invalid(why), Vec::new()),
    };
    let issuer = match issuer_id(&document) {
        Ok(issuer) => issuer,
        Err(why) => return report(Verdict::Invalid(why), Vec::new()),
    };
    // `issuer == signer.to_string()`, without building the string.
    let is_issuer =
        |s: &proof::SignedData| issuer.strip_prefix("did:key:") == Some(s.signer.multibase());
    let proofs: Vec<ProofVerdict> = signed
        .iter()
        .map(|s| ProofVerdict {
            signer: s.signer.to_string(),
            cryptosuite: s.suite.name(),
            valid: s.verify_strict(),
            issuer: is_issuer(s),
        })
        .collect();
    let Some(issuers) = signed.iter().position(is_issuer) else {
        let why = Invalid::IssuerMismatch {
            issuer: issuer.to_owned(),
            signer: signed[0].signer.to_string(),
        };
        return report(Verdict::Invalid(why), proofs);
    };
    if !proofs[issuers].valid {
        return report(Verdict::Invalid(Invalid::BadSignature), proofs);
    }
    if let Some(other) = proofs.iter().find(|p| !p.valid) {
        let why = Invalid::OtherProofInvalid(other.signer.clone());
        return report(Verdict::Invalid(why), proofs);
    }
    let signer = &signed[issuers].signer;
    match after_signature(&document, signer, options) {
        Ok(()) => report(
            Verdict::Valid {
                issuer: signer.clone(),
            },
            proofs,
        ),
        Err(why) => report(Verdict::Invalid(why), proofs),
    }
}

/// The credential's issuer id, from a string or a profile's `id`.
fn issuer_id(document: &Map<String, Value>) -> Result<&str, Invalid> {
    match document.get("issuer") {
        Some(Value::String(id)) => Ok(id),
        Some(Value::Object(profile)) => match profile.get("id") {
            Some(Value::String(id)) => Ok(id),
            _ => Err(Invalid::NotACredential("the issuer has no `id`".into())),
        },
        Some(_) => Err(Invalid::NotACredential(
            "`issuer` is neither a string nor an object".into(),
        )),
        None => Err(Invalid::NotACredential("no `issuer`".into())),
    }
}

/// The checks that need no cryptography: the contexts are the documented
/// ones in order, the credential is an Open Badge (unless `any_vc`), and an
/// Open Badge's issuer is a `Profile`.
fn shape(document: &Map<String, Value>, any_vc: bool) -> Result<(), Invalid> {
    use super::ld::{OB_EXTENSIONS, OB_V3P0, VC_V2};
    let contexts: &[Value] = match document.get("@context") {
        Some(Value::Array(items)) => items,
        Some(one) => std::slice::from_ref(one),
        None => return Err(Invalid::NotACredential("no `@context`".into())),
    };
    let types: Vec<&str> = match document.get("type") {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(t)) => vec![t.as_str()],
        _ => Vec::new(),
    };
    if !types.contains(&"VerifiableCredential") {
        return Err(Invalid::NotACredential(
            "its type has no VerifiableCredential".into(),
        ));
    }
    let open_badge = types
        .iter()
        .any(|t| matches!(*t, "OpenBadgeCredential" | "AchievementCredential"));
    if !open_badge && !any_vc {
        return Err(Invalid::NotAnOpenBadge);
    }
    // VC, then (OB), then (OB extensions), then (brevet's inline context).
    let steps: [&dyn Fn(&Value) -> bool; 4] = [
        &|c| c == VC_V2,
        &|c| c == OB_V3P0,
        &|c| c == OB_EXTENSIONS,
        &|c| super::ob::brevet_contexts().contains(c),
    ];
    let mut next = 0;
    for (i, context) in contexts.iter().enumerate() {
        let Some(step) = steps[next..].iter().position(|is| is(context)) else {
            let shown = match context {
                Value::String(url) => url.clone(),
                Value::Object(_) => "an inline context that is not brevet's".to_owned(),
                other => other.to_string(),
            };
            return Err(Invalid::UnknownContext(format!(
                "@context[{i}] is {shown}: brevet reads only the contexts it ships, in this order: {VC_V2}, {OB_V3P0}, {OB_EXTENSIONS}, its own inline context"
            )));
        };
        next += step + 1;
        if i == 0 && next != 1 {
            return Err(Invalid::UnknownContext(format!(
                "@context[0] must be {VC_V2}"
            )));
        }
    }
    if open_badge {
        if !contexts.iter().any(|c| c == OB_V3P0) {
            return Err(Invalid::UnknownContext(format!(
                "an Open Badge needs the context {OB_V3P0}"
            )));
        }
        let profile = document
            .get("issuer")
            .and_then(Value::as_object)
            .is_some_and(|i| match i.get("type") {
                Some(Value::Array(t)) => t.iter().any(|t| t == "Profile"),
                Some(Value::String(t)) => t == "Profile",
                _ => false,
            });
        if !profile {
            return Err(Invalid::IssuerNotProfile);
        }
    }
    Ok(())
}

fn invalid_unread(why: Invalid) -> Report {
    Report {
        verdict: Verdict::Invalid(why),
        summary: Summary::default(),
        proofs: Vec::new(),
    }
}

/// The checks after the signatures', in order: trusted issuers,
/// `validFrom`, `validUntil`.
fn after_signature(
    document: &Map<String, Value>,
    signer: &DidKey,
    options: &VerifyOptions<'_>,
) -> Result<(), Invalid> {
    if !options.trusted.is_empty()
        && !options
            .trusted
            .iter()
            .any(|t| t.verifying_key() == signer.verifying_key())
    {
        return Err(Invalid::UntrustedIssuer(signer.to_string()));
    }
    if let Some(from) = date(document, "validFrom")?
        && options.now < from
    {
        return Err(Invalid::NotYetValid(format_datetime(from)));
    }
    if let Some(until) = date(document, "validUntil")?
        && options.now > until
    {
        return Err(Invalid::Expired(format_datetime(until)));
    }
    Ok(())
}

fn date(
    document: &Map<String, Value>,
    field: &'static str,
) -> Result<Option<DateTime<Utc>>, Invalid> {
    match document.get(field) {
        None => Ok(None),
        Some(value) => value
            .as_str()
            .and_then(parse_datetime)
            .map(Some)
            .ok_or_else(|| Invalid::BadDate {
                field,
                value: value.to_string(),
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential::key::IssuerKey;
    use chrono::TimeZone;
    use serde_json::json;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap()
    }

    fn signed(key: &IssuerKey, extra: Value) -> Vec<u8> {
        let mut doc = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"],
            "issuer": {"id": key.did().to_string(), "name": "Org"},
            "validFrom": "2025-01-01T00:00:00Z",
            "credentialSubject": {"name": "Ada"}
        });
        for (k, v) in extra.as_object().unwrap() {
            doc[k] = v.clone();
        }
        let Value::Object(map) = doc else {
            unreachable!()
        };
        let signed =
            proof::sign(map, key, at(2025, 1, 1), proof::Cryptosuite::EddsaJcs2022).unwrap();
        serde_json::to_vec_pretty(&signed).unwrap()
    }

    fn verdict(bytes: &[u8], now: DateTime<Utc>, trusted: &[DidKey]) -> Verdict {
        verify(
            bytes,
            &VerifyOptions {
                now,
                trusted,
                any_vc: true,
            },
        )
        .verdict
    }

    #[test]
    fn valid_within_its_dates() {
        let key = IssuerKey::from_seed(&[1; 32]);
        let bytes = signed(&key, json!({"validUntil": "2026-01-01T00:00:00Z"}));
        let ok = Verdict::Valid {
            issuer: key.did().clone(),
        };
        assert_eq!(verdict(&bytes, at(2025, 6, 1), &[]), ok);
        assert_eq!(
            verdict(&bytes, at(2025, 1, 1), &[]),
            ok,
            "validFrom is inclusive"
        );
        assert_eq!(
            verdict(&bytes, at(2024, 12, 31), &[]),
            Verdict::Invalid(Invalid::NotYetValid("2025-01-01T00:00:00Z".into()))
        );
        assert_eq!(
            verdict(&bytes, at(2026, 1, 2), &[]),
            Verdict::Invalid(Invalid::Expired("2026-01-01T00:00:00Z".into()))
        );
    }

    #[test]
    fn issuer_must_be_the_signer_and_trusted_when_pinned() {
        let key = IssuerKey::from_seed(&[1; 32]);
        let other = IssuerKey::from_seed(&[2; 32]);
        let now = at(2025, 6, 1);
        let lying = signed(&key, json!({"issuer": {"id": other.did().to_string()}}));
        assert_eq!(
            verdict(&lying, now, &[]),
            Verdict::Invalid(Invalid::IssuerMismatch {
                issuer: other.did().to_string(),
                signer: key.did().to_string()
            })
        );
        let as_string = signed(&key, json!({"issuer": key.did().to_string()}));
        assert!(verdict(&as_string, now, &[]).is_valid());
        let bytes = signed(&key, json!({}));
        assert!(verdict(&bytes, now, &[other.did().clone(), key.did().clone()]).is_valid());
        assert_eq!(
            verdict(&bytes, now, &[other.did().clone()]),
            Verdict::Invalid(Invalid::UntrustedIssuer(key.did().to_string()))
        );
        let no_id = signed(&key, json!({"issuer": {"name": "Org"}}));
        assert_eq!(
            verdict(&no_id, now, &[]).clone(),
            Verdict::Invalid(Invalid::NotACredential("the issuer has no `id`".into()))
        );
    }

    #[test]
    fn unreadable_input_gets_a_verdict() {
        let now = at(2025, 6, 1);
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (b"".to_vec(), "malformed-json"),
            (b"\xff\xfe".to_vec(), "malformed-json"),
            (b"[1,2]".to_vec(), "not-a-credential"),
            (b"{\"a\":1,\"a\":1}".to_vec(), "malformed-json"),
            (b"{}".to_vec(), "not-a-credential"),
            (vec![b' '; 2 * 1024 * 1024], "too-large"),
        ];
        for (bytes, code) in cases {
            match verdict(&bytes, now, &[]) {
                Verdict::Invalid(why) => assert_eq!(why.code(), code, "{why}"),
                Verdict::Valid { .. } => panic!("{code} judged valid"),
            }
        }
    }

    #[test]
    fn bad_dates_are_named() {
        let key = IssuerKey::from_seed(&[1; 32]);
        let bytes = signed(&key, json!({"validUntil": "next year"}));
        assert_eq!(
            verdict(&bytes, at(2025, 6, 1), &[]),
            Verdict::Invalid(Invalid::BadDate {
                field: "validUntil",
                value: "\"next year\"".into()
            })
        );
    }
}
