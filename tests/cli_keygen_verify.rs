//! `brevet keygen` and `brevet verify` end to end, on the real binary.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a failed test

#[path = "support/sample.rs"]
mod sample;

use assert_cmd::Command;
use brevet::credential::key::IssuerKey;
use brevet::credential::{parse_datetime, proof};
use predicates::prelude::*;
use serde_json::{Value, json};
use std::path::Path;

fn brevet(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("brevet").unwrap();
    cmd.env("BREVET_DATA", data)
        .env_remove("XDG_DATA_HOME")
        .env("NO_COLOR", "1");
    cmd
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn keygen_writes_a_private_key_once_and_prints_only_the_did() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let out = brevet(&data)
        .args(["keygen", "--no-passphrase"])
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let did = stdout.trim_end();
    assert!(
        did.starts_with("did:key:z6Mk") && !did.contains('\n'),
        "{stdout}"
    );
    let key_file = data.join("issuer.key");
    let pem = std::fs::read_to_string(&key_file).unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    assert_eq!(
        IssuerKey::from_pem(&pem, None).unwrap().did().to_string(),
        did
    );
    #[cfg(unix)]
    {
        assert_eq!(mode(&key_file), 0o600);
        assert_eq!(mode(&data), 0o700);
    }
    // Never over an existing key without --force.
    brevet(&data)
        .args(["keygen", "--no-passphrase"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("already exists").and(predicate::str::contains("--force")),
        );
    assert_eq!(std::fs::read_to_string(&key_file).unwrap(), pem);
    let out = brevet(&data)
        .args(["keygen", "--force", "--no-passphrase"])
        .assert()
        .success();
    let second = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_ne!(second, stdout, "a new key");
    assert_ne!(std::fs::read_to_string(&key_file).unwrap(), pem);
    #[cfg(unix)]
    assert_eq!(mode(&key_file), 0o600);
}

#[test]
fn keygen_defaults_to_the_xdg_data_folder() {
    let home = tempfile::tempdir().unwrap();
    Command::cargo_bin("brevet")
        .unwrap()
        .env_remove("BREVET_DATA")
        .env_remove("XDG_DATA_HOME")
        .env("HOME", home.path())
        .args(["keygen", "--no-passphrase"])
        .assert()
        .success();
    assert!(home.path().join(".local/share/brevet/issuer.key").is_file());
}

#[test]
fn keygen_encrypts_with_a_passphrase() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("k.pem");
    let assert = brevet(tmp.path())
        .args(["keygen", "--passphrase-env", "BREVET_TEST_PASS", "--out"])
        .arg(&out)
        .env("BREVET_TEST_PASS", "salle 2, tiers-temps")
        .assert()
        .success();
    let did = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let pem = std::fs::read_to_string(&out).unwrap();
    assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    let pass = brevet::credential::key::Passphrase::new("salle 2, tiers-temps".into()).unwrap();
    let key = IssuerKey::from_pem(&pem, Some(&pass)).unwrap();
    assert_eq!(key.did().to_string(), did.trim_end());
    brevet(tmp.path())
        .args([
            "keygen",
            "--passphrase-env",
            "BREVET_TEST_UNSET_VAR",
            "--out",
        ])
        .arg(tmp.path().join("other.pem"))
        .env_remove("BREVET_TEST_UNSET_VAR")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("BREVET_TEST_UNSET_VAR is not set"));
}

