//! Verifying a credential file: from bytes to a verdict that says exactly
//! why a credential is not valid, and never panics, whatever the bytes.
//!
//! The checks, in order: size, strict JSON, shape, every Data Integrity
//! proof (see [`proof::prepare_proofs`]; a `did:web` key is looked up in its
//! DID document, which must be at hand), issuer binding (the issuer is the
//! DID whose key signed), the trust list when trust is required, `validFrom`
//! and `validUntil` against the verifier's `now`, then the credential's
//! status in the status lists at hand. A valid verdict says who vouches
//! for the issuer and whether the status could be checked, in words.

use super::did_web::DidDocument;

use super::invalid::StatusChange;
use super::proof::Method;
use super::status::{self, Purpose};
use super::summary::Summary;
use super::{format_datetime, jcs, parse_datetime, proof};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The largest credential file read. A brevet credential is about 4 KB;
/// anything far bigger is not one.
pub const MAX_CREDENTIAL_BYTES: u64 = 1024 * 1024;

/// The largest status list credential read: a list of 131,072 entries
/// is at most about 22 KB, of a million entries 180 KB.
pub const MAX_STATUS_LIST_BYTES: u64 = 8 * 1024 * 1024;

pub use super::invalid::Invalid;

/// An issuer the verifier trusts: its DID, and the organisation's name and
/// web address as the verifier knows them (not as the credential claims).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrustedIssuer {
    /// The issuer's DID (`did:web:…` or `did:key:…`).
    pub did: String,
    /// The organisation's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its web address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// What the verifier knows besides the file: the issuers it trusts, the
/// DID documents and the status lists it has at hand. Filled by the edges
/// (files, a trust folder, the network when asked), read here.
#[derive(Debug, Default)]
pub struct Knowledge {
    /// The trust list.
    pub trusted: Vec<TrustedIssuer>,
    /// DID documents, by DID, with where each came from.
    pub documents: HashMap<String, KnownDocument>,
    /// Status lists by URL: the list, checked (its proof, its issuer's
    /// key), or why it could not be used.
    pub lists: HashMap<String, Result<status::List, String>>,
    /// DIDs whose document was looked for and not found, and why.
    pub unresolved: HashMap<String, String>,
}

impl Knowledge {
    /// Knows nothing: no trust list, no document, no list.
    pub fn none() -> &'static Knowledge {
        static NONE: std::sync::LazyLock<Knowledge> = std::sync::LazyLock::new(Knowledge::default);
        &NONE
    }

    /// The trust list's entry for `did`.
    pub fn trusted(&self, did: &str) -> Option<&TrustedIssuer> {
        self.trusted.iter().find(|t| t.did == did)
    }
}

/// A DID document at hand, and where it came from: a domain vouches for
/// a key only in a document fetched from it.
#[derive(Debug, Clone)]
pub struct KnownDocument {
    /// The document.
    pub document: DidDocument,
    /// Where it came from, in words (`https://…/did.json`, a file's path).
    pub source: String,
    /// Its keys are the issuer's as far as the verifier can tell: fetched
    /// from the DID's own domain, or kept in the verifier's trust folder
    /// (not a file the holder may have made).
    pub vouched: bool,
    /// Fetched from the DID's own domain over HTTPS.
    pub from_domain: bool,
}

/// What the verifier knows and wants.
#[derive(Debug, Clone, Copy)]
pub struct VerifyOptions<'a> {
    /// The time validity is checked at.
    pub now: DateTime<Utc>,
    /// Trust lists, DID documents and status lists at hand.
    pub knowledge: &'a Knowledge,
    /// An issuer outside the trust list makes the credential invalid.
    pub require_trust: bool,
    /// Accept Verifiable Credentials that are not Open Badges.
    pub any_vc: bool,
}

impl VerifyOptions<'static> {
    /// Verifies at `now`, knowing nothing, requiring nothing.
    pub fn at(now: DateTime<Utc>) -> Self {
        VerifyOptions {
            now,
            knowledge: Knowledge::none(),
            require_trust: false,
            any_vc: false,
        }
    }
}

/// Who vouches for the issuer, in words and for scripts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trust {
    /// The issuer is in the verifier's trust list.
    pub trusted: bool,
    /// Its entry there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listed: Option<TrustedIssuer>,
    /// For a `did:web` issuer: the domain that publishes its keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Why the issuer's identity is, or is not, established.
    pub reason: String,
}

