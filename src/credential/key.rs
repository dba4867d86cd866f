//! The issuer's Ed25519 key pair and its secret key file.
//!
//! The file is PKCS#8 in PEM (`-----BEGIN PRIVATE KEY-----`, RFC 8410), or,
//! with a passphrase, encrypted PKCS#8 (`-----BEGIN ENCRYPTED PRIVATE KEY-----`,
//! PBES2 with scrypt and AES-256-CBC): the standard formats, so OpenSSL and
//! other tools read the same file (`openssl pkey -in issuer.key`).
//!
//! Secrets are handled as rsign2 handles them: the key and the passphrase
//! never appear in `Debug` output or in errors, and their bytes are zeroized
//! when dropped. Writing the file (mode 0600, never over an existing one
//! without `--force`) is the command line's job.

use super::did::DidKey;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, KeypairBytes};
use ed25519_dalek::{Signature, Signer, SigningKey};
use pkcs8::{LineEnding, PrivateKeyInfoRef};
use rand::{CryptoRng, TryCryptoRng};
use std::fmt;
use zeroize::Zeroizing;

/// Why a key file cannot be read or written. Never carries key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The file is encrypted and no passphrase was given.
    #[error("the key file is encrypted: a passphrase is needed")]
    NeedsPassphrase,
    /// The passphrase does not decrypt the file.
    #[error("wrong passphrase (or a damaged key file)")]
    WrongPassphrase,
    /// A passphrase was given for a file that is not encrypted.
    #[error("the key file is not encrypted, but a passphrase was given")]
    NotEncrypted,
    /// An empty passphrase would only pretend to protect the key.
    #[error("the passphrase is empty")]
    EmptyPassphrase,
    /// A new key's passphrase that guessing would find (see
    /// [`Passphrase::new_strong`]).
    #[error(
        "the passphrase is too weak: {0} (use at least {MIN_PASSPHRASE_CHARS} characters; a few unrelated words work well)"
    )]
    WeakPassphrase(&'static str),
    /// Not a PEM PKCS#8 Ed25519 private key.
    #[error("not an Ed25519 PKCS#8 private key in PEM: {0}")]
    Malformed(String),
    /// Encoding or encrypting failed.
    #[error("cannot encode the key: {0}")]
    Encode(String),
}

/// A passphrase that protects a key file; zeroized on drop, never printed.
#[derive(Clone)]
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// Wraps a passphrase, dropping one trailing newline (as read from a file
    /// or a terminal line).
    ///
    /// # Errors
    /// [`KeyError::EmptyPassphrase`] when nothing is left.
    pub fn new(mut text: String) -> Result<Self, KeyError> {
        if text.ends_with('\n') {
            text.pop();
            if text.ends_with('\r') {
                text.pop();
            }
        }
        let text = Zeroizing::new(text);
        if text.is_empty() {
            return Err(KeyError::EmptyPassphrase);
        }
        Ok(Passphrase(text))
    }

    /// Wraps the passphrase of a new key file, refusing one that is easy
    /// to guess: fewer than [`MIN_PASSPHRASE_CHARS`] characters, fewer than
    /// six different characters (`aaaa…`, `abcabc…`), or digits only. Old
    /// files keep opening with whatever passphrase they were written with.
    ///
    /// # Errors
    /// [`KeyError::EmptyPassphrase`] or [`KeyError::WeakPassphrase`].
    pub fn new_strong(text: String) -> Result<Self, KeyError> {
        let pass = Self::new(text)?;
        let chars: Vec<char> = pass.0.chars().collect();
        let mut distinct = chars.clone();
        distinct.sort_unstable();
        distinct.dedup();
        if chars.len() < MIN_PASSPHRASE_CHARS {
            return Err(KeyError::WeakPassphrase("it is too short"));
        }
        if distinct.len() < 6 {
            return Err(KeyError::WeakPassphrase(
                "it repeats too few different characters",
            ));
        }
        if chars.iter().all(char::is_ascii_digit) {
            return Err(KeyError::WeakPassphrase("it is only digits"));
        }
        Ok(pass)
    }

    fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// The fewest characters a new key's passphrase may have.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

/// The issuer's key pair: signs credentials, named by its `did:key`.
pub struct IssuerKey {
    signing: SigningKey,
    did: DidKey,
}

