//! What a learner shares of a credential: its badge with the credential
//! baked in (PNG and SVG), a printable certificate, and LinkedIn's "Add to
//! profile" link. Made from the signed credential alone, so that an old
//! credential can be shared as well as a new one.
//!
//! Pure: the credential in, bytes and text out; the command line writes
//! the files.

pub mod artwork;
pub mod linkedin;
pub mod pdf;
pub mod png;

use crate::credential::baked::{self, BakedError};
use serde_json::{Map, Value};

/// Whether the language tag `tag` (`fr`, `fr-BE`, `FR`) is French: its
/// primary subtag, whatever its case. The badge, the certificate and its
/// dates follow it.
pub(crate) fn is_french(tag: &str) -> bool {
    let primary = tag.split(['-', '_']).next().unwrap_or_default();
    primary.eq_ignore_ascii_case("fr")
}

/// The words of `text`, between ASCII white space: a no-break space
/// (U+00A0, U+202F) holds its neighbours together.
pub(crate) fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
}

/// The badge of an achievement: its name, skill block (left out when it
/// is the name) and EQF level (`EQF 4`, `CEC 4` in French), and its
/// issuer's name.
pub fn badge_for(
    title: &str,
    skill_block: Option<&str>,
    issuer: &str,
    eqf_level: Option<&str>,
    language: &str,
) -> artwork::Badge {
    let framework = if is_french(language) { "CEC" } else { "EQF" };
    artwork::Badge {
        title: title.to_owned(),
        skill_block: skill_block.unwrap_or(title).to_owned(),
        issuer: issuer.to_owned(),
        level: eqf_level.map(|code| format!("{framework} {code}")),
    }
}

/// The badge a credential shows (see [`badge_for`]), read from it.
pub fn badge_of(document: &Map<String, Value>) -> artwork::Badge {
    fn text(v: Option<&Value>) -> Option<&str> {
        v.and_then(Value::as_str)
    }
    let achievement = document
        .get("credentialSubject")
        .and_then(|s| s.get("achievement"))
        .and_then(Value::as_object);
    let field = |name: &str| text(achievement.and_then(|a| a.get(name)));
    let level = achievement
        .and_then(|a| a.get("alignment"))
        .and_then(Value::as_array)
        .and_then(|all| {
            all.iter().find(|a| {
                a.get("targetFramework").and_then(Value::as_str)
                    == Some("European Qualifications Framework")
            })
        })
        .and_then(|a| text(a.get("targetCode")));
    badge_for(
        field("name").unwrap_or_default(),
        field("skillBlock"),
        text(document.get("issuer").and_then(|i| i.get("name"))).unwrap_or_default(),
        level,
        field("inLanguage").unwrap_or_default(),
    )
}

/// The badge's picture as a `data:` address (an SVG), for the
/// achievement's `image`.
pub fn image_address(badge: &artwork::Badge) -> String {
    use base64::Engine as _;
    format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(plain_svg(badge))
    )
}

/// The badge's picture without a credential, as an SVG document (the
/// achievement's `image`, as a data address, is made from it).
pub fn plain_svg(badge: &artwork::Badge) -> String {
    artwork::svg(&artwork::layout(badge), &badge.title)
}

