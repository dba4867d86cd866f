//! Baked badges (Open Badges 3.0, "Baked Badge"): a credential carried
//! inside the image that shows it.
//!
//! - **PNG**: one `iTXt` chunk, keyword `openbadgecredential`, not
//!   compressed, whose text is the credential's JSON. brevet writes it right
//!   after the header chunk, so that an extractor that stops at the first
//!   match finds it at once.
//! - **SVG**: an `xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"`
//!   attribute on the `<svg>` tag, and right after that tag one
//!   `<openbadges:credential>` element whose content is the JSON in CDATA.
//!
//! An image that carries two credentials, or a compressed one, is refused:
//! which of them would a verifier believe? Pure functions: bytes in, bytes
//! out.

use std::fmt::Write as _;

/// The PNG `iTXt` keyword of an Open Badges 3.0 credential.
pub const PNG_KEYWORD: &str = "openbadgecredential";
/// The namespace of the SVG credential element.
pub const SVG_NAMESPACE: &str = "https://purl.imsglobal.org/ob/v3p0";
/// The PNG signature.
pub const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// The largest image read for a credential: far above any badge.
pub const MAX_IMAGE_BYTES: usize = 32 * 1024 * 1024;

/// Why no credential could be taken out of an image, or put into one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BakedError {
    /// Not a PNG: the signature is missing.
    #[error("not a PNG image (no PNG signature)")]
    NotPng,
    /// A chunk runs past the end of the file.
    #[error("the PNG is cut short: chunk {index} runs past the end of the file")]
    Truncated {
        /// The chunk's position, from 0.
        index: usize,
    },
    /// A chunk's CRC does not match its content.
    #[error("the PNG is damaged: chunk {index} (`{kind}`) fails its checksum")]
    BadCrc {
        /// The chunk's position, from 0.
        index: usize,
        /// Its type.
        kind: String,
    },
    /// Bytes follow the PNG's end chunk.
    #[error("the PNG has bytes after its end (IEND)")]
    AfterEnd,
    /// The file does not start with its header chunk.
    #[error("the PNG does not start with its header chunk (IHDR)")]
    NoHeader,
    /// No credential in the image.
    #[error("the image carries no Open Badges 3.0 credential")]
    None,
    /// Two or more credentials.
    #[error("the image carries {count} credentials; a baked badge carries exactly one")]
    Several {
        /// How many.
        count: usize,
    },
    /// The credential chunk is compressed, which OB 3.0 forbids.
    #[error("the credential in the PNG is compressed; Open Badges 3.0 requires it uncompressed")]
    Compressed,
    /// The credential chunk is not laid out as an `iTXt` chunk.
    #[error("the credential chunk of the PNG is malformed")]
    MalformedChunk,
    /// The credential's text is not UTF-8.
    #[error("the credential in the file is not UTF-8 text")]
    NotUtf8,
    /// The SVG does not parse as XML, or is not an SVG.
    #[error("not a readable SVG image: {0}")]
    NotSvg(String),
    /// The SVG credential element refers to a credential elsewhere (a
    /// compact JWS in a `verify` attribute), which brevet does not read.
    #[error("the SVG credential is a compact JWS (`verify` attribute), which brevet does not read")]
    Jws,
    /// The file is too large to be a badge or a certificate.
    #[error("the file is larger than {MAX_IMAGE_BYTES} bytes")]
    TooLarge,
    /// The picture carries a credential already.
    #[error("the picture carries a credential already")]
    AlreadyBaked,
    /// The credential cannot be written into an SVG: its JSON holds
    /// characters XML does not allow.
    #[error("the credential holds characters an SVG cannot carry")]
    NotXmlText,
    /// Not a PDF brevet can read: damaged, or using what its reader
    /// leaves out (encryption, cross-reference or object streams, filters
    /// other than Flate).
    #[error("not a readable PDF: {0}")]
    NotPdf(String),
    /// No credential attached to the PDF.
    #[error("the PDF has no credential attached")]
    PdfNone,
    /// Two or more credentials attached to the PDF.
    #[error("the PDF has {count} credentials attached; a certificate carries exactly one")]
    PdfSeveral {
        /// How many.
        count: usize,
    },
}

/// A PNG chunk: its type and its data.
type Chunk<'a> = ([u8; 4], &'a [u8]);

