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
use crate::credential::did::DidKey;
use crate::credential::did_web::{DidWeb, PublishedKey};
use crate::credential::key::{IssuerKey, Passphrase};
use crate::credential::ob::IssuerDid;
use crate::credential::ob::{
    self, AttemptEvidence, CredentialInput, ProctoringCounts, Score, Supervision,
};
use crate::credential::proof::Cryptosuite;
use crate::credential::status::{self, Purpose};
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
    /// An organisation's `did:web` (default: the key's `did:key`).
    #[serde(default)]
    did: Option<Spanned<String>>,
    /// The folder URL the status lists are published under.
    #[serde(default)]
    status_lists: Option<Spanned<String>>,
    /// Give credentials a suspension entry too.
    #[serde(default)]
    suspension: Option<Spanned<bool>>,
    /// Earlier keys, still listed in the DID document.
    #[serde(default)]
    previous_keys: Vec<RawPreviousKey>,
    /// Where a credential can be checked on the issuer's site, `{id}`
    /// standing for the credential's id (the certificate's QR code, the
    /// LinkedIn link).
    #[serde(default)]
    verify_url: Option<Spanned<String>>,
    /// The issuer's own picture for its badges (PNG or SVG), instead of
    /// the one brevet draws from the exam.
    #[serde(default)]
    badge_image: Option<Spanned<String>>,
}

/// An earlier key of a `did:web` issuer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPreviousKey {
    /// Its public key, `z6Mk…` (or `did:key:z6Mk…`).
    public: Spanned<String>,
    /// When it stopped signing (for people; verifiers keep accepting it).
    #[serde(default)]
    retired: Option<Spanned<String>>,
    /// When it was compromised: its signatures fail from then on.
    #[serde(default)]
    revoked: Option<Spanned<String>>,
}

/// Where an issuer publishes its status lists, and which purposes its
/// credentials carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLists {
    /// The folder URL, ending with `/`.
    pub base: String,
    /// Revocation, and suspension when asked.
    pub purposes: Vec<Purpose>,
}

/// Everything `issuer.toml` says, checked.
#[derive(Debug, Clone)]
pub struct IssuerFile {
    /// The profile credentials carry (its `did` is the key's until the key
    /// is read, for a `did:key` issuer).
    pub issuer: ob::Issuer,
    /// The key file, as written (relative to `issuer.toml`).
    pub key: String,
    /// Where `key`'s value is in the text (for `brevet issuer rotate`).
    pub key_span: std::ops::Range<usize>,
    /// The `did:web`, when the issuer has one.
    pub did_web: Option<DidWeb>,
    /// Status lists, when published.
    pub status: Option<StatusLists>,
    /// Earlier keys.
    pub previous_keys: Vec<PublishedKey>,
    /// Where a credential can be checked on the issuer's site (`{id}`: the
    /// credential's id).
    pub verify_url: Option<String>,
    /// The issuer's own picture for its badges, as written (relative to
    /// `issuer.toml`).
    pub badge_image: Option<String>,
}

