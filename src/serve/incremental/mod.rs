//! Incremental rebuilds for `serve`: after an edit, redo only what the edit can change, and
//! end with exactly the files a full build would write.
//!
//! The [`Engine`] keeps the previous build: config, sources and their parses (see
//! [`inputs`]), the [`Site`] model, the rendered bodies, per-item hashes (see [`prints`]) and,
//! for every render job, a fingerprint of its inputs and the files it wrote. An edit then
//!
//! 1. reads and parses the touched files only;
//! 2. updates the model: an edit to an article's body alone is patched into the previous
//!    model (see [`patch`]); anything else re-runs assemble → resolve → taxonomy → graph on
//!    the cached parses (whole-site by nature: one title can change links anywhere);
//! 3. renders again only the bodies whose text or resolved links changed;
//! 4. fingerprints the jobs (after a patch: only the edited pages' jobs and the jobs that
//!    show those pages, found in a reverse index) and renders those whose fingerprint changed;
//! 5. hands the files whose bytes changed to [`SiteFiles`], at once;
//! 6. then hands out the whole-site extras (feeds, sitemap, search index, graph, print page)
//!    as an [`ExtrasJob`], run once the edited page is already served.
//!
//! A template, theme, config or syntax change rebuilds everything (parses stay cached when
//! the parse options did not change). Write order matches `binder build` (pages, then static
//! files and assets, then extras; later ones win on a shared path), so the served files are
//! byte-identical to a full build; `tests/it/serve.rs` checks that after a series of edits.

mod bodies;
mod extras;
mod inputs;
mod patch;
mod prints;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diag::{BuildFailed, Diagnostic, Diagnostics};
use crate::model::{PageId, Site};
use crate::parse::highlight::Highlighter;
use crate::render::views::site_view;
use crate::render::{self, Bodies, Job, Output, Renderer};
use crate::site::{BuildOptions, Timings};
use crate::write::MemorySink;

use super::files::{SiteFiles, Update};
use super::watch::Batch;
use bodies::{OldBodies, PageMemo};
pub use extras::ExtrasJob;
use extras::Layers;
use inputs::Inputs;
use prints::{Fp, Prints};

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

/// What the previous successful build left behind. The model, bodies and renderer are
/// shared with a running [`ExtrasJob`]; the next rebuild copies them only if it has to
/// change them while the job still runs.
struct Last {
    site: Arc<Site>,
    bodies: Arc<Bodies>,
    renderer: Arc<Renderer>,
    /// Per page (aligned with `site.pages`).
    memo: Vec<PageMemo>,
    body_diags: Vec<Vec<Diagnostic>>,
    /// Warnings of the section and glossary bodies.
    other_diags: Vec<Diagnostic>,
    site_view: u64,
    prints: Prints,
    /// For every page, the jobs that show it.
    reverse: Vec<Vec<Job>>,
    jobs: HashMap<u64, JobRecord>,
}

/// One job of the previous build.
struct JobRecord {
    print: u64,
    outputs: Vec<String>,
}

/// The model a rebuild renders from.
struct Model {
    site: Site,
    bodies: Bodies,
    memo: Vec<PageMemo>,
    body_diags: Vec<Vec<Diagnostic>>,
    highlighter: Arc<Highlighter>,
    /// Files parsed again.
    parsed: usize,
    /// Set when the model was patched: the edited pages and the rest of the previous build.
    patched: Option<(Vec<PageId>, Last)>,
}

