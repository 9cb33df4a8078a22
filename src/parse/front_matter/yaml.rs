//! YAML front matter → [`Entry`]s. The only file that knows the YAML library
//! (`serde_yaml`, deprecated upstream): swapping in a maintained fork such as `serde_norway`
//! means changing the `use` below and nothing else.
//!
//! The top level is read pair by pair (not into a map), so a key given twice is seen and
//! reported with both lines rather than silently replaced. serde_yaml's positions count
//! from the start of the text it was given; every span here is moved to the whole file.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use serde::de::{self, Deserializer as _, MapAccess, Visitor};
use serde_json::Value;
use serde_yaml as yaml;

use super::error::{FmError, Problem, Syntax};
use super::value::Entry;
use crate::diag::line_col;

/// Marks the error our visitor raises for a block that is not a map.
const NOT_KEYS: &str = "\u{1}binder:not-keys";

/// The entries of the YAML at `inner` of `text`, plus duplicate-key errors; `Err` if the
/// YAML does not parse.
pub(super) fn entries(
    text: &str,
    inner: Range<usize>,
) -> Result<(Vec<Entry>, Vec<Problem>), Problem> {
    let yaml_text = &text[inner.clone()];
    let pairs = yaml::Deserializer::from_str(yaml_text)
        .deserialize_any(TopLevel)
        .map_err(|e| syntax_problem(&e, text, inner.clone()))?;
    let lines = scan_keys(yaml_text, inner.start);
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut first_at: HashMap<String, Range<usize>> = HashMap::new();
    let (mut out, mut problems) = (Vec::new(), Vec::new());
    for (key, value) in pairs {
        let nth = used.entry(key.clone()).or_default();
        let found = lines.iter().filter(|l| l.key == key).nth(*nth);
        *nth += 1;
        let (key_span, value_span) = found.map_or((0..3, 0..3), |l| {
            (
                l.key_span.clone(),
                l.value_start..l.line_end.max(l.value_start),
            )
        });
        if let Some(first) = first_at.get(&key) {
            problems.push(Problem::error(
                FmError::Duplicate {
                    key: key.clone(),
                    first_line: line_col(text, first.start).0,
                    second_line: line_col(text, key_span.start).0,
                },
                key_span,
            ));
            continue;
        }
        first_at.insert(key.clone(), key_span.clone());
        out.push(Entry {
            key,
            key_span,
            value: to_json(value),
            value_span,
        });
    }
    Ok((out, problems))
}

fn syntax_problem(e: &yaml::Error, text: &str, inner: Range<usize>) -> Problem {
    let raw = e.to_string();
    if raw.contains(NOT_KEYS) {
        return Problem::error(
            FmError::NotKeys {
                syntax: Syntax::Yaml,
            },
            0..3,
        );
    }
    // serde_yaml appends " at line L column C" (and for an unclosed bracket ", while
    // parsing a flow sequence at line L column C": where the cause is). We locate it
    // ourselves, at the cause when there is one.
    let message = raw.split(" at line ").next().unwrap_or(&raw).to_owned();
    let (message, context) = match raw.split_once(", while ") {
        Some((_, ctx)) => {
            let what = ctx.split(" at line ").next().unwrap_or(ctx);
            (format!("{message}, while {what}"), context_mark(ctx))
        }
        None => (message, None),
    };
    // serde_yaml's guards against alias bombs and deep nesting, in a writer's words.
    let message = match message.as_str() {
        "repetition limit exceeded" => {
            "its aliases (`*name`) repeat values too many times (an alias bomb?)".to_owned()
        }
        "recursion limit exceeded" => "it nests lists or maps too deeply".to_owned(),
        _ => message,
    };
    let yaml_text = &text[inner.clone()];
    if let Some((line, col)) = context {
        let start = crate::diag::line_start(yaml_text, line);
        let at = yaml_text[start..]
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(start, |(i, _)| start + i);
        let at = inner.start + at;
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        return Problem::error(
            FmError::Syntax {
                syntax: Syntax::Yaml,
                message,
            },
            at..end.max(at),
        );
    }
    // "End of input" errors (an unclosed quote) point at the last line that has text.
    let last_text = inner.start + yaml_text.trim_end().len();
    let at = e.location().map_or(inner.start, |l| {
        let at = (inner.start + l.index()).min(inner.end);
        if at >= last_text {
            crate::diag::line_start(text, line_col(text, last_text).0)
        } else {
            at
        }
    });
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    Problem::error(
        FmError::Syntax {
            syntax: Syntax::Yaml,
            message,
        },
        at..end.max(at),
    )
}

