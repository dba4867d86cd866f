//! Revocation and suspension: the data side of the W3C *Bitstring Status List
//! v1.0* (<https://www.w3.org/TR/vc-bitstring-status-list/>).
//!
//! An issuer publishes a *status list credential*: a signed credential whose
//! subject holds a long bitstring, one bit per credential issued, GZIP
//! compressed and written as multibase base64url (`u…`). Each credential
//! names its bit in a `credentialStatus` entry (`BitstringStatusListEntry`):
//! the list's URL and an index. A set bit means revoked (or suspended, for a
//! suspension list).
//!
//! This module builds the entries and the unsigned list credential, and reads
//! both back strictly: [`entries`] reads a credential's `credentialStatus`,
//! [`read_list`] a (proof-checked) status list credential, [`List::status_of`]
//! gives one entry's bit. Lists come from the internet: decoding never
//! panics, stops inflating at [`MAX_LIST_BYTES`] (GZIP bombs) and says
//! precisely what is wrong with a list.
//!
//! Everything here is pure: no clock (times come in as parameters), no file,
//! no network; fetching the list and checking its proof is the caller's work.

use super::{format_datetime, parse_datetime};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use flate2::Compression;
use flate2::bufread::MultiGzDecoder;
use flate2::write::GzEncoder;
use serde_json::{Map, Value, json};
use std::fmt;
use std::io::{Read as _, Write as _};

/// Entries of a list brevet publishes: 131,072 (16 KiB), the spec's minimum
/// for herd privacy (one credential's status hides among many).
pub const MIN_ENTRIES: usize = 131_072;

/// The largest decompressed list read, in bytes (16 MiB, 134 million
/// entries): inflating stops there, which guards against GZIP bombs.
pub const MAX_LIST_BYTES: usize = 16 * 1024 * 1024;

/// The most `credentialStatus` entries read in one credential.
pub const MAX_STATUS_ENTRIES: usize = 8;

/// The `type` of a status entry brevet reads.
const ENTRY_TYPE: &str = "BitstringStatusListEntry";
/// The `type` a status list credential includes.
const LIST_CREDENTIAL_TYPE: &str = "BitstringStatusListCredential";
/// The `type` of a status list credential's subject.
const LIST_TYPE: &str = "BitstringStatusList";
/// The GZIP magic bytes (RFC 1952, section 2.3.1).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
/// How GZIP data starts in base64url (`1f 8b 08`: GZIP magic, deflate).
const GZIP_BASE64URL: &str = "H4sI";
/// How much of a value an error message quotes.
const QUOTE_CHARS: usize = 40;

/// What a status list says about a credential: the purposes brevet checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Purpose {
    /// A set bit means the credential is revoked, for good.
    Revocation,
    /// A set bit means the credential is suspended, perhaps for a while.
    Suspension,
}

impl Purpose {
    /// Every purpose, in order.
    pub const ALL: [Purpose; 2] = [Purpose::Revocation, Purpose::Suspension];

    /// The `statusPurpose` value: `revocation` or `suspension`.
    pub fn name(self) -> &'static str {
        match self {
            Purpose::Revocation => "revocation",
            Purpose::Suspension => "suspension",
        }
    }

    /// The purpose a `statusPurpose` value names (exactly, lowercase), if
    /// brevet checks it.
    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == s)
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A bitstring; index 0 is the most significant (left-most) bit of the first
/// byte (spec, "Bitstring Encoding").
#[derive(Clone, PartialEq, Eq)]
pub struct Bitstring {
    bytes: Vec<u8>,
}

impl fmt::Debug for Bitstring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bitstring")
            .field("len", &self.len())
            .field("set", &self.count_set())
            .finish()
    }
}

impl Bitstring {
    /// An all-zero bitstring of `entries` bits: at least [`MIN_ENTRIES`], at
    /// most what [`Bitstring::decode`] reads back (`MAX_LIST_BYTES` bytes),
    /// rounded up to whole bytes.
    pub fn new(entries: usize) -> Self {
        let bytes = entries.clamp(MIN_ENTRIES, MAX_LIST_BYTES * 8).div_ceil(8);
        Bitstring {
            bytes: vec![0; bytes],
        }
    }

    /// The number of bits (entries).
    pub fn len(&self) -> usize {
        self.bytes.len() * 8
    }

    /// Whether there are no bits (never, for a bitstring made by
    /// [`Bitstring::new`] or read by [`Bitstring::decode`]).
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The byte holding bit `index`, and the bit's mask in it.
    fn locate(&self, index: u64) -> Option<(usize, u8)> {
        let byte = usize::try_from(index / 8).ok()?;
        (byte < self.bytes.len()).then(|| (byte, 0x80 >> (index % 8)))
    }

    /// Bit `index`; `None` when out of range.
    pub fn get(&self, index: u64) -> Option<bool> {
        let (byte, mask) = self.locate(index)?;
        self.bytes.get(byte).map(|b| b & mask != 0)
    }

    /// Sets bit `index` to `value`; `false` (and no change) when out of range.
    pub fn set(&mut self, index: u64, value: bool) -> bool {
        let Some((byte, mask)) = self.locate(index) else {
            return false;
        };
        let Some(b) = self.bytes.get_mut(byte) else {
            return false;
        };
        if value {
            *b |= mask;
        } else {
            *b &= !mask;
        }
        true
    }

    /// The number of set bits.
    pub fn count_set(&self) -> usize {
        self.bytes.iter().map(|b| b.count_ones() as usize).sum()
    }

    /// `u` + base64url without padding of the GZIP-compressed bytes
    /// (multibase base64url), as `encodedList` is written.
    pub fn encode(&self) -> String {
        let mut gzip = GzEncoder::new(Vec::new(), Compression::best());
        // Compressing into memory has no I/O to fail.
        gzip.write_all(&self.bytes)
            .expect("compressing into memory cannot fail");
        let compressed = gzip.finish().expect("compressing into memory cannot fail");
        let mut text = String::with_capacity(1 + compressed.len().div_ceil(3) * 4);
        text.push('u');
        URL_SAFE_NO_PAD.encode_string(&compressed, &mut text);
        text
    }

    /// Reads an `encodedList`: the inverse of [`Bitstring::encode`], with a
    /// precise error for each trap (no `u`, standard base64, not GZIP, a
    /// GZIP bomb, a list shorter than the spec's minimum).
    pub fn decode(encoded: &str) -> Result<Bitstring, ListError> {
        let Some(base64url) = encoded.strip_prefix('u') else {
            return Err(ListError::NoMultibasePrefix {
                looks_base64url: encoded.starts_with(GZIP_BASE64URL)
                    && encoded.bytes().all(is_base64url_byte),
            });
        };
        let compressed = URL_SAFE_NO_PAD
            .decode(base64url)
            .map_err(|e| ListError::NotBase64url(describe_base64_error(&e)))?;
        if !compressed.starts_with(&GZIP_MAGIC) {
            return Err(ListError::NotGzip(not_gzip_reason(&compressed)));
        }
        let bytes = inflate(&compressed)?;
        if bytes.len() * 8 < MIN_ENTRIES {
            return Err(ListError::TooShort {
                entries: bytes.len() * 8,
            });
        }
        Ok(Bitstring { bytes })
    }
}

