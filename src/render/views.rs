//! Template views: small, borrowed, serialisable pictures of the model, one per thing a
//! template can show (docs/templates.md documents every field). Built per rendered page from
//! indexes into the [`Site`], never by serialising the whole site.
//!
//! Every view records what it reads of the model ([`reads::record`]), and
//! [`Ctx::read_hash`] gives the value of one such read: `serve` learns from that what each
//! page showed, so a view can change or a new one appear without telling anyone.

use serde::Serialize;

use crate::model::{PageId, ROOT_MARK, SectionId, SeriesId, Site, TaxonomyId, TermId};
use crate::parse::markdown::{Callout, TocEntry};
use crate::render::Bodies;
use crate::render::reads::{self, Read, value_hash};

/// A term as shown on a page: `{name, slug, path}`.
#[derive(Serialize)]
pub struct TermRef<'a> {
    /// Display name.
    pub name: &'a str,
    /// Slug.
    pub slug: &'a str,
    /// Term page path.
    pub path: &'a str,
}

/// `{title, path}`.
#[derive(Serialize, Clone)]
pub struct Link<'a> {
    /// Title.
    pub title: &'a str,
    /// Path below the site root.
    pub path: &'a str,
}

/// A page as it appears in lists.
#[derive(Serialize)]
pub struct PageRef<'a> {
    title: &'a str,
    path: &'a str,
    date: Option<String>,
    updated: Option<String>,
    description: &'a str,
    summary: String,
    reading_time: usize,
    concepts: Vec<TermRef<'a>>,
    /// Concepts beyond the first [`LIST_TERMS`] (shown as "+N more", linking to the page).
    concepts_more: usize,
    authors: Vec<TermRef<'a>>,
    section: Link<'a>,
    series: Option<&'a str>,
    series_order: Option<i64>,
    draft: bool,
    /// The article's content kind (`{name, title}`), if its section has one.
    kind: Option<crate::kinds::KindRef<'a>>,
}

/// Everything a view needs: the site, rendered bodies, and where the page being rendered is.
pub struct Ctx<'a> {
    /// The model.
    pub site: &'a Site,
    /// Rendered bodies.
    pub bodies: &'a Bodies,
    /// Relative path from the rendered page to the site root (`../../`).
    pub root: &'a str,
}

/// How many terms a list entry (a card, a backlink, a related article) shows. A page listed
/// on every one of its term pages would otherwise make the output grow with the square of its
/// terms (two articles sharing 2,000 concepts wrote 613 MB).
pub const LIST_TERMS: usize = 8;

fn capped<T>(mut terms: Vec<T>) -> Vec<T> {
    terms.truncate(LIST_TERMS);
    terms
}

impl<'a> Ctx<'a> {
    /// How many terms `page` has in taxonomy `name`.
    pub fn terms_count(&self, page: PageId, name: &str) -> usize {
        self.site
            .taxonomies
            .iter()
            .find(|t| t.name == name)
            .map_or(0, |t| t.page_terms[page].len())
    }

