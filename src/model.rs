//! The site model: pages, sections, taxonomies and the link graph, as plain data.
//!
//! Built by the assemble, taxonomy and resolve stages; read (never changed) by render and
//! write. Pages, sections and glossary entries share one document core ([`Doc`]). They are
//! addressed by typed indexes ([`PageId`], [`SectionId`], [`TaxonomyId`], [`TermId`],
//! [`SeriesId`]; [`DocId`] for any document) so that the link graph and the term lists are
//! small vectors of integers rather than copies of pages, and a section number can never look
//! up a page: every table is a [`TiVec`] keyed by the index it is meant for
//! (`TiVec<PageId, _>`, `TiVec<TermIx, Term>`).

use std::collections::HashMap;
use std::sync::Arc;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::load::Asset;
use crate::parse::front_matter::{Date, Meta, SortBy};
use crate::parse::markdown::{ResolvedLink, Scan};

pub use typed_index_collections::TiVec;

/// Declares an index type: a `usize` that only indexes the vectors it is meant for, so a
/// section number can never be used to look up a page.
macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(usize);

        impl $name {
            /// The plain index.
            pub fn index(self) -> usize {
                self.0
            }
        }

        impl From<usize> for $name {
            fn from(i: usize) -> Self {
                $name(i)
            }
        }

        impl From<$name> for usize {
            fn from(id: $name) -> usize {
                id.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

index_type!(
    /// Index of a page in [`Site::pages`].
    PageId
);
index_type!(
    /// Index of a section in [`Site::sections`]; the home page is section 0.
    SectionId
);

index_type!(
    /// Index of a taxonomy in [`Site::taxonomies`] (config order).
    TaxonomyId
);
index_type!(
    /// Index of a term in its taxonomy's [`Taxonomy::terms`]; only meaningful together with
    /// the taxonomy, which is what [`TermId`] is for.
    TermIx
);
index_type!(
    /// Index of a series in [`Graph::series`].
    SeriesId
);

impl SectionId {
    /// The home page's section.
    pub const HOME: SectionId = SectionId(0);
}

/// A term of a taxonomy: [`Site::taxonomies`]`[taxonomy].terms[term]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TermId {
    /// The taxonomy in [`Site::taxonomies`].
    pub taxonomy: TaxonomyId,
    /// The term in that taxonomy's [`Taxonomy::terms`].
    pub term: TermIx,
}

/// Which document of the site: an article, a section's index file or a glossary entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocId {
    /// An article.
    Page(PageId),
    /// A section (its index file, or nothing for a folder without one).
    Section(SectionId),
    /// The glossary entry of a term.
    Glossary(TermId),
}

/// The marker internal hrefs start with until a page is rendered; replaced by the relative
/// path to the site root (or `base_url` in feeds), so one rendered body serves every context.
/// Plain ASCII that URL escaping leaves alone; the trailing `/` keeps `ROOT_MARK + path`
/// readable, and the render stage replaces the whole marker including it.
pub const ROOT_MARK: &str = "@@binder-root@@/";

/// Output paths binder generates itself; a content file may not claim them.
pub const RESERVED_PATHS: &[&str] = &["pairs/", "questions/", "print/"];

/// Resolved internal links of a body, by byte offset of the link in the body.
pub type ResolvedLinks = HashMap<usize, ResolvedLink>;

/// What every Markdown document of the site has, whatever it describes: an article, a
/// section's index file or a glossary entry. The stages that read documents (resolve, render,
/// search) work on this one type, so each runs one loop over all of them.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Path relative to `content/` that the body's relative links start from
    /// (`tips/ask-for-clarity.md`; `tips/_index.md` for a section without an index file;
    /// `concepts/trust.md` for a glossary entry).
    pub rel: String,
    /// Path shown in diagnostics (`content/tips/ask-for-clarity.md`).
    pub shown: String,
    /// Whole file text (normalised); empty for a folder without an index file.
    pub text: Arc<str>,
    /// Front matter.
    pub meta: Meta,
    /// Where the body starts in `text`.
    pub body_start: usize,
    /// What the first Markdown pass found.
    pub scan: Scan,
    /// Resolved internal links of the body, by byte offset in the body.
    pub links: ResolvedLinks,
}

impl Doc {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// Lets a page, section or glossary entry be read (and written) as its [`Doc`]:
/// `page.meta`, `section.scan`, `entry.body()`.
macro_rules! doc_core {
    ($t:ty) => {
        impl std::ops::Deref for $t {
            type Target = Doc;
            fn deref(&self) -> &Doc {
                &self.doc
            }
        }
        impl std::ops::DerefMut for $t {
            fn deref_mut(&mut self) -> &mut Doc {
                &mut self.doc
            }
        }
    };
}

/// An article.
#[derive(Debug, Clone)]
pub struct Page {
    /// Source text, front matter, body, scan and links.
    pub doc: Doc,
    /// Title (front matter, else the first heading, else the file name).
    pub title: String,
    /// URL slug.
    pub slug: String,
    /// Output path below the site root, ending in `/` (`tips/ask-for-clarity/`).
    pub path: String,
    /// The section the page is listed in.
    pub section: SectionId,
    /// Pages this page links to (deduplicated, in order of first link).
    pub outgoing: Vec<PageId>,
    /// Assets the body references: (path under `content/`, output path next to the page).
    pub assets: Vec<(String, String)>,
    /// Output paths the page had before binder changed its URL (its file and folder names as
    /// written, where slugging changed them): each gets a redirect to [`Page::path`].
    pub old_paths: Vec<String>,
}
doc_core!(Page);

impl Page {
    /// The page's last change and contributors from git, if known.
    pub fn git<'a>(&self, site: &'a Site) -> Option<&'a crate::git::FileHistory> {
        site.git.file(&self.rel)
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
    /// The index file's text, front matter, body, scan and links (empty if the folder has
    /// none; `shown` is then the folder).
    pub doc: Doc,
    /// Folder relative to `content/` (`""` for the home page, `tips` for a section).
    pub dir: String,
    /// Title: front matter, else the folder name.
    pub title: String,
    /// Output path (`tips/`, `""` for home).
    pub path: String,
    /// Parent section (none for the home page).
    pub parent: Option<SectionId>,
    /// Child sections, sorted by weight then title.
    pub subsections: Vec<SectionId>,
    /// Pages directly in this section, in the section's sort order.
    pub pages: Vec<PageId>,
    /// The file that describes the folder, relative to `content/` (`tips/_index.md`,
    /// `values/README.md`, `values.md` beside `values/`), if any.
    pub source: Option<String>,
}
doc_core!(Section);

