//! An organisation's issuer, end to end on the real binary: a did:web
//! issuer with status lists issues credentials, publishes its DID document
//! and lists, revokes one credential and suspends another, rotates its key
//! (and, once, declares a key compromised); `brevet verify` says for each
//! credential whether it is valid, who vouches for its issuer, and whether
//! its status was checked. Bad DID documents and status lists get a clear
//! verdict.
#![allow(clippy::unwrap_used)] // test helpers: a panic is a failed test

#[path = "support/data.rs"]
mod data;
#[path = "support/https.rs"]
mod https;

use assert_cmd::Command;
use brevet::credential::key::IssuerKey;
use brevet::credential::proof::{self, Cryptosuite};
use brevet::credential::status;
use predicates::prelude::PredicateBooleanExt as _;
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};

const DID: &str = "did:web:formation.example.org";
const LISTS: &str = "https://formation.example.org/status/";
/// Seed 4: every answer right.
const ALL_RIGHT: &str = "\n1\n1\n3\n2 3\nexpiry\n4.5\nyes\n";

/// An organisation: its issuer file and key, its store, the credentials
/// it issued, its web site folder, and a verifier's empty data folder.
struct Org {
    dir: tempfile::TempDir,
}

impl Org {
    fn new(suspension: bool) -> Org {
        Org::with(DID, LISTS, suspension)
    }

    fn with(did: &str, lists: &str, suspension: bool) -> Org {
        let org = Org {
            dir: tempfile::tempdir().unwrap(),
        };
        brevet(&org.verifier())
            .args(["keygen", "--no-passphrase", "--out"])
            .arg(org.path("issuer.key"))
            .assert()
            .success();
        let mut toml = format!(
            "name = \"Formation Exemple\"\nurl = \"https://formation.example.org\"\ncountry = \"FR\"\nkey = \"issuer.key\"\ndid = \"{did}\"\nstatus_lists = \"{lists}\"\n"
        );
        if suspension {
            toml.push_str("suspension = true\n");
        }
        std::fs::write(org.path("issuer.toml"), toml).unwrap();
        org
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn verifier(&self) -> PathBuf {
        let dir = self.path("verifier");
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// `learner` passes the demo; the credential's file.
    fn issue(&self, learner: &str) -> PathBuf {
        let out = self.path("out");
        std::fs::create_dir_all(&out).unwrap();
        let before: Vec<PathBuf> = files(&out);
        pass_demo(
            &self.path("data"),
            &out,
            learner,
            &["--issuer".as_ref(), self.path("issuer.toml").as_os_str()],
        );
        // The credential; its badge beside it.
        let new: Vec<PathBuf> = files(&out)
            .into_iter()
            .filter(|f| !before.contains(f) && f.extension().is_some_and(|e| e == "json"))
            .collect();
        assert_eq!(new.len(), 1, "{new:?}");
        new[0].clone()
    }

    /// `brevet issuer ARGS` on the organisation's files.
    fn issuer(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        brevet(&self.path("data"))
            .arg("issuer")
            .arg("--issuer")
            .arg(self.path("issuer.toml"))
            .args(args)
            .assert()
    }

    fn publish(&self) {
        let site = self.path("site");
        self.issuer(&["publish", "--out", site.to_str().unwrap()])
            .success();
    }

    fn site(&self, path: &str) -> PathBuf {
        self.path("site").join(path)
    }

    /// `brevet verify` with the published document and lists, from an
    /// empty data folder: exit code and stdout.
    fn verify(&self, files: &[&Path], extra: &[&str]) -> (i32, String) {
        let mut cmd = brevet(&self.verifier());
        cmd.arg("verify").args(files);
        cmd.arg("--did-document")
            .arg(self.site(".well-known/did.json"));
        for list in ["status/revocation-1.json", "status/suspension-1.json"] {
            if self.site(list).exists() {
                cmd.arg("--status-list").arg(self.site(list));
            }
        }
        let output = cmd.args(extra).output().unwrap();
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8(output.stdout).unwrap() + &String::from_utf8(output.stderr).unwrap(),
        )
    }

    fn key(&self, file: &str) -> IssuerKey {
        IssuerKey::from_pem(&std::fs::read_to_string(self.path(file)).unwrap(), None).unwrap()
    }
}

fn brevet(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("brevet").unwrap();
    cmd.env("BREVET_DATA", data)
        .env_remove("XDG_DATA_HOME")
        .env_remove("BREVET_STORE")
        .env("NO_COLOR", "1");
    cmd
}

/// `learner` passes the demo (plain mode, seed 4) with the data folder
/// `data`, the credential going to `out`.
fn pass_demo(data: &Path, out: &Path, learner: &str, extra: &[&std::ffi::OsStr]) {
    brevet(data)
        .args([
            "run",
            &demo(),
            "--plain",
            "--seed",
            "4",
            "--lang",
            "en",
            "--learner",
            learner,
        ])
        .arg("--out")
        .arg(out)
        .args(extra)
        .write_stdin(ALL_RIGHT)
        .assert()
        .success();
}

fn demo() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/exams/demo.toml").to_string()
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn read_json(path: &Path) -> Map<String, Value> {
    match serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap() {
        Value::Object(map) => map,
        _ => panic!("not an object"),
    }
}

/// Signs `document` again (after an edit) with `key`, as `method`.
fn resign(mut document: Map<String, Value>, key: &IssuerKey, method: &str, to: &Path) {
    document.remove("proof");
    let now = chrono::Utc::now();
    let signed = proof::sign_as(document, key, method, now, Cryptosuite::EddsaRdfc2022).unwrap();
    std::fs::write(to, serde_json::to_vec_pretty(&signed).unwrap()).unwrap();
}

/// The first line of `report` about `file`.
fn verdict_line<'a>(report: &'a str, file: &Path) -> &'a str {
    let name = file.display().to_string();
    report
        .lines()
        .find(|l| l.starts_with(&name))
        .unwrap_or_else(|| panic!("no line for {name} in:\n{report}"))
}

