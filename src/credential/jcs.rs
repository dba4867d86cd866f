//! JSON Canonicalization Scheme (RFC 8785), and the strict JSON reading it needs.
//!
//! Signatures cover the canonical bytes of a document, so two programs must
//! produce the very same bytes from the same JSON data: object members sorted
//! by their names as UTF-16 code units, no whitespace, strings escaped the way
//! ECMAScript's `JSON.stringify` does, and numbers printed the way ECMAScript
//! prints a double.
//!
//! Written by hand over [`serde_json::Value`] rather than taken from a crate:
//! `benches/credential.rs` (group `jcs`) measures it against `serde_jcs` and
//! `serde_json_canonicalizer`, which both buffer every member and re-parse every
//! key, and are several times slower on a credential-sized document (figures
//! in `BENCHMARKS.md`). Numbers use `ryu-js`, the ECMAScript flavour of Ryū.
//!
//! [`parse_strict`] reads JSON the way a verifier must: duplicate member
//! names are an error (RFC 8785 requires I-JSON, and two readers that pick
//! different duplicates would see different documents under one signature).

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::cmp::Ordering;
use std::fmt;

/// Why a document cannot be read as strict JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct JsonError(String);

/// Returns the RFC 8785 canonical form of `value`.
pub fn canonicalize(value: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024);
    write_value(value, &mut out);
    out
}

/// Returns the RFC 8785 canonical form of a JSON object.
pub fn canonicalize_object(map: &Map<String, Value>) -> Vec<u8> {
    let mut out = Vec::with_capacity(4096);
    write_object(map, &mut out);
    out
}

/// Parses JSON text, rejecting duplicate member names.
///
/// # Errors
/// Invalid UTF-8, invalid JSON (with line and column), a duplicate member
/// name, or nesting deeper than `serde_json`'s recursion limit (128).
pub fn parse_strict(bytes: &[u8]) -> Result<Value, JsonError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = Strict::deserialize(&mut de).map_err(|e| JsonError(e.to_string()))?;
    de.end().map_err(|e| JsonError(e.to_string()))?;
    Ok(value.0)
}

fn write_value(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => write_number(n, out),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(item, out);
            }
            out.push(b']');
        }
        Value::Object(map) => write_object(map, out),
    }
}

fn write_object(map: &Map<String, Value>, out: &mut Vec<u8>) {
    out.push(b'{');
    // serde_json's default `Map` already iterates in code point order, which
    // is UTF-16 order for all but rare keys; with its `preserve_order`
    // feature (which any crate in the build can switch on) it keeps insertion
    // order. Check, and sort only when needed.
    let mut keys = map.keys();
    let sorted = match keys.next() {
        None => true,
        Some(first) => keys
            .try_fold(first, |previous, key| {
                (cmp_utf16(previous, key) == Ordering::Less).then_some(key)
            })
            .is_some(),
    };
    if sorted {
        write_members(map.iter(), out);
    } else {
        let mut members: Vec<(&String, &Value)> = map.iter().collect();
        members.sort_by(|a, b| cmp_utf16(a.0, b.0));
        write_members(members.into_iter(), out);
    }
    out.push(b'}');
}

/// Compares two strings by their UTF-16 code units, without transcoding.
///
/// UTF-8 byte order is code point order, and UTF-16 order differs from it
/// only between U+E000..U+FFFF (UTF-8 lead byte 0xEE or 0xEF) and the
/// supplementary planes (lead byte 0xF0 to 0xF4), which UTF-16 writes as
/// surrogates D800..DFFF and so sorts first. Common prefixes end on a
/// character boundary when the first differing byte is a lead byte; when it
/// is a continuation byte, both characters share their lead byte and byte
/// order is right.
pub fn cmp_utf16(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    match a.iter().zip(b).position(|(x, y)| x != y) {
        None => a.len().cmp(&b.len()),
        Some(i) => {
            let (x, y) = (a[i], b[i]);
            let bmp_high = |c: u8| (0xEE..=0xEF).contains(&c);
            let supplementary = |c: u8| c >= 0xF0;
            if (bmp_high(x) && supplementary(y)) || (supplementary(x) && bmp_high(y)) {
                y.cmp(&x)
            } else {
                x.cmp(&y)
            }
        }
    }
}

fn write_members<'a>(members: impl Iterator<Item = (&'a String, &'a Value)>, out: &mut Vec<u8>) {
    for (i, (key, value)) in members.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_string(key, out);
        out.push(b':');
        write_value(value, out);
    }
}

