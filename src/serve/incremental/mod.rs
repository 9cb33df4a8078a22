//! Incremental rebuilds for `serve`: after an edit, redo only what the edit can change, and
//! end with exactly the files a full build would write.
//!
//! The [`Engine`] keeps the previous build: the [`Inputs`] (config, sources, parses), the
//! [`Site`] model, the rendered bodies and, for every render job, what it read of the model
//! (recorded by the views as it rendered) and the files it wrote. Each stage says what an
//! edit changes; the engine only asks. An edit then
//!
//! 1. reads and parses the touched files only ([`Inputs::update`]);
//! 2. updates the model: an edit to an article's body alone is patched into the previous
//!    model ([`crate::resolve::patch`]); anything else re-runs assemble → taxonomy →
//!    resolve → graph on the cached parses (whole-site by nature: one title can change links
//!    anywhere);
//! 3. renders again only the bodies whose inputs changed ([`crate::render::reuse`]);
//! 4. renders again the jobs that read something whose value changed (after a patch: only
//!    among the jobs that read an edited entity; see `plan`);
//! 5. hands the files whose bytes changed to [`SiteFiles`], at once (see `publish`);
//! 6. leaves the whole-site extras (feeds, sitemap, search index, graph, print page) to
//!    [`Extras`], which runs them on its own replica of the model once the edited page is
//!    already served.
//!
//! A template, theme, config or syntax change rebuilds everything (parses stay cached when
//! the parse options did not change). Write order matches `binder build`, so the served
//! files are byte-identical to a full build; `tests/it/serve/incremental.rs` checks that after
//! every kind of edit, and after hundreds of seeded random edit sequences.

mod extras;
mod plan;
mod publish;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diag::{BuildFailed, Diagnostic, Diagnostics};
use crate::model::{PageId, Site, TiVec};
use crate::parse::highlight::Highlighter;
use crate::render::reads::{Entity, value_hash};
use crate::render::views::site_view;
use crate::render::{Bodies, Renderer};
use crate::site::{BuildOptions, Delta, Inputs, Loaded, Timings};

use super::files::SiteFiles;
use super::watch::Batch;
use crate::render::reuse::{self, OldBodies, PageMemo};
use crate::resolve::patch::{self, BodyEdit, Relinks};
pub use extras::{Extras, ExtrasUpdate};
use plan::{Change, Traces};
use publish::Layers;

/// What one rebuild did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Served paths whose bytes changed (added, modified or removed), sorted.
    pub changed: Vec<String>,
    /// Articles in the site.
    pub pages: usize,
    /// Files parsed again.
    pub parsed: usize,
    /// Render jobs run.
    pub rendered: usize,
    /// True if everything was rebuilt.
    pub full: bool,
    /// True if the model was patched (a body-only edit) rather than rebuilt.
    pub patched: bool,
    /// Warnings of the whole site (sorted).
    pub warnings: Vec<Diagnostic>,
    /// Time per stage.
    pub timings: Timings,
    /// Wall time of the rebuild.
    pub elapsed: Duration,
}

/// What the previous successful build left behind.
struct Last {
    site: Site,
    bodies: Bodies,
    /// Shared with the extras' replica.
    renderer: Arc<Renderer>,
    /// Per page (aligned with `site.pages`).
    memo: TiVec<PageId, PageMemo>,
    body_diags: TiVec<PageId, Vec<Diagnostic>>,
    /// Warnings of the section and glossary bodies.
    other_diags: Vec<Diagnostic>,
    site_view: u64,
    traces: Traces,
}

/// What a patch did: the edits, other pages' new links, the pages with a new body and the
/// entities that changed.
type Patched = (Vec<BodyEdit>, Relinks, Vec<PageId>, Vec<Entity>);

/// The model a rebuild renders from.
struct Model {
    site: Site,
    bodies: Bodies,
    memo: TiVec<PageId, PageMemo>,
    body_diags: TiVec<PageId, Vec<Diagnostic>>,
    highlighter: Arc<Highlighter>,
    /// Files parsed again.
    parsed: usize,
    /// After a patch: the edits, other pages' new links, the pages with a new body and the
    /// entities that changed.
    patch: Option<Patched>,
    /// The previous build (after a patch, what the patch left of it).
    previous: Option<Last>,
}

