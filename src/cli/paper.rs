//! `brevet paper EXAM.toml --credential FILE` (or `--seed N`): the exact
//! paper an attempt was given, re-derived from the bank and the seed, for an
//! auditor. With a credential, its seed and bank hash are read from its
//! evidence, the credential is verified, and the bank is checked to be the
//! one the paper was drawn from.

use crate::attempt::bank_hash;
use crate::attempt::draw::{Item, draw};
use crate::bank::{Exam, Kind};
use crate::credential::jcs;
use crate::credential::verify::{VerifyOptions, verify};
use anyhow::{Context as _, bail};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `brevet paper`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The exam bank the paper was drawn from.
    #[arg(value_name = "EXAM.toml")]
    pub bank: PathBuf,
    /// A credential: its seed and bank hash come from its evidence.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "seed",
        required_unless_present = "seed"
    )]
    pub credential: Option<PathBuf>,
    /// The DID document of the credential's did:web issuer (its did.json),
    /// to check its signature offline (repeatable; the trust folder's are
    /// read too).
    #[arg(long, value_name = "FILE", requires = "credential")]
    pub did_document: Vec<PathBuf>,
    /// The seed of the draw, when there is no credential.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Print the paper as JSON (question and choice ids in the order shown).
    #[arg(long)]
    pub json: bool,
}

/// What a credential's evidence says of its attempt.
struct Evidence {
    seed: u64,
    bank_sha256: Option<String>,
}

fn evidence(doc: &Value) -> anyhow::Result<Evidence> {
    let attempt = doc["evidence"]
        .as_array()
        .into_iter()
        .flatten()
        .find_map(|e| {
            // brevet 0.1 called it `brevetAttempt`.
            e.get("examAttempt").or_else(|| e.get("brevetAttempt"))
        })
        .context("the credential's evidence names no exam attempt")?;
    let seed = attempt["seed"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .context("the credential's attempt has no readable seed")?;
    Ok(Evidence {
        seed,
        bank_sha256: attempt["bankSha256"].as_str().map(str::to_owned),
    })
}

/// Runs `brevet paper`: exit status 0 when the paper is printed (and, with
/// a credential, the credential is valid and the bank is the right one), 1
/// when the credential is invalid or the bank differs.
///
/// # Errors
/// A bank or credential that cannot be read (exit status 2).
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let exam = super::load_valid_bank(&args.bank)?;
    let mut ok = true;
    let mut notes = String::new();
    let seed = match (&args.credential, args.seed) {
        (Some(path), _) => {
            let bytes =
                crate::input::read_limited(path, crate::credential::verify::MAX_CREDENTIAL_BYTES)?;
            let knowledge = super::trust::knowledge(&super::trust::Sources {
                documents: &args.did_document,
                ..super::trust::Sources::default()
            })?;
            let report = verify(
                &bytes,
                &VerifyOptions {
                    knowledge: &knowledge,
                    ..VerifyOptions::at(chrono::Utc::now())
                },
            );
            match &report.verdict {
                crate::credential::verify::Verdict::Valid { .. } => {
                    let _ = writeln!(notes, "credential: valid");
                }
                crate::credential::verify::Verdict::Invalid(why) => {
                    ok = false;
                    let _ = writeln!(notes, "credential: INVALID {why}");
                }
            }
            let doc = jcs::parse_strict(&bytes)
                .map_err(|e| anyhow::anyhow!("{}: not JSON: {e}", path.display()))?;
            let found = evidence(&doc).with_context(|| path.display().to_string())?;
            let ours = bank_hash(&exam);
            match found.bank_sha256 {
                Some(theirs) if theirs == ours => {
                    let _ = writeln!(notes, "bank: the one the paper was drawn from ({ours})");
                }
                Some(theirs) => {
                    ok = false;
                    let _ = writeln!(
                        notes,
                        "bank: DIFFERENT: the credential names {theirs}, this bank is {ours}; the paper below is what this bank gives for the seed, not necessarily what the learner saw"
                    );
                }
                None => {
                    ok = false;
                    let _ = writeln!(notes, "bank: the credential names no bank hash");
                }
            }
            found.seed
        }
        (None, Some(seed)) => seed,
        (None, None) => bail!("give --credential FILE or --seed N"),
    };
    let paper = draw(&exam, seed);
    if args.json {
        println!("{}", paper_json(&exam, seed, &paper, ok));
    } else {
        eprint!("{notes}");
        print!("{}", paper_text(&exam, seed, &paper));
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn paper_text(exam: &Exam, seed: u64, paper: &[Item]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} (version {}), seed {seed}: {} questions\n",
        exam.meta.title,
        exam.meta.version,
        paper.len()
    );
    for (n, item) in paper.iter().enumerate() {
        let q = &exam.questions[item.question];
        let section = &exam.sections[q.section].id;
        let _ = writeln!(out, "{}. [{}] (section {section})", n + 1, q.id);
        for line in q.prompt.trim().lines() {
            let _ = writeln!(out, "   {line}");
        }
        match &q.kind {
            Kind::Single { choices } | Kind::Multiple { choices } => {
                for (k, &c) in item.choices.iter().enumerate() {
                    let choice = &choices[c];
                    let mark = if choice.correct { "  (right)" } else { "" };
                    let _ = writeln!(out, "   {}) {} [{}]{mark}", k + 1, choice.text, choice.id);
                }
            }
            Kind::TrueFalse { answer } => {
                let _ = writeln!(out, "   true/false; right: {answer}");
            }
            Kind::Text { accepted, .. } => {
                let _ = writeln!(out, "   typed answer; accepted: {}", accepted.join(" | "));
            }
            Kind::Numeric { .. } => {
                let _ = writeln!(out, "   a number");
            }
        }
    }
    out
}

fn paper_json(exam: &Exam, seed: u64, paper: &[Item], ok: bool) -> Value {
    let items: Vec<Value> = paper
        .iter()
        .map(|item| {
            let q = &exam.questions[item.question];
            let choices: Vec<&str> = match &q.kind {
                Kind::Single { choices } | Kind::Multiple { choices } => item
                    .choices
                    .iter()
                    .map(|&c| choices[c].id.as_str())
                    .collect(),
                _ => Vec::new(),
            };
            json!({
                "question": q.id,
                "section": exam.sections[q.section].id,
                "choices": choices,
            })
        })
        .collect();
    json!({
        "exam": exam.meta.id,
        "version": exam.meta.version,
        "bankSha256": bank_hash(exam),
        "seed": seed.to_string(),
        "checksPassed": ok,
        "paper": items,
    })
}
