//! The site model: pages, sections, taxonomies and the link graph, as plain data.
//!
//! Built by the parse, resolve and taxonomy stages; read (never changed) by render and write.
//! Pages and sections are addressed by index ([`PageId`], [`SectionId`]) so that the link
//! graph and the term lists are small vectors of integers rather than copies of pages.

use std::collections::HashMap;
use std::sync::Arc;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::load::Asset;
use crate::parse::front_matter::{Date, Meta, SortBy};
use crate::parse::markdown::{ResolvedLink, Scan};

/// Index of a page in [`Site::pages`].
pub type PageId = usize;
/// Index of a section in [`Site::sections`].
pub type SectionId = usize;

/// The marker internal hrefs start with until a page is rendered; replaced by the relative
/// path to the site root (or `base_url` in feeds), so one rendered body serves every context.
/// Plain ASCII that URL escaping leaves alone; the trailing `/` keeps `ROOT_MARK + path`
/// readable, and the render stage replaces the whole marker including it.
pub const ROOT_MARK: &str = "@@binder-root@@/";

/// Output paths binder generates itself; a content file may not claim them.
pub const RESERVED_PATHS: &[&str] = &["pairs/", "questions/", "print/"];

/// Resolved internal links of a body, by byte offset of the link in the body.
pub type ResolvedLinks = HashMap<usize, ResolvedLink>;

/// An article.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to `content/` (`tips/ask-for-clarity.md`).
    pub rel: String,
    /// Path shown in diagnostics (`content/tips/ask-for-clarity.md`).
    pub shown: String,
    /// Whole file text (normalised).
    pub text: Arc<str>,
    /// Front matter.
    pub meta: Meta,
    /// Title (front matter).
    pub title: String,
    /// Where the body starts in `text`.
    pub body_start: usize,
    /// What the first Markdown pass found.
    pub scan: Scan,
    /// URL slug.
    pub slug: String,
    /// Output path below the site root, ending in `/` (`tips/ask-for-clarity/`).
    pub path: String,
    /// The section the page is listed in.
    pub section: SectionId,
    /// Resolved internal links of the body, by byte offset in the body.
    pub links: HashMap<usize, ResolvedLink>,
    /// Pages this page links to (deduplicated, in order of first link).
    pub outgoing: Vec<PageId>,
    /// Assets the body references: (path under `content/`, output path next to the page).
    pub assets: Vec<(String, String)>,
    /// Output paths the page had before binder changed its URL (its file and folder names as
    /// written, where slugging changed them): each gets a redirect to [`Page::path`].
    pub old_paths: Vec<String>,
}

impl Page {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// Date used for sorting: `date`, else none.
    pub fn date(&self) -> Option<Date> {
        self.meta.date
    }

    /// Minutes to read at 200 words a minute, at least 1.
    pub fn reading_time(&self) -> usize {
        self.scan.word_count.div_ceil(200).max(1)
    }
}

/// A section: a folder of `content/`, described by its `_index.md` if it has one.
#[derive(Debug, Clone)]
pub struct Section {
    /// Folder relative to `content/` (`""` for the home page, `tips` for a section).
    pub dir: String,
    /// Path shown in diagnostics (`content/tips/_index.md`), or the folder.
    pub shown: String,
    /// Whole `_index.md` text (empty if the folder has none).
    pub text: Arc<str>,
    /// Front matter of `_index.md`.
    pub meta: Meta,
    /// Title: front matter, else the folder name.
    pub title: String,
    /// Where the body starts in `text`.
    pub body_start: usize,
    /// First Markdown pass of the body.
    pub scan: Scan,
    /// Output path (`tips/`, `""` for home).
    pub path: String,
    /// Parent section (none for the home page).
    pub parent: Option<SectionId>,
    /// Child sections, sorted by weight then title.
    pub subsections: Vec<SectionId>,
    /// Pages directly in this section, in the section's sort order.
    pub pages: Vec<PageId>,
    /// Resolved links of the body, by byte offset.
    pub links: HashMap<usize, ResolvedLink>,
    /// The file that describes the folder, relative to `content/` (`tips/_index.md`,
    /// `values/README.md`, `values.md` beside `values/`), if any.
    pub source: Option<String>,
}

