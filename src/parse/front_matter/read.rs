//! Typed reading of one value: text, whole numbers, dates, lists … Each reader says what it
//! expected when the value does not fit, so the error can say it in words.

use serde_json::Value;

use super::Meta;
use super::SortBy;
use super::date::Date;
use super::error::Expected;
use super::keys::Field;

/// A value was read; `Rounded` when a fraction had to be rounded to a whole number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Read {
    Done,
    Rounded(f64, i64),
}

const SORT_WORDS: &[&str] = &["date", "title", "weight", "series"];

/// Reads `v` into `field` of `m`.
pub(super) fn field(m: &mut Meta, field: Field, v: &Value) -> Result<Read, Expected> {
    let mut read = Read::Done;
    match field {
        Field::Title => m.title = Some(text(v)?),
        Field::Description => m.description = Some(text(v)?),
        Field::Date => m.date = Some(date(v)?),
        Field::Updated => m.updated = Some(date(v)?),
        Field::Draft => m.draft = yes_no(v)?,
        Field::Slug => m.slug = Some(text(v)?),
        Field::Aliases => m.aliases = list(v)?,
        Field::Weight => {
            let (n, from) = whole(v)?;
            if let Some(from) = from {
                read = Read::Rounded(from, n);
            }
            m.weight = Some(n);
        }
        Field::Template => m.template = Some(text(v)?),
        Field::Series => m.series = Some(one_name(v)?),
        Field::SeriesOrder => m.series_order = Some(exact_whole(v)?),
        Field::Pair => m.pair = Some(text(v)?),
        Field::SortBy => m.sort_by = Some(sort_by(v)?),
        Field::PaginateBy => {
            m.paginate_by = Some(
                usize::try_from(exact_whole(v).map_err(|_| Expected::Count)?)
                    .map_err(|_| Expected::Count)?,
            );
        }
        Field::Extra => m.extra = map(v)?,
    }
    Ok(read)
}

/// Text; numbers and `true`/`false` are taken as written (`title: 1984`).
fn text(v: &Value) -> Result<String, Expected> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(Expected::Text),
    }
}

/// A whole number; a fraction is rounded (the original returned beside it).
fn whole(v: &Value) -> Result<(i64, Option<f64>), Expected> {
    if let Ok(n) = exact_whole(v) {
        return Ok((n, None));
    }
    match v.as_f64() {
        Some(f) if f.is_finite() && f.abs() < 9e15 => Ok((f.round() as i64, Some(f))),
        _ => Err(Expected::WholeNumber),
    }
}

/// A whole number, also when written as text (`"3"`) or as `3.0`.
fn exact_whole(v: &Value) -> Result<i64, Expected> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9e15)
                    .map(|f| f as i64)
            })
            .ok_or(Expected::WholeNumber),
        Value::String(s) => s.trim().parse().map_err(|_| Expected::WholeNumber),
        _ => Err(Expected::WholeNumber),
    }
}

fn yes_no(v: &Value) -> Result<bool, Expected> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s == "true" => Ok(true),
        Value::String(s) if s == "false" => Ok(false),
        _ => Err(Expected::YesNo),
    }
}

fn date(v: &Value) -> Result<Date, Expected> {
    match v {
        Value::String(s) => Date::parse(s).map_err(|_| Expected::Date),
        _ => Err(Expected::Date),
    }
}

/// A list of names; one name alone is a list of one. Docusaurus writes authors as maps
/// with a `name`.
pub(super) fn list(v: &Value) -> Result<Vec<String>, Expected> {
    let item = |v: &Value| match v {
        Value::Object(map) => map
            .get("name")
            .map_or(Err(Expected::List), |n| text(n).map_err(|_| Expected::List)),
        other => text(other).map_err(|_| Expected::List),
    };
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items.iter().map(item).collect(),
        other => Ok(vec![item(other)?]),
    }
}

/// One name; Hugo writes `series` as a taxonomy list, so a list of one is accepted.
fn one_name(v: &Value) -> Result<String, Expected> {
    match v {
        Value::Array(items) if items.len() == 1 => text(&items[0]),
        other => text(other),
    }
}

fn sort_by(v: &Value) -> Result<SortBy, Expected> {
    let wrong = Expected::OneOf(SORT_WORDS);
    match v.as_str().ok_or(wrong)? {
        "date" => Ok(SortBy::Date),
        "title" => Ok(SortBy::Title),
        "weight" => Ok(SortBy::Weight),
        "series" => Ok(SortBy::Series),
        _ => Err(wrong),
    }
}

fn map(v: &Value) -> Result<serde_json::Map<String, Value>, Expected> {
    match v {
        Value::Object(map) => Ok(map.clone()),
        _ => Err(Expected::Map),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn readers_accept_what_writers_write() {
        assert_eq!(text(&json!(1984)), Ok("1984".into()));
        assert_eq!(text(&json!(["a"])), Err(Expected::Text));
        assert_eq!(exact_whole(&json!("3")), Ok(3));
        assert_eq!(exact_whole(&json!(3.0)), Ok(3));
        assert_eq!(exact_whole(&json!("first")), Err(Expected::WholeNumber));
        assert_eq!(whole(&json!(1.5)), Ok((2, Some(1.5))));
        assert_eq!(list(&json!("solo")), Ok(vec!["solo".into()]));
        assert_eq!(
            list(&json!([{"name": "Ada", "url": "x"}, "Bob"])),
            Ok(vec!["Ada".into(), "Bob".into()])
        );
        assert_eq!(list(&json!([["nested"]])), Err(Expected::List));
        assert_eq!(one_name(&json!(["foundations"])), Ok("foundations".into()));
        assert_eq!(yes_no(&json!("yes")), Err(Expected::YesNo));
        assert_eq!(sort_by(&json!("size")), Err(Expected::OneOf(SORT_WORDS)));
    }
}
