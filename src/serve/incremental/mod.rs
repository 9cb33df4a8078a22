//! Incremental rebuilds for `serve`: after an edit, redo only what the edit can change, and
//! end with exactly the files a full build would write.
//!
//! The [`Engine`] keeps the previous build: config, sources and their parses (see
//! [`inputs`]), the [`Site`] model, the rendered bodies and, for every render job, a
//! fingerprint of its inputs (see [`prints`]) and the files it wrote. A content edit then
//!
//! 1. reads and parses the touched files only;
//! 2. updates the model: an edit to an article's body alone is patched into the previous
//!    model (see [`patch`]); anything else re-runs assemble → resolve → taxonomy → graph on
//!    the cached parses (whole-site by nature: one title can change links anywhere);
//! 3. renders again only the bodies whose text or resolved links changed;
//! 4. fingerprints every job and renders only those whose fingerprint changed;
//! 5. hands the files whose bytes changed to [`SiteFiles`], at once;
//! 6. later ([`Engine::finish`]) re-runs the whole-site extras (feeds, sitemap, search index,
//!    graph, print page), once the edited page is already served.
//!
//! A template, theme, config or syntax change rebuilds everything (parses stay cached when
//! the parse options did not change). Write order matches `binder build` (pages, then static
//! files and assets, then extras; later ones win on a shared path), so the served files are
//! byte-identical to a full build; `tests/it/serve.rs` checks that after a series of edits.

mod inputs;
mod patch;
mod prints;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diag::{BuildFailed, Diagnostic, Diagnostics};
use crate::model::{ResolvedLinks, Site};
use crate::parse::highlight::Highlighter;
use crate::render::views::{Ctx, site_view};
use crate::render::{self, Bodies, Body, Job, Output, Renderer};
use crate::site::{BuildOptions, Timings};
use crate::write::MemorySink;

use super::files::{SiteFiles, Update};
use super::watch::Batch;
use inputs::Inputs;
use prints::{Fp, PageHashes, Prints};

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
    /// Per page (aligned with `site.pages`).
    memo: Vec<PageMemo>,
    body_diags: Vec<Vec<Diagnostic>>,
    /// Warnings of the section and glossary bodies.
    other_diags: Vec<Diagnostic>,
    renderer: Renderer,
    site_view: u64,
    jobs: HashMap<u64, JobRecord>,
}

/// What a later build needs to know about one page of this build.
#[derive(Debug, Clone, Copy, Default)]
struct PageMemo {
    hashes: PageHashes,
    links: u64,
    /// Inputs of the list entry: if equal, `hashes.entry` can be reused without serialising.
    entry_inputs: u64,
}

/// One job of the previous build.
struct JobRecord {
    print: Option<u64>,
    outputs: Vec<String>,
}

/// Which served paths each group of outputs claims (a later group wins on a shared path).
#[derive(Default)]
struct Layers {
    jobs: HashSet<String>,
    statics: HashSet<String>,
    extras: HashSet<String>,
}

/// The model a rebuild renders from.
struct Model {
    site: Site,
    bodies: Bodies,
    memo: Vec<PageMemo>,
    body_diags: Vec<Vec<Diagnostic>>,
    /// What is left of the previous build (its bodies may have been moved out).
    previous: Option<Previous>,
    highlighter: Arc<Highlighter>,
    parsed: usize,
    patched: bool,
}

/// The parts of [`Last`] a rebuild still needs once the model is rebuilt.
struct Previous {
    site: Option<Site>,
    other_diags: Vec<Diagnostic>,
    renderer: Renderer,
    site_view: u64,
    jobs: HashMap<u64, JobRecord>,
}

/// The incremental builder behind `serve`.
pub struct Engine {
    opts: BuildOptions,
    files: Arc<SiteFiles>,
    inputs: Option<Inputs>,
    last: Option<Last>,
    layers: Layers,
    /// Bumped by every full rebuild, so no fingerprint survives one.
    epoch: u64,
    extras_due: bool,
    /// The previous model, dropped after the new pages are served (freeing a large site
    /// takes milliseconds the author should not wait for).
    garbage: Option<Site>,
}