#[test]
fn an_organisation_revokes_one_credential_and_suspends_another() {
    let org = Org::new(true);
    let ada = org.issue("Ada Lovelace");
    let alan = org.issue("Alan Turing");
    let grace = org.issue("Grace Hopper");
    let doc = read_json(&ada);
    assert_eq!(doc["issuer"]["id"], DID);
    let method = doc["proof"][0]["verificationMethod"].as_str().unwrap();
    assert!(method.starts_with(&format!("{DID}#z6Mk")), "{method}");
    // Both purposes: an array of two entries, each in its own list.
    let entries = doc["credentialStatus"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["statusPurpose"], "revocation");
    assert_eq!(
        entries[1]["statusListCredential"],
        format!("{LISTS}suspension-1.json")
    );

    org.publish();
    let (code, report) = org.verify(&[&ada, &alan, &grace], &[]);
    assert_eq!(code, 0, "{report}");
    assert!(
        report.contains(" status       neither revoked nor suspended as of 20")
            && report.contains(&format!(
                "(checked in {LISTS}revocation-1.json, {LISTS}suspension-1.json)"
            )),
        "{report}"
    );

    // Revoked by its file, suspended by its id.
    org.issuer(&[
        "revoke",
        alan.to_str().unwrap(),
        "--reason",
        "exam taken by someone else",
    ])
    .success()
    .stdout(predicates::str::contains("REVOKED"));
    let grace_id = read_json(&grace)["id"].as_str().unwrap().to_owned();
    org.issuer(&["suspend", &grace_id, "--reason", "inquiry"])
        .success();
    // Until the lists are published again, verifiers cannot know.
    let (code, _) = org.verify(&[&alan, &grace], &[]);
    assert_eq!(code, 0);
    org.publish();
    let (code, report) = org.verify(&[&ada, &alan, &grace], &[]);
    assert_eq!(code, 1, "{report}");
    assert!(verdict_line(&report, &ada).ends_with("VALID"), "{report}");
    assert!(
        verdict_line(&report, &alan).contains("INVALID revoked by its issuer"),
        "{report}"
    );
    assert!(
        verdict_line(&report, &grace).contains("INVALID suspended by its issuer"),
        "{report}"
    );
    // The issuer, with its registry at hand, sees when and why.
    let data = org.path("data");
    let (code, report) = org.verify(
        &[&alan, &grace],
        &["--registry", "--data", data.to_str().unwrap()],
    );
    assert_eq!(code, 1, "{report}");
    assert!(
        verdict_line(&report, &alan).contains("INVALID revoked by its issuer on 20")
            && verdict_line(&report, &alan).contains(": exam taken by someone else [status list"),
        "{report}"
    );
    assert!(
        verdict_line(&report, &grace)
            .ends_with(&format!(": inquiry [status list {LISTS}suspension-1.json]")),
        "{report}"
    );
    let (_, json) = org.verify(&[&ada, &alan, &grace], &["--json"]);
    let json: Value = serde_json::from_str(&json).unwrap();
    let codes: Vec<&Value> = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["reason"]["code"])
        .collect();
    assert_eq!(
        codes,
        [&Value::Null, &json!("revoked"), &json!("suspended")]
    );
    assert_eq!(json["results"][0]["status"]["state"], "clear");

    // A revocation is final; a suspension is lifted.
    org.issuer(&["reinstate", alan.to_str().unwrap(), "--reason", "mistake"])
        .code(1)
        .stderr(predicates::str::contains("a revocation is final"));
    org.issuer(&["reinstate", &grace_id, "--reason", "cleared"])
        .success();
    org.publish();
    let (code, report) = org.verify(&[&grace], &[]);
    assert_eq!(code, 0, "{report}");
    org.issuer(&["show", &grace_id]).success().stdout(
        predicates::str::contains("suspended: inquiry")
            .and(predicates::str::contains("reinstated: cleared")),
    );

    // The published lists are what the standard says.
    let list = read_json(&org.site("status/revocation-1.json"));
    assert_eq!(list["id"], format!("{LISTS}revocation-1.json"));
    assert_eq!(list["issuer"], DID);
    let encoded = list["credentialSubject"]["encodedList"].as_str().unwrap();
    assert!(
        encoded.starts_with("uH4sI"),
        "multibase u + GZIP: {encoded}"
    );
    let bits = status::Bitstring::decode(encoded).unwrap();
    assert!(bits.len() >= 131_072);
    assert_eq!(bits.count_set(), 1);
}

