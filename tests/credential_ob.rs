//! The Open Badges 3.0 credential brevet issues: valid against the official
//! schema, verifiable, and invalid after any change to any value.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a failed test

#[path = "support/data.rs"]
mod data;
#[path = "support/json_paths.rs"]
mod json_paths;
#[path = "support/sample.rs"]
mod sample;

use brevet::credential::ob::{self, BuildError, IssueError, Supervision};
use brevet::credential::proof::Cryptosuite;

const RDFC: Cryptosuite = Cryptosuite::EddsaRdfc2022;
use brevet::credential::verify::{Invalid, Verdict, VerifyOptions, verify};
use brevet::credential::{format_datetime, parse_datetime};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::path::PathBuf;

fn schema_validator() -> jsonschema::Validator {
    data::ob_schema_validator()
}

fn schema_errors(validator: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn issued(input: &ob::CredentialInput) -> Value {
    Value::Object(ob::issue(input, &sample::key(), RDFC).unwrap())
}

fn sample_doc() -> Value {
    issued(&sample::input(sample::key().did()))
}

fn check(bytes: &[u8]) -> Verdict {
    let now = parse_datetime("2025-06-01T00:00:00Z").unwrap();
    verify(
        bytes,
        &VerifyOptions {
            now,
            knowledge: brevet::credential::verify::Knowledge::none(),
            require_trust: false,
            any_vc: false,
        },
    )
    .verdict
}

#[test]
fn issued_credentials_validate_against_the_official_schema() {
    let validator = schema_validator();
    let key = sample::key();
    let full = sample::input(key.did());
    let mut minimal = full.clone();
    minimal.issuer.region = None;
    minimal.issuer.quality_assurance = None;
    minimal.achievement.ects = None;
    minimal.achievement.eqf_level = None;
    minimal.achievement.prerequisites.clear();
    minimal.achievement.stackability = None;
    minimal.learner.id = None;
    minimal.supervision = Supervision::Unsupervised;
    minimal.demo_issuer = true;
    for input in [full, minimal] {
        let doc = issued(&input);
        assert_eq!(schema_errors(&validator, &doc), Vec::<String>::new());
        assert!(check(&serde_json::to_vec_pretty(&doc).unwrap()).is_valid());
    }
}

#[test]
fn the_schema_check_is_not_vacuous() {
    let validator = schema_validator();
    let mut doc = sample_doc();
    doc["proof"] = doc["proof"][0].clone();
    assert!(
        !schema_errors(&validator, &doc).is_empty(),
        "proof must be an array"
    );
    let mut doc = sample_doc();
    doc["validFrom"] = json!("14/03/2025");
    assert!(
        !schema_errors(&validator, &doc).is_empty(),
        "date-time format"
    );
    let mut doc = sample_doc();
    doc["@context"] = json!(["https://www.w3.org/ns/credentials/v2"]);
    assert!(
        !schema_errors(&validator, &doc).is_empty(),
        "OB context second"
    );
}

#[test]
fn follows_the_interoperability_rules() {
    let doc = sample_doc();
    assert_eq!(
        doc["@context"],
        json!([
            ob::VC_CONTEXT,
            ob::OB_CONTEXT,
            ob::OB_EXTENSIONS_CONTEXT,
            ob::brevet_context()
        ])
    );
    assert_eq!(
        doc["type"],
        json!(["VerifiableCredential", "OpenBadgeCredential"])
    );
    let did = sample::key().did().to_string();
    assert_eq!(doc["issuer"]["id"], did);
    let proof = &doc["proof"][0];
    assert_eq!(doc["proof"].as_array().unwrap().len(), 1);
    assert_eq!(proof["@context"], doc["@context"]);
    assert_eq!(proof["cryptosuite"], "eddsa-rdfc-2022");
    assert_eq!(proof["proofPurpose"], "assertionMethod");
    let multibase = did.strip_prefix("did:key:").unwrap();
    assert_eq!(proof["verificationMethod"], format!("{did}#{multibase}"));
    for date in [&doc["validFrom"], &doc["awardedDate"], &proof["created"]] {
        assert_eq!(date, "2025-03-14T09:26:53Z");
    }
    let subject = &doc["credentialSubject"];
    let achievement = &subject["achievement"];
    assert_eq!(achievement["achievementType"], "MicroCredential");
    assert_eq!(achievement["resultDescription"][0]["requiredValue"], "70");
    assert_eq!(subject["result"][0]["value"], "82.5");
    assert_eq!(
        subject["result"][0]["resultDescription"],
        achievement["resultDescription"][0]["id"]
    );
    assert_eq!(achievement["alignment"][0]["targetCode"], "5");
    assert_eq!(subject["supervision"], "supervised-onsite");
    assert_eq!(subject["identityVerification"], "verified-onsite");
    assert_eq!(subject["learningMode"], ob::MODE_PRESENTIAL);
    assert_eq!(achievement["volumeOfLearning"], "PT50H");
    assert_eq!(
        achievement["skillBlock"],
        "Bloc 2 : sécuriser un réseau d’entreprise"
    );
    assert_eq!(
        doc["evidence"][0]["examAttempt"]["seed"],
        "18446744073709551557"
    );
}

#[test]
fn says_no_more_than_what_happened() {
    let key = sample::key();
    let mut input = sample::input(key.did());
    input.supervision = Supervision::Unsupervised;
    input.demo_issuer = true;
    let doc = issued(&input);
    let subject = &doc["credentialSubject"];
    assert_eq!(subject["supervision"], "unsupervised");
    assert_eq!(subject["identityVerification"], "none");
    assert_eq!(subject["learningMode"], ob::MODE_ONLINE);
    assert_eq!(subject["idVerification"], ob::UNSUPERVISED_NO_ID);
    // A French credential says it in French.
    assert!(
        doc["name"]
            .as_str()
            .unwrap()
            .contains("émetteur de démonstration, sans valeur de certification")
    );
    assert_eq!(doc["issuer"]["demoIssuer"], true);
    input.supervision = Supervision::SupervisedOnsite {
        identity_verified: false,
    };
    let doc = issued(&input);
    assert_eq!(doc["credentialSubject"]["identityVerification"], "none");
    assert_eq!(doc["credentialSubject"]["supervision"], "supervised-onsite");
    assert!(doc["credentialSubject"].get("idVerification").is_none());
    let report = verify(
        &serde_json::to_vec(&doc).unwrap(),
        &VerifyOptions {
            now: parse_datetime("2025-06-01T00:00:00Z").unwrap(),
            knowledge: brevet::credential::verify::Knowledge::none(),
            require_trust: false,
            any_vc: false,
        },
    );
    assert!(report.summary.demo_issuer);
    assert_eq!(report.summary.learner.as_deref(), Some("Camille Dupré"));
    assert_eq!(report.summary.score.as_deref(), Some("82.5"));
    assert_eq!(report.summary.required.as_deref(), Some("70"));
}

#[test]
fn refuses_bad_input_and_the_wrong_key() {
    let key = sample::key();
    let good = sample::input(key.did());
    type Edit = fn(&mut ob::CredentialInput);
    let cases: Vec<(Edit, BuildError)> = vec![
        (
            |i| i.issuer.country = Some("UK".into()),
            BuildError::Country("UK".into()),
        ),
        (
            |i| i.issuer.country = Some("fr".into()),
            BuildError::Country("fr".into()),
        ),
        (
            |i| i.issuer.url = "formation.example".into(),
            BuildError::Url("formation.example".into()),
        ),
        (
            |i| i.learner.name = " ".into(),
            BuildError::Empty("the learner's name"),
        ),
        (
            |i| i.achievement.learning_outcomes.clear(),
            BuildError::Empty("the list of learning outcomes"),
        ),
        (
            |i| i.score.percent = 100.5,
            BuildError::Percent("the score"),
        ),
        (
            |i| i.score.threshold_percent = f64::NAN,
            BuildError::Percent("the threshold"),
        ),
        (
            |i| i.achievement.workload_hours = 0.0,
            BuildError::Positive("the workload"),
        ),
        (
            |i| i.achievement.eqf_level = Some(9),
            BuildError::EqfLevel(9),
        ),
        (
            |i| i.evidence.bank_sha256 = "ABC".into(),
            BuildError::Sha256("the bank hash"),
        ),
    ];
    for (edit, expected) in cases {
        let mut input = good.clone();
        edit(&mut input);
        assert_eq!(ob::build(&input), Err(expected));
    }
    let mut input = good.clone();
    input.achievement.language = "french".into();
    assert!(matches!(ob::build(&input), Err(BuildError::Language(_))));
    let other = brevet::credential::key::IssuerKey::from_seed(&[1; 32]);
    assert!(matches!(
        ob::issue(&good, &other, RDFC),
        Err(IssueError::WrongKey { .. })
    ));
}

/// Ways to change one value: for dates, also a valid date one second later.
fn changes(value: &Value) -> Vec<Value> {
    match value {
        Value::String(s) => {
            let mut out = vec![json!(format!("{s}x")), json!(s.to_uppercase() + "X")];
            if let Some(t) = parse_datetime(s) {
                out.push(json!(format_datetime(t + chrono::Duration::seconds(1))));
            }
            out
        }
        Value::Number(n) => vec![json!(n.as_f64().unwrap() + 1.0)],
        Value::Bool(b) => vec![json!(!b)],
        Value::Null => vec![json!(0)],
        _ => unreachable!("leaves only"),
    }
}

#[test]
fn changing_any_single_value_makes_it_invalid() {
    let doc = sample_doc();
    let paths = json_paths::pointers(&doc, true);
    assert!(paths.len() > 80, "{} leaves", paths.len());
    let mut tried = 0;
    for path in &paths {
        let original = doc.pointer(path).unwrap();
        for changed in changes(original) {
            let mut edited = doc.clone();
            *edited.pointer_mut(path).unwrap() = changed.clone();
            let verdict = check(&serde_json::to_vec(&edited).unwrap());
            assert!(!verdict.is_valid(), "{path} = {changed} still valid");
            tried += 1;
        }
    }
    // Removing any member, or adding one, too.
    for path in &paths {
        let (parent, last) = json_paths::split_last(path).unwrap();
        let mut edited = doc.clone();
        match edited.pointer_mut(parent).unwrap() {
            Value::Object(map) => {
                map.remove(&last);
            }
            Value::Array(items) => {
                items.remove(last.parse::<usize>().unwrap());
            }
            _ => unreachable!(),
        }
        assert!(
            !check(&serde_json::to_vec(&edited).unwrap()).is_valid(),
            "without {path}"
        );
        let mut edited = doc.clone();
        if let Value::Object(map) = edited.pointer_mut(parent).unwrap() {
            map.insert("addedClaim".into(), json!(true));
            assert!(
                !check(&serde_json::to_vec(&edited).unwrap()).is_valid(),
                "added under {parent}"
            );
        }
        tried += 2;
    }
    assert!(tried > 300, "{tried} changes tried");
}

#[test]
fn the_named_tamperings_say_why() {
    let doc = sample_doc();
    let cases = [
        ("/credentialSubject/result/0/value", json!("95")),
        (
            "/credentialSubject/identifier/0/identityHash",
            json!("Eve Martin"),
        ),
        ("/validFrom", json!("2024-03-14T09:26:53Z")),
        ("/issuer/name", json!("Université Exemple")),
        ("/issuer/address/addressCountryCode", json!("DE")),
        (
            "/credentialSubject/achievement/volumeOfLearning",
            json!("PT120H"),
        ),
        ("/credentialSubject/supervision", json!("unsupervised")),
        ("/evidence/0/examAttempt/proctoringEvents/paste", json!(1)),
        ("/proof/0/created", json!("2025-03-14T09:26:54Z")),
    ];
    for (path, value) in cases {
        let mut edited = doc.clone();
        *edited.pointer_mut(path).unwrap() = value;
        assert_eq!(
            check(&serde_json::to_vec(&edited).unwrap()),
            Verdict::Invalid(Invalid::BadSignature),
            "{path}"
        );
    }
    let other = brevet::credential::key::IssuerKey::from_seed(&[1; 32]);
    // Another issuer named: no proof of the set is that issuer's.
    let mut edited = doc.clone();
    edited["issuer"]["id"] = json!(other.did().to_string());
    assert!(matches!(
        check(&serde_json::to_vec(&edited).unwrap()),
        Verdict::Invalid(Invalid::IssuerMismatch { .. })
    ));
    let mut edited = doc.clone();
    edited["proof"][0]["verificationMethod"] = json!(other.did().verification_method());
    assert!(matches!(
        check(&serde_json::to_vec(&edited).unwrap()),
        Verdict::Invalid(Invalid::IssuerMismatch { .. })
    ));
}

/// JSON text of `value` written another way: members in reverse order, odd
/// whitespace, every non-ASCII character and `/` escaped, numbers with an
/// exponent.
fn rewrite(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            out.push_str("{\n ");
            let members: Vec<(&String, &Value)> = map.iter().rev().collect();
            for (i, (k, v)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(" ,\r\n\t");
                }
                rewrite(&Value::String(k.clone()), out);
                out.push_str(" :  ");
                rewrite(v, out);
            }
            out.push_str("\n}");
        }
        Value::Array(items) => {
            out.push_str("[ ");
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(" , ");
                }
                rewrite(v, out);
            }
            out.push_str(" ]");
        }
        Value::String(s) => {
            out.push('"');
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '/' => out.push_str("\\/"),
                    c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
                    c => {
                        let mut units = [0u16; 2];
                        for unit in c.encode_utf16(&mut units) {
                            let _ = write!(out, "\\u{unit:04X}");
                        }
                    }
                }
            }
            out.push('"');
        }
        // Small integral numbers (all this document has) as `5E1` or `2.0`.
        Value::Number(n) => match n.as_f64() {
            Some(f) if f != 0.0 && f % 10.0 == 0.0 => {
                let _ = write!(out, "{}E1", f / 10.0);
            }
            Some(f) if f.fract() == 0.0 => {
                let _ = write!(out, "{f}.0");
            }
            _ => out.push_str(&n.to_string()),
        },
        other => out.push_str(&other.to_string()),
    }
}

