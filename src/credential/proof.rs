//! The Data Integrity proofs of W3C "Data Integrity EdDSA Cryptosuites
//! v1.0": `eddsa-rdfc-2022` (section 3.2) and `eddsa-jcs-2022` (3.3):
//! creating them, and checking them exactly as the verification algorithm
//! says.
//!
//! What is signed is `sha256(C(proof options)) || sha256(C(document without
//! proof))`, where the proof options are the proof without its `proofValue`
//! and carry a copy of the document's `@context`, and `C` is the suite's
//! canonical form: RDFC-1.0 N-Quads of the JSON-LD (see [`super::ld`] and
//! [`super::rdfc`]) or RFC 8785 JSON (see [`super::jcs`]).

use super::did::{DidKey, decode_base58btc, encode_base58btc};
use super::did_web::DidWeb;
use super::invalid::Invalid;
use super::jcs;
use super::key::IssuerKey;
use super::{format_datetime, parse_datetime};
use chrono::{DateTime, Utc};
use ed25519_dalek::Signature;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// The proof `type` of every Data Integrity proof.
pub const PROOF_TYPE: &str = "DataIntegrityProof";
/// The two cryptosuites brevet signs and verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cryptosuite {
    /// RDF canonicalisation (RDFC-1.0) of the JSON-LD: what wallets and
    /// Open Badges verifiers accept; the default.
    EddsaRdfc2022,
    /// JSON canonicalisation (RFC 8785): what brevet 0.1 issued.
    EddsaJcs2022,
}

impl Cryptosuite {
    /// The `cryptosuite` value of the proof.
    pub fn name(self) -> &'static str {
        match self {
            Cryptosuite::EddsaRdfc2022 => "eddsa-rdfc-2022",
            Cryptosuite::EddsaJcs2022 => "eddsa-jcs-2022",
        }
    }

    /// The suite named `name`, if brevet knows it.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "eddsa-rdfc-2022" => Some(Cryptosuite::EddsaRdfc2022),
            "eddsa-jcs-2022" => Some(Cryptosuite::EddsaJcs2022),
            _ => None,
        }
    }

    /// The canonical form of a document or of proof options.
    ///
    /// # Errors
    /// For `eddsa-rdfc-2022`, a document that is not JSON-LD brevet can
    /// process without losing anything, or that cannot be canonicalised.
    pub fn canonical(self, document: &Map<String, Value>) -> Result<Vec<u8>, Invalid> {
        match self {
            Cryptosuite::EddsaJcs2022 => Ok(jcs::canonicalize_object(document)),
            Cryptosuite::EddsaRdfc2022 => {
                let quads = super::ld::to_rdf_object(document)
                    .map_err(|e| Invalid::JsonLd(e.to_string()))?;
                let nquads = super::rdfc::canonicalize(&quads)
                    .map_err(|e| Invalid::JsonLd(e.to_string()))?;
                Ok(nquads.into_bytes())
            }
        }
    }
}
/// The proof purpose of a credential's proof.
pub const ASSERTION_METHOD: &str = "assertionMethod";

/// Why a document cannot be signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    /// The document already has a `proof`.
    #[error("the document already has a proof")]
    AlreadySigned,
    /// The document cannot be canonicalised by the suite.
    #[error("the document cannot be signed: {0}")]
    NotCanonical(String),
}

/// The proof options of a new proof, without `proofValue`: type,
/// cryptosuite, creation time, the key's verification method, the
/// `assertionMethod` purpose, and a copy of the document's `@context`.
pub fn proof_options(
    document: &Map<String, Value>,
    method: &str,
    created: DateTime<Utc>,
    suite: Cryptosuite,
) -> Map<String, Value> {
    let mut options = Map::new();
    options.insert("type".into(), PROOF_TYPE.into());
    options.insert("cryptosuite".into(), suite.name().into());
    options.insert("created".into(), format_datetime(created).into());
    options.insert("verificationMethod".into(), method.into());
    options.insert("proofPurpose".into(), ASSERTION_METHOD.into());
    if let Some(context) = document.get("@context") {
        options.insert("@context".into(), context.clone());
    }
    options
}

