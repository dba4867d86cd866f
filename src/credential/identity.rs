//! The learner's e-mail address in a credential, hashed: Open Badges 3.0's
//! `IdentityObject` with `identityType` `emailAddress`, `hashed` true, a
//! salt, and `identityHash` = `sha256$` + hex(SHA-256(address + salt)).
//!
//! Nobody can read the address from the file, and a verifier who is told it
//! (the person in front of them) can check it. Addresses are compared in
//! one form: surrounding spaces removed, lowercase (the local part of an
//! address is case-sensitive in theory, never in practice).

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// The longest address accepted (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// Why a text is not an e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Nothing given.
    #[error("the e-mail address is empty")]
    Empty,
    /// Not `local@domain`.
    #[error("`{0}` is not an e-mail address (expected name@domain)")]
    Shape(String),
    /// Longer than [`MAX_EMAIL_CHARS`].
    #[error("the e-mail address is longer than {MAX_EMAIL_CHARS} characters")]
    TooLong,
}

/// The one form addresses are hashed and compared in.
///
/// # Errors
/// Empty, too long, or not `local@domain` without spaces.
pub fn normalise_email(address: &str) -> Result<String, EmailError> {
    let address = address.trim();
    if address.is_empty() {
        return Err(EmailError::Empty);
    }
    if address.chars().count() > MAX_EMAIL_CHARS {
        return Err(EmailError::TooLong);
    }
    let shape_ok = match address.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !local.contains('@')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !address
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || "<>\"(),;:[]\\".contains(c))
        }
        None => false,
    };
    if !shape_ok {
        return Err(EmailError::Shape(address.to_owned()));
    }
    Ok(address.to_lowercase())
}

/// The salt of a credential's hashed identities, from its (random) id:
/// 32 hex digits, different for every credential.
pub fn salt_for(credential_id: &str) -> String {
    let digest = Sha256::digest(format!("brevet identity salt\n{credential_id}").as_bytes());
    crate::attempt::journal::hex(&digest.into())[..32].to_owned()
}

/// `sha256$` + hex(SHA-256(`normalised` + `salt`)).
pub fn identity_hash(normalised: &str, salt: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(normalised.as_bytes());
    hasher.update(salt.as_bytes());
    format!(
        "sha256${}",
        crate::attempt::journal::hex(&hasher.finalize().into())
    )
}

/// The `IdentityObject` of a hashed e-mail address.
pub fn email_identity(normalised: &str, salt: &str) -> Value {
    serde_json::json!({
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": true,
        "identityHash": identity_hash(normalised, salt),
        "salt": salt,
    })
}

/// What a credential says of an e-mail address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EmailCheck {
    /// One of its hashed e-mail identities is this address.
    Matches,
    /// It has hashed e-mail identities, none of them this address.
    DoesNotMatch,
    /// It holds no e-mail identity at all.
    NoEmail,
}

/// Checks `address` against the e-mail identities of a credential's
/// subject (hashed ones with their salt, and plain ones).
pub fn check_email(credential: &Map<String, Value>, address: &str) -> EmailCheck {
    let Ok(normalised) = normalise_email(address) else {
        return EmailCheck::DoesNotMatch;
    };
    let identities = credential
        .get("credentialSubject")
        .and_then(|s| s.get("identifier"))
        .and_then(Value::as_array);
    let emails: Vec<&Map<String, Value>> = identities
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .filter(|i| i.get("identityType").and_then(Value::as_str) == Some("emailAddress"))
        .collect();
    if emails.is_empty() {
        return EmailCheck::NoEmail;
    }
    let matches = emails.iter().any(|i| {
        let Some(hash) = i.get("identityHash").and_then(Value::as_str) else {
            return false;
        };
        match i.get("hashed") {
            Some(Value::Bool(true)) => {
                let salt = i.get("salt").and_then(Value::as_str).unwrap_or("");
                identity_hash(&normalised, salt) == hash
            }
            _ => normalise_email(hash).is_ok_and(|h| h == normalised),
        }
    });
    if matches {
        EmailCheck::Matches
    } else {
        EmailCheck::DoesNotMatch
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn addresses_are_compared_in_one_form() {
        assert_eq!(
            normalise_email("  Ada.Lovelace@Example.ORG ").unwrap(),
            "ada.lovelace@example.org"
        );
        for bad in [
            "",
            "   ",
            "ada",
            "ada@",
            "@example.org",
            "ada lovelace@example.org",
            "a@b@c",
            "ada@.org",
            "ada@org.",
            "<ada@x.org>",
        ] {
            assert!(normalise_email(bad).is_err(), "{bad:?}");
        }
        let long = format!("{}@example.org", "a".repeat(250));
        assert_eq!(normalise_email(&long), Err(EmailError::TooLong));
    }

    #[test]
    fn the_hash_is_sha256_of_address_and_salt() {
        // sha256("ada@example.org" + "0011") computed independently:
        // printf 'ada@example.org0011' | sha256sum
        assert_eq!(
            identity_hash("ada@example.org", "0011"),
            "sha256$38b87a05a483b6735e45828d63a7ba483ea03ade23ce9ecb7449af7a3c61797c"
        );
    }

    #[test]
    fn salts_differ_per_credential_and_are_stable() {
        let a = salt_for("urn:uuid:1");
        assert_eq!(a.len(), 32);
        assert_eq!(a, salt_for("urn:uuid:1"));
        assert_ne!(a, salt_for("urn:uuid:2"));
    }

    #[test]
    fn a_verifier_told_the_address_can_check_it() {
        let salt = salt_for("urn:uuid:1");
        let doc = json!({"credentialSubject": {"identifier": [
            {"type": "IdentityObject", "identityType": "name", "hashed": false, "identityHash": "Ada"},
            email_identity("ada@example.org", &salt),
        ]}});
        let doc = doc.as_object().unwrap();
        assert_eq!(check_email(doc, "ADA@example.org "), EmailCheck::Matches);
        assert_eq!(
            check_email(doc, "grace@example.org"),
            EmailCheck::DoesNotMatch
        );
        assert_eq!(check_email(doc, "not an address"), EmailCheck::DoesNotMatch);
        let text = serde_json::to_string(doc).unwrap();
        assert!(
            !text.contains("ada@example.org"),
            "the address is not readable: {text}"
        );
        let none = json!({"credentialSubject": {"identifier": []}});
        assert_eq!(
            check_email(none.as_object().unwrap(), "ada@example.org"),
            EmailCheck::NoEmail
        );
        // The wrong salt does not match.
        let mut wrong = doc.clone();
        wrong["credentialSubject"]["identifier"][1]["salt"] = json!("00");
        assert_eq!(
            check_email(&wrong, "ada@example.org"),
            EmailCheck::DoesNotMatch
        );
    }
}
