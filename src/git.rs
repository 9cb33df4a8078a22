//! Git stage (between load and assemble): where the site is a git repository, each content
//! file's last change and its contributors, read from the history with `gix` (no `git`
//! process).
//!
//! The history is walked once, newest commit first: each commit's `content/` tree is
//! compared with its first parent's, descending only into subtrees whose ids differ, and every
//! changed file that still exists gets the commit's author date (the newest one seen is its
//! `updated`) and one more commit for its author. Contributors need the whole history, so
//! the walk does not stop early; `[git] max_commits` caps it (100,000 by default; the cap,
//! when reached, is said once). Merge commits are skipped: the commits they bring in are
//! walked themselves. The result is cached per repository and `HEAD`, so `serve` walks the
//! history again only after a commit.
//!
//! A site that is not a repository, a shallow clone or an unreadable repository builds
//! normally: [`History::note`] says once what could not be known.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::config::GitConfig;
use crate::parse::front_matter::Date;

/// What the history says about one content file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileHistory {
    /// Author date of the newest commit that changed the file (UTC).
    pub updated: Date,
    /// Author names, most commits first (then by name).
    pub contributors: Vec<String>,
}

/// What the history says about the site's content files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// By path relative to `content/` (`tips/ask.md`).
    pub files: HashMap<String, FileHistory>,
    /// What could not be known, said once (not a repository, shallow clone…).
    pub note: Option<String>,
    /// True when `[git] enabled = true` and the note is a problem rather than information.
    pub required: bool,
}

impl History {
    /// The history of `rel` (relative to `content/`), if any commit changed it.
    pub fn file(&self, rel: &str) -> Option<&FileHistory> {
        self.files.get(rel)
    }
}

type CacheKey = (std::path::PathBuf, gix::ObjectId, usize, bool);

/// The last history read, by (repository, HEAD, cap).
static CACHE: Mutex<Option<(CacheKey, Arc<History>)>> = Mutex::new(None);

