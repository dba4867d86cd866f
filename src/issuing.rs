//! Issuing at the end of a mastered attempt: who the issuer is (its
//! `issuer.toml` and key, or the local demo issuer), what the credential
//! says about the exam and the attempt, and where the file goes.
//!
//! This is an edge module: it reads the issuer's files and writes the
//! credential. What the credential contains is decided by the pure builder
//! in [`crate::credential::ob`].

use crate::atomic::{WriteOptions, write_file};
use crate::attempt::Attempt;
use crate::bank::diagnostic::Diagnostic;
use crate::bank::{Exam, Navigation};
use crate::credential::key::{IssuerKey, Passphrase};
use crate::credential::ob::{
    self, AttemptEvidence, CredentialInput, ProctoringCounts, Score, Supervision,
};
use crate::credential::proof::Cryptosuite;
use crate::scoring;
use crate::store::DataDir;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The demo issuer's key file, in the data folder.
pub const DEMO_KEY_FILE: &str = "demo-issuer.key";

/// `issuer.toml`: the awarding body and where its key is.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIssuer {
    name: Spanned<String>,
    url: Spanned<String>,
    country: Spanned<String>,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    quality_assurance: Option<String>,
    /// Put extra time and proctoring counts in credentials (default: no).
    #[serde(default)]
    include_accommodations: bool,
    key: Spanned<String>,
}

/// An issuer ready to sign: its profile and its key (in memory only).
pub struct Signer {
    issuer: ob::Issuer,
    key: IssuerKey,
    demo: bool,
    suite: Cryptosuite,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("issuer", &self.issuer.name)
            .field("did", &self.issuer.did.to_string())
            .field("demo", &self.demo)
            .finish_non_exhaustive()
    }
}

/// Why an issuer cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum IssuerError {
    /// `issuer.toml` has problems (rendered like bank diagnostics).
    #[error("{path} is not a valid issuer file:\n{rendered}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The diagnostics, rendered.
        rendered: String,
    },
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The key file could not be read (wrong passphrase, damaged file).
    #[error("{path}: {source}")]
    Key {
        /// The key file.
        path: PathBuf,
        /// Why.
        source: crate::credential::key::KeyError,
    },
}

