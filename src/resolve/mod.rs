//! Resolve stage: internal links → target URLs, then the graph between pages (backlinks,
//! related articles, series, pairs).
//!
//! Links are resolved against an [`index::Index`] of every source path, title, slug and alias;
//! a broken link, a missing anchor or an ambiguous wikilink becomes a located diagnostic with
//! the closest candidates. Hrefs are written as [`crate::model::ROOT_MARK`] + target path, so the render
//! stage can make them relative to wherever the body is shown.

mod index;
mod links;
mod pairs;
mod related;
mod report;
mod series;
mod suggest;

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{PageId, ResolvedLinks, Site};
use crate::parse::markdown::{LinkKind, LinkRef, ResolvedLink, Scan};

pub use index::{Index, Target};
pub use links::join;
use links::{Body, parent, resolve_link};
use report::Located;

/// Where a body's text lives, for locating its problems.
struct Source<'a> {
    shown: &'a str,
    text: &'a Arc<str>,
    body_start: usize,
}

/// What resolving one body produced.
#[derive(Default)]
struct Resolved {
    links: HashMap<usize, ResolvedLink>,
    pages: Vec<(PageId, usize)>, // (target, index into scan.links)
    assets: Vec<(String, String)>,
    problems: Vec<Located>,
}

/// Resolves the links of every page and section; with `[links] broken = "warn"`, warnings
/// of one cause are grouped unless `verbose`.
pub fn resolve(site: &mut Site, diags: &mut Diagnostics, verbose: bool) {
    let index = Index::new(site);
    let page_results: Vec<Resolved> = site
        .pages
        .par_iter()
        .map(|p| {
            let body = Body {
                rel: &p.rel,
                out_dir: Some(&p.path),
                scan: &p.scan,
            };
            let src = Source {
                shown: &p.shown,
                text: &p.text,
                body_start: p.body_start,
            };
            resolve_body(&index, &body, &src)
        })
        .collect();
    let section_results: Vec<Resolved> = site
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let body = Body {
                rel: index.rel(Target::Section(i)),
                out_dir: None,
                scan: &s.scan,
            };
            let src = Source {
                shown: &s.shown,
                text: &s.text,
                body_start: s.body_start,
            };
            resolve_body(&index, &body, &src)
        })
        .collect();
    drop(index);
    let mut problems = Vec::new();
    let mut backlinks: Vec<Vec<(PageId, String)>> = vec![Vec::new(); site.pages.len()];
    let mut excerpt_links = vec![Vec::new(); site.pages.len()];
    for (id, r) in page_results.into_iter().enumerate() {
        let page = &mut site.pages[id];
        for &(target, li) in &r.pages {
            if target != id && !page.outgoing.contains(&target) {
                page.outgoing.push(target);
                excerpt_links[id].push(li);
                backlinks[target].push((id, excerpt(&page.scan.links[li])));
            }
        }
        page.links = r.links;
        page.assets = r.assets;
        problems.extend(r.problems);
    }
    for (s, r) in site.sections.iter_mut().zip(section_results) {
        s.links = r.links;
        problems.extend(r.problems);
    }
    report::report(problems, site.config.links.broken, verbose, diags);
    site.graph.backlinks = backlinks;
    site.graph.excerpt_links = excerpt_links;
}

/// Links resolved again after a page was retitled (see [`relink`]).
#[derive(Default)]
pub struct Relinked {
    /// Per page with a wikilink among those asked for: its links and the pages they reach.
    pub pages: Vec<(PageId, ResolvedLinks, Vec<PageId>)>,
    /// Per section with a wikilink.
    pub sections: Vec<(usize, ResolvedLinks)>,
    /// Per glossary entry with a wikilink, by (taxonomy, term).
    pub glossary: Vec<((usize, usize), ResolvedLinks)>,
}

