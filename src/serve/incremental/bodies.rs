//! Rendered bodies of a rebuilt model, reusing the previous build's wherever the text and
//! resolved links match.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{PageId, ResolvedLinks, Site, TiVec};
use crate::parse::highlight::Highlighter;
use crate::render::{self, Bodies, Body};

use super::inputs::Inputs;

/// What a later build needs to know about one page's body in this build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct PageMemo {
    /// Hash of the source text.
    pub(super) text: u64,
    /// Hash of the resolved links (a body is rendered again when they change).
    pub(super) links: u64,
}

/// The previous build's bodies, to reuse (move out) by source path.
pub(super) struct OldBodies<'a> {
    pub(super) site: &'a Site,
    pub(super) memo: &'a TiVec<PageId, PageMemo>,
    pub(super) bodies: &'a mut TiVec<PageId, Body>,
    pub(super) diags: &'a mut TiVec<PageId, Vec<Diagnostic>>,
}

/// Page bodies of `site`: reused where the text and resolved links match the previous
/// build's page at the same path, rendered otherwise. Section and glossary bodies are left
/// empty (see [`other_bodies`]).
pub(super) fn page_bodies(
    site: &Site,
    hl: &Highlighter,
    inputs: &Inputs,
    old: Option<OldBodies<'_>>,
) -> (
    Bodies,
    TiVec<PageId, PageMemo>,
    TiVec<PageId, Vec<Diagnostic>>,
) {
    let n = site.pages.len();
    let texts: TiVec<PageId, u64> = site
        .pages
        .iter()
        .map(|p| inputs.text_hash(&p.rel))
        .collect();
    let links: TiVec<PageId, u64> = site
        .pages
        .raw
        .par_iter()
        .map(|p| links_hash(&p.links))
        .collect::<Vec<_>>()
        .into();
    let mut pages = match old {
        Some(old) => reuse(site, old, &texts, &links),
        None => (0..n).map(|_| None).collect(),
    };
    let missing: Vec<PageId> = pages.keys().filter(|&i| pages[i].is_none()).collect();
    let fresh: Vec<(PageId, (Body, Vec<Diagnostic>))> = missing
        .into_par_iter()
        .map(|i| (i, render_page_body(site, hl, i)))
        .collect();
    for (i, (body, d)) in fresh {
        pages[i] = Some((body, d));
    }
    let mut bodies = Bodies {
        pages: TiVec::with_capacity(n),
        ..Bodies::default()
    };
    let mut body_diags = TiVec::with_capacity(n);
    for (body, d) in pages.into_iter().flatten() {
        bodies.pages.push(body);
        body_diags.push(d);
    }
    let memo = texts
        .into_iter()
        .zip(links)
        .map(|(text, links)| PageMemo { text, links })
        .collect();
    (bodies, memo, body_diags)
}

/// A body with its warnings.
type Rendered = (Body, Vec<Diagnostic>);

/// Moves over the previous build's bodies whose page (matched by path) has the same text
/// and resolved links.
fn reuse(
    site: &Site,
    old: OldBodies<'_>,
    texts: &TiVec<PageId, u64>,
    links: &TiVec<PageId, u64>,
) -> TiVec<PageId, Option<Rendered>> {
    let mut pages: TiVec<PageId, Option<Rendered>> = site.pages.iter().map(|_| None).collect();
    let by_rel: HashMap<&str, PageId> = old
        .site
        .pages
        .iter_enumerated()
        .map(|(i, p)| (p.rel.as_str(), i))
        .collect();
    for (id, p) in site.pages.iter_enumerated() {
        let Some(&o) = by_rel.get(p.rel.as_str()) else {
            continue;
        };
        let m = old.memo[o];
        if m.text == texts[id] && m.links == links[id] {
            let body = std::mem::take(&mut old.bodies[o]);
            pages[id] = Some((body, std::mem::take(&mut old.diags[o])));
        }
    }
    pages
}

/// Renders the body of page `i`.
pub(super) fn render_page_body(
    site: &Site,
    hl: &Highlighter,
    i: PageId,
) -> (Body, Vec<Diagnostic>) {
    let p = &site.pages[i];
    render::render_body(site, hl, &p.doc)
}

/// Section and glossary bodies: few, so always rendered when the model is rebuilt.
pub(super) fn other_bodies(
    site: &Site,
    hl: &Highlighter,
    bodies: &mut Bodies,
    diags: &mut Diagnostics,
) {
    render::render_other_bodies(site, hl, bodies, diags);
}

/// Hash of a body's resolved links (order-independent: the map has no order).
pub(super) fn links_hash(links: &ResolvedLinks) -> u64 {
    links
        .iter()
        .map(|(offset, l)| render::reads::value_hash(&(offset, &l.href, &l.text)))
        .fold(links.len() as u64, u64::wrapping_add)
}
