//! TOML front matter (between `+++` lines, as Hugo and Zola write it) → [`Entry`]s, with
//! the spans the TOML parser gives moved to the whole file. TOML itself rejects a key
//! given twice, so duplicates arrive here as syntax errors with their position.

use std::ops::Range;

use serde_json::Value;
use toml::de::{DeTable, DeValue};

use super::error::{FmError, Problem, Syntax};
use super::value::Entry;

/// The entries of the TOML at `inner` of `text`; `Err` if it does not parse.
pub(super) fn entries(text: &str, inner: Range<usize>) -> Result<Vec<Entry>, Problem> {
    let toml_text = &text[inner.clone()];
    let table = DeTable::parse(toml_text).map_err(|e| {
        let at = e
            .span()
            .map_or(inner.start, |s| (inner.start + s.start).min(inner.end));
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        Problem::error(
            FmError::Syntax {
                syntax: Syntax::Toml,
                message: e.message().trim().to_owned(),
            },
            at..end.max(at),
        )
    })?;
    let shift = |r: Range<usize>| inner.start + r.start..inner.start + r.end;
    let mut out: Vec<Entry> = table
        .get_ref()
        .iter()
        .map(|(k, v)| Entry {
            key: k.get_ref().to_string(),
            key_span: shift(k.span()),
            value: to_json(v.get_ref()),
            value_span: shift(v.span()),
        })
        .collect();
    // The table is sorted by key; keep the file's order.
    out.sort_by_key(|e| e.key_span.start);
    Ok(out)
}

fn to_json(v: &DeValue<'_>) -> Value {
    match v {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            i64::from_str_radix(&digits, i.radix())
                .map_or_else(|_| Value::String(i.to_string()), Value::from)
        }
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| Value::String(f.to_string()), Value::Number),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::String(d.to_string()),
        DeValue::Array(items) => Value::Array(items.iter().map(|v| to_json(v.get_ref())).collect()),
        DeValue::Table(t) => Value::Object(
            t.iter()
                .map(|(k, v)| (k.get_ref().to_string(), to_json(v.get_ref())))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::line_col;

    #[test]
    fn reads_keys_tables_and_dates_with_file_spans() {
        let text =
            "+++\ntitle = \"A\"\ndate = 2026-03-04\nweight = 0x10\n[extra]\nlevel = 2\n+++\n";
        let es = entries(text, 4..text.len() - 4).expect("valid");
        let keys: Vec<&str> = es.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["title", "date", "weight", "extra"]);
        assert_eq!(&text[es[0].key_span.clone()], "title");
        assert_eq!(es[1].value, serde_json::json!("2026-03-04"));
        assert_eq!(es[2].value, serde_json::json!(16));
        assert_eq!(es[3].value, serde_json::json!({"level": 2}));
    }

    #[test]
    fn errors_point_into_the_file() {
        let text = "+++\ntitle = \"A\"\ntitle = \"B\"\n+++\n";
        let e = entries(text, 4..text.len() - 4).expect_err("duplicate");
        assert_eq!(line_col(text, e.span.start).0, 3);
        let text = "+++\ntitle = A\n+++\n";
        let e = entries(text, 4..text.len() - 4).expect_err("unquoted");
        assert_eq!(line_col(text, e.span.start), (2, 9));
    }
}
