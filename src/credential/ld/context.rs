//! Active contexts: context processing, term definitions and IRI expansion
//! (JSON-LD 1.1 Processing Algorithms, sections 4.1, 4.2 and 5.2).

use super::{CONTEXTS, LdError, is_absolute_iri, is_keyword, keyword_like};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// The most terms one context may define (the credential contexts define
/// about 150).
const MAX_TERMS: usize = 2000;

/// How many remote contexts one chain may load (the spec's guard against
/// recursive inclusion; the credential contexts need three).
const MAX_REMOTE: usize = 16;

/// A term's definition.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Term {
    /// The IRI (or keyword) it maps to; `None` for a term mapped to null.
    pub iri: Option<String>,
    pub prefix: bool,
    pub protected: bool,
    /// `@id`, `@vocab`, `@json`, `@none` or a datatype IRI.
    pub type_mapping: Option<String>,
    /// `@list`, `@set`, `@graph`, `@language` (sorted).
    pub containers: Vec<String>,
    /// `Some(None)`: a string value has no language even with a default one.
    pub language: Option<Option<String>>,
    /// A scoped context, applied to values of this property or to nodes of
    /// this type.
    pub context: Option<Arc<Value>>,
}

impl Term {
    fn new() -> Self {
        Term {
            iri: None,
            prefix: false,
            protected: false,
            type_mapping: None,
            containers: Vec::new(),
            language: None,
            context: None,
        }
    }

    /// Whether the definitions say the same, the protected flag aside.
    fn same_as(&self, other: &Term) -> bool {
        self.iri == other.iri
            && self.prefix == other.prefix
            && self.type_mapping == other.type_mapping
            && self.containers == other.containers
            && self.language == other.language
            && self.context == other.context
    }

    /// Whether values of this property go in `container`.
    pub fn has_container(&self, container: &str) -> bool {
        self.containers.iter().any(|c| c == container)
    }
}

/// The state against which keys and values are expanded.
#[derive(Debug, Clone, Default)]
pub struct ActiveContext {
    /// Identifies this state for the cache of processed contexts: 0 for the
    /// empty context, a fresh number for each result of processing.
    id: u64,
    pub(super) terms: Arc<HashMap<String, Arc<Term>>>,
    pub(super) vocab: Option<String>,
    pub(super) language: Option<String>,
    /// The context before a type-scoped one, restored for nested nodes.
    pub(super) previous: Option<Arc<ActiveContext>>,
}

/// Where the first `:` after the first character is.
fn inner_colon_at(s: &str) -> Option<usize> {
    s.char_indices()
        .skip(1)
        .find(|(_, c)| *c == ':')
        .map(|(i, _)| i)
}

/// The embedded context documents, parsed once.
fn remote(url: &str) -> Result<&'static Value, LdError> {
    static PARSED: OnceLock<Vec<(&'static str, Value)>> = OnceLock::new();
    let parsed = PARSED.get_or_init(|| {
        CONTEXTS
            .iter()
            .map(|(url, text)| {
                let doc: Value = serde_json::from_str(text).expect("embedded contexts are JSON");
                (*url, doc.get("@context").cloned().unwrap_or(Value::Null))
            })
            .collect()
    });
    parsed
        .iter()
        .find(|(u, _)| *u == url)
        .map(|(_, c)| c)
        .ok_or_else(|| LdError::UnknownContext(url.to_owned()))
}

/// What a local context is, for the cache: a scoped context of a term by
/// its address (the cache entry holds it, so the address cannot be reused
/// while the entry lives), or one a document holds by its text.
pub(super) enum LocalKey {
    /// A scoped context, shared with its term definition.
    Shared(Arc<Value>),
    /// A context read from a document.
    Document,
}

/// Most processed contexts one thread keeps (a credential needs a few
/// dozen; verifying many credentials of the same issuer reuses them).
const CACHE_LIMIT: usize = 4096;

/// (active context, override protected, propagate, scoped context's
/// address, document context's text).
type CacheKey = (u64, bool, bool, usize, Option<String>);
/// The scoped context the key points at (kept alive), and the result.
type CacheEntry = (Option<Arc<Value>>, ActiveContext);

thread_local! {
    static CACHE: std::cell::RefCell<HashMap<CacheKey, CacheEntry>> =
        std::cell::RefCell::new(HashMap::new());
}

