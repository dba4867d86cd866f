//! Expansion (JSON-LD 1.1 Processing Algorithms, 5.1 and 5.3), in safe
//! mode: what the standard algorithm would drop is an error that names the
//! place in the document.

use super::context::{ActiveContext, LocalKey, Process};
use super::{LdError, is_absolute_iri, is_keyword};
use serde_json::{Map, Value};
use std::sync::Arc;

/// How deep documents may nest (credentials need about ten levels).
const MAX_DEPTH: usize = 64;

/// Expands a whole document: an array of node objects.
pub(super) fn expand_document(document: &Value) -> Result<Value, LdError> {
    let mut state = State {
        path: Vec::new(),
        depth: 0,
        top_context: None,
    };
    let expanded = state.expand(&ActiveContext::default(), None, document, false)?;
    top_level(expanded)
}

/// [`expand_document`] of a document that is a JSON object.
pub(super) fn expand_object_document(document: &Map<String, Value>) -> Result<Value, LdError> {
    let mut state = State {
        path: Vec::new(),
        depth: 1,
        top_context: None,
    };
    let expanded = state.expand_object(&ActiveContext::default(), None, document, None, false)?;
    top_level(expanded)
}

/// The document's expanded form as an array of node objects.
fn top_level(expanded: Option<Value>) -> Result<Value, LdError> {
    // A top-level object with only @graph stands for its graph.
    let expanded = match expanded {
        Some(Value::Object(mut map)) if map.len() == 1 && map.contains_key("@graph") => {
            map.remove("@graph").unwrap_or(Value::Null)
        }
        Some(v) => v,
        None => Value::Array(Vec::new()),
    };
    Ok(match expanded {
        Value::Array(a) => Value::Array(a),
        other => Value::Array(vec![other]),
    })
}

struct State {
    /// Where expansion is, for messages (`credentialSubject.achievement`).
    path: Vec<String>,
    depth: usize,
    /// The document's own `@context`, the only one a nested node may
    /// repeat.
    top_context: Option<Value>,
}

fn as_array(v: Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a,
        other => vec![other],
    }
}

