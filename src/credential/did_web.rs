//! `did:web` issuers and the DID documents they host.
//!
//! A `did:web` names an organisation by a domain it controls:
//! `did:web:formation.example.org` is vouched for by whoever serves
//! `https://formation.example.org/.well-known/did.json`, and
//! `did:web:example.org:certif` by `https://example.org/certif/did.json`
//! (W3C CCG did:web method). The document lists the organisation's Ed25519
//! keys; a credential signed by one of them names it as
//! `did:web:…#z6Mk…`, and a key that leaked is marked `revoked` rather than
//! removed, so credentials signed before stay checkable.
//!
//! This module writes that document ([`document`]) and reads one strictly for
//! what a verifier needs ([`DidDocument`]). It is pure: no network, no clock;
//! fetching the document and deciding what a revocation date means for a
//! credential are the caller's.
//!
//! Documents come from the internet: reading one never panics, refuses more
//! than [`MAX_DOCUMENT_BYTES`], duplicate JSON member names and keys whose
//! controller is not the document's DID. Keys of other kinds (P-256, JSON Web
//! Keys…) are passed over, since a document may hold keys for other purposes.

use super::did::{DidKey, DidKeyError};
use super::{format_datetime, jcs, parse_datetime};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use std::collections::HashSet;
use std::fmt;

const PREFIX: &str = "did:web:";

/// Why a text is not a `did:web` brevet accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DidWebError {
    /// The text does not start with `did:web:`.
    #[error("not a did:web (expected `did:web:` and a domain name, as in did:web:example.org)")]
    NotDidWeb,
    /// A `#fragment` or `?query`: a DID URL, not a DID.
    #[error("a did:web cannot contain `#` or `?` (that would be a DID URL, not a DID)")]
    FragmentOrQuery,
    /// A `/`: the path is written with `:`.
    #[error("a did:web writes its path with `:`, not `/` (as in did:web:example.org:certif)")]
    Slash,
    /// Nothing where the domain name goes.
    #[error("the did:web has no domain name after `did:web:`")]
    EmptyHost,
    /// Capital letters in the domain name.
    #[error("the domain name `{0}` has capital letters: write it in lowercase (`{lower}`)", lower = .0.to_ascii_lowercase())]
    UppercaseHost(String),
    /// A character that cannot be in a domain name.
    #[error(
        "`{0}` cannot be in a did:web domain name (letters, digits, `-` and `.`; an international name in its xn-- form)"
    )]
    BadHostCharacter(char),
    /// A percent-encoded host other than the `%3A` before a port.
    #[error("in a did:web domain, only the `:` before a port is percent-encoded, and as `%3A`")]
    HostEncoding,
    /// The port is not a number from 1 to 65535.
    #[error("the port `{0}` is not a number from 1 to 65535 (written without leading zeros)")]
    BadPort(String),
    /// Not the shape of a domain name.
    #[error("`{host}` is not a domain name: {why}")]
    BadHostName {
        /// The domain name as written.
        host: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// An IP address instead of a domain name.
    #[error(
        "`{0}` is an IP address: a did:web needs a domain name (or localhost), the name its TLS certificate is for"
    )]
    IpAddress(String),
    /// Two `:` in a row, or a `:` at the end.
    #[error("the did:web has an empty path segment (two `:` in a row, or a `:` at the end)")]
    EmptyPathSegment,
    /// A character that must be percent-encoded in a path segment.
    #[error("`{0}` must be percent-encoded in a did:web path segment (as `{encoded}`)", encoded = percent_encode(*.0))]
    BadPathCharacter(char),
    /// A `%` not followed by two hex digits, or bytes that are not UTF-8.
    #[error(
        "the path segment `{0}` is badly percent-encoded (`%` and two hex digits, of UTF-8 text)"
    )]
    BadPercentEncoding(String),
    /// A segment that would not stay one folder of the web site.
    #[error("the path segment `{segment}` is refused: {why}")]
    BadPathSegment {
        /// The segment, decoded.
        segment: String,
        /// What is wrong with it.
        why: &'static str,
    },
}

/// A `did:web`: an issuer named by a domain (and an optional path) whose web
/// site publishes its keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DidWeb {
    /// The DID as written.
    did: String,
    /// The domain name, with `:port` when there is one.
    host: String,
    /// The path segments as written in the DID (percent-encoded).
    raw_path: Vec<String>,
    /// The path segments, decoded.
    path: Vec<String>,
}

impl DidWeb {
    /// Reads a `did:web:host[%3Aport][:segment…]`.
    ///
    /// # Errors
    /// What is wrong with the text, as a [`DidWebError`].
    pub fn parse(did: &str) -> Result<Self, DidWebError> {
        let rest = did.strip_prefix(PREFIX).ok_or(DidWebError::NotDidWeb)?;
        if rest.contains(['#', '?']) {
            return Err(DidWebError::FragmentOrQuery);
        }
        if rest.contains('/') {
            return Err(DidWebError::Slash);
        }
        let mut parts = rest.split(':');
        let host = parse_host(parts.next().unwrap_or_default())?;
        let mut raw_path = Vec::new();
        let mut path = Vec::new();
        for segment in parts {
            path.push(decode_segment(segment)?);
            raw_path.push(segment.to_owned());
        }
        Ok(DidWeb {
            did: did.to_owned(),
            host,
            raw_path,
            path,
        })
    }

    /// The DID: `did:web:…`.
    pub fn as_str(&self) -> &str {
        &self.did
    }

    /// The domain that vouches for the issuer, with its port when it has one:
    /// `formation.example.org`, `localhost:8443`.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The path segments after the domain, percent-decoded (empty for a DID
    /// whose document is under `/.well-known/`).
    pub fn path_segments(&self) -> &[String] {
        &self.path
    }

    /// The `https` URL of the DID document:
    /// `https://HOST/.well-known/did.json`, or `https://HOST/seg1/seg2/did.json`
    /// when the DID has a path (segments kept percent-encoded, as a URL needs).
    pub fn document_url(&self) -> String {
        let mut url = format!("https://{}/", self.host);
        if self.raw_path.is_empty() {
            url.push_str(".well-known/");
        }
        for segment in &self.raw_path {
            url.push_str(segment);
            url.push('/');
        }
        url.push_str("did.json");
        url
    }

    /// The path of did.json under the web site's root, e.g.
    /// `.well-known/did.json` or `certif/did.json` (for `publish` writing a
    /// site folder). Segments are decoded, as the file names a web server
    /// maps the URL to; none is empty, `.`, `..` or holds a `/` or `\`.
    pub fn document_path(&self) -> String {
        let mut path = String::new();
        if self.path.is_empty() {
            path.push_str(".well-known/");
        }
        for segment in &self.path {
            path.push_str(segment);
            path.push('/');
        }
        path.push_str("did.json");
        path
    }

    /// The verification method id of a key: `<did>#<multibase>`.
    pub fn method_id(&self, key: &DidKey) -> String {
        format!("{}#{}", self.did, key.multibase())
    }
}