/// Whether the credential's status was checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Status {
    /// The credential has no status entry: its issuer cannot revoke it.
    None,
    /// Every status entry was checked in its list: neither revoked nor
    /// suspended.
    Clear {
        /// The lists checked.
        lists: Vec<String>,
        /// The date of the oldest of them (`validFrom`): the status is
        /// known as of then, not later.
        as_of: Option<String>,
    },
    /// Some entry could not be checked: nothing is said of it.
    NotChecked {
        /// Why.
        reason: String,
    },
}

/// The outcome of verifying one credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Genuine, signed by its issuer's key, valid at the given time, and
    /// neither revoked nor suspended in the lists at hand.
    Valid {
        /// The issuer's DID.
        issuer: String,
        /// Who vouches for it.
        trust: Trust,
        /// Whether its status was checked.
        status: Status,
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
    /// The DID whose key made it.
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
/// must hold), then the issuer's trust, the dates and the status.
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
    let (verdict, proofs) = check(&mut document, options, &summary);
    Report {
        verdict,
        summary,
        proofs,
    }
}

/// The checks of [`verify`] once the bytes are a JSON object; the proofs
/// are taken out of `document`.
fn check(
    document: &mut Map<String, Value>,
    options: &VerifyOptions<'_>,
    summary: &Summary,
) -> (Verdict, Vec<ProofVerdict>) {
    let invalid = |why| (Verdict::Invalid(why), Vec::new());
    if let Err(why) = shape(document, options.any_vc) {
        return invalid(why);
    }
    let signed = match proof::prepare_proofs(document, options.now) {
        Ok(signed) => signed,
        Err(why) => return invalid(why),
    };
    let issuer = match issuer_id(document) {
        Ok(issuer) => issuer.to_owned(),
        Err(why) => return invalid(why),
    };
    // Each proof's key, looked up once: its verdict, and for the issuer's,
    // why it could not be found.
    let keys: Vec<Result<ed25519_dalek::VerifyingKey, Invalid>> =
        signed.iter().map(|s| key_of(s, options)).collect();
    let proofs: Vec<ProofVerdict> = signed
        .iter()
        .zip(&keys)
        .map(|(s, key)| {
            let signer = s.signer.controller();
            ProofVerdict {
                valid: key.as_ref().is_ok_and(|key| s.verify_strict(key)),
                cryptosuite: s.suite.name(),
                issuer: signer == issuer,
                signer,
            }
        })
        .collect();
    let Some(issuers) = proofs.iter().position(|p| p.issuer) else {
        let why = Invalid::IssuerMismatch {
            issuer,
            signer: proofs[0].signer.clone(),
        };
        return (Verdict::Invalid(why), proofs);
    };
    if !proofs[issuers].valid {
        // A key that could not be found says why; otherwise the signature
        // itself does not hold.
        let why = match &keys[issuers] {
            Err(why) => why.clone(),
            Ok(_) => Invalid::BadSignature,
        };
        return (Verdict::Invalid(why), proofs);
    }
    if let Some(other) = proofs.iter().find(|p| !p.valid) {
        let why = Invalid::OtherProofInvalid(other.signer.clone());
        return (Verdict::Invalid(why), proofs);
    }
    let trust = trust(&issuer, &signed[issuers].signer, options.knowledge, summary);
    if options.require_trust && !trust.trusted {
        return (Verdict::Invalid(Invalid::UntrustedIssuer(issuer)), proofs);
    }
    if let Err(why) = dates(document, options.now) {
        return (Verdict::Invalid(why), proofs);
    }
    match status_of(document, &issuer, options) {
        Ok(status) => (
            Verdict::Valid {
                issuer,
                trust,
                status,
            },
            proofs,
        ),
        Err(why) => (Verdict::Invalid(why), proofs),
    }
}

/// The public key a proof names: in the name for a `did:key`; from the
/// DID document at hand for a `did:web` (which must list it as an
/// assertion method, not revoked at the proof's creation nor now).
fn key_of(
    signed: &proof::SignedData,
    options: &VerifyOptions<'_>,
) -> Result<ed25519_dalek::VerifyingKey, Invalid> {
    match &signed.signer {
        Method::Key(key) => Ok(*key.verifying_key()),
        Method::Web { did, id } => {
            let document = options
                .knowledge
                .documents
                .get(did.as_str())
                .ok_or_else(|| {
                    Invalid::Unresolved(match options.knowledge.unresolved.get(did.as_str()) {
                        Some(why) => format!("the DID document of {did}: {why}"),
                        None => format!(
                            "the DID document of {did} ({}) is not at hand",
                            did.document_url()
                        ),
                    })
                })?;
            // A revoked key says so, whether or not it is still listed as
            // an assertion method.
            let listed = document.document.methods().iter().find(|m| m.id == *id);
            if let Some(since) = listed.and_then(|m| m.revoked)
                && options.now >= since
            {
                return Err(Invalid::KeyRevoked {
                    method: id.clone(),
                    since: format_datetime(since),
                });
            }
            let method = document
                .document
                .assertion_key(id)
                .map_err(|e| Invalid::NotVouched(e.to_string()))?;
            Ok(*method.key.verifying_key())
        }
    }
}