/// How many distinct document contexts one thread remembers by value.
const INTERNED_LIMIT: usize = 16;

thread_local! {
    static INTERNED: std::cell::RefCell<Vec<Value>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A small number standing for `local` when an earlier document had the
/// same context (compared by value, cheaper than writing it out as text).
fn interned(local: &Value) -> Option<usize> {
    INTERNED.with(|i| {
        let mut interned = i.borrow_mut();
        if let Some(n) = interned.iter().position(|v| v == local) {
            return Some(n + 1);
        }
        if interned.len() < INTERNED_LIMIT {
            interned.push(local.clone());
            return Some(interned.len());
        }
        None
    })
}

fn fresh_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Options of one run of context processing.
#[derive(Clone, Copy)]
pub(super) struct Process {
    pub override_protected: bool,
    pub propagate: bool,
}

impl Process {
    pub const DEFAULT: Process = Process {
        override_protected: false,
        propagate: true,
    };
}

impl ActiveContext {
    /// The term definition of `key`, if any.
    pub(super) fn term(&self, key: &str) -> Option<&Term> {
        self.terms.get(key).map(AsRef::as_ref)
    }

    /// [`ActiveContext::process`], remembered per thread: applying the same
    /// local context to the same active context gives the same result.
    pub(super) fn process_cached(
        &self,
        local: &Value,
        key: LocalKey,
        options: Process,
    ) -> Result<ActiveContext, LdError> {
        let (address, text, held) = match key {
            LocalKey::Shared(arc) => (Arc::as_ptr(&arc) as usize, None, Some(arc)),
            LocalKey::Document => match interned(local) {
                // The same context as an earlier document: its number.
                Some(n) => (n, Some(String::new()), None),
                // Too many different contexts: not cached (the cache would
                // hold a copy of each, however large).
                None => return self.process(local, &mut Vec::new(), options),
            },
        };
        let key: CacheKey = (
            self.id,
            options.override_protected,
            options.propagate,
            address,
            text,
        );
        if let Some(hit) = CACHE.with(|c| c.borrow().get(&key).map(|(_, ctx)| ctx.clone())) {
            return Ok(hit);
        }
        let result = self.process(local, &mut Vec::new(), options)?;
        CACHE.with(|c| {
            let mut cache = c.borrow_mut();
            if cache.len() >= CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(key, (held, result.clone()));
        });
        Ok(result)
    }

    /// Context processing (4.1.2): `local` applied to `self`.
    pub(super) fn process(
        &self,
        local: &Value,
        remotes: &mut Vec<String>,
        options: Process,
    ) -> Result<ActiveContext, LdError> {
        let mut result = self.clone();
        let mut propagate = options.propagate;
        if let Some(p) = local.get("@propagate") {
            propagate = p
                .as_bool()
                .ok_or_else(|| LdError::InvalidContext("@propagate must be a boolean".into()))?;
        }
        if !propagate && result.previous.is_none() {
            result.previous = Some(Arc::new(self.clone()));
        }
        let items: &[Value] = match local {
            Value::Array(items) => items,
            one => std::slice::from_ref(one),
        };
        for context in items {
            match context {
                Value::Null => {
                    if !options.override_protected && result.terms.values().any(|t| t.protected) {
                        return Err(LdError::InvalidContext(
                            "a context nullification would drop protected terms".into(),
                        ));
                    }
                    let previous = (!propagate).then(|| Arc::new(result.clone()));
                    result = ActiveContext {
                        previous,
                        ..ActiveContext::default()
                    };
                }
                Value::String(url) => {
                    if !is_absolute_iri(url) {
                        return Err(LdError::UnknownContext(url.clone()));
                    }
                    if remotes.len() >= MAX_REMOTE {
                        return Err(LdError::TooDeep);
                    }
                    remotes.push(url.clone());
                    let loaded = remote(url)?;
                    result = result.process(
                        loaded,
                        remotes,
                        Process {
                            override_protected: options.override_protected,
                            propagate: true,
                        },
                    )?;
                }
                Value::Object(map) => result.apply(map, remotes, options)?,
                _ => {
                    return Err(LdError::InvalidContext(
                        "a context must be an object, a URL or null".into(),
                    ));
                }
            }
        }
        result.id = fresh_id();
        Ok(result)
    }

    /// Step 5 of 4.1.2 for one context object.
    fn apply(
        &mut self,
        map: &Map<String, Value>,
        remotes: &mut Vec<String>,
        options: Process,
    ) -> Result<(), LdError> {
        if let Some(version) = map.get("@version")
            && version.as_f64() != Some(1.1)
        {
            return Err(LdError::InvalidContext("@version must be 1.1".into()));
        }
        for unsupported in ["@import", "@base", "@direction"] {
            if map.contains_key(unsupported) {
                return Err(LdError::Unsupported(match unsupported {
                    "@import" => "@import",
                    "@base" => "@base",
                    _ => "@direction",
                }));
            }
        }
        if let Some(vocab) = map.get("@vocab") {
            self.vocab = match vocab {
                Value::Null => None,
                Value::String(v) => {
                    let expanded = self.expand_iri(v, true, true)?;
                    match expanded {
                        Some(iri) if is_absolute_iri(&iri) || iri.starts_with("_:") => Some(iri),
                        _ => return Err(LdError::RelativeIri(v.clone())),
                    }
                }
                _ => return Err(LdError::InvalidContext("invalid @vocab".into())),
            };
        }
        if let Some(language) = map.get("@language") {
            self.language = match language {
                Value::Null => None,
                Value::String(l) if super::valid_language(l) => Some(l.to_ascii_lowercase()),
                _ => return Err(LdError::InvalidContext("invalid @language".into())),
            };
        }
        let protected = match map.get("@protected") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                return Err(LdError::InvalidContext(
                    "@protected must be a boolean".into(),
                ));
            }
        };
        let mut defined: HashMap<&str, bool> = HashMap::new();
        for key in map.keys() {
            if matches!(
                key.as_str(),
                "@base"
                    | "@direction"
                    | "@import"
                    | "@language"
                    | "@propagate"
                    | "@protected"
                    | "@version"
                    | "@vocab"
            ) {
                continue;
            }
            self.define(map, key, &mut defined, protected, options, remotes)?;
        }
        Ok(())
    }

    /// Create Term Definition (4.2.2).
    fn define<'a>(
        &mut self,
        local: &'a Map<String, Value>,
        term: &'a str,
        defined: &mut HashMap<&'a str, bool>,
        default_protected: bool,
        options: Process,
        remotes: &mut Vec<String>,
    ) -> Result<(), LdError> {
        match defined.get(term) {
            Some(true) => return Ok(()),
            Some(false) => {
                return Err(LdError::InvalidContext(format!(
                    "cyclic IRI mapping at {term}"
                )));
            }
            None => {}
        }
        if term.is_empty() {
            return Err(LdError::InvalidContext("an empty term".into()));
        }
        // Terms defined through one another nest the definitions: a bound
        // keeps a hostile chain from exhausting the stack.
        if defined.len() > MAX_TERMS {
            return Err(LdError::TooDeep);
        }
        defined.insert(term, false);
        let value = &local[term];
        if term == "@type" {
            let ok = value.as_object().is_some_and(|m| {
                !m.is_empty()
                    && m.iter().all(|(k, v)| match k.as_str() {
                        "@container" => v == "@set",
                        "@protected" => v.is_boolean(),
                        _ => false,
                    })
            });
            if !ok {
                return Err(LdError::InvalidContext(
                    "@type may only be given @container @set".into(),
                ));
            }
        } else if is_keyword(term) {
            return Err(LdError::InvalidContext(format!(
                "{term} cannot be redefined"
            )));
        } else if keyword_like(term) {
            // Reserved for future keywords: ignored, as the spec says.
            defined.insert(term, true);
            return Ok(());
        }
        let previous = Arc::make_mut(&mut self.terms).remove(term);
        let (value, simple) = match value {
            Value::Null => (None, false),
            Value::String(_) => (None, true),
            Value::Object(m) => (Some(m), false),
            _ => {
                return Err(LdError::InvalidContext(format!(
                    "the definition of {term} is not a string or an object"
                )));
            }
        };
        let id_value: Option<&Value> = match (value, &local[term]) {
            (Some(m), _) => m.get("@id"),
            (None, Value::String(_)) => Some(&local[term]),
            (None, _) => Some(&Value::Null),
        };
        let mut def = Term::new();
        def.protected = default_protected;
        if let Some(m) = value {
            for key in m.keys() {
                if !matches!(
                    key.as_str(),
                    "@id"
                        | "@container"
                        | "@context"
                        | "@language"
                        | "@prefix"
                        | "@protected"
                        | "@type"
                ) {
                    return Err(match key.as_str() {
                        "@reverse" => LdError::Unsupported("@reverse"),
                        "@nest" => LdError::Unsupported("@nest"),
                        "@index" => LdError::Unsupported("@index"),
                        "@direction" => LdError::Unsupported("@direction"),
                        _ => LdError::InvalidContext(format!("{key} in the definition of {term}")),
                    });
                }
            }
            if let Some(p) = m.get("@protected") {
                def.protected = p.as_bool().ok_or_else(|| {
                    LdError::InvalidContext(format!("@protected of {term} must be a boolean"))
                })?;
            }
            if let Some(t) = m.get("@type") {
                let t = t.as_str().ok_or_else(|| {
                    LdError::InvalidContext(format!("the @type of {term} must be a string"))
                })?;
                let expanded = self.expand_iri_defining(t, local, defined, options, remotes)?;
                match expanded {
                    Some(iri)
                        if matches!(iri.as_str(), "@id" | "@json" | "@none" | "@vocab")
                            || is_absolute_iri(&iri) =>
                    {
                        def.type_mapping = Some(iri);
                    }
                    _ => {
                        return Err(LdError::InvalidContext(format!(
                            "invalid type mapping {t} for {term}"
                        )));
                    }
                }
            }
        }
        match id_value {
            Some(id) if id.as_str() != Some(term) => match id {
                Value::Null => def.iri = None,
                Value::String(id) => {
                    if keyword_like(id) && !is_keyword(id) {
                        defined.insert(term, true);
                        return Ok(());
                    }
                    let iri = self.expand_iri_defining(id, local, defined, options, remotes)?;
                    let iri = match iri {
                        Some(iri)
                            if is_keyword(&iri)
                                || is_absolute_iri(&iri)
                                || iri.starts_with("_:") =>
                        {
                            iri
                        }
                        _ => {
                            return Err(LdError::InvalidContext(format!(
                                "{term} maps to {id}, which is not an IRI"
                            )));
                        }
                    };
                    if iri == "@context" {
                        return Err(LdError::InvalidContext("@context cannot be aliased".into()));
                    }
                    let inner_colon = term
                        .char_indices()
                        .any(|(i, c)| c == ':' && i > 0 && i + 1 < term.len());
                    if inner_colon || term.contains('/') {
                        defined.insert(term, true);
                        let itself =
                            self.expand_iri_defining(term, local, defined, options, remotes)?;
                        if itself.as_deref() != Some(iri.as_str()) {
                            return Err(LdError::InvalidContext(format!(
                                "{term} looks like an IRI but maps to another one"
                            )));
                        }
                    } else if simple
                        && (iri.ends_with([':', '/', '?', '#', '[', ']', '@'])
                            || iri.starts_with("_:"))
                    {
                        def.prefix = true;
                    }
                    def.iri = Some(iri);
                }
                _ => {
                    return Err(LdError::InvalidContext(format!(
                        "the @id of {term} must be a string"
                    )));
                }
            },
            _ => {
                // No @id (or the term itself): derive it.
                if let Some(colon) = inner_colon_at(term) {
                    let (prefix, suffix) = (&term[..colon], &term[colon + 1..]);
                    if local.contains_key(prefix) {
                        self.define(local, prefix, defined, default_protected, options, remotes)?;
                    }
                    def.iri = Some(match self.term(prefix).and_then(|t| t.iri.clone()) {
                        Some(base) => base + suffix,
                        None => term.to_owned(),
                    });
                } else if term.contains('/') {
                    match self.expand_iri(term, false, true)? {
                        Some(iri) if is_absolute_iri(&iri) => def.iri = Some(iri),
                        _ => return Err(LdError::RelativeIri(term.to_owned())),
                    }
                } else if term == "@type" {
                    def.iri = Some("@type".into());
                } else if let Some(vocab) = &self.vocab {
                    def.iri = Some(format!("{vocab}{term}"));
                } else {
                    return Err(LdError::InvalidContext(format!(
                        "{term} has no IRI and there is no @vocab"
                    )));
                }
            }
        }
        if let Some(m) = value {
            if let Some(c) = m.get("@container") {
                let list: Vec<&Value> = match c {
                    Value::Array(a) => a.iter().collect(),
                    one => vec![one],
                };
                for c in list {
                    match c.as_str() {
                        Some(k @ ("@list" | "@set" | "@graph" | "@language")) => {
                            def.containers.push(k.to_owned());
                        }
                        Some("@index") => return Err(LdError::Unsupported("@index containers")),
                        Some("@id" | "@type") => {
                            return Err(LdError::Unsupported("@id and @type maps"));
                        }
                        _ => {
                            return Err(LdError::InvalidContext(format!(
                                "invalid @container for {term}"
                            )));
                        }
                    }
                }
                def.containers.sort();
                if def.has_container("@list") && def.containers.len() > 1 {
                    return Err(LdError::InvalidContext(format!(
                        "@list cannot be combined for {term}"
                    )));
                }
            }
            if let Some(c) = m.get("@context") {
                def.context = Some(Arc::new(c.clone()));
            }
            if let Some(l) = m.get("@language")
                && def.type_mapping.is_none()
            {
                def.language = Some(match l {
                    Value::Null => None,
                    Value::String(s) if super::valid_language(s) => Some(s.to_ascii_lowercase()),
                    _ => {
                        return Err(LdError::InvalidContext(format!(
                            "invalid @language for {term}"
                        )));
                    }
                });
            }
            if let Some(p) = m.get("@prefix") {
                if term.contains([':', '/']) {
                    return Err(LdError::InvalidContext(format!(
                        "{term} cannot be a prefix"
                    )));
                }
                def.prefix = p.as_bool().ok_or_else(|| {
                    LdError::InvalidContext(format!("@prefix of {term} must be a boolean"))
                })?;
            }
        }
        if !options.override_protected
            && let Some(previous) = previous
            && previous.protected
        {
            if !previous.same_as(&def) {
                return Err(LdError::InvalidContext(format!(
                    "the protected term {term} cannot be redefined"
                )));
            }
            def = (*previous).clone();
        }
        Arc::make_mut(&mut self.terms).insert(term.to_owned(), Arc::new(def));
        defined.insert(term, true);
        Ok(())
    }

    /// IRI expansion while a context is being defined: terms of `local`
    /// not yet defined are defined first.
    fn expand_iri_defining<'a>(
        &mut self,
        value: &'a str,
        local: &'a Map<String, Value>,
        defined: &mut HashMap<&'a str, bool>,
        options: Process,
        remotes: &mut Vec<String>,
    ) -> Result<Option<String>, LdError> {
        if is_keyword(value) {
            return Ok(Some(value.to_owned()));
        }
        if keyword_like(value) {
            return Ok(None);
        }
        // The value itself, then its prefix, when the context being
        // processed defines them and they are not defined yet.
        let prefix = inner_colon_at(value).map(|colon| &value[..colon]);
        for term in std::iter::once(value).chain(prefix) {
            if local.contains_key(term) && defined.get(term) != Some(&true) {
                let protected = local
                    .get("@protected")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                self.define(local, term, defined, protected, options, remotes)?;
            }
        }
        self.expand_iri(value, false, true)
    }

    /// IRI Expansion (5.2.2) against a finished context. `None`: the value
    /// maps to nothing (a term set to null, or a keyword-like string).
    pub(super) fn expand_iri(
        &self,
        value: &str,
        document_relative: bool,
        vocab: bool,
    ) -> Result<Option<String>, LdError> {
        if is_keyword(value) {
            return Ok(Some(value.to_owned()));
        }
        if keyword_like(value) {
            return Ok(None);
        }
        if let Some(term) = self.term(value) {
            if term.iri.as_deref().is_some_and(is_keyword) {
                return Ok(term.iri.clone());
            }
            if vocab {
                return Ok(term.iri.clone());
            }
        }
        if let Some(colon) = inner_colon_at(value) {
            let (prefix, suffix) = (&value[..colon], &value[colon + 1..]);
            if prefix == "_" || suffix.starts_with("//") {
                return Ok(Some(value.to_owned()));
            }
            if let Some(term) = self.term(prefix)
                && term.prefix
                && let Some(iri) = &term.iri
            {
                return Ok(Some(format!("{iri}{suffix}")));
            }
            if is_absolute_iri(value) {
                return Ok(Some(value.to_owned()));
            }
        }
        if vocab && let Some(v) = &self.vocab {
            return Ok(Some(format!("{v}{value}")));
        }
        // No base IRI: a document-relative reference stays relative, which
        // the callers refuse.
        let _ = document_relative;
        Ok(Some(value.to_owned()))
    }
}