/// The chunks of a PNG, in order, every CRC checked.
fn chunks(png: &[u8]) -> Result<Vec<Chunk<'_>>, BakedError> {
    if png.len() > MAX_IMAGE_BYTES {
        return Err(BakedError::TooLarge);
    }
    let mut rest = png.strip_prefix(&PNG_SIGNATURE).ok_or(BakedError::NotPng)?;
    let mut out = Vec::new();
    while !rest.is_empty() {
        let index = out.len();
        let truncated = BakedError::Truncated { index };
        let (len, after) = rest.split_first_chunk::<4>().ok_or(truncated.clone())?;
        // PNG chunks are below 2^31 bytes.
        let len = u32::from_be_bytes(*len);
        if len >= 1 << 31 {
            return Err(truncated);
        }
        let len = usize::try_from(len).map_err(|_| truncated.clone())?;
        let (kind, after) = after.split_first_chunk::<4>().ok_or(truncated.clone())?;
        if len.checked_add(4).is_none_or(|needed| after.len() < needed) {
            return Err(truncated);
        }
        let (data, after) = after.split_at(len);
        let (crc, after) = after.split_at(4);
        let mut sum = flate2::Crc::new();
        sum.update(kind);
        sum.update(data);
        if sum.sum().to_be_bytes() != crc {
            return Err(BakedError::BadCrc {
                index,
                kind: String::from_utf8_lossy(kind).into_owned(),
            });
        }
        out.push((*kind, data));
        rest = after;
        if kind == b"IEND" {
            // Bytes after the end could hide what another reader would
            // take for a second credential.
            if !rest.is_empty() {
                return Err(BakedError::AfterEnd);
            }
            break;
        }
    }
    if out.first().map(|(k, _)| k) != Some(b"IHDR") {
        return Err(BakedError::NoHeader);
    }
    if out.last().map(|(k, _)| k) != Some(b"IEND") {
        return Err(BakedError::Truncated { index: out.len() });
    }
    Ok(out)
}

/// One chunk, as a PNG writes it.
pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 12);
    // A chunk's data is below 2^31 bytes; ours are far smaller.
    let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut sum = flate2::Crc::new();
    sum.update(kind);
    sum.update(data);
    out.extend_from_slice(&sum.sum().to_be_bytes());
    out
}

/// The credential `json` baked into the PNG `png`: one uncompressed
/// `iTXt` chunk right after the header. A credential the image carried
/// already is replaced (an image is baked for one credential).
///
/// # Errors
/// `png` is not a readable PNG.
pub fn bake_png(png: &[u8], json: &str) -> Result<Vec<u8>, BakedError> {
    let chunks = chunks(png)?;
    let mut itxt = Vec::with_capacity(json.len() + PNG_KEYWORD.len() + 5);
    itxt.extend_from_slice(PNG_KEYWORD.as_bytes());
    // Keyword end, compression flag 0, method 0, no language, no
    // translated keyword.
    itxt.extend_from_slice(&[0, 0, 0, 0, 0]);
    itxt.extend_from_slice(json.as_bytes());
    let mut out = PNG_SIGNATURE.to_vec();
    for (i, (kind, data)) in chunks.iter().enumerate() {
        if credential_keyword(kind, data) {
            continue;
        }
        out.extend(png_chunk(kind, data));
        if i == 0 {
            out.extend(png_chunk(b"iTXt", &itxt));
        }
    }
    Ok(out)
}

/// Whether a chunk is a text chunk under the credential keyword.
fn credential_keyword(kind: &[u8; 4], data: &[u8]) -> bool {
    matches!(kind, b"iTXt" | b"tEXt" | b"zTXt")
        && data.split(|&b| b == 0).next() == Some(PNG_KEYWORD.as_bytes())
}

/// The credential baked into the PNG `png`, as the JSON text it carries.
///
/// # Errors
/// Not a PNG, a damaged one, no credential, several, or a compressed one.
pub fn extract_png(png: &[u8]) -> Result<String, BakedError> {
    let found: Vec<Chunk<'_>> = chunks(png)?
        .into_iter()
        .filter(|(kind, data)| credential_keyword(kind, data))
        .collect();
    let [(kind, data)] = found.as_slice() else {
        return Err(match found.len() {
            0 => BakedError::None,
            count => BakedError::Several { count },
        });
    };
    if kind != b"iTXt" {
        // A tEXt or zTXt chunk under the keyword is no OB 3.0 baking.
        return Err(BakedError::MalformedChunk);
    }
    let after_keyword = data
        .get(PNG_KEYWORD.len() + 1..)
        .ok_or(BakedError::MalformedChunk)?;
    let [flag, _method, rest @ ..] = after_keyword else {
        return Err(BakedError::MalformedChunk);
    };
    if *flag != 0 {
        return Err(BakedError::Compressed);
    }
    // Language tag, then translated keyword, each ended by a zero byte.
    let mut parts = rest.splitn(3, |&b| b == 0);
    let (Some(_language), Some(_translated), Some(text)) =
        (parts.next(), parts.next(), parts.next())
    else {
        return Err(BakedError::MalformedChunk);
    };
    String::from_utf8(text.to_vec()).map_err(|_| BakedError::NotUtf8)
}

