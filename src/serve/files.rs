//! The served site: output path → bytes, in memory.
//!
//! Rebuilds hand over their changes in batches ([`SiteFiles::apply`]); a batch is applied
//! under one write lock, so a request sees either the whole previous build or the whole new
//! one, never a mix. Each file keeps a content hash, which is its ETag and tells a rebuild
//! whether a re-rendered file really changed (only those are reported to the browser).

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
}

/// Every file of the current build.
#[derive(Debug, Default)]
pub struct SiteFiles {
    map: RwLock<HashMap<String, Arc<Entry>>>,
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
        self.read().get(path).cloned()
    }

    /// True if the build has a file at `path`.
    pub fn contains(&self, path: &str) -> bool {
        self.read().contains_key(path)
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.read().len()
    }

    /// True before the first build.
    pub fn is_empty(&self) -> bool {
        self.read().is_empty()
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
                        }),
                    )
                }
                Update::Remove(path) => (path, None),
            })
            .collect();
        let mut changed = Vec::new();
        let mut map = self
            .map
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for (path, entry) in prepared {
            match entry {
                Some(e) => {
                    if map
                        .get(&path)
                        .is_none_or(|old| old.hash != e.hash || old.bytes != e.bytes)
                    {
                        map.insert(path.clone(), Arc::new(e));
                        changed.push(path);
                    }
                }
                None => {
                    if map.remove(&path).is_some() {
                        changed.push(path);
                    }
                }
            }
        }
        drop(map);
        changed.sort();
        changed.dedup();
        changed
    }

    /// A copy of every file, sorted by path (tests compare it with a full build).
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        self.read()
            .iter()
            .map(|(k, v)| (k.clone(), v.bytes.to_vec()))
            .collect()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<String, Arc<Entry>>> {
        // A panic while holding the lock cannot leave the map half-updated (inserts are
        // atomic per key), so a poisoned lock is still safe to read.
        self.map
            .read()
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
}