/// An issuer's own badge picture (a PNG or an SVG file's bytes) as a
/// `data:` address, for the achievement's `image`.
///
/// # Errors
/// Neither a readable PNG nor an SVG, or one that carries a credential.
pub fn image_file_address(bytes: &[u8]) -> Result<String, BakedError> {
    use base64::Engine as _;
    let media = match baked::Carrier::of(bytes) {
        baked::Carrier::Png => match baked::extract_png(bytes) {
            Err(BakedError::None) => "image/png",
            Err(e) => return Err(e),
            Ok(_) => return Err(BakedError::AlreadyBaked),
        },
        baked::Carrier::Svg => {
            let text =
                std::str::from_utf8(bytes).map_err(|_| BakedError::NotSvg("not UTF-8".into()))?;
            match baked::extract_svg(text) {
                Err(BakedError::None) => "image/svg+xml",
                Err(e) => return Err(e),
                Ok(_) => return Err(BakedError::AlreadyBaked),
            }
        }
        baked::Carrier::Pdf | baked::Carrier::Json => return Err(BakedError::NotPng),
    };
    Ok(format!(
        "data:{media};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    ))
}

/// What marks the pictures brevet draws (see [`artwork::svg`]).
const BREVET_MARK: &str = "data-brevet=\"badge\"";

/// The issuer's own picture the credential names as its achievement's
/// `image`, when it is not the one brevet draws: its media type and bytes.
fn own_picture(document: &Map<String, Value>) -> Option<(&'static str, Vec<u8>)> {
    use base64::Engine as _;
    let address = document
        .get("credentialSubject")?
        .get("achievement")?
        .get("image")?
        .get("id")?
        .as_str()?;
    let (media, data) = address.strip_prefix("data:")?.split_once(";base64,")?;
    let media = match media {
        "image/png" => "image/png",
        "image/svg+xml" => "image/svg+xml",
        _ => return None,
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .ok()?;
    // brevet's own drawing is drawn again, in both formats.
    let own_drawing = media == "image/svg+xml"
        && bytes
            .windows(BREVET_MARK.len())
            .any(|w| w == BREVET_MARK.as_bytes());
    (!own_drawing).then_some((media, bytes))
}

/// The badge of the signed credential `json` (its text exactly as issued)
/// as a PNG with the credential baked in: the issuer's own PNG picture,
/// else the one drawn from the achievement.
///
/// # Errors
/// `json` is not a JSON object, or the issuer's picture is not a PNG.
pub fn baked_png(json: &str) -> Result<Vec<u8>, ShareError> {
    let document = object(json)?;
    let png = match own_picture(&document) {
        Some(("image/png", bytes)) => bytes,
        Some(_) => return Err(ShareError::NoSuchPicture("PNG")),
        None => {
            let layout = artwork::layout(&badge_of(&document));
            png::encode(artwork::SIZE, artwork::SIZE, &artwork::pixels(&layout))
        }
    };
    Ok(baked::bake_png(&png, json)?)
}

/// The badge of the signed credential `json` as an SVG with the credential
/// baked in: the issuer's own SVG picture, else the one drawn from the
/// achievement.
///
/// # Errors
/// `json` is not a JSON object, holds characters XML cannot carry, or the
/// issuer's picture is not an SVG.
pub fn baked_svg(json: &str) -> Result<String, ShareError> {
    let document = object(json)?;
    let svg = match own_picture(&document) {
        Some(("image/svg+xml", bytes)) => String::from_utf8(bytes)
            .map_err(|_| ShareError::Baked(BakedError::NotSvg("not UTF-8".into())))?,
        Some(_) => return Err(ShareError::NoSuchPicture("SVG")),
        None => plain_svg(&badge_of(&document)),
    };
    Ok(baked::bake_svg(&svg, json)?)
}

/// The files a learner shares of the signed credential `json` (its text
/// exactly as issued), by extension: the badge as PNG and as SVG, the
/// certificate as PDF (its QR code pointing at `verify_url`, else at the
/// credential's id, its date the day of issue in the time zone `zone`).
///
/// # Errors
/// `json` is not a JSON object, or holds characters XML cannot carry.
pub fn files(
    json: &str,
    verify_url: Option<&str>,
    zone: chrono::FixedOffset,
) -> Result<Vec<(&'static str, Vec<u8>)>, ShareError> {
    // An issuer's own picture is baked in the one format it comes in.
    let own = own_picture(&object(json)?).map(|(media, _)| media);
    let mut files = Vec::new();
    if own.is_none_or(|m| m == "image/png") {
        files.push(("png", baked_png(json)?));
    }
    if own.is_none_or(|m| m == "image/svg+xml") {
        files.push(("svg", baked_svg(json)?.into_bytes()));
    }
    files.push(("pdf", certificate(json, verify_url, zone)?));
    Ok(files)
}

/// The printable certificate of the signed credential `json`, in its
/// language, with the credential attached; its date is the day of issue in
/// the time zone `zone` (where it is printed).
///
/// # Errors
/// `json` is not a JSON object.
pub fn certificate(
    json: &str,
    verify_url: Option<&str>,
    zone: chrono::FixedOffset,
) -> Result<Vec<u8>, ShareError> {
    use crate::present::strings::{self, Lang};
    let document = object(json)?;
    let summary = crate::credential::summary::Summary::read(&document);
    let achievement = document
        .get("credentialSubject")
        .and_then(|s| s.get("achievement"))
        .and_then(Value::as_object);
    let field = |name: &str| {
        achievement
            .and_then(|a| a.get(name))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let language = field("inLanguage").unwrap_or_else(|| "en".into());
    let french = is_french(&language);
    let s = if french {
        Lang::Fr.strings()
    } else {
        Lang::En.strings()
    };
    let percent = |text: Option<&str>| {
        text.and_then(|t| t.trim_end_matches('%').trim().parse::<f64>().ok())
            .map(|p| strings::percent(p, s))
            .unwrap_or_default()
    };
    let outcomes: Vec<String> = achievement
        .and_then(|a| a.get("learningOutcome"))
        .and_then(Value::as_array)
        .map(|all| {
            all.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let issued_on = summary
        .valid_from
        .as_deref()
        .and_then(crate::credential::parse_datetime)
        .map(|d| date_in_words(d.with_timezone(&zone).date_naive(), french))
        .unwrap_or_default();
    let id = document
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let supervision = supervision_in_words(
        summary.supervision.as_deref(),
        summary.identity_verification.as_deref(),
        french,
    );
    let country = summary
        .issuer_country
        .as_deref()
        .map(|c| country_name(c, french));
    let skill_block = field("skillBlock");
    Ok(pdf::certificate(
        &pdf::Certificate {
            language: &language,
            learner: summary.learner.as_deref().unwrap_or_default(),
            achievement: summary.achievement.as_deref().unwrap_or_default(),
            skill_block: skill_block.as_deref(),
            learning_outcomes: &outcomes,
            score: &percent(summary.score.as_deref()),
            required: &percent(summary.required.as_deref()),
            issued_on: &issued_on,
            issuer_name: summary.issuer_name.as_deref().unwrap_or_default(),
            issuer_country: country.as_deref(),
            supervision: supervision.as_deref(),
            verify_at: verify_url.unwrap_or(id),
            credential_id: id,
            demo: summary.demo_issuer,
        },
        json,
    ))
}

/// A day as a certificate writes it: `12 March 2026`, `12 mars 2026`.
fn date_in_words(day: chrono::NaiveDate, french: bool) -> String {
    use chrono::Datelike as _;
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let months = if french { FR } else { EN };
    let month = months
        .get(day.month0() as usize)
        .copied()
        .unwrap_or_default();
    let first = if french && day.day() == 1 {
        "1er".to_owned()
    } else {
        day.day().to_string()
    };
    format!("{first} {month} {}", day.year())
}

/// How the exam was supervised, in words, from the credential's terms.
fn supervision_in_words(
    supervision: Option<&str>,
    identity: Option<&str>,
    french: bool,
) -> Option<String> {
    let how = match (supervision?, french) {
        ("supervised-onsite", false) => "Supervised on site by a proctor",
        ("supervised-onsite", true) => "Surveillé sur place par un surveillant",
        ("unsupervised", false) => "Taken without supervision",
        ("unsupervised", true) => "Passé sans surveillance",
        (other, _) => other,
    };
    let checked = match (identity, french) {
        (Some("verified-onsite"), false) => ", identity checked on site",
        (Some("verified-onsite"), true) => ", identité vérifiée sur place",
        _ => "",
    };
    Some(format!("{how}{checked}"))
}

/// A country's name for its ISO code, for the countries brevet's issuers
/// are most likely in; the code itself for the others.
fn country_name(code: &str, french: bool) -> String {
    const NAMES: &[(&str, &str, &str)] = &[
        ("AT", "Austria", "Autriche"),
        ("BE", "Belgium", "Belgique"),
        ("BG", "Bulgaria", "Bulgarie"),
        ("CA", "Canada", "Canada"),
        ("CH", "Switzerland", "Suisse"),
        ("CY", "Cyprus", "Chypre"),
        ("CZ", "Czechia", "Tchéquie"),
        ("DE", "Germany", "Allemagne"),
        ("DK", "Denmark", "Danemark"),
        ("EE", "Estonia", "Estonie"),
        ("ES", "Spain", "Espagne"),
        ("FI", "Finland", "Finlande"),
        ("FR", "France", "France"),
        ("GB", "United Kingdom", "Royaume-Uni"),
        ("GR", "Greece", "Grèce"),
        ("HR", "Croatia", "Croatie"),
        ("HU", "Hungary", "Hongrie"),
        ("IE", "Ireland", "Irlande"),
        ("IS", "Iceland", "Islande"),
        ("IT", "Italy", "Italie"),
        ("LI", "Liechtenstein", "Liechtenstein"),
        ("LT", "Lithuania", "Lituanie"),
        ("LU", "Luxembourg", "Luxembourg"),
        ("LV", "Latvia", "Lettonie"),
        ("MA", "Morocco", "Maroc"),
        ("MC", "Monaco", "Monaco"),
        ("MT", "Malta", "Malte"),
        ("NL", "Netherlands", "Pays-Bas"),
        ("NO", "Norway", "Norvège"),
        ("PL", "Poland", "Pologne"),
        ("PT", "Portugal", "Portugal"),
        ("RO", "Romania", "Roumanie"),
        ("SE", "Sweden", "Suède"),
        ("SI", "Slovenia", "Slovénie"),
        ("SK", "Slovakia", "Slovaquie"),
        ("SN", "Senegal", "Sénégal"),
        ("TN", "Tunisia", "Tunisie"),
        ("US", "United States", "États-Unis"),
    ];
    NAMES.iter().find(|(c, _, _)| *c == code).map_or_else(
        || code.to_owned(),
        |(_, en, fr)| (if french { *fr } else { *en }).to_owned(),
    )
}

/// The issuer's verification address for the credential `id`: `template`
/// with `{id}` replaced by the id, encoded for a query.
pub fn verify_address(template: &str, id: &str) -> String {
    template.replace("{id}", &linkedin::encode(id))
}

/// LinkedIn's "Add to profile" link for the credential `document`: its
/// achievement, issuer, month of issue and id, and where to check it
/// (`verify_url`, else the id when it is a web address). `None` when the
/// credential lacks a name, an issuer or a date, or comes from the demo
/// issuer (it certifies nothing a profile should show). The month of issue
/// is the one in the time zone `zone`.
pub fn linkedin(
    document: &Map<String, Value>,
    verify_url: Option<&str>,
    zone: chrono::FixedOffset,
) -> Option<String> {
    if crate::credential::summary::Summary::read(document).demo_issuer {
        return None;
    }
    use chrono::Datelike as _;
    fn text(v: Option<&Value>) -> Option<&str> {
        v.and_then(Value::as_str)
    }
    let name = text(
        document
            .get("credentialSubject")
            .and_then(|s| s.get("achievement"))
            .and_then(|a| a.get("name")),
    )?;
    let organisation = text(document.get("issuer").and_then(|i| i.get("name")))?;
    let issued = text(document.get("validFrom"))
        .and_then(crate::credential::parse_datetime)?
        .with_timezone(&zone);
    let id = text(document.get("id")).unwrap_or_default();
    let url = verify_url.or_else(|| Some(id).filter(|i| i.starts_with("https://")));
    Some(linkedin::add_to_profile(&linkedin::Certification {
        name,
        organisation,
        year: issued.year(),
        month: issued.month(),
        url,
        id,
    }))
}

fn object(json: &str) -> Result<Map<String, Value>, ShareError> {
    match serde_json::from_str::<Value>(json) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(ShareError::NotAnObject),
    }
}

/// Why a credential could not be shared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShareError {
    /// The credential is not a JSON object.
    #[error("the credential is not a JSON object")]
    NotAnObject,
    /// Baking failed.
    #[error(transparent)]
    Baked(#[from] BakedError),
    /// The issuer's own picture comes in another format.
    #[error("the issuer's picture for this badge is not a {0}")]
    NoSuchPicture(&'static str),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_is_told_by_the_primary_subtag_whatever_its_case() {
        for tag in ["fr", "FR", "fr-BE", "Fr_CA"] {
            assert!(is_french(tag), "{tag}");
        }
        for tag in ["en", "fri", "", "de-FR"] {
            assert!(!is_french(tag), "{tag}");
        }
        // The badge and the certificate agree on it.
        let badge = badge_for("Titre", None, "Org", Some("4"), "FR");
        assert!(
            badge.level.as_deref().is_some_and(|l| l.starts_with("CEC")),
            "{badge:?}"
        );
    }

    fn utc() -> chrono::FixedOffset {
        chrono::FixedOffset::east_opt(0).expect("UTC")
    }

    const CREDENTIAL: &str = r#"{"issuer":{"name":"Centre Exemple"},"credentialSubject":{"achievement":{"name":"Cybersécurité au travail","skillBlock":"Appliquer les bonnes pratiques","alignment":[{"targetFramework":"European Qualifications Framework","targetCode":"4"}]}}}"#;

    #[test]
    fn the_badge_is_read_from_the_credential() {
        let badge = badge_of(&object(CREDENTIAL).expect("object"));
        assert_eq!(badge.title, "Cybersécurité au travail");
        assert_eq!(badge.skill_block, "Appliquer les bonnes pratiques");
        assert_eq!(badge.issuer, "Centre Exemple");
        assert_eq!(badge.level.as_deref(), Some("EQF 4"));
    }

    #[test]
    fn dates_and_countries_read_as_words() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).expect("a day");
        assert_eq!(date_in_words(day, true), "1er mars 2026");
        assert_eq!(date_in_words(day, false), "1 March 2026");
        assert_eq!(country_name("FR", false), "France");
        assert_eq!(country_name("BE", true), "Belgique");
        assert_eq!(country_name("XK", true), "XK");
    }

    #[test]
    fn the_month_of_issue_is_where_it_is_shared() {
        let document = object(
            r#"{"id":"urn:uuid:1","validFrom":"2026-11-30T23:30:00Z","issuer":{"name":"Centre"},"credentialSubject":{"achievement":{"name":"Bloc"}}}"#,
        )
        .expect("object");
        let paris = chrono::FixedOffset::east_opt(3600).expect("+01:00");
        let link = linkedin(&document, None, utc()).expect("a link");
        assert!(link.contains("issueYear=2026&issueMonth=11"), "{link}");
        let link = linkedin(&document, None, paris).expect("a link");
        assert!(link.contains("issueYear=2026&issueMonth=12"), "{link}");
    }

    #[test]
    fn the_certificate_carries_the_credential() {
        let pdf = certificate(CREDENTIAL, None, utc()).expect("pdf");
        assert_eq!(pdf::extract(&pdf), Ok(CREDENTIAL.to_owned()));
    }

    #[test]
    fn both_badges_give_back_the_credential_byte_for_byte() {
        let png = baked_png(CREDENTIAL).expect("png");
        assert_eq!(baked::extract_png(&png), Ok(CREDENTIAL.to_owned()));
        let svg = baked_svg(CREDENTIAL).expect("svg");
        assert_eq!(baked::extract_svg(&svg), Ok(CREDENTIAL.to_owned()));
        assert_eq!(baked_png("[1]"), Err(ShareError::NotAnObject));
    }
}
