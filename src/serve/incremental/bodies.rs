//! Rendered bodies of a rebuilt model, reusing the previous build's wherever the text and
//! resolved links match.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{PageId, Site, TiVec};
use crate::parse::highlight::Highlighter;
use crate::render::{self, Bodies, Body};

/// What a later build needs to know about one page's body in this build: its
/// [`render::body_key`].
pub(super) type PageMemo = u64;

/// The previous build's bodies, to reuse (move out) by source path.
pub(super) struct OldBodies<'a> {
    pub(super) site: &'a Site,
    pub(super) memo: &'a TiVec<PageId, PageMemo>,
    pub(super) bodies: &'a mut TiVec<PageId, Body>,
    pub(super) diags: &'a mut TiVec<PageId, Vec<Diagnostic>>,
}

/// Page bodies of `site`: reused where the [`render::body_key`] matches the previous
/// build's page at the same path, rendered otherwise. Section and glossary bodies are left
/// empty (see [`other_bodies`]).
pub(super) fn page_bodies(
    site: &Site,
    hl: &Highlighter,
    old: Option<OldBodies<'_>>,
) -> (
    Bodies,
    TiVec<PageId, PageMemo>,
    TiVec<PageId, Vec<Diagnostic>>,
) {
    let n = site.pages.len();
    let keys: TiVec<PageId, PageMemo> = (site.pages.raw.par_iter())
        .map(|p| render::body_key(&p.doc))
        .collect::<Vec<_>>()
        .into();
    let mut pages = match old {
        Some(old) => reuse(site, old, &keys),
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
    (bodies, keys, body_diags)
}

/// A body with its warnings.
type Rendered = (Body, Vec<Diagnostic>);

/// Moves over the previous build's bodies whose page (matched by path) has the same
/// [`render::body_key`].
fn reuse(
    site: &Site,
    old: OldBodies<'_>,
    keys: &TiVec<PageId, PageMemo>,
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
        if old.memo[o] == keys[id] {
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
