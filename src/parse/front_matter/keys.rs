//! What each key means: binder's own keys, the keys of other generators that mean the same
//! thing (Hugo, Zola, Jekyll, Docusaurus, Obsidian), and everything else, which is kept in
//! `extra` and reported as unknown. The README's front-matter table lists the same mapping.

use std::collections::HashSet;

use serde_json::Value;

use super::Kind;
use super::error::{Expected, FmError, Problem, Syntax, describe_found};
use super::read::{self, Read};
use super::value::{Entry, strip_controls, strip_str};
use super::{Meta, UnknownKey};
use crate::diag::suggest;

/// A typed front-matter field of [`Meta`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Field {
    Title,
    Date,
    Updated,
    Description,
    Draft,
    Slug,
    Aliases,
    Weight,
    Template,
    Series,
    SeriesOrder,
    Pair,
    SortBy,
    PaginateBy,
    Owner,
    LastReviewed,
    Parent,
    SeeAlso,
    Extra,
}

const NATIVE: &[(&str, Field)] = &[
    ("title", Field::Title),
    ("date", Field::Date),
    ("updated", Field::Updated),
    ("description", Field::Description),
    ("draft", Field::Draft),
    ("slug", Field::Slug),
    ("aliases", Field::Aliases),
    ("weight", Field::Weight),
    ("template", Field::Template),
    ("series", Field::Series),
    ("series_order", Field::SeriesOrder),
    ("pair", Field::Pair),
    ("sort_by", Field::SortBy),
    ("paginate_by", Field::PaginateBy),
    ("owner", Field::Owner),
    ("last_reviewed", Field::LastReviewed),
    ("parent", Field::Parent),
    ("see_also", Field::SeeAlso),
    ("extra", Field::Extra),
];

impl Field {
    fn allowed(self, kind: Kind) -> bool {
        use Field::*;
        match kind {
            Kind::Article => !matches!(self, SortBy | PaginateBy | Parent | SeeAlso),
            Kind::Section => matches!(
                self,
                Title | Description | Draft | Weight | Template | SortBy | PaginateBy | Extra
            ),
            Kind::Glossary => matches!(
                self,
                Title | Description | Aliases | Parent | SeeAlso | Extra
            ),
            Kind::FolderPage => true,
        }
    }
}

/// What a key of another generator does here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Foreign {
    /// Sets a binder field (when the file does not set it itself).
    To(Field),
    /// Adds terms to a taxonomy (when the file does not list that taxonomy itself).
    Terms(&'static str),
    /// Jekyll's `published: false` (a draft) or Hugo's `published: <date>`.
    Published,
    /// Hugo's `url`, Jekyll's and Obsidian Publish's `permalink`, Zola's `path`: the page's
    /// whole URL path (its last segment is the slug).
    UrlPath,
    /// Zola's `[taxonomies]` table.
    Taxonomies,
    /// Understood, no binder counterpart: kept in `extra` without a warning.
    Keep,
}

/// Keys of other generators, lower-cased (Hugo's keys are case-insensitive).
const FOREIGN: &[(&str, Foreign)] = &[
    ("tags", Foreign::Terms("concepts")),
    ("categories", Foreign::Terms("concepts")),
    ("category", Foreign::Terms("concepts")),
    ("author", Foreign::Terms("authors")),
    ("summary", Foreign::To(Field::Description)),
    ("excerpt", Foreign::To(Field::Description)),
    ("lastmod", Foreign::To(Field::Updated)),
    ("last_modified_at", Foreign::To(Field::Updated)),
    ("modified", Foreign::To(Field::Updated)),
    ("last_update", Foreign::To(Field::Updated)),
    ("publishdate", Foreign::To(Field::Date)),
    ("pubdate", Foreign::To(Field::Date)),
    ("created", Foreign::To(Field::Date)),
    ("published", Foreign::Published),
    ("sidebar_position", Foreign::To(Field::Weight)),
    ("nav_order", Foreign::To(Field::Weight)),
    ("redirect_from", Foreign::To(Field::Aliases)),
    ("url", Foreign::UrlPath),
    ("permalink", Foreign::UrlPath),
    ("path", Foreign::UrlPath),
    ("taxonomies", Foreign::Taxonomies),
];

