//! Extras: whole-site outputs beyond templated pages (feeds, sitemap, search index, graph,
//! pairs, question bank, print binder, alias redirects). Placeholder until they land.

use crate::diag::Diagnostics;
use crate::model::Site;
use crate::render::{Bodies, Renderer};
use crate::write::Sink;

/// Writes every extra output; returns the number of files written.
pub fn write_all(_site: &Site, _renderer: &Renderer, _bodies: &Bodies, _sink: &dyn Sink, _diags: &mut Diagnostics) -> usize {
    0
}
