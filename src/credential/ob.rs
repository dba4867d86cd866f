//! The Open Badges 3.0 `OpenBadgeCredential` brevet issues, built from a
//! plain description of a mastered attempt.
//!
//! Open Badges properties are used wherever one exists (issuer profile and
//! address, achievement with `achievementType` `MicroCredential`, EQF level
//! as an alignment, ECTS as `creditsAvailable`, the threshold as a
//! `ResultDescription`'s `requiredValue`, the score as a `Result`). The EU
//! micro-credential elements Open Badges has no property for go into three
//! clearly named extension objects, documented in `docs/credential.md`:
//! `achievement.euMicroCredential` (what the achievement is),
//! `credentialSubject.euMicroCredential` (how this learner was assessed) and
//! `evidence[0].brevetAttempt` (what identifies the attempt).

use super::country::is_country_code;
use super::did::DidKey;
use super::did_web::DidWeb;
use super::format_datetime;
use super::key::IssuerKey;
use super::proof::{self, Cryptosuite, SignError};
use super::status;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

/// The W3C Verifiable Credentials 2.0 context, always first.
pub const VC_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
/// The Open Badges 3.0 context, always second.
pub const OB_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// The Open Badges extensions context, which defines the
/// `1EdTechJsonSchemaValidator2019` of `credentialSchema`.
pub const OB_EXTENSIONS_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json";
/// The official OB 3.0 JSON Schema, named in `credentialSchema`.
pub const OB_SCHEMA: &str =
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";
/// The namespace of brevet's own terms (see `docs/credential.md`).
pub const BREVET_VOCAB: &str = "https://w3id.org/brevet/vocab#";
/// The namespace of the European Learning Model 3.
pub const ELM: &str = "http://data.europa.eu/snb/model/elm/";
/// ELM "mode of learning and assessment": online.
pub const MODE_ONLINE: &str = "http://data.europa.eu/snb/learning-assessment/920fbb3cbe";
/// ELM "mode of learning and assessment": presential (in a room).
pub const MODE_PRESENTIAL: &str = "http://data.europa.eu/snb/learning-assessment/9191af2ed9";
/// ELM "methods of supervision and verification": unsupervised without ID
/// verification (the only one of the list a brevet attempt can claim
/// without a proctor).
pub const UNSUPERVISED_NO_ID: &str =
    "http://data.europa.eu/snb/supervision-verification/c598449d64";

/// Every version of brevet's inline context ever issued, oldest first: the
/// last one goes into new credentials, and a credential that carries any of
/// them stays readable. A released version never changes (a test pins
/// each file's SHA-256); a change of terms is a new file added here.
pub const BREVET_CONTEXTS: &[&str] = &[include_str!("contexts/brevet-1.json")];

/// The context that defines every term brevet adds to Open Badges: ELM 3
/// terms where ELM has one, brevet's vocabulary ([`BREVET_VOCAB`]) for the
/// rest. It travels inline, after the standard context URLs, so that no
/// verifier has to fetch anything. This is the newest of
/// [`BREVET_CONTEXTS`].
pub fn brevet_context() -> Value {
    brevet_context_ref().clone()
}

/// [`brevet_context`], parsed once.
pub fn brevet_context_ref() -> &'static Value {
    brevet_contexts()
        .last()
        .expect("brevet ships at least one context")
}

/// Every one of [`BREVET_CONTEXTS`], parsed once.
pub fn brevet_contexts() -> &'static [Value] {
    static CONTEXTS: std::sync::LazyLock<Vec<Value>> = std::sync::LazyLock::new(|| {
        BREVET_CONTEXTS
            .iter()
            .map(|text| serde_json::from_str(text).expect("brevet's contexts are JSON"))
            .collect()
    });
    &CONTEXTS
}

/// The European Commission's description of the eight EQF levels.
pub const EQF_URL: &str = "https://europa.eu/europass/en/description-eight-eqf-levels";

