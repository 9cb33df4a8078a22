//! Watching the site for changes: `notify` events → one [`Batch`] per save.
//!
//! What is watched: `content/`, `templates/`, `static/`, `syntaxes/`, `themes/`, `i18n/` and `site.toml`
//! (through a non-recursive watch of the root, which also sees those folders appear). The
//! output folder is never watched: `serve` keeps the site in memory and writes nothing there.
//!
//! Editors save in odd ways: vim probes with `4913`, renames the file to `x~`, writes a new
//! one and deletes the backup; JetBrains writes a temp file and renames it over the old one;
//! most emit several events per save. `notify-debouncer-full` folds rename pairs and repeated
//! events; on top of it we wait for the save to *settle*: once every touched file's last event
//! says its content is complete (closed after writing, or renamed into place) a short
//! pause suffices, otherwise (a write still in progress) we wait longer. Saves thus cost one
//! rebuild and start it within a few milliseconds, which the latency targets need
//! (a fixed 50 ms debounce alone would exceed the 20 ms edit-to-served budget).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind, RenameMode};
use notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::load::is_ignored_name;

/// How long the debouncer holds an event to fold it with its siblings.
const DEBOUNCE: Duration = Duration::from_millis(2);
/// How often the debouncer looks for expired events.
const TICK: Duration = Duration::from_millis(1);
/// Quiet time after the last event once every touched file looks complete.
const SETTLE_DONE: Duration = Duration::from_millis(3);
/// Quiet time after the last event while some file may still be being written.
const SETTLE_WRITING: Duration = Duration::from_millis(100);

/// What a changed path means for the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A file under `content/` (an article, `_index.md`, a glossary entry or an asset).
    Content,
    /// A template (the site's or the theme's).
    Template,
    /// A static file (the site's or the theme's).
    Static,
    /// `site.toml`.
    Config,
    /// A syntax definition under `syntaxes/`.
    Syntaxes,
    /// Anything else: editor temp files, hidden files, other themes, the output folder.
    Ignored,
}

/// Classifies `rel`, a path relative to the site root. `theme` is the configured theme, or
/// `None` when the config could not be read (then every theme counts).
pub fn classify(rel: &Path, theme: Option<&str>) -> Change {
    let parts: Vec<&str> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    if parts.is_empty() || parts.iter().any(|p| is_ignored_name(p)) {
        return Change::Ignored;
    }
    match parts.as_slice() {
        ["site.toml"] => Change::Config,
        ["content", _, ..] => Change::Content,
        ["templates" | "i18n", _, ..] => Change::Template,
        ["static", _, ..] => Change::Static,
        ["syntaxes", _, ..] => Change::Syntaxes,
        ["themes", name, rest @ ..] if theme.is_none_or(|t| t == *name) => match rest {
            ["static", _, ..] => Change::Static,
            [] => Change::Template, // the theme folder itself appeared or vanished
            _ => Change::Template,
        },
        // A watched folder created or deleted as a whole (`templates/` added later).
        ["content" | "templates" | "static" | "syntaxes" | "themes" | "i18n"] => Change::Template,
        _ => Change::Ignored,
    }
}

/// The changes of one save (or one burst of saves), ready for a rebuild.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    /// Rebuild everything (templates, config, syntaxes, a watched folder came or went, or the
    /// watcher lost events).
    pub full: bool,
    /// Changed paths under `content/` (absolute).
    pub content: Vec<PathBuf>,
    /// Changed static files (absolute).
    pub statics: Vec<PathBuf>,
}

impl Batch {
    /// Nothing to do.
    pub fn is_empty(&self) -> bool {
        !self.full && self.content.is_empty() && self.statics.is_empty()
    }

    fn add(&mut self, change: Change, path: PathBuf) {
        match change {
            Change::Content if !self.content.contains(&path) => self.content.push(path),
            Change::Static if !self.statics.contains(&path) => self.statics.push(path),
            Change::Template | Change::Config | Change::Syntaxes => self.full = true,
            _ => {}
        }
    }
}

/// Whether a file's latest event says its new content is complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Progress {
    /// Closed after writing, or renamed into place.
    Done,
    /// Created, written to, removed or renamed away: more is likely to follow.
    Writing,
}

