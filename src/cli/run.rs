//! `brevet run EXAM.toml`: one learner takes one exam, in the TUI or as a
//! plain line dialogue.

use crate::attempt::{Learner, Options};
use crate::bank;
use crate::issuing::Signer;
use crate::launch::Launch;
use crate::present::strings::Lang;
use crate::store::DataDir;
use crate::tui::{self, view::Theme};
use anyhow::Context as _;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `brevet run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The exam bank to take.
    #[arg(value_name = "EXAM.toml")]
    pub exam: PathBuf,
    /// The learner's full name (asked on screen when absent).
    #[arg(long, value_name = "NAME")]
    pub learner: Option<String>,
    /// The learner's identifier in the organisation.
    #[arg(long, value_name = "ID", requires = "learner")]
    pub learner_id: Option<String>,
    /// The learner's e-mail address: the credential carries it hashed, so
    /// that `brevet verify --learner-email` can tell it is theirs.
    #[arg(long, value_name = "EMAIL", requires = "learner")]
    pub learner_email: Option<String>,
    /// Interface language (default: the exam's language, else the locale).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Draw the paper from this seed (reproducible, for tests and audits).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Where the credential is written (default: the current folder).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,
    /// The issuer file (default: a local demo issuer, labelled as such).
    #[arg(long, value_name = "ISSUER.toml")]
    pub issuer: Option<PathBuf>,
    /// Extra time in percent of the limit (e.g. 33 for the "tiers-temps").
    #[arg(long, value_name = "PERCENT", default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=400))]
    pub extra_time: u32,
    /// Line-oriented dialogue instead of the full-screen interface
    /// (automatic when stdin or stdout is not a terminal, or TERM=dumb).
    #[arg(long)]
    pub plain: bool,
    /// The data folder (default: $BREVET_DATA, else the XDG data folder).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Where the store is.
    #[command(flatten)]
    pub store: super::store_at::StoreArgs,
    /// How the credential is signed: `eddsa-rdfc-2022` (what wallets and
    /// Open Badges verifiers accept) or `eddsa-jcs-2022` (brevet 0.1's).
    #[arg(long, value_enum, default_value_t = Suite::EddsaRdfc2022)]
    pub cryptosuite: Suite,
}

/// The cryptosuites a credential can be signed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Suite {
    /// RDF canonicalisation (RDFC-1.0); the default.
    #[value(name = "eddsa-rdfc-2022")]
    EddsaRdfc2022,
    /// JSON canonicalisation (RFC 8785).
    #[value(name = "eddsa-jcs-2022")]
    EddsaJcs2022,
}

impl From<Suite> for crate::credential::proof::Cryptosuite {
    fn from(suite: Suite) -> Self {
        match suite {
            Suite::EddsaRdfc2022 => Self::EddsaRdfc2022,
            Suite::EddsaJcs2022 => Self::EddsaJcs2022,
        }
    }
}

/// Runs `brevet run`.
///
/// # Errors
/// The bank is invalid or unreadable, or the terminal or data folder failed.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let bytes = crate::input::read_limited(&args.exam, crate::bank::MAX_BANK_BYTES as u64)?;
    let (loaded, source) = bank::load(&bytes);
    let Some(mut exam) = loaded.exam else {
        let path = args.exam.display().to_string();
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        eprint!(
            "{}",
            bank::diagnostic::render_text(&path, &source, &loaded.diagnostics, color)
        );
        anyhow::bail!(
            "{path} is not a valid bank ({} errors): fix it, then run `brevet check {path}`",
            loaded.errors()
        );
    };
    // The bank's own picture for its badges, when it names one.
    crate::issuing::read_bank_picture(&args.exam, &mut exam)?;
    let email = match &args.learner_email {
        Some(address) => Some(
            crate::credential::identity::normalise_email(address)
                .map_err(|e| anyhow::anyhow!("--learner-email: {e}"))?,
        ),
        None => None,
    };
    let learner = args.learner.as_ref().map(|name| Learner {
        email: email.clone(),
        name: name.split_whitespace().collect::<Vec<_>>().join(" "),
        id: args.learner_id.clone(),
    });
    if let Some(l) = &learner
        && let Err((id, why)) = crate::attempt::learner::check(l)
    {
        let (flag, value) = if id {
            ("--learner-id", l.id.as_deref().unwrap_or_default())
        } else {
            ("--learner", l.name.as_str())
        };
        anyhow::bail!("{flag} {value:?} cannot name a learner: {why}");
    }
    let data = DataDir::locate(args.data.as_deref())?;
    let store = args.store.open_warning(&data)?;
    // Attempts imported from an earlier version's journals get their
    // results, now that the bank is at hand.
    store.score_missing(&exam)?;
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
    let lang = Lang::choose(
        args.lang.map(Lang::from),
        &exam.meta.language,
        locale.as_deref(),
    );
    let plain = args.plain
        || !std::io::stdin().is_terminal()
        || !std::io::stdout().is_terminal()
        || std::env::var("TERM").is_ok_and(|t| t == "dumb");
    let signer = match &args.issuer {
        Some(path) => {
            let passphrase = match std::env::var("BREVET_KEY_PASSPHRASE") {
                Ok(p) => Some(crate::credential::key::Passphrase::new(p)?),
                Err(_) => None,
            };
            Signer::from_file(path, passphrase.as_ref())?
        }
        None => Signer::demo(&data)?,
    }
    .with_suite(args.cryptosuite.into());
    let demo_issuer = signer.is_demo();
    let out = args.out.clone();
    // A credential folder that cannot be written would only show at the end
    // of a passed exam: find out now.
    writable(&out)?;
    let launch = Launch {
        store,
        // Anyone can type any --learner-id: the name is the key.
        trust_ids: false,
        seed: args.seed,
        options: Options {
            extra_time_percent: args.extra_time,
            supervised: false,
            identity_verified: false,
        },
        room: None,
        recovery: Some(crate::launch::Recovery {
            signer: std::sync::Arc::new(signer),
            out: out.clone(),
        }),
    };
    let mut on_finish = |exam: &bank::Exam,
                         session: &crate::attempt::Session<crate::store::StoreSink>,
                         result: &crate::scoring::Outcome|
     -> anyhow::Result<Option<crate::issuing::Issued>> {
        if !result.passed {
            return Ok(None);
        }
        let Some(recovery) = &launch.recovery else {
            return Ok(None);
        };
        Ok(Some(crate::issuing::issue_recorded(
            &launch.store,
            &recovery.signer,
            exam,
            session.sink().attempt_id(),
            session.attempt(),
            &session.head_hash(),
            result,
            &out,
            chrono::Utc::now(),
        )?))
    };
    // Refused by the exam's rules (attempts used up, too soon): said once,
    // before anything starts, with the last result and its credential. Or
    // the last attempt was handed in just before brevet stopped: its result,
    // and its credential written now.
    if let Some(l) = &learner
        && let Some((why, last)) = launch.refusal(&exam, l, chrono::Utc::now())?
    {
        let lines = crate::launch::refusal_text(&why, last.as_ref(), &exam, lang.strings());
        if why == crate::present::Closed::HandedIn {
            let s = lang.strings();
            for line in &lines {
                println!("{line}");
                // What the credential is for, under where it is (before
                // the review that may follow).
                if line.starts_with(s.credential_written) {
                    println!("{}", s.credential_purpose);
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        for line in &lines[1..] {
            println!("{line}");
        }
        eprintln!("brevet: {}", lines[0]);
        return Ok(ExitCode::from(1));
    }
    if plain {
        let ended = crate::plain::run(
            crate::plain::Context {
                exam: &exam,
                launch: &launch,
                learner,
                strings: lang.strings(),
                on_finish: &mut on_finish,
                demo_issuer,
            },
            crate::plain::stdin_input(),
            std::io::stdout().lock(),
            &mut chrono::Utc::now,
        )?;
        return Ok(match ended {
            crate::plain::Ended::Finished { .. } | crate::plain::Ended::Quit => ExitCode::SUCCESS,
        });
    }
    let ended = tui::run(tui::Context {
        exam: &exam,
        launch: &launch,
        learner,
        strings: lang.strings(),
        theme: Theme {
            color: super::stdout_color(),
        },
        on_finish: &mut on_finish,
        demo_issuer,
    })?;
    let s = lang.strings();
    match ended {
        tui::Ended::Finished {
            result,
            credential,
            shared,
        } => {
            println!(
                "{}",
                crate::present::verdict_line(&exam.meta.title, &result, s)
            );
            if let Some(path) = credential {
                println!("{} {}", s.credential_written, path.display());
                println!("{}", s.credential_purpose);
                for line in &shared {
                    println!("{line}");
                }
            }
        }
        // Said again once the screen is gone.
        tui::Ended::Closed(lines) => {
            for line in &lines {
                println!("{line}");
            }
        }
        tui::Ended::Quit => {
            eprintln!("brevet: {}", s.plain_saved_quit);
        }
        tui::Ended::NotStarted => {
            eprintln!("brevet: {}", s.quit_not_started);
        }
        tui::Ended::Stopped(why) => {
            eprintln!("brevet: {why}. {}", s.plain_saved_quit);
            return Ok(ExitCode::from(why.exit_status()));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `--lang`: the interface languages as the command line names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    /// English.
    En,
    /// French.
    Fr,
}

impl From<LangArg> for Lang {
    fn from(lang: LangArg) -> Lang {
        match lang {
            LangArg::En => Lang::En,
            LangArg::Fr => Lang::Fr,
        }
    }
}

/// Checks that credentials can be written into `dir` (creating it if needed).
fn writable(dir: &std::path::Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the credential folder {}", dir.display()))?;
    let probe = tempfile_in(dir)
        .with_context(|| format!("cannot write credentials into {}", dir.display()))?;
    std::fs::remove_file(&probe).with_context(|| format!("cannot clean up {}", probe.display()))?;
    Ok(())
}

/// Creates an empty, uniquely named hidden file in `dir`.
fn tempfile_in(dir: &std::path::Path) -> std::io::Result<PathBuf> {
    let path = dir.join(format!(".brevet-write-check.{}", std::process::id()));
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)?;
    Ok(path)
}