    /// Terms of `page` in taxonomy `name`.
    pub fn terms(&self, page: PageId, name: &str) -> Vec<TermRef<'a>> {
        match self.site.taxonomies.position(|t| t.name == name) {
            Some(t) => self.terms_in(page, t),
            None => Vec::new(),
        }
    }

    /// Terms of `page` in taxonomy `t`.
    fn terms_in(&self, page: PageId, t: TaxonomyId) -> Vec<TermRef<'a>> {
        reads::record(Read::Terms(page, t));
        let t = &self.site.taxonomies[t];
        t.page_terms[page]
            .iter()
            .map(|&i| {
                let term = &t.terms[i];
                TermRef {
                    name: &term.name,
                    slug: &term.slug,
                    path: &term.path,
                }
            })
            .collect()
    }

    /// A rendered body as shown here: embedded notes spliced in, hrefs relative to this page.
    fn body_html(&self, html: &str, own: &str) -> String {
        crate::render::embeds::splice(self.site, self.bodies, html, own)
            .replace(ROOT_MARK, self.root)
    }

    /// A section as `{title, path}`.
    pub fn section_link(&self, s: SectionId) -> Link<'a> {
        reads::record(Read::SectionLink(s));
        let s = &self.site.sections[s];
        Link {
            title: &s.title,
            path: &s.path,
        }
    }

    /// A page as it appears in lists.
    pub fn page_ref(&self, id: PageId) -> PageRef<'a> {
        reads::record(Read::Entry(id));
        let p = &self.site.pages[id];
        PageRef {
            title: &p.title,
            path: &p.path,
            date: p.meta.date.map(|d| d.ymd()),
            updated: p.meta.updated.map(|d| d.ymd()),
            description: p
                .meta
                .description
                .as_deref()
                .unwrap_or(&p.scan.summary_text),
            summary: self.bodies.pages[id]
                .summary_html
                .replace(ROOT_MARK, self.root),
            reading_time: p.reading_time(),
            concepts: capped(self.terms(id, "concepts")),
            concepts_more: self.terms_count(id, "concepts").saturating_sub(LIST_TERMS),
            authors: self.terms(id, "authors"),
            section: self.section_link(p.section),
            series: p.meta.series.as_deref(),
            series_order: p.meta.series_order,
            draft: p.meta.draft,
            kind: crate::kinds::kind_of(self.site, id),
        }
    }

    /// Pages as list entries.
    pub fn page_refs(&self, ids: &[PageId]) -> Vec<PageRef<'a>> {
        ids.iter().map(|&i| self.page_ref(i)).collect()
    }

    /// Home → … → the section `s` itself (inclusive).
    pub fn breadcrumbs(&self, s: SectionId) -> Vec<Link<'a>> {
        let mut chain = Vec::new();
        let mut cur = Some(s);
        while let Some(i) = cur {
            reads::record(Read::SectionLink(i));
            let sec = &self.site.sections[i];
            let title = if i == SectionId::HOME {
                "Home"
            } else {
                sec.title.as_str()
            };
            chain.push(Link {
                title,
                path: &sec.path,
            });
            cur = sec.parent;
        }
        chain.reverse();
        chain
    }
}

/// A backlink: the linking page and the sentence around the link.
#[derive(Serialize)]
pub struct Backlink<'a> {
    page: PageRef<'a>,
    excerpt: &'a str,
}

/// One part of a series.
#[derive(Serialize)]
pub struct SeriesPart<'a> {
    /// Only `{title, path}`: every page of a series lists every part, so a full `PageRef`
    /// (summary, terms) per part would make long series quadratic in cost.
    page: Link<'a>,
    order: usize,
    current: bool,
}

/// A page's series block.
#[derive(Serialize)]
pub struct SeriesView<'a> {
    name: &'a str,
    parts: Vec<SeriesPart<'a>>,
    index: usize,
    total: usize,
    prev: Option<PageRef<'a>>,
    next: Option<PageRef<'a>>,
}

/// What the `page` variable shows of the page itself besides its list entry.
#[derive(Serialize)]
pub struct PageOwn<'a> {
    /// The `description` its author wrote, for the article's header; none when the entry's
    /// `description` is only the first paragraph, which the body shows anyway.
    lede: Option<&'a str>,
    content: String,
    toc: &'a [TocEntry],
    word_count: usize,
    extra: &'a serde_json::Map<String, serde_json::Value>,
    permalink: String,
    callouts: &'a [Callout],
    assets: Vec<&'a str>,
    /// Not shown: the template the page asks for.
    #[serde(skip_serializing)]
    template: Option<&'a str>,
    /// Who looks after the article (`owner`).
    owner: Option<&'a str>,
    /// When it was last reviewed (`last_reviewed`, `YYYY-MM-DD`).
    last_reviewed: Option<String>,
    /// "Edit this page" URL from the `edit_url` pattern in site.toml.
    edit_url: Option<String>,
    /// A reading path's own page: where its print edition is (`print/paths/new/`).
    print: Option<String>,
    /// Last change and contributors from git (none outside a repository).
    git: Option<GitView<'a>>,
}

/// `page.git`: what the site's git history says about the page.
#[derive(Serialize)]
pub struct GitView<'a> {
    /// Author date of the newest commit that changed the file (`YYYY-MM-DD`).
    updated: String,
    /// Author names, most commits first.
    contributors: &'a [String],
}

