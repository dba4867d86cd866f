//! Why a credential is not valid: the verdicts that signing, proof
//! checking and verification share (none of them imports another for it).

use super::did::DidKeyError;

/// Why a credential is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    /// The file is larger than [`super::verify::MAX_CREDENTIAL_BYTES`].
    #[error("too large: {size} bytes (a credential is at most {max} bytes)")]
    TooLarge {
        /// Size of the file, in bytes.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// Not strict JSON (syntax, UTF-8, duplicate member names).
    #[error("not valid JSON: {0}")]
    MalformedJson(String),
    /// JSON, but not shaped like a credential.
    #[error("not a credential: {0}")]
    NotACredential(String),
    /// A `@context` entry brevet does not ship, or the entries out of order.
    #[error("{0}")]
    UnknownContext(String),
    /// A Verifiable Credential that is not an Open Badge (see `--any-vc`).
    #[error(
        "not an Open Badge: its type has no OpenBadgeCredential (--any-vc accepts other credentials)"
    )]
    NotAnOpenBadge,
    /// An Open Badge whose issuer is not a `Profile` object.
    #[error("the issuer is not an Open Badges Profile (an object with type Profile)")]
    IssuerNotProfile,
    /// No `proof`.
    #[error("no proof: the credential is not signed")]
    NoProof,
    /// More proofs than brevet reads.
    #[error("{count} proofs: brevet verifies at most {max}")]
    ManyProofs {
        /// How many the credential has.
        count: usize,
        /// How many brevet reads there.
        max: usize,
    },
    /// A proof of the set other than the issuer's does not hold.
    #[error("the proof by {0} does not hold (every proof of a proof set must)")]
    OtherProofInvalid(String),
    /// The proof lacks a field or has one of the wrong type.
    #[error("malformed proof: {0}")]
    MalformedProof(String),
    /// A proof type other than `DataIntegrityProof`.
    #[error("unsupported proof type {0:?} (expected \"DataIntegrityProof\")")]
    UnsupportedProofType(String),
    /// A cryptosuite other than `eddsa-rdfc-2022` and `eddsa-jcs-2022`.
    #[error(
        "unknown cryptosuite {0:?} (brevet verifies \"eddsa-rdfc-2022\" and \"eddsa-jcs-2022\")"
    )]
    UnknownCryptosuite(String),
    /// For `eddsa-rdfc-2022`: JSON-LD that would lose or guess something.
    #[error("not processable as JSON-LD: {0}")]
    JsonLd(String),
    /// A proof purpose other than `assertionMethod`.
    #[error("proof purpose is {0:?}, a credential needs \"assertionMethod\"")]
    WrongProofPurpose(String),
    /// The proof's `@context` does not start the document's.
    #[error("the proof's @context is not a prefix of the credential's @context")]
    ContextMismatch,
    /// The verification method is not a valid Ed25519 `did:key`.
    #[error("bad verificationMethod: {0}")]
    MalformedDidKey(DidKeyError),
    /// A verification method that is neither an Ed25519 `did:key` nor a
    /// `did:web` key.
    #[error("bad verificationMethod: {0}")]
    MalformedMethod(String),
    /// A `did:web` issuer whose DID document is not at hand.
    #[error("issuer not resolved: {0}")]
    Unresolved(String),
    /// The issuer's DID document does not vouch for the key that signed.
    #[error("the issuer's DID document does not vouch for the key: {0}")]
    NotVouched(String),
    /// Signed with a key its issuer has revoked (compromised).
    #[error("signed with {method}, a key its issuer revoked on {since}")]
    KeyRevoked {
        /// The key's verification method id.
        method: String,
        /// When it was revoked.
        since: String,
    },
    /// `proofValue` is not a base58btc Ed25519 signature.
    #[error("bad proofValue: {0}")]
    MalformedProofValue(String),
    /// The signature does not match: the credential was changed after
    /// signing, or not signed by this key.
    #[error(
        "bad signature: the credential was changed after it was signed, or not signed by the key it names"
    )]
    BadSignature,
    /// The proof's `expires` is past.
    #[error("the proof expired on {0}")]
    ProofExpired(String),
    /// The issuer is not the key that signed.
    #[error("issuer mismatch: the issuer is {issuer} but the key that signed is {signer}")]
    IssuerMismatch {
        /// The credential's issuer id.
        issuer: String,
        /// The did:key that signed.
        signer: String,
    },
    /// Trust was required and the issuer is not in the trust list.
    #[error("untrusted issuer: {0} is not in your trust list")]
    UntrustedIssuer(String),
    /// Its issuer revoked it.
    #[error("revoked by its issuer{}", change_text(.0))]
    Revoked(StatusChange),
    /// Its issuer suspended it.
    #[error("suspended by its issuer{}", change_text(.0))]
    Suspended(StatusChange),
    /// A date-time field that cannot be read.
    #[error("`{field}` is not a date-time: {value}")]
    BadDate {
        /// The field.
        field: &'static str,
        /// Its value, as JSON.
        value: String,
    },
    /// `validFrom` is in the future.
    #[error("not yet valid: valid from {0}")]
    NotYetValid(String),
    /// `validUntil` is past.
    #[error("expired: valid until {0}")]
    Expired(String),
}