/// The data that is signed: `sha256(C(proof options))` followed by
/// `sha256(C(document))`, the document being without its proof and `C` the
/// suite's canonical form.
///
/// # Errors
/// See [`Cryptosuite::canonical`].
pub fn hash_data(
    suite: Cryptosuite,
    proof_options: &Map<String, Value>,
    document: &Map<String, Value>,
) -> Result<[u8; 64], Invalid> {
    let mut data = [0u8; 64];
    data[..32].copy_from_slice(&Sha256::digest(suite.canonical(proof_options)?));
    data[32..].copy_from_slice(&Sha256::digest(suite.canonical(document)?));
    Ok(data)
}

/// Signs `document` with `key`, named as its `did:key`, adding `proof` as
/// an array of one proof of `suite` created at `created`.
///
/// # Errors
/// [`SignError::AlreadySigned`] if the document has a `proof` already;
/// [`SignError::NotCanonical`] when `eddsa-rdfc-2022` cannot process it.
pub fn sign(
    document: Map<String, Value>,
    key: &IssuerKey,
    created: DateTime<Utc>,
    suite: Cryptosuite,
) -> Result<Map<String, Value>, SignError> {
    sign_as(
        document,
        key,
        &key.did().verification_method(),
        created,
        suite,
    )
}

/// Signs `document` with `key`, named by the verification method `method`
/// (`did:web:…#z6Mk…` for an organisation's key): as [`sign`] otherwise.
///
/// # Errors
/// As [`sign`].
pub fn sign_as(
    mut document: Map<String, Value>,
    key: &IssuerKey,
    method: &str,
    created: DateTime<Utc>,
    suite: Cryptosuite,
) -> Result<Map<String, Value>, SignError> {
    if document.contains_key("proof") {
        return Err(SignError::AlreadySigned);
    }
    let mut options = proof_options(&document, method, created, suite);
    let data = hash_data(suite, &options, &document)
        .map_err(|e| SignError::NotCanonical(e.to_string()))?;
    let signature = key.sign(&data);
    options.insert(
        "proofValue".into(),
        encode_base58btc(&signature.to_bytes()).into(),
    );
    document.insert("proof".into(), Value::Array(vec![Value::Object(options)]));
    Ok(document)
}

/// Verifies the one `eddsa-jcs-2022` proof of `document` and returns the key
/// that made it. The proof is taken out of `document`, which is left as the
/// unsecured document.
///
/// Follows the specification's algorithm: the proof is removed from the
/// document and `proofValue` from the proof; the proof's `@context`, when
/// present, must be a prefix of the document's and replaces it for hashing;
/// type, cryptosuite and purpose must be the expected ones; the signature is
/// checked with strict Ed25519 (no small-order keys or `R`, canonical `S`).
/// A proof that expired before `now` is invalid.
///
/// # Errors
/// The exact reason the proof does not hold, as an [`Invalid`].
pub fn verify_proof(
    document: &mut Map<String, Value>,
    now: DateTime<Utc>,
) -> Result<DidKey, Invalid> {
    let signed = prepare_proof(document, now)?;
    let Method::Key(key) = &signed.signer else {
        return Err(Invalid::Unresolved(format!(
            "{}: a did:web key needs its DID document",
            signed.signer.id()
        )));
    };
    if signed.verify_strict(key.verifying_key()) {
        Ok(key.clone())
    } else {
        Err(Invalid::BadSignature)
    }
}

/// What a proof's signature must hold for: the data that was signed, the
/// signature, and the key that claims to have made it.
#[derive(Debug, Clone)]
pub struct SignedData {
    /// The data that is signed (see [`hash_data`]).
    pub message: [u8; 64],
    /// The signature decoded from `proofValue`.
    pub signature: Signature,
    /// The key named by `verificationMethod`.
    pub signer: Method,
    /// The proof's cryptosuite.
    pub suite: Cryptosuite,
    /// When the proof says it was made.
    pub created: Option<DateTime<Utc>>,
}