/// The incremental builder behind `serve`.
pub struct Engine {
    opts: BuildOptions,
    files: Arc<SiteFiles>,
    inputs: Option<Inputs>,
    last: Option<Last>,
    layers: Arc<Mutex<Layers>>,
    /// Counts published rebuilds; extras rendered for an older one are stale.
    generation: Arc<AtomicU64>,
    /// The extras' replica needs the whole model (as of this generation)…
    model_due: Option<u64>,
    /// …or these patches, in order.
    patches_due: Vec<ExtrasUpdate>,
    /// The previous build after the model was rebuilt, dropped once the new pages are
    /// served (freeing a large site takes milliseconds the author should not wait for).
    garbage: Option<Last>,
    /// The last rebuild failed: the next one redoes the model whatever it touches (a static
    /// file edit must not report a still-broken site as fixed).
    failed: bool,
    /// A failed rebuild was asked to copy static files or assets again: the next one does
    /// (a file saved while the site was broken must be served once it builds).
    statics_due: bool,
}

impl Engine {
    /// An engine building the site `opts` describes into `files`.
    pub fn new(mut opts: BuildOptions, files: Arc<SiteFiles>) -> Engine {
        // Watcher events carry canonical paths; compare like with like.
        opts.root = opts.root.canonicalize().unwrap_or(opts.root);
        Engine {
            opts,
            files,
            inputs: None,
            last: None,
            layers: Arc::default(),
            generation: Arc::default(),
            model_due: None,
            patches_due: Vec::new(),
            garbage: None,
            failed: false,
            statics_due: false,
        }
    }

    /// The files being served.
    pub fn files(&self) -> &Arc<SiteFiles> {
        &self.files
    }

    /// The theme of the last readable config.
    pub fn theme(&self) -> Option<String> {
        self.inputs.as_ref().map(|i| i.config.theme.clone())
    }

    /// Applies `batch`: rebuilds what it can change and updates the served pages, static
    /// files and assets. Whole-site extras come later (see [`Engine::extras_updates`]). On
    /// failure the served files stay as they were.
    pub fn rebuild(&mut self, batch: &Batch) -> Result<Outcome, BuildFailed> {
        let retry = std::mem::take(&mut self.failed);
        let outcome = self.try_rebuild(batch, retry);
        self.failed = outcome.is_err();
        outcome
    }

    fn try_rebuild(&mut self, batch: &Batch, retry: bool) -> Result<Outcome, BuildFailed> {
        let started = Instant::now();
        let mut timings = Timings::default();
        let mut clock = Instant::now();
        // Kept until a rebuild succeeds (every `?` below leaves it set).
        self.statics_due |= !batch.statics.is_empty();
        let full = batch.full || self.last.is_none();
        let delta = if full {
            self.last = None;
            let previous = self.inputs.take();
            self.inputs = Some(Inputs::load(&self.opts, previous)?);
            Delta {
                relisted: true,
                assets: true,
                ..Delta::default()
            }
        } else {
            let root = self.opts.root.clone();
            let inputs = self.inputs_mut()?;
            let mut delta = inputs.update(&root, &batch.content)?;
            // A static file that came or went changes where links to it point.
            delta.relisted |= !batch.statics.is_empty() && inputs.relist_statics(&root);
            delta
        };
        timings.lap("sources", &mut clock);
        let content = delta.relisted || !delta.changed.is_empty() || retry;
        let statics = full || delta.assets || self.statics_due;
        self.statics_due = statics;
        let mut outcome = if !content && !statics {
            Ok(Outcome {
                pages: self.pages(),
                ..Outcome::default()
            })
        } else if !content {
            // Static files or assets only: the model and every page are unchanged.
            let changed = self.copy_statics()?;
            timings.lap("static", &mut clock);
            Ok(Outcome {
                changed,
                pages: self.pages(),
                ..Outcome::default()
            })
        } else {
            let model = self.model(full, delta.relisted || retry, &delta.changed, &mut timings)?;
            let outcome = self.render(model, full, statics, &mut timings);
            if outcome.is_err() {
                // The previous build was consumed by this one; the next rebuild starts over.
                self.last = None;
            }
            outcome
        };
        if let Ok(o) = &mut outcome {
            self.statics_due = false;
            o.elapsed = started.elapsed();
            o.timings = timings;
        }
        outcome
    }

