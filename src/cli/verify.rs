//! `brevet verify FILE...`: verify credentials offline, on all cores, and
//! print per file what it claims, whether it is valid or exactly why not,
//! who vouches for its issuer and whether its status was checked.

use crate::credential::identity::{EmailCheck, check_email};
use crate::credential::summary::Summary;
use crate::credential::verify::{
    Invalid, MAX_CREDENTIAL_BYTES, Report, Status, Verdict, VerifyOptions, verify,
};
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Arguments of `brevet verify`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Credential files, or folders searched recursively for `*.json`.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Accept only credentials of this issuer, a did:web or did:key
    /// (repeatable; implies --require-trust).
    #[arg(long, value_name = "DID")]
    pub trust: Vec<String>,
    /// A trust list: `[[issuer]]` tables with `did`, `name`, `url`
    /// (repeatable) [default: TRUST_DIR/issuers.toml].
    #[arg(long, value_name = "FILE")]
    pub trust_file: Vec<PathBuf>,
    /// The trust folder: `issuers.toml` and the DID documents (`*.json`) of
    /// did:web issuers [default: DATA/trust, when it exists].
    #[arg(long, value_name = "DIR")]
    pub trust_dir: Option<PathBuf>,
    /// An issuer outside the trust list makes the credential invalid (exit 1).
    #[arg(long)]
    pub require_trust: bool,
    /// A did:web issuer's DID document (its did.json), read offline (repeatable).
    #[arg(long, value_name = "FILE")]
    pub did_document: Vec<PathBuf>,
    /// A status list credential, to check revocation and suspension offline
    /// (repeatable).
    #[arg(long, value_name = "FILE")]
    pub status_list: Vec<PathBuf>,
    /// Fetch what is not at hand, over HTTPS: the DID documents of did:web
    /// issuers (from their own domain, which then vouches for their keys)
    /// and the status lists credentials point to. Nothing else goes out.
    #[arg(long)]
    pub online: bool,
    /// With --online: also trust this certificate authority (PEM) for HTTPS,
    /// beside the usual web roots (repeatable).
    #[arg(long, value_name = "FILE", requires = "online")]
    pub ca_file: Vec<PathBuf>,
    /// Check that each credential names this e-mail address (hashed in it):
    /// exit 1 when one does not.
    #[arg(long, value_name = "EMAIL")]
    pub learner_email: Option<String>,
    /// For an issuer checking its own credentials: the date and reason of a
    /// revocation or suspension, from the registry of the store (--data,
    /// --store) they were issued with.
    #[arg(long)]
    pub registry: bool,
    /// Where the store is (with --registry).
    #[command(flatten)]
    pub store: super::store_at::StoreArgs,
    /// Data folder, for the default trust folder [default: $BREVET_DATA, else
    /// $XDG_DATA_HOME/brevet, else ~/.local/share/brevet].
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Print one JSON document for scripts instead of the human summary.
    #[arg(long)]
    pub json: bool,
    /// Also accept Verifiable Credentials that are not Open Badges.
    #[arg(long)]
    pub any_vc: bool,
}

/// One file's outcome: a report, or why the file could not be read.
enum Outcome {
    Checked(Box<Report>, Option<EmailCheck>),
    Unreadable(String),
}

/// Runs `brevet verify`.
///
/// # Errors
/// A malformed `--trust` or an unlistable folder (exit status 2).
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let now = chrono::Utc::now();
    if let Some(address) = &args.learner_email {
        crate::credential::identity::normalise_email(address)
            .map_err(|e| anyhow::anyhow!("--learner-email: {e}"))?;
    }
    let mut knowledge = super::trust::knowledge(&super::trust::Sources {
        trust_dir: args.trust_dir.as_deref(),
        data: args.data.as_deref(),
        trust_files: &args.trust_file,
        trust: &args.trust,
        documents: &args.did_document,
    })?;
    let list_files = super::trust::read_lists(&args.status_list)?;
    let mut files = Vec::new();
    for path in &args.files {
        super::collect_files(path, "json", &mut files)?;
    }
    // Documents first: the lists' proofs are their issuers'.
    let online = if args.online {
        Some(super::trust::Online::new(&args.ca_file)?)
    } else {
        None
    };
    if let Some(online) = &online {
        online.fetch_documents(&mut knowledge, &files);
    }
    super::trust::check_lists(&mut knowledge, list_files, now);
    if let Some(online) = &online {
        online.fetch_lists(&mut knowledge, &files, now);
    }
    let options = VerifyOptions {
        now,
        knowledge: &knowledge,
        require_trust: args.require_trust || !args.trust.is_empty(),
        any_vc: args.any_vc,
    };
    let mut outcomes = verify_all(&files, &options, args.learner_email.as_deref());
    if args.registry {
        add_registry_reasons(args, &files, &mut outcomes)?;
    }
    let report = if args.json {
        json_report(&files, &outcomes)?
    } else {
        text_report(&files, &outcomes, super::stdout_color())
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(report.as_bytes())?;
    stdout.flush()?;
    let unreadable = outcomes.iter().any(|o| matches!(o, Outcome::Unreadable(_)));
    let invalid = outcomes.iter().any(|o| match o {
        Outcome::Checked(r, email) => {
            !r.verdict.is_valid() || email.is_some_and(|e| e != EmailCheck::Matches)
        }
        Outcome::Unreadable(_) => false,
    });
    Ok(ExitCode::from(if unreadable {
        2
    } else if invalid {
        1
    } else {
        0
    }))
}

