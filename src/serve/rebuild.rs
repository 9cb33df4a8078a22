//! One rebuild of `serve`, made robust: a batch of changes in, served files and signals out.
//!
//! Whatever happens in a rebuild, the server goes on and the next edit rebuilds again:
//! - a panic (a bug in binder) becomes a "binder hit a bug" diagnostic in the overlay and in
//!   `/__binder/status`, and the next rebuild starts over from scratch (the engine's caches
//!   may be half-updated);
//! - a failure for an I/O reason (out of file descriptors, an interrupted read) is retried
//!   with backoff; if it keeps failing the overlay says so, and binder tries again every few
//!   seconds and on the next save;
//! - the changes of a failed rebuild are carried into the next one, so no edit is lost.

use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::Duration;

use crate::diag::{BuildFailed, Diagnostic, Origin};

use super::Console;
use super::files::SiteFiles;
use super::hub::{BuildStatus, Hub, Signal};
use super::incremental::{Engine, ExtrasUpdate, Outcome};
use super::watch::Batch;
use crate::diag::guard;
use crate::health::live as health;

/// Waits before each retry of a rebuild that failed for an I/O reason.
const BACKOFF: [Duration; 4] = [
    Duration::from_millis(50),
    Duration::from_millis(150),
    Duration::from_millis(400),
    Duration::from_millis(1000),
];
/// After the retries, how often binder tries again by itself.
pub const RETRY_EVERY: Duration = Duration::from_secs(5);

/// How one attempt failed.
enum Failure {
    /// The build reported errors.
    Build(BuildFailed),
    /// binder panicked.
    Bug(Diagnostic),
}

/// Drives the engine: one [`Rebuilder::run`] per batch of changes.
pub struct Rebuilder {
    engine: Engine,
    hub: Arc<Hub>,
    extras: Sender<ExtrasUpdate>,
    /// The health thread: every outcome goes there too.
    health: Sender<health::Input>,
    console: Console,
    /// Changes of failed rebuilds, to redo with the next batch.
    pending: Batch,
    /// The last failure was an I/O one that outlasted the retries: try again by itself.
    retry_later: bool,
    /// The last rebuild failed.
    failing: bool,
    faults: Faults,
}

impl Rebuilder {
    /// A rebuilder for `engine`, reporting to `hub` and feeding the extras and health
    /// threads.
    pub fn new(
        engine: Engine,
        hub: Arc<Hub>,
        extras: Sender<ExtrasUpdate>,
        health: Sender<health::Input>,
    ) -> Rebuilder {
        Rebuilder {
            engine,
            hub,
            extras,
            health,
            console: Console::new(),
            pending: Batch::default(),
            retry_later: false,
            failing: false,
            faults: Faults::from_env(),
        }
    }

    /// The engine's theme (the watcher follows it).
    pub fn theme(&self) -> Option<String> {
        self.engine.theme()
    }

    /// When to try again without a save (`None`: wait for one).
    pub fn retry_in(&self) -> Option<Duration> {
        self.retry_later.then_some(RETRY_EVERY)
    }

    /// Rebuilds for `batch` (and the changes of earlier failed rebuilds), serves the result
    /// and tells the open pages. True if it succeeded.
    pub fn run(&mut self, batch: &Batch) -> bool {
        let batch = merge(std::mem::take(&mut self.pending), batch);
        if batch.is_empty() {
            return true;
        }
        self.hub.started();
        self.retry_later = false;
        let mut retries = 0;
        loop {
            let failure = match self.attempt(&batch) {
                Ok(outcome) => {
                    self.succeeded(&batch, outcome);
                    return true;
                }
                Err(f) => f,
            };
            match failure {
                Failure::Build(failed) if is_transient(&failed) && retries < BACKOFF.len() => {
                    let wait = BACKOFF[retries];
                    retries += 1;
                    self.console.note(&format!(
                        "the rebuild failed for an I/O reason ({}); retrying in {} ms",
                        first_error(&failed),
                        wait.as_millis()
                    ));
                    std::thread::sleep(wait);
                }
                Failure::Build(mut failed) => {
                    if is_transient(&failed) {
                        self.retry_later = true;
                        failed.diagnostics.push(gave_up(retries));
                    }
                    self.pending = batch;
                    self.report_failure(failed);
                    return false;
                }
                Failure::Bug(bug) => {
                    // The engine's caches may be half-updated: start over next time.
                    self.pending = Batch {
                        full: true,
                        ..batch
                    };
                    self.report_failure(BuildFailed::one(bug));
                    return false;
                }
            }
        }
    }

