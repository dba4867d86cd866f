//! RDF datasets, their N-Quads form, and RDF Dataset Canonicalization
//! (W3C RDFC-1.0, Recommendation of 21 May 2024) with SHA-256.
//!
//! Canonical labels follow the specification, including the details that
//! implementations agreed on (first-degree hashes use `_:a`/`_:z` even for
//! nodes already labelled; permutations in Steinhaus–Johnson–Trotter order).
//! A dataset built to make the N-degree step explode (a "poison graph") is
//! refused: at most [`MAX_SHARED`] blank nodes may share a first-degree
//! hash, the N-degree hashing steps are capped at the square of their
//! number (the reference implementation allows their number, to the power
//! of a work factor), and the permutations tried at [`MAX_PERMUTATIONS`].

use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// The most blank nodes whose first-degree hashes collide (a credential's
/// blank nodes usually all differ): beyond it, the N-degree step's time and
/// recursion depth are no longer small.
pub const MAX_SHARED: usize = 32;

/// The most permutations of related blank nodes one canonicalisation may
/// try (a credential's blank nodes are all distinct: it tries none).
pub const MAX_PERMUTATIONS: usize = 100_000;

/// The datatype of plain strings.
pub const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
/// The datatype of language-tagged strings.
pub const RDF_LANG_STRING: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

/// A node or a value of an RDF dataset.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term {
    /// An absolute IRI.
    Iri(String),
    /// A blank node, by its label (without `_:`).
    Blank(String),
    /// A literal: its lexical form, datatype IRI and language tag.
    Literal {
        /// The lexical form.
        value: String,
        /// The datatype IRI ([`RDF_LANG_STRING`] when `language` is set).
        datatype: String,
        /// The language tag, lower-cased.
        language: Option<String>,
    },
}

/// One statement, in the default graph (`graph: None`) or a named one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quad {
    /// An IRI or a blank node.
    pub subject: Term,
    /// An IRI.
    pub predicate: String,
    /// Any term.
    pub object: Term,
    /// An IRI or a blank node, or the default graph.
    pub graph: Option<Term>,
}

/// Why a dataset cannot be canonicalised.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CanonError {
    /// Too many symmetric blank nodes: canonical labelling would take
    /// exponential time.
    #[error("the document's blank nodes are too symmetric to canonicalise in bounded time")]
    TooComplex,
}

fn escape_iri(out: &mut String, iri: &str) {
    let plain = |b: u8| {
        b > 0x20
            && !matches!(
                b,
                b'<' | b'>' | b'"' | b'{' | b'}' | b'|' | b'^' | b'`' | b'\\'
            )
    };
    if iri.bytes().all(plain) {
        out.push_str(iri);
        return;
    }
    for c in iri.chars() {
        if matches!(
            c,
            '\u{0}'..='\u{20}' | '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\'
        ) {
            let _ = write!(out, "\\u{:04X}", c as u32);
        } else {
            out.push(c);
        }
    }
}