#[test]
fn keygen_creates_the_key_folder_privately() {
    let tmp = tempfile::tempdir().unwrap();
    let key = tmp.path().join("keys/room/issuer.key");
    brevet(tmp.path())
        .args(["keygen", "--no-passphrase", "--out"])
        .arg(&key)
        .assert()
        .success();
    assert!(key.is_file());
    #[cfg(unix)]
    {
        assert_eq!(mode(&key), 0o600);
        assert_eq!(mode(&tmp.path().join("keys/room")), 0o700);
        assert_eq!(mode(&tmp.path().join("keys")), 0o700);
    }
    // A folder given as the key file is named, not written into.
    brevet(tmp.path())
        .args(["keygen", "--no-passphrase", "--out"])
        .arg(tmp.path().join("keys"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a folder"));
}

#[test]
fn keygen_asks_for_the_passphrase_twice_and_refuses_weak_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let key = tmp.path().join("k.pem");
    let typed = "deux mots et demi";
    let assert = brevet(tmp.path())
        .args(["keygen", "--out"])
        .arg(&key)
        .write_stdin(format!("{typed}\n{typed}\n"))
        .assert()
        .success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("Same passphrase again"), "{stderr}");
    assert!(!stderr.contains(typed), "never echoed: {stderr}");
    let pass = brevet::credential::key::Passphrase::new(typed.into()).unwrap();
    IssuerKey::from_pem(&std::fs::read_to_string(&key).unwrap(), Some(&pass)).unwrap();

    let other = tmp.path().join("other.pem");
    for (stdin, why) in [
        ("abc\nabc\n", "too weak"),
        ("deux mots et demi\ndeux mots et demy\n", "differ"),
        ("\n\n", "--no-passphrase"),
    ] {
        brevet(tmp.path())
            .args(["keygen", "--out"])
            .arg(&other)
            .write_stdin(stdin)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(why));
        assert!(!other.exists(), "nothing written for {stdin:?}");
    }
    std::fs::write(tmp.path().join("pass.txt"), "abc\n").unwrap();
    brevet(tmp.path())
        .args(["keygen", "--out"])
        .arg(&other)
        .arg("--passphrase-file")
        .arg(tmp.path().join("pass.txt"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("too weak"));
}

fn write_signed(
    dir: &Path,
    name: &str,
    key: &IssuerKey,
    edit: impl FnOnce(&mut Value),
) -> std::path::PathBuf {
    let doc = json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": key.did().to_string(), "type": ["Profile"], "name": "Org"},
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {"type": ["AchievementSubject"], "name": "Ada"}
    });
    sign_and_write(dir, name, key, doc, edit)
}

/// Signs `doc` (eddsa-rdfc-2022), applies `edit`, writes it as `dir/name`.
fn sign_and_write(
    dir: &Path,
    name: &str,
    key: &IssuerKey,
    doc: Value,
    edit: impl FnOnce(&mut Value),
) -> std::path::PathBuf {
    let Value::Object(map) = doc else {
        unreachable!()
    };
    let mut signed = Value::Object(
        proof::sign(
            map,
            key,
            parse_datetime("2025-01-01T00:00:00Z").unwrap(),
            proof::Cryptosuite::EddsaRdfc2022,
        )
        .unwrap(),
    );
    edit(&mut signed);
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec_pretty(&signed).unwrap()).unwrap();
    path
}

#[test]
fn verify_reports_each_file_and_exits_by_the_worst() {
    let tmp = tempfile::tempdir().unwrap();
    let key = IssuerKey::from_seed(&[4; 32]);
    let good = write_signed(tmp.path(), "good.json", &key, |_| {});
    let bad = write_signed(tmp.path(), "bad.json", &key, |v| {
        v["credentialSubject"]["name"] = json!("Eve");
    });
    brevet(tmp.path())
        .arg("verify")
        .arg(&good)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("good.json: VALID"));
    brevet(tmp.path())
        .arg("verify")
        .args([&good, &bad])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("good.json: VALID")
                .and(predicate::str::contains("bad.json: INVALID bad signature"))
                .and(predicate::str::contains("2 files: 1 valid, 1 invalid")),
        );
    // A folder is searched for *.json; a missing file cannot be read: 2.
    brevet(tmp.path())
        .arg("verify")
        .arg(tmp.path())
        .arg(tmp.path().join("missing.json"))
        .assert()
        .code(2)
        .stdout(predicate::str::contains("missing.json: ERROR cannot read"));
}