    fn attempt(&mut self, batch: &Batch) -> Result<Outcome, Failure> {
        let faults = &mut self.faults;
        let engine = &mut self.engine;
        guard::catch("rebuilding the site", || {
            faults.inject(batch)?;
            engine.rebuild(batch)
        })
        .map_err(Failure::Bug)?
        .map_err(Failure::Build)
    }

    fn succeeded(&mut self, batch: &Batch, outcome: Outcome) {
        let generation = self.engine.files().generation();
        if self.hub.succeeded(status(&outcome)) {
            self.hub.send(Signal::Ok);
        }
        if let Some(signal) = Signal::for_changes(&outcome.changed) {
            if signal == Signal::Reload(None) {
                self.engine.files().reload_all(generation);
            }
            self.hub.send(signal);
        }
        let console = &self.console;
        if guard::catch("showing the warnings", || console.rebuilt(batch, &outcome)).is_err() {
            console.note("(the warnings could not be shown: binder hit a bug)");
        }
        for update in self.engine.extras_updates() {
            let _ = self.extras.send(update);
        }
        if std::mem::take(&mut self.failing) || judged_the_content(&outcome) {
            let _ = self.health.send(health::Input::Built(outcome.warnings));
        }
    }

    /// Overlay first (the terminal rendering of a diagnostic is the riskier part).
    fn report_failure(&mut self, failed: BuildFailed) {
        self.failing = true;
        let _ = self
            .health
            .send(health::Input::Failed(failed.diagnostics.clone()));
        self.hub.failed(failed.errors().cloned().collect());
        report_to_console(&self.console, &failed);
    }

    /// The files being served.
    pub fn files(&self) -> &Arc<SiteFiles> {
        self.engine.files()
    }
}

/// Prints `failed`; if drawing a diagnostic panics, falls back to one line per error.
pub fn report_to_console(console: &Console, failed: &BuildFailed) {
    if guard::catch("showing the errors", || console.failed(failed)).is_err() {
        for d in failed.errors() {
            eprintln!("error: {d}");
        }
    }
}

/// True if `outcome` went through the content (its warnings are the whole site's). A
/// rebuild that only copied static files, or found nothing changed, reports no warnings: the
/// previous ones still hold.
fn judged_the_content(o: &Outcome) -> bool {
    o.full || o.patched || o.parsed > 0 || o.rendered > 0 || !o.warnings.is_empty()
}

/// `pending` then `batch`, as one batch.
fn merge(mut pending: Batch, batch: &Batch) -> Batch {
    pending.full |= batch.full;
    for p in &batch.content {
        if !pending.content.contains(p) {
            pending.content.push(p.clone());
        }
    }
    for p in &batch.statics {
        if !pending.statics.contains(p) {
            pending.statics.push(p.clone());
        }
    }
    pending
}

/// True if some error comes from the system rather than the site (see
/// [`IoCause::is_transient`](crate::diag::IoCause::is_transient)): decided on the typed I/O
/// cause the diagnostic carries, not on its message.
fn is_transient(failed: &BuildFailed) -> bool {
    failed.errors().any(|d| {
        d.io.as_ref()
            .is_some_and(crate::diag::IoCause::is_transient)
    })
}

fn first_error(failed: &BuildFailed) -> String {
    failed
        .errors()
        .next()
        .map_or_else(String::new, |d| d.message.clone())
}

fn gave_up(retries: usize) -> Diagnostic {
    Diagnostic::error(
        "",
        format!(
            "the rebuild still failed after {retries} retries for an I/O reason; binder tries \
             again every {} s and on the next save, and your edits are kept",
            RETRY_EVERY.as_secs()
        ),
    )
    .with_origin(Origin::Io)
    .with_hint(
        "if the system is out of file descriptors, close other programs or raise the limit \
         (`ulimit -n 4096`) and restart `binder serve`",
    )
}

