//! Parse stage, front matter: a source file's text → typed [`Meta`] + the Markdown body.
//!
//! This is the only module that knows the YAML library (`serde_yaml`, deprecated upstream):
//! swapping in a maintained fork such as `serde_norway` or `serde_yml` means changing the
//! `use` below and nothing else. Keys are read by a hand-written map visitor rather than
//! `#[serde(flatten)]`, because flattening loses the YAML positions we need for
//! `path:line:col` errors and because custom taxonomies add keys at run time.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde_yaml as yaml;

use crate::diag::{Diagnostic, did_you_mean};

/// What kind of file the front matter belongs to; decides which keys are allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An article (`tips/ask.md`).
    Article,
    /// A section description (`_index.md`).
    Section,
    /// A glossary entry for a taxonomy term (`concepts/trust.md`).
    Glossary,
}

const ARTICLE_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "description",
    "draft",
    "slug",
    "aliases",
    "weight",
    "template",
    "concepts",
    "authors",
    "series",
    "series_order",
    "pair",
    "owner",
    "last_reviewed",
    "extra",
];
const SECTION_KEYS: &[&str] = &[
    "title",
    "description",
    "draft",
    "weight",
    "template",
    "sort_by",
    "paginate_by",
    "extra",
];
const GLOSSARY_KEYS: &[&str] = &[
    "title",
    "description",
    "aliases",
    "parent",
    "see_also",
    "extra",
];

impl Kind {
    fn keys(self) -> &'static [&'static str] {
        match self {
            Kind::Article => ARTICLE_KEYS,
            Kind::Section => SECTION_KEYS,
            Kind::Glossary => GLOSSARY_KEYS,
        }
    }
}

/// A date from front matter: `2026-03-04`, `2026-03-04T09:30:00` or `2026-03-04 09:30`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub jiff::civil::DateTime);

impl Date {
    /// Parses the accepted forms.
    pub fn parse(s: &str) -> Result<Date, String> {
        let s = s.trim();
        // jiff's date parser also accepts a full datetime (dropping the time): try it only
        // on the bare `YYYY-MM-DD` form.
        if let Some(d) = (s.len() == 10)
            .then(|| s.parse::<jiff::civil::Date>().ok())
            .flatten()
        {
            return Ok(Date(d.to_datetime(jiff::civil::Time::midnight())));
        }
        if let Ok(ts) = s.parse::<jiff::Timestamp>() {
            return Ok(Date(ts.to_zoned(jiff::tz::TimeZone::UTC).datetime()));
        }
        s.replacen(' ', "T", 1)
            .parse::<jiff::civil::DateTime>()
            .map(Date)
            .map_err(|_| format!("`{s}` is not a date"))
    }

    /// `YYYY-MM-DD`.
    pub fn ymd(&self) -> String {
        self.0.date().to_string()
    }

    /// RFC 3339 in UTC, for feeds and the sitemap.
    pub fn rfc3339(&self) -> String {
        format!("{}T{}Z", self.0.date(), self.0.time().strftime("%H:%M:%S"))
    }
}

/// Section sort orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Newest first (default).
    #[default]
    Date,
    /// Alphabetical.
    Title,
    /// Ascending `weight`.
    Weight,
    /// By series, then `series_order`.
    Series,
}

/// Every front-matter key any kind of file may carry; which are allowed depends on [`Kind`].
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// Required for articles.
    pub title: Option<String>,
    /// Publication date.
    pub date: Option<Date>,
    /// Last update.
    pub updated: Option<Date>,
    /// One sentence.
    pub description: Option<String>,
    /// Drafts are skipped unless `--drafts`.
    pub draft: bool,
    /// URL slug override.
    pub slug: Option<String>,
    /// Old URL paths that redirect here.
    pub aliases: Vec<String>,
    /// Sort weight.
    pub weight: Option<i64>,
    /// Template override.
    pub template: Option<String>,
    /// Taxonomy terms by taxonomy name, in the order written (concepts, authors, custom).
    pub terms: Vec<(String, Vec<String>)>,
    /// Series name.
    pub series: Option<String>,
    /// Position in the series.
    pub series_order: Option<i64>,
    /// Partner post, relative to this file.
    pub pair: Option<String>,
    /// Section sort order.
    pub sort_by: Option<SortBy>,
    /// Section page size.
    pub paginate_by: Option<usize>,
    /// Who looks after the article.
    pub owner: Option<String>,
    /// When someone last checked the article is still right.
    pub last_reviewed: Option<Date>,
    /// Glossary entries: the broader concept.
    pub parent: Option<String>,
    /// Glossary entries: related concepts.
    pub see_also: Vec<String>,
    /// Free map for templates.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Byte span of each key's line in the file, for later errors (`pair`, `series_order`…).
    pub key_spans: Vec<(String, Range<usize>)>,
}

