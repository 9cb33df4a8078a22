//! Extras: the cross-cutting views of the knowledge base, written after every article.
//!
//! In: the resolved [`Site`], the rendered [`Bodies`] and the [`Renderer`]. Out:
//! `graph.json` (the link graph for other tools, see `docs/graph.md`), and three templated
//! pages: `/pairs/` (every pair-blog pair side by side), `/questions/` (the question bank)
//! and `/print/` (the whole handbook on one page). A theme without one of those templates
//! simply does not get that page.

mod graph;
mod pairs;
mod print;
mod questions;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::render::{Bodies, Output, Renderer};
use crate::write::Sink;

/// Writes this group's outputs; returns the number of files written.
pub(super) fn write(
    site: &Site,
    renderer: &Renderer,
    bodies: &Bodies,
    sink: &dyn Sink,
    diags: &mut Diagnostics,
) -> usize {
    let mut outputs = vec![Output {
        path: "graph.json".into(),
        bytes: graph::json(site).into_bytes(),
    }];
    let pages = [
        templated(renderer, "pairs.html", || {
            pairs::render(site, renderer, bodies)
        }),
        templated(renderer, "questions.html", || {
            questions::render(site, renderer, bodies)
        }),
    ];
    for page in pages {
        match page {
            Ok(files) => outputs.extend(files),
            Err(d) => diags.push(d),
        }
    }
    let mut written = 0;
    // The print binder streams itself into the sink (it can be the size of the whole site).
    if renderer.templates.has("print.html") {
        match print::write(site, renderer, bodies, sink, diags) {
            Ok(n) => written += n,
            Err(d) => diags.push(d),
        }
    }
    for o in outputs {
        match sink.write(&o.path, &o.bytes) {
            Ok(()) => written += 1,
            Err(e) => diags.push(crate::write::write_error(&o.path, &e)),
        }
    }
    written
}

/// Renders a generated page only if the theme (or the site) has its template: a custom
/// theme may leave the pairs page or the print edition out on purpose.
fn templated(
    renderer: &Renderer,
    template: &str,
    render: impl FnOnce() -> Result<Vec<Output>, Diagnostic>,
) -> Result<Vec<Output>, Diagnostic> {
    if renderer.templates.has(template) {
        render()
    } else {
        Ok(Vec::new())
    }
}