    /// A runner of the extras, publishing into the same files (for a thread of its own).
    pub fn extras_worker(&self) -> Extras {
        Extras::new(
            Arc::clone(&self.generation),
            Arc::clone(&self.files),
            Arc::clone(&self.layers),
        )
    }

    /// What the extras' replica needs to catch up with the rebuilds since the last call (a
    /// copy of the model after a full model rebuild: call this once the new pages are served).
    pub fn extras_updates(&mut self) -> Vec<ExtrasUpdate> {
        self.garbage = None;
        match (self.model_due.take(), &self.last) {
            (Some(generation), Some(last)) => {
                self.patches_due.clear();
                let renderer = Arc::clone(&last.renderer);
                vec![ExtrasUpdate::model(
                    generation,
                    last.site.clone(),
                    last.bodies.clone(),
                    renderer,
                )]
            }
            _ => std::mem::take(&mut self.patches_due),
        }
    }

    fn pages(&self) -> usize {
        self.last.as_ref().map_or(0, |l| l.site.pages.len())
    }

    fn inputs_mut(&mut self) -> Result<&mut Inputs, BuildFailed> {
        self.inputs.as_mut().ok_or_else(not_loaded)
    }

    /// Steps 1–3 of the module docs: the new model and its page bodies. On failure the
    /// previous build is kept (and served).
    fn model(
        &mut self,
        full: bool,
        relisted: bool,
        changed: &[String],
        timings: &mut Timings,
    ) -> Result<Model, BuildFailed> {
        if !full && !relisted {
            if let Some(model) = self.patch(changed, timings)? {
                return Ok(model);
            }
        }
        let mut clock = Instant::now();
        let inputs = self.inputs.as_mut().ok_or_else(not_loaded)?;
        let (parsed, diags, parsed_now) = inputs.parse()?;
        timings.lap("parse", &mut clock);
        let loaded = Loaded {
            config: inputs.config.clone(),
            layout: inputs.layout(),
            parsed,
            diags,
        };
        let site = crate::site::model_from_parsed(loaded, &self.opts, timings)?;
        clock = Instant::now();
        let highlighter = match &self.last {
            Some(l) => Arc::clone(&l.renderer.highlighter),
            None => Arc::new(crate::build::highlighter(&site)?),
        };
        let old = self.last.as_mut().map(|l| OldBodies {
            site: &l.site,
            memo: &l.memo,
            bodies: &mut l.bodies.pages,
            diags: &mut l.body_diags,
        });
        let (bodies, memo, body_diags) = reuse::page_bodies(&site, &highlighter, old);
        timings.lap("bodies", &mut clock);
        let previous = self.last.take();
        Ok(Model {
            site,
            bodies,
            memo,
            body_diags,
            highlighter,
            parsed: parsed_now,
            patch: None,
            previous,
        })
    }