/// Keys other generators use that have no binder counterpart; kept in `extra` quietly.
const KEPT: &[&str] = &[
    "_build",
    "build",
    "cascade",
    "comments",
    "cover",
    "cssclass",
    "cssclasses",
    "custom_edit_url",
    "displayed_sidebar",
    "expirydate",
    "expiry_date",
    "featured_image",
    "generate_feed",
    "generate_feeds",
    "grand_parent",
    "has_children",
    "headless",
    "hidden",
    "hide_table_of_contents",
    "hide_title",
    "id",
    "image",
    "images",
    "in_search_index",
    "insert_anchor_links",
    "isCJKLanguage",
    "keywords",
    "lang",
    "layout",
    "linktitle",
    "markup",
    "math",
    "menu",
    "mermaid",
    "nav_exclude",
    "outputs",
    "page_template",
    "pagination_label",
    "pagination_next",
    "pagination_prev",
    "parent",
    "publish",
    "render",
    "resources",
    "search_exclude",
    "sidebar_class_name",
    "sidebar_label",
    "sitemap",
    "thumbnail",
    "toc",
    "toc_hide",
    "toc_max_heading_level",
    "toc_min_heading_level",
    "transparent",
    "translationkey",
    "type",
    "unlisted",
    "unpublishdate",
];

fn foreign(key: &str) -> Option<Foreign> {
    let lower = key.to_lowercase();
    FOREIGN
        .iter()
        .find(|(k, _)| *k == lower)
        .map(|(_, f)| *f)
        .or_else(|| {
            KEPT.iter()
                .any(|k| k.eq_ignore_ascii_case(&lower))
                .then_some(Foreign::Keep)
        })
}

/// The outcome of mapping one file's entries.
pub(super) struct Applied {
    pub(super) meta: Meta,
    pub(super) problems: Vec<Problem>,
    pub(super) unknown: Vec<UnknownKey>,
}

/// Maps `entries` onto [`Meta`]: binder's keys first, then other generators' keys for
/// fields still unset, then the rest into `extra`.
pub(super) fn apply(
    mut entries: Vec<Entry>,
    kind: Kind,
    taxonomies: &[String],
    syntax: Syntax,
) -> Applied {
    let mut cx = Cx {
        meta: Meta::default(),
        problems: Vec::new(),
        unknown: Vec::new(),
        set: HashSet::new(),
        own_terms: HashSet::new(),
        kind,
        syntax,
    };
    for e in &mut entries {
        let found = strip_str(&mut e.key).or(strip_controls(&mut e.value));
        if let Some(found) = found {
            cx.problems.push(Problem::warning(
                FmError::ControlChar {
                    key: e.key.clone(),
                    found,
                },
                e.value_span.clone(),
            ));
        }
        cx.meta.key_spans.push((e.key.clone(), e.key_span.clone()));
    }
    let is_taxonomy = |key: &str| {
        kind.is_article_like()
            && (key == "concepts" || key == "authors" || taxonomies.iter().any(|t| t == key))
    };
    let mut rest = Vec::new();
    for e in &entries {
        match native(&e.key, kind) {
            Some(field) => cx.native(field, e),
            None if is_taxonomy(&e.key) => cx.own_terms(e),
            None => rest.push(e),
        }
    }
    let mut extra = Vec::new();
    for e in rest {
        match foreign(&e.key) {
            Some(f) => cx.foreign(f, e, taxonomies),
            None => cx.unknown.push(UnknownKey {
                key: e.key.clone(),
                span: e.key_span.clone(),
                suggestion: suggestion(&e.key, kind, taxonomies),
            }),
        }
        extra.push(e);
    }
    for e in extra {
        cx.meta
            .extra
            .entry(e.key.clone())
            .or_insert_with(|| e.value.clone());
    }
    Applied {
        meta: cx.meta,
        problems: cx.problems,
        unknown: cx.unknown,
    }
}

