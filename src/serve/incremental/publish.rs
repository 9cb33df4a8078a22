//! Handing rebuilt files to the served site, in `binder build`'s write order: pages, then
//! static files and assets, then extras (a later group wins on a shared path). Each group
//! remembers the paths it claims, so a file no group produces any more is removed.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use crate::diag::{BuildFailed, Diagnostics};
use crate::model::Site;
use crate::render::Output;
use crate::write::{MemorySink, Registry};

use super::super::files::{SiteFiles, Update};

/// Rendered files: (path below the output root, bytes).
pub(super) type Files = Vec<(String, Vec<u8>)>;

/// Which served paths each group of outputs claims.
#[derive(Default)]
pub(super) struct Layers {
    jobs: HashSet<String>,
    statics: HashSet<String>,
    extras: HashSet<String>,
}

/// New pages (and static files, if copied again) of a rebuild.
pub(super) struct Pages {
    /// Everything is new: every page path not among `outputs` goes.
    pub(super) full: bool,
    pub(super) outputs: Vec<Output>,
    /// Paths the previous build's pages had and these may not.
    pub(super) stale: Vec<String>,
    pub(super) statics: Option<Files>,
}

/// Serves a rebuild's pages and, under the same lock, bumps `generation` (if given: the
/// model changed), so extras rendered for an older model can tell they are stale. Returns
/// the paths that changed.
pub(super) fn pages(
    layers: &Mutex<Layers>,
    files: &SiteFiles,
    generation: Option<&AtomicU64>,
    new: Pages,
) -> Vec<String> {
    let mut guard = layers.lock().unwrap_or_else(PoisonError::into_inner);
    let l = &mut *guard;
    let mut candidates = new.stale;
    if new.full {
        candidates.extend(l.jobs.drain());
    }
    for p in &candidates {
        l.jobs.remove(p);
    }
    for o in &new.outputs {
        l.jobs.insert(o.path.clone());
    }
    if let Some(statics) = &new.statics {
        let paths: HashSet<String> = statics.iter().map(|(p, _)| p.clone()).collect();
        candidates.extend(l.statics.difference(&paths).cloned());
        l.statics = paths;
    }
    let mut updates: Vec<Update> = new
        .outputs
        .into_iter()
        .filter(|o| !l.statics.contains(&o.path) && !l.extras.contains(&o.path))
        .map(|o| Update::Write(o.path, o.bytes))
        .collect();
    if let Some(statics) = new.statics {
        updates.extend(
            statics
                .into_iter()
                .filter(|(p, _)| !l.extras.contains(p))
                .map(|(p, b)| Update::Write(p, b)),
        );
    }
    updates.extend(
        candidates
            .into_iter()
            .filter(|p| !l.jobs.contains(p) && !l.statics.contains(p) && !l.extras.contains(p))
            .map(Update::Remove),
    );
    let changed = files.apply(updates);
    if let Some(g) = generation {
        g.fetch_add(1, Ordering::AcqRel);
    }
    changed
}

/// Serves freshly rendered extras (if `current()` still holds under the lock rebuilds
/// publish under), removing extras no longer produced; returns the paths that changed.
pub(super) fn extras(
    layers: &Mutex<Layers>,
    files: &SiteFiles,
    written: Files,
    current: impl Fn() -> bool,
) -> Vec<String> {
    let mut layers = layers.lock().unwrap_or_else(PoisonError::into_inner);
    if !current() {
        return Vec::new();
    }
    let new: HashSet<String> = written.iter().map(|(p, _)| p.clone()).collect();
    let mut updates: Vec<Update> = written
        .into_iter()
        .map(|(p, b)| Update::Write(p, b))
        .collect();
    for gone in layers.extras.difference(&new) {
        if !layers.jobs.contains(gone) && !layers.statics.contains(gone) {
            updates.push(Update::Remove(gone.clone()));
        }
    }
    layers.extras = new;
    files.apply(updates)
}

/// Static files and content assets, as `binder build` copies them.
pub(super) fn statics(site: &Site, diags: &mut Diagnostics) -> Result<Files, BuildFailed> {
    let registry = Registry::new(MemorySink::default());
    let mut own = Diagnostics::default();
    crate::build::copy_files(site, &registry, &mut own);
    if own.has_errors() {
        return Err(BuildFailed {
            diagnostics: own.sorted(),
        });
    }
    diags.extend(own.iter().cloned());
    Ok((registry.into_inner().files)
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner))
}

/// The assets pages reference (copied next to them): a change means copying again.
pub(super) fn assets_of(site: &Site) -> u64 {
    let assets: Vec<_> = site.pages.iter().map(|p| &p.assets).collect();
    crate::render::reads::value_hash(&assets)
}
