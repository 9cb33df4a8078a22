//! Content kinds (after the taxonomy stage): `[kinds.*]` in `site.toml` + each article's
//! section and front matter → the article's kind, and a located error for every rule an
//! article breaks.
//!
//! A kind is decided by the folder an article sits in, never by a front-matter key, so an
//! author cannot get it wrong; what the kind *requires* is then checked key by key. Every kind
//! requires at least one concept and a `description`, because a handbook article nobody can
//! find or summarise is the first thing to rot.

use serde::Serialize;

use crate::config::{Config, KindConfig, Level, capitalise};
use crate::diag::{Diagnostic, Diagnostics, Topic, did_you_mean};
use crate::model::{Page, PageId, Site};

/// Keys every kind requires, whatever `required` says.
pub const ALWAYS_REQUIRED: &[&str] = &["concepts", "description"];

/// A kind as templates see it: `{name, title}`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct KindRef<'a> {
    /// Name from `site.toml` (`pair-blog`), usable as a CSS class.
    pub name: &'a str,
    /// Display title (`Pair blog`).
    pub title: String,
}

/// The kind whose sections hold the folder `dir` (`principles`, `principles/advanced`).
pub fn kind_of_dir<'c>(config: &'c Config, dir: &str) -> Option<(&'c str, &'c KindConfig)> {
    // The longest matching section wins, so a subsection may have a kind of its own.
    config
        .kinds
        .iter()
        .flat_map(|(name, k)| {
            k.sections
                .iter()
                .map(move |s| (s.trim_matches('/'), name, k))
        })
        .filter(|(s, _, _)| dir == *s || dir.starts_with(&format!("{s}/")))
        .max_by_key(|(s, _, _)| s.len())
        .map(|(_, name, k)| (name.as_str(), k))
}

/// The kind of page `id`, if its section belongs to one.
pub fn kind_of(site: &Site, id: PageId) -> Option<KindRef<'_>> {
    let dir = &site.sections[site.pages[id].section].dir;
    kind_of_dir(&site.config, dir).map(|(name, k)| KindRef {
        name,
        title: title_of(name, k),
    })
}

/// The display title of a kind: its `title`, else the capitalised name.
pub fn title_of(name: &str, kind: &KindConfig) -> String {
    kind.title.clone().unwrap_or_else(|| capitalise(name))
}

/// The values of front-matter key `key` of `page`, as strings; `None` when the key is absent
/// or empty. `extra.level` reads `level` inside `extra`.
pub fn field_values(config: &Config, page: &Page, key: &str) -> Option<Vec<String>> {
    let m = &page.meta;
    let one = |v: Option<String>| v.filter(|s| !s.trim().is_empty()).map(|s| vec![s]);
    let values = match key {
        "title" => Some(vec![page.title.clone()]),
        "description" => one(m.description.clone()),
        "date" => one(m.date.map(|d| d.ymd())),
        "updated" => one(m.updated.map(|d| d.ymd())),
        "slug" => one(m.slug.clone()),
        "template" => one(m.template.clone()),
        "weight" => one(m.weight.map(|w| w.to_string())),
        "series" => one(m.series.clone()),
        "series_order" => one(m.series_order.map(|o| o.to_string())),
        "pair" => one(m.pair.clone()),
        "owner" => one(m.owner.clone()),
        "last_reviewed" => one(m.last_reviewed.map(|d| d.ymd())),
        "aliases" => Some(m.aliases.clone()),
        _ if config.taxonomy(key).is_some() => Some(m.terms_of(key).to_vec()),
        _ => {
            let name = key.strip_prefix("extra.").unwrap_or(key);
            m.extra.get(name).map(json_strings)
        }
    };
    values.filter(|v| !v.is_empty())
}

fn json_strings(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::Null => Vec::new(),
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(items) => items.iter().flat_map(json_strings).collect(),
        other => vec![other.to_string()],
    }
}

/// Every kind rule every article breaks, as errors (sorted by the caller).
pub fn violations(site: &Site) -> Vec<Diagnostic> {
    let mut out = unknown_sections(site);
    for (id, page) in site.pages.iter_enumerated() {
        let dir = &site.sections[page.section].dir;
        if let Some((name, kind)) = kind_of_dir(&site.config, dir) {
            out.extend(page_violations(site, id, name, kind));
        }
    }
    out
}

/// Pushes [`violations`] at the severity `[health] kind_violations` asks for.
pub fn check(site: &Site, diags: &mut Diagnostics) {
    let level = site.config.health.kind_violations;
    if level == Level::Off {
        return;
    }
    for d in violations(site) {
        diags.push(if level == Level::Warn {
            d.downgraded()
        } else {
            d
        });
    }
}

fn unknown_sections(site: &Site) -> Vec<Diagnostic> {
    let dirs: Vec<&str> = site.sections.iter().map(|s| s.dir.as_str()).collect();
    let mut out = Vec::new();
    for (name, kind) in &site.config.kinds {
        for s in &kind.sections {
            let s = s.trim_matches('/');
            if !dirs.contains(&s) {
                let hint = did_you_mean(s, dirs.iter().copied().filter(|d| !d.is_empty()))
                    .unwrap_or_else(|| format!("create the folder content/{s}/ or remove it"));
                out.push(
                    Diagnostic::error(
                        "site.toml",
                        format!("kind `{name}` lists the section `{s}`, which does not exist"),
                    )
                    .with_hint(hint)
                    .about(Topic::Kind),
                );
            }
        }
    }
    out
}

