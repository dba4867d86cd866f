//! Taking the credential back out of a certificate, for `brevet verify
//! certificate.pdf`: a small reader for untrusted files that follows the
//! classic cross-reference table and the name tree of embedded files, and
//! refuses what it leaves out (encryption, cross-reference and object
//! streams, filters other than Flate). Every read is bounded: in size, in
//! nesting, in the work done for each byte of the file.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read as _;

use crate::credential::baked::{BakedError, MAX_IMAGE_BYTES};

/// How far from the end `startxref` is looked for.
const STARTXREF_WITHIN: usize = 4096;
/// The most cross-reference sections read, following `/Prev`.
const MAX_SECTIONS: usize = 8;
/// The most cross-reference entries read, all sections together.
const MAX_ENTRIES: usize = 1_000_000;
/// The most objects one object may hold, all nesting levels together: a
/// certificate's largest, its widths array, holds a few hundred.
const MAX_OBJECTS: usize = 100_000;
/// The deepest nesting of arrays and dictionaries read.
const MAX_NESTING: usize = 32;
/// The deepest name tree read.
const MAX_TREE_DEPTH: usize = 8;
/// How many bytes of objects may be parsed for each byte of the file,
/// objects read again counted again: the work stays in proportion to the
/// file, however its objects refer to one another.
const PARSES_PER_BYTE: usize = 4;
/// Bytes of objects that may be parsed whatever the file's size.
const PARSE_ALLOWANCE: usize = 1 << 20;
/// What loading an object costs, in bytes parsed, besides its own.
const LOAD_COST: usize = 64;

/// The credential attached to the PDF `pdf`, as the JSON text it carries:
/// the one embedded file whose name ends in `.json` or whose type is
/// `application/json`.
///
/// # Errors
/// Not a PDF, a damaged one or one this reader does not read (encrypted,
/// with cross-reference or object streams, filters other than Flate); no
/// credential attached, several, or one that is not UTF-8.
pub fn extract(pdf: &[u8]) -> Result<String, BakedError> {
    if pdf.len() > MAX_IMAGE_BYTES {
        return Err(BakedError::TooLarge);
    }
    if !pdf.starts_with(b"%PDF-") {
        return Err(not_pdf("no %PDF- header"));
    }
    let mut reader = Reader::new(pdf)?;
    let found = reader.credentials()?;
    let [(dict, data)] = found.as_slice() else {
        return Err(match found.len() {
            0 => BakedError::PdfNone,
            count => BakedError::PdfSeveral { count },
        });
    };
    String::from_utf8(decode(dict, data)?).map_err(|_| BakedError::NotUtf8)
}

/// The error for a PDF this reader cannot read.
fn not_pdf(why: &str) -> BakedError {
    BakedError::NotPdf(why.to_owned())
}

/// A PDF object, as much of it as the reader needs.
#[derive(Clone)]
enum Object<'a> {
    /// An integer.
    Int(i64),
    /// A string's bytes, escapes undone.
    Str(Vec<u8>),
    /// A name's bytes, `#xx` escapes undone.
    Name(Vec<u8>),
    /// An array.
    Array(Vec<Object<'a>>),
    /// A dictionary.
    Dict(Dict<'a>),
    /// An indirect reference, by object number.
    Ref(u32),
    /// A stream: its dictionary and its data, as stored.
    Stream(Dict<'a>, &'a [u8]),
    /// Null, a boolean or a real number: nothing the reader looks at.
    Other,
}

/// A dictionary's entries, in order.
#[derive(Clone, Default)]
struct Dict<'a>(Vec<(Vec<u8>, Object<'a>)>);

impl<'a> Dict<'a> {
    /// The value of `key`, the last one if it is given twice.
    fn get(&self, key: &[u8]) -> Option<&Object<'a>> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// Whether `b` is white space in PDF.
fn is_space(b: u8) -> bool {
    matches!(b, 0 | b'\t' | b'\n' | 0x0c | b'\r' | b' ')
}

/// Whether `b` is a regular character: neither white space nor a
/// delimiter.
fn is_regular(b: u8) -> bool {
    !is_space(b)
        && !matches!(
            b,
            b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
        )
}

/// A cursor over a PDF's bytes that reads its objects.
struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Objects read so far by this cursor.
    objects: usize,
}