/// Inflates GZIP `compressed` (every member), refusing to grow beyond
/// [`MAX_LIST_BYTES`].
fn inflate(compressed: &[u8]) -> Result<Vec<u8>, ListError> {
    let mut decoder = MultiGzDecoder::new(compressed);
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let read = match decoder.read(&mut chunk) {
            Ok(0) => return Ok(bytes),
            Ok(read) => read,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(ListError::NotGzip(format!(
                    "its GZIP data is corrupt ({e})"
                )));
            }
        };
        if bytes.len() + read > MAX_LIST_BYTES {
            return Err(ListError::TooLarge);
        }
        bytes.extend_from_slice(chunk.get(..read).unwrap_or_default());
    }
}

/// Whether `b` is in the base64url alphabet (RFC 4648, section 5).
fn is_base64url_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Why bytes that do not start with the GZIP magic are not GZIP.
fn not_gzip_reason(bytes: &[u8]) -> String {
    match bytes {
        [] => "it is empty".to_string(),
        [0x78, second, ..] if (0x78_u16 * 256 + u16::from(*second)).is_multiple_of(31) => {
            "it is zlib data, not GZIP (it starts with 78, not 1f 8b)".to_string()
        }
        [first] => format!("it does not start with the GZIP magic bytes 1f 8b but {first:02x}"),
        [first, second, ..] => format!(
            "it does not start with the GZIP magic bytes 1f 8b but {first:02x} {second:02x}"
        ),
    }
}

/// A base64 decoding error, in words; positions count the `u` prefix, from 1.
fn describe_base64_error(error: &base64::DecodeError) -> String {
    use base64::DecodeError;
    match *error {
        DecodeError::InvalidByte(offset, byte) => {
            let at = offset + 2;
            match byte {
                b'+' | b'/' => format!(
                    "`{}` at character {at}: that is standard base64, base64url writes `-` and `_` instead of `+` and `/`",
                    char::from(byte)
                ),
                b'=' => format!(
                    "padding `=` at character {at}: base64url is written here without padding"
                ),
                _ => format!("{} at character {at} is not base64url", describe_byte(byte)),
            }
        }
        DecodeError::InvalidPadding => {
            "it has padding `=`: base64url is written here without padding".to_string()
        }
        DecodeError::InvalidLength(length) => format!(
            "its {length} characters after the `u` cannot be base64url (one character too many, or cut short)"
        ),
        DecodeError::InvalidLastSymbol(offset, byte) => format!(
            "its last character, {} at character {}, is not a possible ending (cut short or altered?)",
            describe_byte(byte),
            offset + 2
        ),
    }
}

/// A byte of text, for an error message.
fn describe_byte(byte: u8) -> String {
    match byte {
        b' ' => "a space".to_string(),
        b'\n' | b'\r' => "a line break".to_string(),
        b'\t' => "a tab".to_string(),
        b if b.is_ascii_graphic() => format!("`{}`", char::from(b)),
        b => format!("byte 0x{b:02x}"),
    }
}

/// `text`, cut to [`QUOTE_CHARS`] characters, for an error message.
fn quote(text: &str) -> String {
    if text.chars().count() <= QUOTE_CHARS {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(QUOTE_CHARS).collect();
        cut.push('…');
        cut
    }
}

/// The JSON kind of `value`, with its article, for an error message.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Why a status list cannot be read, or does not answer for an entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListError {
    /// The `encodedList` does not start with the multibase base64url prefix
    /// `u`.
    #[error("{}", no_prefix_message(*.looks_base64url))]
    NoMultibasePrefix {
        /// Whether the text is base64url of GZIP data all the same (a known
        /// mistake).
        looks_base64url: bool,
    },
    /// The `encodedList` after its `u` is not base64url without padding.
    #[error("the encodedList is not base64url: {0}")]
    NotBase64url(String),
    /// The decoded bytes are not GZIP, or do not inflate.
    #[error("the encodedList is not GZIP compressed: {0}")]
    NotGzip(String),
    /// The list inflates beyond [`MAX_LIST_BYTES`].
    #[error(
        "the encodedList inflates to more than {MAX_LIST_BYTES} bytes, the most brevet reads (a GZIP bomb?)"
    )]
    TooLarge,
    /// The list has fewer than [`MIN_ENTRIES`] bits.
    #[error(
        "the encodedList holds {entries} entries, fewer than the {MIN_ENTRIES} (16 KB) a status list must hold so that each credential's status hides among many"
    )]
    TooShort {
        /// The number of entries (bits) in the list.
        entries: usize,
    },
    /// The document is not shaped like a status list credential.
    #[error("not a status list credential: {0}")]
    NotAStatusList(String),
    /// The list is not the one the entry points to.
    #[error("the entry points to the status list {expected}, but this list is {found}")]
    WrongList {
        /// The entry's `statusListCredential`.
        expected: String,
        /// The list's `id`.
        found: String,
    },
    /// The list is for another purpose than the entry.
    #[error("the entry is for {entry}, but this status list is for {list}")]
    WrongPurpose {
        /// The entry's purpose.
        entry: Purpose,
        /// The list's purpose.
        list: Purpose,
    },
    /// The entry's index is beyond the end of the list.
    #[error("statusListIndex {index} is outside the status list, which has {entries} entries")]
    IndexOutOfRange {
        /// The entry's index.
        index: u64,
        /// The number of entries in the list.
        entries: usize,
    },
    /// `validFrom` or `validUntil` is not a date-time.
    #[error(
        "the status list's {field} is not an XML Schema dateTimeStamp (like 2025-03-14T09:26:53Z)"
    )]
    BadDate {
        /// `validFrom` or `validUntil`.
        field: &'static str,
    },
}

/// The message of [`ListError::NoMultibasePrefix`].
fn no_prefix_message(looks_base64url: bool) -> &'static str {
    if looks_base64url {
        "the encodedList is written without the multibase `u` prefix (a known mistake of some tools): it must start with `u`"
    } else {
        "the encodedList does not start with the multibase base64url prefix `u`"
    }
}

impl ListError {
    /// A stable kebab-case name of the error, for scripts.
    pub fn code(&self) -> &'static str {
        match self {
            ListError::NoMultibasePrefix { .. } => "no-multibase-prefix",
            ListError::NotBase64url(_) => "not-base64url",
            ListError::NotGzip(_) => "not-gzip",
            ListError::TooLarge => "too-large",
            ListError::TooShort { .. } => "too-short",
            ListError::NotAStatusList(_) => "not-a-status-list",
            ListError::WrongList { .. } => "wrong-list",
            ListError::WrongPurpose { .. } => "wrong-purpose",
            ListError::IndexOutOfRange { .. } => "index-out-of-range",
            ListError::BadDate { .. } => "bad-date",
        }
    }
}

/// One `credentialStatus` entry (type `BitstringStatusListEntry`, one-bit
/// status).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What a set bit means.
    pub purpose: Purpose,
    /// The bit's index in the list (`statusListIndex`).
    pub index: u64,
    /// The status list credential's URL (`statusListCredential`).
    pub list: String,
}

impl Entry {
    /// The entry as a credential writes it: `id` (`<list>#<index>`), `type`,
    /// `statusPurpose`, `statusListIndex` (base 10, a string) and
    /// `statusListCredential`.
    pub fn to_json(&self) -> Value {
        json!({
            "id": format!("{}#{}", self.list, self.index),
            "type": ENTRY_TYPE,
            "statusPurpose": self.purpose.name(),
            "statusListIndex": self.index.to_string(),
            "statusListCredential": self.list,
        })
    }
}