/// The incremental builder behind `serve`.
pub struct Engine {
    opts: BuildOptions,
    files: Arc<SiteFiles>,
    inputs: Option<Inputs>,
    last: Option<Last>,
    layers: Arc<Mutex<Layers>>,
    /// Counts published rebuilds; an [`ExtrasJob`] of an older one is stale.
    generation: Arc<AtomicU64>,
    /// Bumped by every full rebuild, so no fingerprint survives one.
    epoch: u64,
    extras_due: bool,
    /// The previous build after the model was rebuilt, dropped once the new pages are
    /// served (freeing a large site takes milliseconds the author should not wait for).
    garbage: Option<Last>,
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
            epoch: 0,
            extras_due: false,
            garbage: None,
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
    /// files and assets. Whole-site extras wait for [`Engine::extras`]. On failure the served
    /// files stay as they were.
    pub fn rebuild(&mut self, batch: &Batch) -> Result<Outcome, BuildFailed> {
        let started = Instant::now();
        let mut timings = Timings::default();
        let mut clock = Instant::now();
        let full = batch.full || self.last.is_none();
        let delta = if full {
            self.last = None;
            self.epoch += 1;
            let previous = self.inputs.take();
            self.inputs = Some(Inputs::load(&self.opts, previous)?);
            inputs::Delta { relisted: true, assets: true, ..inputs::Delta::default() }
        } else {
            let root = self.opts.root.clone();
            self.inputs_mut()?.update(&root, &batch.content)?
        };
        timings.lap("sources", &mut clock);
        let content = delta.relisted || !delta.changed.is_empty();
        if !content && !delta.assets && batch.statics.is_empty() {
            return Ok(Outcome { pages: self.pages(), elapsed: started.elapsed(), timings, ..Outcome::default() });
        }
        if !content {
            // Static files or assets only: the model and every page are unchanged.
            let changed = self.copy_statics()?;
            timings.lap("static", &mut clock);
            return Ok(Outcome { changed, pages: self.pages(), elapsed: started.elapsed(), timings, ..Outcome::default() });
        }
        let statics = full || delta.assets || !batch.statics.is_empty();
        let model = self.model(full, delta.relisted, &delta.changed, &mut timings)?;
        let mut outcome = self.render(model, full, statics, &mut timings);
        if outcome.is_err() {
            // The previous build was consumed by this one; the next rebuild starts over.
            self.last = None;
        }
        if let Ok(o) = &mut outcome {
            o.elapsed = started.elapsed();
            self.extras_due = true;
        }
        outcome
    }

    /// The extras of the last rebuild, if they are due (each rebuild makes them due once).
    pub fn extras(&mut self) -> Option<ExtrasJob> {
        self.garbage = None;
        if !std::mem::take(&mut self.extras_due) {
            return None;
        }
        let last = self.last.as_ref()?;
        Some(ExtrasJob {
            generation: self.generation.load(Ordering::Acquire),
            current: Arc::clone(&self.generation),
            site: Arc::clone(&last.site),
            renderer: Arc::clone(&last.renderer),
            bodies: Arc::clone(&last.bodies),
            files: Arc::clone(&self.files),
            layers: Arc::clone(&self.layers),
        })
    }