/// An issuer ready to sign: its profile and its key (in memory only).
pub struct Signer {
    issuer: ob::Issuer,
    key: IssuerKey,
    demo: bool,
    suite: Cryptosuite,
    status: Option<StatusLists>,
    previous_keys: Vec<PublishedKey>,
    verify_url: Option<String>,
    /// The issuer's own badge picture, as the achievement's `image`
    /// (a `data:` address).
    badge_image: Option<String>,
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
pub fn parse_issuer(source: &str) -> Result<IssuerFile, Vec<Diagnostic>> {
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
    if !is_web_address(url) {
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
    let did_web = match &raw.did {
        None => None,
        Some(did) if did.get_ref().starts_with("did:key:") => {
            problems.push(
                Diagnostic::error("bad-did", "a did:key is the key itself", did.span())
                    .label("leave `did` out for a did:key issuer")
                    .help("`did` names an organisation's did:web, e.g. \"did:web:formation.example.org\""),
            );
            None
        }
        Some(did) => match DidWeb::parse(did.get_ref()) {
            Ok(web) => Some(web),
            Err(e) => {
                problems.push(
                    Diagnostic::error("bad-did", format!("not a did:web: {e}"), did.span())
                        .label("expected did:web:DOMAIN[:PATH]")
                        .help("e.g. \"did:web:formation.example.org\" or \"did:web:example.org:certif\""),
                );
                None
            }
        },
    };
    let suspension = raw.suspension.as_ref().is_some_and(|s| *s.get_ref());
    let status = match &raw.status_lists {
        None => {
            if let Some(s) = raw.suspension.as_ref().filter(|s| *s.get_ref()) {
                problems.push(
                    Diagnostic::error(
                        "suspension-without-lists",
                        "suspension needs status lists",
                        s.span(),
                    )
                    .label("no `status_lists` to publish the suspensions in")
                    .help("add status_lists = \"https://…/status/\""),
                );
            }
            None
        }
        Some(base) if !is_folder_url(base.get_ref()) => {
            problems.push(
                Diagnostic::error(
                    "bad-url",
                    format!("`{}` is not a folder's https address", base.get_ref()),
                    base.span(),
                )
                .label("expected https://…/ (verifiers fetch the lists over HTTPS)")
                .help("where the lists will be published, e.g. \"https://formation.example.org/status/\""),
            );
            None
        }
        Some(base) => {
            let mut base = base.get_ref().clone();
            if !base.ends_with('/') {
                base.push('/');
            }
            let mut purposes = vec![Purpose::Revocation];
            if suspension {
                purposes.push(Purpose::Suspension);
            }
            Some(StatusLists { base, purposes })
        }
    };
    let mut previous_keys = Vec::new();
    for previous in &raw.previous_keys {
        let text = previous.public.get_ref();
        let key = DidKey::from_multibase(text.strip_prefix("did:key:").unwrap_or(text));
        let date = |field: &Option<Spanned<String>>, problems: &mut Vec<Diagnostic>| {
            let field = field.as_ref()?;
            let parsed = crate::credential::parse_datetime(field.get_ref());
            if parsed.is_none() {
                problems.push(
                    Diagnostic::error(
                        "bad-date",
                        format!("`{}` is not a date and time", field.get_ref()),
                        field.span(),
                    )
                    .label("expected e.g. 2026-12-03T10:00:00Z")
                    .help("an RFC 3339 date and time with its zone"),
                );
            }
            parsed
        };
        let _retired = date(&previous.retired, &mut problems);
        let revoked = date(&previous.revoked, &mut problems);
        match key {
            Ok(key) if previous_keys.iter().any(|k: &PublishedKey| k.key == key) => problems.push(
                Diagnostic::error(
                    "duplicate-key",
                    "this key is listed twice",
                    previous.public.span(),
                )
                .label("already under an earlier [[previous_keys]]")
                .help("keep one entry per key (add `revoked = …` to the first one)"),
            ),
            Ok(key) => previous_keys.push(PublishedKey { key, revoked }),
            Err(e) => problems.push(
                Diagnostic::error(
                    "bad-key",
                    format!("not an Ed25519 public key: {e}"),
                    previous.public.span(),
                )
                .label("expected z6Mk…"),
            ),
        }
    }
    let verify_url = match &raw.verify_url {
        Some(url)
            if !is_web_address(&url.get_ref().replace("{id}", "x"))
                || !url.get_ref().starts_with("https://") =>
        {
            problems.push(
                Diagnostic::error(
                    "bad-url",
                    format!("`{}` is not an https address", url.get_ref()),
                    url.span(),
                )
                .label("expected https://…, `{id}` where the credential's id goes")
                .help("e.g. \"https://formation.example.org/verify?id={id}\""),
            );
            None
        }
        Some(url) => Some(url.get_ref().clone()),
        None => None,
    };
    if did_web.is_none()
        && let Some(first) = raw.previous_keys.first()
    {
        problems.push(
            Diagnostic::error(
                "previous-keys-without-did",
                "earlier keys need a did:web",
                first.public.span(),
            )
            .label("a did:key issuer has one key: its name")
            .help("add did = \"did:web:…\", whose DID document lists every key"),
        );
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let key_span = raw.key.span();
    let key = raw.key.into_inner();
    // The did is the key's until the key is read (did:key issuers).
    let did = match &did_web {
        Some(web) => IssuerDid::Web(web.clone()),
        None => IssuerDid::Key(IssuerKey::from_seed(&[0; 32]).did().clone()),
    };
    Ok(IssuerFile {
        issuer: ob::Issuer {
            name: raw.name.into_inner(),
            url: raw.url.into_inner(),
            country: Some(raw.country.into_inner()),
            region: raw.region,
            quality_assurance: raw.quality_assurance,
            include_accommodations: raw.include_accommodations,
            did,
        },
        key,
        key_span,
        did_web,
        status,
        previous_keys,
        verify_url,
        badge_image: raw.badge_image.map(Spanned::into_inner),
    })
}

/// An https address of a folder: a host, then path parts that are not
/// empty, `.` or `..`, no query or fragment.
fn is_folder_url(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://") else {
        return false;
    };
    if !is_web_address(url) || url.contains(['?', '#']) {
        return false;
    }
    let mut parts = rest.split('/');
    let host = parts.next().unwrap_or("");
    let path: Vec<&str> = parts.collect();
    let inner = match path.split_last() {
        Some((&"", inner)) => inner,
        _ => &path[..],
    };
    !host.is_empty()
        && inner
            .iter()
            .all(|p| !p.is_empty() && *p != "." && *p != "..")
}

/// An http(s) address without spaces or characters URLs may not hold raw.
fn is_web_address(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains(|c: char| c.is_whitespace() || c.is_control() || "<>\"{}|^`\\".contains(c))
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
        let file = parse_issuer(&source).map_err(|d| IssuerError::Invalid {
            path: path.to_path_buf(),
            rendered: crate::bank::diagnostic::render_text(
                &path.display().to_string(),
                &source,
                &d,
                false,
            ),
        })?;
        let key_path = path.parent().unwrap_or(Path::new(".")).join(&file.key);
        let pem = zeroize::Zeroizing::new(
            crate::input::read_text(&key_path, crate::input::SMALL_TEXT)
                .map_err(|e| input_error(&key_path, e))?,
        );
        let key = IssuerKey::from_pem(&pem, passphrase).map_err(|source| IssuerError::Key {
            path: key_path.clone(),
            source,
        })?;
        if file.previous_keys.iter().any(|k| &k.key == key.did()) {
            return Err(IssuerError::Invalid {
                path: path.to_path_buf(),
                rendered: format!(
                    "the signing key {} ({}) is also listed under [[previous_keys]]: an earlier key is one that no longer signs; remove that entry",
                    key.did().multibase(),
                    key_path.display()
                ),
            });
        }
        let mut issuer = file.issuer;
        if file.did_web.is_none() {
            issuer.did = IssuerDid::Key(key.did().clone());
        }
        let badge_image = match &file.badge_image {
            None => None,
            Some(name) => Some(read_picture(path, name)?),
        };
        Ok(Self {
            issuer,
            key,
            demo: false,
            suite: Cryptosuite::EddsaRdfc2022,
            status: file.status,
            previous_keys: file.previous_keys,
            verify_url: file.verify_url,
            badge_image,
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
            did: IssuerDid::Key(key.did().clone()),
        };
        Ok(Self {
            issuer,
            key,
            demo: true,
            suite: Cryptosuite::EddsaRdfc2022,
            status: None,
            previous_keys: Vec::new(),
            verify_url: None,
            badge_image: None,
        })
    }

    /// Where the credential `id` can be checked on the issuer's site, when
    /// the issuer says (`verify_url`, `{id}` replaced by the id, encoded).
    pub fn verify_url(&self, id: &str) -> Option<String> {
        self.verify_url
            .as_deref()
            .map(|template| crate::share::verify_address(template, id))
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

    /// Where its status lists are published, if they are.
    pub fn status_lists(&self) -> Option<&StatusLists> {
        self.status.as_ref()
    }

    /// The current key's public part.
    pub fn public_key(&self) -> &DidKey {
        self.key.did()
    }

    /// The keys its DID document lists, oldest first: the earlier ones,
    /// then the current one.
    pub fn published_keys(&self) -> Vec<PublishedKey> {
        let mut keys = self.previous_keys.clone();
        if !keys.iter().any(|k| &k.key == self.key.did()) {
            keys.push(PublishedKey {
                key: self.key.did().clone(),
                revoked: None,
            });
        }
        keys
    }

    /// Signs a document the issuer publishes (a status list), with the key
    /// and the suite of its credentials.
    ///
    /// # Errors
    /// The document cannot be signed.
    pub fn sign_document(
        &self,
        document: serde_json::Map<String, serde_json::Value>,
        now: DateTime<Utc>,
    ) -> Result<serde_json::Map<String, serde_json::Value>, ob::IssueError> {
        let method = self.issuer.did.method_for(self.key.did())?;
        Ok(crate::credential::proof::sign_as(
            document, &self.key, &method, now, self.suite,
        )?)
    }

    /// Signs the credential for a mastered attempt, with its places in the
    /// status lists.
    ///
    /// # Errors
    /// The input does not make a valid credential.
    #[allow(clippy::too_many_arguments)]
    pub fn issue(
        &self,
        exam: &Exam,
        attempt: &Attempt,
        journal_head: &str,
        result: &scoring::Outcome,
        now: DateTime<Utc>,
        random_id: [u8; 16],
        status: Vec<status::Entry>,
    ) -> Result<serde_json::Map<String, serde_json::Value>, ob::IssueError> {
        let mut input = credential_input(
            exam,
            attempt,
            journal_head,
            result,
            &self.issuer,
            self.demo,
            now,
            random_id,
        );
        input.status = status;
        // The issuer's picture, unless the bank names its own.
        if let Some(image) = &self.badge_image
            && exam.meta.badge_picture.is_none()
        {
            input.achievement.image = Some(image.clone());
        }
        ob::issue(&input, &self.key, self.suite)
    }
}

/// Signs the credential of a passed attempt, records it in the store, then
/// writes its file and marks it written: a file that never reaches the disk
/// (a kill, a full disk) is written again from the store on the next run.
/// Its badge is written beside it.
///
/// # Errors
/// Signing, the store or the credential's file failed (what was recorded
/// stays).
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
) -> anyhow::Result<Issued> {
    // A place in each status list, at random; chosen again, and the
    // credential signed again, if another station takes it meanwhile.
    let mut tries = 0;
    let (credential_id, bytes) = loop {
        tries += 1;
        let entries = match &signer.status {
            None => Vec::new(),
            Some(lists) => {
                store.with(|db| free_places(db, lists, &signer.issuer.did.to_string()))?
            }
        };
        let doc = signer.issue(
            exam,
            attempt,
            journal_head,
            result,
            now,
            rand::random(),
            entries.clone(),
        )?;
        let bytes = credential_bytes(&doc, out)?;
        let credential_id = doc
            .get("id")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned();
        let recorded = store.with(|db| {
            db.record_credential_with_status(
                &crate::store::credentials::NewCredential {
                    credential_id: &credential_id,
                    attempt_id,
                    issuer_did: &signer.issuer.did.to_string(),
                    issued_at: now,
                    bytes: &bytes,
                    out_dir: out,
                },
                &entries,
            )
        })?;
        if recorded {
            break (credential_id, bytes);
        }
        if tries >= 16 {
            anyhow::bail!("no free place found in the status lists after {tries} tries");
        }
    };
    let credential_id = credential_id.as_str();
    let learner = &attempt.header().learner.name;
    let path = write_credential_bytes(out, &exam.meta.id, learner, now, &bytes)?;
    store.with(|db| db.credential_written(credential_id, &path, Utc::now()))?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(Issued::beside(
        path,
        &text,
        signer.verify_url(credential_id).as_deref(),
    ))
}

/// A credential written to disk, with what a learner shares of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    /// The signed credential (JSON).
    pub json: PathBuf,
    /// Its badge (PNG, SVG) and certificate (PDF), beside it.
    pub shared: Vec<PathBuf>,
    /// Why they could not all be written: the credential itself is safe,
    /// and `brevet share` makes them again.
    pub not_shared: Option<String>,
    /// LinkedIn's "Add to profile" link.
    pub linkedin: Option<String>,
}

/// Writes beside the credential file `json_path` (holding `text`) its
/// badge as PNG and SVG and its certificate as PDF, named like it. Best
/// effort: a failure leaves the credential as it is and says why.
pub fn share_beside(
    json_path: &Path,
    text: &str,
    verify_url: Option<&str>,
) -> (Vec<PathBuf>, Option<String>) {
    let zone = *chrono::Local::now().offset();
    let files = match crate::share::files(text.trim_end(), verify_url, zone) {
        Ok(files) => files,
        Err(e) => return (Vec::new(), Some(e.to_string())),
    };
    let mut written = Vec::new();
    for (extension, bytes) in files {
        let path = json_path.with_extension(extension);
        let options = WriteOptions {
            mode: 0o644,
            overwrite: true,
        };
        match write_file(&path, &bytes, options) {
            Ok(()) => written.push(path),
            Err(e) => return (written, Some(format!("{}: {e}", path.display()))),
        }
    }
    (written, None)
}

impl Issued {
    /// The credential written at `json` (its text `text`), its badge
    /// written beside it, and its LinkedIn link.
    fn beside(json: PathBuf, text: &str, verify_url: Option<&str>) -> Self {
        let (shared, not_shared) = share_beside(&json, text, verify_url);
        let linkedin = match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(doc)) => {
                crate::share::linkedin(&doc, verify_url, *chrono::Local::now().offset())
            }
            _ => None,
        };
        Self {
            json,
            shared,
            not_shared,
            linkedin,
        }
    }
}

