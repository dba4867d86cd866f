//! What `brevet verify` knows besides the credentials: the trust list
//! (`issuers.toml` of the trust folder, `--trust-file`, `--trust`), the DID
//! documents (the trust folder's `*.json`, `--did-document`) and the status
//! lists (`--status-list`), read and checked once per run.
//!
//! The trust folder is `DATA/trust/` unless `--trust-dir` names another; a
//! missing default folder is no error.

use crate::credential::did::DidKey;
use crate::credential::did_web::{DidDocument, DidWeb, MAX_DOCUMENT_BYTES};
use crate::credential::verify::{
    Knowledge, KnownDocument, MAX_CREDENTIAL_BYTES, MAX_STATUS_LIST_BYTES, TrustedIssuer,
    VerifyOptions, check_list,
};
use anyhow::{Context, bail};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The trust list's file in the trust folder.
pub const TRUST_FILE: &str = "issuers.toml";
/// The trust folder's name in the data folder.
pub const TRUST_DIR: &str = "trust";

/// Where trust comes from, as the command line gives it.
#[derive(Debug, Default, Clone, Copy)]
pub struct Sources<'a> {
    /// `--trust-dir`, or `None` for `DATA/trust` when it exists.
    pub trust_dir: Option<&'a Path>,
    /// `--data`, to find the default trust folder.
    pub data: Option<&'a Path>,
    /// `--trust-file`.
    pub trust_files: &'a [PathBuf],
    /// `--trust DID`.
    pub trust: &'a [String],
    /// `--did-document FILE`.
    pub documents: &'a [PathBuf],
}

