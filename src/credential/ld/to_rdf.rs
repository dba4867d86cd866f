//! Expanded JSON-LD to an RDF dataset (JSON-LD 1.1 Processing Algorithms,
//! 7.2 and 8.1 to 8.3): node objects become subjects, nested nodes and
//! values objects, `@graph` containers named graphs, lists `rdf:first` /
//! `rdf:rest` chains. Blank nodes of the document are relabelled, so labels
//! written in a document never collide with generated ones.

use super::LdError;
use crate::credential::jcs;
use crate::credential::rdfc::{Quad, RDF_LANG_STRING, Term, XSD_STRING};
use serde_json::{Map, Value};
use std::collections::HashMap;

const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

struct Builder {
    quads: Vec<Quad>,
    labels: HashMap<String, String>,
    counter: usize,
}

impl Builder {
    fn fresh(&mut self) -> Term {
        let label = format!("b{}", self.counter);
        self.counter += 1;
        Term::Blank(label)
    }

    /// The term for an `@id` (blank node labels relabelled).
    fn id(&mut self, id: &str) -> Term {
        match id.strip_prefix("_:") {
            Some(old) => {
                if let Some(new) = self.labels.get(old) {
                    return Term::Blank(new.clone());
                }
                let Term::Blank(new) = self.fresh() else {
                    unreachable!("fresh gives a blank node")
                };
                self.labels.insert(old.to_owned(), new.clone());
                Term::Blank(new)
            }
            None => Term::Iri(id.to_owned()),
        }
    }

    fn push(&mut self, subject: &Term, predicate: &str, object: Term, graph: Option<&Term>) {
        self.quads.push(Quad {
            subject: subject.clone(),
            predicate: predicate.to_owned(),
            object,
            graph: graph.cloned(),
        });
    }

    /// A node object: its triples in `graph`; returns its subject.
    fn node(&mut self, node: &Map<String, Value>, graph: Option<&Term>) -> Result<Term, LdError> {
        let subject = match node.get("@id").and_then(Value::as_str) {
            Some(id) => self.id(id),
            None => self.fresh(),
        };
        for (key, value) in node {
            match key.as_str() {
                "@id" | "@index" => {}
                "@type" => {
                    for t in value.as_array().into_iter().flatten() {
                        let t = t.as_str().ok_or_else(|| {
                            LdError::Invalid("a type that is not a string".into())
                        })?;
                        let object = self.id(t);
                        self.push(&subject, &format!("{RDF}type"), object, graph);
                    }
                }
                "@graph" => {
                    // The node names a graph holding these nodes.
                    for item in value.as_array().into_iter().flatten() {
                        if let Value::Object(m) = item {
                            self.node(m, Some(&subject))?;
                        }
                    }
                }
                k if k.starts_with('@') => {
                    return Err(LdError::Invalid(format!("{k} in a node object")));
                }
                predicate => {
                    for item in value.as_array().into_iter().flatten() {
                        if let Some(object) = self.object(item, graph)? {
                            self.push(&subject, predicate, object, graph);
                        }
                    }
                }
            }
        }
        Ok(subject)
    }

    /// An item of an expanded property value: the term it stands for.
    fn object(&mut self, item: &Value, graph: Option<&Term>) -> Result<Option<Term>, LdError> {
        let Value::Object(m) = item else {
            return Err(LdError::Invalid(
                "an expanded value that is not an object".into(),
            ));
        };
        if m.contains_key("@value") {
            return literal(m).map(Some);
        }
        if let Some(list) = m.get("@list") {
            return self
                .list(list.as_array().map_or(&[][..], Vec::as_slice), graph)
                .map(Some);
        }
        if m.contains_key("@graph") && !m.contains_key("@id") {
            // A graph object (a `@graph` container): a blank node names it.
            let name = self.fresh();
            for node in m["@graph"].as_array().into_iter().flatten() {
                if let Value::Object(n) = node {
                    self.node(n, Some(&name))?;
                }
            }
            return Ok(Some(name));
        }
        self.node(m, graph).map(Some)
    }

