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
use crate::write::Sink;

/// Writes every extra output; returns the number of files written.
pub fn write_all(
    site: &Site,
    renderer: &Renderer,
    bodies: &Bodies,
    sink: &dyn Sink,
    diags: &mut Diagnostics,
) -> usize {
    publish::write(site, renderer, bodies, sink, diags)
        + knowledge::write(site, renderer, bodies, sink, diags)
}