#[test]
fn revocation_alone_keeps_the_credential_inside_the_open_badges_schema() {
    let org = Org::new(false);
    let ada = org.issue("Ada Lovelace");
    let doc = Value::Object(read_json(&ada));
    assert_eq!(doc["credentialStatus"]["statusPurpose"], "revocation");
    let validator = data::ob_schema_validator();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    // Suspending needs a suspension entry.
    let id = doc["id"].as_str().unwrap();
    org.issuer(&["suspend", id, "--reason", "x"])
        .code(1)
        .stderr(predicates::str::contains(
            "issued without a suspension entry",
        ));
    org.publish();
    assert!(!org.site("status/suspension-1.json").exists());
    let (code, report) = org.verify(&[&ada], &[]);
    assert_eq!(code, 0, "{report}");
    assert!(report.contains("neither revoked nor suspended"), "{report}");
}

#[test]
fn earlier_keys_keep_their_credentials_and_a_compromised_key_fails() {
    let org = Org::new(false);
    let first = org.issue("Ada Lovelace");
    org.issuer(&["rotate", "--no-passphrase"]).success();
    let toml = std::fs::read_to_string(org.path("issuer.toml")).unwrap();
    assert!(toml.contains("key = \"issuer-2.key\""), "{toml}");
    assert!(toml.contains("[[previous_keys]]"), "{toml}");
    let second = org.issue("Alan Turing");
    org.publish();
    let document = read_json(&org.site(".well-known/did.json"));
    assert_eq!(document["verificationMethod"].as_array().unwrap().len(), 2);
    let (code, report) = org.verify(&[&first, &second], &[]);
    assert_eq!(code, 0, "{report}");

    // A document from before the rotation does not vouch for the new key.
    let old = org.path("old-did.json");
    let mut before = document.clone();
    before["verificationMethod"] = json!([document["verificationMethod"][0]]);
    before["assertionMethod"] = json!([document["assertionMethod"][0]]);
    std::fs::write(&old, serde_json::to_vec(&before).unwrap()).unwrap();
    let output = brevet(&org.verifier())
        .arg("verify")
        .arg(&second)
        .arg("--did-document")
        .arg(&old)
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("does not vouch for the key"), "{text}");

    // The second key is compromised: rotated away, revoked from a date;
    // what it signed fails, the first key's credential stays valid.
    org.issuer(&[
        "rotate",
        "--no-passphrase",
        "--compromised",
        "--since",
        "2020-01-01T00:00:00Z",
    ])
    .success();
    let third = org.issue("Grace Hopper");
    org.publish();
    let document = read_json(&org.site(".well-known/did.json"));
    assert_eq!(document["verificationMethod"].as_array().unwrap().len(), 3);
    assert_eq!(
        document["verificationMethod"][1]["revoked"],
        "2020-01-01T00:00:00Z"
    );
    let (code, report) = org.verify(&[&first, &second, &third], &[]);
    assert_eq!(code, 1, "{report}");
    assert!(verdict_line(&report, &first).ends_with("VALID"), "{report}");
    assert!(
        verdict_line(&report, &second).contains("a key its issuer revoked on 2020-01-01T00:00:00Z"),
        "{report}"
    );
    assert!(verdict_line(&report, &third).ends_with("VALID"), "{report}");
}