impl Engine {
    /// An engine building the site `opts` describes into `files`.
    pub fn new(mut opts: BuildOptions, files: Arc<SiteFiles>) -> Engine {
        // Watcher events carry canonical paths; compare like with like.
        opts.root = opts.root.canonicalize().unwrap_or(opts.root);
        Engine { opts, files, inputs: None, last: None, layers: Layers::default(), epoch: 0, extras_due: false, garbage: None }
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
    /// files and assets. Whole-site extras wait for [`Engine::finish`]. On failure the served
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
            o.full = full;
            self.extras_due = true;
        }
        outcome
    }

    /// Re-runs the whole-site extras if a rebuild made them due; returns what changed.
    pub fn finish(&mut self) -> Result<Outcome, BuildFailed> {
        let started = Instant::now();
        self.garbage = None;
        if !std::mem::take(&mut self.extras_due) {
            return Ok(Outcome::default());
        }
        let Some(Last { site, renderer, bodies, .. }) = &self.last else { return Ok(Outcome::default()) };
        let sink = MemorySink::default();
        let mut diags = Diagnostics::default();
        crate::extras::write_all(site, renderer, bodies, &sink, &mut diags);
        if diags.has_errors() {
            return Err(BuildFailed { diagnostics: diags.sorted() });
        }
        let written = sink.files.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        let new: HashSet<String> = written.iter().map(|(p, _)| p.clone()).collect();
        let mut updates: Vec<Update> = written.into_iter().map(|(p, b)| Update::Write(p, b)).collect();
        for gone in self.layers.extras.difference(&new) {
            if !self.layers.jobs.contains(gone) && !self.layers.statics.contains(gone) {
                updates.push(Update::Remove(gone.clone()));
            }
        }
        self.layers.extras = new;
        let changed = self.files.apply(updates);
        let warnings = diags.sorted();
        Ok(Outcome { changed, pages: self.pages(), warnings, elapsed: started.elapsed(), ..Outcome::default() })
    }

    fn pages(&self) -> usize {
        self.last.as_ref().map_or(0, |l| l.site.pages.len())
    }

    fn inputs_mut(&mut self) -> Result<&mut Inputs, BuildFailed> {
        self.inputs.as_mut().ok_or_else(not_loaded)
    }

    /// Steps 1–3 of the module docs: the new model and its bodies. On failure the previous
    /// build is kept (and served).
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
        let mut last = self.last.take();
        let (bodies, memo, body_diags) = bodies(&site, &highlighter, self.inputs.as_ref().ok_or_else(not_loaded)?, last.as_mut());
        timings.lap("bodies", &mut clock);
        let previous = last.map(|l| Previous { site: Some(l.site), other_diags: l.other_diags, renderer: l.renderer, site_view: l.site_view, jobs: l.jobs });
        Ok(Model { site, bodies, memo, body_diags, previous, highlighter, parsed: parsed_now, patched: false })
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
        let edited = patch::apply(&mut last.site, edits);
        timings.lap("patch", &mut clock);
        let inputs = self.inputs.as_ref().ok_or_else(not_loaded)?;
        let hl = Arc::clone(&last.renderer.highlighter);
        for &id in &edited {
            let p = &last.site.pages[id];
            let (body, d) = render::render_body(&last.site, &hl, (&p.shown, &p.text, p.body_start), &p.links, &p.scan.headings);
            let memo = &mut last.memo[id];
            memo.hashes.text = inputs.text_hash(&p.rel);
            memo.hashes.body = prints::body_hash(&body);
            memo.links = links_hash(&p.links);
            last.bodies.pages[id] = body;
            last.body_diags[id] = d;
        }
        // Section and glossary bodies do not depend on article bodies: keep them.
        timings.lap("bodies", &mut clock);
        let Last { site, bodies, memo, body_diags, other_diags, renderer, site_view, jobs } = last;
        let previous = Some(Previous { site: None, other_diags, renderer, site_view, jobs });
        let n = edited.len();
        Ok(Some(Model { site, bodies, memo, body_diags, previous, highlighter: hl, parsed: n, patched: true }))
    }

    /// Steps 4–5: fingerprint, render what changed, publish.
    fn render(&mut self, model: Model, full: bool, statics: bool, timings: &mut Timings) -> Result<Outcome, BuildFailed> {
        let mut clock = Instant::now();
        let Model { site, bodies, mut memo, body_diags, previous, highlighter, parsed, patched } = model;
        let view_hash = prints::serialized(&site_view(&site));
        let (renderer, old_view, old_jobs, old_site, old_other_diags) = match previous {
            Some(p) => (p.renderer, Some(p.site_view), Some(p.jobs), p.site, p.other_diags),
            None => (Renderer::new(&site, highlighter).map_err(|diagnostics| BuildFailed { diagnostics })?, None, None, None, Vec::new()),
        };
        let mut renderer = renderer;
        if old_view.is_some_and(|v| v != view_hash) {
            renderer.templates.tera.global_context().insert("site", &site_view(&site));
        }
        let mut diags = Diagnostics::default();
        diags.extend(site.warnings.iter().cloned());
        let (bodies, other_diags) = if patched {
            (bodies, old_other_diags)
        } else {
            let mut other = Diagnostics::default();
            let (sections, glossary) = section_and_glossary_bodies(&site, &renderer.highlighter, &mut other);
            (Bodies { sections, glossary, ..bodies }, other.sorted())
        };
        diags.extend(other_diags.iter().cloned());
        timings.lap("templates", &mut clock);

        let global = Fp::new().u64(view_hash).u64(self.epoch).finish();
        let mut prints = Prints::new(&site, &bodies, global);
        entries(&site, &bodies, &mut memo, &mut prints);
        let plan = plan_jobs(&site, &prints, old_jobs);
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

        let copy = statics || old_site.as_ref().is_some_and(|old| assets_of(old) != assets_of(&site));
        let statics_out = if copy { Some(render_statics(&site, &mut diags)?) } else { None };
        let changed = self.publish(full, outputs, stale, statics_out);
        timings.lap("apply", &mut clock);

        self.garbage = old_site;
        let pages = site.pages.len();
        self.last = Some(Last { site, bodies, memo, body_diags, other_diags, renderer, site_view: view_hash, jobs });
        let warnings = self.warnings(diags);
        Ok(Outcome { changed, pages, parsed, rendered: rendered_count, full, patched, warnings, timings: std::mem::take(timings), elapsed: Duration::ZERO })
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

    /// Hands new outputs to the served files, removing those no longer produced.
    fn publish(&mut self, full: bool, outputs: Vec<Output>, stale: Vec<String>, statics: Option<Vec<(String, Vec<u8>)>>) -> Vec<String> {
        let mut candidates: Vec<String> = stale;
        if full {
            candidates.extend(self.layers.jobs.drain());
        }
        for p in &candidates {
            self.layers.jobs.remove(p);
        }
        for o in &outputs {
            self.layers.jobs.insert(o.path.clone());
        }
        if let Some(statics) = &statics {
            let new: HashSet<String> = statics.iter().map(|(p, _)| p.clone()).collect();
            candidates.extend(self.layers.statics.difference(&new).cloned());
            self.layers.statics = new;
        }
        let l = &self.layers;
        // Pages first, then static files: as in `binder build`, the later write wins.
        let mut updates: Vec<Update> =
            outputs.into_iter().filter(|o| !l.statics.contains(&o.path) && !l.extras.contains(&o.path)).map(|o| Update::Write(o.path, o.bytes)).collect();
        if let Some(statics) = statics {
            updates.extend(statics.into_iter().filter(|(p, _)| !l.extras.contains(p)).map(|(p, b)| Update::Write(p, b)));
        }
        updates.extend(candidates.into_iter().filter(|p| !l.jobs.contains(p) && !l.statics.contains(p) && !l.extras.contains(p)).map(Update::Remove));
        self.files.apply(updates)
    }
}

