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
use crate::model::{PageId, Site};
use crate::parse::markdown::{LinkRef, ResolvedLink};

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
    for (id, r) in page_results.into_iter().enumerate() {
        let page = &mut site.pages[id];
        for &(target, li) in &r.pages {
            if target != id && !page.outgoing.contains(&target) {
                page.outgoing.push(target);
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

/// The sentence around a link, for a backlink excerpt (`serve` recomputes it after a body
/// edit without resolving the whole site again).
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
