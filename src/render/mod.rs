//! Render stage: the resolved [`Site`] → output files.
//!
//! First every Markdown body is rendered once, in parallel ([`Bodies`]); then the site is cut
//! into [`Job`]s, one per output file (a page, a listing page, a feed…), which are independent
//! and rendered in parallel straight into a [`crate::write::Sink`]: the whole site's HTML is
//! never held at once. `serve` re-renders only the jobs an edit can change.

pub mod embeds;
pub mod i18n;
pub mod reads;
pub mod reuse;
pub mod templates;
pub mod theme;
pub mod views;

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Doc, DocId, PageId, ResolvedLinks, SectionId, Site, TaxonomyId, TermId, TiVec};
use crate::parse::highlight::Highlighter;
use crate::parse::markdown::{self, LinkKind, LinkResolver, RenderOptions, ResolvedLink, TocEntry};
use templates::Templates;
use typed_index_collections::ti_vec;
use views::{Ctx, Pagination, pager_path, root_prefix};

pub use crate::model::RESERVED_PATHS;

/// One rendered Markdown body.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// Body HTML with internal hrefs starting with [`crate::model::ROOT_MARK`].
    pub html: String,
    /// Summary HTML, same convention.
    pub summary_html: String,
    /// Nested table of contents.
    pub toc: Vec<TocEntry>,
}

/// Every rendered body of the site.
#[derive(Debug, Default, Clone)]
pub struct Bodies {
    /// Per page.
    pub pages: TiVec<PageId, Body>,
    /// Per section.
    pub sections: TiVec<SectionId, Body>,
    /// Per term with a glossary entry.
    pub glossary: HashMap<TermId, Body>,
}

/// Answers the Markdown renderer from the links the resolve stage found.
pub struct MapResolver<'a>(pub &'a ResolvedLinks);

impl LinkResolver for MapResolver<'_> {
    fn resolve(&self, _kind: LinkKind, _dest: &str, offset: usize) -> Option<ResolvedLink> {
        self.0.get(&offset).cloned()
    }
}

impl Bodies {
    /// Stores the rendered body of document `id`.
    fn set(&mut self, id: DocId, body: Body) {
        match id {
            DocId::Page(i) => self.pages[i] = body,
            DocId::Section(i) => self.sections[i] = body,
            DocId::Glossary(t) => {
                self.glossary.insert(t, body);
            }
        }
    }
}

/// Renders one document's body; Markdown warnings are located in its file.
pub fn render_body(site: &Site, hl: &Highlighter, doc: &Doc) -> (Body, Vec<Diagnostic>) {
    let md = site.config.markdown_options();
    let opts = RenderOptions {
        markdown: &md,
        highlighter: hl,
        id_prefix: None,
        renderer_words: Some(&site.config.renderer_words),
    };
    let mut r = markdown::render(doc.body(), &opts, &MapResolver(&doc.links));
    // Bodies live until the build ends; the slack a growing String leaves (up to half of
    // it) came to ~35 MB at 10,000 articles.
    r.html.shrink_to_fit();
    r.summary_html.shrink_to_fit();
    let diags = r
        .warnings
        .into_iter()
        .map(|w| {
            let at = doc.body_start + w.offset;
            let d = Diagnostic::warning(&doc.shown, w.message).at(&doc.text, at..at + 1);
            match w.hint {
                Some(h) => d.with_hint(h),
                None => d,
            }
        })
        .collect();
    (
        Body {
            html: r.html,
            summary_html: r.summary_html,
            toc: markdown::toc(&doc.scan.headings),
        },
        diags,
    )
}