/// The credential `json` baked into the SVG `svg`: the namespace on its
/// `<svg>` tag and the credential element right after it.
///
/// # Errors
/// `svg` has no `<svg>` tag, carries a credential already, or the JSON
/// holds characters XML cannot carry.
pub fn bake_svg(svg: &str, json: &str) -> Result<String, BakedError> {
    if json.chars().any(|c| !xml_char(c)) {
        return Err(BakedError::NotXmlText);
    }
    // A readable SVG without a credential: its root's start tag, found by
    // the parser (not in a comment), ended outside any quoted value.
    let start = match extract_svg(svg) {
        Err(BakedError::None) => svg_start(svg)?,
        Ok(_) | Err(BakedError::Several { .. } | BakedError::Jws) => {
            return Err(BakedError::AlreadyBaked);
        }
        Err(e) => return Err(e),
    };
    let tag_end = tag_end(svg, start)
        .ok_or_else(|| BakedError::NotSvg("the <svg> tag is not closed".into()))?;
    let self_closing = svg[..tag_end].ends_with('/');
    let attrs_end = if self_closing { tag_end - 1 } else { tag_end };
    let mut out = String::with_capacity(svg.len() + json.len() + 200);
    out.push_str(&svg[..attrs_end]);
    if !svg[start..attrs_end].contains("xmlns:openbadges=") {
        let _ = write!(out, " xmlns:openbadges=\"{SVG_NAMESPACE}\"");
    }
    out.push('>');
    // `]]>` cannot stand inside CDATA: it is split across two sections,
    // which a reader joins again into the very same text.
    let cdata = json.replace("]]>", "]]]]><![CDATA[>");
    let _ = write!(
        out,
        "<openbadges:credential><![CDATA[{cdata}]]></openbadges:credential>"
    );
    if self_closing {
        out.push_str("</svg>");
    }
    out.push_str(&svg[tag_end + 1..]);
    // What a verifier will take out is what was put in, or nothing is
    // baked (an `openbadges` prefix the picture binds elsewhere, say).
    if extract_svg(&out).as_deref() != Ok(json) {
        return Err(BakedError::NotSvg(
            "the picture cannot carry the credential (its `openbadges` prefix is taken)".into(),
        ));
    }
    Ok(out)
}

/// Where the root element's start tag begins.
fn svg_start(svg: &str) -> Result<usize, BakedError> {
    Ok(parse_svg(svg)?.root_element().range().start)
}

/// `svg` parsed as XML: no document type declaration (so no entity is ever
/// expanded), at most a million nodes.
fn parse_svg(svg: &str) -> Result<roxmltree::Document<'_>, BakedError> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 1_000_000,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(svg, options)
        .map_err(|e| BakedError::NotSvg(e.to_string()))
}

/// Where the start tag that begins at `start` ends (its `>`), past any
/// `>` inside a quoted attribute value.
fn tag_end(svg: &str, start: usize) -> Option<usize> {
    let mut quote = None;
    for (i, c) in svg.get(start..)?.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(start + i),
            _ => {}
        }
    }
    None
}

/// Whether XML 1.0 allows `c` in text.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The credential baked into the SVG `svg`, as the JSON text it carries.
///
/// # Errors
/// Not an SVG (a document type declaration is refused: no entity is ever
/// expanded), no credential, several, or one given by reference.
pub fn extract_svg(svg: &str) -> Result<String, BakedError> {
    if svg.len() > MAX_IMAGE_BYTES {
        return Err(BakedError::TooLarge);
    }
    let doc = parse_svg(svg)?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg"
        || root.tag_name().namespace() != Some("http://www.w3.org/2000/svg")
    {
        return Err(BakedError::NotSvg(format!(
            "the root element is <{}>, not an SVG <svg>",
            root.tag_name().name()
        )));
    }
    let found: Vec<roxmltree::Node<'_, '_>> = doc
        .descendants()
        .filter(|n| {
            n.is_element()
                && n.tag_name().namespace() == Some(SVG_NAMESPACE)
                && n.tag_name().name() == "credential"
        })
        .collect();
    let [node] = found.as_slice() else {
        return Err(match found.len() {
            0 => BakedError::None,
            count => BakedError::Several { count },
        });
    };
    if node.attribute("verify").is_some() {
        return Err(BakedError::Jws);
    }
    if node.children().any(|n| n.is_element()) {
        return Err(BakedError::NotSvg(
            "the credential element holds elements, not only text".into(),
        ));
    }
    let text: String = node
        .children()
        .filter(roxmltree::Node::is_text)
        .filter_map(|n| n.text())
        .collect();
    Ok(text.trim().to_owned())
}

