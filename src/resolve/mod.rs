//! Resolve stage: internal links → target URLs, then the graph between pages (backlinks,
//! related articles, series, pairs).
//!
//! Links are resolved against an [`index::Index`] of every source path, title, slug and alias;
//! a broken link, a missing anchor or an ambiguous wikilink becomes a located diagnostic with
//! the closest candidates. Hrefs are written as [`crate::model::ROOT_MARK`] + target path, so the render
//! stage can make them relative to wherever the body is shown.

mod embeds;
mod index;
mod links;
mod pairs;
pub mod patch;
mod related;
mod report;
mod series;
mod suggest;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Doc, DocId, PageId, ResolvedLinks, Site, TiVec};
use crate::parse::markdown::{LinkKind, LinkRef, ResolvedLink, Scan};

pub use index::{Index, Target};
pub use links::join;
use links::{Body, parent, resolve_link};
use report::Located;
use typed_index_collections::ti_vec;

/// What resolving one body produced.
#[derive(Default)]
struct Resolved {
    links: HashMap<usize, ResolvedLink>,
    pages: Vec<(PageId, usize)>, // (target, index into scan.links)
    assets: Vec<(String, String)>,
    problems: Vec<Located>,
    /// Embeds that include a body: (target, index into scan.links).
    embeds: Vec<(Target, usize)>,
}

/// Resolves the links of every document (pages, sections, glossary entries) in one pass
/// against one index; with `[links] broken = "warn"`, warnings of one cause are grouped
/// unless `verbose`.
pub fn resolve(site: &mut Site, diags: &mut Diagnostics, verbose: bool) {
    let index = Index::new(site);
    let results = resolve_all(site, &index);
    let mut problems = embed_problems(site, &index, &results);
    drop(index);
    let mut backlinks: TiVec<PageId, Vec<(PageId, String)>> = ti_vec![Vec::new(); site.pages.len()];
    let mut excerpt_links = ti_vec![Vec::new(); site.pages.len()];
    for (id, r) in results {
        problems.extend(r.problems);
        let DocId::Page(pid) = id else {
            if let Some(doc) = site.doc_mut(id) {
                doc.links = r.links;
            }
            continue;
        };
        let page = &mut site.pages[pid];
        for &(target, li) in &r.pages {
            if target != pid && !page.outgoing.contains(&target) {
                page.outgoing.push(target);
                excerpt_links[pid].push(li);
                backlinks[target].push((pid, excerpt(&page.scan.links[li])));
            }
        }
        page.doc.links = r.links;
        page.assets = r.assets;
    }
    report::report(problems, site.config.links.broken, verbose, diags);
    site.graph.backlinks = backlinks;
    site.graph.excerpt_links = excerpt_links;
}

/// A link that does not resolve, as `binder import` reports it.
#[derive(Debug, Clone)]
pub struct LinkProblem {
    /// The reason, as the build's grouped warnings name it (`links to missing files`).
    pub reason: &'static str,
    /// Why links fail for this reason after a migration, and what to do.
    pub advice: &'static str,
    /// What is missing or wrong (`content/x.md`, `[[Name]]`).
    pub subject: String,
    /// `content/a.md:12:5`.
    pub location: String,
    /// The link as written.
    pub detail: String,
    /// The build's message for it.
    pub message: String,
    /// The build's hint, if any.
    pub hint: Option<String>,
}

/// Every link of every page and section of `site` that does not resolve (or an embed not
/// included), in file order; the build reports the same ones as diagnostics.
pub fn link_problems(site: &Site) -> Vec<LinkProblem> {
    let index = Index::new(site);
    let results = resolve_all(site, &index);
    let embeds = embed_problems(site, &index, &results);
    let mut located: Vec<Located> = results
        .into_iter()
        .flat_map(|(_, r)| r.problems)
        .chain(embeds)
        .collect();
    located.sort_by(|a, b| {
        (&a.diag.path, a.diag.line, a.diag.col).cmp(&(&b.diag.path, b.diag.line, b.diag.col))
    });
    located
        .into_iter()
        .map(|p| LinkProblem {
            reason: p.cause.kind(),
            advice: p.cause.advice(),
            subject: p.cause.subject(),
            location: p.diag.location(),
            detail: p.detail,
            message: p.diag.message,
            hint: p.diag.hint,
        })
        .collect()
}