    /// Runs the extras of the last rebuild here and now (the first build, tests).
    pub fn finish(&mut self) -> Result<Outcome, BuildFailed> {
        match self.extras() {
            Some(job) => job.run(),
            None => Ok(Outcome::default()),
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
    fn model(&mut self, full: bool, relisted: bool, changed: &[String], timings: &mut Timings) -> Result<Model, BuildFailed> {
        let mut clock = Instant::now();
        if !full && !relisted {
            if let Some(model) = self.patch(changed, timings)? {
                return Ok(model);
            }
        }
        let inputs = self.inputs.as_mut().ok_or_else(not_loaded)?;
        let (parsed, diags, parsed_now) = inputs.parse();
        timings.lap("parse", &mut clock);
        let site = crate::site::model_from_parsed(inputs.config.clone(), &self.opts, inputs.layout(), parsed, diags, timings)?;
        clock = Instant::now();
        let highlighter = match &self.last {
            Some(l) => Arc::clone(&l.renderer.highlighter),
            None => Arc::new(crate::build::highlighter(&site)?),
        };
        let inputs = self.inputs.as_ref().ok_or_else(not_loaded)?;
        let (bodies, memo, body_diags) = match self.last.as_mut() {
            Some(last) => {
                let (shared_bodies, shared_diags) = (Arc::clone(&last.bodies), last.body_diags.clone());
                let owned = Arc::get_mut(&mut last.bodies).map(|b| (&mut b.pages, &mut last.body_diags));
                let old = OldBodies { site: &last.site, memo: &last.memo, owned, shared: (&shared_bodies.pages, &shared_diags) };
                bodies::page_bodies(&site, &highlighter, inputs, Some(old))
            }
            None => bodies::page_bodies(&site, &highlighter, inputs, None),
        };
        timings.lap("bodies", &mut clock);
        Ok(Model { site, bodies, memo, body_diags, highlighter, parsed: parsed_now, patched: None })
    }

    /// The fast path: body-only edits patched into the previous model. `None` (with the
    /// previous build untouched) when the edit needs the full path.
    fn patch(&mut self, changed: &[String], timings: &mut Timings) -> Result<Option<Model>, BuildFailed> {
        let mut clock = Instant::now();
        let Some(last) = &self.last else { return Ok(None) };
        let inputs = self.inputs.as_mut().ok_or_else(not_loaded)?;
        let Some(parsed) = inputs.parse_only(changed) else { return Ok(None) };
        let patch::Plan::Bodies(edits) = patch::plan(&last.site, self.opts.drafts, parsed) else { return Ok(None) };
        timings.lap("parse", &mut clock);
        let Some(mut last) = self.last.take() else { return Ok(None) };
        // Copies only if a running extras job still reads the previous model.
        let placeholder = Arc::new(empty_site(&last.site));
        let mut site = Arc::unwrap_or_clone(std::mem::replace(&mut last.site, placeholder));
        let mut bodies = Arc::unwrap_or_clone(std::mem::take(&mut last.bodies));
        let edited = patch::apply(&mut site, edits);
        timings.lap("patch", &mut clock);
        let inputs = self.inputs.as_ref().ok_or_else(not_loaded)?;
        let hl = Arc::clone(&last.renderer.highlighter);
        let mut memo = std::mem::take(&mut last.memo);
        let mut body_diags = std::mem::take(&mut last.body_diags);
        let fresh: Vec<_> = edited.par_iter().map(|&id| (id, bodies::render_page_body(&site, &hl, id))).collect();
        for (id, (body, d)) in fresh {
            let p = &site.pages[id];
            memo[id].hashes.text = inputs.text_hash(&p.rel);
            memo[id].hashes.body = prints::body_hash(&body);
            memo[id].links = bodies::links_hash(&p.links);
            bodies.pages[id] = body;
            body_diags[id] = d;
        }
        // Section and glossary bodies do not depend on article bodies: they are kept.
        timings.lap("bodies", &mut clock);
        let n = edited.len();
        Ok(Some(Model { site, bodies, memo, body_diags, highlighter: hl, parsed: n, patched: Some((edited, last)) }))
    }

    /// Steps 4–5: fingerprint, render what changed, publish.
    fn render(&mut self, model: Model, full: bool, statics: bool, timings: &mut Timings) -> Result<Outcome, BuildFailed> {
        let mut clock = Instant::now();
        let Model { site, mut bodies, mut memo, body_diags, highlighter, parsed, patched } = model;
        let view_hash = prints::serialized(&site_view(&site));
        let (mut previous, edited) = match patched {
            Some((edited, last)) => (Some(last), Some(edited)),
            None => (self.last.take(), None),
        };
        let renderer = renderer(&site, previous.as_mut(), view_hash, highlighter)?;
        let mut diags = Diagnostics::default();
        diags.extend(site.warnings.iter().cloned());
        let other_diags = match (&edited, &previous) {
            (Some(_), Some(last)) => last.other_diags.clone(),
            _ => {
                let mut other = Diagnostics::default();
                bodies::other_bodies(&site, &renderer.highlighter, &mut bodies, &mut other);
                other.sorted()
            }
        };
        diags.extend(other_diags.iter().cloned());
        timings.lap("templates", &mut clock);

        let global = Fp::new().u64(view_hash).u64(self.epoch).finish();
        let fast = edited.is_some() && previous.as_ref().is_some_and(|last| last.prints.global() == global);
        let (prints, reverse, plan, old) = match (edited.as_deref(), previous) {
            (Some(edited), Some(last)) if fast => {
                let mut prints = last.prints;
                bodies::entries(&site, &bodies, &mut memo, &mut prints, edited);
                let plan = plan_some(&site, &prints, &last.reverse, edited, last.jobs);
                (prints, last.reverse, plan, None)
            }
            (_, mut previous) => {
                let mut prints = Prints::new(&site, &bodies, global);
                let all: Vec<usize> = (0..site.pages.len()).collect();
                bodies::entries(&site, &bodies, &mut memo, &mut prints, &all);
                let jobs = render::jobs(&site);
                let old_jobs = previous.as_mut().map(|l| std::mem::take(&mut l.jobs));
                let plan = plan_all(&site, &prints, &jobs, old_jobs);
                let reverse = prints.reverse_index(&site, &jobs);
                (prints, reverse, plan, previous)
            }
        };
        timings.lap("plan", &mut clock);

        let rendered: Vec<Rendered> = plan.dirty.par_iter().map(|&(key, print, job)| (key, print, renderer.render(&site, &bodies, job))).collect();
        let rendered_count = rendered.len();
        let mut jobs = plan.kept;
        let mut outputs = Vec::new();
        let mut stale: Vec<String> = plan.removed.into_iter().flat_map(|r| r.outputs).collect();
        for (key, print, result) in rendered {
            match result {
                Ok(files) => {
                    let paths: Vec<String> = files.iter().map(|o| o.path.clone()).collect();
                    if let Some(old) = plan.replaced.get(&key) {
                        stale.extend(old.iter().filter(|p| !paths.contains(p)).cloned());
                    }
                    jobs.insert(key, JobRecord { print, outputs: paths });
                    outputs.extend(files);
                }
                Err(d) => diags.push(d),
            }
        }
        timings.lap("render", &mut clock);
        if diags.has_errors() {
            return Err(BuildFailed { diagnostics: diags.sorted() });
        }

        let copy = statics || old.as_ref().is_some_and(|o| assets_of(&o.site) != assets_of(&site));
        let statics_out = if copy { Some(render_statics(&site, &mut diags)?) } else { None };
        let changed = self.publish(full, outputs, stale, statics_out);
        timings.lap("apply", &mut clock);

        self.garbage = old;
        let pages = site.pages.len();
        let site = Arc::new(site);
        let last = Last { site, bodies: Arc::new(bodies), renderer, memo, body_diags, other_diags, site_view: view_hash, prints, reverse, jobs };
        self.last = Some(last);
        let warnings = self.warnings(diags);
        Ok(Outcome { changed, pages, parsed, rendered: rendered_count, full, patched: edited.is_some(), warnings, timings: std::mem::take(timings), elapsed: Duration::ZERO })
    }

    /// Every warning of the site: the model's, the bodies' (cached ones too) and this run's.
    fn warnings(&self, diags: Diagnostics) -> Vec<Diagnostic> {
        let mut all = diags;
        if let Some(last) = &self.last {
            all.extend(last.body_diags.iter().flatten().cloned());
        }
        all.sorted()
    }

    /// Copies static files and assets again with the current model (a static-only change).
    fn copy_statics(&mut self) -> Result<Vec<String>, BuildFailed> {
        let Some(last) = &self.last else { return Ok(Vec::new()) };
        let mut diags = Diagnostics::default();
        let statics = render_statics(&last.site, &mut diags)?;
        Ok(self.publish(false, Vec::new(), Vec::new(), Some(statics)))
    }

    /// Hands new outputs to the served files, removing those no longer produced, and marks a
    /// new generation (older extras jobs are now stale).
    fn publish(&mut self, full: bool, outputs: Vec<Output>, stale: Vec<String>, statics: Option<Vec<(String, Vec<u8>)>>) -> Vec<String> {
        let mut layers = self.layers.lock().unwrap_or_else(PoisonError::into_inner);
        let l = &mut *layers;
        let mut candidates: Vec<String> = stale;
        if full {
            candidates.extend(l.jobs.drain());
        }
        for p in &candidates {
            l.jobs.remove(p);
        }
        for o in &outputs {
            l.jobs.insert(o.path.clone());
        }
        if let Some(statics) = &statics {
            let new: HashSet<String> = statics.iter().map(|(p, _)| p.clone()).collect();
            candidates.extend(l.statics.difference(&new).cloned());
            l.statics = new;
        }
        // Pages first, then static files: as in `binder build`, the later write wins.
        let mut updates: Vec<Update> =
            outputs.into_iter().filter(|o| !l.statics.contains(&o.path) && !l.extras.contains(&o.path)).map(|o| Update::Write(o.path, o.bytes)).collect();
        if let Some(statics) = statics {
            updates.extend(statics.into_iter().filter(|(p, _)| !l.extras.contains(p)).map(|(p, b)| Update::Write(p, b)));
        }
        updates.extend(candidates.into_iter().filter(|p| !l.jobs.contains(p) && !l.statics.contains(p) && !l.extras.contains(p)).map(Update::Remove));
        let changed = self.files.apply(updates);
        self.generation.fetch_add(1, Ordering::AcqRel);
        changed
    }
}

/// The previous renderer, with the `site` variable updated if it changed, or a new one (also
/// when a running extras job still uses the previous one).
fn renderer(site: &Site, previous: Option<&mut Last>, view_hash: u64, hl: Arc<Highlighter>) -> Result<Arc<Renderer>, BuildFailed> {
    if let Some(last) = previous {
        if last.site_view == view_hash {
            return Ok(Arc::clone(&last.renderer));
        }
        if let Some(r) = Arc::get_mut(&mut last.renderer) {
            r.templates.tera.global_context().insert("site", &site_view(site));
            return Ok(Arc::clone(&last.renderer));
        }
    }
    Renderer::new(site, hl).map(Arc::new).map_err(|diagnostics| BuildFailed { diagnostics })
}

fn not_loaded() -> BuildFailed {
    BuildFailed::one(Diagnostic::error("site.toml", "the site has not been loaded"))
}

/// A model with no pages, left behind while the real one is patched.
fn empty_site(like: &Site) -> Site {
    Site {
        config: like.config.clone(),
        root: like.root.clone(),
        pages: Vec::new(),
        sections: Vec::new(),
        taxonomies: Vec::new(),
        graph: Default::default(),
        assets: Vec::new(),
        warnings: Vec::new(),
        pending_glossary: Vec::new(),
    }
}

/// Static files and content assets, as `binder build` copies them.
fn render_statics(site: &Site, diags: &mut Diagnostics) -> Result<Vec<(String, Vec<u8>)>, BuildFailed> {
    let sink = MemorySink::default();
    let mut own = Diagnostics::default();
    crate::build::copy_files(site, &sink, &mut own);
    if own.has_errors() {
        return Err(BuildFailed { diagnostics: own.sorted() });
    }
    diags.extend(own.iter().cloned());
    Ok(sink.files.into_inner().unwrap_or_else(PoisonError::into_inner))
}

/// The assets pages reference (copied next to them): a change means copying again.
fn assets_of(site: &Site) -> u64 {
    let mut fp = Fp::new();
    for p in &site.pages {
        for (src, dest) in &p.assets {
            fp.str(src).str(dest);
        }
    }
    fp.finish()
}

/// A rendered job: (key, fingerprint, its files or its error).
type Rendered = (u64, u64, Result<Vec<Output>, Diagnostic>);

/// Which jobs to render, which to keep, which are gone.
struct JobPlan {
    dirty: Vec<(u64, u64, Job)>,
    kept: HashMap<u64, JobRecord>,
    /// Outputs of re-rendered jobs in the previous build, by key.
    replaced: HashMap<u64, Vec<String>>,
    removed: Vec<JobRecord>,
}

/// Fingerprints every job of `site` against the previous build's.
fn plan_all(site: &Site, prints: &Prints, jobs: &[Job], old: Option<HashMap<u64, JobRecord>>) -> JobPlan {
    let mut old = old.unwrap_or_default();
    let keyed: Vec<(u64, u64, Job)> = jobs.par_iter().map(|&job| (prints::job_key(site, job), prints.job(site, job), job)).collect();
    let mut plan = JobPlan { dirty: Vec::new(), kept: HashMap::with_capacity(keyed.len()), replaced: HashMap::new(), removed: Vec::new() };
    for (key, print, job) in keyed {
        match old.remove(&key) {
            Some(rec) if rec.print == print => {
                plan.kept.insert(key, rec);
            }
            Some(rec) => {
                plan.replaced.insert(key, rec.outputs);
                plan.dirty.push((key, print, job));
            }
            None => plan.dirty.push((key, print, job)),
        }
    }
    plan.removed = old.into_values().collect();
    plan
}

/// After a patch: fingerprints only the jobs that show an edited page (the job list itself
/// is unchanged: no page came or went, no listing grew).
fn plan_some(site: &Site, prints: &Prints, reverse: &[Vec<Job>], edited: &[PageId], mut jobs: HashMap<u64, JobRecord>) -> JobPlan {
    let mut candidates: Vec<Job> = edited.iter().flat_map(|&p| reverse[p].iter().copied()).collect();
    candidates.sort_unstable();
    candidates.dedup();
    let mut dirty = Vec::new();
    let mut replaced = HashMap::new();
    for job in candidates {
        let key = prints::job_key(site, job);
        let print = prints.job(site, job);
        if jobs.get(&key).is_none_or(|r| r.print != print) {
            if let Some(rec) = jobs.remove(&key) {
                replaced.insert(key, rec.outputs);
            }
            dirty.push((key, print, job));
        }
    }
    JobPlan { dirty, kept: jobs, replaced, removed: Vec::new() }
}