fn not_loaded() -> BuildFailed {
    BuildFailed::one(Diagnostic::error("site.toml", "the site has not been loaded"))
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
    Ok(sink.files.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner))
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

/// Hash of a body's resolved links (order-independent: the map has no order).
fn links_hash(links: &ResolvedLinks) -> u64 {
    links
        .iter()
        .map(|(offset, l)| Fp::new().usize(*offset).str(&l.href).str(l.text.as_deref().unwrap_or("\u{0}")).finish())
        .fold(links.len() as u64, u64::wrapping_add)
}

/// Renders the page bodies of a rebuilt model, reusing the previous build's where the text
/// and the resolved links match (section and glossary bodies come later, always rendered).
fn bodies(site: &Site, hl: &Highlighter, inputs: &Inputs, last: Option<&mut Last>) -> (Bodies, Vec<PageMemo>, Vec<Vec<Diagnostic>>) {
    let n = site.pages.len();
    let texts: Vec<u64> = site.pages.iter().map(|p| inputs.text_hash(&p.rel)).collect();
    let links: Vec<u64> = site.pages.par_iter().map(|p| links_hash(&p.links)).collect();
    let mut pages: Vec<Option<(Body, Vec<Diagnostic>, u64)>> = (0..n).map(|_| None).collect();
    let mut memo: Vec<PageMemo> = vec![PageMemo::default(); n];
    if let Some(last) = last {
        let by_rel: HashMap<&str, usize> = last.site.pages.iter().enumerate().map(|(i, p)| (p.rel.as_str(), i)).collect();
        for (id, p) in site.pages.iter().enumerate() {
            let Some(&o) = by_rel.get(p.rel.as_str()) else { continue };
            let m = last.memo[o];
            memo[id] = m;
            if m.hashes.text == texts[id] && m.links == links[id] {
                let body = std::mem::take(&mut last.bodies.pages[o]);
                let d = std::mem::take(&mut last.body_diags[o]);
                pages[id] = Some((body, d, m.hashes.body));
            }
        }
    }
    let missing: Vec<usize> = (0..n).filter(|&i| pages[i].is_none()).collect();
    let fresh: Vec<(usize, (Body, Vec<Diagnostic>))> = missing
        .into_par_iter()
        .map(|i| {
            let p = &site.pages[i];
            (i, render::render_body(site, hl, (&p.shown, &p.text, p.body_start), &p.links, &p.scan.headings))
        })
        .collect();
    for (i, (body, d)) in fresh {
        let h = prints::body_hash(&body);
        pages[i] = Some((body, d, h));
    }
    let mut bodies = Bodies { pages: Vec::with_capacity(n), ..Bodies::default() };
    let mut body_diags = Vec::with_capacity(n);
    for (i, (body, d, h)) in pages.into_iter().flatten().enumerate() {
        bodies.pages.push(body);
        body_diags.push(d);
        // The entry hash stays from the matching old page until `entries` checks it.
        memo[i] = PageMemo { hashes: PageHashes { text: texts[i], body: h, entry: memo[i].hashes.entry }, links: links[i], entry_inputs: memo[i].entry_inputs };
    }
    (bodies, memo, body_diags)
}