/// Reads an event: which paths it touches and what it says about each (None: no news, as for
/// a metadata change, which keeps the earlier state).
fn event_paths(kind: &EventKind, paths: &[PathBuf]) -> Vec<(PathBuf, Option<Progress>)> {
    use Progress::{Done, Writing};
    let all = |p: Option<Progress>| paths.iter().map(|x| (x.clone(), p)).collect();
    match kind {
        // Our own reads while rebuilding show up as opens and read-closes: never a change.
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => all(Some(Done)),
        EventKind::Access(_) => Vec::new(),
        // A removal or a rename away is often the first half of a save (vim renames `x` to
        // `x~` before writing a new `x`), so it waits for what follows.
        EventKind::Remove(_) => all(Some(Writing)),
        EventKind::Modify(ModifyKind::Metadata(_)) => all(None),
        EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => {
            let mut out: Vec<(PathBuf, Option<Progress>)> = Vec::new();
            if let Some(from) = paths.first() {
                out.push((from.clone(), Some(Writing)));
            }
            if let Some(to) = paths.get(1) {
                out.push((to.clone(), Some(Done)));
            }
            out
        }
        EventKind::Modify(ModifyKind::Name(RenameMode::From)) => all(Some(Writing)),
        EventKind::Modify(ModifyKind::Name(RenameMode::To)) => all(Some(Done)),
        _ => all(Some(Writing)),
    }
}

/// A running watcher of one site.
pub struct Watcher {
    root: PathBuf,
    theme: Option<String>,
    events: Receiver<DebounceEventResult>,
    // Dropping it stops watching.
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
}

impl Watcher {
    /// Starts watching the site at `root` (`theme`: the configured theme, if known).
    pub fn start(root: &Path, theme: Option<String>) -> notify::Result<Watcher> {
        let (tx, rx) = channel();
        let mut debouncer = new_debouncer(DEBOUNCE, Some(TICK), tx)?;
        let root = root.canonicalize().unwrap_or_else(|_| root.to_owned());
        debouncer.watch(&root, RecursiveMode::NonRecursive)?;
        for dir in [
            "content",
            "templates",
            "static",
            "syntaxes",
            "themes",
            "i18n",
        ] {
            let path = root.join(dir);
            if path.is_dir() {
                debouncer.watch(&path, RecursiveMode::Recursive)?;
            }
        }
        Ok(Watcher {
            root,
            theme,
            events: rx,
            debouncer,
        })
    }

    /// Changes the theme whose folder counts (after `site.toml` changed).
    pub fn set_theme(&mut self, theme: Option<String>) {
        self.theme = theme;
    }

    /// Blocks until the next save has settled and returns its changes; `None` when the
    /// watcher has stopped.
    pub fn next_batch(&mut self) -> Option<Batch> {
        self.next_batch_within(None)
    }

    /// Like [`Watcher::next_batch`], but returns an empty batch if no save began within
    /// `wait` (a failed rebuild uses it to try again by itself).
    pub fn next_batch_within(&mut self, wait: Option<Duration>) -> Option<Batch> {
        let mut batch = Batch::default();
        let mut progress: BTreeMap<PathBuf, Progress> = BTreeMap::new();
        let deadline = wait.map(|w| Instant::now() + w);
        // Wait for the first relevant event.
        while batch.is_empty() {
            let result = match deadline {
                None => self.events.recv().ok()?,
                Some(d) => match self
                    .events
                    .recv_timeout(d.saturating_duration_since(Instant::now()))
                {
                    Ok(r) => r,
                    Err(RecvTimeoutError::Timeout) => return Some(batch),
                    Err(RecvTimeoutError::Disconnected) => return None,
                },
            };
            self.absorb(result, &mut batch, &mut progress);
        }
        // Then until the save settles: quiet since the last relevant event (our own reads
        // while rebuilding keep arriving and must not hold the batch back).
        let mut last = Instant::now();
        loop {
            let settle = if progress.values().all(|p| *p == Progress::Done) {
                SETTLE_DONE
            } else {
                SETTLE_WRITING
            };
            let Some(left) = (last + settle).checked_duration_since(Instant::now()) else {
                return Some(batch);
            };
            match self.events.recv_timeout(left) {
                Ok(result) => {
                    if self.absorb(result, &mut batch, &mut progress) {
                        last = Instant::now();
                    }
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                    return Some(batch);
                }
            }
        }
    }