impl SignedData {
    /// Strict Ed25519 verification with `key` (no small-order key or `R`,
    /// canonical `S`): whether the signature holds.
    pub fn verify_strict(&self, key: &ed25519_dalek::VerifyingKey) -> bool {
        key.verify_strict(&self.message, &self.signature).is_ok()
    }
}

/// The key a proof names (its `verificationMethod`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    /// A `did:key`: the name is the key.
    Key(DidKey),
    /// A key of a `did:web`: which key it is, the DID document says.
    Web {
        /// The DID.
        did: DidWeb,
        /// The whole method id (`did:web:…#…`).
        id: String,
    },
}

impl Method {
    /// Reads a `verificationMethod`.
    ///
    /// # Errors
    /// A method that is neither a valid Ed25519 `did:key` nor a `did:web`
    /// key (`did:web:…#fragment`).
    pub fn parse(method: &str) -> Result<Self, Invalid> {
        if method.starts_with("did:key:") {
            return DidKey::from_verification_method(method)
                .map(Method::Key)
                .map_err(Invalid::MalformedDidKey);
        }
        if method.starts_with("did:web:") {
            let Some((did, fragment)) = method.split_once('#') else {
                return Err(Invalid::MalformedMethod(format!(
                    "{method}: a did:web key is named `did:web:…#fragment`"
                )));
            };
            if fragment.is_empty() {
                return Err(Invalid::MalformedMethod(format!(
                    "{method}: the fragment that names the key is empty"
                )));
            }
            let did = DidWeb::parse(did)
                .map_err(|e| Invalid::MalformedMethod(format!("{method}: {e}")))?;
            return Ok(Method::Web {
                did,
                id: method.to_owned(),
            });
        }
        Err(Invalid::MalformedMethod(format!(
            "{method}: brevet verifies keys of did:key and did:web issuers"
        )))
    }

    /// The DID that controls the key (`did:key:…` or `did:web:…`).
    pub fn controller(&self) -> String {
        match self {
            Method::Key(key) => key.to_string(),
            Method::Web { did, .. } => did.to_string(),
        }
    }

    /// The method id, as the proof writes it.
    pub fn id(&self) -> String {
        match self {
            Method::Key(key) => key.verification_method(),
            Method::Web { id, .. } => id.clone(),
        }
    }
}

/// Every step of [`verify_proof`] but the signature check: takes the proof
/// out of `document`, checks it, and computes the signed data. The signature
/// is then checked by [`SignedData::verify_strict`].
///
/// # Errors
/// The exact reason the proof does not hold, as an [`Invalid`], for every
/// reason but a bad signature.
pub fn prepare_proof(
    document: &mut Map<String, Value>,
    now: DateTime<Utc>,
) -> Result<SignedData, Invalid> {
    let proof = take_single_proof(document)?;
    prepare_one(proof, document, now)
}

/// The most proofs a proof set may hold.
pub const MAX_PROOFS: usize = 8;