impl State {
    fn here(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path.join("."))
        }
    }

    fn iri(
        &self,
        ctx: &ActiveContext,
        value: &str,
        vocab: bool,
        what: &str,
    ) -> Result<String, LdError> {
        match ctx.expand_iri(value, true, vocab)? {
            Some(iri) if is_keyword(&iri) => Err(LdError::Invalid(format!(
                "{what} {value:?} stands for the keyword {iri}, not an IRI"
            ))),
            Some(iri)
                if iri.contains(|c: char| {
                    c <= ' ' || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\')
                }) =>
            {
                // What N-Quads would have to escape, and processors disagree on.
                Err(LdError::Invalid(format!(
                    "{what} {value:?} holds characters an IRI may not hold"
                )))
            }
            Some(iri) if is_absolute_iri(&iri) || iri.starts_with("_:") => Ok(iri),
            Some(_) => Err(LdError::RelativeIri(value.to_owned())),
            None => Err(LdError::Dropped(format!("{what} {value:?}"))),
        }
    }

    /// Expansion (5.1.2) of `element` as a value of `property`.
    fn expand(
        &mut self,
        ctx: &ActiveContext,
        property: Option<&str>,
        element: &Value,
        from_map: bool,
    ) -> Result<Option<Value>, LdError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(LdError::TooDeep);
        }
        let out = self.expand_inner(ctx, property, element, from_map);
        self.depth -= 1;
        out
    }

    fn expand_inner(
        &mut self,
        ctx: &ActiveContext,
        property: Option<&str>,
        element: &Value,
        from_map: bool,
    ) -> Result<Option<Value>, LdError> {
        let term = property.and_then(|p| ctx.term(p));
        let scoped = term.and_then(|t| t.context.clone());
        match element {
            Value::Null => Ok(None),
            Value::Array(items) => {
                let list = term.is_some_and(|t| t.has_container("@list"));
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match self.expand(ctx, property, item, from_map)? {
                        Some(Value::Array(inner)) if list => {
                            out.push(Value::Object(Map::from_iter([(
                                "@list".to_owned(),
                                Value::Array(inner),
                            )])));
                        }
                        Some(Value::Array(inner)) => out.extend(inner),
                        Some(v) => out.push(v),
                        None => {}
                    }
                }
                Ok(Some(Value::Array(out)))
            }
            Value::Object(map) => self.expand_object(ctx, property, map, scoped, from_map),
            scalar => {
                if matches!(property, None | Some("@graph")) {
                    return Err(LdError::Dropped(format!(
                        "the value {scalar} outside any property"
                    )));
                }
                let ctx = match &scoped {
                    Some(c) => ctx.process_cached(
                        c,
                        LocalKey::Shared(c.clone()),
                        Process {
                            override_protected: true,
                            propagate: true,
                        },
                    )?,
                    None => ctx.clone(),
                };
                self.expand_value(&ctx, property, scalar).map(Some)
            }
        }
    }

    fn expand_object(
        &mut self,
        ctx: &ActiveContext,
        property: Option<&str>,
        map: &Map<String, Value>,
        scoped: Option<Arc<Value>>,
        from_map: bool,
    ) -> Result<Option<Value>, LdError> {
        let mut ctx = ctx.clone();
        // A type-scoped context does not reach nested nodes, except value
        // objects and bare references.
        if let Some(previous) = ctx.previous.clone()
            && !from_map
        {
            let keeps = map.keys().any(|k| {
                ctx.expand_iri(k, false, true).ok().flatten().as_deref() == Some("@value")
            }) || (map.len() == 1
                && map.keys().all(|k| {
                    ctx.expand_iri(k, false, true).ok().flatten().as_deref() == Some("@id")
                }));
            if !keeps {
                ctx = (*previous).clone();
            }
        }
        if let Some(scoped) = scoped {
            ctx = ctx.process_cached(
                &scoped,
                LocalKey::Shared(scoped.clone()),
                Process {
                    override_protected: true,
                    propagate: true,
                },
            )?;
        }
        if let Some(local) = map.get("@context") {
            // Compact form: the contexts are the document's, at its top; one
            // further down could redefine what a verifier reads by name.
            // (A proof may repeat the document's: that changes nothing.)
            if self.path.is_empty() {
                self.top_context = Some(local.clone());
            } else if self.top_context.as_ref() != Some(local) {
                return Err(LdError::Invalid(format!(
                    "{} holds a @context: a credential's contexts are at its top only",
                    self.here("@context")
                )));
            }
            ctx = ctx.process_cached(local, LocalKey::Document, Process::DEFAULT)?;
        }
        let type_scoped = ctx.clone();
        // Type-scoped contexts, types in lexicographic order.
        let mut type_keys: Vec<&String> = map
            .keys()
            .filter(|k| ctx.expand_iri(k, false, true).ok().flatten().as_deref() == Some("@type"))
            .collect();
        type_keys.sort();
        for key in &type_keys {
            let mut types: Vec<&str> = match &map[key.as_str()] {
                Value::String(s) => vec![s.as_str()],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            types.sort_unstable();
            for t in types {
                if let Some(c) = type_scoped.term(t).and_then(|d| d.context.clone()) {
                    ctx = ctx.process_cached(
                        &c,
                        LocalKey::Shared(c.clone()),
                        Process {
                            override_protected: false,
                            propagate: false,
                        },
                    )?;
                }
            }
        }
        let mut result = Map::new();
        for (key, value) in map {
            if key == "@context" {
                continue;
            }
            let expanded_key = match ctx.expand_iri(key, false, true)? {
                Some(k) if is_keyword(&k) || k.contains(':') => k,
                _ => return Err(LdError::Dropped(format!("the property {}", self.here(key)))),
            };
            // Compact form: no key is an IRI or a keyword standing for a
            // term. The same statement written that way would sign the same
            // but escape whoever reads the credential by its terms (a
            // verifier reading `validUntil`, a summary reading `status`).
            // A plain name that a context's `@vocab` maps is no such alias.
            if ctx.term(key).is_none() && (is_keyword(key) || key.contains(':')) {
                return Err(LdError::Invalid(format!(
                    "{} is written as {}: a credential uses the terms of its contexts",
                    self.here(key),
                    if is_keyword(key) {
                        "a keyword"
                    } else {
                        "an IRI"
                    }
                )));
            }
            if is_keyword(&expanded_key) {
                self.keyword_entry(
                    &ctx,
                    &type_scoped,
                    property,
                    key,
                    &expanded_key,
                    value,
                    &mut result,
                )?;
                continue;
            }
            if !is_absolute_iri(&expanded_key) && !expanded_key.starts_with("_:") {
                return Err(LdError::RelativeIri(expanded_key));
            }
            if expanded_key.starts_with("_:") {
                return Err(LdError::Unsupported("blank node properties"));
            }
            let term = ctx.term(key);
            let containers: Vec<String> = term.map(|t| t.containers.clone()).unwrap_or_default();
            self.path.push(key.clone());
            let expanded = if term.and_then(|t| t.type_mapping.as_deref()) == Some("@json") {
                Some(Value::Object(Map::from_iter([
                    ("@value".to_owned(), value.clone()),
                    ("@type".to_owned(), Value::String("@json".into())),
                ])))
            } else if containers.iter().any(|c| c == "@language") && value.is_object() {
                return Err(LdError::Unsupported("@language maps"));
            } else {
                self.expand(&ctx, Some(key), value, false)?
            };
            self.path.pop();
            let Some(mut expanded) = expanded else {
                continue;
            };
            if containers.iter().any(|c| c == "@list") && expanded.get("@list").is_none() {
                expanded = Value::Object(Map::from_iter([(
                    "@list".to_owned(),
                    Value::Array(as_array(expanded)),
                )]));
            }
            if containers.iter().any(|c| c == "@graph") {
                expanded = Value::Array(
                    as_array(expanded)
                        .into_iter()
                        .map(|ev| {
                            Value::Object(Map::from_iter([(
                                "@graph".to_owned(),
                                Value::Array(as_array(ev)),
                            )]))
                        })
                        .collect(),
                );
            }
            let slot = result
                .entry(expanded_key)
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(slot) = slot {
                slot.extend(as_array(expanded));
            }
        }
        self.finish(result, property)
    }

    /// Step 13.4: one entry whose key expands to a keyword.
    #[allow(clippy::too_many_arguments)]
    fn keyword_entry(
        &mut self,
        ctx: &ActiveContext,
        type_scoped: &ActiveContext,
        property: Option<&str>,
        key: &str,
        keyword: &str,
        value: &Value,
        result: &mut Map<String, Value>,
    ) -> Result<(), LdError> {
        if result.contains_key(keyword) && keyword != "@type" {
            return Err(LdError::Invalid(format!(
                "{} repeats {keyword}",
                self.here(key)
            )));
        }
        let expanded: Value = match keyword {
            "@id" => {
                let id = value.as_str().ok_or_else(|| {
                    LdError::Invalid(format!("{} must be a string", self.here(key)))
                })?;
                Value::String(self.iri(ctx, id, false, "the identifier")?)
            }
            "@type" => {
                let types: Vec<&str> = match value {
                    Value::String(s) => vec![s],
                    Value::Array(a) => a
                        .iter()
                        .map(|t| {
                            t.as_str().ok_or_else(|| {
                                LdError::Invalid(format!("{} must hold strings", self.here(key)))
                            })
                        })
                        .collect::<Result<_, _>>()?,
                    _ => {
                        return Err(LdError::Invalid(format!(
                            "{} must be a string or an array of strings",
                            self.here(key)
                        )));
                    }
                };
                let mut out = match result.remove("@type") {
                    Some(Value::Array(a)) => a,
                    Some(v) => vec![v],
                    None => Vec::new(),
                };
                for t in types {
                    out.push(Value::String(self.iri(type_scoped, t, true, "the type")?));
                }
                Value::Array(out)
            }
            "@graph" => {
                self.path.push(key.to_owned());
                let graph = self.expand(ctx, Some("@graph"), value, false)?;
                self.path.pop();
                Value::Array(graph.map(as_array).unwrap_or_default())
            }
            "@value" => {
                if value.is_object() || value.is_array() {
                    return Err(LdError::Invalid(format!(
                        "{} must be a string, a number, a boolean or null",
                        self.here(key)
                    )));
                }
                value.clone()
            }
            "@language" => match value {
                Value::String(s) if super::valid_language(s) => {
                    Value::String(s.to_ascii_lowercase())
                }
                _ => {
                    return Err(LdError::Invalid(format!(
                        "{} must be a language tag",
                        self.here(key)
                    )));
                }
            },
            "@list" => {
                if matches!(property, None | Some("@graph")) {
                    return Err(LdError::Dropped(format!("the list {}", self.here(key))));
                }
                self.path.push(key.to_owned());
                let list = self.expand(ctx, property, value, false)?;
                self.path.pop();
                Value::Array(list.map(as_array).unwrap_or_default())
            }
            "@set" => {
                let set = self.expand(ctx, property, value, false)?;
                Value::Array(set.map(as_array).unwrap_or_default())
            }
            "@context" => return Ok(()),
            "@reverse" => return Err(LdError::Unsupported("@reverse")),
            "@nest" => return Err(LdError::Unsupported("@nest")),
            "@index" => return Err(LdError::Unsupported("@index")),
            "@included" => return Err(LdError::Unsupported("@included")),
            "@direction" => return Err(LdError::Unsupported("@direction")),
            other => {
                return Err(LdError::Invalid(format!(
                    "{other} cannot be used in a document ({})",
                    self.here(key)
                )));
            }
        };
        result.insert(keyword.to_owned(), expanded);
        Ok(())
    }

    /// Steps 14 to 20: checks and simplifications of an expanded object.
    fn finish(
        &self,
        mut result: Map<String, Value>,
        property: Option<&str>,
    ) -> Result<Option<Value>, LdError> {
        if result.contains_key("@value") {
            if result
                .keys()
                .any(|k| !matches!(k.as_str(), "@value" | "@type" | "@language" | "@index"))
            {
                return Err(LdError::Invalid(format!(
                    "a value object at {} has other members",
                    self.here("")
                )));
            }
            let json = result.get("@type").is_some_and(|t| t == "@json");
            if let Some(Value::Array(types)) = result.get("@type") {
                // A value's @type is one IRI.
                match types.as_slice() {
                    [one] if one.as_str().is_some_and(is_absolute_iri) => {
                        let one = one.clone();
                        result.insert("@type".into(), one);
                    }
                    _ => {
                        return Err(LdError::Invalid(format!(
                            "a value object at {} has an invalid @type",
                            self.here("")
                        )));
                    }
                }
            }
            if result["@value"].is_null() && !json {
                return Ok(None);
            }
            if result.contains_key("@language") && !result["@value"].is_string() {
                return Err(LdError::Invalid(
                    "@language on a value that is not a string".into(),
                ));
            }
            return Ok(Some(Value::Object(result)));
        }
        if result.contains_key("@list") || result.contains_key("@set") {
            if result.len() > 1 {
                return Err(LdError::Invalid(format!(
                    "a list or set object at {} has other members",
                    self.here("")
                )));
            }
            if let Some(set) = result.remove("@set") {
                return Ok(Some(set));
            }
        }
        if result.len() == 1 && result.contains_key("@language") {
            return Ok(None);
        }
        if matches!(property, None | Some("@graph"))
            && (result.is_empty()
                || result.contains_key("@value")
                || result.contains_key("@list")
                || (result.len() == 1 && result.contains_key("@id")))
        {
            return Err(LdError::Dropped(format!(
                "the object at {}",
                if self.path.is_empty() {
                    "the top level".to_owned()
                } else {
                    self.path.join(".")
                }
            )));
        }
        Ok(Some(Value::Object(result)))
    }

    /// Value expansion (5.3.2).
    fn expand_value(
        &self,
        ctx: &ActiveContext,
        property: Option<&str>,
        value: &Value,
    ) -> Result<Value, LdError> {
        let term = property.and_then(|p| ctx.term(p));
        let mapping = term.and_then(|t| t.type_mapping.as_deref());
        if let (Some(m @ ("@id" | "@vocab")), Value::String(s)) = (mapping, value) {
            let iri = self.iri(ctx, s, m == "@vocab", "the reference")?;
            return Ok(Value::Object(Map::from_iter([(
                "@id".to_owned(),
                Value::String(iri),
            )])));
        }
        let mut out = Map::from_iter([("@value".to_owned(), value.clone())]);
        match mapping {
            Some("@id" | "@vocab" | "@none") | None => {
                if value.is_string() {
                    let language = match term.and_then(|t| t.language.clone()) {
                        Some(l) => l,
                        None => ctx.language.clone(),
                    };
                    if let Some(l) = language {
                        out.insert("@language".into(), Value::String(l));
                    }
                }
            }
            Some(datatype) => {
                out.insert("@type".into(), Value::String(datatype.to_owned()));
            }
        }
        Ok(Value::Object(out))
    }
}