/// Reads the history of the content files `rels` (relative to `content/`) of the site at
/// `root`, as `config` says.
pub fn read(root: &Path, rels: &[&str], config: &GitConfig) -> Arc<History> {
    let required = config.enabled == Some(true);
    if config.enabled == Some(false) {
        return Arc::new(History::default());
    }
    let noted = |note: String| {
        Arc::new(History {
            files: HashMap::new(),
            note: Some(note),
            required,
        })
    };
    let root = root.canonicalize().unwrap_or_else(|_| root.to_owned());
    let repo = match gix::discover(&root) {
        Ok(r) => r,
        Err(_) => {
            return noted(
                "the site is not a git repository: pages have no git dates or contributors (page.git is empty)"
                    .into(),
            );
        }
    };
    if repo.is_shallow() {
        return noted(
            "the site is a shallow git clone: last-change dates and contributors would be wrong, so pages have none (fetch the whole history with `git fetch --unshallow`)"
                .into(),
        );
    }
    let Some(workdir) = repo
        .workdir()
        .map(|w| w.canonicalize().unwrap_or(w.to_owned()))
    else {
        return noted("the git repository has no work tree: pages have no git dates".into());
    };
    let Ok(prefix) = root.strip_prefix(&workdir) else {
        return noted("the site is outside its git work tree: pages have no git dates".into());
    };
    let head = match repo.head_id() {
        Ok(id) => id.detach(),
        Err(_) => {
            return noted(
                "the git repository has no commits yet: pages have no git dates or contributors"
                    .into(),
            );
        }
    };
    let key: CacheKey = (workdir.clone(), head, config.max_commits, required);
    if let Ok(cache) = CACHE.lock() {
        if let Some((k, h)) = cache.as_ref() {
            if *k == key {
                return Arc::clone(h);
            }
        }
    }
    let mut content: Vec<String> = prefix
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    content.push("content".into());
    let wanted: HashSet<&str> = rels.iter().copied().collect();
    let history = match walk(&repo, head, &content, &wanted, config.max_commits) {
        Ok(mut h) => {
            h.required = required;
            Arc::new(h)
        }
        Err(e) => noted(format!(
            "cannot read the git history ({e}): pages have no git dates or contributors"
        )),
    };
    if let Ok(mut cache) = CACHE.lock() {
        *cache = Some((key, Arc::clone(&history)));
    }
    history
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Per file while walking: newest author time, commits per author.
#[derive(Default)]
struct Acc {
    newest: i64,
    authors: HashMap<String, usize>,
}

fn walk(
    repo: &gix::Repository,
    head: gix::ObjectId,
    content: &[String],
    wanted: &HashSet<&str>,
    max_commits: usize,
) -> Result<History, BoxError> {
    let mut repo = repo.clone();
    repo.object_cache_size_if_unset(64 * 1024 * 1024);
    let walk = repo
        .rev_walk([head])
        .sorting(gix::revision::walk::Sorting::ByCommitTime(
            Default::default(),
        ))
        .all()?;
    let mut acc: HashMap<String, Acc> = HashMap::new();
    let mut capped = false;
    let mut changed = Vec::new();
    for (commits, info) in walk.enumerate() {
        let info = info?;
        if commits == max_commits {
            capped = true;
            break;
        }
        if info.parent_ids.len() > 1 {
            continue;
        }
        let commit = repo.find_commit(info.id)?;
        let decoded = commit.decode()?;
        let tree = content_tree(&repo, decoded.tree(), content)?;
        let parent_tree = match info.parent_ids.first() {
            Some(p) => {
                let parent = repo.find_commit(*p)?;
                let t = parent.decode()?.tree();
                content_tree(&repo, t, content)?
            }
            None => None,
        };
        if tree == parent_tree {
            continue;
        }
        let Some(tree) = tree else { continue };
        changed.clear();
        diff(&repo, tree, parent_tree, "", wanted, &mut changed)?;
        if changed.is_empty() {
            continue;
        }
        let author = decoded.author()?;
        let name = author.name.to_string().trim().to_owned();
        let seconds = author.seconds();
        for rel in changed.drain(..) {
            let a = acc.entry(rel).or_default();
            a.newest = a.newest.max(seconds);
            *a.authors.entry(name.clone()).or_default() += 1;
        }
    }
    let files = acc
        .into_iter()
        .filter_map(|(rel, a)| {
            let ts = jiff::Timestamp::from_second(a.newest).ok()?;
            let updated = Date(ts.to_zoned(jiff::tz::TimeZone::UTC).datetime());
            let mut authors: Vec<(String, usize)> = a.authors.into_iter().collect();
            authors.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
            let contributors = authors.into_iter().map(|(n, _)| n).collect();
            Some((
                rel,
                FileHistory {
                    updated,
                    contributors,
                },
            ))
        })
        .collect();
    let note = capped.then(|| {
        format!(
            "the git history has more than {max_commits} commits: contributors and dates come from the newest {max_commits} (raise `max_commits` under [git] in site.toml to read more)"
        )
    });
    Ok(History {
        files,
        note,
        required: false,
    })
}

/// The id of the tree at `path` (folder names) below `tree`, if there is one.
fn content_tree(
    repo: &gix::Repository,
    mut tree: gix::ObjectId,
    path: &[String],
) -> Result<Option<gix::ObjectId>, BoxError> {
    for name in path {
        let t = repo.find_tree(tree)?;
        let decoded = t.decode()?;
        let Some(e) = decoded
            .entries
            .iter()
            .find(|e| e.filename == name.as_bytes() && e.mode.is_tree())
        else {
            return Ok(None);
        };
        tree = e.oid.to_owned();
    }
    Ok(Some(tree))
}

/// Git's tree order: names compare as bytes, a folder's name as if it ended in `/`.
fn tree_order(a: &[u8], a_tree: bool, b: &[u8], b_tree: bool) -> std::cmp::Ordering {
    let x = a.iter().copied().chain(a_tree.then_some(b'/'));
    x.cmp(b.iter().copied().chain(b_tree.then_some(b'/')))
}

/// Files below `new` (at `prefix`) that differ from `old` and that `wanted` lists. Both
/// entry lists are in git's order, so one merge pass compares them (no allocation per
/// entry: the flat folders of a large handbook hold thousands).
fn diff(
    repo: &gix::Repository,
    new: gix::ObjectId,
    old: Option<gix::ObjectId>,
    prefix: &str,
    wanted: &HashSet<&str>,
    out: &mut Vec<String>,
) -> Result<(), BoxError> {
    let old_tree = match old {
        Some(o) => Some(repo.find_tree(o)?),
        None => None,
    };
    let old_entries = match &old_tree {
        Some(t) => t.decode()?.entries,
        None => Vec::new(),
    };
    let new_tree = repo.find_tree(new)?;
    let new_entries = new_tree.decode()?.entries;
    let mut j = 0;
    for e in &new_entries {
        let (name, is_tree) = (e.filename.as_ref(), e.mode.is_tree());
        let mut before = None;
        while let Some(o) = old_entries.get(j) {
            match tree_order(o.filename, o.mode.is_tree(), name, is_tree) {
                std::cmp::Ordering::Less => j += 1,
                std::cmp::Ordering::Equal => {
                    before = Some(o);
                    j += 1;
                    break;
                }
                std::cmp::Ordering::Greater => break,
            }
        }
        if before.is_some_and(|o| o.oid == e.oid) {
            continue;
        }
        let is_file = e.mode.is_blob() || e.mode.is_link();
        if !is_tree && !is_file {
            continue;
        }
        let name = String::from_utf8_lossy(name);
        let path = if prefix.is_empty() {
            name.into_owned()
        } else {
            format!("{prefix}/{name}")
        };
        if is_tree {
            let old_sub = before
                .filter(|o| o.mode.is_tree())
                .map(|o| o.oid.to_owned());
            diff(repo, e.oid.to_owned(), old_sub, &path, wanted, out)?;
        } else if wanted.contains(path.as_str()) {
            out.push(path);
        }
    }
    Ok(())
}