/// Everything a credential states, as plain values.
#[derive(Debug, Clone, PartialEq)]
pub struct CredentialInput {
    /// The credential's own id (`urn:uuid:…`, see [`credential_id`]).
    pub id: String,
    /// Who awards it.
    pub issuer: Issuer,
    /// What is certified: the exam.
    pub achievement: Achievement,
    /// Who earned it.
    pub learner: Learner,
    /// How well.
    pub score: Score,
    /// When: the credential is valid from then, and the proof created then.
    pub issued_at: DateTime<Utc>,
    /// What identifies the attempt.
    pub evidence: AttemptEvidence,
    /// How the exam was supervised.
    pub supervision: Supervision,
    /// Issued by brevet's local demo issuer: labelled as not for real
    /// certification.
    pub demo_issuer: bool,
    /// Its places in the issuer's status lists (`credentialStatus`): one
    /// entry is written as an object, as the Open Badges 3.0 schema wants;
    /// several as an array, as Verifiable Credentials 2.0 allows.
    pub status: Vec<status::Entry>,
}

/// The awarding body.
#[derive(Debug, Clone, PartialEq)]
pub struct Issuer {
    /// Its name.
    pub name: String,
    /// Its web site.
    pub url: String,
    /// Its country, ISO 3166-1 alpha-2 (`FR`); `None` claims none (the
    /// demo issuer).
    pub country: Option<String>,
    /// Its region, where it has one.
    pub region: Option<String>,
    /// Its quality assurance (accreditation, certification), in its words.
    pub quality_assurance: Option<String>,
    /// Whether its credentials carry accommodations (extra time) and
    /// proctoring counts. Off by default: extra time is usually tied to a
    /// disability, and every employer who opens the file would see it; the
    /// journal and the room's results keep both.
    pub include_accommodations: bool,
    /// Its DID: the credential's `issuer.id`.
    pub did: IssuerDid,
}

/// An issuer's DID: its key itself (`did:key`, the demo issuer and tests)
/// or an organisation's web domain (`did:web`), whose DID document lists
/// its keys, current and earlier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssuerDid {
    /// The key is the identifier.
    Key(DidKey),
    /// A domain publishes the keys.
    Web(DidWeb),
}

impl From<DidKey> for IssuerDid {
    fn from(key: DidKey) -> Self {
        IssuerDid::Key(key)
    }
}

impl std::fmt::Display for IssuerDid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IssuerDid::Key(key) => key.fmt(f),
            IssuerDid::Web(web) => web.fmt(f),
        }
    }
}

impl IssuerDid {
    /// The verification method by which `key` signs for this DID.
    ///
    /// # Errors
    /// A `did:key` is only its own key's.
    pub fn method_for(&self, key: &DidKey) -> Result<String, IssueError> {
        match self {
            IssuerDid::Key(did) if did == key => Ok(key.verification_method()),
            IssuerDid::Key(did) => Err(IssueError::WrongKey {
                key: key.to_string(),
                issuer: did.to_string(),
            }),
            IssuerDid::Web(web) => Ok(web.method_id(key)),
        }
    }
}

/// The achievement: one exam (skill block) in one version.
#[derive(Debug, Clone, PartialEq)]
pub struct Achievement {
    /// The exam's id.
    pub exam_id: String,
    /// The exam's version.
    pub version: String,
    /// Title of the micro-credential.
    pub title: String,
    /// The skill block the exam certifies (a "bloc de compétences").
    pub skill_block: Option<String>,
    /// What it covers.
    pub description: String,
    /// How it is earned, in words.
    pub criteria: String,
    /// Language tag of the exam (`fr`, `en-GB`).
    pub language: String,
    /// What a holder can do.
    pub learning_outcomes: Vec<String>,
    /// Notional workload of the learning, in hours.
    pub workload_hours: f64,
    /// ECTS credits, where the learning awards them.
    pub ects: Option<f64>,
    /// EQF level (1 to 8), where it applies.
    pub eqf_level: Option<u8>,
    /// What a learner needs before.
    pub prerequisites: Vec<String>,
    /// How it stacks into larger credentials.
    pub stackability: Option<String>,
    /// The badge's picture, as an address (`data:` or `https:`): the
    /// achievement's `image`.
    pub image: Option<String>,
}

/// The learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Learner {
    /// Name, as written on the credential.
    pub name: String,
    /// The issuer's id for the learner, when there is one.
    pub id: Option<String>,
    /// The learner's e-mail address (normalised, see
    /// [`super::identity::normalise_email`]): the credential carries it
    /// hashed with a salt of its own.
    pub email: Option<String>,
}