/// What [`render_body`] renders a document from, besides the site's Markdown options and
/// highlighting (a change to those renders everything again): its text (the body, and the
/// front matter before it, which places the warnings) and its resolved links. Equal keys
/// mean equal bodies, so `serve` keeps a body whose key did not change.
pub fn body_key(doc: &Doc) -> u64 {
    // The links map has no order: combine its entries' hashes with an order-free sum.
    let links = (doc.links.iter())
        .map(|(offset, l)| reads::value_hash(&(offset, &l.href, &l.text)))
        .fold(doc.links.len() as u64, u64::wrapping_add);
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(doc.text.as_bytes());
    h.update(&links.to_le_bytes());
    h.digest()
}

/// Renders every body of the site in parallel.
pub fn render_bodies(site: &Site, hl: &Highlighter, diags: &mut Diagnostics) -> Bodies {
    let mut bodies = Bodies {
        pages: ti_vec![Body::default(); site.pages.len()],
        sections: ti_vec![Body::default(); site.sections.len()],
        glossary: HashMap::new(),
    };
    render_into(site, hl, site.docs(), &mut bodies, diags);
    bodies
}

/// Renders the section and glossary bodies into `bodies` (few, so `serve` re-renders them
/// whenever the model is rebuilt).
pub fn render_other_bodies(
    site: &Site,
    hl: &Highlighter,
    bodies: &mut Bodies,
    diags: &mut Diagnostics,
) {
    bodies.sections = ti_vec![Body::default(); site.sections.len()];
    bodies.glossary.clear();
    let others = site.docs().filter(|(id, _)| !matches!(id, DocId::Page(_)));
    render_into(site, hl, others, bodies, diags);
}

/// Renders `docs` in parallel into `bodies`, their warnings into `diags`.
fn render_into<'a>(
    site: &'a Site,
    hl: &Highlighter,
    docs: impl Iterator<Item = (DocId, &'a Doc)>,
    bodies: &mut Bodies,
    diags: &mut Diagnostics,
) {
    let docs: Vec<(DocId, &Doc)> = docs.collect();
    let rendered: Vec<(DocId, Body, Vec<Diagnostic>)> = docs
        .par_iter()
        .map(|&(id, doc)| {
            let (body, warnings) = render_body(site, hl, doc);
            (id, body, warnings)
        })
        .collect();
    for (id, body, warnings) in rendered {
        diags.extend(warnings);
        bodies.set(id, body);
    }
}

/// One output file (or a small group of them) to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    /// An article page.
    Page(PageId),
    /// Pagination page `n` (1-based) of a section listing (the home page is section 0).
    Section(SectionId, usize),
    /// A taxonomy's list page (`/concepts/`).
    TaxonomyList(TaxonomyId),
    /// Pagination page `n` (1-based) of a term page.
    Term(TermId, usize),
    /// `404.html`.
    NotFound,
    /// `syntax.css`, the highlighting stylesheet.
    SyntaxCss,
}

/// Who produces `job`'s files, in an author's words, for the output registry ("the article
/// content/tips/ask.md", "the section page of content/tips").
pub fn job_owner(site: &Site, job: Job) -> String {
    match job {
        Job::Page(p) => format!("the article {}", site.pages[p].shown),
        Job::Section(s, _) if s == SectionId::HOME => "the home page".to_owned(),
        Job::Section(s, _) => format!("the section page of {}", site.sections[s].shown),
        Job::TaxonomyList(t) => format!("the `{}` list page", site.taxonomies[t].name),
        Job::Term(id, _) => {
            let t = &site.taxonomies[id.taxonomy];
            format!("the `{}` term page `{}`", t.name, t.terms[id.term].slug)
        }
        Job::NotFound => "the 404 page".to_owned(),
        Job::SyntaxCss => "the highlighting stylesheet syntax.css".to_owned(),
    }
}