/// Who vouches for `issuer`, whose key `signer` made the proof.
fn trust(issuer: &str, signer: &Method, knowledge: &Knowledge, summary: &Summary) -> Trust {
    // For a did:web, where its document came from: the domain vouches for
    // the key only in a document fetched from it; the verifier's trust
    // folder vouches for what it keeps; a file given with the credential
    // vouches for nothing (its holder may have made it).
    let (domain, origin, vouched) = match signer {
        Method::Key(_) => (None, String::new(), true),
        Method::Web { did, .. } => match knowledge.documents.get(did.as_str()) {
            Some(known) if known.from_domain => (
                Some(did.host().to_owned()),
                format!(
                    "the domain {} vouches for its key ({})",
                    did.host(),
                    known.source
                ),
                true,
            ),
            Some(known) if known.vouched => (None, format!("its key is in {}", known.source), true),
            Some(known) => (
                None,
                format!(
                    "its key comes from {}, not from {} itself nor from your trust folder (--online asks the domain)",
                    known.source,
                    did.host()
                ),
                false,
            ),
            None => (None, String::new(), false),
        },
    };
    let listed = knowledge.trusted(issuer);
    if let Some(listed) = listed
        && vouched
    {
        let name = listed.name.as_deref().unwrap_or(issuer);
        let mut reason = format!("in your trust list as {name}");
        if let Some(url) = &listed.url {
            reason.push_str(&format!(" ({url})"));
        }
        if !origin.is_empty() {
            reason.push_str(&format!("; {origin}"));
        }
        return Trust {
            trusted: true,
            listed: Some(listed.clone()),
            domain,
            reason,
        };
    }
    let reason = match (signer, listed) {
        (Method::Web { .. }, Some(_)) => {
            format!("{issuer} is in your trust list, but {origin}")
        }
        (Method::Web { .. }, None) => format!("{issuer} is not in your trust list; {origin}"),
        (Method::Key(_), _) => {
            let claim = match &summary.issuer_name {
                Some(name) => format!("the name \"{name}\" is the issuer's own claim"),
                None => "nothing ties this key to an organisation".to_owned(),
            };
            format!("{issuer} is not in your trust list: {claim}")
        }
    };
    Trust {
        trusted: false,
        listed: None,
        domain,
        reason,
    }
}

/// The credential's status in the lists at hand: revoked and suspended
/// are invalid; an entry whose list is missing or unusable leaves the
/// status not checked, and says why.
fn status_of(
    document: &Map<String, Value>,
    issuer: &str,
    options: &VerifyOptions<'_>,
) -> Result<Status, Invalid> {
    let statuses = status::entries(document).map_err(|e| Invalid::NotACredential(e.to_string()))?;
    if statuses.entries.is_empty() && statuses.other.is_empty() {
        return Ok(Status::None);
    }
    let mut not_checked = Vec::new();
    for other in &statuses.other {
        not_checked.push(format!(
            "brevet does not read status entries of type {other}"
        ));
    }
    let mut lists = Vec::new();
    let mut oldest: Option<DateTime<Utc>> = None;
    let mut set: Vec<(Purpose, StatusChange)> = Vec::new();
    for entry in &statuses.entries {
        let list = match options.knowledge.lists.get(&entry.list) {
            None => {
                not_checked.push(format!(
                    "the {} list {} is not at hand",
                    entry.purpose.name(),
                    entry.list
                ));
                continue;
            }
            Some(Err(why)) => {
                not_checked.push(format!(
                    "the {} list {} cannot be used: {why}",
                    entry.purpose.name(),
                    entry.list
                ));
                continue;
            }
            Some(Ok(list)) => list,
        };
        if list.issuer != issuer {
            not_checked.push(format!(
                "the list {} is signed by {}, not by the credential's issuer",
                entry.list, list.issuer
            ));
            continue;
        }
        if let Some(until) = list.valid_until
            && options.now > until
        {
            not_checked.push(format!(
                "the list {} expired on {}",
                entry.list,
                format_datetime(until)
            ));
            continue;
        }
        if let Some(from) = list.valid_from
            && options.now < from
        {
            not_checked.push(format!(
                "the list {} is not valid before {}",
                entry.list,
                format_datetime(from)
            ));
            continue;
        }
        match list.status_of(entry) {
            Err(why) => not_checked.push(format!("{}: {why}", entry.list)),
            Ok(true) => set.push((
                entry.purpose,
                StatusChange {
                    list: entry.list.clone(),
                    published: list.valid_from.map(format_datetime),
                    at: None,
                    reason: None,
                },
            )),
            Ok(false) => {
                lists.push(entry.list.clone());
                if let Some(from) = list.valid_from {
                    oldest = Some(oldest.map_or(from, |o: DateTime<Utc>| o.min(from)));
                }
            }
        }
    }
    set.sort_by_key(|(purpose, _)| *purpose);
    if let Some((purpose, change)) = set.into_iter().next() {
        return Err(match purpose {
            Purpose::Revocation => Invalid::Revoked(change),
            Purpose::Suspension => Invalid::Suspended(change),
        });
    }
    if !not_checked.is_empty() {
        return Ok(Status::NotChecked {
            reason: not_checked.join("; "),
        });
    }
    Ok(Status::Clear {
        lists,
        as_of: oldest.map(format_datetime),
    })
}