/// Resolves again, against the site as it is now, the links of those of pages `ids` and of
/// the sections and glossary entries that have wikilinks (only a wikilink shows a title:
/// `serve` does this for the pages linking to a retitled page). `None` if a link no longer
/// resolves, or a wikilink anywhere mentions one of the new titles `names` (it may now
/// point elsewhere or be ambiguous: the full build sorts that out).
pub fn relink(site: &Site, ids: &[PageId], names: &[&str]) -> Option<Relinked> {
    let names: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    fn wikis(scan: &Scan) -> impl Iterator<Item = &LinkRef> {
        scan.links.iter().filter(|l| l.kind == LinkKind::Wiki)
    }
    let glossaries = || {
        site.taxonomies.iter().enumerate().flat_map(|(ti, t)| {
            t.terms
                .iter()
                .enumerate()
                .filter_map(move |(i, term)| Some(((ti, i), t, term, term.glossary.as_ref()?)))
        })
    };
    let scans = site
        .pages
        .iter()
        .map(|p| &p.scan)
        .chain(site.sections.iter().map(|s| &s.scan))
        .chain(glossaries().map(|(_, _, _, g)| &g.scan));
    let mentions = |dest: &str| {
        let dest = dest.to_lowercase();
        names.iter().any(|n| dest.contains(n.as_str()))
    };
    if scans.flat_map(wikis).any(|l| mentions(&l.dest)) {
        return None;
    }
    let has_wiki = |scan: &Scan| wikis(scan).next().is_some();
    let ids: Vec<PageId> = ids
        .iter()
        .copied()
        .filter(|&i| has_wiki(&site.pages[i].scan))
        .collect();
    let sections: Vec<usize> = (0..site.sections.len())
        .filter(|&s| has_wiki(&site.sections[s].scan))
        .collect();
    let glossary: Vec<_> = glossaries()
        .filter(|(_, _, _, g)| has_wiki(&g.scan))
        .collect();
    if ids.is_empty() && sections.is_empty() && glossary.is_empty() {
        return Some(Relinked::default());
    }
    let index = Index::new(site);
    let run = |body: Body<'_>, src: Source<'_>| {
        let r = resolve_body(&index, &body, &src);
        r.problems.is_empty().then_some(r)
    };
    let mut out = Relinked::default();
    for id in ids {
        let p = &site.pages[id];
        let r = run(
            Body {
                rel: &p.rel,
                out_dir: Some(&p.path),
                scan: &p.scan,
            },
            Source {
                shown: &p.shown,
                text: &p.text,
                body_start: p.body_start,
            },
        )?;
        let mut reached: Vec<PageId> = Vec::new();
        for &(t, _) in &r.pages {
            if t != id && !reached.contains(&t) {
                reached.push(t);
            }
        }
        out.pages.push((id, r.links, reached));
    }
    for s in sections {
        let sec = &site.sections[s];
        let rel = if sec.dir.is_empty() {
            "_index.md".to_owned()
        } else {
            format!("{}/_index.md", sec.dir)
        };
        let r = run(
            Body {
                rel: &rel,
                out_dir: None,
                scan: &sec.scan,
            },
            Source {
                shown: &sec.shown,
                text: &sec.text,
                body_start: sec.body_start,
            },
        )?;
        out.sections.push((s, r.links));
    }
    for (key, t, term, g) in glossary {
        let rel = format!("{}/{}.md", t.name, term.slug);
        let r = run(
            Body {
                rel: &rel,
                out_dir: None,
                scan: &g.scan,
            },
            Source {
                shown: &g.shown,
                text: &g.text,
                body_start: g.body_start,
            },
        )?;
        out.glossary.push((key, r.links));
    }
    Some(out)
}

/// Resolves the links of glossary bodies (called by the taxonomy stage once terms exist).
pub fn resolve_glossary(site: &mut Site, diags: &mut Diagnostics) {
    let index = Index::new(site);
    let mut results = Vec::new();
    for (ti, t) in site.taxonomies.iter().enumerate() {
        for (i, term) in t.terms.iter().enumerate() {
            if let Some(g) = &term.glossary {
                let rel = format!("{}/{}.md", t.name, term.slug);
                let body = Body {
                    rel: &rel,
                    out_dir: None,
                    scan: &g.scan,
                };
                let src = Source {
                    shown: &g.shown,
                    text: &g.text,
                    body_start: g.body_start,
                };
                results.push((ti, i, resolve_body(&index, &body, &src)));
            }
        }
    }
    drop(index);
    let mut problems = Vec::new();
    for (ti, i, r) in results {
        if let Some(g) = site.taxonomies[ti].terms[i].glossary.as_mut() {
            g.links = r.links;
        }
        problems.extend(r.problems);
    }
    // Glossary entries are few: their problems are listed one by one.
    report::report(problems, site.config.links.broken, true, diags);
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

fn resolve_body(index: &Index, body: &Body, src: &Source) -> Resolved {
    let mut out = Resolved::default();
    for (li, link) in body.scan.links.iter().enumerate() {
        match resolve_link(index, body, link) {
            Ok(Some(r)) => {
                if let Some(note) = r.note {
                    let span = src.body_start + link.range.start..src.body_start + link.range.end;
                    out.problems.push(Located {
                        diag: Diagnostic::warning(src.shown, note.message)
                            .at(src.text, span)
                            .with_hint(note.hint.unwrap_or_default()),
                        cause: note.cause,
                        detail: note.detail,
                    });
                }
                if let Some(Target::Page(p)) = r.target {
                    out.pages.push((p, li));
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
                let mut d = Diagnostic::error(src.shown, problem.message).at(src.text, span);
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