/// `/__binder/status` after a successful rebuild.
pub fn status(o: &Outcome) -> BuildStatus {
    BuildStatus {
        builds: 0,
        ok: true,
        errors: Vec::new(),
        pages: o.pages,
        parsed: o.parsed,
        rendered: o.rendered,
        changed: o.changed.len(),
        ms: o.elapsed.as_secs_f64() * 1000.0,
        stages: o
            .timings
            .stages
            .iter()
            .map(|(s, d)| ((*s).to_owned(), d.as_secs_f64() * 1000.0))
            .collect(),
    }
}

/// Faults for the integration tests, which drive the real binary (so `cfg(test)` cannot
/// reach them), set with `BINDER_SERVE_FAULT`:
/// - `panic:TEXT`: a rebuild panics while a changed article contains TEXT;
/// - `emfile:N`: the next N rebuild attempts fail with "Too many open files".
///
/// Unset (always, outside the tests) it does nothing.
#[derive(Debug, Default)]
struct Faults {
    panic_on: Option<String>,
    emfile: usize,
}

impl Faults {
    fn from_env() -> Faults {
        let Ok(spec) = std::env::var("BINDER_SERVE_FAULT") else {
            return Faults::default();
        };
        match spec.split_once(':') {
            Some(("panic", text)) => Faults {
                panic_on: Some(text.to_owned()),
                emfile: 0,
            },
            Some(("emfile", n)) => Faults {
                panic_on: None,
                emfile: n.parse().unwrap_or(0),
            },
            _ => Faults::default(),
        }
    }

    fn inject(&mut self, batch: &Batch) -> Result<(), BuildFailed> {
        if let Some(text) = &self.panic_on {
            let hit = batch
                .content
                .iter()
                .any(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains(text.as_str())));
            assert!(!hit, "injected fault: an article contains `{text}`");
        }
        if self.emfile > 0 && !batch.content.is_empty() {
            self.emfile -= 1;
            let path = batch.content[0].display().to_string();
            let e = std::io::Error::from_raw_os_error(24);
            let d =
                Diagnostic::error(&path, format!("cannot read the file: {e}")).with_io(&path, &e);
            return Err(d.into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn out_of_descriptors_and_interrupted_reads_are_transient() {
        let io = |code: i32| {
            let e = std::io::Error::from_raw_os_error(code);
            BuildFailed::one(
                Diagnostic::error("content/a.md", format!("cannot read the file: {e}"))
                    .with_io("content/a.md", &e),
            )
        };
        assert!(is_transient(&io(24)), "EMFILE");
        assert!(is_transient(&io(23)), "ENFILE");
        assert!(is_transient(&io(4)), "EINTR");
        assert!(!is_transient(&io(2)), "ENOENT is the site's business");
        let yaml = BuildFailed::one(Diagnostic::error("content/a.md", "bad YAML"));
        assert!(!is_transient(&yaml));
        // The message alone no longer decides: text that looks like EMFILE is not one.
        let lookalike = BuildFailed::one(Diagnostic::error(
            "content/a.md",
            "the article says (os error 24) in its title",
        ));
        assert!(!is_transient(&lookalike));
    }

    #[test]
    fn failed_changes_are_carried_into_the_next_batch() {
        let pending = Batch {
            full: false,
            content: vec![PathBuf::from("/s/content/a.md")],
            statics: Vec::new(),
        };
        let next = Batch {
            full: false,
            content: vec![
                PathBuf::from("/s/content/b.md"),
                PathBuf::from("/s/content/a.md"),
            ],
            statics: vec![PathBuf::from("/s/static/x.css")],
        };
        let merged = merge(pending, &next);
        assert_eq!(merged.content.len(), 2);
        assert_eq!(merged.statics.len(), 1);
        assert!(!merged.full);
        assert!(
            merge(
                Batch {
                    full: true,
                    ..Batch::default()
                },
                &next
            )
            .full
        );
    }
}
