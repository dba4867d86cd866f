//! JSON-LD 1.1 to RDF for credentials, with every context inside the binary.
//!
//! What `eddsa-rdfc-2022` needs and no more: context processing, expansion
//! and deserialisation to RDF (W3C JSON-LD 1.1 Processing Algorithms and
//! API, sections 4, 5, 7 and 8), run in *safe mode*: a property or a type
//! that no context defines, a relative IRI, or a value JSON-LD would drop is
//! an error, never a silent loss. Remote contexts are never fetched: a
//! context URL is one of [`CONTEXTS`] or the document is refused.
//!
//! Features that no credential context uses (`@reverse`, `@nest`, `@index`
//! and `@id`/`@type`/`@language` maps, `@included`, `@direction`, `@import`,
//! `@base`) are refused with [`LdError::Unsupported`] rather than guessed.

mod context;
mod expand;
mod to_rdf;

pub use context::ActiveContext;

use crate::credential::rdfc::Quad;
use serde_json::Value;

/// The contexts brevet knows, by URL: the only ones it will ever process.
pub const CONTEXTS: &[(&str, &str)] = &[
    (VC_V2, include_str!("ld/contexts/credentials-v2.jsonld")),
    (
        OB_V3P0,
        include_str!("ld/contexts/ob-v3p0-context-3.0.3.json"),
    ),
    (
        OB_EXTENSIONS,
        include_str!("ld/contexts/ob-v3p0-extensions.json"),
    ),
];

/// The W3C Verifiable Credentials 2.0 context.
pub const VC_V2: &str = "https://www.w3.org/ns/credentials/v2";
/// The Open Badges 3.0.3 context.
pub const OB_V3P0: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// The Open Badges 3.0 extensions context (`1EdTechJsonSchemaValidator2019`).
pub const OB_EXTENSIONS: &str = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json";

/// Why a document cannot be turned into RDF without losing or guessing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LdError {
    /// A context URL that brevet does not ship.
    #[error("the context {0} is not one brevet knows (contexts are never fetched)")]
    UnknownContext(String),
    /// A context that breaks a JSON-LD rule.
    #[error("invalid JSON-LD context: {0}")]
    InvalidContext(String),
    /// A document that breaks a JSON-LD rule.
    #[error("invalid JSON-LD: {0}")]
    Invalid(String),
    /// Something JSON-LD would silently drop (safe mode).
    #[error("{0} would be dropped: no context defines it")]
    Dropped(String),
    /// An IRI that is relative, which RDF cannot hold.
    #[error("{0:?} is a relative IRI")]
    RelativeIri(String),
    /// A JSON-LD feature that no credential context uses.
    #[error("the JSON-LD feature {0} is not supported")]
    Unsupported(&'static str),
    /// Nesting or context chains deeper than any credential needs.
    #[error("the document nests too deeply")]
    TooDeep,
}

/// Whether `s` has the form of a keyword (`@` then letters only).
fn keyword_like(s: &str) -> bool {
    s.len() > 1 && s.starts_with('@') && s[1..].bytes().all(|b| b.is_ascii_alphabetic())
}

/// The JSON-LD keywords.
fn is_keyword(s: &str) -> bool {
    matches!(
        s,
        "@base"
            | "@container"
            | "@context"
            | "@default"
            | "@direction"
            | "@embed"
            | "@explicit"
            | "@graph"
            | "@id"
            | "@import"
            | "@included"
            | "@index"
            | "@json"
            | "@language"
            | "@list"
            | "@nest"
            | "@none"
            | "@omitDefault"
            | "@prefix"
            | "@preserve"
            | "@protected"
            | "@requireAll"
            | "@reverse"
            | "@set"
            | "@type"
            | "@value"
            | "@version"
            | "@vocab"
    )
}

/// Whether `tag` has the form of a BCP 47 language tag (letters, then
/// `-`-separated letters and digits), so that it cannot break the N-Quads
/// line it is written into.
pub(crate) fn valid_language(tag: &str) -> bool {
    let mut parts = tag.split('-');
    parts
        .next()
        .is_some_and(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()))
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Whether `s` is an absolute IRI (a scheme, then `:`).
pub(crate) fn is_absolute_iri(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once(':') else {
        return false;
    };
    let mut bytes = scheme.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// The RDF dataset of a JSON-LD document, in safe mode.
///
/// # Errors
/// See [`LdError`]: anything that would be dropped, guessed or fetched.
pub fn to_rdf(document: &Value) -> Result<Vec<Quad>, LdError> {
    let expanded = expand::expand_document(document)?;
    to_rdf::dataset(&expanded)
}

/// [`to_rdf`] of a document given as a JSON object.
///
/// # Errors
/// See [`LdError`].
pub fn to_rdf_object(document: &serde_json::Map<String, Value>) -> Result<Vec<Quad>, LdError> {
    let expanded = expand::expand_object_document(document)?;
    to_rdf::dataset(&expanded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_cannot_break_an_n_quads_line() {
        for good in ["fr", "en-GB", "zh-Hant-TW", "de-1996"] {
            assert!(valid_language(good), "{good}");
        }
        for bad in [
            "",
            "en .\n<s> <p> \"v\"@en",
            "fr_FR",
            "-en",
            "en-",
            "toolongtag",
        ] {
            assert!(!valid_language(bad), "{bad}");
        }
    }
}