impl<'a> Lexer<'a> {
    /// A cursor at `pos` in `bytes`.
    fn at(bytes: &'a [u8], pos: usize) -> Self {
        Self {
            bytes,
            pos,
            objects: 0,
        }
    }

    /// The byte at the cursor.
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// The byte after it.
    fn peek_next(&self) -> Option<u8> {
        self.bytes.get(self.pos.saturating_add(1)).copied()
    }

    /// Skips white space and comments.
    fn skip_space(&mut self) {
        while let Some(b) = self.peek() {
            if is_space(b) {
                self.pos += 1;
            } else if b == b'%' {
                while self.peek().is_some_and(|b| b != b'\n' && b != b'\r') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// The next run of regular characters (a keyword or a number), after
    /// white space; empty at a delimiter or at the end.
    fn word(&mut self) -> &'a [u8] {
        self.skip_space();
        let start = self.pos;
        while self.peek().is_some_and(is_regular) {
            self.pos += 1;
        }
        self.bytes.get(start..self.pos).unwrap_or_default()
    }

    /// The next word as an integer.
    fn integer(&mut self) -> Result<i64, BakedError> {
        let word = self.word();
        std::str::from_utf8(word)
            .ok()
            .and_then(|w| w.parse().ok())
            .ok_or_else(|| not_pdf("a number is expected"))
    }

    /// The next word as a non-negative integer that fits `T`.
    fn unsigned<T: TryFrom<i64>>(&mut self) -> Result<T, BakedError> {
        T::try_from(self.integer()?).map_err(|_| not_pdf("a number is out of range"))
    }

    /// The next object, nested at most `MAX_NESTING` deep.
    fn object(&mut self, depth: usize) -> Result<Object<'a>, BakedError> {
        if depth > MAX_NESTING {
            return Err(not_pdf("objects are nested too deeply"));
        }
        // Each object read costs memory: a few tens of bytes, whatever few
        // bytes of the file it took.
        self.objects += 1;
        if self.objects > MAX_OBJECTS {
            return Err(not_pdf("an object holds too many objects"));
        }
        self.skip_space();
        match (self.peek(), self.peek_next()) {
            (None, _) => Err(not_pdf("the file ends in the middle of an object")),
            (Some(b'/'), _) => {
                self.pos += 1;
                Ok(Object::Name(self.name()))
            }
            (Some(b'('), _) => {
                self.pos += 1;
                self.literal().map(Object::Str)
            }
            (Some(b'<'), Some(b'<')) => {
                self.pos += 2;
                self.dict(depth).map(Object::Dict)
            }
            (Some(b'<'), _) => {
                self.pos += 1;
                self.hex().map(Object::Str)
            }
            (Some(b'['), _) => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        return Ok(Object::Array(items));
                    }
                    items.push(self.object(depth + 1)?);
                }
            }
            (Some(b), _) if b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.') => self.number(),
            _ => match self.word() {
                b"true" | b"false" | b"null" => Ok(Object::Other),
                _ => Err(not_pdf("an object is expected")),
            },
        }
    }

    /// A dictionary's entries, after its `<<`.
    fn dict(&mut self, depth: usize) -> Result<Dict<'a>, BakedError> {
        let mut entries = Vec::new();
        loop {
            self.skip_space();
            match (self.peek(), self.peek_next()) {
                (Some(b'>'), Some(b'>')) => {
                    self.pos += 2;
                    return Ok(Dict(entries));
                }
                (Some(b'/'), _) => {
                    self.pos += 1;
                    let key = self.name();
                    entries.push((key, self.object(depth + 1)?));
                }
                _ => return Err(not_pdf("a dictionary key is expected")),
            }
        }
    }

    /// A name's bytes, after its `/`, `#xx` escapes undone.
    fn name(&mut self) -> Vec<u8> {
        let mut name = Vec::new();
        while let Some(b) = self.peek().filter(|&b| is_regular(b)) {
            self.pos += 1;
            let escaped = (b == b'#')
                .then(|| self.bytes.get(self.pos..self.pos.saturating_add(2)))
                .flatten()
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok());
            match escaped {
                Some(byte) => {
                    name.push(byte);
                    self.pos += 2;
                }
                None => name.push(b),
            }
        }
        name
    }

    /// A literal string's bytes, after its `(`: balanced parentheses
    /// kept, escapes undone.
    fn literal(&mut self) -> Result<Vec<u8>, BakedError> {
        let mut out = Vec::new();
        let mut open = 0_usize;
        loop {
            let b = self
                .peek()
                .ok_or_else(|| not_pdf("a string is not closed"))?;
            self.pos += 1;
            match b {
                b'(' => {
                    open += 1;
                    out.push(b);
                }
                b')' if open == 0 => return Ok(out),
                b')' => {
                    open -= 1;
                    out.push(b);
                }
                b'\\' => self.escape(&mut out)?,
                _ => out.push(b),
            }
        }
    }

    /// The escape after a `\` in a literal string.
    fn escape(&mut self, out: &mut Vec<u8>) -> Result<(), BakedError> {
        let b = self
            .peek()
            .ok_or_else(|| not_pdf("a string is not closed"))?;
        self.pos += 1;
        match b {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'b' => out.push(0x08),
            b'f' => out.push(0x0c),
            b'0'..=b'7' => {
                let mut value = u32::from(b - b'0');
                for _ in 0..2 {
                    match self.peek() {
                        Some(d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            self.pos += 1;
                        }
                        _ => break,
                    }
                }
                // Octal beyond 255: the high bit is dropped.
                out.push((value & 0xff) as u8);
            }
            // A backslash at the end of a line continues the string.
            b'\r' => {
                if self.peek() == Some(b'\n') {
                    self.pos += 1;
                }
            }
            b'\n' => {}
            // `\(`, `\)`, `\\`, and any other character as itself.
            _ => out.push(b),
        }
        Ok(())
    }

    /// A hexadecimal string's bytes, after its `<`.
    fn hex(&mut self) -> Result<Vec<u8>, BakedError> {
        let mut digits = Vec::new();
        loop {
            self.skip_space();
            let b = self
                .peek()
                .ok_or_else(|| not_pdf("a string is not closed"))?;
            self.pos += 1;
            match b {
                b'>' => break,
                _ => digits.push(
                    char::from(b)
                        .to_digit(16)
                        .ok_or_else(|| not_pdf("a hexadecimal string holds another character"))?,
                ),
            }
        }
        // An odd last digit is followed by an implied 0.
        Ok(digits
            .chunks(2)
            .map(|pair| match pair {
                [high, low] => ((high << 4) | low) as u8,
                [high] => (high << 4) as u8,
                _ => 0,
            })
            .collect())
    }

    /// A number, or an indirect reference `n g R`.
    fn number(&mut self) -> Result<Object<'a>, BakedError> {
        let word = self.word();
        if word.contains(&b'.') {
            return Ok(Object::Other);
        }
        let value: i64 = std::str::from_utf8(word)
            .ok()
            .and_then(|w| w.parse().ok())
            .ok_or_else(|| not_pdf("a number is malformed"))?;
        let Ok(number) = u32::try_from(value) else {
            return Ok(Object::Int(value));
        };
        let after = self.pos;
        let generation = self.word();
        let reference = !generation.is_empty()
            && generation.iter().all(u8::is_ascii_digit)
            && self.word() == b"R";
        if reference {
            Ok(Object::Ref(number))
        } else {
            self.pos = after;
            Ok(Object::Int(value))
        }
    }
}