/// The status entries of a credential.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Statuses {
    /// The `BitstringStatusListEntry` entries, in order.
    pub entries: Vec<Entry>,
    /// The `type` of each other entry (`1EdTechRevocationList`,
    /// `StatusList2021Entry`…), which brevet does not check.
    pub other: Vec<String>,
}

/// Why a credential's `credentialStatus` cannot be read. `at` names the
/// entry: `credentialStatus`, or `credentialStatus[1]` in an array.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    /// `credentialStatus` is neither an object nor an array.
    #[error("credentialStatus is {found}, not an object or an array of objects")]
    NotObjectOrArray {
        /// The JSON kind found.
        found: &'static str,
    },
    /// More entries than [`MAX_STATUS_ENTRIES`].
    #[error(
        "credentialStatus has {count} entries, more than the {MAX_STATUS_ENTRIES} brevet reads"
    )]
    TooMany {
        /// The number of entries.
        count: usize,
    },
    /// An entry of the array is not an object.
    #[error("{at} is {found}, not an object")]
    EntryNotObject {
        /// Which entry.
        at: String,
        /// The JSON kind found.
        found: &'static str,
    },
    /// An entry has no `type`, or not a string.
    #[error("{at} has no type (a string such as \"BitstringStatusListEntry\")")]
    NoType {
        /// Which entry.
        at: String,
    },
    /// A `BitstringStatusListEntry` has no `statusPurpose`, or not a string.
    #[error("{at} has no statusPurpose (a string: \"revocation\" or \"suspension\")")]
    NoPurpose {
        /// Which entry.
        at: String,
    },
    /// A purpose brevet does not check (`message`, `refresh`…).
    #[error("{at} has statusPurpose \"{purpose}\": brevet checks revocation and suspension only")]
    UnknownPurpose {
        /// Which entry.
        at: String,
        /// The purpose found (cut when long).
        purpose: String,
    },
    /// No `statusListIndex`.
    #[error("{at} has no statusListIndex (a string of base-10 digits, like \"94567\")")]
    NoIndex {
        /// Which entry.
        at: String,
    },
    /// `statusListIndex` is not a string (often a JSON number).
    #[error(
        "{at} has a statusListIndex that is {found}: it must be a string of base-10 digits, like \"94567\""
    )]
    IndexNotString {
        /// Which entry.
        at: String,
        /// The JSON kind found.
        found: &'static str,
    },
    /// `statusListIndex` is empty or has something else than digits.
    #[error(
        "{at} has statusListIndex \"{index}\": it must be base-10 digits only (no sign, no space)"
    )]
    IndexNotDigits {
        /// Which entry.
        at: String,
        /// The index found (cut when long).
        index: String,
    },
    /// `statusListIndex` is beyond any list.
    #[error("{at} has statusListIndex \"{index}\", too large for any status list")]
    IndexTooLarge {
        /// Which entry.
        at: String,
        /// The index found (cut when long).
        index: String,
    },
    /// No `statusListCredential`, or not a string.
    #[error("{at} has no statusListCredential (the status list's URL, a string)")]
    NoListCredential {
        /// Which entry.
        at: String,
    },
    /// `statusListCredential` is not an `https://` or `http://` URL.
    #[error("{at} has statusListCredential \"{found}\", which is not an https:// or http:// URL")]
    ListCredentialNotUrl {
        /// Which entry.
        at: String,
        /// The value found (cut when long).
        found: String,
    },
    /// `statusSize` is not 1.
    #[error("{at} has statusSize {size}: brevet reads one-bit entries (statusSize 1)")]
    StatusSize {
        /// Which entry.
        at: String,
        /// The size found, as JSON (cut when long).
        size: String,
    },
}

impl EntryError {
    /// A stable kebab-case name of the error, for scripts.
    pub fn code(&self) -> &'static str {
        match self {
            EntryError::NotObjectOrArray { .. } => "status-not-object",
            EntryError::TooMany { .. } => "too-many-statuses",
            EntryError::EntryNotObject { .. } => "status-entry-not-object",
            EntryError::NoType { .. } => "status-no-type",
            EntryError::NoPurpose { .. } => "status-no-purpose",
            EntryError::UnknownPurpose { .. } => "status-unknown-purpose",
            EntryError::NoIndex { .. } => "status-no-index",
            EntryError::IndexNotString { .. } => "status-index-not-string",
            EntryError::IndexNotDigits { .. } => "status-index-not-digits",
            EntryError::IndexTooLarge { .. } => "status-index-too-large",
            EntryError::NoListCredential { .. } => "status-no-list",
            EntryError::ListCredentialNotUrl { .. } => "status-list-not-url",
            EntryError::StatusSize { .. } => "status-size",
        }
    }
}

/// The entries of a credential's `credentialStatus`: none when absent, one
/// object or an array of them. Entries of other types are named in
/// [`Statuses::other`], so that a verifier can say it did not check them.
pub fn entries(credential: &Map<String, Value>) -> Result<Statuses, EntryError> {
    let items: Vec<(String, &Value)> = match credential.get("credentialStatus") {
        None => return Ok(Statuses::default()),
        Some(item @ Value::Object(_)) => vec![("credentialStatus".to_string(), item)],
        Some(Value::Array(items)) => {
            if items.len() > MAX_STATUS_ENTRIES {
                return Err(EntryError::TooMany { count: items.len() });
            }
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("credentialStatus[{i}]"), v))
                .collect()
        }
        Some(other) => return Err(EntryError::NotObjectOrArray { found: kind(other) }),
    };
    let mut statuses = Statuses::default();
    for (at, item) in items {
        let Value::Object(item) = item else {
            return Err(EntryError::EntryNotObject {
                at,
                found: kind(item),
            });
        };
        let Some(Value::String(kind)) = item.get("type") else {
            return Err(EntryError::NoType { at });
        };
        if kind == ENTRY_TYPE {
            statuses.entries.push(read_entry(item, at)?);
        } else {
            statuses.other.push(kind.clone());
        }
    }
    Ok(statuses)
}

/// Reads one `BitstringStatusListEntry`, named `at` in errors.
fn read_entry(item: &Map<String, Value>, at: String) -> Result<Entry, EntryError> {
    let Some(Value::String(purpose)) = item.get("statusPurpose") else {
        return Err(EntryError::NoPurpose { at });
    };
    let Some(purpose) = Purpose::from_name(purpose) else {
        return Err(EntryError::UnknownPurpose {
            at,
            purpose: quote(purpose),
        });
    };
    let index = match item.get("statusListIndex") {
        None => return Err(EntryError::NoIndex { at }),
        Some(Value::String(index)) => parse_index(index, &at)?,
        Some(other) => {
            return Err(EntryError::IndexNotString {
                at,
                found: kind(other),
            });
        }
    };
    let Some(Value::String(list)) = item.get("statusListCredential") else {
        return Err(EntryError::NoListCredential { at });
    };
    if !is_http_url(list) {
        return Err(EntryError::ListCredentialNotUrl {
            at,
            found: quote(list),
        });
    }
    // The spec's default statusSize is 1; brevet reads nothing else.
    if let Some(size) = item.get("statusSize")
        && size.as_u64() != Some(1)
    {
        return Err(EntryError::StatusSize {
            at,
            size: quote(&size.to_string()),
        });
    }
    Ok(Entry {
        purpose,
        index,
        list: list.clone(),
    })
}