/// Checks a status list credential's bytes as a credential (its proof,
/// its issuer's key) and reads the list. What it says is then used for
/// every credential that points to it.
///
/// # Errors
/// Why the list cannot be used, in words.
pub fn check_list(bytes: &[u8], options: &VerifyOptions<'_>) -> Result<status::List, String> {
    let options = VerifyOptions {
        any_vc: true,
        require_trust: false,
        ..*options
    };
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > MAX_STATUS_LIST_BYTES {
        return Err(format!(
            "{size} bytes, more than brevet reads for a status list ({MAX_STATUS_LIST_BYTES})"
        ));
    }
    let mut document = match jcs::parse_strict(bytes) {
        Ok(Value::Object(map)) => map,
        Ok(_) => return Err("the JSON is not an object".into()),
        Err(e) => return Err(format!("not valid JSON: {e}")),
    };
    let list = status::read_list(&document).map_err(|e| e.to_string())?;
    let (verdict, _) = check(&mut document, &options, &Summary::default());
    match verdict {
        Verdict::Valid { issuer, .. } if issuer == list.issuer => Ok(list),
        Verdict::Valid { issuer, .. } => Err(format!(
            "signed by {issuer}, not by its issuer {}",
            list.issuer
        )),
        Verdict::Invalid(why) => Err(match why {
            Invalid::NotYetValid(_) | Invalid::Expired(_) | Invalid::BadDate { .. } => {
                format!("the list is {why}")
            }
            Invalid::Unresolved(_) | Invalid::NotVouched(_) | Invalid::KeyRevoked { .. } => {
                format!("its issuer's key: {why}")
            }
            why => format!("its own proof does not hold: {why}"),
        }),
    }
}

/// The credential's issuer id, from a string or a profile's `id`.
pub(crate) fn issuer_id(document: &Map<String, Value>) -> Result<&str, Invalid> {
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

/// `validFrom` and `validUntil` against `now`.
fn dates(document: &Map<String, Value>, now: DateTime<Utc>) -> Result<(), Invalid> {
    if let Some(from) = date(document, "validFrom")?
        && now < from
    {
        return Err(Invalid::NotYetValid(format_datetime(from)));
    }
    if let Some(until) = date(document, "validUntil")?
        && now > until
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
    use crate::credential::did::DidKey;
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
        let knowledge = Knowledge {
            trusted: trusted
                .iter()
                .map(|k| TrustedIssuer {
                    did: k.to_string(),
                    name: None,
                    url: None,
                })
                .collect(),
            ..Knowledge::default()
        };
        verify(
            bytes,
            &VerifyOptions {
                now,
                knowledge: &knowledge,
                require_trust: !trusted.is_empty(),
                any_vc: true,
            },
        )
        .verdict
    }

    fn valid(issuer: &DidKey, trusted: bool) -> Verdict {
        let did = issuer.to_string();
        Verdict::Valid {
            trust: Trust {
                trusted,
                listed: trusted.then(|| TrustedIssuer {
                    did: did.clone(),
                    name: None,
                    url: None,
                }),
                domain: None,
                reason: if trusted {
                    format!("in your trust list as {did}")
                } else {
                    format!(
                        "{did} is not in your trust list: the name \"Org\" is the issuer's own claim"
                    )
                },
            },
            issuer: did,
            status: Status::None,
        }
    }

    #[test]
    fn valid_within_its_dates() {
        let key = IssuerKey::from_seed(&[1; 32]);
        let bytes = signed(&key, json!({"validUntil": "2026-01-01T00:00:00Z"}));
        let ok = valid(key.did(), false);
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