/// Every step of [`verify_proof`] but the signature check, for each proof
/// of a proof set (W3C Data Integrity, "proof sets"): each proof signs the
/// document without any proof. The proofs are taken out of `document`.
/// Proof chains (`previousProof`) are refused.
///
/// # Errors
/// The exact reason a proof is malformed, as an [`Invalid`].
pub fn prepare_proofs(
    document: &mut Map<String, Value>,
    now: DateTime<Utc>,
) -> Result<Vec<SignedData>, Invalid> {
    let proofs = match document.remove("proof") {
        None => return Err(Invalid::NoProof),
        Some(Value::Object(proof)) => vec![proof],
        Some(Value::Array(proofs)) => proofs
            .into_iter()
            .map(|p| match p {
                Value::Object(p) => Ok(p),
                _ => Err(malformed("a proof is not an object")),
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some(_) => return Err(malformed("`proof` is neither an object nor an array")),
    };
    if proofs.is_empty() {
        return Err(Invalid::NoProof);
    }
    if proofs.len() > MAX_PROOFS {
        return Err(Invalid::ManyProofs {
            count: proofs.len(),
            max: MAX_PROOFS,
        });
    }
    proofs
        .into_iter()
        .map(|proof| {
            if proof.contains_key("previousProof") {
                return Err(malformed(
                    "proof chains (`previousProof`) are not supported",
                ));
            }
            prepare_one(proof, document, now)
        })
        .collect()
}

/// Checks one proof taken out of `document` and computes its signed data.
fn prepare_one(
    mut proof: Map<String, Value>,
    document: &mut Map<String, Value>,
    now: DateTime<Utc>,
) -> Result<SignedData, Invalid> {
    let proof_value = match proof.remove("proofValue") {
        Some(Value::String(v)) => v,
        Some(_) => return Err(malformed("`proofValue` is not a string")),
        None => return Err(malformed("the proof has no `proofValue`")),
    };
    match text(&proof, "type")? {
        PROOF_TYPE => {}
        other => return Err(Invalid::UnsupportedProofType(other.to_owned())),
    }
    let suite = Cryptosuite::from_name(text(&proof, "cryptosuite")?).ok_or_else(|| {
        Invalid::UnknownCryptosuite(text(&proof, "cryptosuite").unwrap_or("").to_owned())
    })?;
    match text(&proof, "proofPurpose")? {
        ASSERTION_METHOD => {}
        other => return Err(Invalid::WrongProofPurpose(other.to_owned())),
    }
    let signer = Method::parse(text(&proof, "verificationMethod")?)?;
    let created = match proof.get("created") {
        Some(created) => Some(
            created
                .as_str()
                .and_then(parse_datetime)
                .ok_or_else(|| malformed("`created` is not a date-time"))?,
        ),
        None => None,
    };
    if let Some(expires) = proof.get("expires") {
        let expires = expires
            .as_str()
            .and_then(parse_datetime)
            .ok_or_else(|| malformed("`expires` is not a date-time"))?;
        if now > expires {
            return Err(Invalid::ProofExpired(format_datetime(expires)));
        }
    }
    let signature = decode_signature(&proof_value)?;

    // The proof's @context must start the document's; the document is then
    // hashed with the proof's @context.
    let hashed_context = match proof.get("@context") {
        Some(proof_context) => {
            let document_context = document.get("@context").ok_or(Invalid::ContextMismatch)?;
            if !is_context_prefix(proof_context, document_context) {
                return Err(Invalid::ContextMismatch);
            }
            (proof_context != document_context).then(|| proof_context.clone())
        }
        None => None,
    };
    let data = match hashed_context {
        None => hash_data(suite, &proof, document)?,
        Some(context) => {
            let original = document.insert("@context".into(), context);
            let data = hash_data(suite, &proof, document);
            if let Some(original) = original {
                document.insert("@context".into(), original);
            }
            data?
        }
    };
    Ok(SignedData {
        message: data,
        signature,
        signer,
        suite,
        created,
    })
}

/// Takes `proof` out of the document: one proof object, alone or in an array.
fn take_single_proof(document: &mut Map<String, Value>) -> Result<Map<String, Value>, Invalid> {
    match document.remove("proof") {
        None => Err(Invalid::NoProof),
        Some(Value::Object(proof)) => Ok(proof),
        Some(Value::Array(mut proofs)) => match proofs.len() {
            0 => Err(Invalid::NoProof),
            1 => match proofs.pop() {
                Some(Value::Object(proof)) => Ok(proof),
                _ => Err(malformed("the proof is not an object")),
            },
            count => Err(Invalid::ManyProofs { count, max: 1 }),
        },
        Some(_) => Err(malformed("`proof` is neither an object nor an array")),
    }
}

fn text<'a>(proof: &'a Map<String, Value>, field: &str) -> Result<&'a str, Invalid> {
    match proof.get(field) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(malformed(&format!("`{field}` is not a string"))),
        None => Err(malformed(&format!("the proof has no `{field}`"))),
    }
}

fn malformed(why: &str) -> Invalid {
    Invalid::MalformedProof(why.to_owned())
}

