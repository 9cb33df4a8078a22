//! Parse stage, front matter: a source file's text → typed [`Meta`] + the Markdown body.
//!
//! Front matter is optional. YAML between `---` lines and TOML between `+++` lines are read
//! by `yaml` and `toml` into syntax-neutral entries with file positions; `keys` maps
//! them onto [`Meta`] — binder's keys, then the keys other generators use for the same
//! things, then everything else into `extra`. Problems are data ([`Problem`]) and become
//! diagnostics at the edge; unknown keys are reported once per key for the whole site by
//! [`report`]. A file without a `title` takes the level-1 heading that opens its body
//! (which then leaves the body), else its file name.

mod date;
mod error;
mod keys;
mod read;
mod report;
mod split;
mod toml;
mod value;
mod yaml;

use std::ops::Range;
use std::sync::Arc;

pub use date::Date;
pub use error::{Expected, FmError, Problem, Syntax};
pub use keys::{KeyRole, key_role};
pub use report::report;

use crate::diag::Diagnostic;

/// What kind of file the front matter belongs to; decides which keys are allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An article (`tips/ask.md`).
    Article,
    /// A section description (`_index.md`).
    Section,
    /// A glossary entry for a taxonomy term (`concepts/trust.md`).
    Glossary,
    /// An `index.md` or `README.md`: the page of its folder (a section) or an article,
    /// which the assemble stage decides; it may carry the keys of both.
    FolderPage,
}

impl Kind {
    /// Articles and folder pages carry taxonomy terms, slugs and URLs.
    fn is_article_like(self) -> bool {
        matches!(self, Kind::Article | Kind::FolderPage)
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

/// Where a file's title came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TitleSource {
    /// No title (a section or glossary entry that names none: its folder or term does).
    #[default]
    None,
    /// The `title` key (or a key of another generator mapped to it).
    FrontMatter,
    /// The level-1 heading that opens the body.
    Heading,
    /// The file name (`license_troubleshooting.md` → "License troubleshooting").
    FileName,
}

/// Every front-matter key any kind of file may carry; which are allowed depends on [`Kind`].
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// The title: front matter, else the opening `# Heading`, else (articles) the file name.
    pub title: Option<String>,
    /// Where [`Meta::title`] came from.
    pub title_source: TitleSource,
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
    /// The whole URL path another tool gave the page (Hugo's `url`, Jekyll's and Obsidian
    /// Publish's `permalink`, Zola's `path`), without the slashes around it: the page is
    /// published there, not under its folder. Only set when `slug` is not written.
    pub url: Option<String>,
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
    /// Free map for templates: the `extra` table plus every key binder does not use itself
    /// (keys of other generators and unknown keys, under their own names).
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Byte span of each key in the file, for later errors (`pair`, `series_order`…).
    pub key_spans: Vec<(String, Range<usize>)>,
    /// Keys whose value was rejected (already reported): later stages should not report
    /// their absence again.
    pub invalid: Vec<String>,
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

    /// True if `key` was given but its value was rejected.
    pub fn is_invalid(&self, key: &str) -> bool {
        self.invalid.iter().any(|k| k == key)
    }
}

/// A key binder does not know, kept in `extra`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    /// The key as written.
    pub key: String,
    /// Bytes of the key in the file.
    pub span: Range<usize>,
    /// A close known key (`contepts` → `concepts`), if any.
    pub suggestion: Option<String>,
}

/// Front matter split off a file.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The typed keys.
    pub meta: Meta,
    /// Byte offset where the Markdown body starts (past a title heading taken as title).
    pub body_start: usize,
    /// Article, section or glossary entry.
    pub kind: Kind,
    /// YAML or TOML; `None` for a file without front matter.
    pub syntax: Option<Syntax>,
    /// Problems that do not stop the file from being built into the model (wrong values,
    /// duplicate keys, removed control characters); [`report`] turns them into diagnostics.
    pub problems: Vec<Problem>,
    /// Keys binder does not know, in file order.
    pub unknown: Vec<UnknownKey>,
}

/// Parses `text` (BOM and CRLF already removed) of the file shown as `path`.
/// `taxonomies` are extra allowed keys holding term lists (articles only). `Err` only when
/// the front matter cannot be read at all (bad syntax, never closed); every other problem
/// is in [`Parsed::problems`], so the file still exists for links and series.
pub fn parse(
    text: &Arc<str>,
    path: &str,
    kind: Kind,
    taxonomies: &[String],
) -> Result<Parsed, Diagnostic> {
    let located = |p: Problem| p.to_diagnostic(path, text);
    let block = split::split(text).map_err(located)?;
    let (entries, mut problems) = match &block {
        None => (Vec::new(), Vec::new()),
        Some(b) => match b.syntax {
            Syntax::Yaml => yaml::entries(text, b.inner.clone()).map_err(located)?,
            Syntax::Toml => (
                toml::entries(text, b.inner.clone()).map_err(located)?,
                Vec::new(),
            ),
        },
    };
    let syntax = block.as_ref().map(|b| b.syntax);
    let applied = keys::apply(entries, kind, taxonomies, syntax.unwrap_or(Syntax::Yaml));
    problems.extend(applied.problems);
    let mut meta = applied.meta;
    let mut body_start = block.as_ref().map_or(0, |b| b.body_start);
    take_title(&mut meta, &mut body_start, text, path, kind);
    Ok(Parsed {
        meta,
        body_start,
        kind,
        syntax,
        problems,
        unknown: applied.unknown,
    })
}

/// Front-matter title, else the opening `# Heading` (moved out of the body), else the file
/// name for articles. A heading that repeats the front-matter title leaves the body too.
fn take_title(meta: &mut Meta, body_start: &mut usize, text: &str, path: &str, kind: Kind) {
    let heading = crate::parse::markdown::leading_h1(&text[*body_start..]);
    match (&meta.title, heading) {
        (Some(title), Some((h, end))) => {
            meta.title_source = TitleSource::FrontMatter;
            if *title == h {
                *body_start += end;
            }
        }
        (Some(_), None) => meta.title_source = TitleSource::FrontMatter,
        (None, Some((h, end))) => {
            meta.title = Some(h);
            meta.title_source = TitleSource::Heading;
            *body_start += end;
        }
        // Docusaurus names a page in the sidebar by `sidebar_label`: better than a file name.
        (None, None) if sidebar_label(meta).is_some() => {
            meta.title = sidebar_label(meta);
            meta.title_source = TitleSource::FrontMatter;
        }
        (None, None) if kind.is_article_like() => {
            meta.title = Some(file_name_title(path));
            meta.title_source = TitleSource::FileName;
        }
        (None, None) => {}
    }
}

fn sidebar_label(meta: &Meta) -> Option<String> {
    let label = meta.extra.get("sidebar_label")?.as_str()?.trim();
    (!label.is_empty()).then(|| label.to_owned())
}

/// `tips/license_troubleshooting.md` → "License troubleshooting"; a folder's `index.md` or
/// `README.md` is named after the folder.
pub fn file_name_title(path: &str) -> String {
    let mut parts = path.rsplit('/');
    let file = parts.next().unwrap_or(path);
    let stem = file.strip_suffix(".md").unwrap_or(file);
    let name = if ["index", "_index", "readme"].contains(&stem.to_lowercase().as_str()) {
        parts.next().filter(|d| *d != "content").unwrap_or(stem)
    } else {
        stem
    };
    crate::config::capitalise(name.trim())
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
