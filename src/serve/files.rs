//! The served site: output path → bytes, in memory.
//!
//! Rebuilds hand over their changes in batches ([`SiteFiles::apply`]); a batch is applied
//! under one write lock, so a request sees either the whole previous build or the whole new
//! one, never a mix. Each file keeps a content hash, which is its ETag and tells a rebuild
//! whether a re-rendered file really changed (only those are reported to the browser).
//!
//! Every batch that changes something starts a new *generation*. Each file remembers the
//! generation that last changed it, and a page is served together with the generation it
//! belongs to (read under the same lock, see [`SiteFiles::view`]). A page that comes back
//! after missing a rebuild (its event stream reconnected) says which generation it was
//! loaded at, and [`View::stale`] tells whether it must reload: no update is ever lost to
//! a reload racing the next rebuild.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};

use axum::body::Bytes;

/// One served file.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The bytes as built (the live-reload script is added when an HTML page is served).
    pub bytes: Bytes,
    /// xxh3 of `bytes`.
    pub hash: u64,
    /// The generation that last changed this file.
    pub changed_at: u64,
}

/// Every file of the current build.
#[derive(Debug, Default)]
pub struct SiteFiles {
    inner: RwLock<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    map: HashMap<String, Arc<Entry>>,
    /// Batches that changed something so far (0: nothing built yet).
    generation: u64,
    /// The last generation that changed or removed a stylesheet.
    css_at: u64,
    /// The last generation after which every page had to reload (see
    /// [`SiteFiles::reload_all`]).
    all_at: u64,
}

/// What a page that missed some rebuilds must do to catch up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stale {
    /// It shows the current build.
    No,
    /// Only stylesheets changed since: swap them.
    Css,
    /// Reload.
    Reload,
}

/// A consistent look at the files: everything read through one view belongs to one
/// generation.
pub struct View<'a> {
    inner: std::sync::RwLockReadGuard<'a, Inner>,
}

impl View<'_> {
    /// The file at `path`, if the build has it.
    pub fn get(&self, path: &str) -> Option<&Arc<Entry>> {
        self.inner.map.get(path)
    }

    /// True if the build has a file at `path`.
    pub fn contains(&self, path: &str) -> bool {
        self.inner.map.contains_key(path)
    }

    /// The generation these files belong to.
    pub fn generation(&self) -> u64 {
        self.inner.generation
    }

    /// Whether a page showing `path` (empty: a stand-in such as the 404 page) as of
    /// generation `loaded` is out of date.
    pub fn stale(&self, path: &str, loaded: u64) -> Stale {
        let i = &self.inner;
        if loaded > i.generation {
            // Loaded from another server run (the instance id tells the page too).
            return Stale::Reload;
        }
        let page_changed = if path.is_empty() {
            i.generation > loaded
        } else {
            i.map.get(path).is_none_or(|e| e.changed_at > loaded)
        };
        if page_changed || i.all_at > loaded {
            Stale::Reload
        } else if i.css_at > loaded {
            Stale::Css
        } else {
            Stale::No
        }
    }
}

/// One change to the served files.
#[derive(Debug)]
pub enum Update {
    /// Add or replace a file.
    Write(String, Vec<u8>),
    /// Remove a file.
    Remove(String),
}

impl SiteFiles {
    /// The file at `path` (`tips/ask/index.html`), if the build has it.
    pub fn get(&self, path: &str) -> Option<Arc<Entry>> {
        self.read().map.get(path).cloned()
    }

    /// True if the build has a file at `path`.
    pub fn contains(&self, path: &str) -> bool {
        self.read().map.contains_key(path)
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.read().map.len()
    }

    /// True before the first build.
    pub fn is_empty(&self) -> bool {
        self.read().map.is_empty()
    }

    /// The current generation (0 before anything was built).
    pub fn generation(&self) -> u64 {
        self.read().generation
    }

