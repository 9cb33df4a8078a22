//! Render stage, for `serve`: the page bodies of a rebuilt model, reusing the previous
//! build's wherever [`render::body_key`] says a body is rendered from the same inputs.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::model::{PageId, Site, TiVec};
use crate::parse::highlight::Highlighter;
use crate::render::{self, Bodies, Body};

/// What a later build needs to know about one page's body in this build: its
/// [`render::body_key`].
pub type PageMemo = u64;

/// The previous build's bodies, to reuse (move out) by source path.
pub struct OldBodies<'a> {
    pub site: &'a Site,
    pub memo: &'a TiVec<PageId, PageMemo>,
    pub bodies: &'a mut TiVec<PageId, Body>,
    pub diags: &'a mut TiVec<PageId, Vec<Diagnostic>>,
}

/// Page bodies of `site`: reused where the [`render::body_key`] matches the previous
/// build's page at the same path, rendered otherwise. Section and glossary bodies are left
/// empty (see [`render::render_other_bodies`]).
pub fn page_bodies(
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
        .map(|i| (i, render::render_body(site, hl, &site.pages[i].doc)))
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