fn decode_signature(proof_value: &str) -> Result<Signature, Invalid> {
    let bytes =
        decode_base58btc(proof_value).map_err(|e| Invalid::MalformedProofValue(e.to_string()))?;
    let bytes: [u8; 64] = bytes.as_slice().try_into().map_err(|_| {
        Invalid::MalformedProofValue(format!(
            "an Ed25519 signature has 64 bytes, this one has {}",
            bytes.len()
        ))
    })?;
    Ok(Signature::from_bytes(&bytes))
}

/// Whether `prefix` lists the first entries of `context`, in order. A
/// single context (not in an array) counts as a list of one.
fn is_context_prefix(prefix: &Value, context: &Value) -> bool {
    fn as_list(v: &Value) -> &[Value] {
        match v {
            Value::Array(items) => items,
            other => std::slice::from_ref(other),
        }
    }
    let (prefix, context) = (as_list(prefix), as_list(context));
    prefix.len() <= context.len() && prefix.iter().zip(context).all(|(a, b)| a == b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    fn doc() -> Map<String, Value> {
        match json!({
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://example.org/2"],
            "type": ["VerifiableCredential"],
            "issuer": "did:example:1",
            "credentialSubject": {"name": "Ada"}
        }) {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap()
    }

    fn signed() -> (IssuerKey, Map<String, Value>) {
        let key = IssuerKey::from_seed(&[9; 32]);
        let signed = sign(doc(), &key, now(), Cryptosuite::EddsaJcs2022).unwrap();
        (key, signed)
    }

    fn proof_of(doc: &mut Map<String, Value>) -> &mut Map<String, Value> {
        doc["proof"][0].as_object_mut().unwrap()
    }

    #[test]
    fn sign_then_verify() {
        let (key, mut signed) = signed();
        let proof = signed["proof"][0].clone();
        assert_eq!(proof["verificationMethod"], key.did().verification_method());
        assert_eq!(proof["@context"], doc()["@context"]);
        assert_eq!(proof["created"], "2025-01-01T00:00:00Z");
        assert_eq!(verify_proof(&mut signed, now()).unwrap(), *key.did());
        assert_eq!(signed, doc(), "verification leaves the unsecured document");
        assert_eq!(
            sign(signed_again(), &key, now(), Cryptosuite::EddsaJcs2022).unwrap_err(),
            SignError::AlreadySigned
        );
    }

    fn signed_again() -> Map<String, Value> {
        signed().1
    }

    #[test]
    fn each_proof_check_says_why() {
        type Edit = fn(&mut Map<String, Value>);
        let cases: Vec<(Edit, Invalid)> = vec![
            (
                |d| {
                    d.remove("proof");
                },
                Invalid::NoProof,
            ),
            (
                |d| {
                    d.insert("proof".into(), json!([]));
                },
                Invalid::NoProof,
            ),
            (
                |d| {
                    let p = d["proof"][0].clone();
                    d["proof"].as_array_mut().unwrap().push(p);
                },
                Invalid::ManyProofs { count: 2, max: 1 },
            ),
            (
                |d| {
                    d.insert("proof".into(), json!("z"));
                },
                malformed("`proof` is neither an object nor an array"),
            ),
            (
                |d| {
                    proof_of(d).remove("proofValue");
                },
                malformed("the proof has no `proofValue`"),
            ),
            (
                |d| {
                    proof_of(d).insert("type".into(), json!("Ed25519Signature2020"));
                },
                Invalid::UnsupportedProofType("Ed25519Signature2020".into()),
            ),
            (
                |d| {
                    proof_of(d).insert("cryptosuite".into(), json!("ecdsa-rdfc-2019"));
                },
                Invalid::UnknownCryptosuite("ecdsa-rdfc-2019".into()),
            ),
            (
                |d| {
                    proof_of(d).insert("cryptosuite".into(), json!(7));
                },
                malformed("`cryptosuite` is not a string"),
            ),
            (
                |d| {
                    proof_of(d).insert("proofPurpose".into(), json!("authentication"));
                },
                Invalid::WrongProofPurpose("authentication".into()),
            ),
            (
                |d| {
                    proof_of(d).insert(
                        "verificationMethod".into(),
                        json!("did:web:example.com#key-1"),
                    );
                },
                Invalid::Unresolved(
                    "did:web:example.com#key-1: a did:web key needs its DID document".into(),
                ),
            ),
            (
                |d| {
                    proof_of(d).insert("verificationMethod".into(), json!("did:example:1#k"));
                },
                Invalid::MalformedMethod(
                    "did:example:1#k: brevet verifies keys of did:key and did:web issuers".into(),
                ),
            ),
            (
                |d| {
                    proof_of(d).insert("verificationMethod".into(), json!("did:web:example.com"));
                },
                Invalid::MalformedMethod(
                    "did:web:example.com: a did:web key is named `did:web:…#fragment`".into(),
                ),
            ),
            (
                |d| {
                    proof_of(d).insert("created".into(), json!("yesterday"));
                },
                malformed("`created` is not a date-time"),
            ),
            (
                |d| {
                    proof_of(d).insert("expires".into(), json!("2024-12-31T23:59:59Z"));
                },
                Invalid::ProofExpired("2024-12-31T23:59:59Z".into()),
            ),
            (
                |d| {
                    proof_of(d).insert("proofValue".into(), json!("u1234"));
                },
                Invalid::MalformedProofValue(
                    "not multibase base58btc (it must start with `z`)".into(),
                ),
            ),
            (
                |d| {
                    proof_of(d).insert("proofValue".into(), json!(encode_base58btc(&[1; 63])));
                },
                Invalid::MalformedProofValue(
                    "an Ed25519 signature has 64 bytes, this one has 63".into(),
                ),
            ),
            (
                |d| {
                    proof_of(d).insert("@context".into(), json!(["https://example.org/2"]));
                },
                Invalid::ContextMismatch,
            ),
            (
                |d| {
                    d.remove("@context");
                },
                Invalid::ContextMismatch,
            ),
            (
                |d| {
                    d.insert("issuer".into(), json!("did:example:2"));
                },
                Invalid::BadSignature,
            ),
            (
                |d| {
                    proof_of(d).insert("created".into(), json!("2025-01-01T00:00:01Z"));
                },
                Invalid::BadSignature,
            ),
        ];
        for (i, (edit, expected)) in cases.into_iter().enumerate() {
            let (_, mut signed) = signed();
            edit(&mut signed);
            assert_eq!(verify_proof(&mut signed, now()), Err(expected), "case {i}");
        }
    }

    #[test]
    fn a_shorter_proof_context_is_hashed_as_the_documents() {
        // The proof @context is a strict prefix: allowed, and the document
        // is hashed with the proof's @context, as the algorithm says.
        let key = IssuerKey::from_seed(&[3; 32]);
        let mut short = doc();
        short.insert(
            "@context".into(),
            json!(["https://www.w3.org/ns/credentials/v2"]),
        );
        let mut signed = sign(short, &key, now(), Cryptosuite::EddsaJcs2022).unwrap();
        signed.insert("@context".into(), doc()["@context"].clone());
        assert!(verify_proof(&mut signed, now()).is_ok());
    }

    #[test]
    fn a_single_proof_object_is_accepted() {
        let (_, mut signed) = signed();
        let proof = signed["proof"][0].clone();
        signed.insert("proof".into(), proof);
        assert!(verify_proof(&mut signed, now()).is_ok());
    }

    #[test]
    fn rejects_a_non_canonical_s() {
        // S + l (the group order) is the same signature for lax verifiers.
        let (_, mut signed) = signed();
        let value = signed["proof"][0]["proofValue"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut sig: [u8; 64] = decode_base58btc(&value).unwrap().try_into().unwrap();
        let l: [u8; 32] = [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9,
            0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
        ];
        let mut carry = 0u16;
        for i in 0..32 {
            let sum = u16::from(sig[32 + i]) + u16::from(l[i]) + carry;
            sig[32 + i] = (sum & 0xff) as u8;
            carry = sum >> 8;
        }
        proof_of(&mut signed).insert("proofValue".into(), json!(encode_base58btc(&sig)));
        assert_eq!(verify_proof(&mut signed, now()), Err(Invalid::BadSignature));
    }
}