impl Section {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// Sort order of the listing.
    pub fn sort_by(&self) -> SortBy {
        self.meta.sort_by.unwrap_or_default()
    }

    /// Articles per listing page.
    pub fn paginate_by(&self) -> usize {
        self.meta.paginate_by.unwrap_or(20).max(1)
    }
}

/// A glossary entry for a term (`content/concepts/trust.md`).
#[derive(Debug, Clone)]
pub struct Glossary {
    /// Path shown in diagnostics.
    pub shown: String,
    /// Whole text.
    pub text: Arc<str>,
    /// Front matter.
    pub meta: Meta,
    /// Where the body starts.
    pub body_start: usize,
    /// First Markdown pass.
    pub scan: Scan,
    /// Resolved links of the body.
    pub links: HashMap<usize, ResolvedLink>,
}

impl Glossary {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// One term of a taxonomy (`trust` in `concepts`).
#[derive(Debug, Clone)]
pub struct Term {
    /// Display name: the first spelling seen.
    pub name: String,
    /// Normalised slug.
    pub slug: String,
    /// Output path (`concepts/trust/`).
    pub path: String,
    /// Pages carrying the term, newest first.
    pub pages: Vec<PageId>,
    /// Glossary entry, if `content/<taxonomy>/<slug>.md` exists.
    pub glossary: Option<Glossary>,
}

/// A taxonomy with its terms.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// Name (`concepts`).
    pub name: String,
    /// Display title (`Concepts`).
    pub title: String,
    /// Output path (`concepts/`).
    pub path: String,
    /// Articles per term page.
    pub paginate_by: usize,
    /// Write a feed per term.
    pub feed: bool,
    /// Terms sorted by slug.
    pub terms: Vec<Term>,
    /// For each page, its term indexes in this taxonomy (in the order written).
    pub page_terms: Vec<Vec<usize>>,
}

/// A series: pages sharing `series`, ordered by `series_order`.
#[derive(Debug, Clone)]
pub struct Series {
    /// Series name as written.
    pub name: String,
    /// Pages in order.
    pub parts: Vec<PageId>,
}

/// Everything the resolve stage adds between pages.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// For each page: (linking page, excerpt around the link), sorted by linking page path.
    pub backlinks: Vec<Vec<(PageId, String)>>,
    /// For each page: related pages, best first.
    pub related: Vec<Vec<PageId>>,
    /// All series, sorted by name.
    pub series: Vec<Series>,
    /// For each page: (series index, position) if it is part of one.
    pub series_of: Vec<Option<(usize, usize)>>,
    /// For each page: its pair partner.
    pub pair: Vec<Option<PageId>>,
}

/// The whole site after the resolve stage.
#[derive(Debug, Clone)]
pub struct Site {
    /// `site.toml`.
    pub config: Config,
    /// Site root folder.
    pub root: std::path::PathBuf,
    /// Articles, sorted by source path.
    pub pages: Vec<Page>,
    /// Sections, sorted by folder; index 0 is the home page.
    pub sections: Vec<Section>,
    /// Taxonomies in config order.
    pub taxonomies: Vec<Taxonomy>,
    /// Links, backlinks, related, series, pairs.
    pub graph: Graph,
    /// Files under `content/` to copy.
    pub assets: Vec<Asset>,
    /// Warnings found while building the model.
    pub warnings: Vec<Diagnostic>,
    /// Glossary entries waiting for the taxonomy stage.
    pub pending_glossary: Vec<Glossary>,
}

impl Site {
    /// The home section.
    pub fn home(&self) -> &Section {
        &self.sections[0]
    }
}