#[test]
fn the_verdict_says_who_vouches() {
    let org = Org::new(false);
    let ada = org.issue("Ada Lovelace");
    org.publish();
    let (code, report) = org.verify(&[&ada], &[]);
    assert_eq!(code, 0, "{report}");
    assert!(
        report.contains(&format!(
            "trust        NOT ESTABLISHED: {DID} is not in your trust list; its key comes from the file"
        )),
        "{report}"
    );
    let (code, report) = org.verify(&[&ada], &["--require-trust"]);
    assert_eq!(code, 1, "{report}");
    assert!(report.contains("INVALID untrusted issuer"), "{report}");

    // The verifier's trust folder names the organisation.
    let trust = org.verifier().join("trust");
    std::fs::create_dir_all(&trust).unwrap();
    std::fs::write(
        trust.join("issuers.toml"),
        format!("[[issuer]]\ndid = \"{DID}\"\nname = \"Formation Exemple SARL\"\nurl = \"https://formation.example.org\"\n"),
    )
    .unwrap();
    // Listed, but the key comes from a file the holder handed over: a
    // forger's did.json would say the same. Not established.
    let (code, report) = org.verify(&[&ada], &["--require-trust"]);
    assert_eq!(code, 1, "{report}");
    let (code, report) = org.verify(&[&ada], &[]);
    assert_eq!(code, 0, "{report}");
    assert!(
        report.contains(&format!(
            "trust        NOT ESTABLISHED: {DID} is in your trust list, but its key comes from the file"
        )),
        "{report}"
    );
    // Its DID document kept there too: no --did-document needed.
    std::fs::copy(
        org.site(".well-known/did.json"),
        trust.join("formation.json"),
    )
    .unwrap();
    let output = brevet(&org.verifier())
        .args(["verify", "--require-trust", "--json"])
        .arg(&ada)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let result = &json["results"][0];
    assert_eq!(result["trusted"], true);
    assert_eq!(result["trust"]["listed"]["name"], "Formation Exemple SARL");
    let reason = result["trust"]["reason"].as_str().unwrap();
    assert!(
        reason.starts_with(
            "in your trust list as Formation Exemple SARL (https://formation.example.org)"
        ),
        "{reason}"
    );
    // No list at hand: the status is not checked, and said so.
    assert_eq!(result["status"]["state"], "not-checked");
    assert!(
        result["status"]["reason"]
            .as_str()
            .unwrap()
            .contains("revocation-1.json is not at hand"),
        "{result}"
    );
}

#[test]
fn a_demo_credential_stripped_of_its_label_gains_nothing() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    pass_demo(data.path(), out.path(), "Ada Lovelace", &[]);
    let file = files(out.path()).remove(0);
    let mut doc = read_json(&file);
    // The demo key sits in the learner's data folder: anyone there can
    // sign without the label.
    let key = IssuerKey::from_pem(
        &std::fs::read_to_string(data.path().join("demo-issuer.key")).unwrap(),
        None,
    )
    .unwrap();
    let issuer = doc["issuer"].as_object_mut().unwrap();
    issuer.remove("demoIssuer");
    issuer.remove("description");
    issuer.insert("name".into(), json!("Université Paris-Saclay"));
    let name = doc["name"]
        .as_str()
        .unwrap()
        .replace(" (demo issuer, not for real certification)", "");
    doc.insert("name".into(), json!(name));
    let forged = out.path().join("forged.json");
    resign(doc, &key, &key.did().verification_method(), &forged);
    let output = brevet(data.path())
        .args(["verify", "--json"])
        .arg(&forged)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let result = &json["results"][0];
    assert_eq!(result["summary"]["demo_issuer"], false);
    assert_eq!(result["trusted"], false);
    assert_eq!(
        result["trust"]["reason"],
        format!(
            "{} is not in your trust list: the name \"Université Paris-Saclay\" is the issuer's own claim",
            key.did()
        )
    );
    brevet(data.path())
        .args(["verify", "--require-trust"])
        .arg(&forged)
        .assert()
        .code(1);
}