fn escape_literal(out: &mut String, value: &str) {
    if value
        .bytes()
        .all(|b| b >= 0x20 && b != 0x7f && b != b'"' && b != b'\\')
    {
        out.push_str(value);
        return;
    }
    for c in value.chars() {
        match c {
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{0}'..='\u{1f}' | '\u{7f}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// Writes a term; blank nodes through `label` (which may rename them).
fn write_term(out: &mut String, term: &Term, label: &dyn Fn(&str) -> String) {
    match term {
        Term::Iri(iri) => {
            out.push('<');
            escape_iri(out, iri);
            out.push('>');
        }
        Term::Blank(b) => {
            out.push_str("_:");
            out.push_str(&label(b));
        }
        Term::Literal {
            value,
            datatype,
            language,
        } => {
            out.push('"');
            escape_literal(out, value);
            out.push('"');
            if datatype == RDF_LANG_STRING {
                if let Some(l) = language {
                    out.push('@');
                    out.push_str(l);
                }
            } else if datatype != XSD_STRING {
                out.push_str("^^<");
                escape_iri(out, datatype);
                out.push('>');
            }
        }
    }
}

/// One quad as an N-Quads line (with its newline), blank nodes relabelled.
fn line(quad: &Quad, label: &dyn Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(128);
    write_term(&mut out, &quad.subject, label);
    out.push_str(" <");
    escape_iri(&mut out, &quad.predicate);
    out.push_str("> ");
    write_term(&mut out, &quad.object, label);
    if let Some(g) = &quad.graph {
        out.push(' ');
        write_term(&mut out, g, label);
    }
    out.push_str(" .\n");
    out
}

fn sha256_hex(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
    }
    let mut out = String::with_capacity(64);
    for b in h.finalize() {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Issues identifiers `PREFIX0`, `PREFIX1`… in order of first request.
#[derive(Debug, Clone)]
struct Issuer {
    prefix: &'static str,
    issued: HashMap<String, String>,
    order: Vec<String>,
}

impl Issuer {
    fn new(prefix: &'static str) -> Self {
        Issuer {
            prefix,
            issued: HashMap::new(),
            order: Vec::new(),
        }
    }

    fn get(&mut self, old: &str) -> String {
        if let Some(id) = self.issued.get(old) {
            return id.clone();
        }
        let id = format!("{}{}", self.prefix, self.order.len());
        self.issued.insert(old.to_owned(), id.clone());
        self.order.push(old.to_owned());
        id
    }

    fn has(&self, old: &str) -> bool {
        self.issued.contains_key(old)
    }
}

struct State<'a> {
    /// For each blank node: the quads that mention it, and its first-degree hash.
    info: HashMap<&'a str, (Vec<&'a Quad>, String)>,
    canonical: Issuer,
    deep_left: usize,
    permutations_left: usize,
}

fn blanks(quad: &Quad) -> impl Iterator<Item = &str> {
    [Some(&quad.subject), Some(&quad.object), quad.graph.as_ref()]
        .into_iter()
        .flatten()
        .filter_map(|t| match t {
            Term::Blank(b) => Some(b.as_str()),
            _ => None,
        })
}

impl<'a> State<'a> {
    /// 4.6 Hash First Degree Quads.
    fn hash_first_degree(&self, id: &str) -> String {
        let mut lines: Vec<String> = self.info[id]
            .0
            .iter()
            .map(|q| line(q, &|b| if b == id { "a".into() } else { "z".into() }))
            .collect();
        lines.sort();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        sha256_hex(&refs)
    }

    /// 4.7 Hash Related Blank Node.
    fn hash_related(&self, related: &str, quad: &Quad, issuer: &Issuer, position: &str) -> String {
        let id = if let Some(c) = self.canonical.issued.get(related) {
            format!("_:{c}")
        } else if let Some(c) = issuer.issued.get(related) {
            format!("_:{c}")
        } else {
            self.info[related].1.clone()
        };
        let predicate = if position == "g" {
            String::new()
        } else {
            let mut p = String::from("<");
            p.push_str(&quad.predicate);
            p.push('>');
            p
        };
        sha256_hex(&[position, &predicate, &id])
    }

    /// 4.8 Hash N-Degree Quads.
    fn hash_n_degree(
        &mut self,
        id: &str,
        mut issuer: Issuer,
    ) -> Result<(String, Issuer), CanonError> {
        if self.deep_left == 0 {
            return Err(CanonError::TooComplex);
        }
        self.deep_left -= 1;
        let mut related: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for quad in self.info[id].0.clone() {
            for (term, position) in [
                (Some(&quad.subject), "s"),
                (Some(&quad.object), "o"),
                (quad.graph.as_ref(), "g"),
            ] {
                if let Some(Term::Blank(b)) = term
                    && b != id
                {
                    let hash = self.hash_related(b, quad, &issuer, position);
                    related.entry(hash).or_default().push(b.clone());
                }
            }
        }
        let mut data = String::new();
        for (hash, list) in related {
            data.push_str(&hash);
            let mut chosen_path = String::new();
            let mut chosen_issuer: Option<Issuer> = None;
            let mut permuter = Permuter::new(list);
            while let Some(permutation) = permuter.next_permutation() {
                if self.permutations_left == 0 {
                    return Err(CanonError::TooComplex);
                }
                self.permutations_left -= 1;
                let mut copy = issuer.clone();
                let mut path = String::new();
                let mut recursion = Vec::new();
                let mut skip = false;
                for r in &permutation {
                    if let Some(c) = self.canonical.issued.get(r) {
                        path.push_str("_:");
                        path.push_str(c);
                    } else {
                        if !copy.has(r) {
                            recursion.push(r.clone());
                        }
                        path.push_str("_:");
                        path.push_str(&copy.get(r));
                    }
                    if !chosen_path.is_empty() && path > chosen_path {
                        skip = true;
                        break;
                    }
                }
                if skip {
                    continue;
                }
                for r in recursion {
                    let (hash, next) = self.hash_n_degree(&r, copy.clone())?;
                    copy = next;
                    path.push_str("_:");
                    path.push_str(&copy.get(&r));
                    path.push('<');
                    path.push_str(&hash);
                    path.push('>');
                    if !chosen_path.is_empty() && path > chosen_path {
                        skip = true;
                        break;
                    }
                }
                if skip {
                    continue;
                }
                if chosen_path.is_empty() || path < chosen_path {
                    chosen_path = path;
                    chosen_issuer = Some(copy);
                }
            }
            data.push_str(&chosen_path);
            if let Some(c) = chosen_issuer {
                issuer = c;
            }
        }
        Ok((sha256_hex(&[&data]), issuer))
    }
}

/// Permutations of a list in Steinhaus–Johnson–Trotter order, starting
/// from the sorted list (as the reference implementation enumerates them).
struct Permuter {
    current: Vec<String>,
    left: HashMap<String, bool>,
    done: bool,
}

impl Permuter {
    fn new(mut list: Vec<String>) -> Self {
        list.sort();
        let left = list.iter().map(|e| (e.clone(), true)).collect();
        Permuter {
            current: list,
            left,
            done: false,
        }
    }

    fn next_permutation(&mut self) -> Option<Vec<String>> {
        if self.done {
            return None;
        }
        let out = self.current.clone();
        let n = self.current.len();
        let mut k: Option<(String, usize)> = None;
        for i in 0..n {
            let e = &self.current[i];
            let left = self.left[e];
            let bigger = k.as_ref().is_none_or(|(kv, _)| e > kv);
            let mobile = (left && i > 0 && *e > self.current[i - 1])
                || (!left && i + 1 < n && *e > self.current[i + 1]);
            if bigger && mobile {
                k = Some((e.clone(), i));
            }
        }
        match k {
            None => self.done = true,
            Some((kv, pos)) => {
                let swap = if self.left[&kv] { pos - 1 } else { pos + 1 };
                self.current.swap(pos, swap);
                for e in &self.current {
                    if *e > kv
                        && let Some(d) = self.left.get_mut(e)
                    {
                        *d = !*d;
                    }
                }
            }
        }
        Some(out)
    }
}

/// The canonical N-Quads of a dataset (RDFC-1.0), lines sorted, each with
/// its newline. Duplicate quads count once.
///
/// # Errors
/// [`CanonError::TooComplex`] for datasets built to exhaust the N-degree step.
pub fn canonicalize(quads: &[Quad]) -> Result<String, CanonError> {
    let mut unique: Vec<&Quad> = quads.iter().collect();
    unique.sort();
    unique.dedup();
    let mut info: HashMap<&str, (Vec<&Quad>, String)> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    for quad in &unique {
        for b in blanks(quad) {
            let entry = info.entry(b).or_insert_with(|| {
                order.push(b);
                (Vec::new(), String::new())
            });
            if !entry.0.iter().any(|q| std::ptr::eq(*q, *quad)) {
                entry.0.push(quad);
            }
        }
    }
    let mut state = State {
        info,
        canonical: Issuer::new("c14n"),
        deep_left: 0,
        permutations_left: MAX_PERMUTATIONS,
    };
    let mut by_hash: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for id in &order {
        let hash = state.hash_first_degree(id);
        if let Some(entry) = state.info.get_mut(id) {
            entry.1.clone_from(&hash);
        }
        by_hash.entry(hash).or_default().push(id);
    }
    let mut shared = Vec::new();
    for list in by_hash.into_values() {
        if let [one] = list.as_slice() {
            state.canonical.get(one);
        } else {
            shared.push(list);
        }
    }
    let shared_count: usize = shared.iter().map(Vec::len).sum();
    if shared_count > MAX_SHARED {
        return Err(CanonError::TooComplex);
    }
    state.deep_left = shared_count.saturating_mul(shared_count);
    for list in shared {
        let mut results = Vec::new();
        for id in list {
            if state.canonical.has(id) {
                continue;
            }
            let mut issuer = Issuer::new("b");
            issuer.get(id);
            results.push(state.hash_n_degree(id, issuer)?);
        }
        results.sort_by(|a, b| a.0.cmp(&b.0));
        for (_, issuer) in results {
            for old in &issuer.order {
                state.canonical.get(old);
            }
        }
    }
    let canonical = &state.canonical;
    let mut lines: Vec<String> = unique
        .iter()
        .map(|q| {
            line(q, &|b| {
                canonical
                    .issued
                    .get(b)
                    .cloned()
                    .unwrap_or_else(|| b.to_owned())
            })
        })
        .collect();
    lines.sort();
    lines.dedup();
    Ok(lines.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Term {
        Term::Blank(s.into())
    }
    fn iri(s: &str) -> Term {
        Term::Iri(s.into())
    }
    fn q(s: Term, p: &str, o: Term) -> Quad {
        Quad {
            subject: s,
            predicate: p.into(),
            object: o,
            graph: None,
        }
    }

    #[test]
    fn literals_and_iris_are_escaped_as_canonical_n_quads() {
        let quad = q(
            iri("urn:ex:s"),
            "urn:ex:p",
            Term::Literal {
                value: "\u{8}\t\n\u{b}\u{c}\r\"\\\u{7f}é".into(),
                datatype: XSD_STRING.into(),
                language: None,
            },
        );
        assert_eq!(
            canonicalize(&[quad]).unwrap(),
            "<urn:ex:s> <urn:ex:p> \"\\b\\t\\n\\u000B\\f\\r\\\"\\\\\\u007Fé\" .\n"
        );
    }

    #[test]
    fn a_cycle_of_three_blank_nodes_is_labelled_as_the_specification_says() {
        // The example of the rdf-canon README (three nodes in a ring).
        let next = "http://example.org/vocab#next";
        let prev = "http://example.org/vocab#prev";
        let g = Some(b("g"));
        let mk = |s: &str, p: &str, o: &str| Quad {
            subject: b(s),
            predicate: p.into(),
            object: b(o),
            graph: g.clone(),
        };
        let quads = vec![
            mk("e0", next, "e1"),
            mk("e0", prev, "e2"),
            mk("e1", next, "e2"),
            mk("e1", prev, "e0"),
            mk("e2", next, "e0"),
            mk("e2", prev, "e1"),
        ];
        let out = canonicalize(&quads).unwrap();
        // Every label is canonical, the graph is one of them, the ring is kept.
        assert_eq!(out.lines().count(), 6);
        assert!(
            out.lines()
                .all(|l| l.starts_with("_:c14n") && l.ends_with(" ."))
        );
        // Relabelling the input does not change the output.
        let renamed: Vec<Quad> = quads
            .iter()
            .map(|q| {
                let r = |t: &Term| match t {
                    Term::Blank(x) => Term::Blank(format!("other{x}")),
                    t => t.clone(),
                };
                Quad {
                    subject: r(&q.subject),
                    predicate: q.predicate.clone(),
                    object: r(&q.object),
                    graph: q.graph.as_ref().map(r),
                }
            })
            .collect();
        assert_eq!(canonicalize(&renamed).unwrap(), out);
    }

    #[test]
    fn permutations_come_in_the_reference_order() {
        let mut p = Permuter::new(vec!["c".into(), "a".into(), "b".into()]);
        let mut all = Vec::new();
        while let Some(x) = p.next_permutation() {
            all.push(x.concat());
        }
        assert_eq!(all, ["abc", "acb", "cab", "cba", "bca", "bac"]);
    }
}