    /// 8.3 List Conversion.
    fn list(&mut self, items: &[Value], graph: Option<&Term>) -> Result<Term, LdError> {
        let nil = Term::Iri(format!("{RDF}nil"));
        let Some((first, rest)) = items.split_first() else {
            return Ok(nil);
        };
        let head = self.fresh();
        let mut current = head.clone();
        let mut remaining = rest.iter().peekable();
        let mut item = first;
        loop {
            if let Some(object) = self.object(item, graph)? {
                self.push(&current, &format!("{RDF}first"), object, graph);
            }
            match remaining.next() {
                Some(next) => {
                    let node = self.fresh();
                    self.push(&current, &format!("{RDF}rest"), node.clone(), graph);
                    current = node;
                    item = next;
                }
                None => {
                    self.push(&current, &format!("{RDF}rest"), nil, graph);
                    return Ok(head);
                }
            }
        }
    }
}

/// 8.2 Object to RDF, for a value object.
fn literal(m: &Map<String, Value>) -> Result<Term, LdError> {
    let value = &m["@value"];
    let datatype = m.get("@type").and_then(Value::as_str);
    let language = m.get("@language").and_then(Value::as_str);
    if datatype == Some("@json") {
        return Ok(Term::Literal {
            value: String::from_utf8(jcs::canonicalize(value))
                .map_err(|_| LdError::Invalid("a JSON literal that is not UTF-8".into()))?,
            datatype: format!("{RDF}JSON"),
            language: None,
        });
    }
    let (lexical, default_type) = match value {
        Value::Bool(b) => (b.to_string(), format!("{XSD}boolean")),
        Value::Number(n) => number(n, datatype)?,
        Value::String(s) => (
            s.clone(),
            if language.is_some() {
                RDF_LANG_STRING.to_owned()
            } else {
                XSD_STRING.to_owned()
            },
        ),
        _ => return Err(LdError::Invalid("a value that is not a literal".into())),
    };
    Ok(Term::Literal {
        value: lexical,
        datatype: datatype.map_or(default_type, str::to_owned),
        language: language.map(str::to_ascii_lowercase),
    })
}

/// A JSON number's lexical form and datatype: `xsd:integer` for integral
/// values below 10^21 (unless typed `xsd:double`), else the canonical
/// `xsd:double` form (`1.5E0`), as JSON-LD specifies.
fn number(n: &serde_json::Number, datatype: Option<&str>) -> Result<(String, String), LdError> {
    let double = datatype == Some(&format!("{XSD}double"));
    if !double {
        if let Some(i) = n.as_i64() {
            return Ok((i.to_string(), format!("{XSD}integer")));
        }
        if let Some(u) = n.as_u64() {
            return Ok((u.to_string(), format!("{XSD}integer")));
        }
    }
    let f = n
        .as_f64()
        .ok_or_else(|| LdError::Invalid(format!("the number {n} is out of range")))?;
    if !double && f.fract() == 0.0 && f.abs() < 1e21 {
        #[allow(clippy::cast_possible_truncation)]
        return Ok((format!("{}", f as i128), format!("{XSD}integer")));
    }
    Ok((canonical_double(f), format!("{XSD}double")))
}

/// `xsd:double` canonical form as JSON-LD processors write it: sixteen
/// significant digits, trailing zeros dropped but one decimal kept, `E`,
/// the exponent (`1.0E0`, `-2.5E-3`; JavaScript's `toExponential(15)`).
fn canonical_double(f: f64) -> String {
    let s = format!("{f:.15e}");
    let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
    let mut mantissa = mantissa.trim_end_matches('0').to_owned();
    if mantissa.ends_with('.') {
        mantissa.push('0');
    }
    format!("{mantissa}E{exponent}")
}

/// The dataset of an expanded document.
pub(super) fn dataset(expanded: &Value) -> Result<Vec<Quad>, LdError> {
    let mut b = Builder {
        quads: Vec::new(),
        labels: HashMap::new(),
        counter: 0,
    };
    for node in expanded.as_array().into_iter().flatten() {
        match node {
            Value::Object(m) => {
                b.node(m, None)?;
            }
            _ => {
                return Err(LdError::Invalid(
                    "a top-level item that is not a node".into(),
                ));
            }
        }
    }
    Ok(b.quads)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_are_written_in_canonical_form() {
        assert_eq!(canonical_double(1.5), "1.5E0");
        assert_eq!(canonical_double(1.0), "1.0E0");
        assert_eq!(canonical_double(-0.0025), "-2.5E-3");
        assert_eq!(canonical_double(1e21), "1.0E21");
        // Sixteen significant digits, as JavaScript processors round.
        assert_eq!(canonical_double(0.1 + 0.2), "3.0E-1");
    }
}
