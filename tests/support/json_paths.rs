//! JSON Pointers (RFC 6901) to the values of a document, for tests that
//! change one value at a time.

// Each test crate that includes this file uses part of it.
#![allow(dead_code)]

use serde_json::Value;

/// The pointer of every value in `value` (the root is `""`): all of them, or
/// only the leaves (neither object nor array).
pub fn pointers(value: &Value, leaves_only: bool) -> Vec<String> {
    let mut out = Vec::new();
    walk(value, &mut String::new(), leaves_only, &mut out);
    out
}

fn walk(value: &Value, pointer: &mut String, leaves_only: bool, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v))
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Vec::new(),
    };
    if !leaves_only || !(value.is_object() || value.is_array()) {
        out.push(pointer.clone());
    }
    for (token, child) in children {
        let len = pointer.len();
        pointer.push('/');
        pointer.push_str(&token);
        walk(child, pointer, leaves_only, out);
        pointer.truncate(len);
    }
}

/// Splits a pointer into its parent's pointer and its last token, unescaped.
pub fn split_last(pointer: &str) -> Option<(&str, String)> {
    let at = pointer.rfind('/')?;
    let token = pointer[at + 1..].replace("~1", "/").replace("~0", "~");
    Some((&pointer[..at], token))
}