/// A PDF read through its cross-reference table.
struct Reader<'a> {
    pdf: &'a [u8],
    /// Where each object starts; `None` for a free one.
    offsets: BTreeMap<u32, Option<usize>>,
    /// The newest trailer.
    trailer: Dict<'a>,
    /// The bytes of objects that may still be parsed.
    budget: usize,
}

impl<'a> Reader<'a> {
    /// Reads the cross-reference sections, newest first, following
    /// `/Prev`.
    fn new(pdf: &'a [u8]) -> Result<Self, BakedError> {
        // `startxref` is near the end: in its last kilobytes.
        let tail = pdf.len().saturating_sub(STARTXREF_WITHIN);
        let at = pdf
            .get(tail..)
            .unwrap_or_default()
            .windows(9)
            .rposition(|w| w == b"startxref")
            .ok_or_else(|| not_pdf("no startxref"))?;
        let mut offset: usize = Lexer::at(pdf, tail + at + 9).unsigned()?;
        let mut offsets = BTreeMap::new();
        let mut newest = None;
        let mut seen = BTreeSet::new();
        let mut entries = MAX_ENTRIES;
        for _ in 0..MAX_SECTIONS {
            if !seen.insert(offset) {
                return Err(not_pdf("the cross-reference sections loop"));
            }
            let trailer = section(pdf, offset, &mut offsets, &mut entries)?;
            if trailer.get(b"Encrypt").is_some() {
                return Err(not_pdf("the PDF is encrypted"));
            }
            if trailer.get(b"XRefStm").is_some() {
                return Err(not_pdf("cross-reference streams are not supported"));
            }
            let previous = match trailer.get(b"Prev") {
                None => None,
                Some(Object::Int(p)) => {
                    Some(usize::try_from(*p).map_err(|_| not_pdf("a /Prev offset is negative"))?)
                }
                Some(_) => return Err(not_pdf("a /Prev offset is not a number")),
            };
            // The first section read is the newest: its trailer counts.
            let trailer = newest.get_or_insert(trailer);
            match previous {
                Some(p) => offset = p,
                None => {
                    let trailer = std::mem::take(trailer);
                    return Ok(Self {
                        pdf,
                        offsets,
                        trailer,
                        budget: pdf
                            .len()
                            .saturating_mul(PARSES_PER_BYTE)
                            .saturating_add(PARSE_ALLOWANCE),
                    });
                }
            }
        }
        Err(not_pdf("too many cross-reference sections"))
    }