/// Fills the date and reason of each revocation and suspension found, from
/// the issuer's registry.
fn add_registry_reasons(
    args: &Args,
    files: &[PathBuf],
    outcomes: &mut [Outcome],
) -> anyhow::Result<()> {
    use crate::credential::status::Purpose;
    let data = crate::store::DataDir::locate(args.data.as_deref())?;
    let Some(store) = args.store.open_existing(&data)? else {
        anyhow::bail!(
            "--registry: {}: no store here (the registry is in the store the credentials were issued with: --data, --store)",
            data.root().join(crate::store::sqlite::FILE).display()
        );
    };
    for (path, outcome) in files.iter().zip(outcomes.iter_mut()) {
        let Outcome::Checked(report, _) = outcome else {
            continue;
        };
        let (purpose, change) = match &mut report.verdict {
            Verdict::Invalid(Invalid::Revoked(change)) => (Purpose::Revocation, change),
            Verdict::Invalid(Invalid::Suspended(change)) => (Purpose::Suspension, change),
            _ => continue,
        };
        let id = credential_bytes(path)
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .and_then(|v| {
                v.get("id")
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned)
            });
        let Some(id) = id else { continue };
        if let Some(registered) = store.with(|db| db.registered(&id))?
            && let Some(latest) = registered.latest(purpose).filter(|c| c.set)
        {
            change.at = Some(crate::credential::format_datetime(latest.at));
            change.reason = Some(latest.reason.clone());
        }
    }
    Ok(())
}

/// Verifies every file, in parallel on all cores; outcomes in file order.
fn verify_all(files: &[PathBuf], options: &VerifyOptions<'_>, email: Option<&str>) -> Vec<Outcome> {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(files.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Outcome)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(file) = files.get(i) else { break };
                        // A bug must cost one file its verdict, not the others.
                        let outcome =
                            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                verify_file(file, options, email)
                            }))
                            .unwrap_or_else(|_| {
                                Outcome::Unreadable("internal error while verifying".into())
                            });
                        mine.push((i, outcome));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(files.len());
    let mut done = done.into_iter().peekable();
    for i in 0..files.len() {
        match done.next_if(|(j, _)| *j == i) {
            Some((_, outcome)) => outcomes.push(outcome),
            // Only if a worker panicked: say so rather than lose the file.
            None => outcomes.push(Outcome::Unreadable("internal error while verifying".into())),
        }
    }
    outcomes
}

/// A credential file's JSON: the file itself, or the credential baked into
/// a badge (PNG, SVG) or attached to a certificate (PDF). A JSON file or a
/// credential larger than a credential can be is refused by `verify`, which
/// says its size.
fn credential_bytes(path: &Path) -> Result<Vec<u8>, String> {
    read_credential(path).map(|(_, bytes)| bytes)
}

/// [`credential_bytes`], and what carried them.
pub(super) fn read_credential(
    path: &Path,
) -> Result<(crate::credential::baked::Carrier, Vec<u8>), String> {
    use crate::credential::baked::{self, Carrier};
    let bytes =
        crate::input::read_limited(path, baked::MAX_IMAGE_BYTES as u64).map_err(|e| e.reason())?;
    if bytes.len() > baked::MAX_IMAGE_BYTES {
        return Err(format!("larger than {} bytes", baked::MAX_IMAGE_BYTES));
    }
    let carrier = Carrier::of(&bytes);
    let carried = match carrier {
        Carrier::Json => return Ok((carrier, bytes)),
        Carrier::Png => baked::extract_png(&bytes),
        Carrier::Svg => match std::str::from_utf8(&bytes) {
            Ok(text) => baked::extract_svg(text),
            Err(_) => Err(baked::BakedError::NotSvg("not UTF-8 text".into())),
        },
        Carrier::Pdf => crate::share::pdf::extract(&bytes),
    };
    carried
        .map(|json| (carrier, json.into_bytes()))
        .map_err(|e| e.to_string())
}