/// What kind of file `bytes` looks like, by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carrier {
    /// A PNG image.
    Png,
    /// An SVG image (XML whose root is `<svg>`).
    Svg,
    /// A PDF document.
    Pdf,
    /// Anything else: read as the credential's JSON.
    Json,
}

impl Carrier {
    /// Tells a PNG, an SVG and a PDF from a JSON document by their start.
    pub fn of(bytes: &[u8]) -> Self {
        if bytes.starts_with(&PNG_SIGNATURE) {
            return Self::Png;
        }
        if bytes.starts_with(b"%PDF-") {
            return Self::Pdf;
        }
        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let start = text
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .map_or(&text[..0], |i| &text[i..]);
        if start.starts_with(b"<") {
            Self::Svg
        } else {
            Self::Json
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1x1 PNG made by hand: header, one row, end.
    fn tiny_png() -> Vec<u8> {
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&1u32.to_be_bytes());
        ihdr.extend_from_slice(&1u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut z, &[0, 255, 0, 0, 255]).expect("in memory");
        let idat = z.finish().expect("in memory");
        let mut png = PNG_SIGNATURE.to_vec();
        png.extend(png_chunk(b"IHDR", &ihdr));
        png.extend(png_chunk(b"IDAT", &idat));
        png.extend(png_chunk(b"IEND", &[]));
        png
    }

    const JSON: &str = r#"{"name":"Ça > 50 %","a":"x]]>y"}"#;

    #[test]
    fn a_png_gives_back_the_credential_byte_for_byte() {
        let baked = bake_png(&tiny_png(), JSON).expect("bakes");
        assert_eq!(extract_png(&baked), Ok(JSON.to_owned()));
        // Right after the header.
        let kinds: Vec<[u8; 4]> = chunks(&baked)
            .expect("reads")
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(kinds, [*b"IHDR", *b"iTXt", *b"IDAT", *b"IEND"]);
        // Baking again replaces it.
        let again = bake_png(&baked, "{}").expect("bakes");
        assert_eq!(extract_png(&again), Ok("{}".to_owned()));
    }

    #[test]
    fn a_png_with_two_credentials_or_none_or_damage_is_refused() {
        let png = tiny_png();
        assert_eq!(extract_png(&png), Err(BakedError::None));
        let baked = bake_png(&png, JSON).expect("bakes");
        // A second credential chunk slipped in before the end.
        let end = baked.len() - 12;
        let mut two = baked[..end].to_vec();
        let mut itxt = PNG_KEYWORD.as_bytes().to_vec();
        itxt.extend_from_slice(&[0, 0, 0, 0, 0]);
        itxt.extend_from_slice(b"{}");
        two.extend(png_chunk(b"iTXt", &itxt));
        two.extend_from_slice(&baked[end..]);
        assert_eq!(extract_png(&two), Err(BakedError::Several { count: 2 }));
        // One byte of the credential changed: its checksum fails.
        let mut tampered = baked.clone();
        let at = baked
            .windows(4)
            .position(|w| w == b"name")
            .expect("the credential is in the chunk");
        tampered[at] ^= 1;
        assert!(matches!(
            extract_png(&tampered),
            Err(BakedError::BadCrc { .. })
        ));
        // Cut short.
        assert!(matches!(
            extract_png(&baked[..baked.len() - 20]),
            Err(BakedError::Truncated { .. })
        ));
        assert_eq!(extract_png(b"GIF89a"), Err(BakedError::NotPng));
    }

    #[test]
    fn text_chunks_under_the_keyword_count_and_the_end_is_the_end() {
        let baked = bake_png(&tiny_png(), JSON).expect("bakes");
        let end = baked.len() - 12;
        let mut two = baked[..end].to_vec();
        let mut text = PNG_KEYWORD.as_bytes().to_vec();
        text.push(0);
        text.extend_from_slice(b"{}");
        two.extend(png_chunk(b"tEXt", &text));
        two.extend_from_slice(&baked[end..]);
        assert_eq!(extract_png(&two), Err(BakedError::Several { count: 2 }));
        // A keyword with nothing after it is malformed, not a panic.
        let mut lone = tiny_png()[..8 + 25].to_vec();
        lone.extend(png_chunk(b"iTXt", PNG_KEYWORD.as_bytes()));
        lone.extend_from_slice(&tiny_png()[8 + 25..]);
        assert_eq!(extract_png(&lone), Err(BakedError::MalformedChunk));
        let mut after = baked.clone();
        after.extend(png_chunk(b"iTXt", &text));
        assert_eq!(extract_png(&after), Err(BakedError::AfterEnd));
        assert!(matches!(
            extract_png(&baked[..end]),
            Err(BakedError::Truncated { .. })
        ));
    }

    #[test]
    fn any_bytes_give_an_answer_not_a_panic() {
        let png = bake_png(&tiny_png(), JSON).expect("bakes");
        let svg = bake_svg(SVG, JSON).expect("bakes");
        for cut in 0..png.len() {
            let _ = extract_png(&png[..cut]);
        }
        for cut in 0..svg.len() {
            if let Some(prefix) = svg.get(..cut) {
                let _ = extract_svg(prefix);
            }
        }
        // Bytes changed here and there (xorshift), checksums and all.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..3000 {
            let mut bytes = png.clone();
            for _ in 0..3 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let i = usize::try_from(x % bytes.len() as u64).unwrap_or(0);
                bytes[i] = bytes[i].wrapping_add(u8::try_from(x >> 56).unwrap_or(1) | 1);
            }
            let _ = extract_png(&bytes);
            let _ = extract_svg(&String::from_utf8_lossy(&bytes));
        }
    }

    #[test]
    fn a_compressed_credential_is_refused() {
        let mut itxt = PNG_KEYWORD.as_bytes().to_vec();
        itxt.extend_from_slice(&[0, 1, 0, 0, 0]);
        itxt.extend_from_slice(b"xx");
        let png = tiny_png();
        let mut out = png[..8 + 25].to_vec();
        out.extend(png_chunk(b"iTXt", &itxt));
        out.extend_from_slice(&png[8 + 25..]);
        assert_eq!(extract_png(&out), Err(BakedError::Compressed));
    }

    const SVG: &str = "<?xml version=\"1.0\"?>\n<!-- a badge -->\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><circle r=\"4\"/></svg>\n";

    #[test]
    fn an_svg_gives_back_the_credential_and_stays_well_formed() {
        let baked = bake_svg(SVG, JSON).expect("bakes");
        assert!(baked.contains(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\" xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\"><openbadges:credential><![CDATA["
        ));
        // Byte for byte, `]]>` included.
        assert_eq!(extract_svg(&baked), Ok(JSON.to_owned()));
        // A self-closing <svg/> too.
        let baked = bake_svg("<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "{}").expect("bakes");
        assert_eq!(extract_svg(&baked), Ok("{}".to_owned()));
    }

    #[test]
    fn an_svg_with_two_credentials_a_doctype_or_another_root_is_refused() {
        let baked = bake_svg(SVG, "{}").expect("bakes");
        let two = baked.replace(
            "<circle",
            "<ob:credential xmlns:ob=\"https://purl.imsglobal.org/ob/v3p0\">{}</ob:credential><circle",
        );
        assert_eq!(extract_svg(&two), Err(BakedError::Several { count: 2 }));
        assert_eq!(extract_svg(SVG), Err(BakedError::None));
        let entity =
            "<!DOCTYPE svg [<!ENTITY a \"b\">]><svg xmlns=\"http://www.w3.org/2000/svg\"/>";
        assert!(matches!(extract_svg(entity), Err(BakedError::NotSvg(_))));
        assert!(matches!(extract_svg("<html/>"), Err(BakedError::NotSvg(_))));
        let jws = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\"><openbadges:credential verify=\"a.b.c\"/></svg>";
        assert_eq!(extract_svg(jws), Err(BakedError::Jws));
        assert_eq!(bake_svg(SVG, "\u{1}"), Err(BakedError::NotXmlText));
        assert_eq!(bake_svg(&baked, "{}"), Err(BakedError::AlreadyBaked));
    }

    #[test]
    fn carriers_are_told_apart_by_their_start() {
        assert_eq!(Carrier::of(&tiny_png()), Carrier::Png);
        assert_eq!(Carrier::of(SVG.as_bytes()), Carrier::Svg);
        assert_eq!(Carrier::of(b"%PDF-1.7\n"), Carrier::Pdf);
        assert_eq!(Carrier::of(b"  {\"a\":1}"), Carrier::Json);
        assert_eq!(Carrier::of(b""), Carrier::Json);
    }
}