/// What binder does with a front-matter key (for `binder import`'s report).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyRole {
    /// One of binder's own keys (or a taxonomy of the site).
    Native,
    /// Another generator's key, read as the binder field named (`tags` → `concepts`).
    Mapped(String),
    /// Another generator's key with no binder counterpart: kept in `extra`, no warning.
    Kept,
    /// Nobody's key binder knows: kept in `extra`, reported; a close known key if any.
    Unknown(Option<String>),
}

/// The role of `key` in a file of `kind` on a site with `taxonomies`.
pub fn key_role(key: &str, kind: Kind, taxonomies: &[String]) -> KeyRole {
    let is_taxonomy = kind.is_article_like()
        && (key == "concepts" || key == "authors" || taxonomies.iter().any(|t| t == key));
    if native(key, kind).is_some() || is_taxonomy {
        return KeyRole::Native;
    }
    let name = |field: Field| {
        NATIVE
            .iter()
            .find(|(_, f)| *f == field)
            .map_or("?", |(k, _)| k)
            .to_owned()
    };
    match foreign(key) {
        Some(Foreign::To(field)) if field.allowed(kind) => KeyRole::Mapped(name(field)),
        Some(Foreign::Terms(t)) if kind.is_article_like() => KeyRole::Mapped(t.to_owned()),
        Some(Foreign::Published) => KeyRole::Mapped("draft (false), or date".to_owned()),
        Some(Foreign::UrlPath) => KeyRole::Mapped("the page's URL path".to_owned()),
        Some(Foreign::Taxonomies) => {
            KeyRole::Mapped("concepts and the site's taxonomies".to_owned())
        }
        Some(_) => KeyRole::Kept,
        None => KeyRole::Unknown(suggestion(key, kind, taxonomies)),
    }
}

fn native(key: &str, kind: Kind) -> Option<Field> {
    NATIVE
        .iter()
        .find(|(k, f)| *k == key && f.allowed(kind))
        .map(|(_, f)| *f)
}

/// The keys a file of `kind` may carry, for "did you mean".
pub(super) fn known_keys(kind: Kind, taxonomies: &[String]) -> Vec<String> {
    let mut keys: Vec<String> = NATIVE
        .iter()
        .filter(|(_, f)| f.allowed(kind))
        .map(|(k, _)| (*k).to_owned())
        .collect();
    if kind.is_article_like() {
        keys.extend(["concepts".to_owned(), "authors".to_owned()]);
        keys.extend(taxonomies.iter().cloned());
    }
    keys.sort();
    keys.dedup();
    keys
}

fn suggestion(key: &str, kind: Kind, taxonomies: &[String]) -> Option<String> {
    let known = known_keys(kind, taxonomies);
    suggest(key, known.iter().map(String::as_str))
        .first()
        .map(|s| (*s).to_owned())
}

struct Cx {
    meta: Meta,
    problems: Vec<Problem>,
    unknown: Vec<UnknownKey>,
    set: HashSet<Field>,
    own_terms: HashSet<String>,
    kind: Kind,
    syntax: Syntax,
}

impl Cx {
    fn wrong(&mut self, e: &Entry, expected: Expected) {
        self.meta.invalid.push(e.key.clone());
        self.problems.push(Problem::error(
            FmError::WrongValue {
                key: e.key.clone(),
                expected,
                found: describe_found(&e.value),
                syntax: self.syntax,
            },
            e.value_span.clone(),
        ));
    }

    fn native(&mut self, field: Field, e: &Entry) {
        if e.value.is_null() {
            return; // `description:` left empty: as if absent
        }
        match read::field(&mut self.meta, field, &e.value) {
            Ok(Read::Done) => {}
            Ok(Read::Rounded(from, to)) => self.problems.push(Problem::warning(
                FmError::Rounded {
                    key: e.key.clone(),
                    from,
                    to,
                },
                e.value_span.clone(),
            )),
            Err(expected) => return self.wrong(e, expected),
        }
        self.set.insert(field);
    }