    /// The indirect object `number`; a stream's `/Length` may itself be
    /// indirect, one level down.
    fn load(&mut self, number: u32, for_length: bool) -> Result<Object<'a>, BakedError> {
        let offset = self
            .offsets
            .get(&number)
            .copied()
            .flatten()
            .ok_or_else(|| BakedError::NotPdf(format!("object {number} is missing")))?;
        let mut lexer = Lexer::at(self.pdf, offset);
        let found: u32 = lexer.unsigned()?;
        let _generation: u16 = lexer.unsigned()?;
        if lexer.word() != b"obj" || found != number {
            return Err(BakedError::NotPdf(format!(
                "the cross-reference table points object {number} elsewhere"
            )));
        }
        let object = lexer.object(0)?;
        self.budget = self
            .budget
            .checked_sub(lexer.pos.saturating_sub(offset).saturating_add(LOAD_COST))
            .ok_or_else(|| not_pdf("its objects refer to one another too much"))?;
        let Object::Dict(dict) = object else {
            return Ok(object);
        };
        if lexer.word() != b"stream" {
            return Ok(Object::Dict(dict));
        }
        match (lexer.peek(), lexer.peek_next()) {
            (Some(b'\r'), Some(b'\n')) => lexer.pos += 2,
            (Some(b'\n' | b'\r'), _) => lexer.pos += 1,
            _ => return Err(not_pdf("no end of line after `stream`")),
        }
        let length = match dict.get(b"Length") {
            Some(Object::Int(n)) => *n,
            Some(Object::Ref(n)) if !for_length => match self.load(*n, true)? {
                Object::Int(n) => n,
                _ => return Err(not_pdf("a stream's length is not a number")),
            },
            _ => return Err(not_pdf("a stream has no length")),
        };
        let length =
            usize::try_from(length).map_err(|_| not_pdf("a stream's length is negative"))?;
        let data = lexer
            .pos
            .checked_add(length)
            .and_then(|end| self.pdf.get(lexer.pos..end))
            .ok_or_else(|| not_pdf("a stream runs past the end of the file"))?;
        Ok(Object::Stream(dict, data))
    }

    /// `object`, loaded if it is a reference.
    fn resolve(&mut self, object: Option<&Object<'a>>) -> Result<Option<Object<'a>>, BakedError> {
        match object {
            Some(Object::Ref(n)) => self.load(*n, false).map(Some),
            other => Ok(other.cloned()),
        }
    }

    /// `object` as a dictionary, loaded if it is a reference; `None` if
    /// it is missing.
    fn dict(
        &mut self,
        object: Option<&Object<'a>>,
        what: &str,
    ) -> Result<Option<Dict<'a>>, BakedError> {
        match self.resolve(object)? {
            None | Some(Object::Other) => Ok(None),
            Some(Object::Dict(dict)) => Ok(Some(dict)),
            Some(_) => Err(BakedError::NotPdf(format!("{what} is not a dictionary"))),
        }
    }

    /// The embedded files that are JSON, each once: their stream's
    /// dictionary and data.
    fn credentials(&mut self) -> Result<Vec<(Dict<'a>, &'a [u8])>, BakedError> {
        let root = self.trailer.get(b"Root").cloned();
        let root = self
            .dict(root.as_ref(), "the catalog")?
            .ok_or_else(|| not_pdf("no catalog"))?;
        let Some(names) = self.dict(root.get(b"Names"), "the catalog's /Names")? else {
            return Ok(Vec::new());
        };
        let Some(tree) = self.dict(names.get(b"EmbeddedFiles"), "the /EmbeddedFiles tree")? else {
            return Ok(Vec::new());
        };
        let mut entries = Vec::new();
        self.walk(&tree, 0, &mut BTreeSet::new(), &mut entries)?;
        let mut streams = BTreeSet::new();
        let mut found = Vec::new();
        for (key, value) in entries {
            let Some(spec) = self.dict(Some(&value), "a file specification")? else {
                continue;
            };
            let Some(files) = self.dict(spec.get(b"EF"), "a file specification's /EF")? else {
                continue;
            };
            let Some(Object::Ref(number)) = files.get(b"F").or_else(|| files.get(b"UF")) else {
                return Err(not_pdf("an embedded file is not a stream"));
            };
            // A viewer may open `/UF` where brevet reads `/F`: they must be
            // the same file.
            if let (Some(Object::Ref(f)), Some(uf)) = (files.get(b"F"), files.get(b"UF"))
                && !matches!(uf, Object::Ref(u) if u == f)
            {
                return Err(not_pdf(
                    "an attachment names two different files (/F and /UF)",
                ));
            }
            let Object::Stream(dict, data) = self.load(*number, false)? else {
                return Err(not_pdf("an embedded file is not a stream"));
            };
            let named_json = json_name(&key)
                || [spec.get(b"UF"), spec.get(b"F")]
                    .into_iter()
                    .any(|name| matches!(name, Some(Object::Str(name)) if json_name(name)));
            let typed_json = matches!(
                dict.get(b"Subtype"),
                Some(Object::Name(subtype)) if subtype.eq_ignore_ascii_case(b"application/json")
            );
            // Whatever its name and type, an attachment that holds a JSON
            // object counts: a second credential cannot hide as `x.txt`.
            let holds_json = || {
                decode(&dict, data).is_ok_and(|bytes| {
                    matches!(
                        serde_json::from_slice::<serde_json::Value>(&bytes),
                        Ok(serde_json::Value::Object(_))
                    )
                })
            };
            if (named_json || typed_json || holds_json()) && streams.insert(*number) {
                found.push((dict, data));
            }
        }
        Ok(found)
    }

    /// The entries of the name tree under `node`, `/Kids` followed at
    /// most `MAX_TREE_DEPTH` deep, each node once.
    fn walk(
        &mut self,
        node: &Dict<'a>,
        depth: usize,
        seen: &mut BTreeSet<u32>,
        out: &mut Vec<(Vec<u8>, Object<'a>)>,
    ) -> Result<(), BakedError> {
        if depth > MAX_TREE_DEPTH {
            return Err(not_pdf("the name tree is too deep"));
        }
        match self.resolve(node.get(b"Names"))? {
            None => {}
            Some(Object::Array(items)) => {
                for pair in items.chunks(2) {
                    let [Object::Str(key), value] = pair else {
                        return Err(not_pdf("a name tree's /Names is malformed"));
                    };
                    out.push((key.clone(), value.clone()));
                }
            }
            Some(_) => return Err(not_pdf("a name tree's /Names is not an array")),
        }
        match self.resolve(node.get(b"Kids"))? {
            None => {}
            Some(Object::Array(kids)) => {
                for kid in kids {
                    let Object::Ref(number) = kid else {
                        return Err(not_pdf("a name tree's kid is not a reference"));
                    };
                    if !seen.insert(number) {
                        continue;
                    }
                    let Object::Dict(child) = self.load(number, false)? else {
                        return Err(not_pdf("a name tree's kid is not a dictionary"));
                    };
                    self.walk(&child, depth + 1, seen, out)?;
                }
            }
            Some(_) => return Err(not_pdf("a name tree's /Kids is not an array")),
        }
        Ok(())
    }
}