/// Reads a `statusListIndex`: base-10 digits (leading zeros allowed), at
/// most `u64::MAX`.
fn parse_index(text: &str, at: &str) -> Result<u64, EntryError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(EntryError::IndexNotDigits {
            at: at.to_string(),
            index: quote(text),
        });
    }
    let significant = text.trim_start_matches('0');
    if significant.is_empty() {
        return Ok(0);
    }
    significant
        .parse::<u64>()
        .map_err(|_| EntryError::IndexTooLarge {
            at: at.to_string(),
            index: quote(text),
        })
}

/// Whether `text` is an `https://` or `http://` URL with something after
/// the scheme and no space or control character.
fn is_http_url(text: &str) -> bool {
    let rest = ["https://", "http://"].iter().find_map(|scheme| {
        text.get(..scheme.len())
            .filter(|head| head.eq_ignore_ascii_case(scheme))
            .and_then(|_| text.get(scheme.len()..))
    });
    rest.is_some_and(|rest| {
        !rest.is_empty() && !text.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

/// The unsigned `BitstringStatusListCredential` an issuer publishes, at
/// `id`, issued by `issuer` (a DID), valid from `valid_from`, with its
/// subject (`<id>#list`) holding `bits` for `purpose`. The caller signs it.
pub fn list_credential(
    id: &str,
    issuer: &str,
    purpose: Purpose,
    valid_from: DateTime<Utc>,
    bits: &Bitstring,
) -> Map<String, Value> {
    let mut subject = Map::new();
    subject.insert("id".into(), Value::String(format!("{id}#list")));
    subject.insert("type".into(), Value::String(LIST_TYPE.into()));
    subject.insert("statusPurpose".into(), Value::String(purpose.name().into()));
    subject.insert("encodedList".into(), Value::String(bits.encode()));

    let mut credential = Map::new();
    credential.insert(
        "@context".into(),
        json!(["https://www.w3.org/ns/credentials/v2"]),
    );
    credential.insert("id".into(), Value::String(id.into()));
    credential.insert(
        "type".into(),
        json!(["VerifiableCredential", LIST_CREDENTIAL_TYPE]),
    );
    credential.insert("issuer".into(), Value::String(issuer.into()));
    credential.insert(
        "validFrom".into(),
        Value::String(format_datetime(valid_from)),
    );
    credential.insert("credentialSubject".into(), Value::Object(subject));
    credential
}

/// What a (proof-checked, by the caller) status list credential says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List {
    /// The credential's `id`: the URL entries point to.
    pub id: String,
    /// The issuer's id (a DID, for brevet's lists).
    pub issuer: String,
    /// What a set bit means.
    pub purpose: Purpose,
    /// `validFrom`, when present.
    pub valid_from: Option<DateTime<Utc>>,
    /// `validUntil`, when present.
    pub valid_until: Option<DateTime<Utc>>,
    /// The decoded list.
    pub bits: Bitstring,
}

/// Reads a status list credential strictly: its `type` includes
/// `BitstringStatusListCredential`, it has a string `id`, an `issuer` (a
/// string or an object with an `id`), a `credentialSubject` object of type
/// `BitstringStatusList` with a `statusPurpose` brevet checks and an
/// `encodedList`; `validFrom` and `validUntil` are read when present. The
/// proof is not checked here.
pub fn read_list(document: &Map<String, Value>) -> Result<List, ListError> {
    let shape = |what: &str| ListError::NotAStatusList(what.to_string());
    if !has_type(document.get("type"), LIST_CREDENTIAL_TYPE) {
        return Err(shape(
            "its type does not include BitstringStatusListCredential",
        ));
    }
    let Some(Value::String(id)) = document.get("id") else {
        return Err(shape("it has no id (a string: the URL it is published at)"));
    };
    let issuer = match document.get("issuer") {
        Some(Value::String(issuer)) => issuer,
        Some(Value::Object(issuer)) => match issuer.get("id") {
            Some(Value::String(issuer)) => issuer,
            _ => return Err(shape("its issuer object has no id (a string)")),
        },
        _ => {
            return Err(shape(
                "it has no issuer (a string, or an object with an id)",
            ));
        }
    };
    let Some(Value::Object(subject)) = document.get("credentialSubject") else {
        return Err(shape("its credentialSubject is not an object"));
    };
    if !has_type(subject.get("type"), LIST_TYPE) {
        return Err(shape(
            "its credentialSubject's type is not BitstringStatusList",
        ));
    }
    let purpose = list_purpose(subject.get("statusPurpose"))?;
    let Some(Value::String(encoded)) = subject.get("encodedList") else {
        return Err(shape("its credentialSubject has no encodedList (a string)"));
    };
    let valid_from = read_date(document, "validFrom")?;
    let valid_until = read_date(document, "validUntil")?;
    let bits = Bitstring::decode(encoded)?;
    Ok(List {
        id: id.clone(),
        issuer: issuer.clone(),
        purpose,
        valid_from,
        valid_until,
        bits,
    })
}

/// Whether a `type` value (a string or an array of them) includes `wanted`.
fn has_type(value: Option<&Value>, wanted: &str) -> bool {
    match value {
        Some(Value::String(t)) => t == wanted,
        Some(Value::Array(types)) => types.iter().any(|t| t.as_str() == Some(wanted)),
        _ => false,
    }
}

/// The list's `statusPurpose`: a string, or (the spec allows "one or more
/// strings") an array of exactly one; brevet reads single-purpose lists.
fn list_purpose(value: Option<&Value>) -> Result<Purpose, ListError> {
    let name = match value {
        Some(Value::String(name)) => name,
        Some(Value::Array(names)) => match names.as_slice() {
            [Value::String(name)] => name,
            [_, _, ..] => {
                return Err(ListError::NotAStatusList(
                    "its statusPurpose lists several purposes; brevet reads a list with one"
                        .to_string(),
                ));
            }
            _ => {
                return Err(ListError::NotAStatusList(
                    "its statusPurpose is not a string".to_string(),
                ));
            }
        },
        _ => {
            return Err(ListError::NotAStatusList(
                "its credentialSubject has no statusPurpose (a string)".to_string(),
            ));
        }
    };
    Purpose::from_name(name).ok_or_else(|| {
        ListError::NotAStatusList(format!(
            "its statusPurpose \"{}\" is not one brevet checks (revocation or suspension)",
            quote(name)
        ))
    })
}

/// `field` of `document` as a date-time, when present.
fn read_date(
    document: &Map<String, Value>,
    field: &'static str,
) -> Result<Option<DateTime<Utc>>, ListError> {
    match document.get(field) {
        None => Ok(None),
        Some(Value::String(text)) => parse_datetime(text)
            .map(Some)
            .ok_or(ListError::BadDate { field }),
        Some(_) => Err(ListError::BadDate { field }),
    }
}

impl List {
    /// The status of `entry` in this list (`true`: revoked or suspended,
    /// as the purpose says). An error when the list is not the entry's
    /// (another `id` or purpose) or the index is beyond the list.
    pub fn status_of(&self, entry: &Entry) -> Result<bool, ListError> {
        if entry.list != self.id {
            return Err(ListError::WrongList {
                expected: entry.list.clone(),
                found: self.id.clone(),
            });
        }
        if entry.purpose != self.purpose {
            return Err(ListError::WrongPurpose {
                entry: entry.purpose,
                list: self.purpose,
            });
        }
        self.bits
            .get(entry.index)
            .ok_or(ListError::IndexOutOfRange {
                index: entry.index,
                entries: self.bits.len(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const LIST: &str = "https://example.org/status/1";
    const ISSUER: &str = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut gzip = GzEncoder::new(Vec::new(), Compression::default());
        gzip.write_all(bytes).unwrap();
        gzip.finish().unwrap()
    }

    fn multibase(bytes: &[u8]) -> String {
        format!("u{}", URL_SAFE_NO_PAD.encode(bytes))
    }

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            other => panic!("not an object: {other}"),
        }
    }

    fn entry(purpose: Purpose, index: u64) -> Entry {
        Entry {
            purpose,
            index,
            list: LIST.to_string(),
        }
    }

    fn valid_from() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 14, 9, 26, 53).unwrap()
    }

    #[test]
    fn purposes_have_their_spec_names() {
        assert_eq!(Purpose::Revocation.name(), "revocation");
        assert_eq!(Purpose::Suspension.name(), "suspension");
        for purpose in Purpose::ALL {
            assert_eq!(Purpose::from_name(purpose.name()), Some(purpose));
            assert_eq!(purpose.to_string(), purpose.name());
        }
        assert_eq!(Purpose::from_name("message"), None);
        assert_eq!(Purpose::from_name("Revocation"), None);
        assert_eq!(Purpose::from_name(""), None);
    }

    #[test]
    fn new_lists_have_at_least_the_minimum_in_whole_bytes() {
        assert_eq!(Bitstring::new(0).len(), MIN_ENTRIES);
        assert_eq!(Bitstring::new(1_000).len(), MIN_ENTRIES);
        assert_eq!(Bitstring::new(MIN_ENTRIES + 1).len(), MIN_ENTRIES + 8);
        assert_eq!(Bitstring::new(usize::MAX).len(), MAX_LIST_BYTES * 8);
        let bits = Bitstring::new(MIN_ENTRIES);
        assert!(!bits.is_empty());
        assert_eq!(bits.count_set(), 0);
        assert_eq!(
            format!("{bits:?}"),
            format!("Bitstring {{ len: {MIN_ENTRIES}, set: 0 }}")
        );
    }

    #[test]
    fn bit_zero_is_the_most_significant_bit_of_the_first_byte() {
        let mut bits = Bitstring::new(MIN_ENTRIES);
        assert!(bits.set(0, true));
        assert_eq!(bits.bytes[0], 0x80);
        assert!(bits.set(7, true));
        assert_eq!(bits.bytes[0], 0x81);
        assert!(bits.set(9, true));
        assert_eq!(bits.bytes[1], 0x40);
        assert!(bits.set(0, false));
        assert_eq!(bits.bytes[0], 0x01);
        assert_eq!(bits.count_set(), 2);
    }

    #[test]
    fn out_of_range_bits_are_none_and_unchanged() {
        let mut bits = Bitstring::new(MIN_ENTRIES);
        let last = (MIN_ENTRIES - 1) as u64;
        assert_eq!(bits.get(last), Some(false));
        assert_eq!(bits.get(last + 1), None);
        assert_eq!(bits.get(u64::MAX), None);
        assert!(!bits.set(last + 1, true));
        assert!(!bits.set(u64::MAX, true));
        assert_eq!(bits, Bitstring::new(MIN_ENTRIES));
        assert!(bits.set(last, true));
        assert_eq!(bits.get(last), Some(true));
    }

    #[test]
    fn encode_then_decode_keeps_every_bit() {
        let set = [0u64, 7, 8, 131_071];
        let mut bits = Bitstring::new(MIN_ENTRIES);
        for index in set {
            assert!(bits.set(index, true));
        }
        let encoded = bits.encode();
        assert!(encoded.starts_with("uH4sI"), "{encoded}");
        let decoded = Bitstring::decode(&encoded).unwrap();
        assert_eq!(decoded, bits);
        assert_eq!(decoded.count_set(), set.len());
        for index in set {
            assert_eq!(decoded.get(index), Some(true), "bit {index}");
        }
        for unset in [1u64, 6, 9, 131_070] {
            assert_eq!(decoded.get(unset), Some(false), "bit {unset}");
        }
        assert_eq!(decoded.get(131_072), None);
    }

    #[test]
    fn decode_reads_a_list_gzipped_elsewhere_msb_first() {
        let mut bytes = vec![0u8; MIN_ENTRIES / 8];
        bytes[0] = 0x80; // bit 0
        bytes[2] = 0x21; // bits 18 and 23
        bytes[MIN_ENTRIES / 8 - 1] = 0x01; // the last bit
        let decoded = Bitstring::decode(&multibase(&gzip(&bytes))).unwrap();
        assert_eq!(decoded.len(), MIN_ENTRIES);
        assert_eq!(decoded.count_set(), 4);
        for index in [0u64, 18, 23, (MIN_ENTRIES - 1) as u64] {
            assert_eq!(decoded.get(index), Some(true), "bit {index}");
        }
        for index in [1u64, 7, 16, 17, 19, 22, 24] {
            assert_eq!(decoded.get(index), Some(false), "bit {index}");
        }
    }

    #[test]
    fn decode_reads_the_widely_published_empty_list() {
        // The all-zero 16 KB list of the spec's examples; GZIP's CRC-32 and
        // length make a mistyped copy fail.
        let encoded = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA";
        let bits = Bitstring::decode(encoded).unwrap();
        assert_eq!(bits.len(), MIN_ENTRIES);
        assert_eq!(bits.count_set(), 0);
    }

    #[test]
    fn decode_reads_several_gzip_members() {
        let half = vec![0u8; MIN_ENTRIES / 16];
        let mut compressed = gzip(&half);
        compressed.extend(gzip(&half));
        let bits = Bitstring::decode(&multibase(&compressed)).unwrap();
        assert_eq!(bits.len(), MIN_ENTRIES);
    }

    #[test]
    fn a_fresh_list_encodes_short() {
        let encoded = Bitstring::new(MIN_ENTRIES).encode();
        assert!(encoded.len() < 200, "{} characters", encoded.len());
    }

    #[test]
    fn a_list_without_u_is_refused_and_the_known_mistake_named() {
        let encoded = Bitstring::new(MIN_ENTRIES).encode();
        let without = &encoded[1..];
        let error = Bitstring::decode(without).unwrap_err();
        assert_eq!(
            error,
            ListError::NoMultibasePrefix {
                looks_base64url: true
            }
        );
        assert_eq!(error.code(), "no-multibase-prefix");
        assert!(
            error.to_string().contains(
                "written without the multibase `u` prefix (a known mistake of some tools)"
            ),
            "{error}"
        );
        for other in ["", "z3v8", "H4sI AAAA", "AAAA"] {
            let error = Bitstring::decode(other).unwrap_err();
            assert_eq!(
                error,
                ListError::NoMultibasePrefix {
                    looks_base64url: false
                },
                "{other:?}"
            );
            assert!(!error.to_string().contains("known mistake"), "{error}");
        }
    }

    #[test]
    fn standard_base64_and_padding_are_not_base64url() {
        use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE};
        // Bytes whose base64 has `+` and `/`.
        let bytes = [0xfb, 0xff, 0xbf, 0x1f, 0x8b];
        let standard = STANDARD_NO_PAD.encode(bytes);
        assert!(
            standard.contains('+') && standard.contains('/'),
            "{standard}"
        );
        let error = Bitstring::decode(&format!("u{standard}")).unwrap_err();
        assert_eq!(error.code(), "not-base64url");
        assert!(error.to_string().contains("standard base64"), "{error}");
        assert!(error.to_string().contains("character 2"), "{error}");

        let padded = URL_SAFE.encode([0x1f, 0x8b, 0, 0]);
        assert_eq!(padded, "H4sAAA==");
        let error = Bitstring::decode(&format!("u{padded}")).unwrap_err();
        assert!(matches!(error, ListError::NotBase64url(_)), "{error:?}");
        assert!(error.to_string().contains("padding"), "{error}");

        for broken in ["uAAAA AAA", "uA", "uAAAA\nAAAA", "uAAé"] {
            let error = Bitstring::decode(broken).unwrap_err();
            assert!(
                matches!(error, ListError::NotBase64url(_)),
                "{broken:?}: {error:?}"
            );
        }
    }

    #[test]
    fn bytes_that_are_not_gzip_are_refused() {
        let error = Bitstring::decode(&multibase(b"not gzip at all")).unwrap_err();
        assert!(matches!(error, ListError::NotGzip(_)), "{error:?}");
        assert_eq!(error.code(), "not-gzip");
        assert!(error.to_string().contains("1f 8b"), "{error}");

        // zlib (RFC 1950) is a known confusion.
        let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), Compression::default());
        zlib.write_all(&[0u8; 16_384]).unwrap();
        let zlib = zlib.finish().unwrap();
        let error = Bitstring::decode(&multibase(&zlib)).unwrap_err();
        assert!(error.to_string().contains("zlib"), "{error}");

        assert!(matches!(
            Bitstring::decode("u").unwrap_err(),
            ListError::NotGzip(_)
        ));
        assert!(matches!(
            Bitstring::decode(&multibase(&[0x1f])).unwrap_err(),
            ListError::NotGzip(_)
        ));
    }

    #[test]
    fn corrupt_gzip_is_refused() {
        let good = gzip(&[0u8; MIN_ENTRIES / 8]);
        // Cut short.
        let error = Bitstring::decode(&multibase(&good[..good.len() - 6])).unwrap_err();
        assert!(matches!(error, ListError::NotGzip(_)), "{error:?}");
        // A wrong CRC-32.
        let mut bad_crc = good.clone();
        let at = bad_crc.len() - 8;
        bad_crc[at] ^= 0xff;
        let error = Bitstring::decode(&multibase(&bad_crc)).unwrap_err();
        assert!(matches!(error, ListError::NotGzip(_)), "{error:?}");
        // Only the magic.
        let error = Bitstring::decode(&multibase(&GZIP_MAGIC)).unwrap_err();
        assert!(matches!(error, ListError::NotGzip(_)), "{error:?}");
        // Garbage after a good member.
        let mut trailing = good.clone();
        trailing.extend_from_slice(b"garbage");
        let error = Bitstring::decode(&multibase(&trailing)).unwrap_err();
        assert!(matches!(error, ListError::NotGzip(_)), "{error:?}");
    }

    #[test]
    fn a_gzip_bomb_is_too_large() {
        // 64 MiB of zeros, compressed a chunk at a time: never held whole.
        let mut gzip = GzEncoder::new(Vec::new(), Compression::fast());
        let chunk = vec![0u8; 1024 * 1024];
        for _ in 0..64 {
            gzip.write_all(&chunk).unwrap();
        }
        let bomb = gzip.finish().unwrap();
        assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
        let error = Bitstring::decode(&multibase(&bomb)).unwrap_err();
        assert_eq!(error, ListError::TooLarge);
        assert_eq!(error.code(), "too-large");
    }

    #[test]
    fn the_size_limit_is_exact() {
        let at_limit = vec![0u8; MAX_LIST_BYTES];
        let bits = Bitstring::decode(&multibase(&gzip(&at_limit))).unwrap();
        assert_eq!(bits.len(), MAX_LIST_BYTES * 8);
        let over = vec![0u8; MAX_LIST_BYTES + 1];
        assert_eq!(
            Bitstring::decode(&multibase(&gzip(&over))).unwrap_err(),
            ListError::TooLarge
        );
    }

    #[test]
    fn a_list_under_the_minimum_is_too_short() {
        let error = Bitstring::decode(&multibase(&gzip(&[0u8; 125]))).unwrap_err();
        assert_eq!(error, ListError::TooShort { entries: 1_000 });
        assert_eq!(error.code(), "too-short");
        assert!(error.to_string().contains("131072"), "{error}");
        let just_short = vec![0u8; MIN_ENTRIES / 8 - 1];
        assert_eq!(
            Bitstring::decode(&multibase(&gzip(&just_short))).unwrap_err(),
            ListError::TooShort {
                entries: MIN_ENTRIES - 8
            }
        );
        assert_eq!(
            Bitstring::decode(&multibase(&gzip(&[]))).unwrap_err(),
            ListError::TooShort { entries: 0 }
        );
    }

    #[test]
    fn error_codes_are_distinct_kebab_case() {
        let errors = [
            ListError::NoMultibasePrefix {
                looks_base64url: false,
            },
            ListError::NotBase64url(String::new()),
            ListError::NotGzip(String::new()),
            ListError::TooLarge,
            ListError::TooShort { entries: 0 },
            ListError::NotAStatusList(String::new()),
            ListError::WrongList {
                expected: String::new(),
                found: String::new(),
            },
            ListError::WrongPurpose {
                entry: Purpose::Revocation,
                list: Purpose::Suspension,
            },
            ListError::IndexOutOfRange {
                index: 0,
                entries: 0,
            },
            ListError::BadDate { field: "validFrom" },
        ];
        let codes: std::collections::BTreeSet<_> = errors.iter().map(ListError::code).collect();
        assert_eq!(codes.len(), errors.len());
        for code in codes {
            assert!(
                code.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{code}"
            );
        }
    }

    #[test]
    fn entry_json_is_the_spec_shape() {
        let json = entry(Purpose::Suspension, 94_567).to_json();
        assert_eq!(
            json,
            json!({
                "id": "https://example.org/status/1#94567",
                "type": "BitstringStatusListEntry",
                "statusPurpose": "suspension",
                "statusListIndex": "94567",
                "statusListCredential": "https://example.org/status/1",
            })
        );
    }

    #[test]
    fn entries_reads_one_object_an_array_or_nothing() {
        let revocation = entry(Purpose::Revocation, 3);
        let suspension = entry(Purpose::Suspension, 131_071);
        let one = object(json!({ "credentialStatus": revocation.to_json() }));
        assert_eq!(
            entries(&one).unwrap(),
            Statuses {
                entries: vec![revocation.clone()],
                other: vec![],
            }
        );
        let array = object(json!({
            "credentialStatus": [
                revocation.to_json(),
                { "id": "https://example.org/r", "type": "1EdTechRevocationList" },
                suspension.to_json(),
                { "type": "StatusList2021Entry", "statusListIndex": 4 },
            ]
        }));
        assert_eq!(
            entries(&array).unwrap(),
            Statuses {
                entries: vec![revocation, suspension],
                other: vec![
                    "1EdTechRevocationList".to_string(),
                    "StatusList2021Entry".to_string()
                ],
            }
        );
        assert_eq!(entries(&Map::new()).unwrap(), Statuses::default());
        let empty = object(json!({ "credentialStatus": [] }));
        assert_eq!(entries(&empty).unwrap(), Statuses::default());
    }

    #[test]
    fn entries_reads_optional_fields() {
        let mut json = entry(Purpose::Revocation, 5).to_json();
        json["statusSize"] = json!(1);
        json["statusMessage"] = json!([{ "status": "0x0", "message": "valid" }]);
        json["statusListIndex"] = json!("0005");
        let credential = object(json!({ "credentialStatus": json }));
        assert_eq!(
            entries(&credential).unwrap().entries,
            vec![entry(Purpose::Revocation, 5)]
        );
    }

    /// The error `entries` gives for a `credentialStatus` of one entry,
    /// `change` applied to a good one.
    fn entry_error(change: impl FnOnce(&mut Map<String, Value>)) -> EntryError {
        let mut item = object(entry(Purpose::Revocation, 7).to_json());
        change(&mut item);
        let credential = object(json!({ "credentialStatus": item }));
        entries(&credential).unwrap_err()
    }

    #[test]
    fn entries_refuses_each_broken_shape() {
        let at = || "credentialStatus".to_string();
        for (status, found) in [
            (json!("https://example.org/status"), "a string"),
            (json!(null), "null"),
            (json!(3), "a number"),
        ] {
            let credential = object(json!({ "credentialStatus": status }));
            assert_eq!(
                entries(&credential).unwrap_err(),
                EntryError::NotObjectOrArray { found }
            );
        }
        let nine = vec![entry(Purpose::Revocation, 1).to_json(); 9];
        let credential = object(json!({ "credentialStatus": nine }));
        assert_eq!(
            entries(&credential).unwrap_err(),
            EntryError::TooMany { count: 9 }
        );
        let credential = object(json!({
            "credentialStatus": [entry(Purpose::Revocation, 1).to_json(), "x"]
        }));
        let error = entries(&credential).unwrap_err();
        assert_eq!(
            error,
            EntryError::EntryNotObject {
                at: "credentialStatus[1]".to_string(),
                found: "a string"
            }
        );
        assert_eq!(
            error.to_string(),
            "credentialStatus[1] is a string, not an object"
        );

        assert_eq!(
            entry_error(|e| {
                e.remove("type");
            }),
            EntryError::NoType { at: at() }
        );
        assert_eq!(
            entry_error(|e| {
                e.insert("type".into(), json!(["BitstringStatusListEntry"]));
            }),
            EntryError::NoType { at: at() }
        );
        assert_eq!(
            entry_error(|e| {
                e.remove("statusPurpose");
            }),
            EntryError::NoPurpose { at: at() }
        );
        assert_eq!(
            entry_error(|e| {
                e.insert("statusPurpose".into(), json!(["revocation"]));
            }),
            EntryError::NoPurpose { at: at() }
        );
        for purpose in ["message", "refresh", "Revocation"] {
            let error = entry_error(|e| {
                e.insert("statusPurpose".into(), json!(purpose));
            });
            assert_eq!(
                error,
                EntryError::UnknownPurpose {
                    at: at(),
                    purpose: purpose.to_string()
                }
            );
            assert!(
                error
                    .to_string()
                    .contains("brevet checks revocation and suspension"),
                "{error}"
            );
        }
        assert_eq!(
            entry_error(|e| {
                e.remove("statusListIndex");
            }),
            EntryError::NoIndex { at: at() }
        );
        assert_eq!(
            entry_error(|e| {
                e.insert("statusListIndex".into(), json!(94_567));
            }),
            EntryError::IndexNotString {
                at: at(),
                found: "a number"
            }
        );
        assert_eq!(
            entry_error(|e| {
                e.remove("statusListCredential");
            }),
            EntryError::NoListCredential { at: at() }
        );
        assert_eq!(
            entry_error(|e| {
                e.insert("statusListCredential".into(), json!(42));
            }),
            EntryError::NoListCredential { at: at() }
        );
        for size in [json!(2), json!(0), json!("1"), json!(1.5), json!(-1)] {
            let error = entry_error(|e| {
                e.insert("statusSize".into(), size.clone());
            });
            assert!(
                matches!(error, EntryError::StatusSize { .. }),
                "{size}: {error:?}"
            );
            assert!(error.to_string().contains("one-bit entries"), "{error}");
        }
    }

    #[test]
    fn status_list_indexes_are_base_10_digits() {
        let index = |text: &str| {
            let mut item = object(entry(Purpose::Revocation, 0).to_json());
            item.insert("statusListIndex".into(), json!(text));
            let credential = object(json!({ "credentialStatus": item }));
            entries(&credential).map(|s| s.entries[0].index)
        };
        assert_eq!(index("0"), Ok(0));
        assert_eq!(index("94567"), Ok(94_567));
        assert_eq!(index("000131071"), Ok(131_071));
        assert_eq!(index("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(index(&format!("{}1", "0".repeat(10_000))), Ok(1));
        for bad in ["", "-1", "+1", " 1", "1 ", "1e3", "0x10", "1.0", "١٢"] {
            assert!(
                matches!(index(bad), Err(EntryError::IndexNotDigits { .. })),
                "{bad:?}: {:?}",
                index(bad)
            );
        }
        for huge in ["18446744073709551616", &"9".repeat(100_000)] {
            let error = index(huge).unwrap_err();
            assert!(
                matches!(error, EntryError::IndexTooLarge { .. }),
                "{error:?}"
            );
            // The message quotes a bounded part of the value.
            assert!(error.to_string().len() < 200, "{error}");
        }
    }

    #[test]
    fn status_list_credentials_are_http_urls() {
        for bad in [
            "ftp://example.org/x",
            "example.org/status",
            "https://",
            "https://a b",
            "",
        ] {
            let error = entry_error(|e| {
                e.insert("statusListCredential".into(), json!(bad));
            });
            assert!(
                matches!(error, EntryError::ListCredentialNotUrl { .. }),
                "{bad:?}: {error:?}"
            );
        }
        for good in ["http://localhost:8080/list", "HTTPS://example.org/list"] {
            let mut item = object(entry(Purpose::Revocation, 0).to_json());
            item.insert("statusListCredential".into(), json!(good));
            let credential = object(json!({ "credentialStatus": item }));
            assert_eq!(entries(&credential).unwrap().entries[0].list, good);
        }
    }

    #[test]
    fn entry_error_codes_are_distinct() {
        let at = String::new;
        let errors = [
            EntryError::NotObjectOrArray { found: "" },
            EntryError::TooMany { count: 0 },
            EntryError::EntryNotObject {
                at: at(),
                found: "",
            },
            EntryError::NoType { at: at() },
            EntryError::NoPurpose { at: at() },
            EntryError::UnknownPurpose {
                at: at(),
                purpose: at(),
            },
            EntryError::NoIndex { at: at() },
            EntryError::IndexNotString {
                at: at(),
                found: "",
            },
            EntryError::IndexNotDigits {
                at: at(),
                index: at(),
            },
            EntryError::IndexTooLarge {
                at: at(),
                index: at(),
            },
            EntryError::NoListCredential { at: at() },
            EntryError::ListCredentialNotUrl {
                at: at(),
                found: at(),
            },
            EntryError::StatusSize {
                at: at(),
                size: at(),
            },
        ];
        let codes: std::collections::BTreeSet<_> = errors.iter().map(EntryError::code).collect();
        assert_eq!(codes.len(), errors.len());
    }

    fn published(bits: &Bitstring) -> Map<String, Value> {
        list_credential(LIST, ISSUER, Purpose::Revocation, valid_from(), bits)
    }

    #[test]
    fn list_credential_is_the_spec_shape() {
        let bits = Bitstring::new(MIN_ENTRIES);
        let credential = published(&bits);
        assert_eq!(
            Value::Object(credential),
            json!({
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "id": LIST,
                "type": ["VerifiableCredential", "BitstringStatusListCredential"],
                "issuer": ISSUER,
                "validFrom": "2025-03-14T09:26:53Z",
                "credentialSubject": {
                    "id": "https://example.org/status/1#list",
                    "type": "BitstringStatusList",
                    "statusPurpose": "revocation",
                    "encodedList": bits.encode(),
                },
            })
        );
    }

    #[test]
    fn read_list_reads_what_list_credential_writes() {
        let mut bits = Bitstring::new(MIN_ENTRIES);
        bits.set(42, true);
        let list = read_list(&published(&bits)).unwrap();
        assert_eq!(
            list,
            List {
                id: LIST.to_string(),
                issuer: ISSUER.to_string(),
                purpose: Purpose::Revocation,
                valid_from: Some(valid_from()),
                valid_until: None,
                bits,
            }
        );

        // Other accepted shapes: an issuer object, validUntil, a purpose
        // array of one.
        let mut credential = published(&Bitstring::new(MIN_ENTRIES));
        credential.insert("issuer".into(), json!({ "id": ISSUER, "name": "Exams" }));
        credential.insert("validUntil".into(), json!("2026-03-14T09:26:53Z"));
        credential["credentialSubject"]["statusPurpose"] = json!(["suspension"]);
        let list = read_list(&credential).unwrap();
        assert_eq!(list.issuer, ISSUER);
        assert_eq!(list.purpose, Purpose::Suspension);
        assert_eq!(
            list.valid_until,
            Some(Utc.with_ymd_and_hms(2026, 3, 14, 9, 26, 53).unwrap())
        );
    }

    /// The error `read_list` gives for a good list credential changed by
    /// `change`.
    fn list_error(change: impl FnOnce(&mut Map<String, Value>)) -> ListError {
        let mut credential = published(&Bitstring::new(MIN_ENTRIES));
        change(&mut credential);
        read_list(&credential).unwrap_err()
    }

    fn subject(credential: &mut Map<String, Value>) -> &mut Map<String, Value> {
        match credential.get_mut("credentialSubject") {
            Some(Value::Object(subject)) => subject,
            _ => panic!("no subject"),
        }
    }

    #[test]
    fn read_list_refuses_broken_shapes() {
        let shape = |error: ListError, words: &str| {
            assert!(matches!(error, ListError::NotAStatusList(_)), "{error:?}");
            assert!(error.to_string().contains(words), "{error}");
        };
        shape(
            list_error(|c| {
                c.insert("type".into(), json!(["VerifiableCredential"]));
            }),
            "BitstringStatusListCredential",
        );
        shape(
            list_error(|c| {
                c.insert("type".into(), json!("StatusList2021Credential"));
            }),
            "BitstringStatusListCredential",
        );
        shape(
            list_error(|c| {
                c.remove("id");
            }),
            "no id",
        );
        shape(
            list_error(|c| {
                c.remove("issuer");
            }),
            "no issuer",
        );
        shape(
            list_error(|c| {
                c.insert("issuer".into(), json!({ "name": "Exams" }));
            }),
            "issuer object has no id",
        );
        shape(
            list_error(|c| {
                c.insert("credentialSubject".into(), json!([]));
            }),
            "credentialSubject is not an object",
        );
        shape(
            list_error(|c| {
                subject(c).insert("type".into(), json!("StatusList2021"));
            }),
            "BitstringStatusList",
        );
        shape(
            list_error(|c| {
                subject(c).remove("statusPurpose");
            }),
            "no statusPurpose",
        );
        shape(
            list_error(|c| {
                subject(c).insert("statusPurpose".into(), json!("message"));
            }),
            "\"message\" is not one brevet checks",
        );
        shape(
            list_error(|c| {
                subject(c).insert("statusPurpose".into(), json!(["revocation", "suspension"]));
            }),
            "several purposes",
        );
        shape(
            list_error(|c| {
                subject(c).insert("statusPurpose".into(), json!([]));
            }),
            "statusPurpose is not a string",
        );
        shape(
            list_error(|c| {
                subject(c).remove("encodedList");
            }),
            "no encodedList",
        );
        assert_eq!(
            list_error(|c| {
                subject(c).insert("encodedList".into(), json!(multibase(&gzip(&[0; 125]))));
            }),
            ListError::TooShort { entries: 1_000 }
        );
        assert_eq!(
            list_error(|c| {
                c.insert("validFrom".into(), json!("2025-03-14"));
            }),
            ListError::BadDate { field: "validFrom" }
        );
        let error = list_error(|c| {
            c.insert("validUntil".into(), json!(1_741_944_413));
        });
        assert_eq!(
            error,
            ListError::BadDate {
                field: "validUntil"
            }
        );
        assert_eq!(error.code(), "bad-date");
        assert!(error.to_string().contains("validUntil"), "{error}");
    }

    #[test]
    fn status_of_reads_the_entry_bit() {
        let mut bits = Bitstring::new(MIN_ENTRIES);
        bits.set(42, true);
        let list = read_list(&published(&bits)).unwrap();
        assert_eq!(list.status_of(&entry(Purpose::Revocation, 42)), Ok(true));
        assert_eq!(list.status_of(&entry(Purpose::Revocation, 41)), Ok(false));
        assert_eq!(list.status_of(&entry(Purpose::Revocation, 43)), Ok(false));
        assert_eq!(list.status_of(&entry(Purpose::Revocation, 0)), Ok(false));
    }

    #[test]
    fn status_of_refuses_another_list_purpose_or_index() {
        let list = read_list(&published(&Bitstring::new(MIN_ENTRIES))).unwrap();
        let other = Entry {
            list: "https://example.org/status/2".to_string(),
            ..entry(Purpose::Revocation, 1)
        };
        let error = list.status_of(&other).unwrap_err();
        assert_eq!(
            error,
            ListError::WrongList {
                expected: "https://example.org/status/2".to_string(),
                found: LIST.to_string()
            }
        );
        assert_eq!(error.code(), "wrong-list");

        let error = list.status_of(&entry(Purpose::Suspension, 1)).unwrap_err();
        assert_eq!(
            error,
            ListError::WrongPurpose {
                entry: Purpose::Suspension,
                list: Purpose::Revocation
            }
        );
        assert_eq!(
            error.to_string(),
            "the entry is for suspension, but this status list is for revocation"
        );

        for index in [MIN_ENTRIES as u64, u64::MAX] {
            assert_eq!(
                list.status_of(&entry(Purpose::Revocation, index)),
                Err(ListError::IndexOutOfRange {
                    index,
                    entries: MIN_ENTRIES
                })
            );
        }
    }
}