fn page_violations(site: &Site, id: PageId, name: &str, kind: &KindConfig) -> Vec<Diagnostic> {
    let page = &site.pages[id];
    let config = &site.config;
    let mut out = Vec::new();
    let required = ALWAYS_REQUIRED
        .iter()
        .copied()
        .filter(|k| *k != "concepts" || config.taxonomy("concepts").is_some())
        .chain(kind.required.iter().map(String::as_str));
    let mut seen = Vec::new();
    for key in required {
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        // A post its partner names is paired even without a `pair` key of its own.
        let mirrored = key == "pair" && site.graph.pair.get(id).is_some_and(Option::is_some);
        if field_values(config, page, key).is_none() && !mirrored {
            out.push(missing(page, name, key, kind));
        }
    }
    for (key, allowed) in &kind.allowed {
        for value in field_values(config, page, key).unwrap_or_default() {
            if !allowed.contains(&value) {
                out.push(not_allowed(page, name, key, &value, allowed));
            }
        }
    }
    out
}

fn missing(page: &Page, name: &str, key: &str, kind: &KindConfig) -> Diagnostic {
    let example = kind
        .allowed
        .get(key)
        .and_then(|v| v.first())
        .cloned()
        .unwrap_or_else(|| example_value(key).to_owned());
    let why = if ALWAYS_REQUIRED.contains(&key) {
        ", which every kind requires".to_owned()
    } else {
        format!(" (`required` of [kinds.{name}] in site.toml)")
    };
    let at = key_span(page, key);
    Diagnostic::error(
        &page.shown,
        format!("kind `{name}`: an article of this kind needs `{key}`{why}"),
    )
    .at(&page.text, at)
    .with_hint(format!("add `{key}: {example}` to the front matter"))
    .about(Topic::Kind)
}

fn not_allowed(page: &Page, name: &str, key: &str, value: &str, allowed: &[String]) -> Diagnostic {
    let span = key_span(page, key);
    let list = allowed
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let hint = did_you_mean(value, allowed.iter().map(String::as_str))
        .unwrap_or_else(|| format!("use one of {list}"));
    Diagnostic::error(
        &page.shown,
        format!("kind `{name}`: `{key}` may not be `{value}` (allowed: {list})"),
    )
    .at(&page.text, span)
    .with_hint(hint)
    .about(Topic::Kind)
}

/// Byte span of `key`'s line: a top-level key, else a key inside `extra:`, else the opening
/// `---` of the front matter.
pub fn key_span(page: &Page, key: &str) -> std::ops::Range<usize> {
    let name = key.strip_prefix("extra.").unwrap_or(key);
    let top = |k: &str| {
        page.meta
            .key_spans
            .iter()
            .find(|(found, _)| found == k)
            .map(|(_, s)| s.clone())
    };
    if let Some(s) = top(name).filter(|_| !key.starts_with("extra.")) {
        return s;
    }
    let Some(extra) = top("extra") else {
        return top(name).unwrap_or(0..3);
    };
    // The nested keys start on the line after `extra:` (the span may cover only the key).
    let after = page.text[extra.start..]
        .find('\n')
        .map_or(page.body_start, |i| extra.start + i + 1)
        .min(page.body_start);
    let front = &page.text[after..page.body_start];
    let mut pos = after;
    for line in front.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indented = trimmed.len() < line.len();
        if !indented && !trimmed.trim().is_empty() {
            break; // the next top-level key: `extra` is over
        }
        if trimmed
            .strip_prefix(name)
            .is_some_and(|r| r.starts_with(':'))
        {
            let start = pos + (line.len() - trimmed.len());
            return start..pos + line.trim_end().len();
        }
        pos += line.len();
    }
    extra
}

fn example_value(key: &str) -> &'static str {
    match key {
        "concepts" => "[trust]",
        "authors" => "[Your Name]",
        "description" => "\"One sentence saying what the reader gets.\"",
        "series" => "foundations",
        "series_order" => "1",
        "pair" => "other-post.md",
        "owner" => "Your Name",
        "last_reviewed" | "date" | "updated" => "2026-03-04",
        _ => "…",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(kinds: &str) -> Config {
        let text = format!("title = \"T\"\nbase_url = \"https://x.org/\"\n{kinds}");
        Config::parse(&text, "site.toml").expect("valid config")
    }

    #[test]
    fn the_longest_section_wins() {
        let c = config(
            "[kinds.principle]\nsections = [\"principles\"]\n[kinds.deep]\nsections = [\"principles/deep\"]\n",
        );
        assert_eq!(
            kind_of_dir(&c, "principles").map(|k| k.0),
            Some("principle")
        );
        assert_eq!(
            kind_of_dir(&c, "principles/deep/x").map(|k| k.0),
            Some("deep")
        );
        assert_eq!(kind_of_dir(&c, "principlesx").map(|k| k.0), None);
        assert_eq!(kind_of_dir(&c, "tips").map(|k| k.0), None);
    }

    #[test]
    fn json_values_flatten_to_strings() {
        assert_eq!(json_strings(&serde_json::json!(["a", 2])), ["a", "2"]);
        assert_eq!(json_strings(&serde_json::json!(null)), Vec::<String>::new());
    }
}