    fn own_terms(&mut self, e: &Entry) {
        match read::list(&e.value) {
            Ok(list) => {
                self.own_terms.insert(e.key.clone());
                add_terms(&mut self.meta, &e.key, list);
            }
            Err(expected) => self.wrong(e, expected),
        }
    }

    fn foreign(&mut self, f: Foreign, e: &Entry, taxonomies: &[String]) {
        if e.value.is_null() {
            return;
        }
        match f {
            Foreign::To(field) if field.allowed(self.kind) && !self.set.contains(&field) => {
                let value = match (field, &e.value) {
                    // Docusaurus: `last_update: { date: …, author: … }`.
                    (Field::Updated, Value::Object(map)) => {
                        map.get("date").cloned().unwrap_or(Value::Null)
                    }
                    _ => e.value.clone(),
                };
                let entry = Entry { value, ..e.clone() };
                self.native(field, &entry);
            }
            Foreign::Terms(target) => self.foreign_terms(target, e, &e.value),
            Foreign::Published => match &e.value {
                Value::Bool(published) if !self.set.contains(&Field::Draft) => {
                    self.meta.draft = !published;
                    self.set.insert(Field::Draft);
                }
                Value::String(_) if !self.set.contains(&Field::Date) => {
                    self.native(Field::Date, e);
                }
                _ => {}
            },
            Foreign::UrlPath => self.url_path(e),
            Foreign::Taxonomies => {
                if let Value::Object(map) = &e.value {
                    for (name, list) in map {
                        let target = match name.as_str() {
                            "tags" | "categories" => "concepts",
                            n if n == "concepts"
                                || n == "authors"
                                || taxonomies.iter().any(|t| t == n) =>
                            {
                                n
                            }
                            _ => continue,
                        };
                        self.foreign_terms(target, e, list);
                    }
                }
            }
            Foreign::To(_) | Foreign::Keep => {}
        }
    }

    fn foreign_terms(&mut self, target: &str, e: &Entry, value: &Value) {
        if !self.kind.is_article_like() || self.own_terms.contains(target) {
            return;
        }
        match read::list(value) {
            Ok(list) => add_terms(&mut self.meta, target, list),
            Err(expected) => self.wrong(e, expected),
        }
    }

    fn url_path(&mut self, e: &Entry) {
        if !self.kind.is_article_like() || self.set.contains(&Field::Slug) {
            return;
        }
        let Value::String(url) = &e.value else {
            return;
        };
        // Jekyll patterns such as `/:categories/:title/` name no page.
        if url.contains(':') {
            return;
        }
        let path = url.trim().trim_matches('/');
        let path = path.strip_suffix("/index.html").unwrap_or(path);
        let path = path.strip_suffix(".html").unwrap_or(path);
        let last = path.rsplit('/').next().unwrap_or("");
        if !last.is_empty() {
            self.meta.slug = Some(last.to_owned());
            self.meta.url = Some(path.to_owned());
            self.set.insert(Field::Slug);
        }
    }
}

fn add_terms(meta: &mut Meta, taxonomy: &str, list: Vec<String>) {
    match meta.terms.iter_mut().find(|(k, _)| k == taxonomy) {
        Some((_, terms)) => {
            for t in list {
                if !terms.contains(&t) {
                    terms.push(t);
                }
            }
        }
        None => meta.terms.push((taxonomy.to_owned(), list)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_foreign_and_kept_key_is_lower_case_and_not_native() {
        for (k, _) in FOREIGN {
            assert_eq!(*k, k.to_lowercase());
            assert!(native(k, Kind::Article).is_none(), "{k}");
        }
        for k in KEPT {
            assert!(native(k, Kind::Article).is_none(), "{k}");
            assert!(foreign(k).is_some());
        }
        assert_eq!(foreign("publishDate"), Some(Foreign::To(Field::Date)));
        assert_eq!(foreign("linkTitle"), Some(Foreign::Keep));
        assert_eq!(foreign("status"), None);
    }
}
