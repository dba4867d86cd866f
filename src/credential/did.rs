//! `did:key` identifiers for Ed25519 keys, and the base58btc multibase text
//! they (and `proofValue`) are written in.
//!
//! A `did:key` names a public key directly: `did:key:` followed by the key as
//! multibase base58btc (`z…`) of the multicodec header `0xed 0x01` and the 32
//! key bytes. Resolving it needs no network, which is what lets a credential
//! be verified offline.

use ed25519_dalek::VerifyingKey;
use std::cell::RefCell;
use std::fmt;

/// The multicodec header of an Ed25519 public key (`ed25519-pub`, varint 0xed01).
const ED25519_PUB: [u8; 2] = [0xed, 0x01];

/// Why a text is not an Ed25519 `did:key` (or its verification method).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DidKeyError {
    /// The text does not start with `did:key:`.
    #[error("not a did:key (expected `did:key:z6Mk…`)")]
    NotDidKey,
    /// The multibase value does not use base58btc (`z`).
    #[error("the key is not multibase base58btc (it must start with `z`)")]
    NotBase58Btc,
    /// A character outside the base58 alphabet.
    #[error("the key is not valid base58: {0}")]
    Base58(String),
    /// The decoded key is not an Ed25519 public key (other multicodec header).
    #[error("not an Ed25519 key: multicodec header {0} instead of 0xed01")]
    NotEd25519(String),
    /// The key has the wrong number of bytes.
    #[error("an Ed25519 key has 32 bytes, this one has {0}")]
    WrongLength(usize),
    /// The 32 bytes are not a point of the curve.
    #[error("the key bytes are not a valid Ed25519 public key")]
    InvalidPoint,
    /// A verification method that is not `did:key:X#X`.
    #[error("the verification method must be `did:key:X#X` with the same X twice")]
    BadFragment,
}

/// An Ed25519 public key named as a `did:key`.
#[derive(Clone, PartialEq, Eq)]
pub struct DidKey {
    key: VerifyingKey,
    /// The `z6Mk…` multibase value, kept to avoid re-encoding.
    multibase: String,
}

impl DidKey {
    /// Names `key` as a `did:key`.
    pub fn from_key(key: VerifyingKey) -> Self {
        let mut bytes = Vec::with_capacity(34);
        bytes.extend_from_slice(&ED25519_PUB);
        bytes.extend_from_slice(key.as_bytes());
        DidKey {
            key,
            multibase: encode_base58btc(&bytes),
        }
    }

    /// Reads a `did:key:z6Mk…` (a trailing `#fragment` is not accepted here;
    /// see [`DidKey::from_verification_method`]).
    ///
    /// # Errors
    /// What is wrong with the text, as a [`DidKeyError`].
    pub fn parse(did: &str) -> Result<Self, DidKeyError> {
        let multibase = did.strip_prefix("did:key:").ok_or(DidKeyError::NotDidKey)?;
        Self::from_multibase(multibase)
    }

    /// Reads a verification method `did:key:z6Mk…#z6Mk…`: the fragment must
    /// repeat the key, as the did:key method defines its one key's id.
    ///
    /// # Errors
    /// What is wrong with the text, as a [`DidKeyError`].
    ///
    /// The last method read on each thread is remembered: verifying many
    /// credentials of one issuer decodes its key once, not once per file
    /// (base58 decoding and point decompression are a tenth of a verification).
    pub fn from_verification_method(method: &str) -> Result<Self, DidKeyError> {
        thread_local! {
            static LAST: RefCell<Option<(String, DidKey)>> = const { RefCell::new(None) };
        }
        let remembered = LAST.with_borrow(|last| match last {
            Some((m, key)) if m == method => Some(key.clone()),
            _ => None,
        });
        if let Some(key) = remembered {
            return Ok(key);
        }
        let (did, fragment) = method.split_once('#').ok_or(DidKeyError::BadFragment)?;
        let key = Self::parse(did)?;
        if fragment != key.multibase {
            return Err(DidKeyError::BadFragment);
        }
        LAST.set(Some((method.to_owned(), key.clone())));
        Ok(key)
    }

    /// Reads the multibase value alone (`z6Mk…`, as in `publicKeyMultibase`).
    ///
    /// # Errors
    /// What is wrong with the text, as a [`DidKeyError`].
    pub fn from_multibase(multibase: &str) -> Result<Self, DidKeyError> {
        let bytes = decode_base58btc(multibase).map_err(|e| match e {
            MultibaseError::NotBase58Btc => DidKeyError::NotBase58Btc,
            MultibaseError::Base58(why) => DidKeyError::Base58(why),
        })?;
        let (header, rest) = bytes.split_at(bytes.len().min(2));
        if header != ED25519_PUB {
            let hex: String = header.iter().map(|b| format!("{b:02x}")).collect();
            return Err(DidKeyError::NotEd25519(format!("0x{hex}")));
        }
        let raw: &[u8; 32] = rest
            .try_into()
            .map_err(|_| DidKeyError::WrongLength(rest.len()))?;
        let key = VerifyingKey::from_bytes(raw).map_err(|_| DidKeyError::InvalidPoint)?;
        Ok(DidKey {
            key,
            multibase: multibase.to_owned(),
        })
    }

    /// The public key.
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.key
    }

    /// The multibase value (`z6Mk…`).
    pub fn multibase(&self) -> &str {
        &self.multibase
    }

    /// The verification method that names this key: `did:key:X#X`.
    pub fn verification_method(&self) -> String {
        format!("did:key:{0}#{0}", self.multibase)
    }
}

impl fmt::Display for DidKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "did:key:{}", self.multibase)
    }
}

impl fmt::Debug for DidKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DidKey(did:key:{})", self.multibase)
    }
}