#[test]
fn re_serialising_keeps_it_valid() {
    let doc = sample_doc();
    let mut text = String::new();
    rewrite(&doc, &mut text);
    assert!(
        text.contains("\\u00E9") && text.contains("\\/") && text.contains("33.0"),
        "{text}"
    );
    assert_ne!(text.find("\"validFrom\""), None);
    // Reverse member order: `validFrom` comes before `@context` now.
    assert!(text.find("\"validFrom\"") < text.find("\"@context\""));
    assert_eq!(
        check(text.as_bytes()),
        check(&serde_json::to_vec(&doc).unwrap()),
        "{text}"
    );
    assert!(check(&serde_json::to_vec(&doc).unwrap()).is_valid());
    assert!(check(&serde_json::to_vec_pretty(&doc).unwrap()).is_valid());
    // Same data: the same canonical form.
    let reparsed = brevet::credential::jcs::parse_strict(text.as_bytes()).unwrap();
    assert_eq!(
        brevet::credential::jcs::canonicalize(&reparsed),
        brevet::credential::jcs::canonicalize(&doc)
    );
}

#[test]
fn the_documented_example_is_what_brevet_issues() {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "docs", "credential.md"]
        .iter()
        .collect();
    let doc = std::fs::read_to_string(path).unwrap();
    let start = doc.find("```json\n").unwrap() + "```json\n".len();
    let end = start + doc[start..].find("\n```").unwrap();
    let example = &doc[start..end];
    assert_eq!(
        example,
        serde_json::to_string_pretty(&sample_doc()).unwrap()
    );
    assert!(check(example.as_bytes()).is_valid());
}

