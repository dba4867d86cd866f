//! `kiosk.toml`: what a training room offers and where its files go.
//!
//! Checked like banks: every problem is a [`Diagnostic`] with a span, so the
//! proctor sees `kiosk.toml:3:9` and a caret, not a bare serde message.
//! Parsing is pure (text in, config or problems out); paths are returned as
//! written and resolved against the file's folder by the caller.

use crate::bank::Review;
use crate::bank::diagnostic::Diagnostic;
use crate::present::strings::Lang;
use serde::Deserialize;
use std::ops::Range;
use std::path::PathBuf;
use std::time::Duration;
use toml::Spanned;

/// The key that holds the PIN hash (rewritten by `--set-pin`).
pub const PIN_KEY: &str = "proctor_pin_hash";

/// The idle timeout when the file does not set one.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(120);

/// Every key a kiosk file may hold.
const KEYS: &[&str] = &[
    "room",
    "exams",
    "issuer",
    "credentials",
    "results",
    PIN_KEY,
    "require_identity_check",
    "idle_timeout",
    "lang",
    "review",
    "station",
];

#[derive(Debug, Deserialize)]
struct RawConfig {
    room: Spanned<String>,
    exams: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    issuer: Option<Spanned<String>>,
    credentials: Spanned<String>,
    #[serde(default)]
    results: Option<Spanned<String>>,
    #[serde(default)]
    proctor_pin_hash: Option<Spanned<String>>,
    #[serde(default)]
    require_identity_check: bool,
    #[serde(default)]
    idle_timeout: Option<Spanned<String>>,
    #[serde(default)]
    lang: Option<Spanned<String>>,
    #[serde(default)]
    review: Option<Spanned<String>>,
    #[serde(default)]
    station: Option<Spanned<String>>,
}

/// A checked kiosk configuration (paths as written in the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The room's name, shown on the welcome screen and in the logs.
    pub room: String,
    /// Exam banks or folders of banks on offer.
    pub exams: Vec<PathBuf>,
    /// The issuer file; `None` means the labelled local demo issuer.
    pub issuer: Option<PathBuf>,
    /// Where credentials are written.
    pub credentials: PathBuf,
    /// Where earlier versions wrote their results and event log (read once,
    /// to import the log into the store); `results` by default.
    pub results: PathBuf,
    /// The proctor PIN's argon2id PHC string, once set.
    pub pin_hash: Option<String>,
    /// Whether the proctor must confirm each learner's identity.
    pub require_identity_check: bool,
    /// How long a finished or abandoned screen waits before the welcome screen.
    pub idle_timeout: Duration,
    /// Interface language of the kiosk's own screens (else the locale).
    pub lang: Option<Lang>,
    /// What the result screen shows, whatever the banks say (`None`: as
    /// each bank says).
    pub review: Option<Review>,
    /// This station's name in the room's event log (`None`: its machine's
    /// name).
    pub station: Option<String>,
}

fn error(code: &'static str, message: impl Into<String>, span: Range<usize>) -> Diagnostic {
    Diagnostic::error(code, message, span)
}

