//! The build status and the live-reload signals every open page listens to.
//!
//! The rebuild thread reports each outcome here; the hub keeps the current error (so a page
//! opened or reloaded while the build is broken still shows the overlay) and broadcasts a
//! [`Signal`] to every event stream.

use std::sync::{Mutex, PoisonError};

use axum::response::sse::Event;
use serde::Serialize;
use tokio::sync::broadcast;

use crate::diag::Diagnostic;
use crate::health::live as health;

/// What an open page should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// Reload if showing one of these files (`None`: every page reloads).
    Reload(Option<Vec<String>>),
    /// Swap stylesheets in place.
    Css(Vec<String>),
    /// Show the overlay with these errors (JSON list of diagnostics).
    Error(String),
    /// The build is fixed: hide the overlay.
    Ok,
    /// The health report's counts changed (JSON [`health::Summary`]): the overlay's
    /// warnings badge follows.
    Health(String),
}

impl Signal {
    /// The Server-Sent Event for this signal.
    pub fn event(&self) -> Event {
        match self {
            Signal::Reload(paths) => Event::default()
                .event("reload")
                .data(serde_json::json!({ "paths": paths }).to_string()),
            Signal::Css(paths) => Event::default()
                .event("css")
                .data(serde_json::json!({ "paths": paths }).to_string()),
            Signal::Error(json) => Event::default().event("error").data(json),
            Signal::Ok => Event::default().event("ok").data(""),
            Signal::Health(json) => Event::default().event("health").data(json),
        }
    }

    /// The signal for files that changed in a rebuild: stylesheets alone are swapped; HTML
    /// pages reload where they are shown; anything else (a script, an image) may be used by
    /// any page, so every page reloads. `None` if nothing changed.
    pub fn for_changes(changed: &[String]) -> Option<Signal> {
        if changed.is_empty() {
            return None;
        }
        let is = |p: &String, ext: &str| {
            p.rsplit_once('.')
                .is_some_and(|(_, e)| e.eq_ignore_ascii_case(ext))
        };
        if changed.iter().all(|p| is(p, "css")) {
            return Some(Signal::Css(changed.to_vec()));
        }
        if changed.iter().all(|p| is(p, "html") || is(p, "css")) {
            return Some(Signal::Reload(Some(changed.to_vec())));
        }
        Some(Signal::Reload(None))
    }
}

/// A summary of the last build for `/__binder/status`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BuildStatus {
    /// Builds run since the server started (the first one included).
    pub builds: u64,
    /// The last build succeeded.
    pub ok: bool,
    /// Why it failed: the errors in their one-line form (`path:line:col: message`).
    pub errors: Vec<String>,
    /// Articles in the site.
    pub pages: usize,
    /// Files parsed again by the last build.
    pub parsed: usize,
    /// Render jobs the last build ran.
    pub rendered: usize,
    /// Files whose bytes changed.
    pub changed: usize,
    /// Wall time of the last build until its pages were served, in milliseconds.
    pub ms: f64,
    /// Time per stage of the last build, in milliseconds.
    pub stages: Vec<(String, f64)>,
}

struct State {
    status: BuildStatus,
    errors: Vec<Diagnostic>,
}

/// Status and signals, shared by the rebuild thread and the HTTP handlers.
pub struct Hub {
    instance: String,
    tx: broadcast::Sender<Signal>,
    state: Mutex<State>,
}

impl Hub {
    /// A hub for one server run; `instance` identifies the run to reconnecting pages.
    pub fn new(instance: String) -> Hub {
        let (tx, _) = broadcast::channel(64);
        Hub {
            instance,
            tx,
            state: Mutex::new(State {
                status: BuildStatus::default(),
                errors: Vec::new(),
            }),
        }
    }

    /// Tells the open pages what a new health report changed: the counts and the report's
    /// id to every page (the overlay's badge follows; the `/_health/` page reloads on a new
    /// id); a reload to the pages whose stale-article notice changed.
    pub fn health_changed(&self, changed: &health::Changed, summary: &health::Summary) {
        if changed.summary {
            self.send(Signal::Health(summary.json()));
        }
        if !changed.notices.is_empty() {
            self.send(Signal::Reload(Some(changed.notices.clone())));
        }
    }

    /// The server run's id.
    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// A receiver for future signals.
    pub fn subscribe(&self) -> broadcast::Receiver<Signal> {
        self.tx.subscribe()
    }

    /// Sends a signal to every open page (none listening is fine).
    pub fn send(&self, signal: Signal) {
        let _ = self.tx.send(signal);
    }

    /// Records a successful build; returns true if it fixes a failed one.
    pub fn succeeded(&self, status: BuildStatus) -> bool {
        let mut s = self.lock();
        let was_failing = !s.errors.is_empty();
        s.errors.clear();
        s.status = BuildStatus {
            builds: s.status.builds,
            ok: true,
            ..status
        };
        was_failing
    }

    /// Records a failed build and tells every page.
    pub fn failed(&self, errors: Vec<Diagnostic>) {
        let json = super::overlay::errors_json(&errors);
        {
            let mut s = self.lock();
            s.status.ok = false;
            s.status.errors = errors
                .iter()
                .filter(|d| d.is_error())
                .take(50)
                .map(ToString::to_string)
                .collect();
            s.errors = errors;
        }
        self.send(Signal::Error(json));
    }

    /// Counts a build starting.
    pub fn started(&self) {
        self.lock().status.builds += 1;
    }

    /// The current errors as the overlay's JSON, if the build is broken.
    pub fn error_json(&self) -> Option<String> {
        let s = self.lock();
        (!s.errors.is_empty()).then(|| super::overlay::errors_json(&s.errors))
    }

    /// The current errors.
    pub fn error_diagnostics(&self) -> Vec<Diagnostic> {
        self.lock().errors.clone()
    }

    /// `/__binder/status` as JSON.
    pub fn status_json(&self) -> String {
        serde_json::to_string(&self.lock().status).unwrap_or_else(|_| "{}".into())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| (*x).to_owned()).collect()
    }

    #[test]
    fn signals_follow_what_changed() {
        assert_eq!(Signal::for_changes(&[]), None);
        assert_eq!(
            Signal::for_changes(&s(&["style.css"])),
            Some(Signal::Css(s(&["style.css"])))
        );
        assert_eq!(
            Signal::for_changes(&s(&["a/index.html", "style.css"])),
            Some(Signal::Reload(Some(s(&["a/index.html", "style.css"]))))
        );
        assert_eq!(
            Signal::for_changes(&s(&["a/index.html", "logo.png"])),
            Some(Signal::Reload(None))
        );
    }

    #[test]
    fn fixing_a_failed_build_is_reported_once() {
        let hub = Hub::new("x".into());
        assert!(!hub.succeeded(BuildStatus::default()));
        hub.failed(vec![Diagnostic::error("content/a.md", "bad")]);
        assert!(hub.error_json().is_some_and(|j| j.contains("content/a.md")));
        let status: serde_json::Value = serde_json::from_str(&hub.status_json()).expect("json");
        assert_eq!(status["ok"], false);
        assert_eq!(status["errors"][0], "content/a.md: bad");
        assert!(hub.succeeded(BuildStatus::default()));
        assert!(hub.error_json().is_none());
        assert!(!hub.succeeded(BuildStatus::default()));
    }
}