/// The score against the threshold, both in percent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    /// The learner's overall score.
    pub percent: f64,
    /// The score needed for mastery.
    pub threshold_percent: f64,
    /// Whether the attempt reached mastery (overall and every section minimum).
    pub passed: bool,
}

/// What identifies the attempt, for audits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptEvidence {
    /// SHA-256 of the exam bank file, hex.
    pub bank_sha256: String,
    /// The seed the paper was drawn from.
    pub seed: u64,
    /// SHA-256 of the last journal entry (the head of the hash chain), hex.
    pub journal_head_sha256: String,
    /// Proctoring events recorded during the attempt.
    pub proctoring: ProctoringCounts,
    /// Extra time granted, in percent of the time limit (0 when none).
    pub extra_time_percent: u32,
}

/// How many proctoring events of each kind the journal recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProctoringCounts {
    /// The terminal lost focus.
    pub focus_lost: u32,
    /// Text was pasted.
    pub paste: u32,
    /// The terminal was resized.
    pub resize: u32,
    /// The attempt was resumed after an interruption.
    pub resume: u32,
    /// A proctor granted extra time (kiosk).
    pub extra_time: u32,
    /// A proctor ended the attempt (kiosk).
    pub ended_by_proctor: u32,
}

/// How the exam was supervised: the credential claims no more than this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Supervision {
    /// On the learner's own device, nobody watching (`brevet run`).
    Unsupervised,
    /// In a training room with a proctor (kiosk mode).
    SupervisedOnsite {
        /// The proctor checked the learner's identity.
        identity_verified: bool,
    },
}

