//! What a credential says, read for people: learner, achievement, issuer,
//! date, score against threshold, supervision.
//!
//! Read from any JSON object, best effort: a field that is missing or of
//! another shape is left out, never an error (the verdict is the proof's
//! business, not the summary's).

use serde::Serialize;
use serde_json::{Map, Value};

/// What a credential claims, each part when present.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The learner's name (an unhashed `name` identifier of the subject).
    pub learner: Option<String>,
    /// The learner's id, when the credential gives one.
    pub learner_id: Option<String>,
    /// The achievement's name.
    pub achievement: Option<String>,
    /// The achievement's version (the exam's version).
    pub achievement_version: Option<String>,
    /// The issuer's name.
    pub issuer_name: Option<String>,
    /// The issuer's id (its did:key).
    pub issuer_id: Option<String>,
    /// The issuer's country (ISO 3166-1 alpha-2).
    pub issuer_country: Option<String>,
    /// Issued by a demo issuer, not for real certification.
    pub demo_issuer: bool,
    /// `validFrom`, as written.
    pub valid_from: Option<String>,
    /// `validUntil`, as written.
    pub valid_until: Option<String>,
    /// The score, as written in the result (a percentage for brevet).
    pub score: Option<String>,
    /// The score needed (`requiredValue` of the result's description).
    pub required: Option<String>,
    /// The result's status (`Completed`, `Failed`…).
    pub status: Option<String>,
    /// How the assessment was supervised.
    pub supervision: Option<String>,
    /// How the learner's identity was verified.
    pub identity_verification: Option<String>,
}

impl Summary {
    /// Reads what `document` claims.
    pub fn read(document: &Map<String, Value>) -> Summary {
        let subject = document.get("credentialSubject").and_then(Value::as_object);
        let achievement = subject
            .and_then(|s| s.get("achievement"))
            .and_then(Value::as_object);
        let issuer = document.get("issuer");
        let result = subject
            .and_then(|s| s.get("result"))
            .and_then(Value::as_array)
            .and_then(|r| r.first())
            .and_then(Value::as_object);
        let required = result.and_then(|r| required_value(achievement, r));
        // brevet 0.1 grouped these under `euMicroCredential`.
        let eu = subject
            .and_then(|s| s.get("euMicroCredential"))
            .and_then(Value::as_object);
        let assessed = |field: &str| {
            subject
                .and_then(|s| string(s, field))
                .or_else(|| eu.and_then(|e| string(e, field)))
        };
        Summary {
            learner: subject
                .and_then(|s| identity(s, "name"))
                .or_else(|| subject.and_then(|s| string(s, "name"))),
            learner_id: subject
                .and_then(|s| identity(s, "identifier"))
                .or_else(|| subject.and_then(|s| string(s, "id"))),
            achievement: achievement.and_then(|a| string(a, "name")),
            achievement_version: achievement.and_then(|a| string(a, "version")),
            issuer_name: issuer
                .and_then(Value::as_object)
                .and_then(|i| string(i, "name")),
            issuer_id: match issuer {
                Some(Value::String(id)) => Some(id.clone()),
                Some(Value::Object(i)) => string(i, "id"),
                _ => None,
            },
            issuer_country: issuer
                .and_then(|i| i.get("address"))
                .and_then(Value::as_object)
                .and_then(|a| string(a, "addressCountryCode")),
            demo_issuer: ["demoIssuer", "brevetDemoIssuer"]
                .iter()
                .any(|k| issuer.and_then(|i| i.get(*k)) == Some(&Value::Bool(true))),
            valid_from: string(document, "validFrom"),
            valid_until: string(document, "validUntil"),
            score: result.and_then(|r| string(r, "value")),
            required,
            status: result.and_then(|r| string(r, "status")),
            supervision: assessed("supervision"),
            identity_verification: assessed("identityVerification"),
        }
    }
}

fn string(map: &Map<String, Value>, field: &str) -> Option<String> {
    map.get(field).and_then(Value::as_str).map(str::to_owned)
}

