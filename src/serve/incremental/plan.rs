//! Which render jobs a rebuild runs, from what each job read last time.
//!
//! Every job renders under [`reads::recording`]; its [`Trace`] keeps the reads with the
//! hash of each read's value. A job is clean when every read still has the same value in the
//! new model (the reads a job makes follow from the values it read, so equal values mean an
//! equal page). After a model rebuild, traces are carried over to the new indexes by
//! [`Remap`] and every job is checked; after a patch only the jobs that read a changed entity
//! are (found in [`Traces::by_entity`]). Nothing here knows what a template shows.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{ROOT_MARK, Site};
use crate::render::reads::{self, Entity, Read, Remap};
use crate::render::views::Ctx;
use crate::render::{self, Bodies, Job, Output, Renderer};

/// One job of a build: what it read (with the values' hashes) and the files it wrote.
pub(super) struct Trace {
    job: Job,
    reads: Vec<(Read, u64)>,
    outputs: Vec<String>,
}

/// The traces of a build, by job key.
#[derive(Default)]
pub(super) struct Traces {
    /// Hash of what every job shows (the `site` variable).
    global: u64,
    jobs: HashMap<u64, Trace>,
    /// For every entity, the jobs that read it (a superset after patches).
    by_entity: HashMap<Entity, Vec<u64>>,
}