/// Warnings for embeds on a cycle or too deeply nested (see [`embeds`]).
fn embed_problems(site: &Site, index: &Index, results: &[(DocId, Resolved)]) -> Vec<Located> {
    // Glossary entries are never embedded, so never on a cycle: only pages and sections.
    let node = |id: DocId| match id {
        DocId::Page(i) => Some(Target::Page(i)),
        DocId::Section(i) => Some(Target::Section(i)),
        DocId::Glossary(_) => None,
    };
    let edges: Vec<embeds::Edge> = results
        .iter()
        .filter_map(|(id, r)| Some((node(*id)?, r)))
        .flat_map(|(from, r)| r.embeds.iter().map(move |&(to, li)| (from, to, li)))
        .collect();
    if edges.is_empty() {
        return Vec::new();
    }
    let name = |t: Target| format!("`{}`", index.rel(t));
    embeds::check(&edges)
        .into_iter()
        .map(|(i, trouble)| {
            let (from, to, li) = edges[i];
            let doc = match from {
                Target::Page(p) => &site.pages[p].doc,
                Target::Section(s) => &site.sections[s].doc,
            };
            let link = &doc.scan.links[li];
            let (message, hint) = match trouble {
                embeds::Trouble::Cycle(path) => (
                    format!(
                        "embed cycle: {}: where a note would include itself again it is shown as a link",
                        path.iter().map(|&t| name(t)).collect::<Vec<_>>().join(" embeds ")
                    ),
                    "remove one of these embeds, or write `[[…]]` to link instead".to_owned(),
                ),
                embeds::Trouble::TooDeep(depth) => (
                    format!(
                        "embeds nest {depth} deep from here (at most {}): the deepest notes are shown as links",
                        crate::parse::markdown::EMBED_DEPTH
                    ),
                    format!("link {} with `[[…]]` instead of embedding it", name(to)),
                ),
            };
            let span = doc.body_start + link.range.start..doc.body_start + link.range.end;
            Located {
                diag: Diagnostic::warning(&doc.shown, message)
                    .at(&doc.text, span)
                    .with_hint(hint),
                cause: report::Cause::Embed(index.rel(to).to_owned()),
                detail: format!("![[{}]]", link.dest),
            }
        })
        .collect()
}

/// Links resolved again after a page was retitled (see [`relink`]).
#[derive(Default)]
pub struct Relinked {
    /// Per page among those asked for with a wikilink: its links and the pages they reach.
    pub pages: Vec<(PageId, ResolvedLinks, Vec<PageId>)>,
    /// Per section or glossary entry with a wikilink: its links.
    pub others: Vec<(DocId, ResolvedLinks)>,
}