impl Meta {
    /// Byte span of `key` in the file, or the front matter's first line.
    pub fn span_of(&self, key: &str) -> Range<usize> {
        self.key_spans
            .iter()
            .find(|(k, _)| k == key)
            .map_or(0..3, |(_, s)| s.clone())
    }

    /// Terms of taxonomy `name`.
    pub fn terms_of(&self, name: &str) -> &[String] {
        self.terms
            .iter()
            .find(|(k, _)| k == name)
            .map_or(&[], |(_, v)| v.as_slice())
    }
}

/// Front matter split off a file.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The typed keys.
    pub meta: Meta,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
}

/// Parses `text` (BOM and CRLF already removed) of the file shown as `path`.
/// `taxonomies` are extra allowed keys holding term lists (articles only).
pub fn parse(
    text: &Arc<str>,
    path: &str,
    kind: Kind,
    taxonomies: &[String],
) -> Result<Parsed, Diagnostic> {
    let (yaml_range, body_start) = split(text, path)?;
    let yaml_text = &text[yaml_range.clone()];
    let seed = MetaSeed { kind, taxonomies };
    let de = yaml::Deserializer::from_str(yaml_text);
    let mut meta = match seed.deserialize(de) {
        Ok(meta) => meta,
        Err(e) => {
            return Err(yaml_error(
                &e,
                text,
                yaml_range.start,
                path,
                kind,
                taxonomies,
            ));
        }
    };
    meta.key_spans = key_spans(yaml_text, yaml_range.start);
    if meta.title.is_none() && kind != Kind::Section {
        return Err(Diagnostic::error(path, "front matter has no `title`")
            .at(text, 0..3)
            .with_hint("add a line such as `title: \"Ask for clarity\"` between the `---` lines"));
    }
    Ok(Parsed { meta, body_start })
}

/// Finds the YAML between the opening `---` line and the closing `---` (or `...`) line.
/// Returns (yaml byte range, body start).
fn split(text: &Arc<str>, path: &str) -> Result<(Range<usize>, usize), Diagnostic> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Err(Diagnostic::error(path, "the file does not start with front matter")
            .at(text, 0..first_end)
            .with_hint("start the file with a `---` line, then `title: \"…\"`, then another `---` line"));
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut pos = yaml_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            return Ok((yaml_start..pos, (end + 1).min(text.len())));
        }
        pos = end + 1;
    }
    Err(Diagnostic::error(path, "the front matter is never closed")
        .at(text, 0..3)
        .with_hint("add a line with `---` after the last front-matter key"))
}

/// Byte spans of top-level keys (`key:` at column 1).
fn key_spans(yaml_text: &str, offset: usize) -> Vec<(String, Range<usize>)> {
    let mut spans = Vec::new();
    let mut pos = 0;
    for line in yaml_text.split_inclusive('\n') {
        if let Some((key, _)) = line.split_once(':') {
            let key = key.trim_end();
            let plain = !key.is_empty()
                && !key.starts_with([' ', '\t', '-', '#'])
                && key
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
            if plain {
                let len = line.trim_end().len();
                spans.push((key.to_owned(), offset + pos..offset + pos + len));
            }
        }
        pos += line.len();
    }
    spans
}