impl fmt::Display for DidWeb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.did)
    }
}

/// Reads the host part: a domain name, and `%3A` and a port when any.
fn parse_host(part: &str) -> Result<String, DidWebError> {
    let (name, port) = match part.split_once('%') {
        None => (part, None),
        Some((name, encoded)) => {
            let port = encoded
                .strip_prefix("3A")
                .ok_or(DidWebError::HostEncoding)?;
            (name, Some(port))
        }
    };
    if name.is_empty() {
        return Err(DidWebError::EmptyHost);
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.')))
    {
        return Err(DidWebError::BadHostCharacter(c));
    }
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(DidWebError::UppercaseHost(name.to_owned()));
    }
    check_labels(name)?;
    if ends_in_number(name) {
        return Err(DidWebError::IpAddress(name.to_owned()));
    }
    match port {
        None => Ok(name.to_owned()),
        Some(port) => {
            let valid = !port.is_empty()
                && port.len() <= 5
                && port.bytes().all(|b| b.is_ascii_digit())
                && !port.starts_with('0')
                && port.parse::<u32>().is_ok_and(|p| p <= 65535);
            if !valid {
                return Err(DidWebError::BadPort(port.to_owned()));
            }
            Ok(format!("{name}:{port}"))
        }
    }
}

/// Checks the labels of a domain name made of `[a-z0-9.-]`.
fn check_labels(name: &str) -> Result<(), DidWebError> {
    let bad = |why| {
        Err(DidWebError::BadHostName {
            host: name.to_owned(),
            why,
        })
    };
    if name.len() > 253 {
        return bad("it is longer than 253 characters");
    }
    for label in name.split('.') {
        if label.is_empty() {
            return bad("it has an empty label (two dots in a row, or a dot at either end)");
        }
        if label.len() > 63 {
            return bad("a label (between dots) is longer than 63 characters");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return bad("a label (between dots) starts or ends with `-`");
        }
    }
    Ok(())
}

/// Whether a web browser would read the name as an IPv4 address: its last
/// label is a number (decimal, or hexadecimal after `0x`), as in the WHATWG
/// URL standard. No top-level domain is a number.
fn ends_in_number(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or_default();
    let decimal = !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit());
    let hex = last
        .strip_prefix("0x")
        .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_hexdigit()));
    decimal || hex
}

/// Checks and percent-decodes one path segment.
fn decode_segment(raw: &str) -> Result<String, DidWebError> {
    if raw.is_empty() {
        return Err(DidWebError::EmptyPathSegment);
    }
    // The DID syntax's idchar: ALPHA / DIGIT / "." / "-" / "_" / pct-encoded.
    if let Some(c) = raw
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '%')))
    {
        return Err(DidWebError::BadPathCharacter(c));
    }
    let segment =
        percent_decode(raw).ok_or_else(|| DidWebError::BadPercentEncoding(raw.to_owned()))?;
    let why = if segment == "." || segment == ".." {
        Some("`.` and `..` name no folder of their own")
    } else if segment.contains(['/', '\\']) {
        Some("a `/` or `\\` would split it into several folders")
    } else if segment.chars().any(char::is_control) {
        Some("it holds a control character")
    } else {
        None
    };
    match why {
        Some(why) => Err(DidWebError::BadPathSegment { segment, why }),
        None => Ok(segment),
    }
}

/// Percent-encodes every byte of `text` but ASCII letters, digits and
/// those in `keep` (`-._` in a URN part; `-._~`, RFC 3986's unreserved, in
/// a query's value).
pub fn percent_encode_text(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || keep.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `%XX` decoded into UTF-8 text (as a web server reads a URL path);
/// `None` for a bad escape or bytes that are not UTF-8.
pub fn percent_decode(raw: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(raw.len());
    let mut input = raw.bytes();
    while let Some(b) = input.next() {
        if b == b'%' {
            let high = input.next().and_then(hex_value)?;
            let low = input.next().and_then(hex_value)?;
            bytes.push((high << 4) | low);
        } else {
            bytes.push(b);
        }
    }
    String::from_utf8(bytes).ok()
}

fn hex_value(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// `%XX` for each UTF-8 byte of `c`.
fn percent_encode(c: char) -> String {
    let mut buf = [0; 4];
    c.encode_utf8(&mut buf)
        .bytes()
        .map(|b| format!("%{b:02X}"))
        .collect()
}

/// One key of an issuer's DID document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedKey {
    /// The Ed25519 public key.
    pub key: DidKey,
    /// When it was revoked (it no longer vouches for credentials signed
    /// after), if it was.
    pub revoked: Option<DateTime<Utc>>,
}

/// The DID document an organisation hosts at [`DidWeb::document_url`]:
///
/// ```json
/// {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
///  "id": "did:web:…",
///  "verificationMethod": [{"id": "did:web:…#z6Mk…", "type": "Multikey",
///     "controller": "did:web:…", "publicKeyMultibase": "z6Mk…",
///     "revoked": "2025-03-14T09:26:53Z"}],
///  "assertionMethod": ["did:web:…#z6Mk…"]}
/// ```
///
/// Keys are listed in the order given (oldest first); `revoked` only on
/// revoked keys. Every key is an assertion method, retired and revoked ones
/// included, so that credentials they signed can still be checked. Each key
/// should be given once: twice would make two methods of one id, which
/// [`DidDocument::parse`] refuses.
pub fn document(did: &DidWeb, keys: &[PublishedKey]) -> Value {
    let methods: Vec<Value> = keys
        .iter()
        .map(|published| {
            let mut method = Map::new();
            method.insert("id".into(), did.method_id(&published.key).into());
            method.insert("type".into(), "Multikey".into());
            method.insert("controller".into(), did.as_str().into());
            method.insert(
                "publicKeyMultibase".into(),
                published.key.multibase().into(),
            );
            if let Some(revoked) = published.revoked {
                method.insert("revoked".into(), format_datetime(revoked).into());
            }
            Value::Object(method)
        })
        .collect();
    // A revoked key stays listed, with its date, for verifiers that read
    // it; it is no assertion method any more, so that verifiers that do not
    // read `revoked` refuse its signatures too.
    let assertion: Vec<Value> = keys
        .iter()
        .filter(|published| published.revoked.is_none())
        .map(|published| did.method_id(&published.key).into())
        .collect();
    json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did.as_str(),
        "verificationMethod": methods,
        "assertionMethod": assertion,
    })
}

/// The largest DID document read (bytes).
pub const MAX_DOCUMENT_BYTES: usize = 64 * 1024;