/// A trust list file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrustFile {
    #[serde(default)]
    issuer: Vec<TrustEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrustEntry {
    did: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

/// Reads everything `sources` names into what the verifier knows.
///
/// # Errors
/// A file that cannot be read, or is not what its option says (exit 2):
/// trust is configured on purpose, and a broken part of it is said, not
/// skipped.
pub fn knowledge(sources: &Sources<'_>) -> anyhow::Result<Knowledge> {
    let mut knowledge = Knowledge::default();
    let folder = match sources.trust_dir {
        Some(dir) => {
            if !dir.is_dir() {
                bail!("--trust-dir {}: not a folder", dir.display());
            }
            Some(dir.to_path_buf())
        }
        None => super::data_dir(sources.data)
            .ok()
            .map(|d| d.join(TRUST_DIR))
            .filter(|d| d.is_dir()),
    };
    let mut trust_files: Vec<PathBuf> = sources.trust_files.to_vec();
    if let Some(folder) = &folder {
        let file = folder.join(TRUST_FILE);
        if file.exists() {
            trust_files.push(file);
        }
        let mut documents = Vec::new();
        super::collect_files(folder, "json", &mut documents).or_else(|e| {
            // A trust folder may hold only the trust list.
            if folder.join(TRUST_FILE).exists() {
                Ok(())
            } else {
                Err(e)
            }
        })?;
        for path in documents {
            add_document(&mut knowledge, &path, Origin::TrustFolder)?;
        }
    }
    for path in &trust_files {
        let text = crate::input::read_text(path, crate::input::SMALL_TEXT)
            .with_context(|| path.display().to_string())?;
        let file: TrustFile = toml::from_str(&text)
            .with_context(|| format!("{}: not a trust list", path.display()))?;
        for entry in file.issuer {
            check_did(&entry.did).with_context(|| format!("{}: {}", path.display(), entry.did))?;
            knowledge.trusted.push(TrustedIssuer {
                did: entry.did,
                name: entry.name,
                url: entry.url,
            });
        }
    }
    // `--trust DID` pins: only those are accepted (their names, when a
    // trust list gives them, kept for the summary).
    if !sources.trust.is_empty() {
        let mut pinned = Vec::new();
        for did in sources.trust {
            check_did(did).with_context(|| format!("--trust {did}"))?;
            let entry = knowledge.trusted(did).cloned().unwrap_or(TrustedIssuer {
                did: did.clone(),
                name: None,
                url: None,
            });
            if !pinned.iter().any(|p: &TrustedIssuer| p.did == entry.did) {
                pinned.push(entry);
            }
        }
        knowledge.trusted = pinned;
    }
    for path in sources.documents {
        add_document(&mut knowledge, path, Origin::File)?;
    }
    Ok(knowledge)
}

/// A status list file given on the command line, read but not checked yet
/// (its issuer's DID document may still have to be fetched).
#[derive(Debug)]
pub struct ListFile {
    path: PathBuf,
    id: String,
    bytes: Vec<u8>,
}

/// Reads the `--status-list` files.
///
/// # Errors
/// A file that cannot be read, or has no `id` to be known by.
pub fn read_lists(paths: &[PathBuf]) -> anyhow::Result<Vec<ListFile>> {
    paths
        .iter()
        .map(|path| {
            let bytes = crate::input::read_limited(path, MAX_STATUS_LIST_BYTES)
                .with_context(|| path.display().to_string())?;
            let id = list_id(&bytes)
                .with_context(|| format!("--status-list {}: not a status list", path.display()))?;
            Ok(ListFile {
                path: path.clone(),
                id,
                bytes,
            })
        })
        .collect()
}

/// Checks the list files (their proofs are their issuer's: with the
/// documents at hand) and keeps them, by address, for the run.
pub fn check_lists(
    knowledge: &mut Knowledge,
    lists: Vec<ListFile>,
    now: chrono::DateTime<chrono::Utc>,
) {
    let options = VerifyOptions {
        knowledge,
        ..VerifyOptions::at(now)
    };
    let checked: Vec<_> = lists
        .into_iter()
        .map(|l| {
            let list = check_list(&l.bytes, &options)
                .map_err(|why| format!("{}: {why}", l.path.display()));
            (l.id, list)
        })
        .collect();
    knowledge.lists.extend(checked);
}

/// How long one fetch may take, redirects included.
pub const FETCH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// How long all the fetches of one run may take together.
pub const RUN_FETCH_TIME: std::time::Duration = std::time::Duration::from_secs(60);
/// The most DID documents one run fetches.
pub const MAX_DOCUMENTS: usize = 16;
/// The most status lists one run fetches.
pub const MAX_LISTS: usize = 16;

/// `--online`: what is not at hand, fetched over HTTPS from its own
/// address, once per run, within the run's limits ([`RUN_FETCH_TIME`],
/// [`MAX_DOCUMENTS`], [`MAX_LISTS`]). A fetch that fails, or is not made,
/// is said in the verdict of each credential that needed it.
pub struct Online {
    client: crate::online::Client,
    deadline: std::time::Instant,
}

impl Online {
    /// A client trusting the web roots and `ca_files`.
    ///
    /// # Errors
    /// A certificate authority file cannot be read or holds none.
    pub fn new(ca_files: &[PathBuf]) -> anyhow::Result<Online> {
        use crate::online::{Client, FetchError, Roots};
        let mut extra_pem = Vec::new();
        for path in ca_files {
            extra_pem.push(
                crate::input::read_limited(path, crate::input::SMALL_TEXT)
                    .with_context(|| format!("--ca-file {}", path.display()))?,
            );
        }
        let client = Client::new(&Roots { extra_pem }).map_err(|e| match e {
            FetchError::BadCertificateFile { number, reason } => anyhow::anyhow!(
                "--ca-file {}: {reason}",
                ca_files
                    .get(number.saturating_sub(1))
                    .map_or_else(String::new, |p| p.display().to_string())
            ),
            other => anyhow::anyhow!(other),
        })?;
        Ok(Online {
            client,
            deadline: std::time::Instant::now() + RUN_FETCH_TIME,
        })
    }

    /// GETs `url` within the fetch's and the run's time.
    fn get(&self, url: &str, max_bytes: u64) -> Result<Vec<u8>, String> {
        let left = self
            .deadline
            .saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return Err(format!(
                "{url}: not fetched: this run's {} s for fetching are spent",
                RUN_FETCH_TIME.as_secs()
            ));
        }
        let limits = crate::online::Limits {
            max_bytes,
            timeout: left.min(FETCH_TIMEOUT),
        };
        self.client.get(url, limits).map_err(|e| e.to_string())
    }

    /// Fetches the DID documents of the did:web issuers of `files` that
    /// are not at hand, from their own domains.
    pub fn fetch_documents(&self, knowledge: &mut Knowledge, files: &[PathBuf]) {
        let mut dids: Vec<DidWeb> = Vec::new();
        for path in files {
            let Some((_, doc)) = read_json(path) else {
                continue;
            };
            let issuer = crate::credential::verify::issuer_id(&doc).ok();
            if let Some(did) = issuer.and_then(|i| DidWeb::parse(i).ok())
                && !knowledge.documents.contains_key(did.as_str())
                && !dids.contains(&did)
            {
                dids.push(did);
            }
        }
        for (n, did) in dids.into_iter().enumerate() {
            let url = did.document_url();
            let fetched = if n >= MAX_DOCUMENTS {
                Err(format!(
                    "{url}: not fetched: one run fetches the documents of at most {MAX_DOCUMENTS} issuers"
                ))
            } else {
                self.get(&url, MAX_DOCUMENT_BYTES as u64).and_then(|bytes| {
                    DidDocument::parse_for(&bytes, &did).map_err(|e| format!("{url}: {e}"))
                })
            };
            match fetched {
                Ok(document) => {
                    knowledge.documents.insert(
                        did.as_str().to_owned(),
                        KnownDocument {
                            document,
                            source: url,
                            vouched: true,
                            from_domain: true,
                        },
                    );
                }
                Err(why) => {
                    knowledge.unresolved.insert(did.as_str().to_owned(), why);
                }
            }
        }
    }

    /// Fetches the status lists that genuine credentials of `files` point
    /// to and that are not at hand (a credential whose proof does not hold
    /// sends nothing out), and checks each once.
    pub fn fetch_lists(
        &self,
        knowledge: &mut Knowledge,
        files: &[PathBuf],
        now: chrono::DateTime<chrono::Utc>,
    ) {
        let mut urls: Vec<String> = Vec::new();
        {
            let options = VerifyOptions {
                knowledge,
                ..VerifyOptions::at(now)
            };
            for path in files {
                let Some((bytes, doc)) = read_json(path) else {
                    continue;
                };
                let Ok(statuses) = crate::credential::status::entries(&doc) else {
                    continue;
                };
                let missing: Vec<String> = statuses
                    .entries
                    .into_iter()
                    .map(|e| e.list)
                    .filter(|l| !knowledge.lists.contains_key(l) && !urls.contains(l))
                    .collect();
                if missing.is_empty() {
                    continue;
                }
                // The credential, also when a badge or a certificate
                // carries it.
                if crate::credential::verify::verify(&bytes, &options)
                    .verdict
                    .is_valid()
                {
                    for url in missing {
                        if !urls.contains(&url) {
                            urls.push(url);
                        }
                    }
                }
            }
        }
        let mut checked = Vec::new();
        {
            let options = VerifyOptions {
                knowledge,
                ..VerifyOptions::at(now)
            };
            for (n, url) in urls.into_iter().enumerate() {
                let list = if n >= MAX_LISTS {
                    Err(format!(
                        "{url}: not fetched: one run fetches at most {MAX_LISTS} status lists"
                    ))
                } else {
                    self.get(&url, MAX_STATUS_LIST_BYTES).and_then(|bytes| {
                        check_list(&bytes, &options)
                            .map_err(|why| format!("fetched from {url}: {why}"))
                    })
                };
                checked.push((url, list));
            }
        }
        knowledge.lists.extend(checked);
    }
}