fn yaml_error(
    e: &yaml::Error,
    text: &Arc<str>,
    yaml_start: usize,
    path: &str,
    kind: Kind,
    taxonomies: &[String],
) -> Diagnostic {
    let raw = e.to_string();
    // serde_yaml appends " at line L column C"; we print our own position.
    let message = raw.split(" at line ").next().unwrap_or(&raw).to_owned();
    let yaml_text = &text[yaml_start..];
    if let Some((key, _)) = crate::config::parse_unknown_field(&message) {
        let span = key_spans(yaml_text, yaml_start)
            .into_iter()
            .find(|(k, _)| *k == key)
            .map_or(0..3, |(_, s)| s.start..s.start + key.len());
        let mut allowed: Vec<&str> = kind.keys().to_vec();
        if kind == Kind::Article {
            allowed.extend(taxonomies.iter().map(String::as_str));
        }
        let hint = did_you_mean(&key, allowed.iter().copied())
            .unwrap_or_else(|| format!("allowed keys: {}", allowed.join(", ")));
        return Diagnostic::error(path, format!("unknown front-matter key `{key}`"))
            .at(text, span)
            .with_hint(hint);
    }
    // Our value errors start with `key: `; serde_yaml's position for them is not always on
    // the key's line, so prefer the line of that key, pointing at its value.
    let key = message.split(':').next().unwrap_or("").trim();
    let by_key = key_spans(yaml_text, yaml_start)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, s)| {
            let line = &text[s.clone()];
            let value = line.find(':').map_or(0, |i| {
                i + 1 + (line.len() - i - 1 - line[i + 1..].trim_start().len())
            });
            s.start + value
        });
    let at = by_key.unwrap_or_else(|| e.location().map_or(0, |l| yaml_start + l.index()));
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let hint = type_hint(&message);
    let d = Diagnostic::error(path, message).at(text, at..end.max(at + 1));
    match hint {
        Some(h) => d.with_hint(h),
        None => d,
    }
}

fn type_hint(message: &str) -> Option<String> {
    let key = message.split(':').next().unwrap_or("").trim();
    let hint = match key {
        "date" | "updated" | "last_reviewed" => {
            "write dates as `2026-03-04` (or `2026-03-04T09:30:00`)"
        }
        "concepts" | "authors" | "aliases" => "write a list: `[a, b]` or one `- item` per line",
        "weight" | "series_order" | "paginate_by" => "write a whole number, e.g. `3`",
        "draft" => "write `true` or `false`",
        "sort_by" => "use one of `date`, `title`, `weight`, `series`",
        "extra" => "`extra` is a map of your own keys, e.g. `extra: { level: beginner }`",
        _ if message.contains("did not find expected") || message.contains("mapping values") => {
            "check the YAML syntax: `key: value`, and quote values that contain `: ` or start with `[`, `{`, `@`, `*`"
        }
        _ => return None,
    };
    Some(hint.to_owned())
}

struct MetaSeed<'a> {
    kind: Kind,
    taxonomies: &'a [String],
}

impl<'de> DeserializeSeed<'de> for MetaSeed<'_> {
    type Value = Meta;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Meta, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for MetaSeed<'_> {
    type Value = Meta;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("front-matter keys such as `title: \"…\"`")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Meta, E> {
        Ok(Meta::default()) // empty front matter
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Meta, A::Error> {
        let mut m = Meta::default();
        while let Some(key) = map.next_key::<String>()? {
            let allowed = self.kind.keys().contains(&key.as_str())
                || (self.kind == Kind::Article && self.taxonomies.contains(&key));
            if !allowed {
                return Err(de::Error::unknown_field(&key, self.kind.keys()));
            }
            read_value(&mut m, &key, &mut map, self.taxonomies)?;
        }
        Ok(m)
    }
}