    /// A consistent view of the current generation (hold it briefly: rebuilds wait).
    pub fn view(&self) -> View<'_> {
        View { inner: self.read() }
    }

    /// Records that every page shown as of an earlier generation than `generation` must
    /// reload (a script or an image changed: any page may use it).
    pub fn reload_all(&self, generation: u64) {
        let mut inner = self.write();
        inner.all_at = inner.all_at.max(generation);
    }

    /// Applies `updates` at once; returns the paths whose content really changed (added,
    /// modified or removed), sorted.
    pub fn apply(&self, updates: Vec<Update>) -> Vec<String> {
        // Hash outside the lock: requests keep flowing while a big batch is prepared.
        let prepared: Vec<(String, Option<Entry>)> = updates
            .into_iter()
            .map(|u| match u {
                Update::Write(path, bytes) => {
                    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
                    (
                        path,
                        Some(Entry {
                            bytes: Bytes::from(bytes),
                            hash,
                            changed_at: 0,
                        }),
                    )
                }
                Update::Remove(path) => (path, None),
            })
            .collect();
        let mut changed = Vec::new();
        let mut inner = self.write();
        let generation = inner.generation + 1;
        let mut css = false;
        for (path, entry) in prepared {
            let is_css = path
                .rsplit_once('.')
                .is_some_and(|(_, e)| e.eq_ignore_ascii_case("css"));
            match entry {
                Some(mut e) => {
                    if inner
                        .map
                        .get(&path)
                        .is_none_or(|old| old.hash != e.hash || old.bytes != e.bytes)
                    {
                        e.changed_at = generation;
                        inner.map.insert(path.clone(), Arc::new(e));
                        css |= is_css;
                        changed.push(path);
                    }
                }
                None => {
                    if inner.map.remove(&path).is_some() {
                        css |= is_css;
                        changed.push(path);
                    }
                }
            }
        }
        if !changed.is_empty() {
            inner.generation = generation;
            if css {
                inner.css_at = generation;
            }
        }
        drop(inner);
        changed.sort();
        changed.dedup();
        changed
    }

    /// A copy of every file, sorted by path (tests compare it with a full build).
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        self.read()
            .map
            .iter()
            .map(|(k, v)| (k.clone(), v.bytes.to_vec()))
            .collect()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the map half-updated (inserts are
        // atomic per key), so a poisoned lock is still safe to read.
        self.inner
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        self.inner
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apply_reports_only_real_changes() {
        let files = SiteFiles::default();
        let changed = files.apply(vec![
            Update::Write("a.html".into(), b"a".to_vec()),
            Update::Write("b.css".into(), b"b".to_vec()),
        ]);
        assert_eq!(changed, vec!["a.html", "b.css"]);
        let changed = files.apply(vec![
            Update::Write("a.html".into(), b"a".to_vec()),
            Update::Write("b.css".into(), b"B".to_vec()),
        ]);
        assert_eq!(changed, vec!["b.css"]);
        let changed = files.apply(vec![
            Update::Remove("a.html".into()),
            Update::Remove("nope".into()),
        ]);
        assert_eq!(changed, vec!["a.html"]);
        assert!(!files.contains("a.html"));
        assert_eq!(
            files.get("b.css").map(|e| e.bytes.to_vec()),
            Some(b"B".to_vec())
        );
        assert_eq!(files.len(), 1);
    }

    #[test]
    fn generations_count_batches_that_change_something() {
        let files = SiteFiles::default();
        assert_eq!(files.generation(), 0);
        files.apply(vec![Update::Write("a/index.html".into(), b"1".to_vec())]);
        assert_eq!(files.generation(), 1);
        files.apply(vec![Update::Write("a/index.html".into(), b"1".to_vec())]);
        assert_eq!(files.generation(), 1, "no change, no new generation");
        files.apply(vec![Update::Write("b/index.html".into(), b"x".to_vec())]);
        assert_eq!(files.generation(), 2);
        assert_eq!(files.get("a/index.html").map(|e| e.changed_at), Some(1));
    }

    #[test]
    fn a_page_that_missed_a_rebuild_of_itself_is_stale() {
        let files = SiteFiles::default();
        files.apply(vec![
            Update::Write("a/index.html".into(), b"1".to_vec()),
            Update::Write("b/index.html".into(), b"1".to_vec()),
        ]);
        assert_eq!(files.view().stale("a/index.html", 1), Stale::No);
        files.apply(vec![Update::Write("a/index.html".into(), b"2".to_vec())]);
        let view = files.view();
        assert_eq!(view.stale("a/index.html", 1), Stale::Reload);
        assert_eq!(view.stale("a/index.html", 2), Stale::No);
        assert_eq!(view.stale("b/index.html", 1), Stale::No, "b did not change");
        assert_eq!(
            view.stale("", 1),
            Stale::Reload,
            "the 404 page reloads on any change"
        );
        assert_eq!(view.stale("gone/index.html", 2), Stale::Reload);
        assert_eq!(
            view.stale("a/index.html", 9),
            Stale::Reload,
            "another server run"
        );
    }

    #[test]
    fn stylesheets_and_reload_all_reach_pages_that_missed_them() {
        let files = SiteFiles::default();
        files.apply(vec![Update::Write("a/index.html".into(), b"1".to_vec())]);
        files.apply(vec![Update::Write("style.css".into(), b"x".to_vec())]);
        assert_eq!(files.view().stale("a/index.html", 1), Stale::Css);
        files.apply(vec![Update::Write("app.js".into(), b"x".to_vec())]);
        files.reload_all(3);
        assert_eq!(files.view().stale("a/index.html", 2), Stale::Reload);
        assert_eq!(files.view().stale("a/index.html", 3), Stale::No);
    }
}