/// A credential's JSON object, if it is one: the file's, or the one its
/// badge or certificate carries (read within the limit).
fn read_json(path: &Path) -> Option<(Vec<u8>, serde_json::Map<String, serde_json::Value>)> {
    let (_, bytes) = super::verify::read_credential(path).ok()?;
    if bytes.len() as u64 > MAX_CREDENTIAL_BYTES {
        return None;
    }
    match serde_json::from_slice(&bytes) {
        Ok(serde_json::Value::Object(doc)) => Some((bytes, doc)),
        _ => None,
    }
}

/// Where a DID document at hand came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// The verifier's own trust folder: it vouches for what it keeps.
    TrustFolder,
    /// A file named on the command line (the holder may have made it).
    File,
}

/// Reads a DID document into `knowledge`, under its DID. The trust
/// folder's copy is kept over a file's.
fn add_document(knowledge: &mut Knowledge, path: &Path, origin: Origin) -> anyhow::Result<()> {
    let bytes = crate::input::read_limited(path, MAX_DOCUMENT_BYTES as u64)
        .with_context(|| path.display().to_string())?;
    let document = DidDocument::parse(&bytes)
        .with_context(|| format!("{}: not a usable DID document", path.display()))?;
    let did = document.id().as_str().to_owned();
    if origin == Origin::File && knowledge.documents.contains_key(&did) {
        return Ok(());
    }
    let what = match origin {
        Origin::TrustFolder => "your trust folder's",
        Origin::File => "the file",
    };
    knowledge.documents.insert(
        did,
        KnownDocument {
            document,
            source: format!("{what} {}", path.display()),
            vouched: origin == Origin::TrustFolder,
            from_domain: false,
        },
    );
    Ok(())
}