/// The `page` variable of `page.html`.
#[derive(Serialize)]
pub struct PageView<'a> {
    #[serde(flatten)]
    entry: PageRef<'a>,
    #[serde(flatten)]
    own: PageOwn<'a>,
    breadcrumbs: Vec<Link<'a>>,
    backlinks: Vec<Backlink<'a>>,
    related: Vec<PageRef<'a>>,
    series: Option<SeriesView<'a>>,
    pair: Option<PageRef<'a>>,
    taxonomies: std::collections::BTreeMap<&'a str, Vec<TermRef<'a>>>,
    /// Reading paths this article is on: "part k of n of `<path>`" with prev/next.
    paths: Vec<crate::paths::PathPosition<'a>>,
}

impl<'a> Ctx<'a> {
    /// The full view of page `id`.
    pub fn page_view(&self, id: PageId) -> PageView<'a> {
        let site = self.site;
        let p = &site.pages[id];
        let g = &site.graph;
        reads::record(Read::Graph(id));
        PageView {
            entry: self.page_ref(id),
            own: self.page_own(id),
            breadcrumbs: self.breadcrumbs(p.section),
            backlinks: g.backlinks[id]
                .iter()
                .map(|(b, ex)| Backlink {
                    page: self.page_ref(*b),
                    excerpt: ex,
                })
                .collect(),
            related: self.page_refs(&g.related[id]),
            series: g.series_of[id].map(|(si, pos)| self.series_view(si, pos)),
            pair: g.pair[id].map(|b| self.page_ref(b)),
            taxonomies: site
                .taxonomies
                .iter_enumerated()
                .map(|(ti, t)| (t.name.as_str(), self.terms_in(id, ti)))
                .collect(),
            paths: self.path_positions(id),
        }
    }

    /// Where page `id` stands on each reading path. Reads every path page (a page joins or
    /// leaves a path by an edit of the path, not of the page) and the titles of the entries.
    fn path_positions(&self, id: PageId) -> Vec<crate::paths::PathPosition<'a>> {
        let site = self.site;
        if let Some(s) = site.sections.position(|s| s.dir == crate::paths::PATHS_DIR) {
            reads::record(Read::SectionPages(s));
        }
        for path in crate::paths::paths(site) {
            reads::record(Read::PageOwn(path.page));
            for (e, _) in &path.entries {
                reads::record(Read::PageLink(*e));
            }
        }
        crate::paths::positions(site, id)
    }

    /// The page's own part of its view.
    fn page_own(&self, id: PageId) -> PageOwn<'a> {
        reads::record(Read::PageOwn(id));
        let site = self.site;
        let p = &site.pages[id];
        PageOwn {
            lede: p.meta.description.as_deref(),
            content: self.body_html(&self.bodies.pages[id].html, &p.path),
            toc: &self.bodies.pages[id].toc,
            word_count: p.scan.word_count,
            extra: &p.meta.extra,
            permalink: format!("{}{}", site.config.base_url, p.path),
            callouts: &p.scan.callouts,
            assets: p.assets.iter().map(|(_, dest)| dest.as_str()).collect(),
            template: p.meta.template.as_deref(),
            print: crate::paths::is_path(site, id).then(|| format!("print/{}", p.path)),
            owner: p.meta.owner.as_deref(),
            last_reviewed: p.meta.last_reviewed.map(|d| d.ymd()),
            git: p.git(site).map(|g| GitView {
                updated: g.updated.ymd(),
                contributors: &g.contributors,
            }),
            edit_url: site
                .config
                .edit_url
                .as_deref()
                .map(|pattern| pattern.replace("{path}", &p.shown)),
        }
    }

    fn series_view(&self, si: SeriesId, pos: usize) -> SeriesView<'a> {
        reads::record(Read::Series(si));
        let s = &self.site.graph.series[si];
        SeriesView {
            name: &s.name,
            parts: s
                .parts
                .iter()
                .enumerate()
                .map(|(i, &p)| SeriesPart {
                    page: self.page_link(p),
                    order: i + 1,
                    current: i == pos,
                })
                .collect(),
            index: pos + 1,
            total: s.parts.len(),
            prev: pos.checked_sub(1).map(|i| self.page_ref(s.parts[i])),
            next: s.parts.get(pos + 1).map(|&p| self.page_ref(p)),
        }
    }

    fn page_link(&self, p: PageId) -> Link<'a> {
        reads::record(Read::PageLink(p));
        Link {
            title: &self.site.pages[p].title,
            path: &self.site.pages[p].path,
        }
    }
}