/// Why a multibase text cannot be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MultibaseError {
    /// Not base58btc (the prefix is not `z`).
    #[error("not multibase base58btc (it must start with `z`)")]
    NotBase58Btc,
    /// Not valid base58.
    #[error("not valid base58: {0}")]
    Base58(String),
}

/// Encodes bytes as multibase base58btc: `z` and the Bitcoin base58 alphabet.
pub fn encode_base58btc(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(1 + bytes.len() * 138 / 100 + 1);
    out.push('z');
    out.push_str(&bs58::encode(bytes).into_string());
    out
}

/// Decodes multibase base58btc text (`z…`).
///
/// # Errors
/// No `z` prefix, or a character outside the base58 alphabet.
pub fn decode_base58btc(text: &str) -> Result<Vec<u8>, MultibaseError> {
    let body = text.strip_prefix('z').ok_or(MultibaseError::NotBase58Btc)?;
    bs58::decode(body)
        .into_vec()
        .map_err(|e| MultibaseError::Base58(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;

    const VECTOR_PUBLIC: &str = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";

    #[test]
    fn round_trips_a_key() {
        let key = SigningKey::from_bytes(&[7; 32]).verifying_key();
        let did = DidKey::from_key(key);
        assert!(did.to_string().starts_with("did:key:z6Mk"), "{did}");
        let back = DidKey::parse(&did.to_string()).unwrap();
        assert_eq!(back.verifying_key(), &key);
        assert_eq!(back, did);
        let method = did.verification_method();
        assert_eq!(method, format!("{did}#{}", did.multibase()));
        assert_eq!(DidKey::from_verification_method(&method).unwrap(), did);
    }

    #[test]
    fn reads_the_vector_key() {
        let did = DidKey::from_multibase(VECTOR_PUBLIC).unwrap();
        assert_eq!(DidKey::from_key(*did.verifying_key()), did);
    }

    #[test]
    fn says_what_is_wrong() {
        let cases: Vec<(String, DidKeyError)> = vec![
            ("did:web:example.com".into(), DidKeyError::NotDidKey),
            (
                format!("did:key:{}", &VECTOR_PUBLIC[1..]),
                DidKeyError::NotBase58Btc,
            ),
            (
                format!("did:key:{VECTOR_PUBLIC}0"),
                DidKeyError::Base58(String::new()),
            ),
            (
                // A secp256k1 key (header 0xe7 0x01).
                "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme".into(),
                DidKeyError::NotEd25519("0xe701".into()),
            ),
            (
                format!("did:key:{}", encode_base58btc(&[0xed, 0x01, 1, 2, 3])),
                DidKeyError::WrongLength(3),
            ),
            (
                format!("did:key:{}", encode_base58btc(&[])),
                DidKeyError::NotEd25519("0x".into()),
            ),
            ("did:key:".into(), DidKeyError::NotBase58Btc),
        ];
        for (text, expected) in cases {
            let got = DidKey::parse(&text).unwrap_err();
            match (&got, &expected) {
                (DidKeyError::Base58(_), DidKeyError::Base58(_)) => {}
                _ => assert_eq!(got, expected, "{text}"),
            }
            assert!(!got.to_string().is_empty());
        }
    }

    #[test]
    fn rejects_bytes_off_the_curve() {
        // y = 2 has no x on edwards25519: decompression fails.
        let mut raw = [0u8; 32];
        raw[0] = 2;
        assert!(VerifyingKey::from_bytes(&raw).is_err(), "premise");
        let mut bytes = ED25519_PUB.to_vec();
        bytes.extend_from_slice(&raw);
        let text = format!("did:key:{}", encode_base58btc(&bytes));
        assert_eq!(DidKey::parse(&text).unwrap_err(), DidKeyError::InvalidPoint);
    }

    #[test]
    fn verification_method_must_repeat_the_key() {
        let did = format!("did:key:{VECTOR_PUBLIC}");
        assert!(DidKey::from_verification_method(&format!("{did}#{VECTOR_PUBLIC}")).is_ok());
        for bad in [did.clone(), format!("{did}#key-1"), format!("{did}#")] {
            assert_eq!(
                DidKey::from_verification_method(&bad).unwrap_err(),
                DidKeyError::BadFragment,
                "{bad}"
            );
        }
    }

    #[test]
    fn the_remembered_method_gives_the_same_answers() {
        let a = DidKey::from_key(ed25519_dalek::SigningKey::from_bytes(&[1; 32]).verifying_key());
        let b = DidKey::from_key(ed25519_dalek::SigningKey::from_bytes(&[2; 32]).verifying_key());
        for _ in 0..2 {
            for key in [&a, &b, &b, &a] {
                let method = key.verification_method();
                assert_eq!(DidKey::from_verification_method(&method).as_ref(), Ok(key));
                assert_eq!(
                    DidKey::from_verification_method(&format!("{key}#{}", b.multibase()))
                        .map_err(|_| ()),
                    if key == &b { Ok(b.clone()) } else { Err(()) }
                );
                assert_eq!(
                    DidKey::from_verification_method(&method[..method.len() - 1]),
                    Err(DidKeyError::BadFragment)
                );
            }
        }
    }

    #[test]
    fn base58btc_round_trip_keeps_leading_zeros() {
        for bytes in [&[][..], &[0], &[0, 0, 1], &[255; 64]] {
            assert_eq!(decode_base58btc(&encode_base58btc(bytes)).unwrap(), bytes);
        }
        assert_eq!(decode_base58btc("abc"), Err(MultibaseError::NotBase58Btc));
        assert!(matches!(
            decode_base58btc("z0OIl"),
            Err(MultibaseError::Base58(_))
        ));
    }
}