#[test]
fn bad_did_documents_are_refused_with_their_reason() {
    let org = Org::new(false);
    let ada = org.issue("Ada Lovelace");
    org.publish();
    let good = read_json(&org.site(".well-known/did.json"));
    let try_document = |name: &str, bytes: Vec<u8>| {
        let path = org.path(name);
        std::fs::write(&path, bytes).unwrap();
        let output = brevet(&org.verifier())
            .arg("verify")
            .arg(&ada)
            .arg("--did-document")
            .arg(&path)
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap() + &String::from_utf8(output.stderr).unwrap(),
        )
    };
    let (code, text) = try_document("huge.json", vec![b' '; 200_000]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("huge.json"), "{text}");
    let (code, text) = try_document("broken.json", b"{\"id\": ".to_vec());
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("not a usable DID document"), "{text}");
    let mut none = good.clone();
    none.insert("assertionMethod".into(), json!([]));
    let (code, text) = try_document("none.json", serde_json::to_vec(&none).unwrap());
    assert_eq!(code, Some(2), "{text}");
    assert!(text.to_lowercase().contains("assertion"), "{text}");
    // A document for another DID: the credential's issuer stays unresolved.
    let other = serde_json::to_string(&good)
        .unwrap()
        .replace("formation.example.org", "other.example.org");
    let (code, text) = try_document("other.json", other.into_bytes());
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains(&format!(
            "INVALID issuer not resolved: the DID document of {DID}"
        )),
        "{text}"
    );
}

#[test]
fn bad_status_lists_leave_the_status_unchecked_and_say_why() {
    let org = Org::new(false);
    let ada = org.issue("Ada Lovelace");
    org.publish();
    let key = org.key("issuer.key");
    let method = read_json(&ada)["proof"][0]["verificationMethod"]
        .as_str()
        .unwrap()
        .to_owned();
    let list_url = format!("{LISTS}revocation-1.json");
    let good = read_json(&org.site("status/revocation-1.json"));
    let check = |name: &str, list: &Path| {
        let output = brevet(&org.verifier())
            .arg("verify")
            .arg(&ada)
            .arg("--did-document")
            .arg(org.site(".well-known/did.json"))
            .arg("--status-list")
            .arg(list)
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        assert_eq!(output.status.code(), Some(0), "{name}: {text}");
        let line = text
            .lines()
            .find(|l| l.starts_with("  status"))
            .unwrap_or_default()
            .to_owned();
        assert!(line.contains("not checked:"), "{name}: {text}");
        line
    };
    let signed_list = |name: &str, encoded: &str| {
        let mut list = good.clone();
        list["credentialSubject"]["encodedList"] = json!(encoded);
        let path = org.path(name);
        resign(list, &key, &method, &path);
        path
    };
    let gzip = |bytes: &[u8]| {
        use std::io::Write as _;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    };
    use base64::Engine as _;
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let full = gzip(&[0u8; 16_384]);

    let line = check(
        "short",
        &signed_list("short.json", &format!("u{}", b64(&gzip(&[0u8; 1000])))),
    );
    assert!(
        line.contains("131072") || line.contains("131,072"),
        "{line}"
    );
    let line = check(
        "not gzip",
        &signed_list("raw.json", &format!("u{}", b64(&[0u8; 16_384]))),
    );
    assert!(line.to_lowercase().contains("gzip"), "{line}");
    let line = check("no u", &signed_list("nou.json", &b64(&full)));
    assert!(line.contains("`u`"), "{line}");
    // Signed by someone else.
    let stranger = IssuerKey::from_seed(&[7; 32]);
    let mut foreign = good.clone();
    foreign["issuer"] = json!(stranger.did().to_string());
    resign(
        foreign,
        &stranger,
        &stranger.did().verification_method(),
        &org.path("foreign.json"),
    );
    let line = check("foreign", &org.path("foreign.json"));
    assert!(
        line.contains(&format!("signed by {}", stranger.did())),
        "{line}"
    );
    // A list whose own proof does not hold.
    let mut tampered = good.clone();
    tampered["validFrom"] = json!("2020-01-01T00:00:00Z");
    std::fs::write(
        org.path("tampered.json"),
        serde_json::to_vec(&tampered).unwrap(),
    )
    .unwrap();
    let line = check("tampered", &org.path("tampered.json"));
    assert!(line.contains("its own proof does not hold"), "{line}");
    // A credential whose place is beyond the list's end.
    let mut far = read_json(&ada);
    far["credentialStatus"]["statusListIndex"] = json!("200000");
    far["credentialStatus"]["id"] = json!(format!("{list_url}#200000"));
    let far_path = org.path("far.json");
    resign(far, &key, &method, &far_path);
    let output = brevet(&org.verifier())
        .arg("verify")
        .arg(&far_path)
        .arg("--did-document")
        .arg(org.site(".well-known/did.json"))
        .arg("--status-list")
        .arg(org.site("status/revocation-1.json"))
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains("not checked:") && text.contains("200000"),
        "{text}"
    );
}

