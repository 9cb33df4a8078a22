//! Extras: whole-site outputs beyond the templated article and listing pages.
//!
//! `publish` holds what makes a handbook publishable (feeds, sitemap, robots.txt, alias
//! redirects, the search index); `knowledge` holds the cross-cutting views of the knowledge
//! base (graph.json, the pairs page, the question bank, the printed binder).

mod knowledge;
mod publish;

use crate::diag::Diagnostics;
use crate::model::Site;
use crate::render::{Bodies, Renderer};
use crate::write::{Registry, Sink};

/// Writes every extra output through `registry`; returns the number of files written.
pub fn write_all<S: Sink>(
    site: &Site,
    renderer: &Renderer,
    bodies: &Bodies,
    registry: &Registry<S>,
    diags: &mut Diagnostics,
) -> usize {
    let publish = registry.owned_by("binder's feeds, sitemap, redirects and search index");
    let knowledge = registry.owned_by("binder's graph.json and pairs, questions and print pages");
    publish::write(site, renderer, bodies, &publish, diags)
        + knowledge::write(site, renderer, bodies, &knowledge, diags)
}