/// Checks `issuer.toml` text; the problems are bank-style diagnostics.
///
/// # Errors
/// Every problem found.
pub fn parse_issuer(source: &str) -> Result<(ob::Issuer, String), Vec<Diagnostic>> {
    let raw: RawIssuer =
        toml::from_str(source).map_err(|e| vec![Diagnostic::from_toml("issuer-file", &e)])?;
    let mut problems = Vec::new();
    for (field, value) in [("name", &raw.name), ("key", &raw.key)] {
        if value.get_ref().trim().is_empty() {
            problems.push(
                Diagnostic::error("empty-text", format!("`{field}` is empty"), value.span())
                    .label("write something here"),
            );
        }
    }
    let url = raw.url.get_ref();
    if !(url.starts_with("https://") || url.starts_with("http://"))
        || url.contains(|c: char| c.is_whitespace() || c.is_control() || "<>\"{}|^`\\".contains(c))
    {
        problems.push(
            Diagnostic::error(
                "bad-url",
                format!("`{url}` is not a web address"),
                raw.url.span(),
            )
            .label("expected https://…")
            .help("the issuer's public web site, e.g. \"https://formation.example.org\""),
        );
    }
    if !crate::credential::country::is_country_code(raw.country.get_ref()) {
        problems.push(
            Diagnostic::error(
                "bad-country",
                format!(
                    "`{}` is not an ISO 3166-1 alpha-2 country code",
                    raw.country.get_ref()
                ),
                raw.country.span(),
            )
            .label("unknown country")
            .help("two capital letters, e.g. \"FR\", \"BE\", \"DE\""),
        );
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let key = raw.key.into_inner();
    // The did is filled in once the key is read.
    let placeholder = IssuerKey::from_seed(&[0; 32]).did().clone();
    Ok((
        ob::Issuer {
            name: raw.name.into_inner(),
            url: raw.url.into_inner(),
            country: Some(raw.country.into_inner()),
            region: raw.region,
            quality_assurance: raw.quality_assurance,
            include_accommodations: raw.include_accommodations,
            did: placeholder,
        },
        key,
    ))
}

/// A refused or unreadable input file as an I/O error on `path`.
fn input_error(path: &Path, e: crate::input::InputError) -> IssuerError {
    let source = match e {
        crate::input::InputError::Io { source, .. } => source,
        crate::input::InputError::NotAFile { kind, .. } => {
            std::io::Error::other(format!("not a regular file ({kind})"))
        }
        crate::input::InputError::TooLarge { limit, .. } => {
            std::io::Error::other(format!("larger than {limit} bytes"))
        }
    };
    IssuerError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> IssuerError + '_ {
    move |source| IssuerError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Signer {
    /// Reads `issuer.toml` and its key (a path relative to the file).
    /// An encrypted key needs `passphrase`.
    ///
    /// # Errors
    /// See [`IssuerError`].
    pub fn from_file(path: &Path, passphrase: Option<&Passphrase>) -> Result<Self, IssuerError> {
        let source = crate::input::read_text(path, crate::input::SMALL_TEXT)
            .map_err(|e| input_error(path, e))?;
        let (mut issuer, key_path) = parse_issuer(&source).map_err(|d| IssuerError::Invalid {
            path: path.to_path_buf(),
            rendered: crate::bank::diagnostic::render_text(
                &path.display().to_string(),
                &source,
                &d,
                false,
            ),
        })?;
        let key_path = path.parent().unwrap_or(Path::new(".")).join(key_path);
        let pem = zeroize::Zeroizing::new(
            crate::input::read_text(&key_path, crate::input::SMALL_TEXT)
                .map_err(|e| input_error(&key_path, e))?,
        );
        let key = IssuerKey::from_pem(&pem, passphrase).map_err(|source| IssuerError::Key {
            path: key_path.clone(),
            source,
        })?;
        issuer.did = key.did().clone();
        Ok(Self {
            issuer,
            key,
            demo: false,
            suite: Cryptosuite::EddsaRdfc2022,
        })
    }

    /// The local demo issuer: its key is created in the data folder on first
    /// use (mode 0600). Everything it signs says it is a demo issuer.
    ///
    /// # Errors
    /// The key file cannot be created or read.
    pub fn demo(data: &DataDir) -> Result<Self, IssuerError> {
        let path = data.root().join(DEMO_KEY_FILE);
        if !path.exists() {
            std::fs::create_dir_all(data.root()).map_err(io(data.root()))?;
            let mut seed = zeroize::Zeroizing::new([0u8; 32]);
            rand::TryRng::try_fill_bytes(&mut rand::rngs::SysRng, seed.as_mut()).map_err(|e| {
                IssuerError::Io {
                    path: path.clone(),
                    source: std::io::Error::other(e.to_string()),
                }
            })?;
            let pem = IssuerKey::from_seed(&seed)
                .to_pem()
                .map_err(|source| IssuerError::Key {
                    path: path.clone(),
                    source,
                })?;
            match write_file(
                &path,
                pem.as_bytes(),
                WriteOptions {
                    mode: 0o600,
                    overwrite: false,
                },
            ) {
                // Another process created it first: use theirs.
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(io(&path)(e)),
            }
        }
        let pem = zeroize::Zeroizing::new(
            crate::input::read_text(&path, crate::input::SMALL_TEXT)
                .map_err(|e| input_error(&path, e))?,
        );
        let key = IssuerKey::from_pem(&pem, None).map_err(|source| IssuerError::Key {
            path: path.clone(),
            source,
        })?;
        let issuer = ob::Issuer {
            name: "brevet local demo issuer".into(),
            url: "https://brevet.invalid/demo-issuer".into(),
            // The demo issuer is nowhere: it claims no country.
            country: None,
            region: None,
            quality_assurance: None,
            include_accommodations: false,
            did: key.did().clone(),
        };
        Ok(Self {
            issuer,
            key,
            demo: true,
            suite: Cryptosuite::EddsaRdfc2022,
        })
    }

    /// Signs with `suite` instead of the default `eddsa-rdfc-2022`.
    #[must_use]
    pub fn with_suite(mut self, suite: Cryptosuite) -> Self {
        self.suite = suite;
        self
    }

    /// Puts accommodations and proctoring counts in the credentials (as
    /// `include_accommodations = true` in `issuer.toml` does).
    #[must_use]
    pub fn with_accommodations(mut self, include: bool) -> Self {
        self.issuer.include_accommodations = include;
        self
    }

    /// Whether this is the demo issuer.
    pub fn is_demo(&self) -> bool {
        self.demo
    }

    /// The issuer's profile.
    pub fn issuer(&self) -> &ob::Issuer {
        &self.issuer
    }

    /// Signs the credential for a mastered attempt.
    ///
    /// # Errors
    /// The input does not make a valid credential.
    pub fn issue(
        &self,
        exam: &Exam,
        attempt: &Attempt,
        journal_head: &str,
        result: &scoring::Outcome,
        now: DateTime<Utc>,
        random_id: [u8; 16],
    ) -> Result<serde_json::Map<String, serde_json::Value>, ob::IssueError> {
        let input = credential_input(
            exam,
            attempt,
            journal_head,
            result,
            &self.issuer,
            self.demo,
            now,
            random_id,
        );
        ob::issue(&input, &self.key, self.suite)
    }
}

/// Signs the credential of a passed attempt, records it in the store, then
/// writes its file and marks it written: a file that never reaches the disk
/// (a kill, a full disk) is written again from the store on the next run.
///
/// # Errors
/// Signing, the store or the file failed (what was recorded stays).
#[allow(clippy::too_many_arguments)]
pub fn issue_recorded(
    store: &crate::store::Store,
    signer: &Signer,
    exam: &Exam,
    attempt_id: &str,
    attempt: &Attempt,
    journal_head: &str,
    result: &scoring::Outcome,
    out: &Path,
    now: DateTime<Utc>,
) -> anyhow::Result<PathBuf> {
    let doc = signer.issue(exam, attempt, journal_head, result, now, rand::random())?;
    let bytes = credential_bytes(&doc, out)?;
    let credential_id = doc.get("id").and_then(|v| v.as_str()).unwrap_or_default();
    store.with(|db| {
        db.record_credential(&crate::store::credentials::NewCredential {
            credential_id,
            attempt_id,
            issuer_did: &signer.key.did().to_string(),
            issued_at: now,
            bytes: &bytes,
            out_dir: out,
        })
    })?;
    let learner = &attempt.header().learner.name;
    let path = write_credential_bytes(out, &exam.meta.id, learner, now, &bytes)?;
    store.with(|db| db.credential_written(credential_id, &path, Utc::now()))?;
    Ok(path)
}

/// A credential an earlier run left unwritten, written now.
#[derive(Debug)]
pub struct Recovered {
    /// Its file.
    pub path: PathBuf,
    /// The attempt it certifies, replayed from its journal.
    pub attempt: Attempt,
    /// Its score.
    pub result: scoring::Outcome,
}

/// What an earlier run left undone for `learner` at `exam`: credentials
/// recorded but never written are written (the same bytes), and passed
/// attempts handed in without a credential (the process stopped between
/// the two) are issued now. Returns what was written, with each attempt's
/// result.
///
/// # Errors
/// The store, signing or a file failed.
pub fn recover(
    store: &crate::store::Store,
    signer: &Signer,
    exam: &Exam,
    learner_key: &str,
    out: &Path,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<Recovered>> {
    let mut written = Vec::new();
    // An attempt at another version of the bank is issued by that one.
    let replayed = |attempt_id: &str| store.replay(attempt_id, exam);
    for u in store.with(|db| db.unwritten_credentials(&exam.meta.id, learner_key))? {
        let path = write_credential_bytes(
            &u.out_dir,
            &exam.meta.id,
            &u.learner_name,
            u.issued_at,
            &u.bytes,
        )?;
        store.with(|db| db.credential_written(&u.credential_id, &path, now))?;
        if let Some((attempt, _)) = replayed(&u.attempt_id)? {
            written.push(Recovered {
                path,
                result: scoring::score(exam, &attempt),
                attempt,
            });
        }
    }
    for attempt_id in
        store.with(|db| db.submitted_without_credential(&exam.meta.id, learner_key))?
    {
        let Some((attempt, head)) = replayed(&attempt_id)? else {
            continue;
        };
        let result = scoring::score(exam, &attempt);
        if result.passed {
            let path = issue_recorded(
                store,
                signer,
                exam,
                &attempt_id,
                &attempt,
                &head,
                &result,
                out,
                now,
            )?;
            written.push(Recovered {
                path,
                attempt,
                result,
            });
        }
    }
    Ok(written)
}

/// What the credential says, from the exam, the attempt and its score.
#[allow(clippy::too_many_arguments)]
pub fn credential_input(
    exam: &Exam,
    attempt: &Attempt,
    journal_head: &str,
    result: &scoring::Outcome,
    issuer: &ob::Issuer,
    demo: bool,
    now: DateTime<Utc>,
    random_id: [u8; 16],
) -> CredentialInput {
    let header = attempt.header();
    let meta = &exam.meta;
    let counts = attempt.counts();
    let criteria = criteria_narrative(exam);
    CredentialInput {
        id: ob::credential_id(random_id),
        issuer: issuer.clone(),
        achievement: ob::Achievement {
            exam_id: meta.id.clone(),
            version: meta.version.clone(),
            title: meta.title.clone(),
            skill_block: Some(meta.skill_block.trim().to_string()).filter(|b| !b.is_empty()),
            description: meta.description.trim().to_string(),
            criteria,
            language: meta.language.clone(),
            learning_outcomes: meta.learning_outcomes.clone(),
            workload_hours: meta.workload_hours,
            ects: meta.ects,
            eqf_level: meta.eqf_level,
            prerequisites: meta.prerequisites.clone(),
            stackability: meta.stackability.clone(),
        },
        learner: ob::Learner {
            name: header.learner.name.clone(),
            id: header.learner.id.clone(),
        },
        score: Score {
            percent: round2(result.percent),
            threshold_percent: result.threshold,
            passed: result.passed,
        },
        issued_at: now,
        evidence: AttemptEvidence {
            bank_sha256: header.bank_hash.clone(),
            seed: header.seed,
            journal_head_sha256: journal_head.to_string(),
            proctoring: ProctoringCounts {
                focus_lost: counts.focus_lost,
                paste: counts.paste_refused + counts.paste_allowed,
                resize: counts.resized,
                resume: counts.resumed,
                extra_time: counts.extra_time_grants,
                ended_by_proctor: counts.ended_by_proctor,
            },
            extra_time_percent: header.options.extra_time_percent,
        },
        supervision: if header.options.supervised {
            Supervision::SupervisedOnsite {
                identity_verified: header.options.identity_verified,
            }
        } else {
            Supervision::Unsupervised
        },
        demo_issuer: demo,
    }
}

/// How the credential is earned, in the exam's language.
fn criteria_narrative(exam: &Exam) -> String {
    let meta = &exam.meta;
    let french = meta.language.to_ascii_lowercase().starts_with("fr");
    let minimums: Vec<String> = exam
        .sections
        .iter()
        .filter_map(|s| s.min_score.map(|m| format!("{} {m}\u{a0}%", s.title)))
        .collect();
    let time = crate::present::strings::span(exam.rules.time_limit);
    let threshold = exam.rules.mastery_threshold;
    let draw = exam.draw_count();
    let mut text = if french {
        format!(
            "Réussir l’examen chronométré «\u{202f}{}\u{202f}» (version {})\u{202f}: {draw} questions tirées au hasard dans la banque, {time} pour y répondre, navigation {}\u{202f}; un score global d’au moins {threshold}\u{a0}%",
            meta.title,
            meta.version,
            match exam.rules.navigation {
                Navigation::Free => "libre",
                Navigation::Sequential => "séquentielle",
            },
        )
    } else {
        format!(
            "Pass the timed exam \"{}\" (version {}): {draw} questions drawn at random from the bank, {time} to answer them, {} navigation; an overall score of at least {threshold}\u{a0}%",
            meta.title,
            meta.version,
            match exam.rules.navigation {
                Navigation::Free => "free",
                Navigation::Sequential => "sequential",
            },
        )
    };
    if !minimums.is_empty() {
        text.push_str(if french {
            " et au moins, par section\u{202f}: "
        } else {
            " and at least, per section: "
        });
        text.push_str(&minimums.join(", "));
    }
    text.push('.');
    text
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Writes a credential into `out` under a new name
/// (`EXAM-ID_learner-name_YYYYMMDDTHHMMSSZ.json`), atomically, never over
/// an existing file. Returns its path.
///
/// # Errors
/// The file cannot be written.
pub fn write_credential(
    out: &Path,
    exam_id: &str,
    learner: &str,
    now: DateTime<Utc>,
    doc: &serde_json::Map<String, serde_json::Value>,
) -> Result<PathBuf, IssuerError> {
    write_credential_bytes(out, exam_id, learner, now, &credential_bytes(doc, out)?)
}

/// A credential file's bytes: the document as indented JSON, and a line
/// break.
///
/// # Errors
/// The document cannot be written as JSON (`out` names the folder in the
/// message).
pub fn credential_bytes(
    doc: &serde_json::Map<String, serde_json::Value>,
    out: &Path,
) -> Result<Vec<u8>, IssuerError> {
    let mut bytes = serde_json::to_vec_pretty(doc).map_err(|e| IssuerError::Io {
        path: out.to_path_buf(),
        source: std::io::Error::other(e),
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Writes a credential's `bytes` into `out`, named after the exam, the
/// learner and the time it was issued (never over another file).
///
/// # Errors
/// The file cannot be written.
pub fn write_credential_bytes(
    out: &Path,
    exam_id: &str,
    learner: &str,
    now: DateTime<Utc>,
    bytes: &[u8],
) -> Result<PathBuf, IssuerError> {
    std::fs::create_dir_all(out).map_err(io(out))?;
    let slug: String = learner
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let stamp = now.format("%Y%m%dT%H%M%SZ");
    for n in 0..100 {
        let suffix = if n == 0 {
            String::new()
        } else {
            format!("-{n}")
        };
        let path = out.join(format!("{exam_id}_{slug}_{stamp}{suffix}.json"));
        match write_file(
            &path,
            bytes,
            WriteOptions {
                mode: 0o644,
                overwrite: false,
            },
        ) {
            // Shown to the learner: an absolute path is one they can find.
            Ok(()) => return Ok(std::fs::canonicalize(&path).unwrap_or(path)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io(&path)(e)),
        }
    }
    Err(IssuerError::Io {
        path: out.to_path_buf(),
        source: std::io::Error::other("too many credentials with the same name"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_files_are_checked_like_banks() {
        let good = "name = \"Centre Exemple\"\nurl = \"https://formation.example.org\"\ncountry = \"FR\"\nregion = \"Occitanie\"\nkey = \"issuer.key\"\n";
        let (issuer, key) = parse_issuer(good).unwrap();
        assert_eq!(
            (
                issuer.name.as_str(),
                issuer.country.as_deref().unwrap_or(""),
                key.as_str()
            ),
            ("Centre Exemple", "FR", "issuer.key")
        );
        let bad =
            "name = \"\"\nurl = \"formation.example.org\"\ncountry = \"France\"\nkey = \"k\"\n";
        let problems = parse_issuer(bad).unwrap_err();
        let codes: Vec<_> = problems.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["empty-text", "bad-url", "bad-country"]);
        let unknown = parse_issuer("nom = \"x\"\n").unwrap_err();
        assert!(
            unknown[0].message.contains("unknown field `nom`"),
            "{:?}",
            unknown[0]
        );
        assert_eq!(unknown[0].span, 0..3);
    }
}
