//! The whole-site extras (feeds, sitemap, search index, graph, print page…) after a rebuild.
//!
//! They read every page, so on a big site they take far longer than the rebuild itself. The
//! server runs them on a thread of their own, on a replica of the model that [`Extras`] keeps
//! up to date from [`ExtrasUpdate`]s: a whole model after a full model rebuild (copied once,
//! after the new pages are served), or just the patch after a body edit (a few pages). So
//! the next edit never waits for them, and never has to copy the model because they still
//! read it. Extras computed for a build that a newer one replaced are thrown away.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use crate::diag::{BuildFailed, Diagnostic, Diagnostics};
use crate::model::{PageId, Site};
use crate::render::{Bodies, Body, Renderer};
use crate::write::{MemorySink, Registry};

use super::super::files::SiteFiles;
use super::Outcome;
use super::publish::{self, Files, Layers};
use crate::resolve::patch::{self, BodyEdit, Relinks};

/// What the replica needs to catch up with one rebuild.
pub struct ExtrasUpdate {
    generation: u64,
    change: Change,
}

enum Change {
    /// The model was rebuilt: a copy of it.
    Model(Box<(Site, Bodies, Arc<Renderer>)>),
    /// Article bodies were patched: the same patch, other pages' new links and the new
    /// bodies.
    Patch(Vec<BodyEdit>, Relinks, Vec<(PageId, Body)>),
}

impl ExtrasUpdate {
    pub(super) fn model(
        generation: u64,
        site: Site,
        bodies: Bodies,
        renderer: Arc<Renderer>,
    ) -> Self {
        ExtrasUpdate {
            generation,
            change: Change::Model(Box::new((site, bodies, renderer))),
        }
    }

    pub(super) fn patch(
        generation: u64,
        edits: Vec<BodyEdit>,
        relinks: Relinks,
        bodies: Vec<(PageId, Body)>,
    ) -> Self {
        ExtrasUpdate {
            generation,
            change: Change::Patch(edits, relinks, bodies),
        }
    }
}

/// The extras' own copy of the model and the means to publish what they render.
pub struct Extras {
    replica: Option<(Site, Bodies, Arc<Renderer>)>,
    generation: u64,
    pub(super) current: Arc<AtomicU64>,
    pub(super) files: Arc<SiteFiles>,
    pub(super) layers: Arc<Mutex<Layers>>,
}

impl Extras {
    pub(super) fn new(
        current: Arc<AtomicU64>,
        files: Arc<SiteFiles>,
        layers: Arc<Mutex<Layers>>,
    ) -> Self {
        Extras {
            replica: None,
            generation: 0,
            current,
            files,
            layers,
        }
    }

    /// Brings the replica up to date with one rebuild (updates must come in order).
    pub fn apply(&mut self, update: ExtrasUpdate) {
        match update.change {
            Change::Model(model) => self.replica = Some(*model),
            Change::Patch(edits, relinks, new_bodies) => {
                if let Some((site, bodies, _)) = &mut self.replica {
                    let _ = patch::apply(site, edits);
                    for (id, links) in relinks {
                        site.pages[id].links = links;
                    }
                    for (id, body) in new_bodies {
                        bodies.pages[id] = body;
                    }
                }
            }
        }
        self.generation = update.generation;
    }

    /// True when the replica matches the pages being served (no newer rebuild happened).
    pub fn is_current(&self) -> bool {
        self.replica.is_some() && self.current.load(Ordering::Acquire) == self.generation
    }

    /// Renders the extras from the replica and serves them, unless a newer rebuild happened
    /// meanwhile; returns the paths that changed. Errors leave the served files as they were.
    pub fn run(&self) -> Result<Outcome, BuildFailed> {
        let started = Instant::now();
        let Some((site, bodies, renderer)) = &self.replica else {
            return Ok(Outcome::default());
        };
        let (written, warnings) = render(site, renderer, bodies)?;
        let changed = publish::extras(&self.layers, &self.files, written, || self.is_current());
        Ok(Outcome {
            changed,
            pages: site.pages.len(),
            warnings,
            elapsed: started.elapsed(),
            ..Outcome::default()
        })
    }
}

/// Renders every extra of `site`: (files, warnings).
pub(super) fn render(
    site: &Site,
    renderer: &Renderer,
    bodies: &Bodies,
) -> Result<(Files, Vec<Diagnostic>), BuildFailed> {
    let registry = Registry::new(MemorySink::default());
    let mut diags = Diagnostics::default();
    crate::extras::write_all(site, renderer, bodies, &registry, &mut diags);
    if diags.has_errors() {
        return Err(BuildFailed {
            diagnostics: diags.sorted(),
        });
    }
    Ok((
        (registry.into_inner().files)
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner),
        diags.sorted(),
    ))
}