/// The largest badge picture an issuer or a bank may name: it travels
/// inside every credential, as the achievement's `image`.
pub const MAX_BADGE_IMAGE_BYTES: u64 = 256 * 1024;

/// Reads the picture the bank at `bank_path` names for its badges
/// (`badge_image`, relative to the bank) into `exam`.
///
/// # Errors
/// The file cannot be read, or is not a PNG or SVG picture.
pub fn read_bank_picture(bank_path: &Path, exam: &mut Exam) -> Result<(), IssuerError> {
    let Some(name) = &exam.meta.badge_image else {
        return Ok(());
    };
    exam.meta.badge_picture = Some(read_picture(bank_path, name)?);
    Ok(())
}

/// The badge picture `name` (relative to the file `beside`, a bank or an
/// `issuer.toml`), as a `data:` address.
fn read_picture(beside: &Path, name: &str) -> Result<String, IssuerError> {
    let path = beside.parent().unwrap_or(Path::new(".")).join(name);
    let bytes = crate::input::read_limited(&path, MAX_BADGE_IMAGE_BYTES)
        .map_err(|e| input_error(&path, e))?;
    crate::share::image_file_address(&bytes).map_err(|why| IssuerError::Io {
        path,
        source: std::io::Error::other(format!("not a badge picture: {why}")),
    })
}