/// A child section in a listing.
#[derive(Serialize)]
pub struct SubsectionView<'a> {
    title: &'a str,
    description: &'a str,
    path: &'a str,
    count: usize,
}

/// The `section` variable.
#[derive(Serialize)]
pub struct SectionView<'a> {
    title: &'a str,
    description: &'a str,
    path: &'a str,
    permalink: String,
    content: String,
    pages: Vec<PageRef<'a>>,
    subsections: Vec<SubsectionView<'a>>,
    /// Home → … → the parent section (the trail above this listing).
    breadcrumbs: Vec<Link<'a>>,
    /// Home → … → this section itself (the trail above page 2 and later of the listing).
    trail: Vec<Link<'a>>,
    sort_by: crate::parse::front_matter::SortBy,
    extra: &'a serde_json::Map<String, serde_json::Value>,
    /// Path of the section's Atom feed (`tips/atom.xml`); none on the home page (its feed is
    /// `site.feed`) or with feeds off.
    feed: Option<String>,
}

/// A top-level section on the home page.
#[derive(Serialize)]
pub struct HomeSection<'a> {
    title: &'a str,
    description: &'a str,
    path: &'a str,
    count: usize,
    recent: Vec<PageRef<'a>>,
}

impl<'a> Ctx<'a> {
    /// The view of section `s` showing `pages` (one pagination page).
    pub fn section_view(&self, s: SectionId, pages: &[PageId]) -> SectionView<'a> {
        reads::record(Read::SectionOwn(s));
        reads::record(Read::SectionPages(s));
        let sec = &self.site.sections[s];
        let trail = self.breadcrumbs(s);
        SectionView {
            title: &sec.title,
            description: sec.meta.description.as_deref().unwrap_or(""),
            path: &sec.path,
            permalink: format!("{}{}", self.site.config.base_url, sec.path),
            content: self.body_html(&self.bodies.sections[s].html, &sec.path),
            pages: self.page_refs(pages),
            subsections: sec
                .subsections
                .iter()
                .map(|&c| self.subsection(c))
                .collect(),
            breadcrumbs: trail[..trail.len().saturating_sub(1)].to_vec(),
            trail,
            sort_by: sec.sort_by(),
            extra: &sec.meta.extra,
            feed: (s != SectionId::HOME && self.site.config.feeds.enabled)
                .then(|| format!("{}atom.xml", sec.path)),
        }
    }

    fn subsection(&self, c: SectionId) -> SubsectionView<'a> {
        reads::record(Read::SectionLink(c));
        let s = &self.site.sections[c];
        SubsectionView {
            title: &s.title,
            description: s.meta.description.as_deref().unwrap_or(""),
            path: &s.path,
            count: s.pages.len(),
        }
    }

    /// Top-level sections with their first few pages, for the home page.
    pub fn home_sections(&self) -> Vec<HomeSection<'a>> {
        reads::record(Read::SectionPages(SectionId::HOME));
        self.site.sections[SectionId::HOME]
            .subsections
            .iter()
            .map(|&c| {
                reads::record(Read::SectionLink(c));
                reads::record(Read::SectionPages(c));
                let s = &self.site.sections[c];
                HomeSection {
                    title: &s.title,
                    description: s.meta.description.as_deref().unwrap_or(""),
                    path: &s.path,
                    count: s.pages.len(),
                    recent: self.page_refs(&s.pages[..s.pages.len().min(3)]),
                }
            })
            .collect()
    }
}

/// One numbered pagination page.
#[derive(Serialize)]
pub struct PagerLink {
    number: usize,
    path: String,
}

/// The `pagination` variable.
#[derive(Serialize)]
pub struct Pagination {
    current: usize,
    total_pages: usize,
    per_page: usize,
    total_items: usize,
    first: String,
    last: String,
    previous: Option<String>,
    next: Option<String>,
    pages: Vec<PagerLink>,
}

/// Path of pagination page `n` (1-based) of a listing at `base`.
pub fn pager_path(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_owned()
    } else {
        format!("{base}page/{n}/")
    }
}