impl IssuerKey {
    /// Generates a new key pair from a cryptographically secure RNG.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        Self::from_signing_key(SigningKey::generate(rng))
    }

    /// The key pair of a 32-byte Ed25519 secret (seed).
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self::from_signing_key(SigningKey::from_bytes(seed))
    }

    fn from_signing_key(signing: SigningKey) -> Self {
        let did = DidKey::from_key(signing.verifying_key());
        IssuerKey { signing, did }
    }

    /// The issuer's `did:key`.
    pub fn did(&self) -> &DidKey {
        &self.did
    }

    /// Signs `message` with Ed25519.
    pub fn sign(&self, message: &[u8]) -> Signature {
        self.signing.sign(message)
    }

    /// The secret key as unencrypted PKCS#8 PEM.
    ///
    /// # Errors
    /// [`KeyError::Encode`] if encoding fails (it does not for a valid key).
    pub fn to_pem(&self) -> Result<Zeroizing<String>, KeyError> {
        self.pkcs8()
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| KeyError::Encode(e.to_string()))
    }

    /// The secret as a PKCS#8 v1 structure (RFC 8410, no public key), the
    /// form OpenSSL writes and reads: OpenSSL 3.0 rejects the v2 form with
    /// the public key that `SigningKey` would encode. Zeroized on drop.
    fn pkcs8(&self) -> KeypairBytes {
        KeypairBytes {
            secret_key: self.signing.to_bytes(),
            public_key: None,
        }
    }

    /// The secret key as encrypted PKCS#8 PEM (scrypt, AES-256-CBC); `rng`
    /// draws the salt and IV.
    ///
    /// # Errors
    /// [`KeyError::Encode`] if the RNG or the encryption fails.
    pub fn to_encrypted_pem<R: TryCryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        passphrase: &Passphrase,
    ) -> Result<Zeroizing<String>, KeyError> {
        let encode = |e: pkcs8::Error| KeyError::Encode(e.to_string());
        let der = self.pkcs8().to_pkcs8_der().map_err(encode)?;
        let info = PrivateKeyInfoRef::try_from(der.as_bytes()).map_err(encode)?;
        let encrypted = info
            .encrypt_with_rng(&mut &mut *rng, passphrase.as_bytes())
            .map_err(encode)?;
        encrypted
            .to_pem("ENCRYPTED PRIVATE KEY", LineEnding::LF)
            .map_err(|e| KeyError::Encode(e.to_string()))
    }

    /// Reads a key file's text, encrypted or not.
    ///
    /// # Errors
    /// A [`KeyError`] saying what is wrong; never any key material.
    pub fn from_pem(text: &str, passphrase: Option<&Passphrase>) -> Result<Self, KeyError> {
        let text = text.trim_start();
        let signing = if text.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            let passphrase = passphrase.ok_or(KeyError::NeedsPassphrase)?;
            // The file's own structure first: what is wrong there is a
            // damaged file.
            use pkcs8::der::pem::PemLabel as _;
            fn malformed(e: impl fmt::Display) -> KeyError {
                KeyError::Malformed(e.to_string())
            }
            let (label, der) = pkcs8::SecretDocument::from_pem(text).map_err(malformed)?;
            pkcs8::EncryptedPrivateKeyInfoRef::validate_pem_label(label).map_err(malformed)?;
            let info =
                pkcs8::EncryptedPrivateKeyInfoRef::try_from(der.as_bytes()).map_err(malformed)?;
            let plain = info
                .decrypt(passphrase.as_bytes())
                .map_err(|_| KeyError::WrongPassphrase)?;
            // What a wrong passphrase decrypts to is noise; about once in
            // 256 its padding still checks out, and the noise is then no
            // key: a wrong passphrase too, not a malformed file.
            SigningKey::from_pkcs8_der(plain.as_bytes()).map_err(|_| KeyError::WrongPassphrase)?
        } else if text.starts_with("-----BEGIN PRIVATE KEY-----") {
            if passphrase.is_some() {
                return Err(KeyError::NotEncrypted);
            }
            SigningKey::from_pkcs8_pem(text).map_err(|e| KeyError::Malformed(e.to_string()))?
        } else {
            return Err(KeyError::Malformed(
                "expected `-----BEGIN PRIVATE KEY-----` or `-----BEGIN ENCRYPTED PRIVATE KEY-----`"
                    .into(),
            ));
        };
        Ok(Self::from_signing_key(signing))
    }
}