/// A free place, at random, in the open list of each purpose.
fn free_places(
    db: &mut crate::store::db::Db,
    lists: &StatusLists,
    issuer_did: &str,
) -> Result<Vec<status::Entry>, crate::store::StoreError> {
    let mut entries = Vec::new();
    for &purpose in &lists.purposes {
        let list = db.open_status_list(&lists.base, purpose, issuer_did)?;
        // A list is at most half full: a free place comes within a few tries.
        let index = loop {
            let index = rand::random_range(0..status::MIN_ENTRIES as u64);
            if !db.status_place_taken(&list, index)? {
                break index;
            }
        };
        entries.push(status::Entry {
            purpose,
            index,
            list,
        });
    }
    Ok(entries)
}

/// A credential an earlier run left unwritten, written now.
#[derive(Debug)]
pub struct Recovered {
    /// Its file.
    pub path: PathBuf,
    /// Why its badge and certificate could not all be written beside it.
    pub not_shared: Option<String>,
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
        // Its badge too, best effort: said when it fails, and `brevet
        // share` makes it again.
        let (_, not_shared) = share_beside(
            &path,
            &String::from_utf8_lossy(&u.bytes),
            signer.verify_url(&u.credential_id).as_deref(),
        );
        if let Some((attempt, _)) = replayed(&u.attempt_id)? {
            written.push(Recovered {
                path,
                not_shared,
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
            let issued = issue_recorded(
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
                path: issued.json,
                not_shared: issued.not_shared,
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
            // The bank's own picture, else the one brevet draws.
            image: Some(meta.badge_picture.clone().unwrap_or_else(|| {
                crate::share::image_address(&crate::share::badge_for(
                    &meta.title,
                    Some(meta.skill_block.trim()).filter(|b| !b.is_empty()),
                    &issuer.name,
                    meta.eqf_level.map(|l| l.to_string()).as_deref(),
                    &meta.language,
                ))
            })),
        },
        learner: ob::Learner {
            name: header.learner.name.clone(),
            id: header.learner.id.clone(),
            email: header.learner.email.clone(),
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
        status: Vec::new(),
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
        let file = parse_issuer(good).unwrap();
        assert_eq!(
            (
                file.issuer.name.as_str(),
                file.issuer.country.as_deref().unwrap_or(""),
                file.key.as_str()
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

    #[test]
    fn an_organisations_issuer_file_is_checked_too() {
        let base = "name = \"Centre\"\nurl = \"https://formation.example.org\"\ncountry = \"FR\"\nkey = \"k\"\n";
        let key = IssuerKey::from_seed(&[3; 32]).did().multibase().to_owned();
        let good = format!(
            "{base}did = \"did:web:formation.example.org\"\nstatus_lists = \"https://formation.example.org/status\"\nsuspension = true\n\n[[previous_keys]]\npublic = \"{key}\"\nrevoked = \"2026-01-01T00:00:00Z\"\n"
        );
        let file = parse_issuer(&good).unwrap();
        assert_eq!(
            file.did_web.unwrap().as_str(),
            "did:web:formation.example.org"
        );
        let status = file.status.unwrap();
        assert_eq!(status.base, "https://formation.example.org/status/");
        assert_eq!(status.purposes, [Purpose::Revocation, Purpose::Suspension]);
        assert_eq!(file.previous_keys.len(), 1);
        assert!(file.previous_keys[0].revoked.is_some());
        let codes = |text: String| -> Vec<&'static str> {
            parse_issuer(&text)
                .map(|_| Vec::new())
                .unwrap_or_else(|d| d.iter().map(|d| d.code).collect())
        };
        assert_eq!(
            codes(format!("{base}did = \"did:key:z6Mk\"\n")),
            ["bad-did"]
        );
        assert_eq!(
            codes(format!("{base}did = \"did:web:Example.org\"\n")),
            ["bad-did"]
        );
        for bad in [
            "http://example.org/status/",
            "https://example.org/a/../status/",
            "https://example.org//status/",
            "https:///status/",
            "https://example.org/status/?x",
        ] {
            assert_eq!(
                codes(format!("{base}status_lists = \"{bad}\"\n")),
                ["bad-url"],
                "{bad}"
            );
        }
        assert_eq!(
            codes(format!("{base}suspension = true\n")),
            ["suspension-without-lists"]
        );
        let twice = format!("{good}\n[[previous_keys]]\npublic = \"{key}\"\n");
        assert_eq!(codes(twice), ["duplicate-key"]);
        assert_eq!(
            codes(format!("{base}\n[[previous_keys]]\npublic = \"{key}\"\n")),
            ["previous-keys-without-did"]
        );
        assert_eq!(
            codes(format!(
                "{base}did = \"did:web:example.org\"\n\n[[previous_keys]]\npublic = \"{key}\"\nrevoked = \"soon\"\n"
            )),
            ["bad-date"]
        );
    }
}