/// Why a DID document cannot be used, or does not vouch for a key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DidDocumentError {
    /// More than [`MAX_DOCUMENT_BYTES`].
    #[error("too large: {size} bytes (a DID document is at most {max} bytes)")]
    TooLarge {
        /// Size of the document, in bytes.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// Not strict JSON (syntax, UTF-8, duplicate member names).
    #[error("not valid JSON: {0}")]
    MalformedJson(String),
    /// JSON, but not an object.
    #[error("a DID document is a JSON object, and this is not one")]
    NotAnObject,
    /// No `id`.
    #[error("the DID document has no `id` (the DID it describes)")]
    NoId,
    /// An `id` that is not a did:web.
    #[error("the DID document's id {id:?} is refused: {error}")]
    BadId {
        /// The id as written.
        id: String,
        /// What is wrong with it.
        error: DidWebError,
    },
    /// The document describes another DID than the one resolved.
    #[error("the DID document is for {found}, not {expected}")]
    ForAnotherDid {
        /// The DID whose document was fetched.
        expected: String,
        /// The DID the document describes.
        found: String,
    },
    /// A member of the wrong JSON type.
    #[error("`{field}` must be {expected}")]
    BadField {
        /// The member.
        field: &'static str,
        /// What it must be.
        expected: &'static str,
    },
    /// A verification method without an `id` string.
    #[error("a verification method has no `id` string")]
    MethodWithoutId,
    /// Two verification methods with one id.
    #[error("two verification methods have the id {0}")]
    DuplicateMethod(String),
    /// A malformed Ed25519 verification method.
    #[error("verification method {id}: {why}")]
    BadMethod {
        /// The method's id.
        id: String,
        /// What is wrong with it.
        why: String,
    },
    /// A key whose controller is not the document's DID.
    #[error(
        "verification method {id} is controlled by {controller:?}, not by the document's DID: a key controlled by someone else"
    )]
    ForeignController {
        /// The method's id.
        id: String,
        /// Its `controller`.
        controller: String,
    },
    /// A `revoked` that is not a date-time.
    #[error("verification method {id}: `revoked` is not a date-time: {value}")]
    BadRevoked {
        /// The method's id.
        id: String,
        /// The value, as JSON.
        value: String,
    },
    /// No Ed25519 key under `assertionMethod`.
    #[error(
        "the DID document lists no Ed25519 key under `assertionMethod`: it vouches for no credential"
    )]
    NoAssertionKey,
    /// A method of another DID than the document's.
    #[error("the verification method {method} is not one of {did}'s, whose document this is")]
    WrongDocument {
        /// The method asked for.
        method: String,
        /// The document's DID.
        did: String,
    },
    /// A method the document does not list.
    #[error("the DID document does not list the verification method {0}")]
    UnknownMethod(String),
    /// A method listed, but not under `assertionMethod`.
    #[error(
        "the DID document lists {0} but not under `assertionMethod`: that key is not for signing credentials"
    )]
    NotAssertionMethod(String),
    /// A method listed whose key brevet cannot verify with.
    #[error(
        "the verification method {0} is not an Ed25519 key (a Multikey or Ed25519VerificationKey2020 with a z6Mk… key)"
    )]
    UnsupportedKey(String),
}

impl DidDocumentError {
    /// A stable kebab-case code for scripts (`too-large`, `unknown-method`…).
    pub fn code(&self) -> &'static str {
        match self {
            DidDocumentError::TooLarge { .. } => "too-large",
            DidDocumentError::MalformedJson(_) => "malformed-json",
            DidDocumentError::NotAnObject => "not-an-object",
            DidDocumentError::NoId => "no-id",
            DidDocumentError::BadId { .. } => "bad-id",
            DidDocumentError::ForAnotherDid { .. } => "for-another-did",
            DidDocumentError::BadField { .. } => "bad-field",
            DidDocumentError::MethodWithoutId => "method-without-id",
            DidDocumentError::DuplicateMethod(_) => "duplicate-method",
            DidDocumentError::BadMethod { .. } => "bad-method",
            DidDocumentError::ForeignController { .. } => "foreign-controller",
            DidDocumentError::BadRevoked { .. } => "bad-revoked",
            DidDocumentError::NoAssertionKey => "no-assertion-key",
            DidDocumentError::WrongDocument { .. } => "wrong-document",
            DidDocumentError::UnknownMethod(_) => "unknown-method",
            DidDocumentError::NotAssertionMethod(_) => "not-assertion-method",
            DidDocumentError::UnsupportedKey(_) => "unsupported-key",
        }
    }
}

/// An Ed25519 verification method of a DID document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Method {
    /// Its id, absolute: `did:web:…#fragment`.
    pub id: String,
    /// The public key.
    pub key: DidKey,
    /// When it was revoked, if it was.
    pub revoked: Option<DateTime<Utc>>,
    /// Whether the document lists it under `assertionMethod` (it may sign
    /// credentials).
    pub assertion: bool,
}

/// A DID document, read strictly for what a verifier needs: its DID and its
/// Ed25519 keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DidDocument {
    id: DidWeb,
    methods: Vec<Method>,
    /// Ids of the methods passed over (keys of other kinds).
    skipped: Vec<String>,
}

impl DidDocument {
    /// Reads a DID document: at most [`MAX_DOCUMENT_BYTES`], strict JSON (no
    /// duplicate member names), an object whose `id` is a did:web.
    ///
    /// Verification methods (under `verificationMethod`, or embedded in
    /// `assertionMethod`) have an `id` (`did:web:…#fragment`, or `#fragment`
    /// resolved against the document's id). Those of type `Multikey` or
    /// `Ed25519VerificationKey2020` with an Ed25519 `publicKeyMultibase`
    /// (`z6Mk…`) are kept; their `controller` must be the document's DID and
    /// their optional `revoked` a date-time. Other kinds of keys are passed
    /// over. `assertionMethod` lists method ids (absolute or relative) and
    /// embedded methods; references to methods not kept match nothing.
    ///
    /// # Errors
    /// What is wrong, as a [`DidDocumentError`]; a document with no Ed25519
    /// assertion method is refused ([`DidDocumentError::NoAssertionKey`]).
    pub fn parse(bytes: &[u8]) -> Result<Self, DidDocumentError> {
        read(bytes, None)
    }

    /// Reads a DID document, as [`DidDocument::parse`], fetched for
    /// `expected`: its `id` must be that DID.
    ///
    /// # Errors
    /// As [`DidDocument::parse`], and [`DidDocumentError::ForAnotherDid`].
    pub fn parse_for(bytes: &[u8], expected: &DidWeb) -> Result<Self, DidDocumentError> {
        read(bytes, Some(expected))
    }

    /// The DID the document describes.
    pub fn id(&self) -> &DidWeb {
        &self.id
    }

    /// Its Ed25519 verification methods, in the document's order
    /// (`verificationMethod`, then those embedded in `assertionMethod`).
    pub fn methods(&self) -> &[Method] {
        &self.methods
    }

