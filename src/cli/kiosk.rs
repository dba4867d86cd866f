//! `brevet kiosk CONFIG.toml`: the training-room station, and
//! `brevet kiosk --set-pin CONFIG.toml` to set the proctor PIN.

use crate::bank::{self, Exam};
use crate::credential::key::{KeyError, Passphrase};
use crate::issuing::{IssuerError, Signer};
use crate::kiosk::config::{self, Config};
use crate::kiosk::machine::{Kiosk, Offer, Settings};
use crate::kiosk::{self as station, Edge, Stopped};
use crate::present::strings::Lang;
use crate::store::DataDir;
use crate::tui::view::Theme;
use anyhow::Context as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `brevet kiosk`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The kiosk configuration (see kiosk.example.toml).
    #[arg(value_name = "CONFIG.toml")]
    pub config: PathBuf,
    /// Ask for a new proctor PIN (twice, not shown) and store its argon2id
    /// hash in CONFIG.toml; nothing else in the file changes.
    #[arg(long, conflicts_with = "clear_lockout")]
    pub set_pin: bool,
    /// Ask for the proctor PIN (not shown) and clear the delays that wrong
    /// PINs typed at the station imposed, with a line in the event log; a
    /// running station takes it up within a second.
    #[arg(long, conflicts_with = "log")]
    pub clear_lockout: bool,
    /// Print the room's event log (every station's PIN tries, proctor
    /// actions, learners, starts and stops), one JSON line per event.
    #[arg(long, conflicts_with = "set_pin")]
    pub log: bool,
    /// The data folder (default: $BREVET_DATA, else the XDG data folder).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Where the store is (a room's stations share one on PostgreSQL).
    #[command(flatten)]
    pub store: super::store_at::StoreArgs,
    /// Draw every paper from this seed (reproducible, for tests and audits).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
}

fn stderr_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Reads and checks the configuration, printing its problems like `check` does.
fn load_config(path: &Path) -> anyhow::Result<(String, Config)> {
    let source = crate::input::read_text(path, crate::input::SMALL_TEXT)?;
    match config::parse(&source) {
        Ok(c) => Ok((source, c)),
        Err(problems) => {
            let name = path.display().to_string();
            eprint!(
                "{}",
                bank::diagnostic::render_text(&name, &source, &problems, stderr_color())
            );
            anyhow::bail!(
                "{name} is not a valid kiosk file ({} errors)",
                problems.len()
            );
        }
    }
}