/// The organisation's site served over HTTPS on loopback (a test
/// certificate authority): `brevet verify --online` resolves the did:web and
/// fetches the lists, once each per run, and says which domain vouches.
#[test]
fn online_verification_fetches_from_the_issuers_own_site() {
    let site_dir = tempfile::tempdir().unwrap();
    let server = https::Server::start(vec![(
        "/".into(),
        https::Reply::Dir(site_dir.path().to_path_buf()),
    )]);
    let host = format!("localhost:{}", server.port);
    let did = format!("did:web:localhost%3A{}", server.port);
    let lists = server.url("/status/");
    let org = Org::with(&did, &lists, true);
    let [ada, alan, grace] = ["Ada Lovelace", "Alan Turing", "Grace Hopper"].map(|l| org.issue(l));
    let publish = || {
        org.issuer(&["publish", "--out", site_dir.path().to_str().unwrap()])
            .success();
    };
    publish();
    let ca = data::path("tls/ca.pem");
    let verify_online = |files: &[&Path], extra: &[&str]| {
        let output = brevet(&org.verifier())
            .args(["verify", "--online", "--ca-file"])
            .arg(&ca)
            .args(files)
            .args(extra)
            .output()
            .unwrap();
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8(output.stdout).unwrap() + &String::from_utf8(output.stderr).unwrap(),
        )
    };
    let before = server.requests().len();
    let (code, report) = verify_online(&[&ada, &alan, &grace], &[]);
    assert_eq!(code, 0, "{report}");
    assert!(
        report.contains(&format!(
            "is not in your trust list; the domain {host} vouches for its key (https://{host}/.well-known/did.json)"
        )),
        "{report}"
    );
    assert!(report.contains("neither revoked nor suspended"), "{report}");
    // Once each per run, however many credentials point to them.
    let mut asked: Vec<String> = server.requests()[before..].to_vec();
    asked.sort();
    assert_eq!(
        asked,
        [
            "/.well-known/did.json",
            "/status/revocation-1.json",
            "/status/suspension-1.json"
        ]
    );

    org.issuer(&["revoke", alan.to_str().unwrap(), "--reason", "fraud"])
        .success();
    org.issuer(&["suspend", grace.to_str().unwrap(), "--reason", "inquiry"])
        .success();
    publish();
    let (code, report) = verify_online(&[&ada, &alan, &grace], &[]);
    assert_eq!(code, 1, "{report}");
    assert!(verdict_line(&report, &ada).ends_with("VALID"), "{report}");
    assert!(
        verdict_line(&report, &alan).contains("INVALID revoked"),
        "{report}"
    );
    assert!(
        verdict_line(&report, &grace).contains("INVALID suspended"),
        "{report}"
    );
    // The same, from the badge and the certificate that carry Alan's
    // credential: their status lists are fetched too.
    for carrier in ["png", "svg", "pdf"] {
        let (code, report) = verify_online(&[&alan.with_extension(carrier)], &[]);
        assert_eq!(code, 1, "{carrier}: {report}");
        assert!(report.contains("INVALID revoked"), "{carrier}: {report}");
    }
    // A list given as a file is checked once the issuer's document is
    // fetched.
    let list_file = site_dir.path().join("status/revocation-1.json");
    let (code, report) = verify_online(&[&alan], &["--status-list", list_file.to_str().unwrap()]);
    assert_eq!(code, 1, "{report}");
    assert!(
        verdict_line(&report, &alan).contains("INVALID revoked"),
        "{report}"
    );

    // A key rotation: the earlier three keep their verdicts, a new one
    // verifies with the new key.
    org.issuer(&["rotate", "--no-passphrase"]).success();
    publish();
    let katherine = org.issue("Katherine Johnson");
    let (code, report) = verify_online(&[&ada, &alan, &grace, &katherine], &[]);
    assert_eq!(code, 1, "{report}");
    assert!(verdict_line(&report, &ada).ends_with("VALID"), "{report}");
    assert!(
        verdict_line(&report, &alan).contains("INVALID revoked"),
        "{report}"
    );
    assert!(
        verdict_line(&report, &grace).contains("INVALID suspended"),
        "{report}"
    );
    assert!(
        verdict_line(&report, &katherine).ends_with("VALID"),
        "{report}"
    );

    // Without the test authority, the server is not trusted: said, per file.
    let output = brevet(&org.verifier())
        .args(["verify", "--online"])
        .arg(&ada)
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("certificate is not trusted"), "{text}");
    // A tampered credential (its list moved to a tracking address) sends
    // nothing out for its status: only genuine credentials' lists are
    // fetched.
    let mut tampered = read_json(&ada);
    tampered["credentialStatus"][0]["statusListCredential"] = json!(server.url("/tracking"));
    let tampered_path = org.path("tampered.json");
    std::fs::write(&tampered_path, serde_json::to_vec(&tampered).unwrap()).unwrap();
    let (code, report) = verify_online(&[&tampered_path], &[]);
    assert_eq!(code, 1, "{report}");
    assert!(
        !server.requests().iter().any(|r| r == "/tracking"),
        "{:?}",
        server.requests()
    );
    // Without --online, nothing goes out.
    let before = server.requests().len();
    let output = brevet(&org.verifier())
        .arg("verify")
        .arg(&ada)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(server.requests().len(), before, "nothing fetched offline");
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .contains("is not at hand")
    );
}