/// (line, column) of `… at line L column C` in serde_yaml's context text.
fn context_mark(ctx: &str) -> Option<(usize, usize)> {
    let (_, pos) = ctx.rsplit_once(" at line ")?;
    let (line, col) = pos.split_once(" column ")?;
    let col: String = col.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, col.parse().ok()?))
}

/// The top level of the block: its pairs in order, duplicates included.
struct TopLevel;

impl<'de> Visitor<'de> for TopLevel {
    type Value = Vec<(String, yaml::Value)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("front-matter keys such as `title: \"…\"`")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new()) // empty front matter
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = map.next_key::<yaml::Value>()? {
            let value = map.next_value::<yaml::Value>()?;
            out.push((key_string(&key), value));
        }
        Ok(out)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Err(E::custom(NOT_KEYS))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Err(E::custom(NOT_KEYS))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Err(E::custom(NOT_KEYS))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Err(E::custom(NOT_KEYS))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Err(E::custom(NOT_KEYS))
    }
    fn visit_seq<S: de::SeqAccess<'de>>(self, _: S) -> Result<Self::Value, S::Error> {
        Err(de::Error::custom(NOT_KEYS))
    }
}

fn key_string(key: &yaml::Value) -> String {
    match key {
        yaml::Value::String(s) => s.clone(),
        yaml::Value::Number(n) => n.to_string(),
        yaml::Value::Bool(b) => b.to_string(),
        yaml::Value::Null => "null".into(),
        other => yaml::to_string(other).unwrap_or_default().trim().to_owned(),
    }
}

/// YAML → JSON, keeping integers and floats apart and dropping tags.
fn to_json(v: yaml::Value) -> Value {
    match v {
        yaml::Value::Null => Value::Null,
        yaml::Value::Bool(b) => Value::Bool(b),
        yaml::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or_else(|| Value::String(n.to_string()), Value::Number)
            }
        }
        yaml::Value::String(s) => Value::String(s),
        yaml::Value::Sequence(items) => Value::Array(items.into_iter().map(to_json).collect()),
        yaml::Value::Mapping(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (key_string(&k), to_json(v)))
                .collect(),
        ),
        yaml::Value::Tagged(t) => to_json(t.value),
    }
}

/// A top-level key line: `key: value` (or `"key": value`) at column 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct KeyLine {
    /// The key, unquoted.
    pub(super) key: String,
    /// Bytes of the key as written, in the whole file.
    pub(super) key_span: Range<usize>,
    /// Where the value starts (after `: `).
    pub(super) value_start: usize,
    /// End of the line (before `\n`).
    pub(super) line_end: usize,
}

/// Every top-level key line of `yaml_text`, with spans moved by `offset`.
pub(super) fn scan_keys(yaml_text: &str, offset: usize) -> Vec<KeyLine> {
    let mut out = Vec::new();
    let mut pos = 0;
    for line in yaml_text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some((key, key_len, colon)) = key_of(content) {
            let after = &content[colon + 1..];
            let value_start = colon + 1 + (after.len() - after.trim_start().len());
            out.push(KeyLine {
                key,
                key_span: offset + pos..offset + pos + key_len,
                value_start: offset + pos + value_start,
                line_end: offset + pos + content.trim_end().len(),
            });
        }
        pos += line.len();
    }
    out
}