    /// Adds the relevant paths of `result` to `batch`; true if there were any.
    fn absorb(
        &mut self,
        result: DebounceEventResult,
        batch: &mut Batch,
        progress: &mut BTreeMap<PathBuf, Progress>,
    ) -> bool {
        let events = match result {
            Ok(events) => events,
            // The watcher lost track (e.g. the kernel queue overflowed): rebuild everything.
            Err(_) => {
                batch.full = true;
                return true;
            }
        };
        let mut relevant = false;
        for event in events {
            if event.need_rescan() {
                batch.full = true;
                relevant = true;
                continue;
            }
            for (path, state) in event_paths(&event.kind, &event.paths) {
                let Ok(rel) = path.strip_prefix(&self.root) else {
                    continue;
                };
                let change = classify(rel, self.theme.as_deref());
                if change == Change::Ignored {
                    continue;
                }
                if rel.components().count() == 1 && path.is_dir() {
                    // A watched folder appeared (`static/` created after starting): watch
                    // inside it too. Already watched is fine.
                    let _ = self.debouncer.watch(&path, RecursiveMode::Recursive);
                }
                batch.add(change, path.clone());
                relevant = true;
                match state {
                    Some(s) => {
                        progress.insert(path, s);
                    }
                    None => {
                        progress.entry(path).or_insert(Progress::Writing);
                    }
                }
            }
        }
        relevant
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(p: &str) -> Change {
        classify(Path::new(p), Some("default"))
    }

    #[test]
    fn sources_are_classified_by_folder() {
        assert_eq!(c("site.toml"), Change::Config);
        assert_eq!(c("content/tips/ask.md"), Change::Content);
        assert_eq!(c("content/tips/chart.png"), Change::Content);
        assert_eq!(c("templates/page.html"), Change::Template);
        assert_eq!(c("themes/default/templates/base.html"), Change::Template);
        assert_eq!(c("i18n/de.toml"), Change::Template);
        assert_eq!(c("themes/default/i18n/de.toml"), Change::Template);
        assert_eq!(c("themes/default/static/style.css"), Change::Static);
        assert_eq!(c("static/logo.svg"), Change::Static);
        assert_eq!(c("syntaxes/elm.sublime-syntax"), Change::Syntaxes);
    }

    #[test]
    fn editor_temp_files_and_hidden_paths_are_ignored() {
        for p in [
            "content/tips/.ask.md.swp",
            "content/tips/ask.md~",
            "content/tips/4913",
            "content/.git/HEAD",
            "content/#ask.md#",
            "templates/.page.html.tmp",
        ] {
            assert_eq!(c(p), Change::Ignored, "{p}");
        }
    }

    #[test]
    fn output_other_themes_and_stray_files_are_ignored() {
        assert_eq!(c("public/index.html"), Change::Ignored);
        assert_eq!(c("themes/other/templates/page.html"), Change::Ignored);
        assert_eq!(c("notes.txt"), Change::Ignored);
        assert_eq!(c("content"), Change::Template);
        assert_eq!(c("themes"), Change::Template);
        // Before the config is readable, every theme counts.
        assert_eq!(
            classify(Path::new("themes/other/templates/page.html"), None),
            Change::Template
        );
    }

    #[test]
    fn batches_collect_content_and_escalate_to_full() {
        let mut b = Batch::default();
        assert!(b.is_empty());
        b.add(Change::Content, PathBuf::from("/s/content/a.md"));
        b.add(Change::Content, PathBuf::from("/s/content/a.md"));
        b.add(Change::Ignored, PathBuf::from("/s/public/a"));
        assert_eq!(b.content.len(), 1);
        assert!(!b.full);
        b.add(Change::Config, PathBuf::from("/s/site.toml"));
        assert!(b.full);
    }

    #[test]
    fn events_say_when_a_file_is_complete() {
        let p = |s: &str| PathBuf::from(s);
        let close = EventKind::Access(AccessKind::Close(AccessMode::Write));
        assert_eq!(
            event_paths(&close, &[p("/a")]),
            vec![(p("/a"), Some(Progress::Done))]
        );
        let open = EventKind::Access(AccessKind::Open(AccessMode::Read));
        assert!(event_paths(&open, &[p("/a")]).is_empty());
        let write = EventKind::Modify(ModifyKind::Data(notify::event::DataChange::Content));
        assert_eq!(
            event_paths(&write, &[p("/a")]),
            vec![(p("/a"), Some(Progress::Writing))]
        );
        let rename = EventKind::Modify(ModifyKind::Name(RenameMode::Both));
        assert_eq!(
            event_paths(&rename, &[p("/t"), p("/a")]),
            vec![
                (p("/t"), Some(Progress::Writing)),
                (p("/a"), Some(Progress::Done))
            ]
        );
        let away = EventKind::Modify(ModifyKind::Name(RenameMode::From));
        assert_eq!(
            event_paths(&away, &[p("/a")]),
            vec![(p("/a"), Some(Progress::Writing))]
        );
    }
}