/// The identity of `job` across builds: page and term indexes shift when articles come and
/// go; source paths, folders, names and slugs do not.
pub fn job_key(site: &Site, job: Job) -> u64 {
    let key = match job {
        Job::Page(id) => ("page", site.pages[id].rel.as_str(), "", 0),
        Job::Section(s, n) => ("section", site.sections[s].dir.as_str(), "", n),
        Job::TaxonomyList(t) => ("taxonomy", site.taxonomies[t].name.as_str(), "", 0),
        Job::Term(id, n) => {
            let tax = &site.taxonomies[id.taxonomy];
            (
                "term",
                tax.name.as_str(),
                tax.terms[id.term].slug.as_str(),
                n,
            )
        }
        Job::NotFound => ("404", "", "", 0),
        Job::SyntaxCss => ("syntax.css", "", "", 0),
    };
    reads::value_hash(&key)
}

/// A rendered output file: path below the output root and its bytes.
#[derive(Debug, Clone)]
pub struct Output {
    /// `tips/ask/index.html`.
    pub path: String,
    /// File contents.
    pub bytes: Vec<u8>,
}

/// Compiled templates and the highlighter: built once, used by every job.
pub struct Renderer {
    /// Templates.
    pub templates: Templates,
    /// Code highlighter (its syntax set loads lazily, once per process).
    pub highlighter: std::sync::Arc<Highlighter>,
}

impl Renderer {
    /// Loads templates for `site` and puts `site` into the global template context.
    pub fn new(
        site: &Site,
        highlighter: std::sync::Arc<Highlighter>,
    ) -> Result<Self, Vec<Diagnostic>> {
        let mut templates = templates::load(&site.root, &site.config)?;
        templates
            .tera
            .global_context()
            .insert("site", &views::site_view(site));
        Ok(Renderer {
            templates,
            highlighter,
        })
    }
}

/// Every job of a full build, in a stable order.
pub fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs: Vec<Job> = site.pages.keys().map(Job::Page).collect();
    for (i, s) in site.sections.iter_enumerated() {
        let n = s.pages.len().div_ceil(s.paginate_by()).max(1);
        jobs.extend((1..=n).map(|k| Job::Section(i, k)));
    }
    for (taxonomy, t) in site.taxonomies.iter_enumerated() {
        jobs.push(Job::TaxonomyList(taxonomy));
        for (term, entry) in t.terms.iter_enumerated() {
            let n = entry.pages.len().div_ceil(t.paginate_by).max(1);
            let id = TermId { taxonomy, term };
            jobs.extend((1..=n).map(|k| Job::Term(id, k)));
        }
    }
    jobs.push(Job::NotFound);
    jobs.push(Job::SyntaxCss);
    jobs
}

/// Common variables of every HTML page.
#[derive(Serialize)]
struct Frame<'a> {
    root: &'a str,
    current_path: &'a str,
    canonical: String,
    title: &'a str,
    description: &'a str,
}

impl Renderer {
    /// Renders one job.
    pub fn render(
        &self,
        site: &Site,
        bodies: &Bodies,
        job: Job,
    ) -> Result<Vec<Output>, Diagnostic> {
        match job {
            Job::Page(id) => self.page(site, bodies, id),
            Job::Section(s, n) => self.section(site, bodies, s, n),
            Job::TaxonomyList(t) => self.taxonomy_list(site, bodies, t),
            Job::Term(id, n) => self.term(site, bodies, id, n),
            Job::NotFound => {
                let ctx = self.context(site, "404.html", "Page not found", "", |_, _| {});
                self.html(site, "404.html", "404.html", ctx, "404.html")
            }
            Job::SyntaxCss => {
                let h = &site.config.highlight;
                let css = Highlighter::stylesheet(&h.light_theme, &h.dark_theme).map_err(|e| {
                    Diagnostic::error("site.toml", e.to_string()).with_hint(
                        "set [highlight] light_theme / dark_theme to a theme name binder knows",
                    )
                })?;
                Ok(vec![Output {
                    path: "syntax.css".into(),
                    bytes: css.into_bytes(),
                }])
            }
        }
    }