    /// The key that `method_id` (a proof's verificationMethod) names, if it
    /// is an assertion method of this document whose controller is this DID.
    /// Whether it was revoked is in [`Method::revoked`], for the caller to
    /// weigh against the proof's date.
    ///
    /// # Errors
    /// The method's DID is not this document's
    /// ([`DidDocumentError::WrongDocument`]), it is not listed
    /// ([`DidDocumentError::UnknownMethod`]), listed but not in
    /// `assertionMethod` ([`DidDocumentError::NotAssertionMethod`]), or
    /// listed with a key of another kind
    /// ([`DidDocumentError::UnsupportedKey`]).
    pub fn assertion_key(&self, method_id: &str) -> Result<&Method, DidDocumentError> {
        let did = method_id.split_once('#').map_or(method_id, |(did, _)| did);
        if did != self.id.as_str() {
            return Err(DidDocumentError::WrongDocument {
                method: method_id.to_owned(),
                did: self.id.to_string(),
            });
        }
        if let Some(method) = self.methods.iter().find(|m| m.id == method_id) {
            return if method.assertion {
                Ok(method)
            } else {
                Err(DidDocumentError::NotAssertionMethod(method_id.to_owned()))
            };
        }
        if self.skipped.iter().any(|id| id == method_id) {
            return Err(DidDocumentError::UnsupportedKey(method_id.to_owned()));
        }
        Err(DidDocumentError::UnknownMethod(method_id.to_owned()))
    }

    /// Whether it lists at least one assertion key (revoked ones included).
    pub fn has_assertion_key(&self) -> bool {
        self.methods.iter().any(|m| m.assertion)
    }
}

fn read(bytes: &[u8], expected: Option<&DidWeb>) -> Result<DidDocument, DidDocumentError> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(DidDocumentError::TooLarge {
            size: bytes.len(),
            max: MAX_DOCUMENT_BYTES,
        });
    }
    let value =
        jcs::parse_strict(bytes).map_err(|e| DidDocumentError::MalformedJson(e.to_string()))?;
    let Value::Object(doc) = value else {
        return Err(DidDocumentError::NotAnObject);
    };
    let id = match doc.get("id") {
        None => return Err(DidDocumentError::NoId),
        Some(Value::String(id)) => DidWeb::parse(id).map_err(|error| DidDocumentError::BadId {
            id: id.clone(),
            error,
        })?,
        Some(_) => {
            return Err(DidDocumentError::BadField {
                field: "id",
                expected: "a string, the did:web the document describes",
            });
        }
    };
    if let Some(expected) = expected
        && id != *expected
    {
        return Err(DidDocumentError::ForAnotherDid {
            expected: expected.to_string(),
            found: id.to_string(),
        });
    }

    let mut reader = Reader {
        did: &id,
        methods: Vec::new(),
        skipped: Vec::new(),
        ids: HashSet::new(),
    };
    const METHODS: &str = "an array of verification method objects";
    match doc.get("verificationMethod") {
        None => {}
        Some(Value::Array(items)) => {
            for item in items {
                let Value::Object(method) = item else {
                    return Err(DidDocumentError::BadField {
                        field: "verificationMethod",
                        expected: METHODS,
                    });
                };
                reader.method(method, false)?;
            }
        }
        Some(_) => {
            return Err(DidDocumentError::BadField {
                field: "verificationMethod",
                expected: METHODS,
            });
        }
    }
    const ASSERTION: &str = "an array of verification method ids and objects";
    let mut references = Vec::new();
    match doc.get("assertionMethod") {
        None => {}
        Some(Value::Array(items)) => {
            for item in items {
                match item {
                    Value::String(reference) => references.push(reader.resolve(reference)),
                    Value::Object(method) => reader.method(method, true)?,
                    _ => {
                        return Err(DidDocumentError::BadField {
                            field: "assertionMethod",
                            expected: ASSERTION,
                        });
                    }
                }
            }
        }
        Some(_) => {
            return Err(DidDocumentError::BadField {
                field: "assertionMethod",
                expected: ASSERTION,
            });
        }
    }
    let Reader {
        mut methods,
        skipped,
        ..
    } = reader;
    for method in &mut methods {
        if references.contains(&method.id) {
            method.assertion = true;
        }
    }
    if !methods.iter().any(|m| m.assertion) {
        return Err(DidDocumentError::NoAssertionKey);
    }
    Ok(DidDocument {
        id,
        methods,
        skipped,
    })
}

/// The verification methods read so far.
struct Reader<'a> {
    did: &'a DidWeb,
    methods: Vec<Method>,
    skipped: Vec<String>,
    /// Every method id seen, kept or skipped.
    ids: HashSet<String>,
}