/// Resolves again, against the site as it is now, the links of those of pages `ids` and of
/// the sections and glossary entries that have wikilinks (only a wikilink shows a title:
/// `serve` does this for the pages linking to a retitled page). `None` if a link no longer
/// resolves, or a wikilink anywhere mentions one of the new titles `names` (it may now
/// point elsewhere or be ambiguous: the full build sorts that out).
pub fn relink(site: &Site, ids: &[PageId], names: &[&str]) -> Option<Relinked> {
    let names: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    fn wikis(scan: &Scan) -> impl Iterator<Item = &LinkRef> {
        // Embeds show the title too (the link at the top of their box).
        scan.links
            .iter()
            .filter(|l| matches!(l.kind, LinkKind::Wiki | LinkKind::Embed))
    }
    let mentions = |dest: &str| {
        let dest = dest.to_lowercase();
        names.iter().any(|n| dest.contains(n.as_str()))
    };
    if site
        .docs()
        .flat_map(|(_, d)| wikis(&d.scan))
        .any(|l| mentions(&l.dest))
    {
        return None;
    }
    let has_wiki = |doc: &Doc| wikis(&doc.scan).next().is_some();
    let todo: Vec<(DocId, &Doc)> = ids
        .iter()
        .map(|&i| (DocId::Page(i), &site.pages[i].doc))
        .chain(site.docs().filter(|(id, _)| !matches!(id, DocId::Page(_))))
        .filter(|(_, d)| has_wiki(d))
        .collect();
    let mut out = Relinked::default();
    if todo.is_empty() {
        return Some(out);
    }
    let index = Index::new(site);
    for (id, doc) in todo {
        let r = resolve_body(&index, doc, site.out_dir(id));
        if !r.problems.is_empty() {
            return None;
        }
        match id {
            DocId::Page(pid) => {
                let mut reached: Vec<PageId> = Vec::new();
                for &(t, _) in &r.pages {
                    if t != pid && !reached.contains(&t) {
                        reached.push(t);
                    }
                }
                out.pages.push((pid, r.links, reached));
            }
            other => out.others.push((other, r.links)),
        }
    }
    Some(out)
}

/// The sentence around a link, for a backlink excerpt (`serve` takes it again from an edited
/// body's link at the same index in `Graph::excerpt_links`).
pub(crate) fn excerpt(link: &LinkRef) -> String {
    let c = link.context.trim();
    if c.is_empty() {
        link.text.clone()
    } else {
        c.to_owned()
    }
}

/// Resolves the links of every document of `site` against `index`, in parallel.
fn resolve_all(site: &Site, index: &Index) -> Vec<(DocId, Resolved)> {
    let docs: Vec<(DocId, &Doc)> = site.docs().collect();
    docs.par_iter()
        .map(|&(id, doc)| (id, resolve_body(index, doc, site.out_dir(id))))
        .collect()
}

/// Resolves the links of one document; `out_dir` is the output folder of an article (where
/// the assets it references are copied).
fn resolve_body(index: &Index, doc: &Doc, out_dir: Option<&str>) -> Resolved {
    let body = &Body {
        rel: &doc.rel,
        out_dir,
        scan: &doc.scan,
    };
    let src = doc;
    let mut out = Resolved::default();
    for (li, link) in body.scan.links.iter().enumerate() {
        match resolve_link(index, body, link) {
            Ok(Some(r)) => {
                if let Some(note) = r.note {
                    let span = src.body_start + link.range.start..src.body_start + link.range.end;
                    out.problems.push(Located {
                        diag: Diagnostic::warning(&src.shown, note.message)
                            .at(&src.text, span)
                            .with_hint(note.hint.unwrap_or_default()),
                        cause: note.cause,
                        detail: note.detail,
                    });
                }
                if let Some(Target::Page(p)) = r.target {
                    out.pages.push((p, li));
                }
                if let (Some(t), Some(_)) = (r.target, &r.link.embed) {
                    out.embeds.push((t, li));
                }
                if let Some(a) = r.asset {
                    if !out.assets.contains(&a) {
                        out.assets.push(a);
                    }
                }
                out.links.insert(link.range.start, r.link);
            }
            Ok(None) => {}
            Err(problem) => {
                let span = src.body_start + link.range.start..src.body_start + link.range.end;
                let mut d = Diagnostic::error(&src.shown, problem.message).at(&src.text, span);
                d.hint = problem.hint;
                out.links.insert(link.range.start, problem.instead);
                out.problems.push(Located {
                    cause: problem.cause,
                    detail: problem.detail,
                    diag: d,
                });
            }
        }
    }
    out
}

/// Backlinks are done in [`resolve`]; this adds series, pairs and related articles.
pub fn graph(site: &mut Site, diags: &mut Diagnostics) {
    series::build(site, diags);
    pairs::build(site, diags);
    related::build(site);
}