#[test]
fn verify_trust_pins_issuers() {
    let tmp = tempfile::tempdir().unwrap();
    let key = IssuerKey::from_seed(&[4; 32]);
    let other = IssuerKey::from_seed(&[5; 32]);
    let good = write_signed(tmp.path(), "good.json", &key, |_| {});
    brevet(tmp.path())
        .arg("verify")
        .arg(&good)
        .args([
            "--trust",
            &other.did().to_string(),
            "--trust",
            &key.did().to_string(),
        ])
        .assert()
        .code(0);
    brevet(tmp.path())
        .arg("verify")
        .arg(&good)
        .args(["--trust", &other.did().to_string()])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("INVALID untrusted issuer"));
    // A did:web can be pinned too; a malformed DID is refused.
    brevet(tmp.path())
        .arg("verify")
        .arg(&good)
        .args(["--trust", "did:web:example.com"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!(
            "INVALID untrusted issuer: {} is not in your trust list",
            key.did()
        )));
    brevet(tmp.path())
        .arg("verify")
        .arg(&good)
        .args(["--trust", "did:web:Example.com"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--trust did:web:Example.com"));
}

#[test]
fn verify_json_for_scripts() {
    let tmp = tempfile::tempdir().unwrap();
    let key = IssuerKey::from_seed(&[4; 32]);
    let good = write_signed(tmp.path(), "good.json", &key, |_| {});
    let late = write_signed(tmp.path(), "late.json", &key, |v| {
        v["proof"][0]["cryptosuite"] = json!("ecdsa-jcs-2019");
    });
    let out = brevet(tmp.path())
        .arg("verify")
        .arg("--json")
        .args([&good, &late])
        .assert()
        .code(1);
    let report: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(report["files"], 2);
    assert_eq!(report["valid"], 1);
    assert_eq!(report["results"][0]["valid"], true);
    assert_eq!(report["results"][0]["issuer"], key.did().to_string());
    assert_eq!(report["results"][0]["summary"]["issuer_name"], "Org");
    assert_eq!(report["results"][1]["valid"], false);
    assert_eq!(
        report["results"][1]["reason"]["code"],
        "unknown-cryptosuite"
    );
}

#[test]
fn verify_prints_what_an_issued_credential_says() {
    let tmp = tempfile::tempdir().unwrap();
    let key = sample::key();
    let mut input = sample::input(key.did());
    input.demo_issuer = true;
    let doc =
        brevet::credential::ob::issue(&input, &key, proof::Cryptosuite::EddsaRdfc2022).unwrap();
    let file = tmp.path().join("camille.json");
    std::fs::write(&file, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    let out = brevet(tmp.path()).arg("verify").arg(&file).assert().code(0);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let did = key.did().to_string();
    for expected in [
        "camille.json: VALID".to_owned(),
        "DEMO ISSUER: not for real certification".to_owned(),
        "learner      Camille Dupré (id A-2025-0042)".to_owned(),
        "achievement  Sécurité des réseaux — bloc 2 (version 1.4.0)".to_owned(),
        format!("issuer       Centre de formation Exemple (FR), {did}"),
        "issued       2025-03-14T09:26:53Z".to_owned(),
        "score        82.5% (required 70%), passed".to_owned(),
        "supervision  supervised-onsite; identity verification: verified-onsite".to_owned(),
    ] {
        assert!(text.contains(&expected), "missing {expected:?} in\n{text}");
    }
    let mut edited: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    edited["credentialSubject"]["result"][0]["value"] = json!("99");
    std::fs::write(&file, serde_json::to_vec_pretty(&edited).unwrap()).unwrap();
    let out = brevet(tmp.path()).arg("verify").arg(&file).assert().code(1);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        text.contains("camille.json: INVALID bad signature"),
        "{text}"
    );
    assert!(text.contains("what it claims (not verified)"), "{text}");
    assert!(
        text.contains("score        99% (required 70%), passed"),
        "{text}"
    );
}

#[test]
fn verify_reads_only_open_badges_with_known_contexts_unless_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let key = IssuerKey::from_seed(&[9; 32]);
    // A plain Verifiable Credential, no Open Badge.
    let plain = sign_and_write(
        tmp.path(),
        "plain.json",
        &key,
        json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"],
            "issuer": key.did().to_string(),
            "validFrom": "2025-01-01T00:00:00Z",
            "credentialSubject": {"name": "Ada"}
        }),
        |_| {},
    );
    brevet(tmp.path())
        .arg("verify")
        .arg(&plain)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("not an Open Badge"));
    brevet(tmp.path())
        .args(["verify", "--any-vc"])
        .arg(&plain)
        .assert()
        .success();
    // A context appended after signing, or an unknown one: refused, and said why.
    let extra = write_signed(tmp.path(), "extra.json", &key, |doc| {
        doc["@context"]
            .as_array_mut()
            .unwrap()
            .push(json!("https://example.org/mine"));
    });
    brevet(tmp.path())
        .args(["verify", "--any-vc"])
        .arg(&extra)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("https://example.org/mine"));
    // An issuer given as a bare id is no Open Badges Profile.
    let bare = write_signed(tmp.path(), "bare.json", &key, |doc| {
        doc["issuer"] = json!(key.did().to_string());
    });
    brevet(tmp.path())
        .arg("verify")
        .arg(&bare)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("not an Open Badges Profile"));
}