/// The `identityHash` of an unhashed identifier of the given type.
fn identity(subject: &Map<String, Value>, identity_type: &str) -> Option<String> {
    subject
        .get("identifier")?
        .as_array()?
        .iter()
        .filter_map(Value::as_object)
        .find(|i| {
            i.get("identityType").and_then(Value::as_str) == Some(identity_type)
                && i.get("hashed") == Some(&Value::Bool(false))
        })
        .and_then(|i| string(i, "identityHash"))
}

/// The `requiredValue` of the result description the result points to.
fn required_value(
    achievement: Option<&Map<String, Value>>,
    result: &Map<String, Value>,
) -> Option<String> {
    let wanted = result.get("resultDescription")?.as_str()?;
    achievement?
        .get("resultDescription")?
        .as_array()?
        .iter()
        .filter_map(Value::as_object)
        .find(|d| d.get("id").and_then(Value::as_str) == Some(wanted))
        .and_then(|d| string(d, "requiredValue"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_what_an_ob_credential_claims() {
        let doc = json!({
            "issuer": {"id": "did:key:z6Mk", "name": "Org", "address": {"addressCountryCode": "FR"}, "brevetDemoIssuer": true},
            "validFrom": "2025-01-01T00:00:00Z",
            "credentialSubject": {
                "identifier": [
                    {"type": "IdentityObject", "identityType": "name", "hashed": true, "identityHash": "sha256$00"},
                    {"type": "IdentityObject", "identityType": "name", "hashed": false, "identityHash": "Ada"},
                    {"type": "IdentityObject", "identityType": "identifier", "hashed": false, "identityHash": "A-12"}
                ],
                "achievement": {"name": "Exam", "version": "2", "resultDescription": [
                    {"id": "urn:x#other", "requiredValue": "10"},
                    {"id": "urn:x#score", "requiredValue": "70"}
                ]},
                "result": [{"resultDescription": "urn:x#score", "value": "82.5", "status": "Completed"}],
                "euMicroCredential": {"supervision": "unsupervised", "identityVerification": "none"}
            }
        });
        let s = Summary::read(doc.as_object().unwrap());
        assert_eq!(s.learner.as_deref(), Some("Ada"));
        assert_eq!(s.learner_id.as_deref(), Some("A-12"));
        assert_eq!(s.achievement.as_deref(), Some("Exam"));
        assert_eq!(s.achievement_version.as_deref(), Some("2"));
        assert_eq!(s.issuer_name.as_deref(), Some("Org"));
        assert_eq!(s.issuer_id.as_deref(), Some("did:key:z6Mk"));
        assert_eq!(s.issuer_country.as_deref(), Some("FR"));
        assert!(s.demo_issuer);
        assert_eq!(s.valid_from.as_deref(), Some("2025-01-01T00:00:00Z"));
        assert_eq!(s.score.as_deref(), Some("82.5"));
        assert_eq!(s.required.as_deref(), Some("70"));
        assert_eq!(s.status.as_deref(), Some("Completed"));
        assert_eq!(s.supervision.as_deref(), Some("unsupervised"));
        assert_eq!(s.identity_verification.as_deref(), Some("none"));
    }

    #[test]
    fn reads_the_current_layout_too() {
        let doc = json!({
            "issuer": {"id": "did:key:z6Mk", "name": "Org", "demoIssuer": true},
            "credentialSubject": {"supervision": "supervised-onsite", "identityVerification": "verified-onsite"}
        });
        let s = Summary::read(doc.as_object().unwrap());
        assert!(s.demo_issuer);
        assert_eq!(s.issuer_country, None);
        assert_eq!(s.supervision.as_deref(), Some("supervised-onsite"));
        assert_eq!(s.identity_verification.as_deref(), Some("verified-onsite"));
    }

    #[test]
    fn odd_shapes_are_left_out() {
        let doc = json!({"issuer": "did:key:z6Mk", "credentialSubject": [1], "validFrom": 3});
        let s = Summary::read(doc.as_object().unwrap());
        assert_eq!(
            s,
            Summary {
                issuer_id: Some("did:key:z6Mk".into()),
                ..Summary::default()
            }
        );
    }
}
