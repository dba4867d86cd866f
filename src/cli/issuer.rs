//! `brevet issuer …`: what an organisation does with its identity and its
//! credentials after they are issued: publish its DID document and status
//! lists, rotate its key, revoke, suspend and reinstate credentials.
//!
//! The registry of issued credentials and of their status is the store
//! (`--data`, `--store`); the DID document and the lists are computed from
//! `issuer.toml` and the registry, signed, and written into a folder laid
//! out as the web site that serves them.

use crate::atomic::{WriteOptions, write_file};
use crate::credential::did_web::{self, DidWeb};
use crate::credential::key::{KeyError, Passphrase};
use crate::credential::status::{self, Purpose};
use crate::issuing::{IssuerError, Signer, parse_issuer};
use crate::store::DataDir;
use crate::store::status::{ChangeError, Registered};
use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `brevet issuer`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub action: Action,
    /// The issuer file.
    #[arg(
        long,
        value_name = "FILE",
        global = true,
        default_value = "issuer.toml"
    )]
    pub issuer: PathBuf,
    /// The data folder whose store keeps the registry (default:
    /// $BREVET_DATA, else the XDG data folder).
    #[arg(long, value_name = "DIR", global = true)]
    pub data: Option<PathBuf>,
    /// Where the store is.
    #[command(flatten)]
    pub store: super::store_at::StoreArgs,
}

/// What to do as the issuer.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Write the DID document (did.json) of a did:web issuer: every key,
    /// current, retired and revoked.
    DidDocument {
        /// Write it to this file instead of printing it.
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Write the DID document and the signed status lists into a folder laid
    /// out as the web site that serves them.
    Publish {
        /// The site folder (created if missing; files replaced).
        #[arg(long, short, value_name = "DIR")]
        out: PathBuf,
    },
    /// Replace the signing key: a new key file, issuer.toml pointed at it,
    /// the old key kept in the DID document so that its credentials keep
    /// verifying.
    Rotate {
        /// The old key is compromised: its signatures fail from --since on.
        #[arg(long)]
        compromised: bool,
        /// When the old key was compromised (RFC 3339) [default: now].
        #[arg(long, value_name = "DATE", requires = "compromised")]
        since: Option<String>,
        /// Encrypt the new key with the passphrase on the first line of this file.
        #[arg(long, value_name = "PATH", conflicts_with = "passphrase_env")]
        passphrase_file: Option<PathBuf>,
        /// Encrypt the new key with the passphrase in this environment variable.
        #[arg(long, value_name = "VAR", conflicts_with = "no_passphrase")]
        passphrase_env: Option<String>,
        /// Write the new key unencrypted.
        #[arg(long, conflicts_with = "passphrase_file")]
        no_passphrase: bool,
    },
    /// Revoke a credential, for good (publish the lists again after).
    Revoke(Change),
    /// Suspend a credential until it is reinstated.
    Suspend(Change),
    /// Lift a credential's suspension.
    Reinstate(Change),
    /// Show a credential's places in the status lists and its history.
    Show {
        /// The credential: its id (urn:uuid:…) or its file.
        #[arg(value_name = "CREDENTIAL")]
        credential: String,
    },
}

/// A status change.
#[derive(Debug, clap::Args)]
pub struct Change {
    /// The credential: its id (urn:uuid:…) or its file.
    #[arg(value_name = "CREDENTIAL")]
    pub credential: String,
    /// Why, kept in the registry (never published).
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
}