impl Reader<'_> {
    /// A method id or reference made absolute: `#fragment` is resolved
    /// against the document's DID.
    fn resolve(&self, reference: &str) -> String {
        if reference.starts_with('#') {
            format!("{}{reference}", self.did)
        } else {
            reference.to_owned()
        }
    }

    /// Reads one verification method object.
    fn method(
        &mut self,
        method: &Map<String, Value>,
        assertion: bool,
    ) -> Result<(), DidDocumentError> {
        let Some(Value::String(id)) = method.get("id") else {
            return Err(DidDocumentError::MethodWithoutId);
        };
        let id = self.resolve(id);
        if !self.ids.insert(id.clone()) {
            return Err(DidDocumentError::DuplicateMethod(id));
        }
        let bad = |id: &str, why: String| DidDocumentError::BadMethod {
            id: id.to_owned(),
            why,
        };
        let Some(Value::String(kind)) = method.get("type") else {
            return Err(bad(&id, "it has no `type` string".into()));
        };
        if kind != "Multikey" && kind != "Ed25519VerificationKey2020" {
            self.skipped.push(id);
            return Ok(());
        }
        let Some(Value::String(multibase)) = method.get("publicKeyMultibase") else {
            return Err(bad(&id, "it has no `publicKeyMultibase` string".into()));
        };
        let key = match DidKey::from_multibase(multibase) {
            Ok(key) => key,
            // A Multikey may hold a key of another kind (P-256…), or in
            // another base: not one brevet verifies with.
            Err(DidKeyError::NotEd25519(_) | DidKeyError::NotBase58Btc) if kind == "Multikey" => {
                self.skipped.push(id);
                return Ok(());
            }
            Err(e) => {
                return Err(bad(
                    &id,
                    format!("its publicKeyMultibase is not an Ed25519 key: {e}"),
                ));
            }
        };
        let fragment = id
            .split_once('#')
            .filter(|(did, _)| *did == self.did.as_str())
            .map(|(_, fragment)| fragment);
        if fragment.is_none_or(str::is_empty) {
            return Err(bad(
                &id,
                format!("its id must be `#fragment` or `{}#fragment`", self.did),
            ));
        }
        match method.get("controller") {
            Some(Value::String(controller)) if controller == self.did.as_str() => {}
            Some(Value::String(controller)) => {
                return Err(DidDocumentError::ForeignController {
                    id,
                    controller: controller.clone(),
                });
            }
            _ => return Err(bad(&id, "it has no `controller` string".into())),
        }
        let revoked = match method.get("revoked") {
            None => None,
            Some(value) => Some(value.as_str().and_then(parse_datetime).ok_or_else(|| {
                DidDocumentError::BadRevoked {
                    id: id.clone(),
                    value: value.to_string(),
                }
            })?),
        };
        self.methods.push(Method {
            id,
            key,
            revoked,
            assertion,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential::did::encode_base58btc;
    use chrono::TimeZone;

    fn key(n: u8) -> DidKey {
        DidKey::from_key(ed25519_dalek::SigningKey::from_bytes(&[n; 32]).verifying_key())
    }

    fn did(text: &str) -> DidWeb {
        DidWeb::parse(text).unwrap()
    }

    fn parse(value: &Value) -> Result<DidDocument, DidDocumentError> {
        DidDocument::parse(&serde_json::to_vec(value).unwrap())
    }

    /// A method object for `key`, with the given id and controller.
    fn method(id: &str, key: &DidKey, controller: &str) -> Value {
        json!({
            "id": id,
            "type": "Multikey",
            "controller": controller,
            "publicKeyMultibase": key.multibase(),
        })
    }

    #[test]
    fn a_domain_has_its_document_under_well_known() {
        let d = did("did:web:formation.example.org");
        assert_eq!(d.as_str(), "did:web:formation.example.org");
        assert_eq!(d.to_string(), "did:web:formation.example.org");
        assert_eq!(d.host(), "formation.example.org");
        assert!(d.path_segments().is_empty());
        assert_eq!(
            d.document_url(),
            "https://formation.example.org/.well-known/did.json"
        );
        assert_eq!(d.document_path(), ".well-known/did.json");
    }

    #[test]
    fn a_path_puts_the_document_in_a_folder() {
        let d = did("did:web:example.org:certif");
        assert_eq!(d.host(), "example.org");
        assert_eq!(d.path_segments(), ["certif"]);
        assert_eq!(d.document_url(), "https://example.org/certif/did.json");
        assert_eq!(d.document_path(), "certif/did.json");
        let deep = did("did:web:example.org:a:b_c");
        assert_eq!(deep.document_url(), "https://example.org/a/b_c/did.json");
        assert_eq!(deep.document_path(), "a/b_c/did.json");
    }

    #[test]
    fn a_port_is_written_percent_encoded() {
        let d = did("did:web:localhost%3A8443");
        assert_eq!(d.host(), "localhost:8443");
        assert_eq!(
            d.document_url(),
            "https://localhost:8443/.well-known/did.json"
        );
        assert_eq!(d.document_path(), ".well-known/did.json");
        let with_path = did("did:web:example.org%3A65535:certif");
        assert_eq!(with_path.host(), "example.org:65535");
        assert_eq!(
            with_path.document_url(),
            "https://example.org:65535/certif/did.json"
        );
    }

    #[test]
    fn path_segments_are_percent_decoded() {
        let d = did("did:web:example.org:a%20b:caf%C3%A9");
        assert_eq!(d.path_segments(), ["a b", "café"]);
        assert_eq!(d.document_path(), "a b/café/did.json");
        assert_eq!(
            d.document_url(),
            "https://example.org/a%20b/caf%C3%A9/did.json"
        );
        assert_eq!(did("did:web:example.org:%2e%2e.").path_segments(), ["..."]);
    }

    #[test]
    fn method_ids_name_the_key_under_the_did() {
        let d = did("did:web:example.org:certif");
        let k = key(1);
        assert_eq!(
            d.method_id(&k),
            format!("did:web:example.org:certif#{}", k.multibase())
        );
    }

    #[test]
    fn refuses_what_is_not_a_did_web_it_can_resolve() {
        let host = |host: &str, why| DidWebError::BadHostName {
            host: host.into(),
            why,
        };
        let segment = |segment: &str, why| DidWebError::BadPathSegment {
            segment: segment.into(),
            why,
        };
        let cases: Vec<(&str, DidWebError)> = vec![
            ("did:key:z6Mk", DidWebError::NotDidWeb),
            ("DID:WEB:example.org", DidWebError::NotDidWeb),
            ("did:web", DidWebError::NotDidWeb),
            ("did:web:", DidWebError::EmptyHost),
            ("did:web::certif", DidWebError::EmptyHost),
            ("did:web:%3A8443", DidWebError::EmptyHost),
            ("did:web:example.org#key-1", DidWebError::FragmentOrQuery),
            (
                "did:web:example.org?service=x",
                DidWebError::FragmentOrQuery,
            ),
            ("did:web:example.org/certif", DidWebError::Slash),
            (
                "did:web:Example.org",
                DidWebError::UppercaseHost("Example.org".into()),
            ),
            ("did:web:exa_mple.org", DidWebError::BadHostCharacter('_')),
            ("did:web:exemple.fr ", DidWebError::BadHostCharacter(' ')),
            ("did:web:bücher.de", DidWebError::BadHostCharacter('ü')),
            ("did:web:[::1]", DidWebError::BadHostCharacter('[')),
            ("did:web:localhost%3a8443", DidWebError::HostEncoding),
            ("did:web:example%2Eorg", DidWebError::HostEncoding),
            ("did:web:localhost%é", DidWebError::HostEncoding),
            ("did:web:localhost%3A", DidWebError::BadPort(String::new())),
            ("did:web:localhost%3A0", DidWebError::BadPort("0".into())),
            (
                "did:web:localhost%3A08443",
                DidWebError::BadPort("08443".into()),
            ),
            (
                "did:web:localhost%3A65536",
                DidWebError::BadPort("65536".into()),
            ),
            (
                "did:web:localhost%3A84x",
                DidWebError::BadPort("84x".into()),
            ),
            (
                "did:web:localhost%3A8443%3A1",
                DidWebError::BadPort("8443%3A1".into()),
            ),
            (
                "did:web:example..org",
                host(
                    "example..org",
                    "it has an empty label (two dots in a row, or a dot at either end)",
                ),
            ),
            (
                "did:web:example.org.",
                host(
                    "example.org.",
                    "it has an empty label (two dots in a row, or a dot at either end)",
                ),
            ),
            (
                "did:web:-example.org",
                host(
                    "-example.org",
                    "a label (between dots) starts or ends with `-`",
                ),
            ),
            (
                "did:web:192.168.1.10",
                DidWebError::IpAddress("192.168.1.10".into()),
            ),
            (
                "did:web:127.0.0.1%3A8443",
                DidWebError::IpAddress("127.0.0.1".into()),
            ),
            (
                "did:web:0x7f000001",
                DidWebError::IpAddress("0x7f000001".into()),
            ),
            (
                "did:web:example.123",
                DidWebError::IpAddress("example.123".into()),
            ),
            ("did:web:example.org:", DidWebError::EmptyPathSegment),
            ("did:web:example.org::a", DidWebError::EmptyPathSegment),
            (
                "did:web:example.org:a b",
                DidWebError::BadPathCharacter(' '),
            ),
            (
                "did:web:example.org:~me",
                DidWebError::BadPathCharacter('~'),
            ),
            (
                "did:web:example.org:a%2",
                DidWebError::BadPercentEncoding("a%2".into()),
            ),
            (
                "did:web:example.org:a%zz",
                DidWebError::BadPercentEncoding("a%zz".into()),
            ),
            (
                "did:web:example.org:%FF",
                DidWebError::BadPercentEncoding("%FF".into()),
            ),
            ("did:web:example.org:é", DidWebError::BadPathCharacter('é')),
            (
                "did:web:example.org:a%2Fb",
                segment("a/b", "a `/` or `\\` would split it into several folders"),
            ),
            (
                "did:web:example.org:a%5Cb",
                segment("a\\b", "a `/` or `\\` would split it into several folders"),
            ),
            (
                "did:web:example.org:..",
                segment("..", "`.` and `..` name no folder of their own"),
            ),
            (
                "did:web:example.org:%2E%2E",
                segment("..", "`.` and `..` name no folder of their own"),
            ),
            (
                "did:web:example.org:.",
                segment(".", "`.` and `..` name no folder of their own"),
            ),
            (
                "did:web:example.org:a%00",
                segment("a\0", "it holds a control character"),
            ),
        ];
        for (text, expected) in cases {
            let got = DidWeb::parse(text);
            assert_eq!(got, Err(expected), "{text}");
        }
        let long_label = format!("did:web:{}.org", "a".repeat(64));
        assert!(
            matches!(
                DidWeb::parse(&long_label),
                Err(DidWebError::BadHostName { .. })
            ),
            "{long_label}"
        );
        let long_name = format!("did:web:{}org", "a.".repeat(127));
        assert!(
            matches!(
                DidWeb::parse(&long_name),
                Err(DidWebError::BadHostName { .. })
            ),
            "{long_name}"
        );
    }

    #[test]
    fn refusals_say_what_to_write() {
        let upper = DidWeb::parse("did:web:Formation.Example.org").unwrap_err();
        assert!(
            upper.to_string().contains("`formation.example.org`"),
            "{upper}"
        );
        let space = DidWeb::parse("did:web:example.org:a b").unwrap_err();
        assert!(space.to_string().contains("`%20`"), "{space}");
        let accent = DidWeb::parse("did:web:example.org:é").unwrap_err();
        assert!(accent.to_string().contains("`%C3%A9`"), "{accent}");
    }

    #[test]
    fn localhost_and_single_names_are_domain_names() {
        assert_eq!(did("did:web:localhost").host(), "localhost");
        assert_eq!(did("did:web:xn--bcher-kva.de").host(), "xn--bcher-kva.de");
        assert_eq!(did("did:web:a-b.example.org").host(), "a-b.example.org");
        assert_eq!(did("did:web:2025.example.org").host(), "2025.example.org");
    }

    #[test]
    fn no_input_makes_it_panic() {
        let texts = [
            "did:web:localhost%3A8443:a%20b:c%C3%A9",
            "did:web:é%é:%é%:%%",
            "did:web:ex%3Aé",
        ];
        for text in texts {
            for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let _ = DidWeb::parse(&text[..end]);
            }
        }
        let d = did("did:web:example.org");
        let bytes = serde_json::to_vec(&document(
            &d,
            &[PublishedKey {
                key: key(1),
                revoked: None,
            }],
        ))
        .unwrap();
        for end in 0..bytes.len() {
            assert!(DidDocument::parse(&bytes[..end]).is_err());
        }
        assert!(DidDocument::parse(&bytes).is_ok());
    }

    #[test]
    fn the_document_written_reads_back() {
        let d = did("did:web:formation.example.org");
        let old = key(1);
        let new = key(2);
        let revoked = Utc.with_ymd_and_hms(2025, 3, 14, 9, 26, 53).unwrap();
        let value = document(
            &d,
            &[
                PublishedKey {
                    key: old.clone(),
                    revoked: Some(revoked),
                },
                PublishedKey {
                    key: new.clone(),
                    revoked: None,
                },
            ],
        );
        assert_eq!(
            value["@context"],
            json!([
                "https://www.w3.org/ns/did/v1",
                "https://w3id.org/security/multikey/v1"
            ])
        );
        assert_eq!(value["id"], "did:web:formation.example.org");
        // The revoked key is listed, and vouches for nothing any more.
        assert_eq!(value["assertionMethod"], json!([d.method_id(&new)]));
        assert_eq!(
            value["verificationMethod"][0]["revoked"],
            "2025-03-14T09:26:53Z"
        );
        assert_eq!(value["verificationMethod"][0]["type"], "Multikey");
        assert_eq!(
            value["verificationMethod"][0]["controller"],
            "did:web:formation.example.org"
        );
        assert!(value["verificationMethod"][1].get("revoked").is_none());

        let read = DidDocument::parse_for(&serde_json::to_vec(&value).unwrap(), &d).unwrap();
        assert_eq!(read.id(), &d);
        assert!(read.has_assertion_key());
        assert_eq!(read.methods().len(), 2);
        assert!(matches!(
            read.assertion_key(&d.method_id(&old)),
            Err(DidDocumentError::NotAssertionMethod { .. })
        ));
        let first = &read.methods()[0];
        assert_eq!(first.key, old);
        assert_eq!(first.revoked, Some(revoked));
        assert!(!first.assertion);
        let second = read.assertion_key(&d.method_id(&new)).unwrap();
        assert_eq!(second.key, new);
        assert_eq!(second.revoked, None);
        assert_eq!(read.methods()[0].id, d.method_id(&old));
        assert_eq!(read.methods()[1].id, d.method_id(&new));
    }

    #[test]
    fn relative_ids_are_resolved_against_the_document() {
        let k = key(3);
        let value = json!({
            "id": "did:web:example.org:certif",
            "verificationMethod": [{
                "id": "#key-1",
                "type": "Ed25519VerificationKey2020",
                "controller": "did:web:example.org:certif",
                "publicKeyMultibase": k.multibase(),
            }],
            "assertionMethod": ["#key-1"],
        });
        let read = parse(&value).unwrap();
        let m = read
            .assertion_key("did:web:example.org:certif#key-1")
            .unwrap();
        assert_eq!(m.id, "did:web:example.org:certif#key-1");
        assert_eq!(m.key, k);
        // The absolute form refers to the same method.
        let mut absolute = value.clone();
        absolute["assertionMethod"] = json!(["did:web:example.org:certif#key-1"]);
        assert!(parse(&absolute).unwrap().assertion_key(&m.id).is_ok());
    }

    #[test]
    fn an_embedded_assertion_method_is_an_assertion_key() {
        let k = key(4);
        let value = json!({
            "id": "did:web:example.org",
            "assertionMethod": [method("#embedded", &k, "did:web:example.org")],
        });
        let read = parse(&value).unwrap();
        assert_eq!(read.methods().len(), 1);
        let m = read.assertion_key("did:web:example.org#embedded").unwrap();
        assert_eq!(m.key, k);
        assert!(m.assertion);
    }

    #[test]
    fn a_key_controlled_by_someone_else_is_refused() {
        let value = json!({
            "id": "did:web:example.org",
            "verificationMethod": [method("#key-1", &key(1), "did:web:evil.example")],
            "assertionMethod": ["#key-1"],
        });
        let err = parse(&value).unwrap_err();
        assert_eq!(
            err,
            DidDocumentError::ForeignController {
                id: "did:web:example.org#key-1".into(),
                controller: "did:web:evil.example".into(),
            }
        );
        assert_eq!(err.code(), "foreign-controller");
        assert!(
            err.to_string().contains("did:web:example.org#key-1"),
            "{err}"
        );
        // Embedded, the same.
        let embedded = json!({
            "id": "did:web:example.org",
            "assertionMethod": [method("#key-1", &key(1), "did:web:evil.example")],
        });
        assert_eq!(parse(&embedded).unwrap_err().code(), "foreign-controller");
    }

    #[test]
    fn keys_of_other_kinds_are_passed_over() {
        // A P-256 Multikey (multicodec 0x1200, varint 0x80 0x24).
        let mut p256 = vec![0x80, 0x24, 0x02];
        p256.extend_from_slice(&[7; 32]);
        let ed = key(5);
        let value = json!({
            "id": "did:web:example.org",
            "verificationMethod": [
                {"id": "#p256", "type": "Multikey", "controller": "did:web:example.org",
                 "publicKeyMultibase": encode_base58btc(&p256)},
                {"id": "#jwk", "type": "JsonWebKey2020", "controller": "did:web:example.org",
                 "publicKeyJwk": {"kty": "OKP", "crv": "X25519", "x": "AAAA"}},
                method("#ed", &ed, "did:web:example.org"),
            ],
            "assertionMethod": ["#p256", "#jwk", "#ed"],
        });
        let read = parse(&value).unwrap();
        assert_eq!(read.methods().len(), 1);
        assert_eq!(read.methods()[0].key, ed);
        let err = read.assertion_key("did:web:example.org#p256").unwrap_err();
        assert_eq!(
            err,
            DidDocumentError::UnsupportedKey("did:web:example.org#p256".into())
        );
        assert_eq!(
            read.assertion_key("did:web:example.org#jwk")
                .unwrap_err()
                .code(),
            "unsupported-key"
        );
        // With only keys of other kinds, nothing vouches.
        let mut only_p256 = value.clone();
        only_p256["verificationMethod"] = json!([value["verificationMethod"][0].clone()]);
        only_p256["assertionMethod"] = json!(["#p256"]);
        assert_eq!(parse(&only_p256), Err(DidDocumentError::NoAssertionKey));
    }

    #[test]
    fn a_malformed_ed25519_key_is_an_error() {
        let mut value = json!({
            "id": "did:web:example.org",
            "verificationMethod": [{"id": "#k", "type": "Multikey",
                "controller": "did:web:example.org",
                "publicKeyMultibase": encode_base58btc(&[0xed, 0x01, 1, 2, 3])}],
            "assertionMethod": ["#k"],
        });
        let err = parse(&value).unwrap_err();
        assert_eq!(err.code(), "bad-method");
        assert!(err.to_string().contains("did:web:example.org#k"), "{err}");
        // An Ed25519VerificationKey2020 must hold an Ed25519 key.
        let mut p256 = vec![0x80, 0x24, 0x02];
        p256.extend_from_slice(&[7; 32]);
        value["verificationMethod"][0]["type"] = "Ed25519VerificationKey2020".into();
        value["verificationMethod"][0]["publicKeyMultibase"] = encode_base58btc(&p256).into();
        assert_eq!(parse(&value).unwrap_err().code(), "bad-method");
        // No key, no controller, no type, an id of another DID.
        for (field, replacement) in [
            ("publicKeyMultibase", Value::Null),
            ("controller", Value::Null),
            ("type", json!(["Multikey"])),
            ("id", json!("did:web:other.example#k")),
            ("id", json!("k")),
            ("id", json!("did:web:example.org#")),
        ] {
            let mut bad = json!({
                "id": "did:web:example.org",
                "verificationMethod": [method("#k", &key(1), "did:web:example.org")],
                "assertionMethod": ["#k"],
            });
            bad["verificationMethod"][0][field] = replacement.clone();
            let err = parse(&bad).unwrap_err();
            assert_eq!(err.code(), "bad-method", "{field} = {replacement}: {err}");
        }
    }

    #[test]
    fn revoked_must_be_a_date_time() {
        let mut m = method("#k", &key(1), "did:web:example.org");
        m["revoked"] = "2025-03-14".into();
        let value = json!({
            "id": "did:web:example.org",
            "verificationMethod": [m],
            "assertionMethod": ["#k"],
        });
        assert_eq!(
            parse(&value),
            Err(DidDocumentError::BadRevoked {
                id: "did:web:example.org#k".into(),
                value: "\"2025-03-14\"".into(),
            })
        );
        let mut null = value.clone();
        null["verificationMethod"][0]["revoked"] = Value::Null;
        assert_eq!(parse(&null).unwrap_err().code(), "bad-revoked");
    }

    #[test]
    fn a_huge_document_is_refused_before_reading() {
        let bytes = vec![b' '; MAX_DOCUMENT_BYTES + 1];
        let err = DidDocument::parse(&bytes).unwrap_err();
        assert_eq!(
            err,
            DidDocumentError::TooLarge {
                size: MAX_DOCUMENT_BYTES + 1,
                max: MAX_DOCUMENT_BYTES,
            }
        );
        assert_eq!(err.code(), "too-large");
        // At the limit, it is read (and blank is not JSON).
        let at_limit = vec![b' '; MAX_DOCUMENT_BYTES];
        assert_eq!(
            DidDocument::parse(&at_limit).unwrap_err().code(),
            "malformed-json"
        );
    }

    #[test]
    fn malformed_json_is_refused() {
        for bytes in [
            &b"{\"id\": "[..],
            b"",
            b"\xff",
            b"{\"id\": \"did:web:example.org\", \"id\": \"did:web:evil.example\"}",
            b"{} {}",
        ] {
            let err = DidDocument::parse(bytes).unwrap_err();
            assert!(matches!(err, DidDocumentError::MalformedJson(_)), "{err:?}");
            assert_eq!(err.code(), "malformed-json");
        }
    }

    #[test]
    fn the_document_must_be_an_object_with_a_did_web_id() {
        assert_eq!(parse(&json!([])), Err(DidDocumentError::NotAnObject));
        assert_eq!(
            parse(&json!("did:web:example.org")),
            Err(DidDocumentError::NotAnObject)
        );
        assert_eq!(parse(&json!({})), Err(DidDocumentError::NoId));
        assert_eq!(parse(&json!({"id": 1})).unwrap_err().code(), "bad-field");
        let err = parse(&json!({"id": "did:key:z6Mk"})).unwrap_err();
        assert_eq!(
            err,
            DidDocumentError::BadId {
                id: "did:key:z6Mk".into(),
                error: DidWebError::NotDidWeb,
            }
        );
        assert_eq!(err.code(), "bad-id");
        assert_eq!(
            parse(&json!({"id": "did:web:example.org#x"}))
                .unwrap_err()
                .code(),
            "bad-id"
        );
    }

    #[test]
    fn lists_of_the_wrong_shape_are_refused() {
        let k = key(1);
        for (field, value) in [
            ("verificationMethod", json!({})),
            ("verificationMethod", json!(["#k"])),
            ("assertionMethod", json!("#k")),
            ("assertionMethod", json!([1])),
        ] {
            let mut doc = json!({
                "id": "did:web:example.org",
                "verificationMethod": [method("#k", &k, "did:web:example.org")],
                "assertionMethod": ["#k"],
            });
            doc[field] = value.clone();
            let err = parse(&doc).unwrap_err();
            assert!(
                matches!(&err, DidDocumentError::BadField { field: f, .. } if *f == field),
                "{field} = {value}: {err:?}"
            );
        }
        let without_id = json!({
            "id": "did:web:example.org",
            "verificationMethod": [{"type": "Multikey"}],
        });
        assert_eq!(parse(&without_id), Err(DidDocumentError::MethodWithoutId));
    }

    #[test]
    fn two_methods_of_one_id_are_refused() {
        let value = json!({
            "id": "did:web:example.org",
            "verificationMethod": [
                method("#k", &key(1), "did:web:example.org"),
                method("did:web:example.org#k", &key(2), "did:web:example.org"),
            ],
            "assertionMethod": ["#k"],
        });
        assert_eq!(
            parse(&value),
            Err(DidDocumentError::DuplicateMethod(
                "did:web:example.org#k".into()
            ))
        );
    }

    #[test]
    fn a_document_for_another_did_is_refused() {
        let theirs = did("did:web:evil.example");
        let value = document(
            &theirs,
            &[PublishedKey {
                key: key(1),
                revoked: None,
            }],
        );
        let bytes = serde_json::to_vec(&value).unwrap();
        let ours = did("did:web:example.org");
        let err = DidDocument::parse_for(&bytes, &ours).unwrap_err();
        assert_eq!(
            err,
            DidDocumentError::ForAnotherDid {
                expected: "did:web:example.org".into(),
                found: "did:web:evil.example".into(),
            }
        );
        assert_eq!(err.code(), "for-another-did");
        assert!(DidDocument::parse_for(&bytes, &theirs).is_ok());
        // Checked before anything else of the document.
        let empty = json!({"id": "did:web:evil.example"});
        assert_eq!(
            DidDocument::parse_for(&serde_json::to_vec(&empty).unwrap(), &ours)
                .unwrap_err()
                .code(),
            "for-another-did"
        );
    }

    #[test]
    fn a_document_without_assertion_key_is_refused() {
        let d = did("did:web:example.org");
        assert_eq!(
            parse(&document(&d, &[])),
            Err(DidDocumentError::NoAssertionKey)
        );
        let value = json!({
            "id": "did:web:example.org",
            "verificationMethod": [method("#k", &key(1), "did:web:example.org")],
            "authentication": ["#k"],
        });
        let err = parse(&value).unwrap_err();
        assert_eq!(err, DidDocumentError::NoAssertionKey);
        assert_eq!(err.code(), "no-assertion-key");
        // A reference to a method that is not there vouches for nothing.
        let dangling = json!({
            "id": "did:web:example.org",
            "verificationMethod": [method("#k", &key(1), "did:web:example.org")],
            "assertionMethod": ["#other", "did:web:elsewhere.example#k"],
        });
        assert_eq!(parse(&dangling), Err(DidDocumentError::NoAssertionKey));
    }

    #[test]
    fn a_method_of_another_did_is_not_in_this_document() {
        let d = did("did:web:example.org");
        let k = key(1);
        let read = parse(&document(
            &d,
            &[PublishedKey {
                key: k.clone(),
                revoked: None,
            }],
        ))
        .unwrap();
        for other in [
            format!("did:web:example.org:certif#{}", k.multibase()),
            format!("did:web:evil.example#{}", k.multibase()),
            k.verification_method(),
            format!("#{}", k.multibase()),
        ] {
            let err = read.assertion_key(&other).unwrap_err();
            assert_eq!(
                err,
                DidDocumentError::WrongDocument {
                    method: other.clone(),
                    did: "did:web:example.org".into(),
                }
            );
            assert_eq!(err.code(), "wrong-document");
        }
        for unknown in [
            "did:web:example.org".to_owned(),
            "did:web:example.org#".to_owned(),
            d.method_id(&key(2)),
        ] {
            assert_eq!(
                read.assertion_key(&unknown),
                Err(DidDocumentError::UnknownMethod(unknown.clone()))
            );
        }
    }

    #[test]
    fn a_method_only_for_authentication_does_not_vouch() {
        let signing = key(1);
        let login = key(2);
        let value = json!({
            "id": "did:web:example.org",
            "verificationMethod": [
                method("#sign", &signing, "did:web:example.org"),
                method("#login", &login, "did:web:example.org"),
            ],
            "assertionMethod": ["#sign"],
            "authentication": ["#login"],
        });
        let read = parse(&value).unwrap();
        assert!(read.assertion_key("did:web:example.org#sign").is_ok());
        let err = read.assertion_key("did:web:example.org#login").unwrap_err();
        assert_eq!(
            err,
            DidDocumentError::NotAssertionMethod("did:web:example.org#login".into())
        );
        assert_eq!(err.code(), "not-assertion-method");
        assert!(!read.methods()[1].assertion);
    }

    #[test]
    fn codes_are_kebab_case_and_distinct() {
        let errors = [
            DidDocumentError::TooLarge { size: 2, max: 1 },
            DidDocumentError::MalformedJson(String::new()),
            DidDocumentError::NotAnObject,
            DidDocumentError::NoId,
            DidDocumentError::BadId {
                id: String::new(),
                error: DidWebError::NotDidWeb,
            },
            DidDocumentError::ForAnotherDid {
                expected: String::new(),
                found: String::new(),
            },
            DidDocumentError::BadField {
                field: "id",
                expected: "",
            },
            DidDocumentError::MethodWithoutId,
            DidDocumentError::DuplicateMethod(String::new()),
            DidDocumentError::BadMethod {
                id: String::new(),
                why: String::new(),
            },
            DidDocumentError::ForeignController {
                id: String::new(),
                controller: String::new(),
            },
            DidDocumentError::BadRevoked {
                id: String::new(),
                value: String::new(),
            },
            DidDocumentError::NoAssertionKey,
            DidDocumentError::WrongDocument {
                method: String::new(),
                did: String::new(),
            },
            DidDocumentError::UnknownMethod(String::new()),
            DidDocumentError::NotAssertionMethod(String::new()),
            DidDocumentError::UnsupportedKey(String::new()),
        ];
        let codes: HashSet<&str> = errors.iter().map(DidDocumentError::code).collect();
        assert_eq!(codes.len(), errors.len());
        for code in codes {
            assert!(
                code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{code}"
            );
        }
    }
}