/// The sample credential with a second proof, by `other`, over the same
/// document (a proof set).
fn with_second_proof(other: &brevet::credential::key::IssuerKey) -> Value {
    let input = sample::input(sample::key().did());
    let issued = issued(&input);
    let unsigned = ob::build(&input).unwrap();
    let created = parse_datetime("2025-03-15T10:00:00Z").unwrap();
    let second = brevet::credential::proof::sign(unsigned, other, created, RDFC).unwrap();
    let mut doc = issued;
    doc["proof"]
        .as_array_mut()
        .unwrap()
        .push(second["proof"][0].clone());
    doc
}

#[test]
fn a_proof_set_is_valid_when_every_proof_holds_and_says_each() {
    let other = brevet::credential::key::IssuerKey::from_seed(&[0x77; 32]);
    let doc = with_second_proof(&other);
    let now = parse_datetime("2025-06-01T00:00:00Z").unwrap();
    let options = VerifyOptions {
        now,
        knowledge: brevet::credential::verify::Knowledge::none(),
        require_trust: false,
        any_vc: false,
    };
    let report = verify(&serde_json::to_vec(&doc).unwrap(), &options);
    assert!(report.verdict.is_valid(), "{:?}", report.verdict);
    assert_eq!(report.proofs.len(), 2);
    assert!(report.proofs[0].issuer && report.proofs[0].valid);
    assert!(!report.proofs[1].issuer && report.proofs[1].valid);
    assert_eq!(report.proofs[1].signer, other.did().to_string());

    // The second proof broken: the file is invalid, and says whose.
    let mut broken = doc.clone();
    broken["proof"][1]["created"] = json!("2025-03-15T10:00:01Z");
    let report = verify(&serde_json::to_vec(&broken).unwrap(), &options);
    assert_eq!(
        report.verdict,
        Verdict::Invalid(Invalid::OtherProofInvalid(other.did().to_string()))
    );
    assert!(report.proofs[0].valid && !report.proofs[1].valid);

    // Without the issuer's proof, the other key's proof does not vouch.
    let mut alone = doc;
    alone["proof"].as_array_mut().unwrap().remove(0);
    let report = verify(&serde_json::to_vec(&alone).unwrap(), &options);
    assert!(
        matches!(
            report.verdict,
            Verdict::Invalid(Invalid::IssuerMismatch { .. })
        ),
        "{:?}",
        report.verdict
    );
}