/// Section and glossary bodies: few, so always rendered.
fn section_and_glossary_bodies(site: &Site, hl: &Highlighter, diags: &mut Diagnostics) -> (Vec<Body>, HashMap<(usize, usize), Body>) {
    let sections: Vec<(Body, Vec<Diagnostic>)> =
        site.sections.par_iter().map(|s| render::render_body(site, hl, (&s.shown, &s.text, s.body_start), &s.links, &s.scan.headings)).collect();
    let mut glossary = HashMap::new();
    for (ti, t) in site.taxonomies.iter().enumerate() {
        for (i, term) in t.terms.iter().enumerate() {
            if let Some(g) = &term.glossary {
                let (b, d) = render::render_body(site, hl, (&g.shown, &g.text, g.body_start), &g.links, &g.scan.headings);
                diags.extend(d);
                glossary.insert((ti, i), b);
            }
        }
    }
    let sections = sections
        .into_iter()
        .map(|(b, d)| {
            diags.extend(d);
            b
        })
        .collect();
    (sections, glossary)
}

/// Brings every page's list-entry hash up to date: reused when its inputs are unchanged
/// (and the page kept its place), else serialised afresh. Fills `prints` with the hashes.
fn entries(site: &Site, bodies: &Bodies, memo: &mut [PageMemo], prints: &mut Prints) {
    let ctx = Ctx { site, bodies, root: "" };
    let fresh: Vec<(u64, u64)> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| {
            let p = &site.pages[i];
            let m = memo[i];
            let inputs = Fp::new().u64(m.hashes.text).u64(m.hashes.body).str(&p.path).u64(prints.crumbs(p.section)).u64(prints.page_terms(i)).finish();
            // Memos of a rebuilt model come from the old page at the same path (`bodies`); a
            // new page has an empty memo, whose inputs never match.
            let entry = if m.entry_inputs == inputs { m.hashes.entry } else { prints::serialized(&ctx.page_ref(i)) };
            (inputs, entry)
        })
        .collect();
    for (m, (inputs, entry)) in memo.iter_mut().zip(fresh) {
        m.entry_inputs = inputs;
        m.hashes.entry = entry;
    }
    prints.set_pages(memo.iter().map(|m| m.hashes).collect());
}

/// A rendered job: (key, fingerprint, its files or its error).
type Rendered = (u64, Option<u64>, Result<Vec<Output>, Diagnostic>);

/// Which jobs to render, which to keep, which are gone.
struct JobPlan {
    dirty: Vec<(u64, Option<u64>, Job)>,
    kept: HashMap<u64, JobRecord>,
    /// Outputs of re-rendered jobs in the previous build, by key.
    replaced: HashMap<u64, Vec<String>>,
    removed: Vec<JobRecord>,
}

fn plan_jobs(site: &Site, prints: &Prints, old: Option<HashMap<u64, JobRecord>>) -> JobPlan {
    let mut old = old.unwrap_or_default();
    let all = render::jobs(site);
    let keyed: Vec<(u64, Option<u64>, Job)> = all.par_iter().map(|&job| (prints::job_key(site, job), prints.job(job), job)).collect();
    let mut plan = JobPlan { dirty: Vec::new(), kept: HashMap::with_capacity(keyed.len()), replaced: HashMap::new(), removed: Vec::new() };
    for (key, print, job) in keyed {
        match old.remove(&key) {
            Some(rec) if print.is_some() && rec.print == print => {
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