impl fmt::Debug for IssuerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuerKey")
            .field("did", &self.did.to_string())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    fn key() -> IssuerKey {
        IssuerKey::generate(&mut ChaCha20Rng::seed_from_u64(1))
    }

    #[test]
    fn plain_pem_round_trips() {
        let key = key();
        let pem = key.to_pem().unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"), "{}", *pem);
        let back = IssuerKey::from_pem(&pem, None).unwrap();
        assert_eq!(back.did(), key.did());
        let pass = Passphrase::new("x".into()).unwrap();
        assert_eq!(
            IssuerKey::from_pem(&pem, Some(&pass)).unwrap_err(),
            KeyError::NotEncrypted
        );
    }

    #[test]
    fn encrypted_pem_round_trips_and_needs_the_passphrase() {
        let key = key();
        let pass = Passphrase::new("correct horse battery staple\n".into()).unwrap();
        let pem = key
            .to_encrypted_pem(&mut ChaCha20Rng::seed_from_u64(2), &pass)
            .unwrap();
        assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
        assert_eq!(
            IssuerKey::from_pem(&pem, None).unwrap_err(),
            KeyError::NeedsPassphrase
        );
        let wrong = Passphrase::new("correct horse battery stapler".into()).unwrap();
        assert_eq!(
            IssuerKey::from_pem(&pem, Some(&wrong)).unwrap_err(),
            KeyError::WrongPassphrase
        );
        let back = IssuerKey::from_pem(&pem, Some(&pass)).unwrap();
        assert_eq!(back.did(), key.did());
    }

    #[test]
    fn a_wrong_passphrase_is_said_so_even_when_its_noise_passes_the_padding_check() {
        let pass = Passphrase::new("correct horse battery staple".into()).unwrap();
        let pem = key()
            .to_encrypted_pem(&mut ChaCha20Rng::seed_from_u64(2), &pass)
            .unwrap();
        // Found by trying "wrong 0", "wrong 1"…: this one decrypts, through
        // a padding that checks out, to noise that is no key.
        let wrong = "wrong 219";
        let raw = SigningKey::from_pkcs8_encrypted_pem(&pem, wrong.as_bytes());
        assert!(
            matches!(raw, Err(ref e) if !matches!(e, pkcs8::Error::EncryptedPrivateKey(_))),
            "the case this test is for"
        );
        let read = IssuerKey::from_pem(&pem, Some(&Passphrase::new(wrong.into()).unwrap()));
        assert_eq!(read.err(), Some(KeyError::WrongPassphrase));
        // A damaged file is still said to be one.
        let cut = pem.replace("-----END ENCRYPTED PRIVATE KEY-----", "");
        assert!(matches!(
            IssuerKey::from_pem(&cut, Some(&pass)),
            Err(KeyError::Malformed(_))
        ));
    }

    #[test]
    fn secrets_stay_out_of_debug_and_errors() {
        let key = IssuerKey::from_seed(&[0x42; 32]);
        let debug = format!("{key:?}");
        assert!(debug.contains(&key.did().to_string()), "{debug}");
        let pem = key.to_pem().unwrap();
        let body: String = pem.lines().nth(1).unwrap().chars().take(20).collect();
        assert!(
            !debug.contains(&body) && !debug.contains("42, 42"),
            "{debug}"
        );
        let pass = Passphrase::new("hunter2".into()).unwrap();
        assert_eq!(format!("{pass:?}"), "Passphrase(<redacted>)");
        // A damaged file's error says what is wrong without echoing the text.
        let damaged = pem.replace(&body[..10], "AAAAAAAAAA");
        let e = IssuerKey::from_pem(&damaged, None).unwrap_err();
        assert!(!e.to_string().contains(&body[10..]), "{e}");
    }

    #[test]
    fn rejects_what_is_not_a_key() {
        assert!(matches!(
            IssuerKey::from_pem("hello", None),
            Err(KeyError::Malformed(_))
        ));
        assert!(matches!(
            IssuerKey::from_pem(
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                None
            ),
            Err(KeyError::Malformed(_))
        ));
        assert_eq!(
            Passphrase::new("\n".into()).unwrap_err(),
            KeyError::EmptyPassphrase
        );
    }

    #[test]
    fn new_keys_refuse_guessable_passphrases() {
        for weak in [
            "abc",
            "tiers-temps",
            "aaaaaaaaaaaaaaaa",
            "abcabcabcabcabc",
            "123456789012",
        ] {
            assert!(
                matches!(
                    Passphrase::new_strong(weak.into()),
                    Err(KeyError::WeakPassphrase(_))
                ),
                "{weak}"
            );
        }
        assert_eq!(
            Passphrase::new_strong(String::new()).unwrap_err(),
            KeyError::EmptyPassphrase
        );
        for strong in [
            "correct horse battery",
            "salle 2 tiers-temps",
            "éléphant rôti",
        ] {
            assert!(Passphrase::new_strong(strong.into()).is_ok(), "{strong}");
        }
        // Weak or not, an existing file opens with its passphrase.
        assert!(Passphrase::new("abc".into()).is_ok());
    }

    /// Written by `openssl genpkey -algorithm ed25519` (OpenSSL 3.0), then
    /// `openssl pkcs8 -topk8 -v2 aes-256-cbc` and `-scrypt` with the
    /// passphrase `openssl-pass`: the files OpenSSL users already have.
    const OPENSSL_PLAIN: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIEa0Wm4Zsi08egYDjKUmfCCeP8b4mIvlrfEF4pncn2ux