impl Pagination {
    /// Pagination page `current` of `total_items` at `per_page` each.
    pub fn new(base: &str, current: usize, per_page: usize, total_items: usize) -> Self {
        let total_pages = total_items.div_ceil(per_page).max(1);
        Pagination {
            current,
            total_pages,
            per_page,
            total_items,
            first: pager_path(base, 1),
            last: pager_path(base, total_pages),
            previous: (current > 1).then(|| pager_path(base, current - 1)),
            next: (current < total_pages).then(|| pager_path(base, current + 1)),
            pages: (1..=total_pages)
                .map(|n| PagerLink {
                    number: n,
                    path: pager_path(base, n),
                })
                .collect(),
        }
    }
}

/// `site` in every template (built once per build, placed in Tera's global context).
#[derive(Serialize)]
pub struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: &'a str,
    extra: &'a toml::Table,
    nav: Vec<Link<'a>>,
    taxonomies: Vec<TaxonomyLink<'a>>,
    search: bool,
    feed: Option<&'static str>,
    generator: String,
}

/// A taxonomy in the site navigation.
#[derive(Serialize)]
pub struct TaxonomyLink<'a> {
    name: &'a str,
    title: &'a str,
    path: &'a str,
    count: usize,
}

/// The `site` view.
pub fn site_view(site: &Site) -> SiteView<'_> {
    let c = &site.config;
    SiteView {
        title: &c.title,
        description: &c.description,
        language: &c.language,
        base_url: &c.base_url,
        extra: &c.extra,
        nav: site.sections[SectionId::HOME]
            .subsections
            .iter()
            .map(|&s| Link {
                title: &site.sections[s].title,
                path: &site.sections[s].path,
            })
            .collect(),
        taxonomies: site
            .taxonomies
            .iter()
            .map(|t| TaxonomyLink {
                name: &t.name,
                title: &t.title,
                path: &t.path,
                count: t.terms.len(),
            })
            .collect(),
        search: c.search.enabled,
        feed: c.feeds.enabled.then_some("atom.xml"),
        generator: format!("binder {}", env!("CARGO_PKG_VERSION")),
    }
}

/// A term in a taxonomy list.
#[derive(Serialize)]
pub struct TermEntry<'a> {
    name: &'a str,
    slug: &'a str,
    path: &'a str,
    count: usize,
}

/// The `taxonomy` variable.
#[derive(Serialize)]
pub struct TaxonomyView<'a> {
    name: &'a str,
    title: &'a str,
    path: &'a str,
    terms: Vec<TermEntry<'a>>,
    /// The terms as a hierarchy (glossary `parent`): roots with nested `children`.
    tree: Vec<crate::glossary::views::TreeNode<'a>>,
}

/// The `term` variable.
#[derive(Serialize)]
pub struct TermView<'a> {
    name: &'a str,
    slug: &'a str,
    path: &'a str,
    count: usize,
    pages: Vec<PageRef<'a>>,
    glossary: Option<String>,
    /// Glossary relations: synonyms, broader, narrower and related terms.
    #[serde(flatten)]
    relations: crate::glossary::views::TermRelations<'a>,
    /// Path of the term's Atom feed (`concepts/trust/atom.xml`), if the taxonomy has feeds.
    feed: Option<String>,
}

impl<'a> Ctx<'a> {
    /// Taxonomy `t` with all its terms, sorted by name.
    pub fn taxonomy_view(&self, t: TaxonomyId) -> TaxonomyView<'a> {
        reads::record(Read::Taxonomy(t));
        let tax = &self.site.taxonomies[t];
        let mut terms: Vec<TermEntry<'a>> = tax
            .terms
            .iter()
            .map(|term| TermEntry {
                name: &term.name,
                slug: &term.slug,
                path: &term.path,
                count: term.pages.len(),
            })
            .collect();
        terms.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then(a.slug.cmp(b.slug))
        });
        TaxonomyView {
            name: &tax.name,
            title: &tax.title,
            path: &tax.path,
            terms,
            tree: crate::glossary::views::tree(tax),
        }
    }

    /// Term `id`, showing `pages`.
    pub fn term_view(&self, id: TermId, pages: &[PageId]) -> TermView<'a> {
        reads::record(Read::Term(id));
        let tax = &self.site.taxonomies[id.taxonomy];
        let term = &tax.terms[id.term];
        let glossary = (self.bodies.glossary.get(&id)).map(|b| self.body_html(&b.html, &term.path));
        TermView {
            name: &term.name,
            slug: &term.slug,
            path: &term.path,
            count: term.pages.len(),
            pages: self.page_refs(pages),
            glossary,
            relations: crate::glossary::views::term_relations(tax, id.term),
            feed: (self.site.config.feeds.enabled && tax.feed)
                .then(|| format!("{}atom.xml", term.path)),
        }
    }
}