    /// The fast path: body-only edits patched into the previous model. `None` (with the
    /// previous build untouched) when the edit needs the full path.
    fn patch(
        &mut self,
        changed: &[String],
        timings: &mut Timings,
    ) -> Result<Option<Model>, BuildFailed> {
        let mut clock = Instant::now();
        let Some(last) = &self.last else {
            return Ok(None);
        };
        let inputs = self.inputs.as_mut().ok_or_else(not_loaded)?;
        let Some(parsed) = inputs.parse_only(changed) else {
            return Ok(None);
        };
        let patch::Plan::Bodies(edits) = patch::plan(&last.site, self.opts.drafts, parsed) else {
            return Ok(None);
        };
        timings.lap("parse", &mut clock);
        let Some(mut last) = self.last.take() else {
            return Ok(None);
        };
        let placeholder = empty_site(&last.site.config);
        let mut site = std::mem::replace(&mut last.site, placeholder);
        let mut bodies = std::mem::take(&mut last.bodies);
        let mut memo = std::mem::take(&mut last.memo);
        let mut body_diags = std::mem::take(&mut last.body_diags);
        let (mut edited, changed) = patch::apply(&mut site, edits.clone());
        let mut changed: Vec<Entity> = changed.into_iter().map(Entity::Page).collect();
        let Some(relinks) = patch::relink(&site, &edits) else {
            // A retitle that needs the whole-site stages: hand the model back to them.
            last.site = site;
            last.bodies = bodies;
            last.memo = memo;
            last.body_diags = body_diags;
            self.last = Some(last);
            return Ok(None);
        };
        for (id, links) in &relinks {
            site.pages[*id].links = links.clone();
            edited.push(*id);
            changed.push(Entity::Page(*id));
        }
        timings.lap("patch", &mut clock);
        let hl = Arc::clone(&last.renderer.highlighter);
        let fresh: Vec<_> = edited
            .par_iter()
            .map(|&id| {
                (
                    id,
                    crate::render::render_body(&site, &hl, &site.pages[id].doc),
                )
            })
            .collect();
        for (id, (body, d)) in fresh {
            memo[id] = crate::render::body_key(&site.pages[id].doc);
            bodies.pages[id] = body;
            body_diags[id] = d;
        }
        // Section and glossary bodies do not depend on article bodies: they are kept.
        timings.lap("bodies", &mut clock);
        let parsed = edits.len();
        let patch = Some((edits, relinks, edited, changed));
        Ok(Some(Model {
            site,
            bodies,
            memo,
            body_diags,
            highlighter: hl,
            parsed,
            patch,
            previous: Some(last),
        }))
    }

    /// Steps 4–5: fingerprint, render what changed, publish.
    fn render(
        &mut self,
        mut model: Model,
        full: bool,
        statics: bool,
        timings: &mut Timings,
    ) -> Result<Outcome, BuildFailed> {
        let mut clock = Instant::now();
        let view_hash = value_hash(&site_view(&model.site));
        let hl = Arc::clone(&model.highlighter);
        let renderer = renderer(&model.site, model.previous.as_mut(), view_hash, hl)?;
        let mut diags = Diagnostics::default();
        diags.extend(model.site.warnings.iter().cloned());
        let other_diags = other_bodies(&mut model, &renderer);
        diags.extend(other_diags.iter().cloned());
        timings.lap("templates", &mut clock);

        let Model {
            site,
            bodies,
            memo,
            body_diags,
            parsed,
            patch,
            mut previous,
            ..
        } = model;
        let traces = previous.as_mut().map(|l| std::mem::take(&mut l.traces));
        let change = match (&patch, traces) {
            (Some((_, _, _, changed)), Some(t)) => Change::Patch(t, changed),
            (_, t) => Change::Model(previous.as_ref().map(|l| &l.site).zip(t)),
        };
        let done = plan::run(&site, &bodies, &renderer, view_hash, change, &mut diags);
        timings.lap("render", &mut clock);
        if diags.has_errors() {
            return Err(BuildFailed {
                diagnostics: diags.sorted(),
            });
        }
        let old = previous.filter(|_| patch.is_none());
        let assets_moved = old
            .as_ref()
            .is_some_and(|o| publish::assets_of(&o.site) != publish::assets_of(&site));
        let statics = if statics || assets_moved {
            Some(publish::statics(&site, &mut diags)?)
        } else {
            None
        };
        let new = publish::Pages {
            full,
            outputs: done.outputs,
            stale: done.stale,
            statics,
        };
        let changed = publish::pages(&self.layers, &self.files, Some(&self.generation), new);
        timings.lap("apply", &mut clock);

        self.garbage = old;
        let patched = patch.is_some();
        self.queue_extras(patch.map(|(e, l, ids, _)| (e, l, ids)), &bodies);
        let pages = site.pages.len();
        self.last = Some(Last {
            site,
            bodies,
            renderer,
            memo,
            body_diags,
            other_diags,
            site_view: view_hash,
            traces: done.traces,
        });
        let warnings = self.warnings(diags);
        let rendered = done.rendered;
        Ok(Outcome {
            changed,
            pages,
            parsed,
            rendered,
            full,
            patched,
            warnings,
            ..Outcome::default()
        })
    }