/// Runs `brevet issuer`.
///
/// # Errors
/// The issuer file, its key, the store or a file write failed.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    match &args.action {
        Action::DidDocument { out } => {
            let signer = open_signer(&args.issuer)?;
            let (did, text) = did_document(&signer, &args.issuer)?;
            match out {
                None => print!("{text}"),
                Some(path) => {
                    write_public(path, text.as_bytes())?;
                    eprintln!(
                        "wrote {}: publish it at {}",
                        path.display(),
                        did.document_url()
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Action::Publish { out } => publish(args, out),
        Action::Rotate {
            compromised,
            since,
            passphrase_file,
            passphrase_env,
            no_passphrase,
        } => {
            let since = match (compromised, since) {
                (false, _) => None,
                (true, None) => Some(Utc::now()),
                (true, Some(text)) => {
                    Some(crate::credential::parse_datetime(text).with_context(|| {
                        format!("--since {text}: expected e.g. 2026-12-03T10:00:00Z")
                    })?)
                }
            };
            rotate(
                &args.issuer,
                since,
                &super::keygen::PassphraseChoice {
                    file: passphrase_file.clone(),
                    env: passphrase_env.clone(),
                    none: *no_passphrase,
                },
            )
        }
        Action::Revoke(change) => set_status(args, change, Purpose::Revocation, true),
        Action::Suspend(change) => set_status(args, change, Purpose::Suspension, true),
        Action::Reinstate(change) => set_status(args, change, Purpose::Suspension, false),
        Action::Show { credential } => {
            let store = open_store(args)?;
            let id = credential_id(&store, credential)?;
            let Some(found) = store.with(|db| db.registered(&id))? else {
                bail!("no credential {id} in this store (--data, --store)");
            };
            print!("{}", describe(&found));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Opens the issuer's key: the passphrase from `BREVET_KEY_PASSPHRASE`,
/// else asked (at the terminal without echo, or read from stdin) when the
/// key is encrypted.
fn open_signer(path: &Path) -> anyhow::Result<Signer> {
    let passphrase = match std::env::var("BREVET_KEY_PASSPHRASE") {
        Ok(p) => Some(Passphrase::new(p)?),
        Err(_) => None,
    };
    match Signer::from_file(path, passphrase.as_ref()) {
        Err(IssuerError::Key {
            source: KeyError::NeedsPassphrase,
            ..
        }) if passphrase.is_none() => {
            let typed = super::secret::read("Issuer key passphrase: ")?;
            let passphrase = Passphrase::new(typed.to_string())?;
            Ok(Signer::from_file(path, Some(&passphrase))?)
        }
        other => Ok(other?),
    }
}

fn open_store(args: &Args) -> anyhow::Result<crate::store::Store> {
    let data = DataDir::locate(args.data.as_deref())?;
    args.store.open_existing(&data)?.with_context(|| {
        format!(
            "{}: no store here: the registry of issued credentials is in the store they were issued with (--data, --store)",
            data.root().join(crate::store::sqlite::FILE).display()
        )
    })
}

/// The DID document's text, for a did:web issuer.
fn did_document(signer: &Signer, path: &Path) -> anyhow::Result<(DidWeb, String)> {
    let crate::credential::ob::IssuerDid::Web(did) = &signer.issuer().did else {
        bail!(
            "{}: the issuer is a did:key, which has no DID document to publish: set did = \"did:web:YOUR.DOMAIN\"",
            path.display()
        );
    };
    let document = did_web::document(did, &signer.published_keys());
    Ok((did.clone(), serde_json::to_string_pretty(&document)? + "\n"))
}

/// A file for the web: readable by all, replaced atomically.
fn write_public(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    }
    write_file(
        path,
        bytes,
        WriteOptions {
            mode: 0o644,
            overwrite: true,
        },
    )
    .with_context(|| format!("cannot write {}", path.display()))
}

/// Where a URL's file goes in the site folder: its path, without the host.
fn site_path(out: &Path, url: &str) -> anyhow::Result<PathBuf> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .with_context(|| format!("{url}: not a web address"))?;
    let path = rest.split_once('/').map_or("", |(_, p)| p);
    let mut file = out.to_path_buf();
    for part in path.split('/') {
        let decoded = crate::credential::did_web::percent_decode(part)
            .with_context(|| format!("{url}: bad percent-encoding"))?;
        if decoded.is_empty() || decoded == "." || decoded == ".." || decoded.contains(['/', '\\'])
        {
            bail!("{url}: the path has an empty, `.`, `..` or `/` part");
        }
        file.push(decoded);
    }
    Ok(file)
}

fn publish(args: &Args, out: &Path) -> anyhow::Result<ExitCode> {
    let signer = open_signer(&args.issuer)?;
    let now = Utc::now();
    // Everything is computed and signed first, then written, then said: a
    // refusal leaves the site as it was, a closed stderr leaves it whole.
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut said: Vec<String> = Vec::new();
    if let crate::credential::ob::IssuerDid::Web(did) = &signer.issuer().did {
        let (_, text) = did_document(&signer, &args.issuer)?;
        let path = out.join(did.document_path());
        let keys = signer.published_keys().len();
        said.push(format!(
            "wrote {} ({keys} key{}): serve it at {}",
            path.display(),
            if keys == 1 { "" } else { "s" },
            did.document_url()
        ));
        files.push((path, text.into_bytes()));
    }
    if let Some(lists) = signer.status_lists() {
        let store = open_store(args)?;
        let issuer_did = signer.issuer().did.to_string();
        // The lists new credentials go to, published even while empty.
        let mut urls: Vec<(String, Purpose)> = Vec::new();
        for &purpose in &lists.purposes {
            let url = store.with(|db| db.open_status_list(&lists.base, purpose, &issuer_did))?;
            urls.push((url, purpose));
        }
        for list in store.with(|db| db.status_lists())? {
            if !list.issuers.contains(&issuer_did) {
                continue;
            }
            if list.issuers.len() > 1 {
                bail!(
                    "the list {} holds credentials of several issuers ({}): a list is signed by one; nothing was published",
                    list.url,
                    list.issuers.join(", ")
                );
            }
            if !list.url.starts_with(&lists.base) {
                said.push(format!(
                    "brevet: warning: the registry also has the list {}, outside status_lists = \"{}\": not published here",
                    list.url, lists.base
                ));
            } else if !urls.iter().any(|(u, _)| *u == list.url) {
                urls.push((list.url, list.purpose));
            }
        }
        urls.sort();
        for (url, purpose) in urls {
            let bits = store.with(|db| db.status_bits(&url))?;
            let document = status::list_credential(&url, &issuer_did, purpose, now, &bits);
            let signed = signer.sign_document(document, now)?;
            let path = site_path(out, &url)?;
            said.push(format!(
                "wrote {} ({} entries, {} {}): serve it at {url}",
                path.display(),
                bits.len(),
                bits.count_set(),
                match purpose {
                    Purpose::Revocation => "revoked",
                    Purpose::Suspension => "suspended",
                }
            ));
            files.push((
                path,
                (serde_json::to_string_pretty(&signed)? + "\n").into_bytes(),
            ));
        }
    }
    if files.is_empty() {
        bail!(
            "{}: nothing to publish: a did:key issuer without status_lists has no DID document and no list",
            args.issuer.display()
        );
    }
    for (path, bytes) in &files {
        write_public(path, bytes)?;
    }
    let mut stderr = std::io::stderr().lock();
    for line in said {
        let _ = writeln!(stderr, "{line}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The credential id `text` names: an id, or a credential file.
fn credential_id(store: &crate::store::Store, text: &str) -> anyhow::Result<String> {
    if text.starts_with("urn:") {
        return Ok(text.to_owned());
    }
    if !Path::new(text).exists() {
        bail!("{text}: no such file (a credential is named by its file or by its id, urn:uuid:…)");
    }
    use sha2::Digest as _;
    let path = Path::new(text);
    let bytes = crate::input::read_limited(path, crate::credential::verify::MAX_CREDENTIAL_BYTES)?;
    let sha = crate::attempt::journal::hex(&sha2::Sha256::digest(&bytes).into());
    if let Some(id) = store.with(|db| db.credential_by_sha256(&sha))? {
        return Ok(id);
    }
    // The file may be a copy re-indented by a wallet: its id says which.
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .with_context(|| format!("{}: not a credential (not JSON)", path.display()))?;
    match value.get("id").and_then(serde_json::Value::as_str) {
        Some(id) => Ok(id.to_owned()),
        None => bail!("{}: the credential has no id", path.display()),
    }
}

fn set_status(
    args: &Args,
    change: &Change,
    purpose: Purpose,
    set: bool,
) -> anyhow::Result<ExitCode> {
    if change.reason.trim().is_empty() {
        bail!("--reason is empty: say why, for the registry");
    }
    let store = open_store(args)?;
    let id = credential_id(&store, &change.credential)?;
    let done = match store
        .with(|db| db.change_status(&id, purpose, set, change.reason.trim(), Utc::now()))
    {
        Ok(done) => done,
        Err(ChangeError::Store(e)) => return Err(e.into()),
        Err(refused) => {
            eprintln!("brevet: {refused}");
            return Ok(ExitCode::from(1));
        }
    };
    print!("{}", describe(&done));
    eprintln!(
        "The published lists do not say it yet: run `brevet issuer publish --out SITE` and upload SITE."
    );
    Ok(ExitCode::SUCCESS)
}

/// A credential's registry entry, for people.
fn describe(r: &Registered) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "{}", r.credential_id);
    if let Some(learner) = &r.learner_name {
        let _ = writeln!(out, "  learner      {learner}");
    }
    if let Some(exam) = &r.exam_id {
        let _ = writeln!(out, "  exam         {exam}");
    }
    let _ = writeln!(out, "  issuer       {}", r.issuer_did);
    let _ = writeln!(
        out,
        "  issued       {}",
        crate::credential::format_datetime(r.issued_at)
    );
    let state = if r.is_set(Purpose::Revocation) {
        "REVOKED"
    } else if r.is_set(Purpose::Suspension) {
        "SUSPENDED"
    } else {
        "in force"
    };
    let _ = writeln!(out, "  status       {state}");
    for entry in &r.entries {
        let _ = writeln!(
            out,
            "  {:<12} place {} of {}",
            entry.purpose.name(),
            entry.index,
            entry.list
        );
    }
    if r.entries.is_empty() {
        out.push_str("  (issued without status entries: it cannot be revoked)\n");
    }
    for c in &r.changes {
        let what = match (c.purpose, c.set) {
            (Purpose::Revocation, true) => "revoked",
            (Purpose::Suspension, true) => "suspended",
            (_, false) => "reinstated",
        };
        let _ = writeln!(
            out,
            "  {}  {what}: {}",
            crate::credential::format_datetime(c.at),
            c.reason
        );
    }
    out
}

/// Rotates the key: a new key file beside the old one, `key` in
/// issuer.toml pointed at it, the old key added to `[[previous_keys]]`.
fn rotate(
    path: &Path,
    compromised_since: Option<DateTime<Utc>>,
    passphrase: &super::keygen::PassphraseChoice,
) -> anyhow::Result<ExitCode> {
    let source = crate::input::read_text(path, crate::input::SMALL_TEXT)
        .with_context(|| path.display().to_string())?;
    let file = parse_issuer(&source).map_err(|d| {
        anyhow::anyhow!(
            "{} is not a valid issuer file:\n{}",
            path.display(),
            crate::bank::diagnostic::render_text(&path.display().to_string(), &source, &d, false)
        )
    })?;
    if file.did_web.is_none() {
        bail!(
            "{}: a did:key issuer's name is its key, so it cannot change keys: set did = \"did:web:YOUR.DOMAIN\" first",
            path.display()
        );
    }
    let signer = open_signer(path)?;
    let old = signer.public_key().clone();
    let folder = path.parent().unwrap_or(Path::new("."));
    let new_name = next_key_name(folder, &file.key);
    let new_path = folder.join(&new_name);
    let now = Utc::now();
    let mut text = String::with_capacity(source.len() + 200);
    text.push_str(&source[..file.key_span.start]);
    text.push_str(&toml_string(&new_name));
    text.push_str(&source[file.key_span.end..]);
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&format!(
        "\n[[previous_keys]]  # replaced by `brevet issuer rotate`\npublic = \"{}\"\nretired = \"{}\"\n",
        old.multibase(),
        crate::credential::format_datetime(now)
    ));
    if let Some(since) = compromised_since {
        text.push_str(&format!(
            "revoked = \"{}\"  # compromised: its signatures fail from then on\n",
            crate::credential::format_datetime(since)
        ));
    }
    // The new file must read back before anything is written.
    if parse_issuer(&text).is_err() {
        bail!(
            "{}: cannot add [[previous_keys]] at its end (is `previous_keys` written as an inline array, `previous_keys = [...]`? write each as a [[previous_keys]] table): nothing was changed",
            path.display()
        );
    }
    let new_key = super::keygen::write_new_key(&new_path, passphrase, false)?;
    if let Err(e) = write_file(
        path,
        text.as_bytes(),
        WriteOptions {
            mode: file_mode(path),
            overwrite: true,
        },
    ) {
        // The issuer file still names the old key: the new one would only
        // mislead.
        let _ = std::fs::remove_file(&new_path);
        return Err(e).with_context(|| {
            format!("cannot write {} (the old key stays in use)", path.display())
        });
    }
    eprintln!(
        "{}: now signs with {} ({}); the old key {} stays in the DID document{}.",
        path.display(),
        new_key.multibase(),
        new_path.display(),
        old.multibase(),
        if compromised_since.is_some() {
            ", marked revoked"
        } else {
            ", so its credentials keep verifying"
        }
    );
    eprintln!(
        "Publish the new DID document now (`brevet issuer publish --out SITE`); the old key file {} is no longer used.",
        folder.join(&file.key).display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `issuer.key` → `issuer-2.key`; `issuer-2.key` → `issuer-3.key`; the
/// first name not taken.
fn next_key_name(folder: &Path, current: &str) -> String {
    let (stem, ext) = match current.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.contains('/') => (stem, format!(".{ext}")),
        _ => (current, String::new()),
    };
    let (base, mut n) = match stem.rsplit_once('-') {
        Some((base, n)) if n.parse::<u32>().is_ok() => (base, n.parse::<u32>().unwrap_or(1)),
        _ => (stem, 1),
    };
    loop {
        n += 1;
        let name = format!("{base}-{n}{ext}");
        if !folder.join(&name).exists() {
            return name;
        }
    }
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

fn file_mode(path: &Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o777)
    }
    #[cfg(not(unix))]
    {
        0o644
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names_count_up() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(next_key_name(dir.path(), "issuer.key"), "issuer-2.key");
        assert_eq!(next_key_name(dir.path(), "issuer-2.key"), "issuer-3.key");
        assert_eq!(next_key_name(dir.path(), "keys/k"), "keys/k-2");
        std::fs::write(dir.path().join("issuer-2.key"), "").unwrap();
        assert_eq!(next_key_name(dir.path(), "issuer.key"), "issuer-3.key");
    }

    #[test]
    fn urls_map_to_site_files() {
        let out = Path::new("/site");
        assert_eq!(
            site_path(out, "https://example.org/status/revocation-1.json").unwrap(),
            Path::new("/site/status/revocation-1.json")
        );
        assert!(site_path(out, "https://example.org/a/../b").is_err());
        assert!(site_path(out, "https://example.org/a/%2E%2E/b").is_err());
        assert!(site_path(out, "https://example.org/a%2Fb").is_err());
        assert_eq!(
            site_path(out, "https://example.org/my%20status/r-1.json").unwrap(),
            Path::new("/site/my status/r-1.json")
        );
        assert!(site_path(out, "ftp://example.org/a").is_err());
        for name in ["a\"b", "keys/k-2.key", "c'd\\e"] {
            let table: toml::Table = toml::from_str(&format!("k = {}", toml_string(name))).unwrap();
            assert_eq!(table["k"].as_str(), Some(name));
        }
    }
}
