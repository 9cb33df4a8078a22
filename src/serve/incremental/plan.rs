//! Which render jobs a rebuild runs, and running them.
//!
//! After a model rebuild every job is fingerprinted and compared with the previous build's
//! (jobs are matched by a key that survives page indexes shifting). After a patch the job list
//! is unchanged, so only the jobs showing an edited page (from the reverse index) are
//! fingerprinted.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{PageId, Site};
use crate::render::{self, Bodies, Job, Output, Renderer};

use super::Last;
use super::bodies::{self, PageMemo};
use super::prints::{self, Prints};

/// One job of a build: its fingerprint and the files it wrote.
pub(super) struct JobRecord {
    print: u64,
    outputs: Vec<String>,
}

/// The fingerprints of a build and the jobs it must run.
pub(super) struct Planned {
    pub(super) prints: Prints,
    /// For every page, the jobs that show it.
    pub(super) reverse: Vec<Vec<Job>>,
    jobs: JobPlan,
    /// The rest of the previous build when the model was rebuilt (dropped later).
    pub(super) old: Option<Last>,
}

/// Which jobs to render, which to keep, which are gone.
#[derive(Default)]
struct JobPlan {
    dirty: Vec<(u64, u64, Job)>,
    kept: HashMap<u64, JobRecord>,
    /// Outputs of re-rendered jobs in the previous build, by key.
    replaced: HashMap<u64, Vec<String>>,
    removed: Vec<JobRecord>,
}

/// Plans the jobs of `site`. `edited`: the pages a patch changed (then only the jobs that
/// show them are candidates, if the site-wide context `global` is unchanged too).
pub(super) fn plan(
    site: &Site,
    bodies: &Bodies,
    memo: &mut [PageMemo],
    global: u64,
    edited: Option<&[PageId]>,
    previous: Option<Last>,
) -> Planned {
    match (edited, previous) {
        (Some(edited), Some(last)) if last.prints.global() == global => {
            let mut prints = last.prints;
            bodies::entries(site, bodies, memo, &mut prints, edited);
            let jobs = some(site, &prints, &last.reverse, edited, last.jobs);
            Planned {
                prints,
                reverse: last.reverse,
                jobs,
                old: None,
            }
        }
        (_, mut previous) => {
            let mut prints = Prints::new(site, bodies, global);
            let all: Vec<usize> = (0..site.pages.len()).collect();
            bodies::entries(site, bodies, memo, &mut prints, &all);
            let list = render::jobs(site);
            let old_jobs = previous.as_mut().map(|l| std::mem::take(&mut l.jobs));
            let jobs = all_jobs(site, &prints, &list, old_jobs.unwrap_or_default());
            let reverse = prints.reverse_index(site, &list);
            Planned {
                prints,
                reverse,
                jobs,
                old: previous,
            }
        }
    }
}

/// Fingerprints every job of `site` against the previous build's.
fn all_jobs(
    site: &Site,
    prints: &Prints,
    jobs: &[Job],
    mut old: HashMap<u64, JobRecord>,
) -> JobPlan {
    let keyed: Vec<(u64, u64, Job)> = jobs
        .par_iter()
        .map(|&job| (prints::job_key(site, job), prints.job(site, job), job))
        .collect();
    let mut plan = JobPlan {
        kept: HashMap::with_capacity(keyed.len()),
        ..JobPlan::default()
    };
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

/// After a patch: fingerprints only the jobs that show an edited page (no page came or
/// went, no listing grew: the job list is unchanged).
fn some(
    site: &Site,
    prints: &Prints,
    reverse: &[Vec<Job>],
    edited: &[PageId],
    mut jobs: HashMap<u64, JobRecord>,
) -> JobPlan {
    let mut candidates: Vec<Job> = edited
        .iter()
        .flat_map(|&p| reverse[p].iter().copied())
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    let mut plan = JobPlan::default();
    for job in candidates {
        let key = prints::job_key(site, job);
        let print = prints.job(site, job);
        if jobs.get(&key).is_none_or(|r| r.print != print) {
            if let Some(rec) = jobs.remove(&key) {
                plan.replaced.insert(key, rec.outputs);
            }
            plan.dirty.push((key, print, job));
        }
    }
    plan.kept = jobs;
    plan
}

/// What running the planned jobs produced.
pub(super) struct Done {
    /// Every job of the build, for the next one.
    pub(super) jobs: HashMap<u64, JobRecord>,
    /// The new files.
    pub(super) outputs: Vec<Output>,
    /// Files the previous build had and this one may not (removed or re-rendered jobs).
    pub(super) stale: Vec<String>,
    /// Jobs run.
    pub(super) rendered: usize,
}

/// Renders the dirty jobs in parallel; their errors go to `diags`.
pub(super) fn run(
    site: &Site,
    bodies: &Bodies,
    renderer: &Renderer,
    planned: &mut Planned,
    diags: &mut Diagnostics,
) -> Done {
    type Rendered = (u64, u64, Result<Vec<Output>, Diagnostic>);
    let plan = &mut planned.jobs;
    let rendered: Vec<Rendered> = plan
        .dirty
        .par_iter()
        .map(|&(key, print, job)| (key, print, renderer.render(site, bodies, job)))
        .collect();
    let mut done = Done {
        jobs: std::mem::take(&mut plan.kept),
        outputs: Vec::new(),
        stale: std::mem::take(&mut plan.removed)
            .into_iter()
            .flat_map(|r| r.outputs)
            .collect(),
        rendered: rendered.len(),
    };
    for (key, print, result) in rendered {
        match result {
            Ok(files) => {
                let outputs: Vec<String> = files.iter().map(|o| o.path.clone()).collect();
                if let Some(old) = plan.replaced.get(&key) {
                    done.stale
                        .extend(old.iter().filter(|p| !outputs.contains(p)).cloned());
                }
                done.jobs.insert(key, JobRecord { print, outputs });
                done.outputs.extend(files);
            }
            Err(d) => diags.push(d),
        }
    }
    done
}