/// Largest integer magnitude printed digit for digit: below 2^53 a double
/// holds every integer exactly, and ECMAScript prints integers below 1e21
/// without an exponent, so the text is the integer's decimal digits.
const EXACT_INTEGER: u64 = 1 << 53;

fn write_number(n: &Number, out: &mut Vec<u8>) {
    if let Some(u) = n.as_u64()
        && u < EXACT_INTEGER
    {
        out.extend_from_slice(u.to_string().as_bytes());
    } else if let Some(i) = n.as_i64()
        && i.unsigned_abs() < EXACT_INTEGER
    {
        out.extend_from_slice(i.to_string().as_bytes());
    } else {
        // Always `Some` without serde_json's `arbitrary_precision`; JSON has
        // no NaN or infinity, so the double is finite.
        let f = n.as_f64().unwrap_or(0.0);
        let mut buffer = ryu_js::Buffer::new();
        out.extend_from_slice(buffer.format_finite(f).as_bytes());
    }
}

fn write_string(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => &[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ],
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(escape);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// A [`Value`] read with duplicate member names rejected.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number out of range"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if map.contains_key(&key) {
                return Err(de::Error::custom(format_args!(
                    "duplicate member name {key:?}"
                )));
            }
            let Strict(value) = access.next_value()?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn jcs(text: &str) -> String {
        let value = parse_strict(text.as_bytes()).unwrap();
        String::from_utf8(canonicalize(&value)).unwrap()
    }

    #[test]
    fn orders_keys_by_utf16_code_units() {
        // RFC 8785 section 3.2.3's sorting example.
        let input = r#"{
            "\u20ac": "Euro Sign",
            "\r": "Carriage Return",
            "\ufb33": "Hebrew Letter Dalet With Dagesh",
            "1": "One",
            "\ud83d\ude00": "Emoji: Grinning Face",
            "\u0080": "Control",
            "\u00f6": "Latin Small Letter O With Diaeresis"
        }"#;
        let out = jcs(input);
        let keys: Vec<&str> = [
            "\r",
            "1",
            "\u{80}",
            "\u{f6}",
            "\u{20ac}",
            "\u{1f600}",
            "\u{fb33}",
        ]
        .to_vec();
        let positions: Vec<usize> = keys
            .iter()
            .map(|k| {
                out.find(&format!("\"{}\":", k.replace('\r', "\\r")))
                    .unwrap()
            })
            .collect();
        let mut sorted = positions.clone();
        sorted.sort_unstable();
        assert_eq!(positions, sorted, "{out}");
    }

    #[test]
    fn non_bmp_key_sorts_before_private_use_and_after_bmp() {
        // U+1F600 is D83D DE00 in UTF-16: after U+20AC, before U+E000.
        let out = jcs(r#"{"\ue000":1,"\ud83d\ude00":2,"\u20ac":3,"a":4}"#);
        assert_eq!(
            out,
            "{\"a\":4,\"\u{20ac}\":3,\"\u{1f600}\":2,\"\u{e000}\":1}"
        );
    }

    #[test]
    fn utf16_comparison_matches_transcoding() {
        let samples = [
            "",
            "a",
            "ab",
            "b",
            "\u{7f}",
            "\u{80}",
            "\u{7ff}",
            "\u{800}",
            "\u{d7ff}",
            "\u{e000}",
            "\u{efff}",
            "\u{f000}",
            "\u{ffff}",
            "\u{10000}",
            "\u{1f600}",
            "\u{10ffff}",
            "a\u{e000}",
            "a\u{10000}",
            "\u{e000}a",
            "\u{10000}a",
        ];
        for a in samples {
            for b in samples {
                assert_eq!(
                    cmp_utf16(a, b),
                    a.encode_utf16().cmp(b.encode_utf16()),
                    "{a:?} vs {b:?}"
                );
            }
        }
    }

    #[test]
    fn sorts_maps_whatever_their_iteration_order() {
        // A map that iterates out of UTF-16 order (code point order puts
        // U+E000 before U+1F600, UTF-16 the other way round).
        let value = json!({"\u{e000}": 1, "\u{1f600}": 2, "b": {"z": 0, "a": 1}});
        let out = String::from_utf8(canonicalize(&value)).unwrap();
        assert_eq!(
            out,
            "{\"b\":{\"a\":1,\"z\":0},\"\u{1f600}\":2,\"\u{e000}\":1}"
        );
    }

    #[test]
    fn prints_numbers_like_ecmascript() {
        let cases = [
            ("0", "0"),
            ("-0", "0"),
            ("-0.0", "0"),
            ("1", "1"),
            ("-1", "-1"),
            ("0.1", "0.1"),
            ("1e21", "1e+21"),
            ("1e20", "100000000000000000000"),
            ("123456789012345678901", "123456789012345680000"),
            ("1e-7", "1e-7"),
            ("0.000001", "0.000001"),
            ("1E3", "1000"),
            ("4.50", "4.5"),
            ("2e-3", "0.002"),
            ("9007199254740993", "9007199254740992"),
            ("-9007199254740993", "-9007199254740992"),
            ("18446744073709551615", "18446744073709552000"),
            ("1.7976931348623157e308", "1.7976931348623157e+308"),
            ("5e-324", "5e-324"),
            ("333333333.33333329", "333333333.3333333"),
            ("0.30000000000000004", "0.30000000000000004"),
        ];
        for (input, expected) in cases {
            assert_eq!(jcs(input), expected, "input {input}");
        }
    }

    #[test]
    fn rfc8785_number_samples() {
        // From RFC 8785 appendix B (IEEE 754 bit patterns and their text).
        let samples: [(u64, &str); 13] = [
            (0x0000_0000_0000_0000, "0"),
            (0x8000_0000_0000_0000, "0"),
            (0x0000_0000_0000_0001, "5e-324"),
            (0x8000_0000_0000_0001, "-5e-324"),
            (0x7fef_ffff_ffff_ffff, "1.7976931348623157e+308"),
            (0xffef_ffff_ffff_ffff, "-1.7976931348623157e+308"),
            (0x4340_0000_0000_0000, "9007199254740992"),
            (0xc340_0000_0000_0000, "-9007199254740992"),
            (0x4430_0000_0000_0000, "295147905179352830000"),
            (0x44b5_2d02_c7e1_4af5, "9.999999999999997e+22"),
            (0x44b5_2d02_c7e1_4af6, "1e+23"),
            (0x3eb0_c6f7_a0b5_ed8d, "0.000001"),
            (0x3eb0_c6f7_a0b5_ed8c, "9.999999999999997e-7"),
        ];
        for (bits, expected) in samples {
            let value = Value::Number(Number::from_f64(f64::from_bits(bits)).unwrap());
            assert_eq!(String::from_utf8(canonicalize(&value)).unwrap(), expected);
        }
    }

    #[test]
    fn escapes_strings_like_json_stringify() {
        let value = json!("a\"b\\c/\u{8}\u{c}\n\r\t\u{1}\u{1f}\u{7f}\u{2028}é😀");
        assert_eq!(
            String::from_utf8(canonicalize(&value)).unwrap(),
            "\"a\\\"b\\\\c/\\b\\f\\n\\r\\t\\u0001\\u001f\u{7f}\u{2028}é😀\""
        );
        // Escaped input decodes to the same canonical text as literal input.
        assert_eq!(
            jcs(r#""\u00e9\/\ud83d\ude00""#),
            "\"é/😀\"",
            "escapes are decoded before canonicalisation"
        );
    }

    #[test]
    fn structure_and_whitespace() {
        assert_eq!(
            jcs(
                " { \"b\" : [ 1 , true , null , { } , [ ] ] , \"a\" : { \"y\" : \"\" , \"x\" : -2.5 } } "
            ),
            r#"{"a":{"x":-2.5,"y":""},"b":[1,true,null,{},[]]}"#
        );
    }

    #[test]
    fn strict_parsing_rejects_what_it_must() {
        assert!(
            parse_strict(br#"{"a":1,"a":2}"#)
                .unwrap_err()
                .to_string()
                .contains("duplicate member name \"a\"")
        );
        assert!(parse_strict(br#"{"x":{"a":1,"b":{"a":1,"a":1}}}"#).is_err());
        assert!(parse_strict(b"{\"a\":\"\xff\"}").is_err());
        assert!(parse_strict(br#"{"a":1} x"#).is_err());
        assert!(parse_strict(br#""\ud800""#).is_err(), "lone surrogate");
        assert!(parse_strict(br#"NaN"#).is_err());
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(parse_strict(deep.as_bytes()).is_err(), "recursion limit");
        assert_eq!(
            parse_strict(br#"{"a":[1,{"b":null}]}"#).unwrap(),
            json!({"a":[1,{"b":null}]})
        );
    }
}