/// The `id` of a status list credential, read before it is checked, so
/// that a list that fails its checks is still known by its address.
fn list_id(bytes: &[u8]) -> anyhow::Result<String> {
    let value: serde_json::Value = serde_json::from_slice(bytes).context("not JSON")?;
    match value.get("id") {
        Some(serde_json::Value::String(id)) => Ok(id.clone()),
        _ => bail!("it has no `id`: a status list is known by its address"),
    }
}

/// A DID brevet can trust: a did:key or a did:web.
fn check_did(did: &str) -> anyhow::Result<()> {
    if did.starts_with("did:key:") {
        DidKey::parse(did)?;
    } else {
        DidWeb::parse(did)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trust_list_names_issuers() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(TRUST_FILE);
        std::fs::write(
            &file,
            "[[issuer]]\ndid = \"did:web:formation.example.org\"\nname = \"Formation\"\nurl = \"https://formation.example.org\"\n",
        )
        .unwrap();
        let sources = Sources {
            trust_dir: Some(dir.path()),
            ..Sources::default()
        };
        let k = knowledge(&sources).unwrap();
        assert_eq!(k.trusted.len(), 1);
        assert_eq!(
            k.trusted("did:web:formation.example.org")
                .unwrap()
                .name
                .as_deref(),
            Some("Formation")
        );
        // --trust pins: only those, with the names the list gives.
        let pinned = [
            "did:web:other.example.org".to_owned(),
            "did:web:formation.example.org".to_owned(),
        ];
        let k = knowledge(&Sources {
            trust: &pinned[..1],
            ..sources
        })
        .unwrap();
        assert_eq!(k.trusted.len(), 1);
        assert!(k.trusted("did:web:formation.example.org").is_none());
        let k = knowledge(&Sources {
            trust: &pinned,
            ..sources
        })
        .unwrap();
        assert_eq!(
            k.trusted("did:web:formation.example.org")
                .unwrap()
                .name
                .as_deref(),
            Some("Formation")
        );
        std::fs::write(&file, "[[issuer]]\ndid = \"did:web:Bad\"\n").unwrap();
        let e = knowledge(&sources).unwrap_err();
        assert!(
            format!("{e:#}").contains("issuers.toml: did:web:Bad"),
            "{e:#}"
        );
        std::fs::write(&file, "[[issuers]]\ndid = \"did:web:example.org\"\n").unwrap();
        let e = knowledge(&sources).unwrap_err();
        assert!(format!("{e:#}").contains("not a trust list"), "{e:#}");
    }
}