    /// A context with the frame variables; `fill` adds the template's own.
    fn context(
        &self,
        site: &Site,
        path: &str,
        title: &str,
        description: &str,
        fill: impl FnOnce(&mut tera::Context, &str),
    ) -> tera::Context {
        let root = if path == "404.html" {
            site_root_for_404(site)
        } else {
            root_prefix(path)
        };
        let mut ctx = tera::Context::new();
        let canonical = format!(
            "{}{}",
            site.config.base_url,
            path.trim_end_matches("404.html")
        );
        let frame = Frame {
            root: &root,
            current_path: path,
            canonical,
            title,
            description,
        };
        ctx.insert("root", &frame.root);
        ctx.insert("current_path", &frame.current_path);
        ctx.insert("canonical", &frame.canonical);
        ctx.insert("title", &frame.title);
        ctx.insert("description", &frame.description);
        fill(&mut ctx, &root);
        ctx
    }

    fn html(
        &self,
        _site: &Site,
        template: &str,
        out_path: &str,
        ctx: tera::Context,
        shown: &str,
    ) -> Result<Vec<Output>, Diagnostic> {
        let html = self
            .templates
            .tera
            .render(template, &ctx)
            .map_err(|e| self.templates.diagnostic(&e, Some(shown)))?;
        Ok(vec![Output {
            path: out_path.to_owned(),
            bytes: html.into_bytes(),
        }])
    }

    /// Renders a page binder generates (`pairs/`, `questions/`, `print/`): `template` with the
    /// frame variables plus those `fill` adds (it gets the root prefix), to `{path}index.html`.
    pub(crate) fn generated_page(
        &self,
        site: &Site,
        template: &str,
        page: (&str, &str),
        fill: impl FnOnce(&mut tera::Context, &str),
    ) -> Result<Vec<Output>, Diagnostic> {
        let (path, title) = page;
        let ctx = self.context(site, path, title, &site.config.description, fill);
        self.html(site, template, &format!("{path}index.html"), ctx, path)
    }

    fn template_for(
        &self,
        chosen: Option<&str>,
        default: &str,
        shown: &str,
    ) -> Result<String, Diagnostic> {
        match chosen {
            Some(t) if self.templates.has(t) => Ok(t.to_owned()),
            Some(t) => Err(
                Diagnostic::error(shown, format!("template `{t}` does not exist")).with_hint(
                    format!("add templates/{t}, or remove `template:` to use `{default}`"),
                ),
            ),
            None => Ok(default.to_owned()),
        }
    }

    fn page(&self, site: &Site, bodies: &Bodies, id: PageId) -> Result<Vec<Output>, Diagnostic> {
        let p = &site.pages[id];
        let template = self.template_for(p.meta.template.as_deref(), "page.html", &p.shown)?;
        let description = p
            .meta
            .description
            .as_deref()
            .unwrap_or(&p.scan.summary_text);
        let ctx = self.context(site, &p.path, &p.title, description, |ctx, root| {
            ctx.insert("page", &Ctx { site, bodies, root }.page_view(id));
        });
        self.html(
            site,
            &template,
            &format!("{}index.html", p.path),
            ctx,
            &p.path,
        )
    }

    fn section(
        &self,
        site: &Site,
        bodies: &Bodies,
        s: SectionId,
        n: usize,
    ) -> Result<Vec<Output>, Diagnostic> {
        let sec = &site.sections[s];
        let default = if s == SectionId::HOME {
            "index.html"
        } else {
            "section.html"
        };
        let template = self.template_for(sec.meta.template.as_deref(), default, &sec.shown)?;
        let per = sec.paginate_by();
        let chunk = page_chunk(&sec.pages, per, n);
        let path = pager_path(&sec.path, n);
        let title = if s == SectionId::HOME {
            site.config.title.as_str()
        } else {
            sec.title.as_str()
        };
        let description = sec
            .meta
            .description
            .as_deref()
            .unwrap_or(&site.config.description);
        let ctx = self.context(site, &path, title, description, |ctx, root| {
            let c = Ctx { site, bodies, root };
            ctx.insert("section", &c.section_view(s, chunk));
            ctx.insert(
                "pagination",
                &Pagination::new(&sec.path, n, per, sec.pages.len()),
            );
            if s == SectionId::HOME {
                ctx.insert("sections", &c.home_sections());
            }
        });
        self.html(site, &template, &format!("{path}index.html"), ctx, &path)
    }