/// What the issuer's site serves is checked like a file given offline:
/// a DID document that is huge, malformed, for another DID or without an
/// assertion key leaves the issuer unresolved, with the reason, per file.
#[test]
fn a_bad_did_document_online_leaves_the_issuer_unresolved_and_says_why() {
    let site_dir = tempfile::tempdir().unwrap();
    let server = https::Server::start(vec![(
        "/".into(),
        https::Reply::Dir(site_dir.path().to_path_buf()),
    )]);
    let did = format!("did:web:localhost%3A{}", server.port);
    let org = Org::with(&did, &server.url("/status/"), false);
    let ada = org.issue("Ada Lovelace");
    org.issuer(&["publish", "--out", site_dir.path().to_str().unwrap()])
        .success();
    let document = site_dir.path().join(".well-known/did.json");
    let good = std::fs::read_to_string(&document).unwrap();
    let verdict = |served: &[u8]| {
        std::fs::write(&document, served).unwrap();
        let output = brevet(&org.verifier())
            .args(["verify", "--online", "--ca-file"])
            .arg(data::path("tls/ca.pem"))
            .arg(&ada)
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        assert_eq!(output.status.code(), Some(1), "{text}");
        verdict_line(&text, &ada).to_owned()
    };
    let line = verdict(&vec![b' '; 100_000]);
    assert!(
        line.contains("issuer not resolved") && line.contains("larger than 65536 bytes"),
        "{line}"
    );
    let line = verdict(b"{\"id\": \"did:web:");
    assert!(line.contains("not valid JSON"), "{line}");
    let line = verdict(good.replace(&did, "did:web:example.org").as_bytes());
    assert!(line.contains("did:web:example.org"), "{line}");
    let mut none: Value = serde_json::from_str(&good).unwrap();
    none["assertionMethod"] = json!([]);
    let line = verdict(&serde_json::to_vec(&none).unwrap());
    assert!(line.to_lowercase().contains("assertion"), "{line}");
    // Served right again: valid.
    std::fs::write(&document, &good).unwrap();
    brevet(&org.verifier())
        .args(["verify", "--online", "--ca-file"])
        .arg(data::path("tls/ca.pem"))
        .arg(&ada)
        .assert()
        .success();
}