/// Checks `kiosk.toml` text and returns every problem found.
///
/// # Errors
/// The diagnostics (at least one error).
pub fn parse(source: &str) -> Result<Config, Vec<Diagnostic>> {
    let table = toml::de::DeTable::parse(source)
        .map_err(|e| vec![Diagnostic::from_toml("kiosk-file", &e)])?;
    // Unknown keys are reported with the other problems, not instead of
    // them.
    let mut problems: Vec<Diagnostic> = table
        .get_ref()
        .keys()
        .filter(|k| !KEYS.contains(&k.get_ref().as_ref()))
        .map(|k| {
            error(
                "kiosk-unknown-key",
                format!("unknown key `{}`", k.get_ref()),
                k.span(),
            )
            .label("not a kiosk setting")
            .help(format!("the settings are: {}", KEYS.join(", ")))
        })
        .collect();
    let span = table.span();
    let known: toml::de::DeTable<'_> = table
        .into_inner()
        .into_iter()
        .filter(|(k, _)| KEYS.contains(&k.get_ref().as_ref()))
        .collect();
    let known = toml::de::Deserializer::from(Spanned::new(span, known));
    let raw = match RawConfig::deserialize(known) {
        Ok(raw) => raw,
        Err(e) => {
            problems.push(Diagnostic::from_toml("kiosk-file", &e));
            return Err(problems);
        }
    };
    let mut nonempty = |field: &Spanned<String>, what: &str| {
        if field.get_ref().trim().is_empty() {
            problems.push(
                error("kiosk-empty", format!("{what} is empty"), field.span())
                    .label("write a value here"),
            );
        }
    };
    nonempty(&raw.room, "the room name");
    nonempty(&raw.credentials, "the credentials folder");
    if let Some(results) = &raw.results {
        nonempty(results, "the results folder");
    }
    if let Some(station) = &raw.station {
        nonempty(station, "the station name");
    }
    if let Some(issuer) = &raw.issuer {
        nonempty(issuer, "the issuer file");
    }
    for exam in raw.exams.get_ref() {
        nonempty(exam, "an exam path");
    }
    if raw.exams.get_ref().is_empty() {
        problems.push(
            error(
                "kiosk-no-exams",
                "the kiosk offers no exam",
                raw.exams.span(),
            )
            .label("list at least one bank or folder")
            .help("e.g. exams = [\"exams/demo.toml\", \"exams/python/\"]"),
        );
    }
    let pin_hash = match &raw.proctor_pin_hash {
        Some(h) if !h.get_ref().starts_with("$argon2id$") => {
            problems.push(
                error(
                    "kiosk-pin-hash",
                    "the proctor PIN hash is not an argon2id hash",
                    h.span(),
                )
                .label("not a `$argon2id$...` string")
                .help("set it with `brevet kiosk --set-pin kiosk.toml`; never write a PIN here"),
            );
            None
        }
        Some(h) => Some(h.get_ref().clone()),
        None => None,
    };
    let idle_timeout = match &raw.idle_timeout {
        None => DEFAULT_IDLE,
        Some(t) => match crate::bank::duration::parse(t.get_ref()) {
            Ok(d) if d.as_secs() >= 5 => d,
            Ok(_) => {
                problems.push(
                    error(
                        "kiosk-idle-timeout",
                        "the idle timeout is shorter than 5 seconds",
                        t.span(),
                    )
                    .label("too short to read a result"),
                );
                DEFAULT_IDLE
            }
            Err(why) => {
                problems.push(error("kiosk-idle-timeout", why, t.span()).label("not a duration"));
                DEFAULT_IDLE
            }
        },
    };
    let lang = match &raw.lang {
        None => None,
        Some(l) => match l.get_ref().as_str() {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            _ => {
                problems.push(
                    error("kiosk-lang", "unknown interface language", l.span())
                        .label("use \"en\" or \"fr\""),
                );
                None
            }
        },
    };
    let review = match &raw.review {
        None => None,
        Some(r) => match Review::NAMES.iter().find(|(name, _)| name == r.get_ref()) {
            Some((_, level)) => Some(*level),
            None => {
                problems.push(
                    error("kiosk-review", "unknown review policy", r.span())
                        .label("use \"score-only\", \"marks\", \"answers\" or \"full\"")
                        .help("leave it out to follow each bank's `review`"),
                );
                None
            }
        },
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Config {
        room: raw.room.into_inner().trim().to_string(),
        exams: raw
            .exams
            .into_inner()
            .into_iter()
            .map(|e| PathBuf::from(e.into_inner()))
            .collect(),
        issuer: raw.issuer.map(|i| PathBuf::from(i.into_inner())),
        credentials: PathBuf::from(raw.credentials.into_inner()),
        results: PathBuf::from(
            raw.results
                .map_or_else(|| "results".to_owned(), Spanned::into_inner),
        ),
        pin_hash,
        require_identity_check: raw.require_identity_check,
        idle_timeout,
        lang,
        review,
        station: raw.station.map(Spanned::into_inner),
    })
}

