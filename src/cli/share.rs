//! `brevet share CREDENTIAL`: from a credential (its JSON, or a badge or
//! certificate that carries it), which it verifies first, the files a
//! learner shares (the badge as PNG and SVG and the certificate as PDF,
//! each with the credential inside) and LinkedIn's "Add to profile" link.

use crate::atomic::{WriteOptions, write_file};
use crate::credential::verify::{VerifyOptions, verify};
use anyhow::Context as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `brevet share`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The credential: its JSON file, or a badge (PNG, SVG) or a
    /// certificate (PDF) that carries it.
    #[arg(value_name = "CREDENTIAL")]
    pub file: PathBuf,
    /// Where to write the files [default: the credential's folder].
    #[arg(long, short, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Where the issuer lets anyone check a credential, `{id}` standing for
    /// its id (for the LinkedIn link) [default: the credential's id, when it
    /// is a web address].
    #[arg(long, value_name = "URL")]
    pub verify_url: Option<String>,
    /// A did:web issuer's DID document (its did.json), read offline
    /// (repeatable).
    #[arg(long, value_name = "FILE")]
    pub did_document: Vec<PathBuf>,
    /// The trust folder, with the DID documents of did:web issuers
    /// [default: DATA/trust, when it exists].
    #[arg(long, value_name = "DIR")]
    pub trust_dir: Option<PathBuf>,
    /// A status list credential, to check the credential is neither
    /// revoked nor suspended (repeatable).
    #[arg(long, value_name = "FILE")]
    pub status_list: Vec<PathBuf>,
    /// Fetch a did:web issuer's DID document, and the status lists the
    /// credential points to, over HTTPS.
    #[arg(long)]
    pub online: bool,
    /// Replace files of the same names that hold something else.
    #[arg(long)]
    pub force: bool,
    /// With --online: also trust this certificate authority (PEM) for HTTPS
    /// (repeatable).
    #[arg(long, value_name = "FILE", requires = "online")]
    pub ca_file: Vec<PathBuf>,
    /// Data folder, for the default trust folder [default: $BREVET_DATA, else
    /// $XDG_DATA_HOME/brevet, else ~/.local/share/brevet].
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
}

/// Runs `brevet share`.
///
/// # Errors
/// The credential cannot be read, or a file cannot be written (exit
/// status 2); an invalid credential is exit status 1.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let now = chrono::Utc::now();
    if let Some(url) = &args.verify_url
        && !url.starts_with("https://")
    {
        anyhow::bail!("--verify-url {url}: not an https address");
    }
    let (carrier, json) = super::verify::read_credential(&args.file)
        .map_err(|why| anyhow::anyhow!("{}: {why}", args.file.display()))?;
    let files_shared = std::slice::from_ref(&args.file);
    let mut knowledge = super::trust::knowledge(&super::trust::Sources {
        trust_dir: args.trust_dir.as_deref(),
        data: args.data.as_deref(),
        trust_files: &[],
        trust: &[],
        documents: &args.did_document,
    })?;
    let list_files = super::trust::read_lists(&args.status_list)?;
    let online = if args.online {
        Some(super::trust::Online::new(&args.ca_file)?)
    } else {
        None
    };
    if let Some(online) = &online {
        online.fetch_documents(&mut knowledge, files_shared);
    }
    super::trust::check_lists(&mut knowledge, list_files, now);
    if let Some(online) = &online {
        online.fetch_lists(&mut knowledge, files_shared, now);
    }
    let report = verify(
        &json,
        &VerifyOptions {
            knowledge: &knowledge,
            ..VerifyOptions::at(now)
        },
    );
    if let crate::credential::verify::Verdict::Invalid(why) = &report.verdict {
        eprintln!(
            "brevet: {}: not shared, the credential is INVALID: {why}",
            args.file.display(),
        );
        return Ok(ExitCode::from(1));
    }
    let text = String::from_utf8(json).context("the credential is not UTF-8 text")?;
    let text = text.trim_end();
    let folder = match &args.out {
        Some(dir) => dir.clone(),
        None => args
            .file
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
    };
    std::fs::create_dir_all(&folder).with_context(|| format!("{}", folder.display()))?;
    let stem = args
        .file
        .file_stem()
        .map_or_else(|| "credential".into(), |s| s.to_string_lossy().into_owned());
    let mut files: Vec<(&str, Vec<u8>)> = Vec::new();
    if carrier != crate::credential::baked::Carrier::Json {
        // Taken out of a badge: the credential's own file too.
        files.push(("json", format!("{text}\n").into_bytes()));
    }
    let document: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text)?;
    let id = document
        .get("id")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default();
    let url = args
        .verify_url
        .as_ref()
        .map(|t| crate::share::verify_address(t, id));
    // Dates as where it is printed.
    let zone = *chrono::Local::now().offset();
    files.extend(crate::share::files(text, url.as_deref(), zone)?);
    let mut out = std::io::stdout().lock();
    let shared = std::fs::canonicalize(&args.file).ok();
    for (extension, bytes) in files {
        let path = folder.join(format!("{stem}.{extension}"));
        // The file shared is left as it is; so is a file that holds the
        // same bytes already. Another file is replaced only when asked.
        if shared.is_some() && std::fs::canonicalize(&path).ok() == shared {
            writeln!(out, "{}", path.display())?;
            continue;
        }
        let options = WriteOptions {
            mode: 0o644,
            overwrite: args.force,
        };
        match write_file(&path, &bytes, options) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                if std::fs::read(&path).ok().as_deref() != Some(bytes.as_slice()) {
                    anyhow::bail!(
                        "{}: a different file of that name is there; --force replaces it, --out writes elsewhere",
                        path.display()
                    );
                }
            }
            Err(e) => return Err(e).with_context(|| format!("{}", path.display())),
        }
        writeln!(out, "{}", path.display())?;
    }
    if let Some(link) = crate::share::linkedin(&document, url.as_deref(), zone) {
        writeln!(out, "LinkedIn: {link}")?;
    }
    Ok(ExitCode::SUCCESS)
}
