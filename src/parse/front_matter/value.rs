//! The syntax-neutral form both readers produce: top-level entries with the byte spans of
//! their key and value, holding JSON values (what templates see as `page.extra`).

use std::ops::Range;

use serde_json::Value;

/// One top-level `key: value` of a file.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Entry {
    /// The key as written.
    pub(super) key: String,
    /// Bytes of the key in the whole file.
    pub(super) key_span: Range<usize>,
    /// The value.
    pub(super) value: Value,
    /// Bytes of the value (its first line for multi-line YAML values) in the whole file.
    pub(super) value_span: Range<usize>,
}

/// Removes control characters (NUL, ESC, DEL, C1 …; tab and newline stay) from every
/// string and key in `value`, returning the first one removed.
///
/// Why strip rather than fail: a control character in front matter is never meant (it
/// comes from a paste or from a hostile contributor), it is invisible in an editor, and
/// one in a migrated handbook should not stop the build. It must never reach HTML, where
/// a NUL breaks parsers and an ESC can smuggle terminal sequences into logs; so it goes,
/// with a located warning.
pub(super) fn strip_controls(value: &mut Value) -> Option<char> {
    match value {
        Value::String(s) => strip_str(s),
        Value::Array(items) => items.iter_mut().fold(None, |first, v| {
            let found = strip_controls(v);
            first.or(found)
        }),
        Value::Object(map) => {
            let mut first = None;
            if map.keys().any(|k| k.chars().any(is_stripped)) {
                let old = std::mem::take(map);
                for (mut k, v) in old {
                    first = first.or(strip_str(&mut k));
                    map.insert(k, v);
                }
            }
            for v in map.values_mut() {
                let found = strip_controls(v);
                first = first.or(found);
            }
            first
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => None,
    }
}

/// Strips control characters from one string.
pub(super) fn strip_str(s: &mut String) -> Option<char> {
    let first = s.chars().find(|&c| is_stripped(c))?;
    s.retain(|c| !is_stripped(c));
    Some(first)
}

fn is_stripped(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_nul_and_escape_but_keeps_tab_and_newline() {
        let mut v =
            serde_json::json!({"a\u{0}b": ["x\u{1b}[31m", "tab\there"], "n": "l1\nl2\u{7f}"});
        assert_eq!(strip_controls(&mut v), Some('\u{0}'));
        assert_eq!(
            v,
            serde_json::json!({"ab": ["x[31m", "tab\there"], "n": "l1\nl2"})
        );
        let mut clean = serde_json::json!("plain");
        assert_eq!(strip_controls(&mut clean), None);
    }
}