impl Invalid {
    /// A stable kebab-case code for scripts (`bad-signature`, `expired`…).
    pub fn code(&self) -> &'static str {
        match self {
            Invalid::TooLarge { .. } => "too-large",
            Invalid::MalformedJson(_) => "malformed-json",
            Invalid::NotACredential(_) => "not-a-credential",
            Invalid::UnknownContext(_) => "unknown-context",
            Invalid::NotAnOpenBadge => "not-an-open-badge",
            Invalid::IssuerNotProfile => "issuer-not-profile",
            Invalid::NoProof => "no-proof",
            Invalid::ManyProofs { .. } => "many-proofs",
            Invalid::OtherProofInvalid(_) => "other-proof-invalid",
            Invalid::MalformedProof(_) => "malformed-proof",
            Invalid::UnsupportedProofType(_) => "unsupported-proof-type",
            Invalid::UnknownCryptosuite(_) => "unknown-cryptosuite",
            Invalid::JsonLd(_) => "json-ld",
            Invalid::WrongProofPurpose(_) => "wrong-proof-purpose",
            Invalid::ContextMismatch => "context-mismatch",
            Invalid::MalformedDidKey(_) => "malformed-did-key",
            Invalid::MalformedMethod(_) => "malformed-verification-method",
            Invalid::Unresolved(_) => "issuer-unresolved",
            Invalid::NotVouched(_) => "key-not-vouched",
            Invalid::KeyRevoked { .. } => "key-revoked",
            Invalid::MalformedProofValue(_) => "malformed-proof-value",
            Invalid::BadSignature => "bad-signature",
            Invalid::ProofExpired(_) => "proof-expired",
            Invalid::IssuerMismatch { .. } => "issuer-mismatch",
            Invalid::UntrustedIssuer(_) => "untrusted-issuer",
            Invalid::Revoked(_) => "revoked",
            Invalid::Suspended(_) => "suspended",
            Invalid::BadDate { .. } => "bad-date",
            Invalid::NotYetValid(_) => "not-yet-valid",
            Invalid::Expired(_) => "expired",
        }
    }
}

/// What is known of a revocation or suspension: the list that says so, and,
/// when the issuer's own registry is at hand, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatusChange {
    /// The status list's URL.
    pub list: String,
    /// The list's `validFrom`: the change is at the latest that old.
    pub published: Option<String>,
    /// When the issuer made the change (from its registry).
    pub at: Option<String>,
    /// The reason the issuer recorded (from its registry).
    pub reason: Option<String>,
}

fn change_text(change: &StatusChange) -> String {
    let mut text = String::new();
    match (&change.at, &change.published) {
        (Some(at), _) => text.push_str(&format!(" on {at}")),
        (None, Some(published)) => text.push_str(&format!(" (list published {published})")),
        (None, None) => {}
    }
    if let Some(reason) = &change.reason {
        text.push_str(&format!(": {reason}"));
    }
    text.push_str(&format!(" [status list {}]", change.list));
    text
}