/// `--trust DID` pins: only those issuers, whatever the trust folder says.
#[test]
fn trust_on_the_command_line_pins_the_issuers() {
    let org = Org::new(false);
    let ada = org.issue("Ada Lovelace");
    org.publish();
    let trust = org.verifier().join("trust");
    std::fs::create_dir_all(&trust).unwrap();
    std::fs::write(
        trust.join("issuers.toml"),
        format!("[[issuer]]\ndid = \"{DID}\"\nname = \"Formation\"\n"),
    )
    .unwrap();
    std::fs::copy(
        org.site(".well-known/did.json"),
        trust.join("formation.json"),
    )
    .unwrap();
    let other = IssuerKey::from_seed(&[9; 32]);
    let run = |pin: &str| {
        brevet(&org.verifier())
            .args(["verify", "--trust", pin])
            .arg(&ada)
            .output()
            .unwrap()
    };
    let output = run(&other.did().to_string());
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("INVALID untrusted issuer"), "{text}");
    let output = run(DID);
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains("established: in your trust list as Formation"),
        "{text}"
    );
}

/// An issuer that moves from a did:key to a did:web keeps the same list
/// folder: its new credentials go to a list of their own, which it signs;
/// the lists of the did:key credentials are left to the did:key issuer.
#[test]
fn each_list_is_one_issuers() {
    let org = Org::new(false);
    let toml = std::fs::read_to_string(org.path("issuer.toml")).unwrap();
    std::fs::write(
        org.path("issuer.toml"),
        toml.replace(&format!("did = \"{DID}\"\n"), ""),
    )
    .unwrap();
    let before = org.issue("Ada Lovelace");
    assert_eq!(
        read_json(&before)["credentialStatus"]["statusListCredential"],
        format!("{LISTS}revocation-1.json")
    );
    std::fs::write(org.path("issuer.toml"), &toml).unwrap();
    let after = org.issue("Alan Turing");
    assert_eq!(
        read_json(&after)["credentialStatus"]["statusListCredential"],
        format!("{LISTS}revocation-2.json")
    );
    org.publish();
    assert!(org.site("status/revocation-2.json").is_file());
    assert!(
        !org.site("status/revocation-1.json").exists(),
        "not this issuer's list"
    );
    let list = read_json(&org.site("status/revocation-2.json"));
    assert_eq!(list["issuer"], DID);
}

#[test]
fn the_issuer_commands_refuse_what_they_cannot_do() {
    let org = Org::new(false);
    let ada = org.issue("Ada Lovelace");
    // A mistyped file is not taken for an id.
    org.issuer(&["revoke", "out/nope.json", "--reason", "x"])
        .code(2)
        .stderr(predicates::str::contains("out/nope.json: no such file"));
    org.issuer(&["revoke", ada.to_str().unwrap(), "--reason", "  "])
        .code(2)
        .stderr(predicates::str::contains("--reason is empty"));
    // Earlier keys written as an inline array: rotate cannot append a
    // table; nothing changes, no key file is left behind.
    let toml = std::fs::read_to_string(org.path("issuer.toml")).unwrap();
    let key = IssuerKey::from_seed(&[5; 32]).did().multibase().to_owned();
    let inline = format!("{toml}previous_keys = [{{ public = \"{key}\" }}]\n");
    std::fs::write(org.path("issuer.toml"), &inline).unwrap();
    org.issuer(&["rotate", "--no-passphrase"])
        .code(2)
        .stderr(predicates::str::contains("inline array"));
    assert_eq!(
        std::fs::read_to_string(org.path("issuer.toml")).unwrap(),
        inline
    );
    assert!(!org.path("issuer-2.key").exists());
    // The signing key listed among the earlier ones is refused.
    let current = org.key("issuer.key").did().multibase().to_owned();
    std::fs::write(
        org.path("issuer.toml"),
        format!("{toml}\n[[previous_keys]]\npublic = \"{current}\"\n"),
    )
    .unwrap();
    org.issuer(&["did-document"])
        .code(2)
        .stderr(predicates::str::contains(
            "also listed under [[previous_keys]]",
        ));
}

/// `brevet paper` checks a did:web credential with its DID document.
#[test]
fn an_auditor_checks_a_did_web_credential() {
    let org = Org::new(false);
    let ada = org.issue("Ada Lovelace");
    org.publish();
    brevet(&org.verifier())
        .args(["paper", &demo(), "--credential"])
        .arg(&ada)
        .arg("--did-document")
        .arg(org.site(".well-known/did.json"))
        .assert()
        .success()
        .stderr(predicates::str::contains("credential: valid"));
}