/// Why the input cannot make a credential.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// A required text is empty.
    #[error("{0} is empty")]
    Empty(&'static str),
    /// Not an ISO 3166-1 alpha-2 country code.
    #[error("`{0}` is not an ISO 3166-1 alpha-2 country code (e.g. `FR`)")]
    Country(String),
    /// Not a language tag.
    #[error("bad language tag: {0}")]
    Language(String),
    /// Not an http(s) URL.
    #[error("the issuer URL `{0}` must start with https:// or http://")]
    Url(String),
    /// A percentage outside 0 to 100, or a bad number.
    #[error("{0} must be a number from 0 to 100")]
    Percent(&'static str),
    /// A workload or credit count that is not a positive number.
    #[error("{0} must be a positive number")]
    Positive(&'static str),
    /// An EQF level outside 1 to 8.
    #[error("EQF level {0} does not exist (1 to 8)")]
    EqfLevel(u8),
    /// Not a SHA-256 in lowercase hex.
    #[error("{0} must be a SHA-256 in lowercase hex (64 digits)")]
    Sha256(&'static str),
}

/// Why a credential cannot be issued.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IssueError {
    /// The input is not valid.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// The key is not the issuer's.
    #[error("the signing key is {key}, but the issuer is {issuer}")]
    WrongKey {
        /// The key's did.
        key: String,
        /// The issuer's did.
        issuer: String,
    },
    /// Signing failed.
    #[error(transparent)]
    Sign(#[from] SignError),
}

/// A credential id, `urn:uuid:…`, from 16 random bytes (a version 4 UUID).
pub fn credential_id(random: [u8; 16]) -> String {
    let mut b = random;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Builds the unsigned credential.
///
/// # Errors
/// The first input value that cannot go into a credential.
pub fn build(input: &CredentialInput) -> Result<Map<String, Value>, BuildError> {
    check(input)?;
    let a = &input.achievement;
    let achievement_id = format!(
        "urn:brevet:exam:{}:{}",
        urn_part(&a.exam_id),
        urn_part(&a.version)
    );
    let result_id = format!("{achievement_id}#score");
    let t = Texts::for_language(&a.language);
    let mut name = a.title.clone();
    if input.demo_issuer {
        name.push_str(t.demo_suffix);
    }
    let issued = format_datetime(input.issued_at);
    let mut subject = json!({
        "type": ["AchievementSubject"],
        "identifier": identifiers(&input.learner, &input.id),
        "achievement": achievement(a, &achievement_id, &result_id, input, &t),
        "result": [{
            "type": ["Result"],
            "resultDescription": result_id,
            "value": percent_text(input.score.percent),
            "status": if input.score.passed { "Completed" } else { "Failed" },
        }],
    });
    assessment(&mut subject, input.supervision);
    let document = json!({
        "@context": [VC_CONTEXT, OB_CONTEXT, OB_EXTENSIONS_CONTEXT, brevet_context()],
        "id": input.id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name,
        "description": a.description,
        "issuer": issuer(&input.issuer, input.demo_issuer, &t),
        "validFrom": issued,
        "awardedDate": issued,
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
        "credentialSubject": subject,
        "evidence": [evidence(&input.evidence, input.issuer.include_accommodations, &t)],
    });
    let Value::Object(mut map) = document else {
        unreachable!("json! of an object literal is an object")
    };
    match input.status.as_slice() {
        [] => {}
        [one] => {
            map.insert("credentialStatus".into(), one.to_json());
        }
        many => {
            let entries = many.iter().map(status::Entry::to_json).collect();
            map.insert("credentialStatus".into(), Value::Array(entries));
        }
    }
    Ok(map)
}

/// The fixed sentences of a credential, in its language.
struct Texts {
    demo_suffix: &'static str,
    demo_description: &'static str,
    overall_score: &'static str,
    assessment_type: &'static str,
    evidence_name: &'static str,
    evidence_narrative: &'static str,
}

impl Texts {
    fn for_language(tag: &str) -> Texts {
        if tag.to_ascii_lowercase().starts_with("fr") {
            Texts {
                demo_suffix: " (émetteur de démonstration, sans valeur de certification)",
                demo_description: "Émetteur de démonstration créé par brevet sur l’ordinateur de l’apprenant : ses certificats n’ont pas valeur de certification.",
                overall_score: "Score global",
                assessment_type: "Examen chronométré, corrigé automatiquement",
                evidence_name: "Tentative d’examen",
                evidence_narrative: "La tentative qui a obtenu ce certificat : la banque de questions et le journal de la tentative sont identifiés par leur SHA-256, la copie par sa graine.",
            }
        } else {
            Texts {
                demo_suffix: " (demo issuer, not for real certification)",
                demo_description: "Demo issuer created by brevet on the learner's computer: its credentials are not for real certification.",
                overall_score: "Overall score",
                assessment_type: "Timed exam, automatically scored",
                evidence_name: "Exam attempt",
                evidence_narrative: "The attempt that earned this credential: the exam bank and the attempt journal are identified by their SHA-256, the paper by its seed.",
            }
        }
    }
}

/// Builds the credential and signs it with `key`, the proof created at the
/// time of issue.
///
/// # Errors
/// Bad input, or a key that is not the issuer's.
pub fn issue(
    input: &CredentialInput,
    key: &IssuerKey,
    suite: Cryptosuite,
) -> Result<Map<String, Value>, IssueError> {
    let method = input.issuer.did.method_for(key.did())?;
    let document = build(input)?;
    Ok(proof::sign_as(
        document,
        key,
        &method,
        input.issued_at,
        suite,
    )?)
}

fn check(input: &CredentialInput) -> Result<(), BuildError> {
    let i = &input.issuer;
    let a = &input.achievement;
    let required = [
        (input.id.as_str(), "the credential id"),
        (&i.name, "the issuer name"),
        (&a.exam_id, "the exam id"),
        (&a.version, "the exam version"),
        (&a.title, "the title"),
        (&a.description, "the description"),
        (&a.criteria, "the criteria"),
        (&input.learner.name, "the learner's name"),
    ];
    for (text, what) in required {
        if text.trim().is_empty() {
            return Err(BuildError::Empty(what));
        }
    }
    if a.learning_outcomes.iter().all(|o| o.trim().is_empty()) {
        return Err(BuildError::Empty("the list of learning outcomes"));
    }
    if let Some(country) = &i.country
        && !is_country_code(country)
    {
        return Err(BuildError::Country(country.clone()));
    }
    if !(i.url.starts_with("https://") || i.url.starts_with("http://")) {
        return Err(BuildError::Url(i.url.clone()));
    }
    crate::bank::lang::check(&a.language).map_err(BuildError::Language)?;
    let percent = |v: f64| (0.0..=100.0).contains(&v);
    if !percent(input.score.percent) {
        return Err(BuildError::Percent("the score"));
    }
    if !percent(input.score.threshold_percent) {
        return Err(BuildError::Percent("the threshold"));
    }
    if !(a.workload_hours > 0.0 && a.workload_hours.is_finite()) {
        return Err(BuildError::Positive("the workload"));
    }
    if a.ects.is_some_and(|e| !(e > 0.0 && e.is_finite())) {
        return Err(BuildError::Positive("the ECTS credits"));
    }
    if let Some(level) = a.eqf_level
        && !(1..=8).contains(&level)
    {
        return Err(BuildError::EqfLevel(level));
    }
    let sha256 = |h: &str| {
        h.len() == 64
            && h.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    if !sha256(&input.evidence.bank_sha256) {
        return Err(BuildError::Sha256("the bank hash"));
    }
    if !sha256(&input.evidence.journal_head_sha256) {
        return Err(BuildError::Sha256("the journal head hash"));
    }
    Ok(())
}

fn issuer(i: &Issuer, demo: bool, t: &Texts) -> Value {
    let mut profile = json!({
        "id": i.did.to_string(),
        "type": ["Profile"],
        "name": i.name,
        "url": i.url,
    });
    if i.country.is_some() || i.region.is_some() {
        let mut address = json!({"type": ["Address"]});
        if let Some(country) = &i.country {
            address["addressCountryCode"] = json!(country);
        }
        if let Some(region) = &i.region {
            address["addressRegion"] = json!(region);
        }
        profile["address"] = address;
    }
    if demo {
        profile["description"] = json!(t.demo_description);
        profile["demoIssuer"] = json!(true);
    }
    profile
}

fn identifiers(learner: &Learner, credential_id: &str) -> Value {
    let identity = |kind: &str, value: &str| json!({"type": "IdentityObject", "identityType": kind, "hashed": false, "identityHash": value});
    let mut list = vec![identity("name", &learner.name)];
    if let Some(id) = &learner.id {
        list.push(identity("identifier", id));
    }
    if let Some(email) = &learner.email {
        let salt = super::identity::salt_for(credential_id);
        list.push(super::identity::email_identity(email, &salt));
    }
    Value::Array(list)
}

fn achievement(
    a: &Achievement,
    id: &str,
    result_id: &str,
    input: &CredentialInput,
    t: &Texts,
) -> Value {
    let mut achievement = json!({
        "id": id,
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": a.title,
        "description": a.description,
        "criteria": {"narrative": a.criteria},
        "inLanguage": a.language,
        "version": a.version,
        "humanCode": a.exam_id,
        "resultDescription": [{
            "id": result_id,
            "type": ["ResultDescription"],
            "name": t.overall_score,
            "resultType": "Percent",
            "requiredValue": percent_text(input.score.threshold_percent),
            "valueMin": "0",
            "valueMax": "100",
        }],
        "learningOutcome": a.learning_outcomes.iter().filter(|o| !o.trim().is_empty()).collect::<Vec<_>>(),
        "volumeOfLearning": hours_duration(a.workload_hours),
        "assessmentType": t.assessment_type,
    });
    if let Some(ects) = a.ects {
        achievement["creditsAvailable"] = number(ects);
    }
    if let Some(level) = a.eqf_level {
        achievement["alignment"] = json!([{
            "type": ["Alignment"],
            "targetName": format!("EQF level {level}"),
            "targetCode": level.to_string(),
            "targetFramework": "European Qualifications Framework",
            "targetUrl": EQF_URL,
        }]);
    }
    if let Some(block) = &a.skill_block {
        achievement["skillBlock"] = json!(block);
    }
    if let Some(image) = &a.image {
        achievement["image"] = json!({"id": image, "type": "Image", "caption": a.title});
    }
    if !a.prerequisites.is_empty() {
        achievement["entryRequirement"] = json!(a.prerequisites);
    }
    if let Some(stackability) = &a.stackability {
        achievement["stackability"] = json!(stackability);
    }
    if let Some(qa) = &input.issuer.quality_assurance {
        achievement["qualityAssurance"] = json!(qa);
    }
    achievement
}

/// A workload in hours as an `xsd:duration` (`PT50H`, `PT7.5H`).
fn hours_duration(hours: f64) -> String {
    match number(hours) {
        Value::Number(n) => format!("PT{n}H"),
        other => format!("PT{other}H"),
    }
}

/// How this learner was assessed: exactly what happened, nothing more.
fn assessment(subject: &mut Value, supervision: Supervision) {
    let (mode, supervised, identity) = match supervision {
        Supervision::Unsupervised => (MODE_ONLINE, "unsupervised", "none"),
        Supervision::SupervisedOnsite { identity_verified } => (
            MODE_PRESENTIAL,
            "supervised-onsite",
            if identity_verified {
                "verified-onsite"
            } else {
                "none"
            },
        ),
    };
    subject["learningMode"] = json!(mode);
    subject["supervision"] = json!(supervised);
    subject["identityVerification"] = json!(identity);
    if supervision == Supervision::Unsupervised {
        subject["idVerification"] = json!(UNSUPERVISED_NO_ID);
    }
}

fn evidence(e: &AttemptEvidence, accommodations: bool, t: &Texts) -> Value {
    let mut attempt = json!({
        "bankSha256": e.bank_sha256,
        // A string: a seed above 2^53 is no exact JSON number.
        "seed": e.seed.to_string(),
        "journalHeadSha256": e.journal_head_sha256,
    });
    if accommodations {
        attempt["proctoringEvents"] = json!({
            "focusLost": e.proctoring.focus_lost,
            "paste": e.proctoring.paste,
            "resize": e.proctoring.resize,
            "resume": e.proctoring.resume,
            "extraTime": e.proctoring.extra_time,
            "endedByProctor": e.proctoring.ended_by_proctor,
        });
        attempt["extraTimePercent"] = json!(e.extra_time_percent);
    }
    json!({
        "type": ["Evidence"],
        "name": t.evidence_name,
        "narrative": t.evidence_narrative,
        "examAttempt": attempt,
    })
}

/// A JSON number, integral when the value is (`50`, not `50.0`: the same to
/// JCS, friendlier to people reading the file).
fn number(value: f64) -> Value {
    // Exact below 2^53; the checks in `check` keep values small and finite.
    if value.fract() == 0.0 && value.abs() < 9_007_199_254_740_992.0 {
        json!(value as i64) // integral and below 2^53: exact
    } else {
        json!(value)
    }
}

/// A percentage as OB writes results (a string): at most two decimals,
/// no trailing zeros (`82.5`, `70`, `66.67`).
fn percent_text(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_owned()
}

/// Percent-encodes what a URN part must not hold raw.
fn urn_part(text: &str) -> String {
    super::did_web::percent_encode_text(text, b"-._")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_released_context_never_changes() {
        use sha2::{Digest, Sha256};
        // Credentials carry these contexts inline and are verified against
        // them byte for byte: to change a term, add a version.
        let pinned = ["3a2ab82cacbb6b18d1dd905979d5dc43924114bfe1e8f11b342f3cf83411d267"];
        assert_eq!(BREVET_CONTEXTS.len(), pinned.len(), "pin the new version");
        for (text, sha) in BREVET_CONTEXTS.iter().zip(pinned) {
            let got: String = Sha256::digest(text.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(got, sha);
        }
        assert_eq!(brevet_contexts().len(), BREVET_CONTEXTS.len());
    }

    #[test]
    fn credential_ids_are_version_4_uuids() {
        let id = credential_id([0xff; 16]);
        assert_eq!(id, "urn:uuid:ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(
            credential_id([0; 16]),
            "urn:uuid:00000000-0000-4000-8000-000000000000"
        );
    }

    #[test]
    fn percentages_read_naturally() {
        assert_eq!(percent_text(82.5), "82.5");
        assert_eq!(percent_text(70.0), "70");
        assert_eq!(percent_text(100.0), "100");
        assert_eq!(percent_text(0.0), "0");
        assert_eq!(percent_text(200.0 / 3.0), "66.67");
        assert_eq!(percent_text(12.346), "12.35");
    }

    #[test]
    fn urn_parts_are_escaped() {
        assert_eq!(urn_part("net-sec_2.1"), "net-sec_2.1");
        assert_eq!(urn_part("v 1/é"), "v%201%2F%C3%A9");
    }
}