impl Ctx<'_> {
    /// The value of read `r` in this model, as a hash (what `serve` compares between
    /// builds). Built by the views themselves where they exist; `root` does not matter.
    pub fn read_hash(&self, r: Read) -> u64 {
        let site = self.site;
        let rel = |p: &PageId| site.pages[*p].rel.as_str();
        let rels = |ps: &[PageId]| ps.iter().map(rel).collect::<Vec<_>>();
        match r {
            Read::PageOwn(p) => {
                let own = self.page_own(p);
                value_hash(&(&own, own.template))
            }
            Read::Entry(p) => value_hash(&self.page_ref(p)),
            Read::PageLink(p) => value_hash(&self.page_link(p)),
            Read::Graph(p) => {
                let g = &site.graph;
                let backlinks: Vec<_> = g.backlinks[p].iter().map(|(b, e)| (rel(b), e)).collect();
                let series = g.series_of[p].map(|(s, pos)| (&g.series[s].name, pos));
                value_hash(&(
                    backlinks,
                    rels(&g.related[p]),
                    series,
                    g.pair[p].as_ref().map(rel),
                ))
            }
            Read::Terms(p, t) => value_hash(&self.terms_in(p, t)),
            Read::Series(s) => {
                let s = &site.graph.series[s];
                value_hash(&(&s.name, rels(&s.parts)))
            }
            Read::SectionOwn(s) => {
                let sec = &site.sections[s];
                let view = self.section_view(s, &[]);
                value_hash(&(view, &sec.meta.template, sec.paginate_by(), &sec.shown))
            }
            Read::SectionLink(s) => value_hash(&self.subsection(s)),
            Read::SectionPages(s) => {
                let sec = &site.sections[s];
                let subs: Vec<&str> = sec
                    .subsections
                    .iter()
                    .map(|&c| &*site.sections[c].dir)
                    .collect();
                value_hash(&(rels(&sec.pages), subs))
            }
            Read::Taxonomy(t) => {
                let tax = &site.taxonomies[t];
                value_hash(&(self.taxonomy_view(t), tax.paginate_by, tax.feed))
            }
            Read::Term(id) => {
                let term = &site.taxonomies[id.taxonomy].terms[id.term];
                let glossary = term.glossary.as_ref().map(|g| &g.meta.description);
                value_hash(&(self.term_view(id, &[]), rels(&term.pages), glossary))
            }
            Read::ConceptMap(t) => value_hash(&crate::render::concept_map(site, t, self.root)),
        }
    }
}

/// Relative prefix from output path `path` (`tips/ask/`) to the root (`../../`; `./` at home).
pub fn root_prefix(path: &str) -> String {
    let depth = path.split('/').filter(|s| !s.is_empty()).count();
    if depth == 0 {
        "./".to_owned()
    } else {
        "../".repeat(depth)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_prefix_counts_segments() {
        assert_eq!(root_prefix(""), "./");
        assert_eq!(root_prefix("tips/"), "../");
        assert_eq!(root_prefix("tips/ask/"), "../../");
        assert_eq!(root_prefix("tips/page/2/"), "../../../");
    }

    #[test]
    fn pagination_paths() {
        let p = Pagination::new("tips/", 2, 10, 25);
        assert_eq!(p.total_pages, 3);
        assert_eq!(p.previous.as_deref(), Some("tips/"));
        assert_eq!(p.next.as_deref(), Some("tips/page/3/"));
        assert_eq!(p.pages.len(), 3);
        let p = Pagination::new("tips/", 1, 10, 0);
        assert_eq!(p.total_pages, 1);
        assert!(p.next.is_none());
    }
}