    fn taxonomy_list(
        &self,
        site: &Site,
        bodies: &Bodies,
        t: TaxonomyId,
    ) -> Result<Vec<Output>, Diagnostic> {
        let tax = &site.taxonomies[t];
        let ctx = self.context(site, &tax.path, &tax.title, "", |ctx, root| {
            let c = Ctx { site, bodies, root };
            ctx.insert("taxonomy", &c.taxonomy_view(t));
            reads::record(reads::Read::ConceptMap(t));
            ctx.insert("concept_map", &concept_map(site, t, root));
        });
        self.html(
            site,
            "taxonomy_list.html",
            &format!("{}index.html", tax.path),
            ctx,
            &tax.path,
        )
    }

    fn term(
        &self,
        site: &Site,
        bodies: &Bodies,
        id: TermId,
        n: usize,
    ) -> Result<Vec<Output>, Diagnostic> {
        let tax = &site.taxonomies[id.taxonomy];
        let term = &tax.terms[id.term];
        let chunk = page_chunk(&term.pages, tax.paginate_by, n);
        let path = pager_path(&term.path, n);
        let title = format!("{}: {}", tax.title, term.name);
        let description = term
            .glossary
            .as_ref()
            .and_then(|g| g.meta.description.clone())
            .unwrap_or_default();
        let ctx = self.context(site, &path, &title, &description, |ctx, root| {
            let c = Ctx { site, bodies, root };
            ctx.insert("taxonomy", &c.taxonomy_view(id.taxonomy));
            ctx.insert("term", &c.term_view(id, chunk));
            ctx.insert(
                "pagination",
                &Pagination::new(&term.path, n, tax.paginate_by, term.pages.len()),
            );
        });
        self.html(
            site,
            "taxonomy_term.html",
            &format!("{path}index.html"),
            ctx,
            &path,
        )
    }
}

/// The concept map SVG for the `concepts` list page (empty for other taxonomies).
pub(crate) fn concept_map(site: &Site, t: TaxonomyId, root: &str) -> String {
    if site.taxonomies[t].name != "concepts" {
        return String::new();
    }
    crate::render::concept_map::svg(site, t, root)
}

pub mod concept_map;

/// `404.html` sits at the root but is served for any missing path, so its links must work
/// from anywhere: they are absolute paths built from base_url's path (`/handbook/`).
fn site_root_for_404(site: &Site) -> String {
    let base = &site.config.base_url;
    let after_scheme = base.split_once("://").map_or(base.as_str(), |(_, r)| r);
    after_scheme
        .find('/')
        .map_or("/".to_owned(), |i| after_scheme[i..].to_owned())
}

/// Items of pagination page `n` (1-based).
fn page_chunk(items: &[PageId], per: usize, n: usize) -> &[PageId] {
    let start = ((n - 1) * per).min(items.len());
    &items[start..(start + per).min(items.len())]
}

/// Theme `static/` files (from the theme's folder or the binary), then site `static/` ones
/// (the site wins by path), sorted by output path.
pub fn static_files(root: &Path, theme: &str) -> Vec<(String, theme::FileSource)> {
    let theme_files = theme::Theme::locate(root, theme)
        .map(|t| t.files("static"))
        .unwrap_or_default();
    let files: std::collections::BTreeMap<String, theme::FileSource> = theme_files
        .into_iter()
        .chain(theme::folder_files(&root.join("static")))
        .collect();
    files.into_iter().collect()
}