#[test]
fn statements_written_around_the_terms_are_refused_not_misread() {
    // Each edit keeps the RDF (so the signature would still hold) but hides
    // a statement from whoever reads the credential by its terms.
    let doc = sample_doc();
    let now = parse_datetime("2025-06-01T00:00:00Z").unwrap();
    let options = VerifyOptions {
        now,
        knowledge: brevet::credential::verify::Knowledge::none(),
        require_trust: false,
        any_vc: false,
    };
    let rename = |doc: &mut Value, pointer: &str, from: &str, to: &str, value: Value| {
        let map = doc.pointer_mut(pointer).unwrap().as_object_mut().unwrap();
        map.remove(from).unwrap();
        map.insert(to.into(), value);
    };
    let cases: Vec<(&str, Value)> = vec![
        {
            let mut d = doc.clone();
            rename(
                &mut d,
                "",
                "validFrom",
                "https://www.w3.org/2018/credentials#validFrom",
                json!({"@value": "2025-03-14T09:26:53Z", "@type": "http://www.w3.org/2001/XMLSchema#dateTime"}),
            );
            ("validFrom as an IRI", d)
        },
        {
            let mut d = doc.clone();
            rename(
                &mut d,
                "/credentialSubject/result/0",
                "status",
                "https://purl.imsglobal.org/spec/vc/ob/vocab.html#status",
                json!("Completed"),
            );
            ("status as an IRI", d)
        },
        {
            let mut d = doc.clone();
            rename(
                &mut d,
                "/credentialSubject",
                "type",
                "@type",
                json!(["AchievementSubject"]),
            );
            ("a keyword for a term", d)
        },
        {
            let mut d = doc.clone();
            d["credentialSubject"]["@context"] =
                json!({"supervision": "https://example.org/other"});
            ("a nested @context", d)
        },
        {
            let mut d = doc.clone();
            d["credentialSubject"]["id"] = json!("type");
            ("a keyword as an identifier", d)
        },
        {
            let mut d = doc.clone();
            d["credentialSubject"]["id"] = json!("urn:x:a b");
            ("a space in an identifier", d)
        },
    ];
    for (what, edited) in cases {
        let report = verify(&serde_json::to_vec(&edited).unwrap(), &options);
        match report.verdict {
            Verdict::Invalid(why) => assert_eq!(why.code(), "json-ld", "{what}: {why}"),
            Verdict::Valid { .. } => panic!("{what}: judged valid"),
        }
    }
}