impl Section {
    /// Sort order of the listing.
    pub fn sort_by(&self) -> SortBy {
        self.meta.sort_by.unwrap_or_default()
    }

    /// Articles per listing page.
    pub fn paginate_by(&self) -> usize {
        self.meta.paginate_by.unwrap_or(20).max(1)
    }
}

/// A glossary entry for a term (`content/concepts/trust.md`): a document and nothing more.
pub type Glossary = Doc;

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
    pub terms: TiVec<TermIx, Term>,
    /// For each page, its terms in this taxonomy (in the order written).
    pub page_terms: TiVec<PageId, Vec<TermIx>>,
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
    pub backlinks: TiVec<PageId, Vec<(PageId, String)>>,
    /// For each page, aligned with its `outgoing`: the index in its `scan.links` of the first
    /// link to that page (the link whose sentence is the backlink excerpt).
    pub excerpt_links: TiVec<PageId, Vec<usize>>,
    /// For each page: related pages, best first.
    pub related: TiVec<PageId, Vec<PageId>>,
    /// All series, sorted by name.
    pub series: TiVec<SeriesId, Series>,
    /// For each page: (series, position in its parts) if it is part of one.
    pub series_of: TiVec<PageId, Option<(SeriesId, usize)>>,
    /// For each page: its pair partner.
    pub pair: TiVec<PageId, Option<PageId>>,
}

/// The whole site after the resolve stage.
#[derive(Debug, Clone)]
pub struct Site {
    /// `site.toml`.
    pub config: Config,
    /// Site root folder.
    pub root: std::path::PathBuf,
    /// Articles, sorted by source path.
    pub pages: TiVec<PageId, Page>,
    /// Sections, sorted by folder; index 0 is the home page.
    pub sections: TiVec<SectionId, Section>,
    /// Taxonomies in config order.
    pub taxonomies: TiVec<TaxonomyId, Taxonomy>,
    /// Links, backlinks, related, series, pairs.
    pub graph: Graph,
    /// Files under `content/` to copy.
    pub assets: Vec<Asset>,
    /// Output paths of the site's and the theme's `static/` files, sorted (see
    /// [`crate::load::Sources`]).
    pub statics: Vec<String>,
    /// Warnings found while building the model.
    pub warnings: Vec<Diagnostic>,
    /// Last change and contributors of each content file, from git (empty without a
    /// repository; see [`crate::git`]).
    pub git: Arc<crate::git::History>,
}

impl Site {
    /// The home section.
    pub fn home(&self) -> &Section {
        &self.sections[SectionId::HOME]
    }

    /// Every document: pages, then sections, then glossary entries.
    pub fn docs(&self) -> impl Iterator<Item = (DocId, &Doc)> {
        let pages = (self.pages.iter_enumerated()).map(|(i, p)| (DocId::Page(i), &p.doc));
        let sections = (self.sections.iter_enumerated()).map(|(i, s)| (DocId::Section(i), &s.doc));
        pages.chain(sections).chain(self.glossary_entries())
    }

    /// The glossary entries, by term.
    pub fn glossary_entries(&self) -> impl Iterator<Item = (DocId, &Doc)> {
        self.taxonomies.iter_enumerated().flat_map(|(taxonomy, t)| {
            t.terms.iter_enumerated().filter_map(move |(term, entry)| {
                let id = TermId { taxonomy, term };
                Some((DocId::Glossary(id), entry.glossary.as_ref()?))
            })
        })
    }

    /// The document `id` (a term without a glossary entry has none).
    pub fn doc(&self, id: DocId) -> Option<&Doc> {
        match id {
            DocId::Page(i) => self.pages.get(i).map(|p| &p.doc),
            DocId::Section(i) => self.sections.get(i).map(|s| &s.doc),
            DocId::Glossary(t) => self.term(t)?.glossary.as_ref(),
        }
    }

    /// The document `id`, to change.
    pub fn doc_mut(&mut self, id: DocId) -> Option<&mut Doc> {
        match id {
            DocId::Page(i) => self.pages.get_mut(i).map(|p| &mut p.doc),
            DocId::Section(i) => self.sections.get_mut(i).map(|s| &mut s.doc),
            DocId::Glossary(t) => (self.taxonomies.get_mut(t.taxonomy)?.terms)
                .get_mut(t.term)?
                .glossary
                .as_mut(),
        }
    }

    /// The term `id`.
    pub fn term(&self, id: TermId) -> Option<&Term> {
        self.taxonomies.get(id.taxonomy)?.terms.get(id.term)
    }

    /// The output folder of a document's own page, where the assets its body references are
    /// copied: an article's path; none for sections and glossary entries.
    pub fn out_dir(&self, id: DocId) -> Option<&str> {
        match id {
            DocId::Page(i) => Some(&self.pages[i].path),
            _ => None,
        }
    }
}