/// What a rebuild changed, for the planner.
pub(super) enum Change<'a> {
    /// The model was rebuilt: `old` is the previous one and its traces.
    Model(Option<(&'a Site, Traces)>),
    /// The model was patched: these entities changed, the job list did not.
    Patch(Traces, &'a [Entity]),
}

/// What running a rebuild's jobs produced.
pub(super) struct Done {
    /// Every job of the build, for the next one.
    pub(super) traces: Traces,
    /// The new files.
    pub(super) outputs: Vec<Output>,
    /// Files the previous build had and this one may not (removed or re-rendered jobs).
    pub(super) stale: Vec<String>,
    /// Jobs run.
    pub(super) rendered: usize,
}

/// Hashes of read values in one model, computed once each.
struct Values<'a>(Ctx<'a>, HashMap<Read, u64>);

impl<'a> Values<'a> {
    fn new(site: &'a Site, bodies: &'a Bodies) -> Self {
        let ctx = Ctx {
            site,
            bodies,
            root: ROOT_MARK,
        };
        Values(ctx, HashMap::new())
    }

    /// Computes (in parallel) the values of `wanted` not known yet.
    fn fill(&mut self, wanted: HashSet<Read>) {
        let ctx = &self.0;
        let known = &self.1;
        let fresh: Vec<(Read, u64)> = wanted
            .into_par_iter()
            .filter(|r| !known.contains_key(r))
            .map(|r| (r, ctx.read_hash(r)))
            .collect();
        self.1.extend(fresh);
    }

    fn get(&self, r: &Read) -> u64 {
        self.1
            .get(r)
            .copied()
            .unwrap_or_else(|| self.0.read_hash(*r))
    }
}

/// Plans and renders the jobs of `site` whose reads changed; their errors go to `diags`.
pub(super) fn run(
    site: &Site,
    bodies: &Bodies,
    renderer: &Renderer,
    global: u64,
    change: Change<'_>,
    diags: &mut Diagnostics,
) -> Done {
    let mut values = Values::new(site, bodies);
    let (mut traces, dirty, mut stale) = match change {
        Change::Patch(traces, changed) if traces.global == global => {
            patched(traces, changed, &mut values)
        }
        Change::Patch(traces, _) => rebuilt(site, global, None, traces, &mut values),
        Change::Model(Some((old, traces))) => rebuilt(site, global, Some(old), traces, &mut values),
        Change::Model(None) => rebuilt(site, global, None, Traces::default(), &mut values),
    };
    type Rendered = (u64, Job, Result<Vec<Output>, Diagnostic>, Vec<Read>);
    let rendered: Vec<Rendered> = dirty
        .par_iter()
        .map(|&(key, job)| {
            let (out, read) = reads::recording(|| renderer.render(site, bodies, job));
            (key, job, out, read)
        })
        .collect();
    values.fill(rendered.iter().flat_map(|r| r.3.iter().copied()).collect());
    let mut outputs = Vec::new();
    let count = rendered.len();
    for (key, job, result, read) in rendered {
        match result {
            Ok(files) => {
                let paths: Vec<String> = files.iter().map(|o| o.path.clone()).collect();
                if let Some(old) = traces.jobs.remove(&key) {
                    stale.extend(old.outputs.into_iter().filter(|p| !paths.contains(p)));
                }
                for r in &read {
                    let jobs = traces.by_entity.entry(r.entity()).or_default();
                    if !jobs.contains(&key) {
                        jobs.push(key);
                    }
                }
                let reads = read.iter().map(|r| (*r, values.get(r))).collect();
                let trace = Trace {
                    job,
                    reads,
                    outputs: paths,
                };
                traces.jobs.insert(key, trace);
                outputs.extend(files);
            }
            Err(d) => diags.push(d),
        }
    }
    Done {
        traces,
        outputs,
        stale,
        rendered: count,
    }
}

/// Jobs to render: (key, job).
type Dirty = Vec<(u64, Job)>;

/// After a patch: the jobs that read a changed entity and now see another value.
fn patched(
    mut traces: Traces,
    changed: &[Entity],
    values: &mut Values<'_>,
) -> (Traces, Dirty, Vec<String>) {
    let changed: HashSet<Entity> = changed.iter().copied().collect();
    let mut keys: Vec<u64> = changed
        .iter()
        .filter_map(|e| traces.by_entity.get(e))
        .flatten()
        .copied()
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let touched = |t: &Trace| -> Vec<Read> {
        t.reads
            .iter()
            .map(|(r, _)| *r)
            .filter(|r| changed.contains(&r.entity()))
            .collect()
    };
    let wanted = keys
        .iter()
        .filter_map(|k| traces.jobs.get(k))
        .flat_map(touched)
        .collect();
    values.fill(wanted);
    let mut dirty = Vec::new();
    for key in keys {
        let Some(t) = traces.jobs.get_mut(&key) else {
            continue;
        };
        let mut same = true;
        for (r, h) in &mut t.reads {
            if changed.contains(&r.entity()) {
                let now = values.get(r);
                same &= now == *h;
                *h = now;
            }
        }
        if !same {
            dirty.push((key, t.job));
        }
    }
    (traces, dirty, Vec::new())
}

/// After a model rebuild: every job of `site`, clean if its carried-over reads kept their
/// values. Returns the new traces (clean jobs only), the jobs to render and the outputs of
/// jobs that are gone.
fn rebuilt(
    site: &Site,
    global: u64,
    old: Option<&Site>,
    mut traces: Traces,
    values: &mut Values<'_>,
) -> (Traces, Dirty, Vec<String>) {
    let remap = old
        .filter(|_| traces.global == global)
        .map(|o| Remap::new(o, site));
    let mut carried: HashMap<u64, Trace> = HashMap::new();
    let mut stale = Vec::new();
    for (key, t) in traces.jobs.drain() {
        let moved = remap.as_ref().and_then(|m| {
            let job = m.job(t.job)?;
            let reads = t
                .reads
                .iter()
                .map(|&(r, h)| Some((m.read(r)?, h)))
                .collect::<Option<Vec<_>>>()?;
            Some((job, reads))
        });
        match moved {
            Some((job, reads)) => {
                let outputs = t.outputs;
                carried.insert(
                    key,
                    Trace {
                        job,
                        reads,
                        outputs,
                    },
                );
            }
            // Gone or unmatched: its files go unless a new job writes them again.
            None => stale.extend(t.outputs),
        }
    }
    let jobs: Vec<(u64, Job)> = render::jobs(site)
        .into_iter()
        .map(|j| (render::job_key(site, j), j))
        .collect();
    values.fill(
        carried
            .values()
            .flat_map(|t| t.reads.iter().map(|(r, _)| *r))
            .collect(),
    );
    let mut next = Traces {
        global,
        ..Traces::default()
    };
    let mut dirty = Vec::new();
    for (key, job) in jobs {
        match carried.remove(&key) {
            Some(t) if t.job == job && t.reads.iter().all(|(r, h)| values.get(r) == *h) => {
                for (r, _) in &t.reads {
                    next.by_entity.entry(r.entity()).or_default().push(key);
                }
                next.jobs.insert(key, t);
            }
            Some(t) => {
                stale.extend(t.outputs);
                dirty.push((key, job));
            }
            None => dirty.push((key, job)),
        }
    }
    stale.extend(carried.into_values().flat_map(|t| t.outputs));
    for v in next.by_entity.values_mut() {
        v.dedup();
    }
    (next, dirty, stale)
}