/// A warning when others than the owner may write the configuration (they
/// could change the PIN's hash or turn off the identity check).
fn permission_warning(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
        (mode & 0o022 != 0).then(|| {
            format!(
                "warning: {} is writable by others than its owner (mode {mode:o}): they could change the proctor PIN or turn off the identity check; run `chmod 600 {}`",
                path.display(),
                path.display()
            )
        })
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

fn set_pin(path: &Path) -> anyhow::Result<ExitCode> {
    let (source, _) = load_config(path)?;
    let Some(first) = super::secret::read_twice("New proctor PIN: ", "Same PIN again: ")? else {
        anyhow::bail!("{}", station::pin::PinError::Mismatch);
    };
    let hash = station::pin::hash(&first, rand::random())?;
    let updated = config::with_pin_hash(&source, &hash).map_err(|p| {
        anyhow::anyhow!(
            "{}",
            bank::diagnostic::render_text(&path.display().to_string(), &source, &p, false)
        )
    })?;
    // Whoever can write the file can change the PIN or turn off the
    // identity check: only its owner may.
    crate::atomic::write_file(
        path,
        updated.as_bytes(),
        crate::atomic::WriteOptions {
            mode: 0o600,
            overwrite: true,
        },
    )
    .with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!(
        "brevet: proctor PIN set in {} (argon2id hash only; the file is now mode 0600)",
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The proctor's way back in when learners' wrong PINs hold the station's
/// prompts: from the station owner's account (who could edit the file
/// anyway), with the PIN, and on record, never by editing the log.
fn clear_lockout(args: &Args) -> anyhow::Result<ExitCode> {
    let path = &args.config;
    let (_, config) = load_config(path)?;
    let Some(pin_hash) = config.pin_hash.as_deref() else {
        anyhow::bail!(
            "no proctor PIN: set one with `brevet kiosk --set-pin {}`",
            path.display()
        );
    };
    let typed = super::secret::read("Proctor PIN: ")?;
    if !station::pin::matches(&typed, pin_hash) {
        anyhow::bail!("that is not the proctor PIN: the delays stay");
    }
    let data = DataDir::locate(args.data.as_deref())?;
    let store = args.store.open_warning(&data)?;
    let line = station::log::Line {
        time: chrono::Utc::now(),
        room: config.room.clone(),
        event: station::log::Event {
            kind: station::log::Kind::LockoutCleared,
            learner: None,
        },
    };
    let name = config.station.clone().unwrap_or_else(station::station_name);
    store.with(|db| db.record_event(&station::event_of(&line, &name)?))?;
    eprintln!(
        "brevet: PIN delays cleared (in the event log of {}, station {name}); a running station takes it up within a second",
        store.path().display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `brevet kiosk --log`: the room's events, one JSON line each.
fn print_log(args: &Args) -> anyhow::Result<ExitCode> {
    let (_, config) = load_config(&args.config)?;
    let data = DataDir::locate(args.data.as_deref())?;
    let store = args.store.open_warning(&data)?;
    let mut out = String::new();
    for event in store.with(|db| db.events(&config.room, None, None))? {
        out.push_str(&event.line);
        out.push('\n');
    }
    match std::io::Write::write_all(&mut std::io::stdout().lock(), out.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// Imports, once, the event log an earlier version of the station wrote
/// (`kiosk-log.jsonl` in the results folder), so that its wrong PINs still
/// count; the file is left as it is.
fn import_legacy_log(
    store: &crate::store::Store,
    station_name: &str,
    path: &Path,
) -> anyhow::Result<()> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(anyhow::anyhow!("cannot read {}: {e}", path.display())),
    };
    let events: Vec<crate::store::events::NewEvent> = String::from_utf8_lossy(&bytes)
        .lines()
        .filter_map(|l| serde_json::from_str::<station::log::Line>(l).ok())
        .map(|l| station::event_of(&l, station_name))
        .collect::<Result<_, _>>()?;
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let source = format!("kiosk-log:{station_name}:{}", path.display());
    store.with(|db| db.import_events(&source, &bytes, &events))?;
    Ok(())
}

/// Above this share of a pool drawn per paper, full review in a room
/// teaches the next learners the answers.
const SMALL_POOL_SHARE: f64 = 1.0 / 3.0;

/// Exams whose result screen would show the right answers of a paper that
/// covers much of its pool, while the next learner sits the same pool.
fn review_warnings(exams: &[Exam], room: Option<bank::Review>) -> Vec<String> {
    exams
        .iter()
        .filter(|exam| room.unwrap_or(exam.rules.review) >= bank::Review::Answers)
        .filter(|exam| exam.largest_share_drawn() > SMALL_POOL_SHARE)
        .map(|exam| {
            format!(
                "{}: the result screen shows every right answer (review = \"answers\" or \"full\") and a paper draws up to {:.0} % of a pool, so the next learners see answers to come; set `review = \"marks\"` or `\"score-only\"` in the kiosk file, or give the bank larger pools",
                exam.meta.id,
                exam.largest_share_drawn() * 100.0
            )
        })
        .collect()
}

/// The folder relative paths of the configuration are read from.
fn config_base(config: &Path) -> PathBuf {
    match config.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn load_exams(base: &Path, config: &Config) -> anyhow::Result<Vec<Exam>> {
    let mut files = Vec::new();
    for path in &config.exams {
        crate::cli::collect_files(&base.join(path), "toml", &mut files)?;
    }
    let mut exams: Vec<Exam> = Vec::new();
    for file in files {
        let bytes = crate::input::read_limited(&file, bank::MAX_BANK_BYTES as u64)?;
        let (loaded, source) = bank::load(&bytes);
        let Some(mut exam) = loaded.exam else {
            let name = file.display().to_string();
            eprint!(
                "{}",
                bank::diagnostic::render_text(&name, &source, &loaded.diagnostics, stderr_color())
            );
            anyhow::bail!("{name} is not a valid bank: run `brevet check {name}`");
        };
        crate::issuing::read_bank_picture(&file, &mut exam)?;
        if exams.iter().any(|e| e.meta.id == exam.meta.id) {
            anyhow::bail!(
                "{}: the exam id `{}` is offered twice",
                file.display(),
                exam.meta.id
            );
        }
        exams.push(exam);
    }
    if exams.is_empty() {
        anyhow::bail!("the kiosk offers no exam: no bank found in `exams`");
    }
    Ok(exams)
}

/// The issuer, or `None` when its key is encrypted and the proctor chose to
/// start the station locked (and unlock it later from the proctor menu).
fn signer_for(base: &Path, config: &Config, data: &DataDir) -> anyhow::Result<Option<Signer>> {
    let Some(issuer) = &config.issuer else {
        return Ok(Some(Signer::demo(data)?));
    };
    let path = base.join(issuer);
    let passphrase = match std::env::var("BREVET_KEY_PASSPHRASE") {
        Ok(p) => Some(Passphrase::new(p)?),
        Err(_) => None,
    };
    match Signer::from_file(&path, passphrase.as_ref()) {
        // The key is encrypted at rest: the proctor unlocks it now; the
        // passphrase is wiped once the key is decrypted.
        Err(IssuerError::Key {
            source: KeyError::NeedsPassphrase,
            ..
        }) if passphrase.is_none() => {
            // Three tries, as at a login prompt; then the station starts
            // locked and the proctor unlocks it from the menu.
            for attempt in 1..=3 {
                let typed = super::secret::read(
                    "Issuer key passphrase (Enter alone: start locked, unlock later with F12): ",
                )?;
                if typed.is_empty() {
                    return Ok(None);
                }
                let passphrase = Passphrase::new(typed.to_string())?;
                match Signer::from_file(&path, Some(&passphrase)) {
                    Ok(signer) => return Ok(Some(signer)),
                    Err(IssuerError::Key {
                        source: KeyError::WrongPassphrase,
                        ..
                    }) if attempt < 3 => {
                        eprintln!("That passphrase does not open the key; try again.");
                    }
                    Err(IssuerError::Key {
                        source: KeyError::WrongPassphrase,
                        ..
                    }) => {
                        eprintln!(
                            "Three wrong passphrases: the station starts locked (unlock it from the proctor menu, F12)."
                        );
                        return Ok(None);
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Ok(None)
        }
        other => Ok(Some(other?)),
    }
}

/// Runs `brevet kiosk`.
///
/// # Errors
/// The configuration, a bank, the issuer, the terminal or the data folder failed.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    if args.set_pin {
        return set_pin(&args.config);
    }
    if args.clear_lockout {
        return clear_lockout(args);
    }
    if args.log {
        return print_log(args);
    }
    let (_, config) = load_config(&args.config)?;
    if let Some(warning) = permission_warning(&args.config) {
        eprintln!("brevet: {warning}");
    }
    let Some(pin_hash) = config.pin_hash.clone() else {
        anyhow::bail!(
            "no proctor PIN: set one with `brevet kiosk --set-pin {}`",
            args.config.display()
        );
    };
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        anyhow::bail!("the kiosk needs a terminal");
    }
    let base = config_base(&args.config);
    // Absolute, so that the results log names files wherever it is read.
    let base = std::fs::canonicalize(&base).unwrap_or(base);
    let exams = load_exams(&base, &config)?;
    // Said before the passphrase prompt, while the proctor reads the
    // terminal.
    for warning in review_warnings(&exams, config.review) {
        eprintln!("brevet: warning: {warning}");
    }
    let data = DataDir::locate(args.data.as_deref())?;
    let (store, problems) = args.store.open(&data)?;
    // Attempts imported from an earlier version's journals get their
    // results, now that their banks are at hand.
    for exam in &exams {
        store.score_missing(exam)?;
    }
    let signer = std::cell::OnceCell::new();
    if let Some(opened) = signer_for(&base, &config, &data)? {
        let _ = signer.set(opened);
    }
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
    let lang = Lang::choose(config.lang, "", locale.as_deref());
    let lang_tag = match lang {
        Lang::En => "en",
        Lang::Fr => "fr",
    };
    let offers = exams
        .iter()
        .map(|exam| Offer {
            exam,
            // The exam's own language first, then the station's.
            strings: Lang::choose(None, &exam.meta.language, Some(lang_tag)).strings(),
        })
        .collect();
    let settings = Settings {
        room: config.room.clone(),
        pin_hash,
        require_identity_check: config.require_identity_check,
        idle_timeout: config.idle_timeout,
        demo_issuer: signer.get().is_some_and(Signer::is_demo),
        review: config.review,
    };
    let mut kiosk = Kiosk::new(offers, lang.strings(), settings, chrono::Utc::now());
    kiosk.set_key_locked(signer.get().is_none());
    // One station runs one learner at a time: at most one attempt can have
    // been interrupted here.
    // A damaged journal of an earlier version must not keep the room
    // closed: say so on the welcome screen and in the log, and go on.
    for problem in &problems {
        kiosk.refused(problem);
    }
    for (i, exam) in exams.iter().enumerate() {
        match store.unfinished_learners(&exam.meta.id) {
            Ok(learners) => {
                if let Some(learner) = learners.into_iter().next() {
                    kiosk.set_interrupted(i, learner);
                    break;
                }
            }
            // A damaged journal must not keep the room closed: say so on
            // the welcome screen and in the log, and go on.
            Err(e) => kiosk.refused(&e.to_string()),
        }
    }
    // Wrong PINs before a restart (or a power cut) still count, and those
    // an earlier version logged in a file too.
    let name = config.station.clone().unwrap_or_else(station::station_name);
    import_legacy_log(
        &store,
        &name,
        &base.join(&config.results).join(station::log::LOG_FILE),
    )?;
    let logged: Vec<String> = store
        .with(|db| db.events(&config.room, Some(&name), None))?
        .into_iter()
        .map(|e| e.line)
        .collect();
    kiosk.set_guards(station::log::guards_from_log(&logged.join("\n")));
    let edge = Edge {
        store,
        trust_ids: config.require_identity_check,
        seed: args.seed,
        signer: &signer,
        issuer_file: config.issuer.as_ref().map(|f| base.join(f)),
        credentials: base.join(&config.credentials),
        results: base.join(&config.results),
        station: name,
        theme: Theme {
            color: super::stdout_color(),
        },
    };
    match station::run(&mut kiosk, &edge)? {
        Stopped::Proctor => eprintln!("brevet: the exam station was closed by the proctor"),
        Stopped::Runtime(why) => {
            eprintln!("brevet: {why}; answers saved, restart the kiosk to resume");
            return Ok(ExitCode::from(why.exit_status()));
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn full_review_over_a_small_pool_is_warned_about() {
        let demo = bank::load_str(include_str!("../../exams/demo.toml"))
            .exam
            .unwrap();
        assert_eq!(demo.rules.review, bank::Review::Full);
        assert!(demo.largest_share_drawn() > SMALL_POOL_SHARE);
        let warned = review_warnings(std::slice::from_ref(&demo), None);
        assert_eq!(warned.len(), 1);
        assert!(warned[0].starts_with("brevet-demo: "), "{}", warned[0]);
        assert!(
            review_warnings(std::slice::from_ref(&demo), Some(bank::Review::ScoreOnly)).is_empty()
        );
    }

    #[test]
    fn a_configuration_others_may_write_is_warned_about() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.toml");
        std::fs::write(&path, "").unwrap();
        for (mode, warned) in [(0o600, false), (0o644, false), (0o664, true), (0o666, true)] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
            assert_eq!(permission_warning(&path).is_some(), warned, "{mode:o}");
        }
    }
}