fn read_value<'de, A: MapAccess<'de>>(
    m: &mut Meta,
    key: &str,
    map: &mut A,
    taxonomies: &[String],
) -> Result<(), A::Error> {
    let wrap = |e: A::Error| de::Error::custom(format!("{key}: {e}"));
    match key {
        "title" => m.title = Some(map.next_value::<String>().map_err(wrap)?),
        "description" => m.description = Some(map.next_value::<String>().map_err(wrap)?),
        "date" => m.date = Some(map.next_value::<DateValue>().map_err(wrap)?.0),
        "updated" => m.updated = Some(map.next_value::<DateValue>().map_err(wrap)?.0),
        "draft" => m.draft = map.next_value::<bool>().map_err(wrap)?,
        "slug" => m.slug = Some(map.next_value::<String>().map_err(wrap)?),
        "aliases" => m.aliases = map.next_value::<StringList>().map_err(wrap)?.0,
        "weight" => m.weight = Some(map.next_value::<i64>().map_err(wrap)?),
        "template" => m.template = Some(map.next_value::<String>().map_err(wrap)?),
        "series" => m.series = Some(map.next_value::<String>().map_err(wrap)?),
        "series_order" => m.series_order = Some(map.next_value::<i64>().map_err(wrap)?),
        "pair" => m.pair = Some(map.next_value::<String>().map_err(wrap)?),
        "paginate_by" => m.paginate_by = Some(map.next_value::<usize>().map_err(wrap)?),
        "sort_by" => m.sort_by = Some(map.next_value::<SortValue>().map_err(wrap)?.0),
        "extra" => m.extra = map.next_value::<ExtraValue>().map_err(wrap)?.0,
        "owner" => m.owner = Some(map.next_value::<String>().map_err(wrap)?),
        "last_reviewed" => m.last_reviewed = Some(map.next_value::<DateValue>().map_err(wrap)?.0),
        "parent" => m.parent = Some(map.next_value::<String>().map_err(wrap)?),
        "see_also" => m.see_also = map.next_value::<StringList>().map_err(wrap)?.0,
        _ if key == "concepts" || key == "authors" || taxonomies.iter().any(|t| t == key) => {
            let list = map.next_value::<StringList>().map_err(wrap)?.0;
            m.terms.push((key.to_owned(), list));
        }
        _ => return Err(de::Error::custom(format!("unhandled key `{key}`"))),
    }
    Ok(())
}

/// A date parsed while deserializing, so a bad one is reported at its own position.
struct DateValue(Date);

impl<'de> de::Deserialize<'de> for DateValue {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s)
            .map(DateValue)
            .map_err(|e| de::Error::custom(format!("{e} (expected YYYY-MM-DD)")))
    }
}

/// `sort_by` with a helpful message for unknown values.
struct SortValue(SortBy);

impl<'de> de::Deserialize<'de> for SortValue {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let v = match s.as_str() {
            "date" => SortBy::Date,
            "title" => SortBy::Title,
            "weight" => SortBy::Weight,
            "series" => SortBy::Series,
            _ => {
                return Err(de::Error::unknown_variant(
                    &s,
                    &["date", "title", "weight", "series"],
                ));
            }
        };
        Ok(SortValue(v))
    }
}

/// A list of strings; a single string is accepted as a one-item list.
struct StringList(Vec<String>);