/// (key, length of the key as written, byte index of its `:`) of a top-level key line.
fn key_of(line: &str) -> Option<(String, usize, usize)> {
    let first = line.chars().next()?;
    if let Some(quote) = ['"', '\''].into_iter().find(|&q| q == first) {
        let close = line[1..].find(quote)? + 1;
        let rest = &line[close + 1..];
        let colon = close + 1 + rest.find(':')?;
        if !rest[..colon - close - 1].trim().is_empty() {
            return None;
        }
        return Some((line[1..close].to_owned(), close + 1, colon));
    }
    if matches!(
        first,
        ' ' | '\t' | '-' | '#' | '[' | '{' | '?' | '&' | '*' | '!' | '|' | '>'
    ) {
        return None;
    }
    let colon = line
        .match_indices(':')
        .map(|(i, _)| i)
        .find(|&i| line[i + 1..].is_empty() || line[i + 1..].starts_with([' ', '\t']))?;
    let key = line[..colon].trim_end();
    (!key.is_empty()).then(|| (key.to_owned(), key.len(), colon))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<(Vec<Entry>, Vec<Problem>), Problem> {
        let end = text.rfind("---").unwrap_or(text.len());
        entries(text, 4..end)
    }

    #[test]
    fn entries_carry_file_spans() {
        let text = "---\ntitle: \"A\"\n\"quoted key\": [x]\nlist:\n  - a\n---\n";
        let (es, problems) = read(text).expect("valid");
        assert!(problems.is_empty());
        let keys: Vec<&str> = es.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["title", "quoted key", "list"]);
        assert_eq!(&text[es[0].key_span.clone()], "title");
        assert_eq!(&text[es[0].value_span.clone()], "\"A\"");
        assert_eq!(&text[es[1].key_span.clone()], "\"quoted key\"");
        assert_eq!(es[2].value, serde_json::json!(["a"]));
    }

    #[test]
    fn duplicate_key_names_both_lines_and_keeps_the_first() {
        let text = "---\ntitle: First\ndate: 2026-01-01\n\ntitle: Second\n---\n";
        let (es, problems) = read(text).expect("parses");
        assert_eq!(es[0].value, serde_json::json!("First"));
        assert_eq!(es.len(), 2);
        assert_eq!(
            problems[0].error,
            FmError::Duplicate {
                key: "title".into(),
                first_line: 2,
                second_line: 5
            }
        );
        assert_eq!(line_col(text, problems[0].span.start), (5, 1));
    }

    #[test]
    fn an_alias_bomb_is_refused_in_words() {
        let mut text = String::from("---\ntitle: Bomb\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        text.push_str("---\n");
        let e = read(&text).expect_err("refused");
        assert!(
            e.error
                .to_string()
                .contains("its aliases (`*name`) repeat values too many times"),
            "{e:?}"
        );
    }

    #[test]
    fn syntax_errors_are_moved_to_the_file() {
        let text = "---\ntitle: A\nconcepts: [a\n---\n";
        let e = read(text).expect_err("bad");
        assert!(matches!(e.error, FmError::Syntax { .. }), "{e:?}");
        assert!(line_col(text, e.span.start).0 >= 3);
        let text = "---\ntitle: [Open well\ndate: 2023-12-01\n---\n";
        let e = read(text).expect_err("unclosed bracket");
        assert_eq!(line_col(text, e.span.start), (2, 8), "at the `[`");
        let e = read("---\n- a\n- b\n---\n").expect_err("a list");
        assert_eq!(
            e.error,
            FmError::NotKeys {
                syntax: Syntax::Yaml
            }
        );
    }

    #[test]
    fn key_lines_skip_nested_and_block_text() {
        let lines = scan_keys("a: 1\n  b: 2\ntext: |\n  c: 3\nurl: http://x\n", 0);
        let keys: Vec<&str> = lines.iter().map(|l| l.key.as_str()).collect();
        assert_eq!(keys, ["a", "text", "url"]);
    }
}