    /// Notes what the extras' replica needs after a published rebuild.
    fn queue_extras(
        &mut self,
        patch: Option<(Vec<BodyEdit>, Relinks, Vec<PageId>)>,
        bodies: &Bodies,
    ) {
        let generation = self.generation.load(Ordering::Acquire);
        match patch {
            Some((edits, relinks, edited)) if self.model_due.is_none() => {
                let new_bodies = edited
                    .iter()
                    .map(|&id| (id, bodies.pages[id].clone()))
                    .collect();
                self.patches_due
                    .push(ExtrasUpdate::patch(generation, edits, relinks, new_bodies));
            }
            // The whole model goes over, copied once the pages are served.
            _ => self.model_due = Some(generation),
        }
    }

    /// Every warning of the site: the model's, the bodies' (cached ones too) and this run's.
    fn warnings(&self, diags: Diagnostics) -> Vec<Diagnostic> {
        let mut all = diags;
        if let Some(last) = &self.last {
            all.extend(last.body_diags.iter().flatten().cloned());
        }
        let all = crate::parse::highlight::one_warning_per_language(all.sorted());
        crate::build::fold_warnings(all, self.opts.verbose)
    }

    /// Copies static files and assets again with the current model (a static-only change).
    fn copy_statics(&mut self) -> Result<Vec<String>, BuildFailed> {
        let Some(last) = &self.last else {
            return Ok(Vec::new());
        };
        let mut diags = Diagnostics::default();
        let statics = Some(publish::statics(&last.site, &mut diags)?);
        let new = publish::Pages {
            full: false,
            outputs: Vec::new(),
            stale: Vec::new(),
            statics,
        };
        // The model did not change: extras rendered from it stay current.
        Ok(publish::pages(&self.layers, &self.files, None, new))
    }
}

/// Section and glossary bodies: kept after a patch (article bodies do not feed them),
/// rendered again after a model rebuild. Returns their warnings.
fn other_bodies(model: &mut Model, renderer: &Renderer) -> Vec<Diagnostic> {
    match (&model.patch, &model.previous) {
        (Some(_), Some(last)) => last.other_diags.clone(),
        _ => {
            let mut other = Diagnostics::default();
            crate::render::render_other_bodies(
                &model.site,
                &renderer.highlighter,
                &mut model.bodies,
                &mut other,
            );
            other.sorted()
        }
    }
}

/// The previous renderer, with the `site` variable updated if it changed, or a new one (also
/// when the extras' replica still shares the previous one).
fn renderer(
    site: &Site,
    previous: Option<&mut Last>,
    view_hash: u64,
    hl: Arc<Highlighter>,
) -> Result<Arc<Renderer>, BuildFailed> {
    if let Some(last) = previous {
        if last.site_view == view_hash {
            return Ok(Arc::clone(&last.renderer));
        }
        if let Some(r) = Arc::get_mut(&mut last.renderer) {
            r.templates
                .tera
                .global_context()
                .insert("site", &site_view(site));
            return Ok(Arc::clone(&last.renderer));
        }
    }
    Renderer::new(site, hl)
        .map(Arc::new)
        .map_err(|diagnostics| BuildFailed { diagnostics })
}

fn not_loaded() -> BuildFailed {
    BuildFailed::one(Diagnostic::error(
        "site.toml",
        "the site has not been loaded",
    ))
}

/// A model with no pages, left in the previous build while its model is being patched.
fn empty_site(config: &crate::config::Config) -> Site {
    Site {
        config: config.clone(),
        root: Default::default(),
        pages: TiVec::new(),
        sections: TiVec::new(),
        taxonomies: TiVec::new(),
        graph: Default::default(),
        assets: Vec::new(),
        statics: Vec::new(),
        warnings: Vec::new(),
        git: Default::default(),
    }
}