fn verify_file(path: &Path, options: &VerifyOptions<'_>, email: Option<&str>) -> Outcome {
    match credential_bytes(path) {
        // Reading stopped one byte past the limit: the file says its size.
        Ok(bytes) if bytes.len() as u64 > MAX_CREDENTIAL_BYTES => {
            let size = std::fs::metadata(path).map_or(0, |m| m.len());
            let report = Report {
                verdict: Verdict::Invalid(Invalid::TooLarge {
                    size: size.max(bytes.len() as u64),
                    max: MAX_CREDENTIAL_BYTES,
                }),
                summary: Summary::default(),
                proofs: Vec::new(),
            };
            Outcome::Checked(Box::new(report), None)
        }
        Ok(bytes) => {
            let report = verify(&bytes, options);
            // Only a genuine credential's identities mean anything.
            let email = email.filter(|_| report.verdict.is_valid()).map(|address| {
                match crate::credential::jcs::parse_strict(&bytes) {
                    Ok(serde_json::Value::Object(doc)) => check_email(&doc, address),
                    _ => EmailCheck::NoEmail,
                }
            });
            Outcome::Checked(Box::new(report), email)
        }
        Err(why) => Outcome::Unreadable(why),
    }
}

fn text_report(files: &[PathBuf], outcomes: &[Outcome], color: bool) -> String {
    let paint = |text: &str, code: &str| {
        if color {
            format!("\x1b[1;{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    };
    let mut out = String::new();
    let (mut valid, mut invalid, mut unreadable) = (0, 0, 0);
    for (file, outcome) in files.iter().zip(outcomes) {
        let name = file.display();
        match outcome {
            Outcome::Unreadable(why) => {
                unreadable += 1;
                let _ = writeln!(out, "{name}: {} {why}", paint("ERROR", "31"));
            }
            Outcome::Checked(report, email) => {
                match &report.verdict {
                    Verdict::Valid { .. } => {
                        valid += 1;
                        let _ = writeln!(out, "{name}: {}", paint("VALID", "32"));
                    }
                    Verdict::Invalid(why) => {
                        invalid += 1;
                        let _ = writeln!(out, "{name}: {} {why}", paint("INVALID", "31"));
                    }
                }
                summary_lines(&report.summary, report.verdict.is_valid(), &mut out);
                if let Verdict::Valid { trust, status, .. } = &report.verdict {
                    let trust_line = if trust.trusted {
                        format!("established: {}", trust.reason)
                    } else {
                        format!("{} {}", paint("NOT ESTABLISHED:", "33"), trust.reason)
                    };
                    let _ = writeln!(out, "  {:<12} {trust_line}", "trust");
                    let status_line = match status {
                        Status::None => "no status entry: its issuer cannot revoke it".to_owned(),
                        Status::Clear { lists, as_of } => format!(
                            "neither revoked nor suspended{} (checked in {})",
                            as_of
                                .as_ref()
                                .map_or_else(String::new, |d| format!(" as of {d}")),
                            lists.join(", ")
                        ),
                        Status::NotChecked { reason } => {
                            format!("{} {reason}", paint("not checked:", "33"))
                        }
                    };
                    let _ = writeln!(out, "  {:<12} {status_line}", "status");
                }
                if let Some(email) = email {
                    let line = match email {
                        EmailCheck::Matches => {
                            "the learner's hashed e-mail is this address".to_owned()
                        }
                        EmailCheck::DoesNotMatch => paint(
                            "DOES NOT MATCH: the credential names another e-mail address",
                            "31",
                        ),
                        EmailCheck::NoEmail => {
                            paint("NOT CHECKED: the credential holds no e-mail address", "31")
                        }
                    };
                    let _ = writeln!(out, "  {:<12} {line}", "e-mail");
                }
                // A proof set: each proof's own verdict.
                if report.proofs.len() > 1 {
                    for (i, p) in report.proofs.iter().enumerate() {
                        let _ = writeln!(
                            out,
                            "  proof {}     {} by {}{}: {}",
                            i + 1,
                            p.cryptosuite,
                            p.signer,
                            if p.issuer { " (the issuer)" } else { "" },
                            if p.valid { "holds" } else { "DOES NOT HOLD" }
                        );
                    }
                }
            }
        }
    }
    if files.len() > 1 {
        let _ = write!(
            out,
            "{} files: {valid} valid, {invalid} invalid",
            files.len()
        );
        if unreadable > 0 {
            let _ = write!(out, ", {unreadable} unreadable");
        }
        out.push('\n');
    }
    out
}

fn summary_lines(s: &Summary, valid: bool, out: &mut String) {
    if *s == Summary::default() {
        return;
    }
    if !valid {
        out.push_str("  what it claims (not verified):\n");
    }
    if s.demo_issuer {
        out.push_str("  DEMO ISSUER: not for real certification\n");
    }
    let mut line = |label: &str, value: String| {
        let _ = writeln!(out, "  {label:<12} {value}");
    };
    if let Some(learner) = &s.learner {
        match &s.learner_id {
            Some(id) => line("learner", format!("{learner} (id {id})")),
            None => line("learner", learner.clone()),
        }
    }
    if let Some(achievement) = &s.achievement {
        match &s.achievement_version {
            Some(v) => line("achievement", format!("{achievement} (version {v})")),
            None => line("achievement", achievement.clone()),
        }
    }
    let issuer = [
        s.issuer_name.clone(),
        s.issuer_country.clone().map(|c| format!("({c})")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    match (&s.issuer_id, issuer.is_empty()) {
        (Some(id), false) => line("issuer", format!("{issuer}, {id}")),
        (Some(id), true) => line("issuer", id.clone()),
        (None, false) => line("issuer", issuer),
        (None, true) => {}
    }
    if let Some(from) = &s.valid_from {
        line("issued", from.clone());
    }
    if let Some(until) = &s.valid_until {
        line("valid until", until.clone());
    }
    if let Some(score) = &s.score {
        let mut text = format!("{score}%");
        if let Some(required) = &s.required {
            let _ = write!(text, " (required {required}%)");
        }
        match s.status.as_deref() {
            Some("Completed") => text.push_str(", passed"),
            Some("Failed") => text.push_str(", not passed"),
            Some(other) => {
                let _ = write!(text, ", status {other}");
            }
            None => {}
        }
        line("score", text);
    }
    if let Some(supervision) = &s.supervision {
        let identity = s.identity_verification.as_deref().unwrap_or("not stated");
        line(
            "supervision",
            format!("{supervision}; identity verification: {identity}"),
        );
    }
}

fn json_report(files: &[PathBuf], outcomes: &[Outcome]) -> anyhow::Result<String> {
    let entries: Vec<serde_json::Value> = files
        .iter()
        .zip(outcomes)
        .map(|(file, outcome)| match outcome {
            Outcome::Unreadable(why) => serde_json::json!({
                "file": file.display().to_string(),
                "valid": false,
                "error": why,
            }),
            Outcome::Checked(report, email) => {
                let (issuer, reason, trust, status) = match &report.verdict {
                    Verdict::Valid {
                        issuer,
                        trust,
                        status,
                    } => (
                        Some(issuer.clone()),
                        None,
                        serde_json::to_value(trust).ok(),
                        serde_json::to_value(status).ok(),
                    ),
                    Verdict::Invalid(why) => (
                        None,
                        Some(serde_json::json!({"code": why.code(), "message": why.to_string()})),
                        None,
                        None,
                    ),
                };
                serde_json::json!({
                    "file": file.display().to_string(),
                    "valid": report.verdict.is_valid(),
                    "issuer": issuer,
                    "trusted": trust.as_ref().and_then(|t| t.get("trusted").cloned()).unwrap_or(serde_json::Value::Bool(false)),
                    "trust": trust,
                    "status": status,
                    "learner_email": email,
                    "reason": reason,
                    "summary": report.summary,
                    "proofs": report.proofs,
                })
            }
        })
        .collect();
    let valid = entries.iter().filter(|e| e["valid"] == true).count();
    let summary = serde_json::json!({
        "files": entries.len(),
        "valid": valid,
        "invalid": entries.len() - valid,
        "results": entries,
    });
    Ok(serde_json::to_string_pretty(&summary)? + "\n")
}