impl<'de> de::Deserialize<'de> for StringList {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StringList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StringList, E> {
                Ok(StringList(vec![v.to_owned()]))
            }
            fn visit_seq<S: de::SeqAccess<'de>>(self, mut seq: S) -> Result<StringList, S::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<String>()? {
                    out.push(item);
                }
                Ok(StringList(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// The free `extra` map, converted to JSON values so nothing outside this module sees YAML.
struct ExtraValue(serde_json::Map<String, serde_json::Value>);

impl<'de> de::Deserialize<'de> for ExtraValue {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = yaml::Value::deserialize(d)?;
        match serde_json::to_value(&v) {
            Ok(serde_json::Value::Object(map)) => Ok(ExtraValue(map)),
            Ok(serde_json::Value::Null) => Ok(ExtraValue(serde_json::Map::new())),
            Ok(_) => Err(de::Error::custom("expected a map of keys")),
            Err(e) => Err(de::Error::custom(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_article(text: &str) -> Result<Parsed, Diagnostic> {
        let text: Arc<str> = Arc::from(text);
        parse(
            &text,
            "content/a.md",
            Kind::Article,
            &["concepts".into(), "authors".into()],
        )
    }

    #[test]
    fn reads_every_key() {
        let p = parse_article(
            "---\ntitle: \"Trust\"\ndate: 2026-03-04\nupdated: 2026-03-05T10:00:00\nconcepts: [trust, Coaching Up]\nauthors:\n  - Ada\nseries: foundations\nseries_order: 2\npair: ../x.md\ndraft: true\nweight: 3\naliases: /old/\nextra:\n  level: 2\n---\n\nBody\n",
        )
        .expect("valid");
        let m = p.meta;
        assert_eq!(m.title.as_deref(), Some("Trust"));
        assert_eq!(m.date.map(|d| d.ymd()).as_deref(), Some("2026-03-04"));
        assert_eq!(
            m.updated.map(|d| d.rfc3339()).as_deref(),
            Some("2026-03-05T10:00:00Z")
        );
        assert_eq!(m.terms_of("concepts"), ["trust", "Coaching Up"]);
        assert_eq!(m.terms_of("authors"), ["Ada"]);
        assert_eq!(m.series_order, Some(2));
        assert!(m.draft);
        assert_eq!(m.aliases, ["/old/"]);
        assert_eq!(m.extra.get("level"), Some(&serde_json::json!(2)));
        assert_eq!(m.span_of("pair").start, "---\ntitle: \"Trust\"\ndate: 2026-03-04\nupdated: 2026-03-05T10:00:00\nconcepts: [trust, Coaching Up]\nauthors:\n  - Ada\nseries: foundations\nseries_order: 2\n".len());
    }

    #[test]
    fn unknown_key_points_at_its_line_with_suggestion() {
        let e = parse_article("---\ntitle: A\ncontepts: [x]\n---\n").expect_err("unknown");
        assert_eq!((e.line, e.col), (3, 1));
        assert_eq!(e.message, "unknown front-matter key `contepts`");
        assert_eq!(e.hint.as_deref(), Some("did you mean `concepts`?"));
        assert_eq!(e.source_line.as_deref(), Some("contepts: [x]"));
    }

    #[test]
    fn bad_date_and_wrong_type_are_located() {
        let e = parse_article("---\ntitle: A\ndate: 2026-13-40\n---\n").expect_err("bad date");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("date"), "{}", e.message);
        assert!(e.hint.as_deref().unwrap_or("").contains("2026-03-04"));
        let e = parse_article("---\ntitle: A\n\nweight: heavy\n---\n").expect_err("type");
        assert_eq!(e.line, 4);
        assert!(e.message.contains("weight"), "{}", e.message);
    }

    #[test]
    fn missing_title_and_missing_front_matter() {
        let e = parse_article("---\ndate: 2026-01-01\n---\nbody").expect_err("no title");
        assert_eq!(e.line, 1);
        assert!(e.message.contains("title"));
        let e = parse_article("# Just markdown\n").expect_err("no fm");
        assert!(e.message.contains("does not start with front matter"));
        let e = parse_article("---\ntitle: A\n").expect_err("unclosed");
        assert!(e.message.contains("never closed"));
    }

    #[test]
    fn custom_taxonomy_keys_are_allowed() {
        let text: Arc<str> = Arc::from("---\ntitle: A\nlevels: [one]\n---\n");
        let p = parse(&text, "a.md", Kind::Article, &["levels".into()]).expect("valid");
        assert_eq!(p.meta.terms_of("levels"), ["one"]);
    }

    #[test]
    fn section_keys_differ_from_article_keys() {
        let text: Arc<str> = Arc::from("---\ntitle: Tips\nsort_by: weight\npaginate_by: 5\n---\n");
        let p = parse(&text, "_index.md", Kind::Section, &[]).expect("valid");
        assert_eq!(p.meta.sort_by, Some(SortBy::Weight));
        let text: Arc<str> = Arc::from("---\ntitle: Tips\nsort_by: size\n---\n");
        let e = parse(&text, "_index.md", Kind::Section, &[]).expect_err("bad sort");
        assert_eq!(e.line, 3);
    }

    #[test]
    fn body_start_follows_closing_line() {
        let p = parse_article("---\ntitle: A\n---\nHello").expect("valid");
        assert_eq!(p.body_start, "---\ntitle: A\n---\n".len());
    }
}