-----END PRIVATE KEY-----
";
    const OPENSSL_PBKDF2: &str = "-----BEGIN ENCRYPTED PRIVATE KEY-----
MIGbMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAisCqEANWE0vQICCAAw
DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEKGVoNpp+feCV3Q9yZb1GXUEQF+P
8FdWJJVP+9yMoCJOhyWvfW6kNkA0FWbpgL70AINQG0dafzS0EQOp10iD4MqhG2lw
4KdZa046StGd4JtTFPc=
-----END ENCRYPTED PRIVATE KEY-----
";
    const OPENSSL_SCRYPT: &str = "-----BEGIN ENCRYPTED PRIVATE KEY-----
MIGTME8GCSqGSIb3DQEFDTBCMCEGCSsGAQQB2kcECzAUBAjazYxcPyWylgICQAAC
AQgCAQEwHQYJYIZIAWUDBAEqBBD3JGsXggRELNeyGVS5d8AjBECV2YhBiH9OByW5
PTgvVAngcLfvUUCxB4kubI6rKlUmIe8DQ+2dAwvY6kddbo69aYXTd8/+LpSgQNiK
8X6HAL+Q
-----END ENCRYPTED PRIVATE KEY-----
";
    /// `openssl pkey -pubout -outform DER | tail -c 32` of that key.
    const OPENSSL_PUBLIC: &str = "1fc3826ffa02d97b171d31e2a10a6f5675ba42da71e5a7156acd87d99bb5d8f5";

    #[test]
    fn reads_openssl_key_files() {
        let hex = |k: &IssuerKey| -> String {
            k.did()
                .verifying_key()
                .as_bytes()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        };
        let plain = IssuerKey::from_pem(OPENSSL_PLAIN, None).unwrap();
        assert_eq!(hex(&plain), OPENSSL_PUBLIC);
        let pass = Passphrase::new("openssl-pass".into()).unwrap();
        for pem in [OPENSSL_PBKDF2, OPENSSL_SCRYPT] {
            assert_eq!(
                hex(&IssuerKey::from_pem(pem, Some(&pass)).unwrap()),
                OPENSSL_PUBLIC
            );
        }
        // What brevet writes is the form OpenSSL wrote: PKCS#8 v1.
        assert_eq!(*plain.to_pem().unwrap(), OPENSSL_PLAIN);
    }

    #[test]
    fn seed_gives_the_w3c_vector_key() {
        // keyPair.json: privateKeyMultibase is 0x8026 + 32-byte seed.
        let secret =
            super::super::did::decode_base58btc("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
                .unwrap();
        assert_eq!(&secret[..2], &[0x80, 0x26]);
        let seed: [u8; 32] = secret[2..].try_into().unwrap();
        let key = IssuerKey::from_seed(&seed);
        assert_eq!(
            key.did().to_string(),
            "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        );
    }
}
