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
    Knowledge, KnownDocument, MAX_STATUS_LIST_BYTES, TrustedIssuer, VerifyOptions, check_list,
};
use anyhow::{Context, bail};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The trust list's file in the trust folder.
pub const TRUST_FILE: &str = "issuers.toml";
/// The trust folder's name in the data folder.
pub const TRUST_DIR: &str = "trust";

/// Where trust comes from, as the command line gives it.
#[derive(Debug, Default)]
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
    /// `--status-list FILE`.
    pub lists: &'a [PathBuf],
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
pub fn knowledge(
    sources: &Sources<'_>,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Knowledge> {
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
            add_document(&mut knowledge, &path, "your trust folder")?;
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
    for did in sources.trust {
        check_did(did).with_context(|| format!("--trust {did}"))?;
        if knowledge.trusted(did).is_none() {
            knowledge.trusted.push(TrustedIssuer {
                did: did.clone(),
                name: None,
                url: None,
            });
        }
    }
    for path in sources.documents {
        add_document(&mut knowledge, path, "the file")?;
    }
    // Lists are checked with the documents at hand: their proofs are the
    // issuer's.
    let mut lists = Vec::new();
    for path in sources.lists {
        let bytes = crate::input::read_limited(path, MAX_STATUS_LIST_BYTES)
            .with_context(|| path.display().to_string())?;
        let id = list_id(&bytes)
            .with_context(|| format!("--status-list {}: not a status list", path.display()))?;
        lists.push((path, id, bytes));
    }
    let options = VerifyOptions {
        knowledge: &knowledge,
        ..VerifyOptions::at(now)
    };
    let checked: Vec<_> = lists
        .into_iter()
        .map(|(path, id, bytes)| {
            let list =
                check_list(&bytes, &options).map_err(|why| format!("{}: {why}", path.display()));
            (id, list)
        })
        .collect();
    knowledge.lists.extend(checked);
    Ok(knowledge)
}

/// How long one fetch may take, redirects included.
pub const FETCH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// With `--online`: fetches, once each, the DID documents of the `did:web`
/// issuers of `files` and the status lists they point to that are not at
/// hand, over HTTPS from their own addresses. A document fetched from its
/// domain lets the domain vouch; a fetch that fails is said in the verdict
/// of each credential that needed it.
///
/// # Errors
/// The extra certificate authorities cannot be read.
pub fn fetch_missing(
    knowledge: &mut Knowledge,
    files: &[PathBuf],
    ca_files: &[PathBuf],
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    use crate::online::{Client, Limits, Roots};
    let mut extra_pem = Vec::new();
    for path in ca_files {
        extra_pem.push(
            crate::input::read_limited(path, crate::input::SMALL_TEXT)
                .with_context(|| format!("--ca-file {}", path.display()))?,
        );
    }
    let client = Client::new(&Roots { extra_pem }).map_err(|e| match e {
        crate::online::FetchError::BadCertificateFile { number, reason } => anyhow::anyhow!(
            "--ca-file {}: {reason}",
            ca_files
                .get(number.saturating_sub(1))
                .map_or_else(String::new, |p| p.display().to_string())
        ),
        other => anyhow::anyhow!(other),
    })?;
    // What the credentials need, read once from each file.
    let mut dids: Vec<DidWeb> = Vec::new();
    let mut lists: Vec<String> = Vec::new();
    for path in files {
        let Ok(bytes) =
            crate::input::read_limited(path, crate::credential::verify::MAX_CREDENTIAL_BYTES)
        else {
            continue;
        };
        let Ok(serde_json::Value::Object(doc)) =
            serde_json::from_slice::<serde_json::Value>(&bytes)
        else {
            continue;
        };
        let issuer = match doc.get("issuer") {
            Some(serde_json::Value::String(id)) => Some(id.as_str()),
            Some(serde_json::Value::Object(p)) => p.get("id").and_then(serde_json::Value::as_str),
            _ => None,
        };
        if let Some(did) = issuer.and_then(|i| DidWeb::parse(i).ok())
            && !knowledge.documents.contains_key(did.as_str())
            && !dids.contains(&did)
        {
            dids.push(did);
        }
        if let Ok(statuses) = crate::credential::status::entries(&doc) {
            for entry in statuses.entries {
                if !knowledge.lists.contains_key(&entry.list) && !lists.contains(&entry.list) {
                    lists.push(entry.list);
                }
            }
        }
    }
    for did in dids {
        let url = did.document_url();
        let limits = Limits {
            max_bytes: MAX_DOCUMENT_BYTES as u64,
            timeout: FETCH_TIMEOUT,
        };
        let fetched = client
            .get(&url, limits)
            .map_err(|e| e.to_string())
            .and_then(|bytes| {
                DidDocument::parse_for(&bytes, &did).map_err(|e| format!("{url}: {e}"))
            });
        match fetched {
            Ok(document) => {
                knowledge.documents.insert(
                    did.as_str().to_owned(),
                    KnownDocument {
                        document,
                        source: url,
                        from_domain: true,
                    },
                );
            }
            Err(why) => {
                knowledge.unresolved.insert(did.as_str().to_owned(), why);
            }
        }
    }
    // Lists are checked with the documents fetched above.
    let mut checked = Vec::new();
    {
        let options = VerifyOptions {
            knowledge,
            ..VerifyOptions::at(now)
        };
        for url in lists {
            let limits = Limits {
                max_bytes: MAX_STATUS_LIST_BYTES,
                timeout: FETCH_TIMEOUT,
            };
            let list = match client.get(&url, limits) {
                Ok(bytes) => {
                    check_list(&bytes, &options).map_err(|why| format!("fetched from {url}: {why}"))
                }
                Err(e) => Err(e.to_string()),
            };
            checked.push((url, list));
        }
    }
    knowledge.lists.extend(checked);
    Ok(())
}

/// Reads a DID document into `knowledge`, under its DID.
fn add_document(knowledge: &mut Knowledge, path: &Path, what: &str) -> anyhow::Result<()> {
    let bytes = crate::input::read_limited(path, MAX_DOCUMENT_BYTES as u64)
        .with_context(|| path.display().to_string())?;
    let document = DidDocument::parse(&bytes)
        .with_context(|| format!("{}: not a usable DID document", path.display()))?;
    knowledge.documents.insert(
        document.id().as_str().to_owned(),
        KnownDocument {
            document,
            source: format!("{what} {}", path.display()),
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
            trust: &["did:web:other.example.org".into()],
            ..Sources::default()
        };
        let k = knowledge(&sources, chrono::Utc::now()).unwrap();
        assert_eq!(k.trusted.len(), 2);
        assert_eq!(
            k.trusted("did:web:formation.example.org")
                .unwrap()
                .name
                .as_deref(),
            Some("Formation")
        );
        std::fs::write(&file, "[[issuer]]\ndid = \"did:web:Bad\"\n").unwrap();
        let e = knowledge(&sources, chrono::Utc::now()).unwrap_err();
        assert!(
            format!("{e:#}").contains("issuers.toml: did:web:Bad"),
            "{e:#}"
        );
        std::fs::write(&file, "[[issuers]]\ndid = \"did:web:example.org\"\n").unwrap();
        let e = knowledge(&sources, chrono::Utc::now()).unwrap_err();
        assert!(format!("{e:#}").contains("not a trust list"), "{e:#}");
    }
}