/// Reads the cross-reference section at `offset` into `offsets` (entries
/// already there, from newer sections, win), at most `budget` entries
/// (which it counts down), and returns its trailer.
fn section<'a>(
    pdf: &'a [u8],
    offset: usize,
    offsets: &mut BTreeMap<u32, Option<usize>>,
    budget: &mut usize,
) -> Result<Dict<'a>, BakedError> {
    let mut lexer = Lexer::at(pdf, offset);
    let keyword = lexer.word();
    if keyword != b"xref" {
        return Err(not_pdf(
            if !keyword.is_empty() && keyword.iter().all(u8::is_ascii_digit) {
                "cross-reference streams are not supported"
            } else {
                "no cross-reference table where startxref says"
            },
        ));
    }
    loop {
        let mut ahead = Lexer::at(pdf, lexer.pos);
        if ahead.word() == b"trailer" {
            lexer = ahead;
            break;
        }
        let start: u32 = lexer.unsigned()?;
        let count: u32 = lexer.unsigned()?;
        for i in 0..count {
            *budget = budget
                .checked_sub(1)
                .ok_or_else(|| not_pdf("the cross-reference table is too long"))?;
            let at: usize = lexer.unsigned()?;
            let _generation: u16 = lexer.unsigned()?;
            let entry = match lexer.word() {
                b"n" => Some(at),
                b"f" => None,
                _ => return Err(not_pdf("a cross-reference entry is malformed")),
            };
            let number = start
                .checked_add(i)
                .ok_or_else(|| not_pdf("an object number is out of range"))?;
            offsets.entry(number).or_insert(entry);
        }
    }
    match lexer.object(0)? {
        Object::Dict(trailer) => Ok(trailer),
        _ => Err(not_pdf("the trailer is not a dictionary")),
    }
}