/// The same file with [`PIN_KEY`] set to `hash`, everything else kept as
/// written: the value is replaced in place when present, else a line is
/// added at the end.
///
/// # Errors
/// The text is not a valid kiosk file (its diagnostics).
pub fn with_pin_hash(source: &str, hash: &str) -> Result<String, Vec<Diagnostic>> {
    let raw: RawConfig =
        toml::from_str(source).map_err(|e| vec![Diagnostic::from_toml("kiosk-file", &e)])?;
    // A PHC string holds only `$`, `=`, `,`, base64 and digits: a basic
    // TOML string needs no escaping.
    let value = format!("\"{hash}\"");
    if let Some(old) = raw.proctor_pin_hash {
        let span = old.span();
        let mut out = String::with_capacity(source.len() + value.len());
        out.push_str(&source[..span.start]);
        out.push_str(&value);
        out.push_str(&source[span.end..]);
        return Ok(out);
    }
    // The file has no tables (unknown keys are refused), so a new key can
    // go at the end.
    let line = format!("{PIN_KEY} = {value}\n");
    Ok(if source.is_empty() || source.ends_with('\n') {
        format!("{source}{line}")
    } else {
        format!("{source}\n{line}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"room = "Salle 2"
exams = ["exams/demo.toml", "more/"]
credentials = "out"
results = "results"
require_identity_check = true
idle_timeout = "90s"
"#;

    #[test]
    fn a_complete_file_is_read_with_defaults() {
        let c = parse(GOOD).unwrap();
        assert_eq!(c.room, "Salle 2");
        assert_eq!(c.exams.len(), 2);
        assert_eq!(c.issuer, None);
        assert!(c.require_identity_check);
        assert_eq!(c.idle_timeout, Duration::from_secs(90));
        assert_eq!(c.pin_hash, None);
    }

    #[test]
    fn the_example_file_is_valid() {
        let c = parse(include_str!("../../kiosk.example.toml")).unwrap();
        assert_eq!(c.exams, [PathBuf::from("exams/")]);
        assert_eq!(c.lang, Some(Lang::Fr));
        assert_eq!(c.idle_timeout, Duration::from_secs(120));
    }

    #[test]
    fn every_problem_is_reported_with_its_place() {
        let src = "room = \"\"\nexams = []\ncredentials = \"c\"\nresults = \"r\"\nproctor_pin_hash = \"1234\"\nidle_timeout = \"2x\"\nlang = \"de\"\n";
        let problems = parse(src).unwrap_err();
        let codes: Vec<_> = problems.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            [
                "kiosk-empty",
                "kiosk-no-exams",
                "kiosk-pin-hash",
                "kiosk-idle-timeout",
                "kiosk-lang"
            ]
        );
        assert_eq!(&src[problems[2].span.clone()], "\"1234\"");
    }

    #[test]
    fn unknown_keys_are_refused_and_hide_no_other_problem() {
        let src = format!("{GOOD}pin = \"1234\"\nreview = \"everything\"\nidle = 3\n");
        let problems = parse(&src).unwrap_err();
        let codes: Vec<_> = problems.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            ["kiosk-unknown-key", "kiosk-unknown-key", "kiosk-review"]
        );
        assert_eq!(problems[1].message, "unknown key `pin`");
        let at = src.find("pin =").unwrap();
        assert_eq!(problems[1].span, at..at + 3);
        // A value of the wrong type, beside an unknown key.
        let src = format!("{GOOD}colour = \"blue\"\n").replace("room = \"Salle 2\"", "room = 2");
        let codes: Vec<_> = parse(&src).unwrap_err().iter().map(|d| d.code).collect();
        assert_eq!(codes, ["kiosk-unknown-key", "kiosk-file"]);
    }

    #[test]
    fn the_review_policy_can_be_set_for_the_room() {
        let c = parse(&format!("{GOOD}review = \"score-only\"\n")).unwrap();
        assert_eq!(c.review, Some(Review::ScoreOnly));
        assert_eq!(parse(GOOD).unwrap().review, None);
    }

    #[test]
    fn setting_the_pin_hash_keeps_the_rest_of_the_file() {
        let hash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA";
        let once = with_pin_hash(GOOD, hash).unwrap();
        assert!(once.starts_with(GOOD), "{once}");
        assert_eq!(parse(&once).unwrap().pin_hash.as_deref(), Some(hash));
        let other = "$argon2id$v=19$m=8,t=1,p=1$b3RoZXI$b3RoZXI";
        let twice = with_pin_hash(&once, other).unwrap();
        assert_eq!(twice.replace(other, hash), once);
        let no_newline = GOOD.trim_end();
        assert_eq!(with_pin_hash(no_newline, hash).unwrap(), once);
        assert!(with_pin_hash("room = ", hash).is_err());
    }
}