/// Whether the file name `name` (a PDF text string) ends in `.json`.
fn json_name(name: &[u8]) -> bool {
    text_string(name).to_lowercase().ends_with(".json")
}

/// A PDF text string as text: UTF-16 after its byte order mark, or
/// PDFDocEncoding, read as Latin-1 (they agree on what names of files
/// use).
fn text_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(b"\xFE\xFF") {
        Some(utf16) => char::decode_utf16(utf16.chunks(2).map(|pair| {
            u16::from_be_bytes([
                pair.first().copied().unwrap_or(0),
                pair.get(1).copied().unwrap_or(0),
            ])
        }))
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect(),
        None => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// A stream's data with its filters undone: none, or Flate (without a
/// predictor), the output at most `MAX_IMAGE_BYTES`.
fn decode(dict: &Dict<'_>, data: &[u8]) -> Result<Vec<u8>, BakedError> {
    let filters: Vec<&[u8]> = match dict.get(b"Filter") {
        None | Some(Object::Other) => Vec::new(),
        Some(Object::Name(name)) => vec![name.as_slice()],
        Some(Object::Array(names)) => names
            .iter()
            .map(|n| match n {
                Object::Name(name) => Ok(name.as_slice()),
                _ => Err(not_pdf("a stream's filter is not a name")),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(not_pdf("a stream's filter is not a name")),
    };
    let predicted = |parms: &Object<'_>| match parms {
        Object::Dict(parms) => matches!(parms.get(b"Predictor"), Some(Object::Int(p)) if *p > 1),
        _ => false,
    };
    let with_predictor = match dict.get(b"DecodeParms") {
        Some(Object::Array(all)) => all.iter().any(predicted),
        Some(parms) => predicted(parms),
        None => false,
    };
    if with_predictor {
        return Err(not_pdf(
            "the attached file uses a predictor, which brevet does not read",
        ));
    }
    let mut out = data.to_vec();
    for filter in filters {
        if filter != b"FlateDecode" {
            return Err(BakedError::NotPdf(format!(
                "the attached file uses the {} filter, which brevet does not read",
                String::from_utf8_lossy(filter)
            )));
        }
        let mut inflated = Vec::new();
        flate2::read::ZlibDecoder::new(out.as_slice())
            .take(MAX_IMAGE_BYTES as u64 + 1)
            .read_to_end(&mut inflated)
            .map_err(|e| BakedError::NotPdf(format!("the attached file does not inflate: {e}")))?;
        if inflated.len() > MAX_IMAGE_BYTES {
            return Err(BakedError::TooLarge);
        }
        out = inflated;
    }
    Ok(out)
}
